"""The tension marts' SQL on hand-made inputs: Gi* against PySAL's esda, the
emerging-pattern classes, and the conflicts between events.

The SQL is the dbt project's own macros (the marts call the same ones), compiled
once and run on scratch tables in the test warehouse.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np
import psycopg
import pytest
from scipy import stats as scipy_stats

pytestmark = pytest.mark.slow

EXCLUDED_SOURCES = ["interventions_police_municipale"]


@pytest.fixture(scope="module")
def macros(warehouse_url: str) -> dict[str, str]:
    from tranquillite.core.dbt_cli import compile_macros

    return compile_macros(
        {
            "pairs": "{{ distance_band_pairs('scratch.zones', 'scratch.threshold()') }}",
            "gi": "{{ getis_ord_gi_star('scratch.activity', 'scratch.pairs') }}",
            "patterns": "{{ emerging_patterns('scratch.gi', \"'2026-03-23'\", 12, 0.05) }}",
            "conflicts": "{{ event_conflicts('scratch.events', 60, 200, " + repr(EXCLUDED_SOURCES) + ") }}",
        }
    )


@pytest.fixture
def scratch(warehouse_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute("drop schema if exists scratch cascade")
        conn.execute("create schema scratch")
        yield conn
        conn.execute("drop schema if exists scratch cascade")


def gi_in_warehouse(
    conn: psycopg.Connection, macros: dict, points: np.ndarray, values: np.ndarray, threshold: float
) -> list[dict]:
    """Gi* of each period (a row of `values`) over the points, as the marts compute it."""
    conn.execute(f"create or replace function scratch.threshold() returns float8 language sql as 'select {threshold}'")
    conn.execute("create table scratch.zones (zone_id text primary key, centroid_2154 geometry(point, 2154))")
    with conn.cursor() as cur:
        cur.executemany(
            "insert into scratch.zones values (%s, st_setsrid(st_makepoint(%s, %s), 2154))",
            [(f"z{i:04d}", float(x), float(y)) for i, (x, y) in enumerate(points)],
        )
    conn.execute("create table scratch.activity (zone_id text, period_kind text, period_start date, activity float8)")
    with conn.cursor() as cur:
        cur.executemany(
            "insert into scratch.activity values (%s, 'week', %s, %s)",
            [
                (f"z{i:04d}", date(2026, 1, 5) + timedelta(weeks=t), float(v))
                for t, row in enumerate(values)
                for i, v in enumerate(row)
            ],
        )
    conn.execute(f"create table scratch.pairs as {macros['pairs']}")
    cur = conn.execute(f"select * from ({macros['gi']}) as gi order by period_start, zone_id")
    names = [d.name for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def esda_z(points: np.ndarray, y: np.ndarray, threshold: float) -> np.ndarray:
    from esda.getisord import G_Local
    from libpysal.weights import DistanceBand

    w = DistanceBand(points, threshold=threshold, binary=True, silence_warnings=True)
    return G_Local(y, w, transform="B", star=True, permutations=0).Zs


def assert_matches_esda(rows: list[dict], points: np.ndarray, values: np.ndarray, threshold: float) -> int:
    n = len(points)
    compared = 0
    for t, y in enumerate(values):
        period = rows[t * n : (t + 1) * n]
        ours = np.array([np.nan if r["z_score"] is None else r["z_score"] for r in period])
        theirs = esda_z(points, y, threshold)
        defined = np.isfinite(theirs)
        # the warehouse leaves z undefined exactly where esda divides by zero
        assert np.array_equal(np.isfinite(ours), defined), f"period {t}: undefined z-scores differ"
        np.testing.assert_allclose(ours[defined], theirs[defined], rtol=0, atol=1e-9)
        compared += int(defined.sum())
    return compared


def test_gi_star_equals_esda_on_its_documentation_example(scratch, macros) -> None:
    points = np.array([(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)], dtype=float)
    y = np.array([[2, 3, 3.2, 5, 8, 7]])
    rows = gi_in_warehouse(scratch, macros, points, y, 15)
    assert assert_matches_esda(rows, points, y, 15) == 6
    # the row carries its inputs: the zone's value and the distance band
    assert [r["activity"] for r in rows] == [2, 3, 3.2, 5, 8, 7]
    assert {r["threshold_m"] for r in rows} == {15}


@pytest.mark.parametrize(
    ("shape", "threshold"),
    [("hexagonal_lattice", 450.0), ("random_points_with_an_island", 1200.0), ("square_lattice", 1.5)],
)
def test_gi_star_equals_esda_on_several_grids(scratch, macros, shape: str, threshold: float) -> None:
    rng = np.random.default_rng(5)
    if shape == "hexagonal_lattice":
        # centroids of 250 m hexagons: 433 m apart, as dim_zones lays them out
        points = np.array(
            [(i * 375.0, j * 433.0127 + (216.5064 if i % 2 else 0)) for i in range(14) for j in range(12)]
        )
    elif shape == "random_points_with_an_island":
        points = np.vstack([rng.uniform(0, 8000, size=(150, 2)), [[50_000.0, 50_000.0]]])
    else:
        points = np.array([(i, j) for i in range(15) for j in range(15)], dtype=float)
    periods = [
        rng.poisson(2, len(points)).astype(float),
        # a cluster of activity in one corner
        np.where(points.sum(axis=1) < np.percentile(points.sum(axis=1), 15), 12.0, 1.0) + rng.poisson(1, len(points)),
        rng.gamma(2, 3, len(points)),
        np.zeros(len(points)),  # nothing happened anywhere: no z-score at all
    ]
    values = np.array(periods)
    rows = gi_in_warehouse(scratch, macros, points, values, threshold)
    compared = assert_matches_esda(rows, points, values, threshold)
    assert compared >= 3 * len(points) - 3
    last = rows[-len(points) :]
    assert all(r["z_score"] is None and r["tension_class"] == "not_significant" for r in last)


def test_p_values_fdr_and_classes(scratch, macros) -> None:
    rng = np.random.default_rng(11)
    points = np.array([(i, j) for i in range(20) for j in range(20)], dtype=float)
    y = np.where((points[:, 0] < 5) & (points[:, 1] < 5), 9.0, 0.0) + rng.poisson(1.5, len(points))
    rows = gi_in_warehouse(scratch, macros, points, np.array([y]), 1.5)
    z = np.array([r["z_score"] for r in rows])
    p = np.array([r["p_value"] for r in rows])
    # two-sided normal p-value, to the precision of the fit the warehouse uses
    np.testing.assert_allclose(p, 2 * scipy_stats.norm.sf(np.abs(z)), rtol=2e-7)
    q = np.array([r["p_value_fdr"] for r in rows])
    np.testing.assert_allclose(q, scipy_stats.false_discovery_control(p, method="bh"), rtol=1e-9)
    for r in rows:
        expected = 0
        for level, bin_ in ((0.10, 1), (0.05, 2), (0.01, 3)):
            if r["p_value_fdr"] <= level:
                expected = bin_
        expected *= int(np.sign(r["z_score"]))
        assert r["gi_bin"] == expected
        assert r["is_fdr_significant"] == (r["p_value_fdr"] <= 0.05)
    classes = {r["tension_class"] for r in rows}
    assert "hot_spot_99" in classes, "the planted cluster is a hot spot at 99 %"
    # the correction is not a no-op here: some zones pass at 5 % alone but not after it
    assert any(r["p_value"] <= 0.05 and r["p_value_fdr"] > 0.05 for r in rows)


# --- emerging patterns -------------------------------------------------------------------------------

FINAL_WEEK = date(2026, 3, 23)
H, C, N = 2, -2, 0  # a hot week, a cold week, neither (gi_bin)

SERIES: dict[str, tuple[list[int], list[float] | None]] = {
    "new_hot_spot": ([N] * 11 + [H], None),
    "consecutive_hot_spot": ([N] * 9 + [H, H, H], None),
    "intensifying_hot_spot": ([H] * 12, [2.0 + 0.2 * i for i in range(12)]),
    "persistent_hot_spot": ([H] * 12, [2.6, 2.4] * 6),
    "diminishing_hot_spot": ([H] * 12, [4.4 - 0.2 * i for i in range(12)]),
    "sporadic_hot_spot": ([N, H, N, N, H, N, N, H, N, N, N, H], None),
    "oscillating_hot_spot": ([N, N, C, N, N, H, N, N, N, N, N, H], None),
    "historical_hot_spot": ([H] * 11 + [N], None),
    "new_cold_spot": ([N] * 11 + [C], None),
    "consecutive_cold_spot": ([N] * 10 + [C, C], None),
    "intensifying_cold_spot": ([C] * 12, [-2.0 - 0.2 * i for i in range(12)]),
    "historical_cold_spot": ([C] * 11 + [N], None),
    "no_pattern": ([N] * 12, None),
    # hot twice but not in the final week, and not in 90 % of weeks: nothing to say
    "no_pattern_past_flicker": ([N, H, N, N, N, N, H, N, N, N, N, N], None),
}


def z_for(bins: list[int], z: list[float] | None) -> list[float]:
    # the default series: a z-score that agrees with the bin, with a little noise so there are no ties
    return z or [b * 1.4 + 0.01 * i for i, b in enumerate(bins)]


def test_emerging_patterns_on_hand_made_series(scratch, macros) -> None:
    scratch.execute(
        "create table scratch.gi (zone_id text, period_kind text, period_start date, z_score float8, gi_bin int)"
    )
    rows = []
    for zone, (bins, z) in SERIES.items():
        for i, (b, zi) in enumerate(zip(bins, z_for(bins, z), strict=True)):
            rows.append((zone, "week", FINAL_WEEK - timedelta(weeks=11 - i), zi, b))
        # a week before the window and one after it: neither counts
        rows.append((zone, "week", FINAL_WEEK - timedelta(weeks=12), 9.0, 3))
        rows.append((zone, "week", FINAL_WEEK + timedelta(weeks=1), 9.0, 3))
    with scratch.cursor() as cur:
        cur.executemany("insert into scratch.gi values (%s, %s, %s, %s, %s)", rows)
    cur = scratch.execute(
        f"select zone_id, pattern, weeks_analysed, mk_s, mk_z, z_scores from ({macros['patterns']}) p"
    )
    found = {zone: (pattern, weeks, s, mk_z, zs) for zone, pattern, weeks, s, mk_z, zs in cur.fetchall()}
    for zone, (bins, z) in SERIES.items():
        pattern, weeks, s, mk_z, zs = found[zone]
        assert pattern == zone.removesuffix("_past_flicker"), zone
        assert weeks == 12
        series = z_for(bins, z)
        assert zs == pytest.approx(series)
        # Mann-Kendall S, counted the long way
        expected_s = sum(np.sign(series[j] - series[i]) for i in range(12) for j in range(i + 1, 12))
        assert s == expected_s, zone


# --- conflicts ---------------------------------------------------------------------------------------

# Lambert-93 around the Vieux-Port; a march route west to east, a visit on it
ROUTE = "LINESTRING(892000 6246000, 893000 6246000)"
ON_ROUTE = "POINT(892500 6246000)"
NEAR_ROUTE = "POINT(892500 6245850)"  # 150 m south
FAR_FROM_ROUTE = "POINT(892500 6246250)"  # 250 m north


def load_events(conn: psycopg.Connection, events: list[tuple]) -> None:
    conn.execute(
        "create table scratch.events (event_id uuid, source text, convention_id text, event_type text,"
        " starts_at timestamptz, ends_at timestamptz, is_cancelled boolean, geom_2154 geometry)"
    )
    with conn.cursor() as cur:
        cur.executemany(
            "insert into scratch.events values (md5(%s)::uuid, %s, 'C', %s, %s, %s, %s, st_geomfromtext(%s, 2154))",
            events,
        )


def conflicts_between(conn: psycopg.Connection, macros: dict) -> dict[frozenset, dict]:
    cur = conn.execute(
        f"select c.*, a.name as name_a, b.name as name_b from ({macros['conflicts']}) c"
        " join (select md5(n)::uuid id, n as name from unnest(%s::text[]) n) a on a.id = c.event_id_a"
        " join (select md5(n)::uuid id, n as name from unnest(%s::text[]) n) b on b.id = c.event_id_b",
        (NAMES, NAMES),
    )
    names = [d.name for d in cur.description]
    rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    return {frozenset((r["name_a"], r["name_b"])): r for r in rows}


NAMES = [
    "march",
    "visit_on_route",
    "visit_next_day",
    "gathering_150m",
    "gathering_250m",
    "cancelled_gathering",
    "intervention",
    "closure_a",
    "closure_b",
    "dst_march",
    "dst_visit_65min_later",
    "dst_visit_55min_later",
]


def test_conflicts_on_hand_made_cases(scratch, macros) -> None:
    load_events(
        scratch,
        [
            ("march", "cortege", "march", "2026-05-01 10:00+02", "2026-05-01 12:00+02", False, ROUTE),
            (
                "visit_on_route",
                "cortege",
                "official_visit",
                "2026-05-01 11:00+02",
                "2026-05-01 11:30+02",
                False,
                ON_ROUTE,
            ),
            (
                "visit_next_day",
                "cortege",
                "official_visit",
                "2026-05-02 11:00+02",
                "2026-05-02 11:30+02",
                False,
                ON_ROUTE,
            ),
            (
                "gathering_150m",
                "evenements_espace_public",
                "street_festival",
                "2026-05-01 12:40+02",
                "2026-05-01 15:00+02",
                False,
                NEAR_ROUTE,
            ),
            (
                "gathering_250m",
                "evenements_espace_public",
                "street_festival",
                "2026-05-01 10:00+02",
                "2026-05-01 15:00+02",
                False,
                FAR_FROM_ROUTE,
            ),
            (
                "cancelled_gathering",
                "cortege",
                "static_gathering",
                "2026-05-01 10:00+02",
                "2026-05-01 12:00+02",
                True,
                ON_ROUTE,
            ),
            (
                "intervention",
                "interventions_police_municipale",
                "municipal_police_intervention",
                "2026-05-01 11:00+02",
                "2026-05-01 11:00+02",
                False,
                ON_ROUTE,
            ),
            ("closure_a", "travaux_voirie", "road_closure", "2026-06-01 00:00+02", "2026-06-30 00:00+02", False, ROUTE),
            ("closure_b", "travaux_voirie", "road_closure", "2026-06-01 00:00+02", "2026-06-30 00:00+02", False, ROUTE),
            # 25 October 2026: 03:00 CEST becomes 02:00 CET. The march ends at 02:45 CEST (00:45 UTC).
            (
                "dst_march",
                "cortege",
                "march",
                "2026-10-25 01:00+02",
                "2026-10-25 02:45+02",
                False,
                "POINT(900000 6250000)",
            ),
            # 02:50 CET is 65 minutes later: beyond the margin, though the wall clock says 5 minutes
            (
                "dst_visit_65min_later",
                "cortege",
                "official_visit",
                "2026-10-25 02:50+01",
                "2026-10-25 04:00+01",
                False,
                "POINT(900010 6250000)",
            ),
            # 02:40 CET is 55 minutes later: within it
            (
                "dst_visit_55min_later",
                "cortege",
                "official_visit",
                "2026-10-25 02:40+01",
                "2026-10-25 04:00+01",
                False,
                "POINT(900010 6250000)",
            ),
        ],
    )
    found = conflicts_between(scratch, macros)

    crossing = found.pop(frozenset({"march", "visit_on_route"}))
    assert crossing["is_crossing"] and crossing["min_distance_m"] == 0
    assert crossing["pair_kind"] == "march+official_visit"
    assert crossing["severity"] == "high" and crossing["overlap_minutes"] == 30
    assert crossing["window_starts_at"].isoformat() == "2026-05-01T08:00:00+00:00"  # 11:00+02 minus the margin
    assert crossing["window_ends_at"].isoformat() == "2026-05-01T10:30:00+00:00"  # 11:30+02 plus the margin

    near = found.pop(frozenset({"march", "gathering_150m"}))
    assert near["min_distance_m"] == pytest.approx(150)
    assert near["gap_minutes"] == 40 and near["overlap_minutes"] == 0
    assert near["severity"] == "low"  # not a sensitive pair, no true overlap, not within 50 m

    dst = found.pop(frozenset({"dst_march", "dst_visit_55min_later"}))
    assert dst["gap_minutes"] == 55

    # the two visits 10 m apart at the same hour conflict with each other too
    found.pop(frozenset({"dst_visit_65min_later", "dst_visit_55min_later"}))
    # nothing else: not the next day, not 250 m away, not the cancelled gathering, not the
    # intervention, not two road works together, not 65 minutes apart across the DST change
    assert found == {}, sorted(tuple(sorted(k)) for k in found)


def test_a_march_on_a_closed_street_conflicts(scratch, macros) -> None:
    load_events(
        scratch,
        [
            ("march", "cortege", "march", "2026-06-10 10:00+02", "2026-06-10 12:00+02", False, ROUTE),
            ("closure_a", "travaux_voirie", "road_closure", "2026-06-01 00:00+02", "2026-06-30 00:00+02", False, ROUTE),
        ],
    )
    (pair,) = conflicts_between(scratch, macros).values()
    assert pair["pair_kind"] == "march+road_closure" and pair["severity"] == "high"
