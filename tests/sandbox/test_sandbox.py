"""The sandbox's generated content is realistic and within the contract."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from sandbox import gazetteer
from sandbox.generator import generate_histories
from tranquillite.ingestion.contract import check_entry

PARIS = ZoneInfo("Europe/Paris")


def test_generation_is_deterministic() -> None:
    assert generate_histories(count=30, seed=3) == generate_histories(count=30, seed=3)
    assert generate_histories(count=30, seed=3) != generate_histories(count=30, seed=4)


def test_every_version_meets_the_contract() -> None:
    histories = generate_histories(count=240, seed=13)
    for versions in histories:
        for entry in versions:
            assert check_entry(entry) == [], entry["id"]
        assert [v["version"] for v in versions] == list(range(1, len(versions) + 1))
        assert len({v["id"] for v in versions}) == 1
        assert [v["updated_at"] for v in versions] == sorted(v["updated_at"] for v in versions)


def test_content_has_the_variety_the_pipeline_must_handle() -> None:
    histories = generate_histories(count=240, seed=13)
    latest = [v[-1] for v in histories]
    assert set(Counter(e["type"] for e in latest)) == {
        "manifestation_deambulatoire",
        "manifestation_statique",
        "operation_programmee",
        "visite_officielle",
    }
    assert any(e["etat"] == "annulee" for e in latest)
    assert any(len(v) > 1 for v in histories)
    marches = [e for e in latest if e["type"] == "manifestation_deambulatoire"]
    assert any(e["trace"] is None for e in marches) and any(e["trace"] for e in marches)
    assert any(e["adresse_depart"]["lon"] is None for e in marches)


def test_times_are_paris_local_across_dst() -> None:
    latest = [v[-1] for v in generate_histories(count=240, seed=13)]
    offsets = {e["debut"][-6:] for e in latest}
    assert offsets == {"+01:00", "+02:00"}
    for e in latest:
        debut = datetime.fromisoformat(e["debut"])
        assert debut.utcoffset() == debut.astimezone(PARIS).utcoffset()
    # some events straddle a DST change
    assert any(e["debut"][-6:] != e["fin"][-6:] for e in latest)


def test_gazetteer_points_are_in_marseille() -> None:
    for label, lon, lat in gazetteer.PLACES.values():
        assert "Marseille" in label
        assert 5.28 < lon < 5.55 and 43.19 < lat < 43.40
    for _, waypoints in gazetteer.STREETS.values():
        assert len(waypoints) >= 2


def test_live_edits_make_a_new_version_now() -> None:
    import random
    from datetime import UTC

    from sandbox.cortege_server import SandboxState

    entries = [v[-1] for v in generate_histories(count=5, seed=1)]
    state = SandboxState(entries, "t")
    before = {e["id"]: e["version"] for e in entries}
    state.edit_one(random.Random(0))
    edited = [e for e in state.entries.values() if e["version"] != before[e["id"]]]
    assert len(edited) == 1 and edited[0]["version"] > before[edited[0]["id"]]
    # a later edit, even by a restarted sandbox, never reuses a version
    again = SandboxState([v[-1] for v in generate_histories(count=5, seed=1)], "t")
    again.edit_one(random.Random(0))
    assert [e["version"] for e in again.entries.values() if e["id"] == edited[0]["id"]][0] >= edited[0]["version"]
    assert check_entry(edited[0]) == []
    assert (datetime.now(UTC) - datetime.fromisoformat(edited[0]["updated_at"])).total_seconds() < 5
    # it is served last, being the latest update
    assert state.order[-1][1] == edited[0]["id"]
