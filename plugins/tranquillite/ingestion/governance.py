"""Schema changes under the DPO's control (convention, article 3).

A drift signature names one change: `field:<type>.<name>` (a new field),
`value:<type>.<field>=<value>` (a new value of an enumeration), `type:<type>.<field>=<json type>`
(a type change). Records that carry one are held in quarantine; the DPO is told;
an approval, with its impact-study reference, lets the gate accept the change and
replays the held records.
"""

from __future__ import annotations

import logging

import psycopg

from tranquillite.ingestion.contract import load_schema

log = logging.getLogger(__name__)

# New fields and new values can be accepted by the DPO alone. A type change or a new
# kind of entry changes what the models compute: it needs a new contract version.
APPROVABLE_KINDS = ("field", "value")


class ApprovalRefusedError(ValueError):
    pass


def contract_values() -> dict[str, list[str]]:
    schema = load_schema()
    out: dict[str, set[str]] = {
        "type": set(schema["properties"]["type"]["enum"]),
        "etat": set(schema["properties"]["etat"]["enum"]),
        "statut_organisateur": set(schema["$defs"]["organizer"]["enum"]),
    }
    for branch in schema["oneOf"]:
        theme = branch["properties"].get("theme")
        if isinstance(theme, dict) and "enum" in theme:
            out.setdefault("theme", set()).update(theme["enum"])
    return {k: sorted(v) for k, v in out.items()}


def sync_contract_values(conn: psycopg.Connection) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            "insert into governance.accepted_values (field, value, origin) values (%s, %s, 'contract')"
            " on conflict do nothing",
            [(field, value) for field, values in contract_values().items() for value in values],
        )


def approved_signatures(conn: psycopg.Connection, source: str) -> frozenset[str]:
    rows = conn.execute(
        "select signature from governance.schema_changes where source = %s and status = 'approved'", (source,)
    ).fetchall()
    return frozenset(r[0] for r in rows)


def record_drift(conn: psycopg.Connection, source: str, signatures: list[str]) -> None:
    for signature in signatures:
        row = conn.execute(
            "insert into governance.schema_changes (source, signature, held_records) values (%s, %s, 1)"
            " on conflict (source, signature) do update set held_records = governance.schema_changes.held_records + 1,"
            " last_seen_at = now() returning change_id, (xmax = 0) as created",
            (source, signature),
        ).fetchone()
        if row[1]:
            conn.execute(
                "insert into governance.schema_change_log (change_id, event, detail) values (%s, 'detected', %s)",
                (row[0], f"first held record from {source}"),
            )


def pending_notifications(conn: psycopg.Connection) -> list[dict]:
    rows = conn.execute(
        "select change_id, source, signature, held_records, first_seen_at from governance.schema_changes"
        " where status = 'pending' and notified_at is null order by change_id"
    ).fetchall()
    return [
        dict(zip(("change_id", "source", "signature", "held_records", "first_seen_at"), r, strict=True)) for r in rows
    ]


def mark_notified(conn: psycopg.Connection, change_ids: list[int], recipients: str) -> None:
    with conn.transaction():
        for change_id in change_ids:
            conn.execute("update governance.schema_changes set notified_at = now() where change_id = %s", (change_id,))
            conn.execute(
                "insert into governance.schema_change_log (change_id, event, detail) values (%s, 'dpo_notified', %s)",
                (change_id, f"e-mail to {recipients}"),
            )


def dpo_users() -> list[str]:
    """The Airflow logins who decide for the DPO (TRQ_DPO_USERS, comma-separated)."""
    from tranquillite.core.settings import logins

    return logins("TRQ_DPO_USERS")


def register_dpo_users(conn: psycopg.Connection) -> list[str]:
    """As the owner, at set-up: governance.dpo_users becomes TRQ_DPO_USERS. None registered,
    no schema change can be decided."""
    from tranquillite.warehouse import register_logins

    return register_logins(conn, "governance.dpo_users", dpo_users())


def change(conn: psycopg.Connection, change_id: int) -> dict | None:
    row = conn.execute(
        "select change_id, source, signature, status, held_records, first_seen_at from governance.schema_changes"
        " where change_id = %s",
        (change_id,),
    ).fetchone()
    keys = ("change_id", "source", "signature", "status", "held_records", "first_seen_at")
    return dict(zip(keys, row, strict=True)) if row else None


def decide(
    conn: psycopg.Connection,
    change_id: int,
    *,
    approve: bool,
    decided_by: str | None,
    impact_study_ref: str,
    comment: str | None = None,
) -> dict:
    """Record the DPO's decision through governance.decide_change, which refuses a login not
    registered as the DPO's, a change already decided, and the approval of a type change or
    of a new kind of entry."""
    try:
        decision = conn.execute(
            "select governance.decide_change(%s, %s, %s, %s, %s)",
            (change_id, approve, decided_by, impact_study_ref, comment),
        ).fetchone()[0]
    except (psycopg.errors.RaiseException, psycopg.errors.InsufficientPrivilege) as exc:
        raise ApprovalRefusedError(exc.diag.message_primary or "decision refused") from None
    found = change(conn, change_id) or {}
    log.info("schema change %s %s by %s (impact study %s)", change_id, decision, decided_by, impact_study_ref)
    return {
        "change_id": change_id,
        "source": found.get("source"),
        "signature": found.get("signature"),
        "status": decision,
    }
