"""The agreements' calendar (compliance.convention_dates), the registry and the daily pass."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from tranquillite.compliance import conventions as conv
from tranquillite.compliance import daily


def dates(db: psycopg.Connection, as_of: str, **fields) -> dict:
    spec = {
        "notified_on": "2020-02-29",
        "term_months": 12,
        "tacit_renewal": True,
        "cap_months": 48,
        "notice_months": 2,
        "destruction_days": 15,
        "termination_notice_on": None,
        **fields,
    }
    with db.transaction(force_rollback=True):
        db.execute(
            "insert into compliance.conventions (convention_id, partner, object, notified_on, term_months,"
            " tacit_renewal, cap_months, notice_months, destruction_days, termination_notice_on)"
            " values ('TEST-DATES', 'p', 'o', %(notified_on)s, %(term_months)s, %(tacit_renewal)s, %(cap_months)s,"
            " %(notice_months)s, %(destruction_days)s, %(termination_notice_on)s)",
            spec,
        )
        return conv.calendar(db, "TEST-DATES", date.fromisoformat(as_of))


def test_leap_day_terms_come_back_to_29_february_and_the_cap_is_four_years(db) -> None:
    first = dates(db, "2020-06-01")
    assert (first["term_number"], first["term_end"], first["next_renewal"]) == (1, date(2021, 2, 28), date(2021, 2, 28))
    # months are added to the notification date each time: no drift to the 28th
    third = dates(db, "2023-01-10")
    assert (third["term_number"], third["term_start"], third["term_end"]) == (3, date(2022, 2, 28), date(2023, 2, 28))
    last = dates(db, "2023-03-01")
    assert last["term_number"] == 4 and last["terms_allowed"] == 4
    assert last["next_renewal"] is None, "no renewal past the cap"
    assert last["final_end"] == date(2024, 2, 29) == last["effective_end"]
    assert last["destruction_deadline"] == date(2024, 3, 15)
    assert dates(db, "2024-02-28")["in_force"] and not dates(db, "2024-02-29")["in_force"]


def test_notice_takes_effect_after_two_months_and_the_deadline_is_15_days_later(db) -> None:
    d = dates(db, "2026-12-01", notified_on="2026-03-02", termination_notice_on="2026-11-22")
    assert d["effective_termination"] == date(2027, 1, 22)
    assert d["destruction_deadline"] == date(2027, 2, 6)
    assert d["next_renewal"] is None, "the agreement ends before its anniversary: no renewal"
    # a notice two weeks before the anniversary: renewed, then ends during the new term
    late = dates(db, "2027-02-20", notified_on="2026-03-02", termination_notice_on="2027-02-15")
    assert late["next_renewal"] == date(2027, 3, 2)
    assert late["effective_termination"] == date(2027, 4, 15)


def test_a_notice_in_the_last_term_cannot_outlive_the_cap(db) -> None:
    d = dates(db, "2024-01-10", termination_notice_on="2024-01-10")
    assert d["final_end"] == date(2024, 2, 29)
    assert d["effective_termination"] == date(2024, 2, 29), "the cap comes before the end of the notice"
    assert d["destruction_deadline"] == date(2024, 3, 15)


def test_no_tacit_renewal_and_open_ended_agreements(db) -> None:
    once = dates(db, "2020-06-01", tacit_renewal=False)
    assert once["terms_allowed"] == 1 and once["final_end"] == date(2021, 2, 28) and once["next_renewal"] is None
    open_ended = dates(db, "2030-01-01", term_months=None, cap_months=None, notice_months=0)
    assert open_ended["in_force"] and open_ended["final_end"] is None and open_ended["destruction_deadline"] is None
    noticed = dates(
        db, "2030-01-01", term_months=None, cap_months=None, notice_months=0, termination_notice_on="2029-12-31"
    )
    assert not noticed["in_force"] and noticed["destruction_deadline"] == date(2030, 1, 15)


@pytest.fixture
def agreement(db):
    """A registered agreement covering no real source, removed afterwards."""
    db.execute(
        "insert into compliance.conventions (convention_id, partner, object, sources, notified_on, term_months,"
        " cap_months) values ('TEST-CAL', 'Partenaire', 'Objet', '{cortege}', %s, 12, 48)",
        (date(2026, 3, 2),),
    )
    yield "TEST-CAL"
    with db.transaction():
        db.execute("alter table compliance.convention_log disable trigger convention_log_append_only")
        db.execute("delete from compliance.convention_log where convention_id = 'TEST-CAL'")
        db.execute("alter table compliance.convention_log enable trigger convention_log_append_only")
        for table in ("notifications", "subcontractor_extracts", "conventions"):
            db.execute(f"delete from compliance.{table} where convention_id = 'TEST-CAL'")


def test_notices_90_60_30_days_before_the_renewal_each_once(db, agreement, monkeypatch) -> None:
    renewal = date(2027, 3, 2)
    assert not [n for n in daily.due_notices(db, date(2026, 11, 1)) if n.convention_id == agreement]
    due = [n for n in daily.due_notices(db, date(2026, 12, 2)) if n.convention_id == agreement]
    assert [(n.kind, n.milestone, n.days_before) for n in due] == [("renewal", renewal, 90)]
    db.execute(
        "insert into compliance.notifications (convention_id, kind, milestone, days_before, subject)"
        " values (%s, 'renewal', %s, 90, 's')",
        (agreement, renewal),
    )
    assert not [n for n in daily.due_notices(db, date(2026, 12, 20)) if n.convention_id == agreement]
    due = [n for n in daily.due_notices(db, date(2027, 2, 1)) if n.convention_id == agreement]
    assert [(n.kind, n.days_before) for n in due] == [("renewal", 30)]


def test_termination_ends_ingestion_and_the_purge_starts_two_days_before_the_deadline(db, agreement) -> None:
    dates_ = conv.record_termination_notice(
        db, agreement, notice_on=date(2026, 11, 22), given_by="partner", reason="fin", actor="conformite1"
    )
    assert dates_["effective_end"] == date(2027, 1, 22)
    with pytest.raises(conv.ConventionError, match="already recorded"):
        conv.record_termination_notice(
            db, agreement, notice_on=date(2026, 11, 23), given_by="city", reason="x", actor=None
        )
    conv.assert_ingestion_allowed(db, "cortege", agreement)  # still in force today
    assert daily.close_ended(db, date(2027, 1, 21)) == []
    assert agreement in daily.close_ended(db, date(2027, 1, 22))
    with pytest.raises(conv.IngestionRefusedError, match="not in force"):
        conv.assert_ingestion_allowed(db, "cortege", agreement)
    assert not [p for p in daily.purges_due(db, date(2027, 2, 3)) if p["convention_id"] == agreement]
    due = [p for p in daily.purges_due(db, date(2027, 2, 4)) if p["convention_id"] == agreement]
    assert due and due[0]["confirm_convention_id"] == agreement and due[0]["origin"] == "automatic"


def test_subcontractor_extract_waits_for_its_attestation(db, agreement) -> None:
    extract = conv.record_extract(
        db,
        agreement,
        subcontractor="Bureau d'études",
        purpose="étude",
        content="marts, 2026",
        extracted_on=date(2026, 6, 1),
        actor="conformite1",
    )
    pending = db.execute("select extract_id from compliance.pending_attestations").fetchall()
    assert (extract,) in pending
    report = {r["convention_id"]: r for r in daily.report(db)}
    assert report[agreement]["extracts_without_attestation"] == 1
    with pytest.raises(conv.ConventionError, match="before it was made"):
        conv.record_attestation(db, extract, attested_on=date(2026, 5, 1), attestation_ref="PV-1", actor=None)
    conv.record_attestation(db, extract, attested_on=date(2026, 7, 1), attestation_ref="PV-1", actor="conformite2")
    assert {r["convention_id"]: r for r in daily.report(db)}[agreement]["extracts_without_attestation"] == 0


def test_the_log_is_append_only(db, agreement) -> None:
    conv.record_extract(
        db, agreement, subcontractor="s", purpose="p", content="c", extracted_on=date(2026, 6, 1), actor=None
    )
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        db.execute("delete from compliance.convention_log where convention_id = %s", (agreement,))


# ------------------------------------------------------------------ one home: conventions.yml


def test_every_source_takes_its_agreement_and_retention_from_conventions_yml() -> None:
    import yaml

    from tranquillite.sources.feeds.registry import FEEDS

    data = yaml.safe_load(conv.CONVENTIONS_FILE.read_text(encoding="utf-8"))
    written = {
        source: (item["convention_id"], spec["retention_days"])
        for item in data["conventions"]
        for source, spec in item["sources"].items()
    }
    terms = conv.source_terms()
    assert set(terms) == {"cortege", *FEEDS} == set(written)
    assert {s: (t.convention_id, t.retention_days) for s, t in terms.items()} == written
    # nowhere else: neither a feed's YAML nor the settings say it
    assert not any("agreement" in spec for spec in FEEDS.values())
    from tranquillite.core.settings import CORTEGE

    assert not hasattr(CORTEGE, "convention_id") and not hasattr(CORTEGE, "retention_days")


def _conventions_without(tmp_path, monkeypatch, edit) -> None:
    import yaml

    data = yaml.safe_load(conv.CONVENTIONS_FILE.read_text(encoding="utf-8"))
    edit(data["conventions"])
    path = tmp_path / "conventions.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(conv, "CONVENTIONS_FILE", path)


def _drop(source):
    def edit(items):
        for item in items:
            item["sources"].pop(source, None)

    return edit


def _twice(items):
    items[1]["sources"]["cortege"] = {"retention_days": 30}


def _unknown(items):
    items[0]["sources"]["cortge"] = {"retention_days": 30}


def _no_days(items):
    items[2]["sources"]["interventions_police_municipale"] = {"retention_days": 0}


def _bare_number(items):
    items[0]["sources"]["cortege"] = 30


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_drop("cortege"), "no agreement covers cortege"),
        (_drop("travaux_voirie"), "no agreement covers travaux_voirie"),
        (_twice, "cortege is under two agreements"),
        (_unknown, "cortge: not a source of the platform"),
        (_no_days, "retention_days must be"),
        (_bare_number, "retention_days must be"),
    ],
)
def test_the_set_up_fails_when_a_source_has_no_single_agreement(db, tmp_path, monkeypatch, edit, message) -> None:
    """Seeding (the set-up's step) refuses before it writes anything, and so does every
    ingestion that asks which agreement covers its source."""
    _conventions_without(tmp_path, monkeypatch, edit)
    before = db.execute("select count(*) from compliance.convention_log").fetchone()
    with pytest.raises(conv.ConventionError, match=message):
        conv.seed(db)
    with pytest.raises(conv.ConventionError, match=message):
        conv.agreement_of("cortege")
    assert db.execute("select count(*) from compliance.convention_log").fetchone() == before


def test_the_warehouse_follows_the_file_for_the_sources_a_purge_destroys(db, tmp_path, monkeypatch) -> None:
    """A source added to an agreement in conventions.yml reaches compliance.conventions at the next
    set-up (the purge reads the warehouse's copy); the registry form cannot say otherwise."""
    before = db.execute("select sources from compliance.conventions where convention_id = 'LO2-OPENDATA-VDM'")
    (sources_before,) = before.fetchone()
    try:
        db.execute(
            "update compliance.conventions set sources = '{evenements_espace_public}'"
            " where convention_id = 'LO2-OPENDATA-VDM'"
        )
        conv.seed(db)
        after = db.execute("select sources from compliance.conventions where convention_id = 'LO2-OPENDATA-VDM'")
        assert sorted(after.fetchone()[0]) == ["evenements_espace_public", "travaux_voirie"]
        spec = {
            "convention_id": "LO2-OPENDATA-VDM",
            "partner": "p",
            "object": "o",
            "sources": ["evenements_espace_public", "travaux_voirie", "cortege"],
        }
        with pytest.raises(conv.ConventionError, match="conventions.yml"):
            conv.register(db, spec, actor="conformite1")
    finally:
        db.execute(
            "update compliance.conventions set sources = %s where convention_id = 'LO2-OPENDATA-VDM'",
            (sources_before,),
        )
