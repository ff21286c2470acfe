"""`make bench-tension`: Gi*, classes and emerging patterns for 10,000 zones x 104 weeks
in the warehouse, beside PySAL's esda doing the same in Python on the same inputs.

The warehouse side runs the dbt project's own macros (the SQL the marts run) on a
synthetic hexagonal lattice in a scratch schema: the distance band, Gi* with its
p-values, FDR and classes, then the emerging patterns. The baseline builds the
same weights with libpysal and loops esda.G_Local over the weeks, then the same
FDR (scipy), classes and Mann-Kendall in numpy. Both answers are compared.
Writes reports/tension_bench.json.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SIDE = int(os.environ.get("TENSION_BENCH_SIDE", "100"))  # SIDE x SIDE hexagons
WEEKS = int(os.environ.get("TENSION_BENCH_WEEKS", "104"))
PATTERN_WEEKS = int(os.environ.get("TENSION_BENCH_PATTERN_WEEKS", "12"))
THRESHOLD = 500.0
FIRST_WEEK = "2025-01-06"


def lattice() -> np.ndarray:
    """Centroids of 250 m hexagons as ST_HexagonGrid lays them: 375 m apart in x, 433 m in y."""
    return np.array(
        [(i * 375.0, j * 433.0127 + (216.5064 if i % 2 else 0.0)) for i in range(SIDE) for j in range(SIDE)]
    )


def activity(points: np.ndarray) -> np.ndarray:
    """weeks x zones of counts: background noise, two clusters, one that grows over time."""
    rng = np.random.default_rng(2026)
    y = rng.poisson(0.3, size=(WEEKS, len(points))).astype(float)
    centre = points.mean(axis=0)
    near_centre = np.linalg.norm(points - centre, axis=1) < 1500
    corner = np.linalg.norm(points - points.min(axis=0), axis=1) < 2000
    y[:, near_centre] += rng.poisson(3, size=(WEEKS, int(near_centre.sum())))
    growth = np.linspace(0, 4, WEEKS)[:, None]
    y[:, corner] += rng.poisson(growth, size=(WEEKS, int(corner.sum())))
    return y


def in_warehouse(points: np.ndarray, y: np.ndarray) -> tuple[dict, np.ndarray, list]:
    from tranquillite.core.dbt_cli import compile_macros
    from tranquillite.warehouse import connect

    final_week = f"'{FIRST_WEEK}'::date + 7 * {WEEKS - 1}"
    sql = compile_macros(
        {
            "pairs": f"{{{{ distance_band_pairs('bench_tension.zones', {THRESHOLD}) }}}}",
            "gi": "{{ getis_ord_gi_star('bench_tension.activity', 'bench_tension.pairs') }}",
            "patterns": f"{{{{ emerging_patterns('bench_tension.gi', \"{final_week}\", {PATTERN_WEEKS}, 0.05) }}}}",
        }
    )
    timings = {}
    with connect() as conn:
        conn.autocommit = True
        conn.execute("drop schema if exists bench_tension cascade")
        conn.execute("create schema bench_tension")
        conn.execute("create table bench_tension.zones (zone_id text primary key, centroid_2154 geometry(point, 2154))")
        with conn.cursor().copy("copy bench_tension.zones from stdin") as copy:
            for i, (x, yy) in enumerate(points):
                copy.write_row((f"z{i:05d}", f"SRID=2154;POINT({x} {yy})"))
        conn.execute("create index on bench_tension.zones using gist (centroid_2154)")
        conn.execute(
            "create table bench_tension.activity (zone_id text, period_kind text, period_start date, activity float8)"
        )
        with conn.cursor().copy("copy bench_tension.activity from stdin") as copy:
            for t in range(WEEKS):
                week = np.datetime64(FIRST_WEEK) + np.timedelta64(7 * t, "D")
                for i in range(len(points)):
                    copy.write_row((f"z{i:05d}", "week", str(week), y[t, i]))
        conn.execute("analyze bench_tension.zones")
        conn.execute("analyze bench_tension.activity")

        t0 = time.perf_counter()
        conn.execute(f"create table bench_tension.pairs as {sql['pairs']}")
        timings["distance_band_s"] = time.perf_counter() - t0
        conn.execute("analyze bench_tension.pairs")
        t0 = time.perf_counter()
        conn.execute(f"create table bench_tension.gi as {sql['gi']}")
        timings["gi_star_fdr_classes_s"] = time.perf_counter() - t0
        conn.execute("analyze bench_tension.gi")
        t0 = time.perf_counter()
        conn.execute(f"create table bench_tension.patterns as {sql['patterns']}")
        timings["emerging_patterns_s"] = time.perf_counter() - t0
        timings["total_s"] = sum(timings.values())

        z = np.full(y.shape, np.nan)
        for zone, week, zs in conn.execute(
            "select zone_id, (period_start - %s::date) / 7, z_score from bench_tension.gi", (FIRST_WEEK,)
        ):
            z[week, int(zone[1:])] = np.nan if zs is None else zs
        patterns = conn.execute("select pattern, count(*) from bench_tension.patterns group by 1 order by 2 desc")
        patterns = [list(row) for row in patterns.fetchall()]
        conn.execute("drop schema bench_tension cascade")
    return timings, z, patterns


def with_esda(points: np.ndarray, y: np.ndarray) -> tuple[dict, np.ndarray]:
    from esda.getisord import G_Local
    from libpysal.weights import DistanceBand
    from scipy.stats import false_discovery_control

    timings = {}
    t0 = time.perf_counter()
    w = DistanceBand(points, threshold=THRESHOLD, binary=True, silence_warnings=True)
    timings["distance_band_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    z = np.empty(y.shape)
    bins = np.zeros(y.shape, dtype=int)
    for t in range(len(y)):
        g = G_Local(y[t], w, transform="B", star=True, permutations=0)
        z[t] = g.Zs
        p = 2 * g.p_norm
        q = false_discovery_control(p, method="bh")
        bins[t] = np.select([q <= 0.01, q <= 0.05, q <= 0.10], [3, 2, 1], 0) * np.sign(z[t]).astype(int)
    timings["gi_star_fdr_classes_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    window = z[-PATTERN_WEEKS:]
    s = np.zeros(window.shape[1])
    for i in range(PATTERN_WEEKS):
        for j in range(i + 1, PATTERN_WEEKS):
            s += np.sign(window[j] - window[i])
    _ = (bins[-PATTERN_WEEKS:] > 0).sum(axis=0), (bins[-PATTERN_WEEKS:] < 0).sum(axis=0), s
    timings["emerging_patterns_s"] = time.perf_counter() - t0
    timings["total_s"] = sum(timings.values())
    return timings, z


def main() -> int:
    points = lattice()
    y = activity(points)
    warehouse, z_sql, patterns = in_warehouse(points, y)
    esda, z_py = with_esda(points, y)
    both = np.isfinite(z_sql) & np.isfinite(z_py)
    result = {
        "zones": len(points),
        "weeks": WEEKS,
        "pattern_weeks": PATTERN_WEEKS,
        "distance_band_m": THRESHOLD,
        "warehouse": warehouse,
        "esda": esda,
        "warehouse_over_esda": warehouse["total_s"] / esda["total_s"],
        "target_total_s": 30,
        "max_abs_z_difference": float(np.abs(z_sql[both] - z_py[both]).max()),
        "z_scores_compared": int(both.sum()),
        "patterns": patterns,
    }
    out = ROOT / "reports" / "tension_bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0 if warehouse["total_s"] <= 30 else 1


if __name__ == "__main__":
    sys.exit(main())
