"""`make bench SCALE=S|M|L`: the pipeline's stages at 10k, 100k and 1M events, each beside
a baseline measured in the same run (these machines are shared: ratios, not seconds).

It runs against a database of its own (`warehouse_bench`) in the local cluster, with
the project's run-time roles, and real sandboxes on loopback. They serve generated data
in realistic proportions over the four years the platform keeps: the municipal police's
daily files most (600 interventions a day), then open-data events, road works, and
Cortège's few thousand entries a year. Every stage runs in its own process, so its peak
memory (ru_maxrss) is its own. The GX results, the map and the task logs go under
`.local/bench`, so the purge cannot touch a developer's.

Writes `reports/bench/<scale>.json` and `.md` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
# XS is the smoke size the test suite runs; S, M and L are the scales
SCALES = {"XS": 1_000, "S": 10_000, "M": 100_000, "L": 1_000_000}
# shares of the events by source over four years: the police's day book dominates, Cortège
# is a few thousand entries a year; the open-data agreement (events + road works) holds 10%
SHARES = {
    "cortege": 0.02,
    "evenements_espace_public": 0.07,
    "travaux_voirie": 0.03,
    "interventions_police_municipale": 0.88,
}
PURGED = "LO2-OPENDATA-VDM"
POLICE_PER_DAY = 600
# how far a generated event is moved from its gazetteer place (degrees; about 4 and 4.5 km);
# the police's interventions are already spread around their arrondissements
SPREAD_LON, SPREAD_LAT = 0.05, 0.04
YEARS = 4
# the base data end here; the 1% new police files follow it, all before today
END = date(2026, 11, 15)
# each scale its own database and folder: a developer's L run and the test suite's XS never meet
BENCH_DIR = ROOT / ".local" / "bench"
PARIS = ZoneInfo("Europe/Paris")
_DAG_TEST = re.compile(r"^(\S+) .*\[DAG TEST\] (starting|end task) task_id=(\S+)")
TENSION_MODELS = (
    "int_zone_neighbours",
    "int_zone_periods_measured",
    "dim_zones",
    "fct_zone_activity",
    "fct_tension_zones",
    "fct_zone_emerging_patterns",
    "fct_event_conflicts",
)


@dataclass
class Stage:
    name: str
    seconds: float
    rows: int = 0
    peak_mb: float | None = None
    baseline: str | None = None
    ratio: float | None = None
    target: str | None = None
    met: bool | None = None
    note: str = ""
    detail: dict = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float | None:
        return round(self.rows / self.seconds, 1) if self.rows and self.seconds else None


# ------------------------------------------------------------------ data


@dataclass
class Data:
    cortege: list[dict]
    ods: list[dict]
    travaux: dict
    police_files: dict[str, bytes]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "cortege": len(self.cortege),
            "evenements_espace_public": len(self.ods),
            "travaux_voirie": len(self.travaux["features"]),
            "interventions_police_municipale": sum(f.count(b"\n") - 1 for f in self.police_files.values()),
        }

    def records(self) -> list[dict | str]:
        """Every record as the source serves it: an entry, a record, a feature, a CSV line."""
        police = [line for f in self.police_files.values() for line in f.decode("utf-8-sig").splitlines()[1:]]
        return [*self.cortege, *self.ods, *self.travaux["features"], *police]


def _years_back(value: str, years: int) -> str:
    """The same wall-clock moment (or day) `years` earlier in Europe/Paris."""
    if len(value) == 10:
        day = date.fromisoformat(value)
        return day.replace(year=day.year - years).isoformat()
    moment = datetime.fromisoformat(value).astimezone(PARIS)
    return moment.replace(year=moment.year - years).isoformat(timespec="seconds")


def _spread(record: dict, fields: tuple[str, ...], index: int) -> dict:
    """Record `index` moved 0 to 3 years back, so that four years of data are held."""
    years = index % YEARS
    return {
        k: (_years_back(v, years) if k in fields and isinstance(v, str) and years else v) for k, v in record.items()
    }


def _coordinates(value: list, dx: float, dy: float) -> list:
    if value and isinstance(value[0], (int, float)):
        return [round(value[0] + dx, 6), round(value[1] + dy, 6), *value[2:]]
    return [_coordinates(v, dx, dy) for v in value]


def _moved(value: object, dx: float, dy: float) -> object:
    """Every position in a record (lon/lat pairs, GeoJSON coordinates) moved by (dx, dy)."""
    if isinstance(value, list):
        return [_moved(v, dx, dy) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _moved(v, dx, dy) for k, v in value.items()}
    if isinstance(out.get("lon"), (int, float)) and isinstance(out.get("lat"), (int, float)):
        out["lon"], out["lat"] = round(out["lon"] + dx, 6), round(out["lat"] + dy, 6)
    if "type" in out and isinstance(out.get("coordinates"), list):
        out["coordinates"] = _coordinates(out["coordinates"], dx, dy)
    return out


def _scattered(records: list[dict], seed: int) -> list[dict]:
    """Each record moved as a whole (a route keeps its shape) by up to ~4 km from the
    sandbox gazetteer's place. The gazetteer has a few dozen places: four years of events
    stacked on them would make the conflicts' candidate pairs grow with the square of the
    events, which no city's data does."""
    rng = random.Random(seed)
    return [_moved(r, rng.uniform(-SPREAD_LON, SPREAD_LON), rng.uniform(-SPREAD_LAT, SPREAD_LAT)) for r in records]


