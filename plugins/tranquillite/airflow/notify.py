"""Notifications that leave the platform, through Airflow's notifiers."""

from __future__ import annotations

import html
import logging

from psycopg.types.json import Jsonb

from tranquillite.core import settings
from tranquillite.core.settings import COMPLIANCE_CONN_ID
from tranquillite.warehouse import connect

log = logging.getLogger(__name__)

DPO_SMTP_CONN_ID = "dpo_smtp"


def dpo_recipients() -> str:
    return settings.dpo_email()


def notify_dpo_of_schema_changes(context: dict) -> list[int]:
    """E-mail the DPO (SMTP connection `dpo_smtp`) about every schema change not yet
    notified, then record that it was. The message names the changes, never a record."""
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    from tranquillite.ingestion import governance

    with connect(COMPLIANCE_CONN_ID) as conn:
        # every ingestion DAG ends with this notice: one at a time, so that no change is
        # e-mailed twice (the lock is the connection's, released when it closes)
        key = "tranquillite.dpo_schema_notice"
        if not conn.execute("select pg_try_advisory_lock(hashtextextended(%s, 0))", (key,)).fetchone()[0]:
            log.info("another run is notifying the DPO: nothing to do here")
            return []
        pending = governance.pending_notifications(conn)
        if not pending:
            return []
        rows = "".join(
            f"<tr><td>{c['change_id']}</td><td>{html.escape(c['source'])}</td>"
            f"<td><code>{html.escape(c['signature'])}</code></td><td>{c['held_records']}</td></tr>"
            for c in pending
        )
        body = (
            "<p>Des enregistrements reçus par la plateforme changent la nature des données "
            "(convention, article 3). Ils sont retenus en quarantaine et ne seront pas chargés "
            "avant votre décision, avec la référence de l'étude d'impact : chacun vous attend "
            "dans les « Required actions » d'Airflow (DAG <code>schema_change_approval</code>).</p>"
            "<table border='1'><tr><th>change_id</th><th>source</th><th>changement</th>"
            f"<th>enregistrements retenus</th></tr>{rows}</table>"
        )
        to = dpo_recipients()
        SmtpNotifier(
            smtp_conn_id=DPO_SMTP_CONN_ID,
            to=to,
            subject=f"[Tranquillité publique] {len(pending)} changement(s) de schéma à valider",
            html_content=body,
        ).notify(context)
        ids = [c["change_id"] for c in pending]
        governance.mark_notified(conn, ids, to)
    log.info("DPO notified of schema change(s) %s", ids)
    return ids


def masked_counts_since(conn, since) -> tuple[dict[str, dict[str, int]], object]:
    """Per source and personal-data type, the records landed masked by the batches that
    finished after `since`; and the latest such finish."""
    rows = conn.execute(
        "select b.source, t.key, sum(t.value::int), max(b.finished_at) from ops.ingest_batches as b,"
        " jsonb_each_text(b.masked_types) as t where b.status = 'succeeded' and b.masked > 0"
        " and (%s::timestamptz is null or b.finished_at > %s::timestamptz) group by 1, 2 order by 1, 2",
        (since, since),
    ).fetchall()
    counts: dict[str, dict[str, int]] = {}
    for source, kind, n, _ in rows:
        counts.setdefault(source, {})[kind] = int(n)
    return counts, max((r[3] for r in rows), default=None)


def notify_dpo_of_masking(context: dict) -> dict:
    """Once a day, e-mail the DPO how many records landed with personal data masked since the
    last notice, per source and type (convention, art. 3). Counts only: no record, no value,
    no field content. A day with nothing masked sends nothing."""
    from datetime import date

    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    today = date.today()
    with connect(COMPLIANCE_CONN_ID) as conn:
        if conn.execute("select 1 from ops.masking_notices where notice_day = %s", (today,)).fetchone():
            return {"sent": False, "why": "already sent today"}
        since = conn.execute("select max(covered_until) from ops.masking_notices").fetchone()[0]
        counts, until = masked_counts_since(conn, since)
        if not counts:
            return {"sent": False, "why": "nothing masked since the last notice"}
        rows = "".join(
            f"<tr><td>{html.escape(source)}</td><td>{html.escape(kind)}</td><td>{n}</td></tr>"
            for source, kinds in sorted(counts.items())
            for kind, n in sorted(kinds.items())
        )
        body = (
            "<p>Des enregistrements reçus par la plateforme portaient des données personnelles dans "
            "leur texte libre (convention, article 3). Chaque donnée trouvée a été remplacée par un "
            "masque (par exemple [PERSONNE], [TÉLÉPHONE]) avant tout stockage ; l'événement reste "
            "sur la carte, le texte d'origine n'a été écrit nulle part. Nombre d'enregistrements, "
            "par source et par type de donnée :</p>"
            "<table border='1'><tr><th>source</th><th>type</th><th>enregistrements</th></tr>"
            f"{rows}</table>"
        )
        to = dpo_recipients()
        SmtpNotifier(
            smtp_conn_id=DPO_SMTP_CONN_ID,
            to=to,
            subject=f"[Tranquillité publique] données personnelles masquées à l'entrée ({today.isoformat()})",
            html_content=body,
        ).notify(context)
        conn.execute(
            "insert into ops.masking_notices (notice_day, covered_until, sent_at, recipients, counts)"
            " values (%s, %s, now(), %s, %s)",
            (today, until, to, Jsonb(counts)),
        )
    log.info("DPO notified of masked records: %s", {s: sum(k.values()) for s, k in counts.items()})
    return {"sent": True, "counts": counts}
