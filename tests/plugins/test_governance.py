"""The DPO's decisions on schema changes."""

from __future__ import annotations

import psycopg
import pytest

from tranquillite import governance


@pytest.fixture
def gov(db: psycopg.Connection) -> psycopg.Connection:
    db.execute("truncate governance.schema_changes, governance.schema_change_log, governance.accepted_values cascade")
    return db


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


def test_the_log_is_append_only(gov: psycopg.Connection) -> None:
    change(gov, "field:visite_officielle.delegation")
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        gov.execute("delete from governance.schema_change_log")


def test_the_same_drift_counts_its_held_records(gov: psycopg.Connection) -> None:
    for _ in range(3):
        governance.record_drift(gov, "cortege", ["field:visite_officielle.delegation"])
    assert gov.execute("select held_records from governance.schema_changes").fetchone()[0] == 3
    assert gov.execute("select count(*) from governance.schema_change_log").fetchone()[0] == 1