def generate(events: int, *, tag: str = "B", first_police_day: date | None = None) -> Data:
    """`events` records over the four sources in SHARES, ids distinct per `tag`."""
    from sandbox import feeds_generator as gen
    from sandbox.generator import generate_histories

    n = {source: max(1, round(events * share)) for source, share in SHARES.items()}
    seed = sum(map(ord, tag))
    cortege = _scattered(
        [
            _spread(versions[-1], ("debut", "fin", "created_at", "updated_at"), i)
            for i, versions in enumerate(generate_histories(count=n["cortege"], seed=seed))
        ],
        seed,
    )
    # open data: modified in order, in the past, so that an incremental pull finds the new ones
    ods_n = n["evenements_espace_public"]
    start = datetime(END.year - YEARS, END.month, END.day, tzinfo=UTC)
    step = (datetime(END.year, END.month, END.day, tzinfo=UTC) - start) / ods_n
    ods = _scattered(
        [
            dict(
                _spread(r, ("date_debut", "date_fin"), i),
                id_evenement=f"EVT-{tag}-{i:07d}",
                date_modification=(start + step * i).isoformat(timespec="seconds").replace("+00:00", "Z"),
            )
            for i, r in enumerate(gen.ods_records(ods_n, seed=seed))
        ],
        seed + 1,
    )
    features: list[dict] = []
    batch = 0
    while len(features) < n["travaux_voirie"]:
        collection = gen.travaux_collection(date(2026, 11, 2), count=200, seed=seed * 1000 + batch, bowtie=False)
        features += collection["features"]
        batch += 1
    travaux = {
        **{k: v for k, v in collection.items() if k != "features"},
        "features": _scattered(
            [
                dict(
                    f,
                    properties=dict(
                        _spread(f["properties"], ("date_debut", "date_fin"), i), id_chantier=f"CH-{tag}-{i:07d}"
                    ),
                )
                for i, f in enumerate(features[: n["travaux_voirie"]])
            ],
            seed + 2,
        ),
    }
    police_n = n["interventions_police_municipale"]
    days = math.ceil(police_n / POLICE_PER_DAY)
    day = first_police_day or END - timedelta(days=days - 1)
    files, left = {}, police_n
    while left > 0:
        count = min(POLICE_PER_DAY, left)
        files[f"interventions_{day:%Y%m%d}.csv"] = gen.pm_csv(day, count, seed=seed)
        left -= count
        day += timedelta(days=1)
    return Data(cortege, ods, travaux, files)


