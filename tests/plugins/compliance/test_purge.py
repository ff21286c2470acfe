"""A purge end to end on a warehouse holding three agreements' data: the prefecture's is
destroyed everywhere, the others are byte for byte what they were, the verification
finds planted residue, and the certificate says what was done and by whom."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date
from pathlib import Path

import psycopg
import pytest

from sandbox import feeds_generator as gen
from tests.conftest import MunicipalSandbox, Sandbox
from tests.fixtures.compliance import clear_purges
from tranquillite.compliance import approvals, certificate, conventions, purge
from tranquillite.ingestion import governance
from tranquillite.sources.cortege.ingest import ingest_cortege
from tranquillite.sources.feeds.ingest import ingest_feed

pytestmark = pytest.mark.slow
PP = "PP13-BDTP-2019"

OTHERS = {
    "raw.feed_records": "select md5(string_agg(t::text, '|' order by source, record_id, payload_sha256))"
    " from raw.feed_records t",
    "marts.fct_events": "select md5(string_agg(t::text, '|' order by event_id)) from marts.fct_events t"
    " where convention_id <> %(c)s",
    "marts.fct_zone_activity": "select md5(string_agg(t::text, '|' order by t::text)) from marts.fct_zone_activity t"
    " where convention_id <> %(c)s",
    "marts.fct_event_conflicts": "select md5(string_agg(t::text, '|' order by t::text))"
    " from marts.fct_event_conflicts t where convention_id_a <> %(c)s and convention_id_b <> %(c)s",
    "quarantine.records": "select md5(string_agg(t::text, '|' order by quarantine_id)) from quarantine.records t"
    " where convention_id <> %(c)s",
}


def checksums(db: psycopg.Connection) -> dict[str, str]:
    return {name: db.execute(query, {"c": PP}).fetchone()[0] or "empty" for name, query in OTHERS.items()}


@pytest.fixture
def isolated(purge_places):
    return purge_places


@pytest.fixture
def restore_agreements(db):
    yield
    clear_purges(db)


def test_purge_of_one_agreement_leaves_the_others_intact(
    db, sandbox: Sandbox, municipal: MunicipalSandbox, isolated, restore_agreements
) -> None:
    municipal.post("/_sandbox/records", {"records": gen.ods_records(20)})
    pm_file = municipal.folder / "interventions_20261104.csv"
    pm_file.write_bytes(gen.pm_csv(date(2026, 11, 4), 10))
    ingest_cortege()
    for source in ("evenements_espace_public", "interventions_police_municipale", "travaux_voirie"):
        ingest_feed(source)
    purge.rebuild_marts()
    held = db.execute("select count(*) from raw.cortege_entries").fetchone()[0]
    assert (
        held > 0 and db.execute("select count(*) from marts.fct_events where convention_id = %s", (PP,)).fetchone()[0]
    )
    (isolated / "logs" / "dag_id=cortege_ingest").mkdir(parents=True)
    (isolated / "logs" / "dag_id=cortege_ingest" / "attempt=1.log").write_text("counts only\n")
    # the DPO's append-only trail of a change seen at Cortège's gate: names a field, kept by the purge
    governance.record_drift(db, "cortege", ["field:manifestation_deambulatoire.service_communication"])
    before = checksums(db)
    assert "empty" not in (before["raw.feed_records"], before["marts.fct_events"], before["marts.fct_zone_activity"])

    # the four-eyes rule: the requester cannot approve, two other officers must
    req = approvals.open_request(
        db,
        convention_id=PP,
        confirm_convention_id=PP,
        reason="résiliation notifiée par la préfecture",
        requested_by="conformite1",
        dag_run_id="manual__test",
    )
    with pytest.raises(conventions.ConventionError, match="does not match"):
        approvals.open_request(
            db,
            convention_id=PP,
            confirm_convention_id="PP13",
            reason="x" * 12,
            requested_by="conformite1",
            dag_run_id=None,
        )
    with pytest.raises(approvals.FourEyesError, match="cannot approve"):
        approvals.record_decision(db, req["purge_id"], approved=True, decided_by="conformite1")
    with pytest.raises(approvals.FourEyesError, match="not a compliance officer"):
        approvals.record_decision(db, req["purge_id"], approved=True, decided_by="analyst")
    assert approvals.approvers_for("conformite1") == ["conformite2", "conformite3"]
    assert approvals.record_decision(db, req["purge_id"], approved=True, decided_by="conformite2") == (
        "awaiting_approval"
    )
    assert approvals.approvers_for("conformite1", already=["conformite2"]) == ["conformite3"]
    assert approvals.record_decision(db, req["purge_id"], approved=True, decided_by="conformite3") == "approved"
    approvals.mark(db, req["purge_id"], "destroying")
    extract = conventions.record_extract(
        db,
        PP,
        subcontractor="Bureau d'études",
        purpose="étude des cortèges",
        content="fct_events 2026",
        extracted_on=date(2026, 9, 1),
        actor="conformite1",
    )

    scope = purge.plan_scope(db, PP)  # the test's own samples, to plant residue afterwards
    assert scope.samples and scope.batch_ids
    outcome = purge.purge(db, PP)
    failed = [c for c in outcome.checks if not c.passed]
    assert outcome.passed, failed

    dropped = [d for d in outcome.destroyed if d.method == "partition dropped"]
    assert [(d.place, d.rows) for d in dropped] == [("raw.cortege_entries__pp13_bdtp_2019", held)]
    assert outcome.deletion_seconds < 30
    # each phase timed, for an officer waiting on a large purge: the deletion is one of them
    assert list(outcome.as_dict()["phases"]) == [
        "scope and samples",
        "warehouse deletion",
        "vacuum, GX, landing files, XComs",
        "rebuild and map",
        "task logs and verification",
    ]
    assert outcome.phases["warehouse deletion"] == outcome.deletion_seconds
    assert db.execute("select count(*) from raw.cortege_entries").fetchone()[0] == 0
    assert db.execute("select count(*) from marts.fct_events where source = 'cortege'").fetchone()[0] == 0
    assert (
        db.execute("select status from compliance.conventions where convention_id = %s", (PP,)).fetchone()[0]
        == "purged"
    )
    assert not (isolated / "logs" / "dag_id=cortege_ingest").exists()
    assert db.execute("select count(*) from governance.schema_change_log").fetchone()[0] >= 1
    assert checksums(db) == before, "the other agreements' data changed"
    with pytest.raises(conventions.IngestionRefusedError):
        ingest_cortege()

    # the certificate: JSON and PDF, hashed, in the append-only log, without a value of the data
    approvals.mark(db, req["purge_id"], "destroyed")
    issued = certificate.issue(db, req["purge_id"], outcome.as_dict())
    body = Path(issued["json"]).read_bytes()
    assert hashlib.sha256(body).hexdigest() == issued["certificate_sha256"]
    doc = json.loads(body)
    assert doc["request"]["requested_by"] == "conformite1"
    assert doc["request"]["approved_by"] == "conformite2, conformite3"
    assert doc["verification"]["passed"] is True and doc["within_deadline"] is True
    assert {"place": "raw.cortege_entries__pp13_bdtp_2019", "rows": held}.items() <= next(
        d for d in doc["destroyed"] if d["method"] == "partition dropped"
    ).items()
    assert [x["extract_id"] for x in doc["subcontractor_extracts"] if x["destruction_attested_on"] is None] == [extract]
    assert not any(s in body.decode() for s in scope.samples), "the certificate holds a value of the data"
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(issued["pdf"]).read_bytes())).pages)
    for expected in (PP, "conformite1", "conformite2", "conformite3", "RÉUSSIE", issued["certificate_sha256"][:16]):
        assert expected in text, expected
    row = db.execute(
        "select certificate_sha256, pdf_sha256, verification_passed from compliance.purge_log where purge_id = %s",
        (req["purge_id"],),
    ).fetchone()
    assert row == (issued["certificate_sha256"], issued["pdf_sha256"], True)
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        db.execute("update compliance.purge_log set reason = 'x' where purge_id = %s", (req["purge_id"],))

    # planted residue: a copy left in a table and in a written file fails the verification loudly
    sample = next(s for s in scope.samples if len(s) >= 16)
    db.execute("insert into ops.alerts (kind, source, detail) values ('note', 'analyst', %s)", (f"copie {sample}",))
    (isolated / "map").mkdir(exist_ok=True)
    (isolated / "map" / "export.csv").write_text(f"id\n{sample}\n")
    checks = purge.verify(db, scope)
    failed = {(c.place, c.check) for c in checks if not c.passed}
    assert ("ops.alerts.detail", "sample values") in failed
    assert (str(isolated / "map" / "export.csv"), "sample values") in failed
    db.execute("delete from ops.alerts where source = 'analyst'")

    # a table nobody reviewed stops a purge before anything is deleted
    db.execute("create table public.stray_copy (note text)")
    try:
        with pytest.raises(purge.PurgeError, match="public.stray_copy has no convention_id column"):
            purge.destroy_warehouse(db, purge.plan_scope(db, "LO2-OPENDATA-VDM"))
        assert checksums(db) == before
    finally:
        db.execute("drop table public.stray_copy")
