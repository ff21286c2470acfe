"""The record hardening the gate runs first: unit tests (no database), then generated
entries thrown at the whole gate and landing, against the real warehouse."""

from __future__ import annotations

import copy
import math

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures import entries as fx
from tranquillite.core.settings import GateLimits
from tranquillite.ingestion.hardening import as_integers, flat_geometry, harden, not_after, typed_problem

LIMITS = GateLimits(max_text_chars=50, max_depth=5, max_array_items=4, max_object_keys=6)


def test_integral_floats_of_integer_fields_become_integers_and_others_stay() -> None:
    record = {"version": 2.0, "lon": 43.0, "a": {"n": 1.0}, "big": 1e20}
    out = as_integers(record, ["version", "a.n", "big", "missing.x"])
    assert out == {"version": 2, "lon": 43.0, "a": {"n": 1}, "big": 1e20}
    assert isinstance(out["version"], int) and isinstance(out["a"]["n"], int) and isinstance(out["lon"], float)
    assert record["version"] == 2.0 and isinstance(record["version"], float)  # the input is left as it was


def test_hostile_shapes_do_not_raise() -> None:
    assert flat_geometry({"type": ["Point"], "coordinates": [1, 2, 3]})["type"] == ["Point"]
    assert (
        flat_geometry({"type": "GeometryCollection", "geometries": [{"type": {}}, 3]})["type"] == "GeometryCollection"
    )
    assert typed_problem([1, 2], {"v": "integer"}) is None


@pytest.mark.parametrize(
    ("record", "code"),
    [
        ({"a": "x" * 51}, "too_large"),
        ({"a": list(range(5))}, "too_large"),
        ({f"k{i}": i for i in range(7)}, "too_large"),
        ({"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}}, "too_deep"),
        ({"a": math.inf}, "invalid_number"),
        ({"a": math.nan}, "invalid_number"),
    ],
)
def test_what_the_gate_cannot_read_whole_has_a_reason(record, code) -> None:
    out, problem = harden(record, frozenset(), LIMITS)
    assert out is None and problem.code == code


def test_a_reason_names_unknown_keys_by_their_hash_only() -> None:
    _, problem = harden({"dupont.jean": {"note": "x" * 51}}, frozenset({"note"}), LIMITS)
    assert "dupont" not in problem.detail and problem.detail.startswith("#")
    assert ".note:" in problem.detail


def test_nesting_far_past_the_interpreter_limit_is_judged_not_raised() -> None:
    node: object = 1
    for _ in range(100_000):
        node = [node]
    out, problem = harden(node, frozenset(), GateLimits())
    assert out is None and problem.code == "too_deep" and len(problem.detail) < 100


def test_integer_ranges_of_the_warehouse() -> None:
    kinds = {"v": "integer", "n": "bigint"}
    assert typed_problem({"v": 2**31 - 1, "n": 2**63 - 1}, kinds) is None
    assert typed_problem({"v": 2**31}, kinds).code == "out_of_range"
    assert typed_problem({"n": 2**63}, kinds).code == "out_of_range"
    assert typed_problem({"n": 1e20}, kinds).code == "out_of_range"
    assert typed_problem({"v": None, "n": None}, kinds) is None


def test_geometries_lose_their_elevation_and_rings_close() -> None:
    line = {"type": "LineString", "coordinates": [[1, 2, 3], [4, 5, 6, 7]]}
    assert flat_geometry(line)["coordinates"] == [[1, 2], [4, 5]]
    ring = [[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]]
    poly = flat_geometry({"type": "MultiPolygon", "coordinates": [[ring]]})
    assert poly["coordinates"] == [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]]
    closed = [[0, 0], [1, 0], [1, 1], [0, 0]]
    assert flat_geometry({"type": "Polygon", "coordinates": [closed]})["coordinates"] == [closed]
    assert flat_geometry({"type": "Point", "coordinates": [5.3, 43.2, 100]})["coordinates"] == [5.3, 43.2]


def test_the_clock_limit_never_trusts_a_server_ahead_of_ours() -> None:
    from datetime import UTC, datetime

    ahead = not_after("2999-01-01T00:00:00Z", GateLimits(clock_skew_minutes=0))
    assert ahead <= datetime.now(UTC)
    stale = not_after("1970-01-01T00:00:00Z", GateLimits(clock_skew_minutes=0))
    assert (datetime.now(UTC) - stale).total_seconds() <= 3601
    assert not_after("not a time", GateLimits()) > datetime.now(UTC)


# --- generated entries through the whole gate ----------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
FIELDS = ["version", "debut", "fin", "updated_at", "trace", "emprise", "nb_personnes_attendues", "objet", "etat", "x"]
BASES = [fx.march, fx.gathering, fx.operation, fx.visit]


@st.composite
def mutated_entries(draw) -> object:
    entry = draw(st.sampled_from(BASES))()
    for field in draw(st.lists(st.sampled_from(FIELDS), max_size=3)):
        entry[field] = draw(json_values)
    if draw(st.booleans()):
        entry["trace"] = {
            "type": "LineString",
            "coordinates": draw(st.lists(st.lists(st.floats(-180, 180), min_size=2, max_size=4), max_size=4)),
        }
    return draw(st.one_of(st.just(entry), json_values)) if draw(st.integers(0, 9)) == 0 else entry


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(mutated_entries(), min_size=1, max_size=6))
def test_generated_entries_never_break_the_gate_and_balance(db: psycopg.Connection, entries) -> None:
    from tranquillite.ingestion import landing
    from tranquillite.ingestion.gate import judge_entries

    batch = landing.Batch(db, "cortege", "PP13-BDTP-2019")
    with db.transaction():
        judged = judge_entries(db, copy.deepcopy(entries), not_after=not_after(None))
        counts = landing.land_cortege_page(batch, judged, landing.utcnow())
    assert len(judged) == len(entries)
    assert counts.received == counts.loaded + counts.quarantined == len(entries)
    # whatever landed can be read back by the warehouse's own casts
    db.execute(
        "select entry_version, updated_at, (payload ->> 'nb_personnes_attendues')::bigint,"
        " (payload ->> 'debut')::timestamptz, (payload ->> 'fin')::timestamptz from landing.cortege_entries"
        " where batch_id = %s",
        (batch.batch_id,),
    ).fetchall()
    db.execute("delete from landing.cortege_entries where batch_id = %s", (batch.batch_id,))