class Sandboxes:
    """The Cortège and municipal sandboxes on loopback, and the police's landing folder."""

    def __init__(self, data: Data, folder: Path) -> None:
        from sandbox.cortege_server import SandboxState
        from sandbox.cortege_server import serve as serve_cortege
        from sandbox.municipal_server import State
        from sandbox.municipal_server import serve as serve_municipal

        self.token = os.urandom(16).hex()
        self.cortege = serve_cortege("127.0.0.1", 0, SandboxState(data.cortege, self.token))
        self.municipal = serve_municipal(0, State(data.ods, data.travaux))
        for server in (self.cortege, self.municipal):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        for f in folder.iterdir():
            f.unlink()
        self.drop_files(data.police_files)
        municipal = json.dumps({"conn_type": "http", "host": f"http://127.0.0.1:{self.municipal.server_address[1]}"})
        cortege = {"conn_type": "http", "host": f"http://127.0.0.1:{self.cortege.server_address[1]}"}
        self.env = {
            "AIRFLOW_CONN_CORTEGE": json.dumps({**cortege, "password": self.token}),
            "AIRFLOW_CONN_OPENDATA_MARSEILLE": municipal,
            "AIRFLOW_CONN_TRAVAUX_VOIRIE": municipal,
            "AIRFLOW_CONN_GEOCODER": municipal,
            "AIRFLOW_CONN_PM_LANDING": json.dumps({"conn_type": "fs", "extra": {"path": str(folder)}}),
        }

    def drop_files(self, files: dict[str, bytes]) -> None:
        """Delivered an hour ago: past the feed's settle time."""
        past = time.time() - 3600
        for name, body in files.items():
            (self.folder / name).write_bytes(body)
            os.utime(self.folder / name, (past, past))

    def add(self, data: Data, more: Data) -> None:
        """New Cortège entries, open-data records and police files on top of `data`."""
        import requests

        base = f"http://127.0.0.1:{self.cortege.server_address[1]}"
        headers = {"Authorization": f"Bearer {self.token}"}
        stamp = datetime.now(UTC) - timedelta(minutes=5)
        fresh = [dict(e, updated_at=stamp.isoformat(timespec="seconds")) for e in more.cortege]
        requests.post(
            f"{base}/_sandbox/entries", json={"entries": fresh}, headers=headers, timeout=60
        ).raise_for_status()
        modified = stamp.isoformat(timespec="seconds").replace("+00:00", "Z")
        fresh_ods = [dict(r, date_modification=modified) for r in more.ods]
        requests.post(
            f"http://127.0.0.1:{self.municipal.server_address[1]}/_sandbox/records",
            json={"records": [*data.ods, *fresh_ods]},
            timeout=300,
        ).raise_for_status()
        self.drop_files(more.police_files)

    def close(self) -> None:
        for server in (self.cortege, self.municipal):
            server.shutdown()
            server.server_close()


# ------------------------------------------------------------------ set-up


def _superuser(dbname: str = "postgres"):
    import psycopg

    password = (ROOT / ".local" / "secrets" / "pg_superuser").read_text().strip()
    return psycopg.connect(
        host="127.0.0.1",
        port=int(os.environ.get("TRQ_PG_PORT", "54329")),
        user="postgres",
        password=password,
        dbname=dbname,
        autocommit=True,
    )


