"""The four-eyes rule held by the warehouse itself (issue 18, fault 4): the compliance role
Airflow runs as cannot approve a purge by writing a row, cannot delete an agreement's
current data or drop its partition without a request two officers approved, neither of
them the requester; and an empty list of officers approves nothing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from tranquillite.compliance import approvals
from tranquillite.compliance.conventions import ConventionError
from tranquillite.core.settings import COMPLIANCE_CONN_ID
from tranquillite.warehouse import connect

PP = "PP13-BDTP-2019"
OPEN_DATA = "LO2-OPENDATA-VDM"
OFFICERS = ("conformite1", "conformite2", "conformite3")


@pytest.fixture
def officers(db: psycopg.Connection) -> Iterator[None]:
    """The officers the owner registered at set-up; requests of the test removed afterwards."""
    before = [r[0] for r in db.execute("select login from compliance.officers")]
    db.execute("delete from compliance.officers")
    for login in OFFICERS:
        db.execute("insert into compliance.officers (login) values (%s)", (login,))
    yield
    with db.transaction():
        for table in ("purge_approvals", "convention_log"):
            db.execute(f"alter table compliance.{table} disable trigger user")
        db.execute("delete from compliance.purge_approvals")
        db.execute("delete from compliance.convention_log where event like 'purge_%'")
        db.execute(
            "delete from compliance.purge_requests where purge_id not in (select purge_id from compliance.purge_log)"
        )
        for table in ("purge_approvals", "convention_log"):
            db.execute(f"alter table compliance.{table} enable trigger user")
        db.execute("delete from compliance.officers")
        for login in before:
            db.execute("insert into compliance.officers (login) values (%s)", (login,))


@pytest.fixture
def compliance() -> Iterator[psycopg.Connection]:
    with connect(COMPLIANCE_CONN_ID) as conn:
        yield conn


def plant(db: psycopg.Connection, *, days_ago: int = 1) -> None:
    """A current Cortège entry and quarantined record of the prefecture's agreement."""
    at = datetime.now(UTC) - timedelta(days=days_ago)
    db.execute("select raw.ensure_agreement_partition('cortege_entries', %s)", (PP,))
    db.execute(
        "insert into raw.cortege_entries (entry_id, entry_version, entry_type, updated_at, payload, payload_sha256,"
        " convention_id, batch_id, received_at) values (%s, 1, 'manifestation_statique', %s, %s, %s, %s, %s, %s)",
        (uuid.uuid4(), at, json.dumps({}), uuid.uuid4().hex, PP, uuid.uuid4(), at),
    )
    db.execute(
        "insert into quarantine.records (source, record_id, reason_code, reason_detail, payload_sha256,"
        " convention_id, batch_id, received_at) values ('cortege', 'r', 'schema_violation', 'd', %s, %s, %s, %s)",
        (uuid.uuid4().hex, PP, uuid.uuid4(), at),
    )


def ask(conn: psycopg.Connection, requested_by: str | None = "conformite1") -> int:
    return approvals.open_request(
        conn,
        convention_id=PP,
        confirm_convention_id=PP,
        reason="résiliation notifiée par la préfecture",
        requested_by=requested_by,
        dag_run_id=f"manual__{uuid.uuid4().hex[:6]}",
    )["purge_id"]


