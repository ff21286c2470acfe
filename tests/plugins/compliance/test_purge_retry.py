"""A purge retried after a failure verifies against the samples its first attempt took before
destroying anything (issue 18, fault 5): the retry finds what the first attempt left, and a
purge whose samples are gone cannot certify."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg.types.json import Jsonb

from tests.fixtures.compliance import clear_purges
from tranquillite.compliance import approvals, purge
from tranquillite.core.settings import COMPLIANCE_CONN_ID
from tranquillite.warehouse import connect

OPEN_DATA = "LO2-OPENDATA-VDM"
OWN = "Fête du quartier des Chartreux, esplanade nord"


@pytest.fixture
def isolated(purge_places: Path) -> Path:
    return purge_places


@pytest.fixture
def approved(db: psycopg.Connection, isolated: Path) -> Iterator[int]:
    """The open-data agreement's records, and its purge approved by two officers."""
    db.execute("select raw.ensure_agreement_partition('feed_records', %s)", (OPEN_DATA,))
    for i in range(3):
        payload = {"id_evenement": f"OD-{i}", "titre": f"{OWN} {i}"}
        sha = hashlib.sha256(json.dumps(payload).encode()).hexdigest()
        db.execute(
            "insert into raw.feed_records (convention_id, source, record_id, payload_sha256, payload, batch_id,"
            " received_at, last_seen_at) values (%s, 'evenements_espace_public', %s, %s, %s, %s, now(), now())",
            (OPEN_DATA, f"OD-2026-00000{i}", sha, Jsonb(payload), uuid.uuid4()),
        )
    with connect(COMPLIANCE_CONN_ID) as conn:
        purge_id = approvals.open_request(
            conn,
            convention_id=OPEN_DATA,
            confirm_convention_id=OPEN_DATA,
            reason="fin de la licence ouverte",
            requested_by="conformite1",
            dag_run_id="manual__retry",
        )["purge_id"]
        approvals.record_decision(conn, purge_id, approved=True, decided_by="conformite2")
        approvals.record_decision(conn, purge_id, approved=True, decided_by="conformite3")
        approvals.mark(conn, purge_id, "destroying")
    yield purge_id
    clear_purges(db)


def test_a_retry_verifies_against_the_first_attempts_samples(
    db: psycopg.Connection, approved: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(tables):  # the first attempt dies after the warehouse deletion
        raise RuntimeError("vacuum interrupted")

    with connect(COMPLIANCE_CONN_ID) as conn:
        with monkeypatch.context() as m:
            m.setattr(purge, "vacuum", crash)
            with pytest.raises(RuntimeError):
                purge.purge(conn, OPEN_DATA, purge_id=approved, rebuild=False)
        assert (
            db.execute("select count(*) from raw.feed_records where convention_id = %s", (OPEN_DATA,)).fetchone()[0]
            == 0
        )
        # what the first attempt left behind: a copy of a record's text in a table
        db.execute("insert into ops.alerts (kind, source, detail) values ('note', 'analyst', %s)", (f"{OWN} 1",))
        retried = purge.purge(conn, OPEN_DATA, purge_id=approved, rebuild=False)
    failed = {(c.place, c.check) for c in retried.checks if not c.passed}
    assert ("ops.alerts.detail", "sample values") in failed, "the retry did not look for what the first attempt saw"
    db.execute("delete from ops.alerts where source = 'analyst'")
    with connect(COMPLIANCE_CONN_ID) as conn:
        again = purge.purge(conn, OPEN_DATA, purge_id=approved, rebuild=False)
    assert again.passed, [c for c in again.checks if not c.passed]
    assert again.scope["verification_samples"] == retried.scope["verification_samples"] > 0


@pytest.mark.parametrize(
    "phase",
    [
        "destroy_warehouse",
        "vacuum",
        "destroy_gx",
        "destroy_landing_files",
        "destroy_xcoms",
        "destroy_task_logs",
        "verify",
    ],
)
def test_a_failure_in_any_phase_then_a_retry_is_verified_against_the_same_samples(
    db: psycopg.Connection, approved: int, monkeypatch: pytest.MonkeyPatch, phase: str
) -> None:
    def crash(*args, **kwargs):
        raise RuntimeError(f"{phase} interrupted")

    with connect(COMPLIANCE_CONN_ID) as conn:
        with monkeypatch.context() as m:
            m.setattr(purge, phase, crash)
            with pytest.raises(RuntimeError, match="interrupted"):
                purge.purge(conn, OPEN_DATA, purge_id=approved, rebuild=False)
        taken = db.execute("select samples from compliance.purge_sampling where purge_id = %s", (approved,))
        (samples,) = taken.fetchone()
        retried = purge.purge(conn, OPEN_DATA, purge_id=approved, rebuild=False)
    assert retried.passed, [c for c in retried.checks if not c.passed]
    assert retried.scope["verification_samples"] == samples > 0
    assert db.execute("select count(*) from raw.feed_records where convention_id = %s", (OPEN_DATA,)).fetchone()[0] == 0


def test_once_discarded_the_samples_cannot_vouch_for_a_later_attempt(db: psycopg.Connection, approved: int) -> None:
    with connect(COMPLIANCE_CONN_ID) as conn:
        first = purge.purge(conn, OPEN_DATA, purge_id=approved, rebuild=False)
        assert first.passed, [c for c in first.checks if not c.passed]
        purge.discard_samples(conn, approved)
        assert db.execute("select count(*) from compliance.purge_samples").fetchone()[0] == 0
        later = purge.purge(conn, OPEN_DATA, purge_id=approved, rebuild=False)
    failed = [c for c in later.checks if not c.passed]
    assert [(c.place, c.check) for c in failed] == [("warehouse", "verification samples")], failed
    assert "taken before the destruction" in failed[0].detail


def test_the_preview_counts_what_the_purge_then_destroys_and_changes_nothing(
    db: psycopg.Connection, approved: int, isolated: Path
) -> None:
    logs = isolated / "logs" / "dag_id=evenements_espace_public_ingest" / "run_id=r" / "task_id=t"
    logs.mkdir(parents=True)
    (logs / "attempt=1.log").write_text("counts only\n")
    with connect(COMPLIANCE_CONN_ID) as conn:
        view = purge.preview(conn, OPEN_DATA)
        assert purge.preview(conn, OPEN_DATA) == view, "a preview changes nothing"
        outcome = purge.purge(conn, OPEN_DATA, purge_id=approved, rebuild=False)
    assert view["tables"]["raw.feed_records"] == 3
    assert view["files"] == {str(isolated / "logs" / "dag_id=evenements_espace_public_ingest"): 1}
    dropped = sum(d.rows for d in outcome.destroyed if d.method == "partition dropped")
    assert dropped == view["tables"]["raw.feed_records"]
    text = purge.preview_markdown(view)
    assert "| `raw.feed_records` | 3 |" in text and OWN not in text