def _on_database(url: str, dbname: str) -> str:
    """The same connection (role, password, TLS) to another database, whatever it named."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("make bench needs the warehouse connections as postgresql:// URLs")
    return urlunsplit(parts._replace(path=f"/{dbname}"))


def airflow_database(dbname: str) -> str:
    """A fresh Airflow metadata database, migrated by Airflow itself (seconds); its URL. The
    benchmark's own, and each test session's (tests/conftest.py)."""
    url = os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    parts = urlsplit(url)
    own = urlunsplit(parts._replace(path=f"/{dbname}"))
    with _superuser() as su:
        su.execute(f'drop database if exists "{dbname}" with (force)')
        su.execute(f'create database "{dbname}" owner {parts.username}')
    done = subprocess.run(
        ["airflow", "db", "migrate"],
        env={**os.environ, "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": own},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"airflow db migrate failed on {dbname}: {done.stderr[-2000:]}")
    return own


def bench_environment(scale: str) -> dict[str, str]:
    """A fresh database for this scale, migrated, and the variables that point every stage
    at it and at the scale's own folders."""
    dbname, folder = f"warehouse_bench_{scale.lower()}", BENCH_DIR / scale
    with _superuser() as su:
        su.execute(f'drop database if exists "{dbname}" with (force)')
        su.execute(f'create database "{dbname}" owner tranquillite')
    with _superuser(dbname) as su:
        su.execute("set client_min_messages = warning")
        su.execute("create extension if not exists postgis")
    env = {
        var: _on_database(value, dbname)
        for var, value in os.environ.items()
        if var.startswith("AIRFLOW_CONN_WAREHOUSE")
    }
    for name in ("gx", "map", "airflow-logs", "dbt-target", "run-logs"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    env.update(
        # an Airflow metadata database of the bench's own: its runs, XComs and purge touch
        # neither a developer's Airflow nor a test suite running beside it
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=airflow_database(f"airflow_bench_{scale.lower()}"),
        TRQ_RUN_LOG_DIR=str(folder / "run-logs"),
        TRQ_BENCH_DIR=str(folder),
        TRQ_GX_ROOT=str(folder / "gx"),
        TRQ_MAP_DIR=str(folder / "map"),
        TRQ_MAP_TILES="none",
        DBT_TARGET_PATH=str(folder / "dbt-target"),
        AIRFLOW__LOGGING__BASE_LOG_FOLDER=str(folder / "airflow-logs"),
    )
    os.environ.update(env)
    from tranquillite.warehouse import connect, set_up

    with connect() as conn:
        set_up(conn)
    return env


# ------------------------------------------------------------------ measuring


class Launcher:
    """Starts every stage's process from a small process made before the data exist.

    A child's ru_maxrss counts the pages it had when it was forked: forked from the bench,
    which holds every generated record, each stage would report the bench's size instead of
    its own peak.
    """

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            _me("_launcher"), cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run(self, args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
        self.proc.stdin.write(json.dumps({"args": args, "env": {**os.environ, **env}}) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        if answer["error"]:
            raise RuntimeError(answer["error"])
        return answer["seconds"], answer["peak_mb"], answer["output"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def serve_launches() -> None:
    """The launcher's side: one JSON request a line in, one answer a line out."""
    for line in sys.stdin:
        request = json.loads(line)
        try:
            seconds, peak, output = _spawn(request["args"], request["env"])
            answer = {"seconds": seconds, "peak_mb": peak, "output": output, "error": None}
        except RuntimeError as exc:
            answer = {"seconds": 0, "peak_mb": 0, "output": "", "error": str(exc)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


LAUNCHER: Launcher | None = None


def in_child(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command; its wall time, its peak memory (MB) and its output."""
    if LAUNCHER is not None:
        return LAUNCHER.run(args, env)
    return _spawn(args, {**os.environ, **env})


def _spawn(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True)
    reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    reader.join()
    output = "".join(out)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(args[:5])} failed:\n{output[-4000:]}")
    return seconds, usage.ru_maxrss / 1024, output


def child_result(output: str) -> dict:
    return json.loads(output[output.rindex("RESULT ") + 7 :].splitlines()[0])


def _me(*args: str) -> list[str]:
    return [sys.executable, "-m", "bench.pipeline_bench", *args]


def child_ingest(source: str, full_refresh: bool) -> dict:
    """What the DAG's ingestion task runs."""
    from tranquillite.ingestion.run import ingest

    result = ingest(source, full_refresh=full_refresh)
    return {
        "received": result.received,
        "loaded": result.loaded,
        "quarantined": result.quarantined,
        "new_rows": result.new_rows,
    }


def child_gate(source: str) -> dict:
    """The extraction, then the gate on each page, timed apart: nothing lands."""
    from tranquillite.warehouse import connect

    extract = gate = 0.0
    received = 0
    with connect("warehouse_loader", autocommit=True) as conn:
        if source == "cortege":
            from tranquillite.core.connections import get_conn
            from tranquillite.core.settings import CORTEGE_CONN_ID, cortege_settings
            from tranquillite.ingestion import governance
            from tranquillite.ingestion.gate import judge_entries
            from tranquillite.sources.cortege.client import CortegeClient

            approved = governance.approved_signatures(conn, "cortege")
            pages = (p.entries for p in CortegeClient(get_conn(CORTEGE_CONN_ID), cortege_settings()).iter_pages(None))
            judge = lambda items: judge_entries(conn, items, approved)  # noqa: E731
        else:
            from tranquillite.sources.feeds import config as feed_config
            from tranquillite.sources.feeds.gate import judge_feed_records
            from tranquillite.sources.feeds.transports import open_units

            feed = feed_config.feed(source)
            pages = (page for unit in open_units(feed, conn, None, full_refresh=True) for page in unit.pages)
            judge = lambda items: judge_feed_records(conn, feed, items)  # noqa: E731
        t = time.perf_counter()
        for items in pages:
            t1 = time.perf_counter()
            extract += t1 - t
            with conn.transaction(force_rollback=True):
                judge(items)
            t = time.perf_counter()
            gate += t - t1
            received += len(items)
    return {"received": received, "extract_seconds": extract, "gate_seconds": gate}


def child_map() -> dict:
    from tranquillite.tension.map import write_map

    write_map()
    return {}


def child_purge(convention_id: str) -> dict:
    """What the purge DAG's `destroy` task runs, once two officers have approved (the
    warehouse refuses the destruction otherwise): the request and its approvals are made
    first, through the same functions as the DAG's, and are not timed."""
    from tranquillite.compliance import approvals
    from tranquillite.compliance.purge import purge
    from tranquillite.core.settings import COMPLIANCE_CONN_ID
    from tranquillite.warehouse import connect

    with connect(COMPLIANCE_CONN_ID) as conn:
        officers = approvals.approvers_for("bench")[:2]
        if len(officers) < 2:
            raise RuntimeError("the purge needs two compliance officers: set TRQ_COMPLIANCE_OFFICERS")
        request = approvals.open_request(
            conn,
            convention_id=convention_id,
            confirm_convention_id=convention_id,
            reason="benchmark of the destruction",
            requested_by="bench",
            dag_run_id=None,
        )
        for officer in officers:
            approvals.record_decision(conn, request["purge_id"], approved=True, decided_by=officer)
        approvals.mark(conn, request["purge_id"], "destroying")
        outcome = purge(conn, convention_id, purge_id=request["purge_id"])
    failed = [f"{c.place} ({c.check})" for c in outcome.checks if not c.passed]
    return {
        "deletion_seconds": outcome.deletion_seconds,
        "phases": {k: round(v, 2) for k, v in outcome.phases.items()},
        "passed": outcome.passed,
        "failed": failed[:10],
    }


def bare_copy(records: list) -> float:
    """The physical floor: the same records as jsonb through one COPY into a plain table."""
    from tranquillite.warehouse import connect

    with connect() as conn:
        conn.execute("drop table if exists ops.bench_copy")
        conn.execute("create table ops.bench_copy (payload jsonb)")
        conn.commit()
        t0 = time.perf_counter()
        with conn.cursor() as cur, cur.copy("copy ops.bench_copy (payload) from stdin") as copy:
            for record in records:
                copy.write_row((json.dumps(record if isinstance(record, dict) else {"line": record}),))
        conn.commit()
        seconds = time.perf_counter() - t0
        conn.execute("drop table ops.bench_copy")
        conn.commit()
    return seconds


def dbt_build(env: dict[str, str]) -> tuple[float, float, dict[str, float]]:
    """A bare `dbt build`: wall time, peak memory and each model's time (run_results.json)."""
    seconds, peak, _ = in_child([sys.executable, "-m", "tranquillite.core.dbt_cli", "build", "--quiet"], env)
    return seconds, peak, model_times()


def model_times() -> dict[str, float]:
    results = json.loads((Path(os.environ["DBT_TARGET_PATH"]) / "run_results.json").read_text())
    return {
        r["unique_id"].split(".")[-1]: round(r["execution_time"], 2)
        for r in results["results"]
        if r["unique_id"].startswith("model.")
    }


def task_times(output: str) -> dict[str, float]:
    """Each task's time in an `airflow dags test` run, read from its `[DAG TEST]` lines."""
    started: dict[str, datetime] = {}
    times: dict[str, float] = {}
    for line in output.splitlines():
        match = _DAG_TEST.match(line)
        if not match:
            continue
        at, what, task_id = datetime.fromisoformat(match[1]), match[2], match[3]
        if what == "starting":
            started[task_id] = at
        elif task_id in started:
            times[task_id] = round((at - started.pop(task_id)).total_seconds(), 2)
    return times


def airflow_split(tasks: dict[str, float], bare: float) -> str:
    dbt = {t: s for t, s in tasks.items() if t.startswith("dbt.")}
    rest = {t: s for t, s in tasks.items() if t not in dbt}
    dbt_total = sum(dbt.values())
    return (
        f"its {len(dbt)} dbt tasks {dbt_total:.1f} s ({dbt_total / bare:.2f}× the bare build, which runs"
        f" 2 threads where `airflow dags test` runs one task at a time); "
        + ", ".join(f"{t} {s:.1f} s" for t, s in sorted(rest.items(), key=lambda kv: -kv[1]))
    )


def materialisations() -> dict[str, str]:
    manifest = json.loads((ROOT / "dbt_project" / "target" / "manifest.json").read_text())
    return {n["name"]: n["config"]["materialized"] for n in manifest["nodes"].values() if n["resource_type"] == "model"}


def slowest(times: dict[str, float], n: int = 4) -> str:
    kinds = materialisations()
    top = sorted(times.items(), key=lambda kv: -kv[1])[:n]
    return ", ".join(f"{m} {s:.1f} s ({kinds.get(m, '?')})" for m, s in top)


def warehouse_counts() -> dict[str, int]:
    from tranquillite.warehouse import connect

    queries = {
        "raw.cortege_entries": "select count(*) from raw.cortege_entries",
        "raw.feed_records": "select count(*) from raw.feed_records",
        "quarantine.records": "select count(*) from quarantine.records",
        "marts.fct_events": "select count(*) from marts.fct_events",
        "marts.fct_zone_activity": "select count(*) from marts.fct_zone_activity",
        "marts.fct_tension_zones": "select count(*) from marts.fct_tension_zones",
        "marts.fct_event_conflicts": "select count(*) from marts.fct_event_conflicts",
        f"rows of {PURGED}": "select (select count(*) from raw.feed_records where convention_id = %(c)s)"
        " + (select count(*) from marts.fct_events where convention_id = %(c)s)"
        " + (select count(*) from marts.fct_zone_activity where convention_id = %(c)s)",
    }
    with connect() as conn:
        return {k: conn.execute(q, {"c": PURGED}).fetchone()[0] for k, q in queries.items()}


def child_parse(path: str) -> dict:
    """One DAG file alone, as a DAG processor's child parses it: Airflow already imported
    (its `parsing_pre_import_modules`), the file's own imports and DAG building timed."""
    import airflow.sdk  # noqa: F401
    from airflow.dag_processing.dagbag import DagBag

    t0 = time.perf_counter()
    bag = DagBag(dag_folder=path, safe_mode=True)
    seconds = time.perf_counter() - t0
    if bag.import_errors:
        raise RuntimeError(f"{path} does not parse: {bag.import_errors}")
    return {"seconds": seconds, "dags": len(bag.dags), "tasks": sum(len(d.tasks) for d in bag.dags.values())}


def child_dag_processor() -> dict:
    """The DAG processor itself, once over the folder: the parse time Airflow records for each
    file (`dag.last_parse_duration`), in the process it forks for that file."""
    import psycopg

    from tranquillite.compliance.purge import metadata_dsn

    started = datetime.now(UTC)
    subprocess.run(["airflow", "dag-processor", "--num-runs", "1"], check=True, capture_output=True, timeout=600)
    with psycopg.connect(metadata_dsn()) as conn:
        rows = conn.execute(
            "select relative_fileloc, max(last_parse_duration) from dag"
            " where last_parsed_time >= %s and not is_stale group by relative_fileloc",
            (started,),
        ).fetchall()
    return {file: round(seconds, 3) for file, seconds in rows}


def parse_times() -> list[Stage]:
    """Each DAG file in a process of its own; then the whole folder as Airflow's DagBag report
    times it, in one process (a file's time there depends on what was parsed before it)."""
    stages = []
    for path in sorted((ROOT / "dags").glob("*.py")):
        _, _, output = in_child(_me("_parse", str(path)), {})
        parsed = child_result(output)
        # a bare process pays the imports that Airflow's DAG processor has made before it forks
        # (the plugins: Cosmos's, OpenLineage's): a bound, the target is judged on the next rows
        stages.append(
            Stage(
                f"parse {path.name} (alone)",
                parsed["seconds"],
                detail={"dags": parsed["dags"], "tasks": parsed["tasks"]},
            )
        )
    _, _, output = in_child(_me("_dag_processor"), {})
    for file, seconds in sorted(child_result(output).items()):
        stages.append(Stage(f"parse {file} (Airflow's DAG processor)", seconds, target="≤ 0.5 s", met=seconds <= 0.5))
    _, _, output = in_child(["airflow", "dags", "report", "-o", "json"], {})
    rows = json.loads(next(line for line in output.splitlines() if line.startswith("[{")))
    total = sum(_seconds(row["duration"]) for row in rows)
    first = max(rows, key=lambda row: _seconds(row["duration"]))
    stages.append(
        Stage(
            "parse the dags folder (airflow dags report)",
            total,
            target="≤ 3 s",
            met=total <= 3.0,
            note=f"{len(rows)} files; the slowest there, {first['file']}, pays the imports the others share",
            detail={row["file"]: round(_seconds(row["duration"]), 3) for row in rows},
        )
    )
    return stages


def _seconds(value) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    h, m, s = str(value).split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


# ------------------------------------------------------------------ the run


class Report:
    """The run's figures, written out after every stage: a stage that fails leaves the others."""

    def __init__(self, scale: str) -> None:
        self.data = {
            "scale": scale,
            "events": SCALES[scale],
            "by_source": {},
            "warehouse": {},
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "stages": [],
        }
        self.out = ROOT / "reports" / "bench"
        self.out.mkdir(parents=True, exist_ok=True)

    def add(self, *stages: Stage) -> None:
        self.data["stages"] += [{**asdict(s), "rows_per_second": s.rows_per_second} for s in stages]
        self.write()

    def write(self) -> None:
        name = self.data["scale"]
        (self.out / f"{name}.json").write_text(json.dumps(self.data, indent=2, ensure_ascii=False))
        (self.out / f"{name}.md").write_text(markdown(self.data))


def ingestion_stages(report: Report, env: dict[str, str], counts: dict[str, int], copy_seconds: float) -> None:
    total = extract = gate = 0.0
    peak_max = 0.0
    for source in SHARES:
        seconds, _, output = in_child(_me("_gate", source), env)
        timed = child_result(output)
        extract += timed["extract_seconds"]
        gate += timed["gate_seconds"]
        report.add(Stage(f"extract {source}", timed["extract_seconds"], timed["received"]))
        report.add(Stage(f"gate {source}", timed["gate_seconds"], timed["received"]))
        seconds, peak, output = in_child(_me("_ingest", source, "full"), env)
        ledger = child_result(output)
        # received = loaded + quarantined, and every record served landed once or is held (a
        # record the portal serves twice at its 10,000 boundary is received twice, lands once)
        balanced = ledger["received"] == ledger["loaded"] + ledger["quarantined"]
        if not balanced or ledger["new_rows"] + ledger["quarantined"] != counts[source]:
            raise RuntimeError(f"{source}: served {counts[source]}, ledger {ledger}")
        total += seconds
        peak_max = max(peak_max, peak)
        report.add(
            Stage(
                f"ingest {source} (extraction, gate, GX, raw load)",
                seconds,
                ledger["received"],
                peak,
                target="≤ 1 GB peak",
                met=peak <= 1024,
                detail=ledger,
            )
        )
    ratio = total / copy_seconds
    load = max(total - extract - gate, 0.0)
    parts = {"extraction": extract, "gate": gate, "landing, GX, promotion and start-up": load}
    held = max(parts, key=parts.get)
    report.add(
        Stage(
            "ingestion of every source",
            total,
            sum(counts.values()),
            peak_max,
            baseline="bare COPY",
            ratio=round(ratio, 2),
            target="≤ 3× bare COPY",
            met=ratio <= 3,
            note=(
                "of the time: "
                + ", ".join(f"{k} {v:.1f} s ({v / total:.0%})" for k, v in parts.items())
                + f"; {held} holds it back"
            ),
            detail={k: round(v, 2) for k, v in parts.items()},
        )
    )


def run(scale: str) -> dict:
    global LAUNCHER
    LAUNCHER = Launcher()
    try:
        return _run(scale)
    finally:
        LAUNCHER.close()
        LAUNCHER = None


def _run(scale: str) -> dict:
    events = SCALES[scale]
    report = Report(scale)
    report.add(*parse_times())
    env = bench_environment(scale)

    t0 = time.perf_counter()
    data = generate(events)
    counts = report.data["by_source"] = data.counts
    report.add(Stage("generate the sources' data", time.perf_counter() - t0, sum(counts.values())))
    boxes = Sandboxes(data, Path(env["TRQ_BENCH_DIR"]) / "pm_landing")
    env.update(boxes.env)
    try:
        copy_seconds = bare_copy(data.records())
        report.add(Stage("bare COPY of every record into jsonb (baseline)", copy_seconds, sum(counts.values())))
        ingestion_stages(report, env, counts, copy_seconds)

        full, full_peak, full_models = dbt_build(env)
        after_full = report.data["warehouse"] = warehouse_counts()
        report.add(
            Stage(
                "dbt build, full",
                full,
                after_full["marts.fct_events"],
                full_peak,
                note="slowest models: " + slowest(full_models),
                detail={"models": full_models},
            )
        )
        tension = sum(full_models.get(m, 0.0) for m in TENSION_MODELS)
        report.add(
            Stage(
                "tension analysis (zones, Gi*, patterns, conflicts; within the full build)",
                tension,
                after_full["marts.fct_tension_zones"],
                note=", ".join(f"{m} {full_models.get(m, 0):.1f} s" for m in TENSION_MODELS),
            )
        )
        seconds, peak, _ = in_child(_me("_map"), env)
        report.add(Stage("tension map (tension_map's task)", seconds, 0, peak))

        # 1% new rows on top of the scale, in the same shares, pulled incrementally
        more = generate(max(1, events // 100), tag="N", first_police_day=END + timedelta(days=1))
        boxes.add(data, more)
        new_total, landed = 0.0, 0
        for source in ("cortege", "evenements_espace_public", "interventions_police_municipale"):
            seconds, _, output = in_child(_me("_ingest", source, "incremental"), env)
            new_total += seconds
            landed += child_result(output)["new_rows"]
        report.add(Stage("incremental ingestion of the 1% new rows", new_total, landed))
        incremental, inc_peak, inc_models = dbt_build(env)
        ratio = incremental / full
        report.add(
            Stage(
                "dbt build after 1% new rows",
                incremental,
                landed,
                inc_peak,
                baseline="dbt build, full",
                ratio=round(ratio, 3),
                target="≤ 0.10× the full build",
                met=ratio <= 0.10,
                note="slowest models: " + slowest(inc_models),
                detail={"models": inc_models},
            )
        )

        # the build after the new rows is the bare `dbt build` of the state warehouse_build builds
        bare = incremental
        seconds, peak, output = in_child(["make", "--no-print-directory", "dag", "DAG=warehouse_build"], env)
        # `airflow dags test` keeps no task log: its output is where each task's time is read
        (Path(env["TRQ_BENCH_DIR"]) / "warehouse_build.log").write_text(output)
        tasks = task_times(output)
        ratio = seconds / bare
        report.add(
            Stage(
                "warehouse_build through Airflow (make dag)",
                seconds,
                events,
                peak,
                baseline="dbt build after 1% new rows (bare, same state)",
                ratio=round(ratio, 2),
                target="≤ 1.5× bare dbt build",
                met=ratio <= 1.5,
                note="one task per model, each its own dbt call; " + airflow_split(tasks, bare),
                detail={"tasks": tasks},
            )
        )

        held = warehouse_counts()[f"rows of {PURGED}"]
        seconds, peak, output = in_child(_me("_purge", PURGED), env)
        purged = child_result(output)
        if not purged["passed"]:
            raise RuntimeError(f"the purge's verification failed: {purged['failed']}")
        report.add(
            Stage(
                f"purge {PURGED} (destroy, vacuum, rebuild, verify)",
                seconds,
                held,
                peak,
                note=", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in purged["phases"].items()),
                detail=purged,
            )
        )
    finally:
        boxes.close()
    return report.data


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [
        f"# Benchmark, scale {report['scale']} ({report['events']:,} events)",
        "",
        f"{report['started_at']}, {m['cpus']} CPUs, {m['memory_gb']} GB, Python {m['python']}. Events by source: "
        + ", ".join(f"{k} {v:,}" for k, v in report["by_source"].items())
        + ". After the full build: "
        + ", ".join(f"{k} {v:,}" for k, v in report["warehouse"].items())
        + ".",
        "",
        "| stage | wall (s) | rows/s | peak MB | beside | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in report["stages"]:
        met = "" if s["met"] is None else ("yes" if s["met"] else "**no**")
        lines.append(
            f"| {s['name']} | {s['seconds']:.2f} | {s['rows_per_second'] or ''} |"
            f" {'' if s['peak_mb'] is None else round(s['peak_mb'])} | {s['baseline'] or ''} |"
            f" {'' if s['ratio'] is None else s['ratio']} | {s['target'] or ''} | {met} |"
        )
    missed = [s["name"] for s in report["stages"] if s["met"] is False]
    notes = [f"- {s['name']}: {s['note']}" for s in report["stages"] if s["note"] and (s["rows"] or s["target"])]
    lines += ["", "Targets missed: " + (", ".join(missed) if missed else "none") + "."]
    return "\n".join(lines + ([""] + notes if notes else [])) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.pipeline_bench")
    parser.add_argument(
        "stage", choices=[*SCALES, "_ingest", "_gate", "_map", "_purge", "_parse", "_dag_processor", "_launcher"]
    )
    parser.add_argument("args", nargs="*")
    args = parser.parse_args(argv)
    children = {
        "_ingest": lambda: child_ingest(args.args[0], args.args[1] == "full"),
        "_gate": lambda: child_gate(args.args[0]),
        "_map": child_map,
        "_purge": lambda: child_purge(args.args[0]),
        "_parse": lambda: child_parse(args.args[0]),
        "_dag_processor": child_dag_processor,
    }
    if args.stage == "_launcher":
        serve_launches()
        return 0
    if args.stage in children:
        print("RESULT " + json.dumps(children[args.stage]()))
        return 0
    print(markdown(run(args.stage)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