def test_the_compliance_role_cannot_write_an_approval_or_skip_a_state(
    db: psycopg.Connection, officers: None, compliance: psycopg.Connection
) -> None:
    purge_id = ask(compliance)
    for statement in (
        "update compliance.purge_requests set status = 'approved', approved_by = 'conformite2' where purge_id = %s",
        "insert into compliance.purge_approvals (purge_id, approved_by) values (%s, 'conformite2')",
        "delete from compliance.purge_requests where purge_id = %s",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            compliance.execute(statement, (purge_id,))
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        compliance.execute("insert into compliance.officers (login) values ('intrus')")
    # a request not approved cannot move to destruction, even through the function
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not approved"):
        approvals.mark(compliance, purge_id, "destroying")


def test_two_distinct_officers_neither_the_requester_approve(
    db: psycopg.Connection, officers: None, compliance: psycopg.Connection
) -> None:
    purge_id = ask(compliance, "conformite1")
    with pytest.raises(approvals.FourEyesError, match="cannot approve"):
        approvals.record_decision(compliance, purge_id, approved=True, decided_by="conformite1")
    with pytest.raises(approvals.FourEyesError, match="not a compliance officer"):
        approvals.record_decision(compliance, purge_id, approved=True, decided_by="analyste")
    assert (
        approvals.record_decision(compliance, purge_id, approved=True, decided_by="conformite2") == "awaiting_approval"
    )
    with pytest.raises(approvals.FourEyesError, match="already approved"):
        approvals.record_decision(compliance, purge_id, approved=True, decided_by="conformite2")
    assert approvals.record_decision(compliance, purge_id, approved=True, decided_by="conformite3") == "approved"
    row = db.execute(
        "select status, approved_by from compliance.purge_requests where purge_id = %s", (purge_id,)
    ).fetchone()
    assert row == ("approved", "conformite2, conformite3")


def test_an_automatic_request_also_needs_two_officers(
    db: psycopg.Connection, officers: None, compliance: psycopg.Connection
) -> None:
    purge_id = ask(compliance, None)
    assert (
        approvals.record_decision(compliance, purge_id, approved=True, decided_by="conformite1") == "awaiting_approval"
    )
    assert approvals.record_decision(compliance, purge_id, approved=True, decided_by="conformite2") == "approved"


def test_no_officer_registered_approves_nothing(db: psycopg.Connection, officers: None, compliance) -> None:
    db.execute("delete from compliance.officers")
    purge_id = ask(compliance)
    with pytest.raises(approvals.FourEyesError, match="not a compliance officer"):
        approvals.record_decision(compliance, purge_id, approved=True, decided_by="conformite2")


def test_an_agreements_current_data_goes_only_with_an_approved_purge(
    db: psycopg.Connection, officers: None, compliance: psycopg.Connection
) -> None:
    plant(db)
    partition = "cortege_entries__pp13_bdtp_2019"
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="approved purge"):
        compliance.execute("delete from quarantine.records where convention_id = %s", (PP,))
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="approved purge"):
        compliance.execute("delete from raw.cortege_entries where convention_id = %s", (PP,))
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="approved purge"):
        compliance.execute("select raw.drop_agreement_partition(%s)", (partition,))
    purge_id = ask(compliance)
    approvals.record_decision(compliance, purge_id, approved=True, decided_by="conformite2")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="approved purge"):
        compliance.execute("select raw.drop_agreement_partition(%s)", (partition,))  # one approval only
    approvals.record_decision(compliance, purge_id, approved=True, decided_by="conformite3")
    approvals.mark(compliance, purge_id, "destroying")
    assert compliance.execute("delete from quarantine.records where convention_id = %s", (PP,)).rowcount == 1
    compliance.execute("select raw.drop_agreement_partition(%s)", (partition,))
    assert db.execute("select count(*) from raw.cortege_entries where convention_id = %s", (PP,)).fetchone()[0] == 0
    # the other agreements stay guarded while this one is destroyed
    db.execute(
        "insert into quarantine.records (source, record_id, reason_code, reason_detail, payload_sha256,"
        " convention_id, batch_id, received_at) values ('travaux_voirie', 'r', 'schema_violation', 'd', %s, %s, %s,"
        " now())",
        (uuid.uuid4().hex, OPEN_DATA, uuid.uuid4()),
    )
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="approved purge"):
        compliance.execute("delete from quarantine.records where convention_id = %s", (OPEN_DATA,))


def test_retention_may_delete_what_is_past_its_retention_and_nothing_newer(
    db: psycopg.Connection, officers: None, compliance: psycopg.Connection
) -> None:
    plant(db, days_ago=400)
    assert compliance.execute("delete from quarantine.records where convention_id = %s", (PP,)).rowcount == 1
    plant(db, days_ago=1)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="approved purge"):
        compliance.execute("delete from quarantine.records where convention_id = %s", (PP,))


def test_a_request_refuses_what_the_form_got_wrong(db: psycopg.Connection, officers: None, compliance) -> None:
    with pytest.raises(ConventionError, match="does not match"):
        approvals.open_request(
            compliance,
            convention_id=PP,
            confirm_convention_id="PP13",
            reason="x" * 12,
            requested_by="a",
            dag_run_id=None,
        )
