"""The DPO's decisions on schema changes."""

from __future__ import annotations

import psycopg
import pytest

from tranquillite.core.settings import COMPLIANCE_CONN_ID, LOADER_CONN_ID
from tranquillite.ingestion import governance
from tranquillite.warehouse import connect


def change(db: psycopg.Connection, signature: str) -> int:
    governance.record_drift(db, "cortege", [signature])
    return db.execute("select change_id from governance.schema_changes where signature = %s", (signature,)).fetchone()[
        0
    ]


def test_approving_a_value_makes_it_accepted(gov: psycopg.Connection) -> None:
    cid = change(gov, "value:manifestation_statique.statut_organisateur=collectif")
    governance.decide(gov, cid, approve=True, decided_by="DPO", impact_study_ref="EIPD-1")
    assert governance.approved_signatures(gov, "cortege") == {
        "value:manifestation_statique.statut_organisateur=collectif"
    }
    assert (
        gov.execute(
            "select origin from governance.accepted_values where field = 'statut_organisateur' and value = 'collectif'"
        ).fetchone()[0]
        == f"approved:{cid}"
    )


@pytest.mark.parametrize(
    "signature", ["type:manifestation_deambulatoire.nb_personnes_attendues=string", "value:entry.type=rave_party"]
)
def test_type_changes_and_new_entry_kinds_cannot_be_approved(gov: psycopg.Connection, signature: str) -> None:
    cid = change(gov, signature)
    with pytest.raises(governance.ApprovalRefusedError, match="new contract version"):
        governance.decide(gov, cid, approve=True, decided_by="DPO", impact_study_ref="EIPD-2")
    # but they can be rejected
    assert governance.decide(gov, cid, approve=False, decided_by="DPO", impact_study_ref="EIPD-2")["status"] == (
        "rejected"
    )


def test_a_decision_is_taken_once(gov: psycopg.Connection) -> None:
    cid = change(gov, "field:visite_officielle.delegation")
    governance.decide(gov, cid, approve=False, decided_by="DPO", impact_study_ref="EIPD-3")
    with pytest.raises(governance.ApprovalRefusedError, match="already rejected"):
        governance.decide(gov, cid, approve=True, decided_by="DPO", impact_study_ref="EIPD-3")


def test_the_log_is_append_only(gov: psycopg.Connection, db: psycopg.Connection) -> None:
    change(gov, "field:visite_officielle.delegation")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        gov.execute("delete from governance.schema_change_log")
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):  # even for the owner
        db.execute("delete from governance.schema_change_log")


def test_the_same_drift_counts_its_held_records(gov: psycopg.Connection) -> None:
    for _ in range(3):
        governance.record_drift(gov, "cortege", ["field:visite_officielle.delegation"])
    assert gov.execute("select held_records from governance.schema_changes").fetchone()[0] == 3
    assert gov.execute("select count(*) from governance.schema_change_log").fetchone()[0] == 1


def test_no_run_time_role_can_write_a_decision(gov: psycopg.Connection) -> None:
    """Issue 18, fault 7: a decision is recorded only through governance.decide_change."""
    cid = change(gov, "field:visite_officielle.delegation")
    forged = (
        "update governance.schema_changes set status = 'approved', decided_by = 'DPO', decided_at = now(),"
        " impact_study_ref = 'x' where change_id = %s"
    )
    for conn_id in (LOADER_CONN_ID, COMPLIANCE_CONN_ID):
        with connect(conn_id) as conn:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(forged, (cid,))
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(
                    "insert into governance.accepted_values (field, value, origin) values ('etat', 'x', %s)",
                    (f"approved:{cid}",),
                )
    # what the loader does write still works: the count of held records, the notice
    with connect(LOADER_CONN_ID) as loader:
        governance.record_drift(loader, "cortege", ["field:visite_officielle.delegation"])
        governance.mark_notified(loader, [cid], "dpo@localhost")
    assert gov.execute("select held_records, status from governance.schema_changes").fetchone() == (2, "pending")


def test_only_a_registered_dpo_decides(gov: psycopg.Connection) -> None:
    cid = change(gov, "field:visite_officielle.delegation")
    for who in ("analyste", "", None):
        with pytest.raises(governance.ApprovalRefusedError, match="not a registered DPO"):
            governance.decide(gov, cid, approve=True, decided_by=who, impact_study_ref="EIPD-4")
    assert governance.decide(gov, cid, approve=True, decided_by="DPO", impact_study_ref="EIPD-4")["status"] == (
        "approved"
    )
    log = gov.execute("select event, actor from governance.schema_change_log order by log_id").fetchall()
    assert log[-1] == ("approved", "DPO")
