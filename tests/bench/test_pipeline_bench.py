"""`make bench` measures what it says: data in the stated shares over four years, an
increment that is new, a report that names every missed target. The slow test runs the
whole benchmark at its smoke size through the real stack."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date, datetime

import pytest

from bench import pipeline_bench as bench

ROOT = bench.ROOT


def _years(values: list[str]) -> Counter:
    return Counter(datetime.fromisoformat(v).year if "T" in v else date.fromisoformat(v).year for v in values)


def _police_rows(data: bench.Data) -> list[list[str]]:
    rows = []
    for body in data.police_files.values():
        rows += list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))[1:]
    return rows


def test_generated_data_follow_the_shares_over_four_years() -> None:
    data = bench.generate(20_000)
    counts = data.counts
    assert sum(counts.values()) == 20_000
    for source, share in bench.SHARES.items():
        assert counts[source] == round(20_000 * share)
    # the purged agreement holds a tenth of the events
    assert counts["evenements_espace_public"] + counts["travaux_voirie"] == 2_000
    ids = {
        "cortege": [e["id"] for e in data.cortege],
        "ods": [r["id_evenement"] for r in data.ods],
        "travaux": [f["properties"]["id_chantier"] for f in data.travaux["features"]],
        "police": [row[0] for row in _police_rows(data)],
    }
    for name, values in ids.items():
        assert len(values) == len(set(values)), f"{name}: ids repeat"
    assert len(_years([e["debut"] for e in data.cortege])) == bench.YEARS
    assert len(_years([r["date_debut"] for r in data.ods])) == bench.YEARS
    assert len(_years([f["properties"]["date_debut"] for f in data.travaux["features"]])) == bench.YEARS
    # the police's files: one a day, at most POLICE_PER_DAY lines, ending on END
    days = sorted(data.police_files)
    assert days[-1] == f"interventions_{bench.END:%Y%m%d}.csv"
    assert all(body.count(b"\n") - 1 <= bench.POLICE_PER_DAY for body in data.police_files.values())
    assert len(days) * bench.POLICE_PER_DAY >= counts["interventions_police_municipale"] > (len(days) - 1) * 600
    # open data modified in order and in the past: an incremental pull can find what follows
    modified = [r["date_modification"] for r in data.ods]
    assert modified == sorted(modified) and modified[-1] < bench.END.isoformat()
    # the records the bare COPY writes are exactly the ones served
    assert len(data.records()) == 20_000


def test_the_increment_is_new() -> None:
    base, more = bench.generate(10_000), bench.generate(100, tag="N", first_police_day=date(2026, 11, 16))
    assert not {e["id"] for e in base.cortege} & {e["id"] for e in more.cortege}
    assert not {r["id_evenement"] for r in base.ods} & {r["id_evenement"] for r in more.ods}
    assert not set(base.police_files) & set(more.police_files)
    assert min(more.police_files) > max(base.police_files)
    assert max(more.police_files) < f"interventions_{date.today():%Y%m%d}.csv"


def test_the_report_names_every_missed_target() -> None:
    stages = [
        bench.Stage("bare COPY", 2.0, 1000),
        bench.Stage("ingestion", 9.0, 1000, 300.0, "bare COPY", 4.5, "≤ 3× bare COPY", False, "gate holds it back"),
        bench.Stage("parse a.py", 0.1, target="≤ 0.5 s", met=True),
    ]
    report = {
        "scale": "S",
        "events": 1000,
        "by_source": {"cortege": 1000},
        "warehouse": {"marts.fct_events": 1000},
        "started_at": "2026-12-01T00:00:00+00:00",
        "machine": bench.machine(),
        "stages": [{**bench.asdict(s), "rows_per_second": s.rows_per_second} for s in stages],
    }
    text = bench.markdown(report)
    assert "| ingestion | 9.00 | 111.1 | 300 | bare COPY | 4.5 | ≤ 3× bare COPY | **no** |" in text
    assert "| parse a.py | 0.10 |  |  |  |  | ≤ 0.5 s | yes |" in text
    assert "Targets missed: ingestion." in text
    assert "- ingestion: gate holds it back" in text


def test_each_airflow_task_is_timed_from_the_dag_test_output() -> None:
    # the lines as `airflow dags test` prints them (Airflow 3.3, structlog), other lines between
    output = "\n".join(
        [
            "2026-12-01T20:48:41.337020Z [info     ] [DAG TEST] starting task_id=load_admin_zones map_index=-1 "
            "[airflow.sdk.definitions.dag] loc=dag.py:1501",
            "2026-12-01T20:48:51.447432Z [info     ] Pushing xcom                   [task] loc=task_runner.py:2280",
            "2026-12-01T20:48:51.785313Z [info     ] [DAG TEST] end task task_id=load_admin_zones map_index=-1 "
            "[airflow.sdk.definitions.dag] loc=dag.py:1563",
            "2026-12-01T20:48:52.477874Z [info     ] [DAG TEST] starting task_id=dbt.fct_events_model_build "
            "map_index=-1 [airflow.sdk.definitions.dag] loc=dag.py:1501",
            "2026-12-01T20:48:56.477874Z [info     ] [DAG TEST] end task task_id=dbt.fct_events_model_build "
            "map_index=-1 [airflow.sdk.definitions.dag] loc=dag.py:1563",
            "2026-12-01T20:48:57.000000Z [info     ] [DAG TEST] starting task_id=generate_docs map_index=-1",
        ]
    )
    tasks = bench.task_times(output)
    # a task that never ended (the run failed there) is not timed
    assert tasks == {"load_admin_zones": 10.45, "dbt.fct_events_model_build": 4.0}
    split = bench.airflow_split(tasks, bare=2.0)
    assert split.startswith("its 1 dbt tasks 4.0 s (2.00× the bare build")
    assert split.endswith("load_admin_zones 10.4 s")


@pytest.mark.slow
def test_make_bench_runs_every_stage_through_the_real_stack() -> None:
    env = {**os.environ, "PYTHONPATH": f"{os.environ.get('PYTHONPATH', '')}:{ROOT}"}
    subprocess.run([sys.executable, "-m", "bench.pipeline_bench", "XS"], cwd=ROOT, env=env, check=True)
    report = json.loads((ROOT / "reports" / "bench" / "XS.json").read_text())
    names = [s["name"] for s in report["stages"]]
    for stage in (
        "bare COPY of every record into jsonb (baseline)",
        "ingestion of every source",
        "dbt build, full",
        "dbt build after 1% new rows",
        "warehouse_build through Airflow (make dag)",
        f"purge {bench.PURGED} (destroy, vacuum, rebuild, verify)",
        "parse the dags folder (airflow dags report)",
    ):
        assert stage in names, stage
    # each DAG file as Airflow's own DAG processor timed it, judged against the target
    for path in (ROOT / "dags").glob("*.py"):
        parsed = next(s for s in report["stages"] if s["name"] == f"parse {path.name} (Airflow's DAG processor)")
        assert parsed["seconds"] > 0 and parsed["met"] == (parsed["seconds"] <= 0.5)
    for source in bench.SHARES:
        assert f"extract {source}" in names and f"gate {source}" in names
        ingest = next(s for s in report["stages"] if s["name"].startswith(f"ingest {source} "))
        ledger = ingest["detail"]
        assert ledger["received"] == ledger["loaded"] + ledger["quarantined"]
        assert ledger["new_rows"] + ledger["quarantined"] == report["by_source"][source]
        assert ingest["peak_mb"] > 0
    for s in report["stages"]:
        if s["baseline"]:
            assert s["ratio"] > 0 and s["met"] in (True, False)
    assert report["warehouse"]["marts.fct_events"] > 0
    assert report["warehouse"][f"rows of {bench.PURGED}"] > 0
    airflow = next(s for s in report["stages"] if s["name"].startswith("warehouse_build through Airflow"))
    assert "dbt.fct_events_model_build" in airflow["detail"]["tasks"]
    assert sum(airflow["detail"]["tasks"].values()) <= airflow["seconds"]
    purge = next(s for s in report["stages"] if s["name"].startswith("purge "))
    assert purge["detail"]["passed"] is True
    assert {"scope and samples", "warehouse deletion", "rebuild and map", "task logs and verification"} <= set(
        purge["detail"]["phases"]
    )
    assert (ROOT / "reports" / "bench" / "XS.md").read_text().startswith("# Benchmark, scale XS")
