"""Outside the warehouse: Great Expectations' results, the landing folders, Airflow's task logs
and XComs, the files the platform writes."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg

from tranquillite.compliance.purge.scope import MAX_SCANNED_FILE_BYTES, Check, Destroyed, Scope
from tranquillite.compliance.residue import like_escape
from tranquillite.core import settings
from tranquillite.core.settings import ROOT

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- files and Airflow


def gx_suites(scope: Scope) -> list[str]:
    return ["cortege_entries" if s == "cortege" else s for s in scope.sources]


def destroy_gx(scope: Scope) -> list[Destroyed]:
    """Great Expectations' stored results of the agreement's suites, and their Data Docs pages;
    the Data Docs are then rebuilt from what remains."""
    gx_root = settings.gx_root()
    base = gx_root / "gx" / "uncommitted"
    if not base.exists():
        base = gx_root / "uncommitted"
    out = []
    for suite in gx_suites(scope):
        for folder in (base / "validations" / suite, base / "data_docs" / "local_site" / "validations" / suite):
            if folder.exists():
                count = sum(1 for p in folder.rglob("*") if p.is_file())
                shutil.rmtree(folder)
                out.append(Destroyed(str(folder.relative_to(gx_root)), "files deleted", count))
    if out:
        _rebuild_data_docs()
    return out


def _rebuild_data_docs() -> None:
    from tranquillite.ingestion.validation import _context

    try:
        _context().build_data_docs()
    except Exception as exc:  # noqa: BLE001 - the pages of the purged suites are gone either way
        log.warning("Data Docs not rebuilt: %s", type(exc).__name__)


def landing_folders(scope: Scope) -> list[Path]:
    """Local folders a file feed of the agreement is delivered to (an SFTP server is the partner's)."""
    from tranquillite.core.connections import get_conn
    from tranquillite.sources.feeds import config as feed_config
    from tranquillite.sources.feeds.registry import FEEDS

    folders = []
    for source in scope.sources:
        if source not in FEEDS:
            continue
        feed = feed_config.feed(source)
        if feed.transport != "csv_folder":
            continue
        conn = get_conn(feed.connection)
        path = str(conn.extra.get("path") or "")
        if conn.conn_type != "sftp" and path and "://" not in path:
            folders.append(Path(path))
    return folders


def destroy_landing_files(scope: Scope) -> list[Destroyed]:
    out = []
    for folder in landing_folders(scope):
        if folder.exists():
            files = [p for p in folder.rglob("*") if p.is_file()]
            for p in files:
                p.unlink()
            out.append(Destroyed(str(folder), "files deleted", len(files)))
    return out


def ingest_dag_ids(scope: Scope) -> list[str]:
    """The DAGs that pull the agreement's sources, named as the DAG files name them."""
    from tranquillite.ingestion.naming import ingest_dag_id
    from tranquillite.sources.feeds.registry import FEEDS

    return [ingest_dag_id(source) for source in scope.sources if source == "cortege" or source in FEEDS]


def airflow_log_folder() -> Path:
    return settings.airflow_log_dir()


def run_log_folder() -> Path:
    """Where `make run` writes each DAG's output (scripts/run_once.sh)."""
    return settings.run_log_dir()


def destroy_task_logs(scope: Scope) -> list[Destroyed]:
    """The task logs of the agreement's ingestion DAGs, in Airflow's folder and `make run`'s;
    in other DAGs' logs, any file that holds a sample value."""
    base, runs = airflow_log_folder(), run_log_folder()
    out = []
    for dag_id in ingest_dag_ids(scope):
        folder = base / f"dag_id={dag_id}"
        if folder.exists():
            count = sum(1 for p in folder.rglob("*") if p.is_file())
            shutil.rmtree(folder)
            out.append(Destroyed(f"airflow logs dag_id={dag_id}", "files deleted", count))
        run_log = runs / f"run-{dag_id}.log"
        if run_log.is_file():
            run_log.unlink()
            out.append(Destroyed(f"make run log of {dag_id}", "file deleted", 1))
    hits = [p for folder in (base, runs) for p in _files_holding(folder, scope.samples)]
    for p in hits:
        p.unlink()
    if hits:
        out.append(Destroyed("logs of other DAGs", "files holding a sample deleted", len(hits)))
    return out


def metadata_dsn() -> str | None:
    """Airflow's metadata database, from the setting the Airflow components use."""
    url = settings.airflow_metadata_url()
    if not url.startswith("postgresql"):
        return None
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


# the XComs of the agreement's ingestion DAGs, and any other that holds one of its sampled values
XCOM_OF_AGREEMENT = "dag_id = any(%s) or value::text like any(%s)"


def _xcom_args(scope: Scope) -> tuple[list[str], list[str]]:
    return ingest_dag_ids(scope), [f"%{like_escape(s)}%" for s in scope.samples]


def destroy_xcoms(scope: Scope) -> list[Destroyed]:
    """XComs of the agreement's ingestion DAGs, and any other XCom that holds a sample value.
    Airflow's database out of reach stops nothing here: the verification fails and says so."""
    dsn = metadata_dsn()
    if dsn is None:
        log.warning("no Airflow metadata database configured: XComs not destroyed")
        return []
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as meta:
            rows = meta.execute("delete from xcom where " + XCOM_OF_AGREEMENT, _xcom_args(scope)).rowcount
    except psycopg.Error as exc:
        log.warning("Airflow's metadata database out of reach (%s): XComs not destroyed", type(exc).__name__)
        return []
    return [Destroyed("airflow xcom", "rows deleted", rows)] if rows else []


def verify_xcoms(scope: Scope) -> list[Check]:
    """No XCom of the agreement left; a check that could not run is a failed check."""
    dsn = metadata_dsn()
    if dsn is None:
        return [Check("airflow xcom", "XComs of the agreement", False, "not checked: no metadata database configured")]
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as meta:
            n = meta.execute("select count(*) from xcom where " + XCOM_OF_AGREEMENT, _xcom_args(scope)).fetchone()[0]
    except psycopg.Error as exc:
        return [Check("airflow xcom", "XComs of the agreement", False, f"not checked: {type(exc).__name__}")]
    return [Check("airflow xcom", "XComs of the agreement", n == 0, f"{n} row(s)")]


def verify_files(scope: Scope) -> list[Check]:
    """No sample value in a file the platform writes, no landing file of the agreement."""
    checks = []
    for place in written_places():
        hits = list(_files_holding(place, scope.samples))
        for p in hits[:20]:
            checks.append(Check(str(p), "sample values", False, "the file holds one"))
        checks.append(Check(str(place), "sample values in written files", not hits, f"{len(hits)} file(s)"))
    for folder in landing_folders(scope):
        n = sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0
        checks.append(Check(str(folder), "landing files", n == 0, f"{n} file(s)"))
    return checks


def written_places() -> list[Path]:
    """The folders the platform writes files into."""
    from tranquillite.tension.map import map_dir

    gx_root = settings.gx_root()

    lineage = settings.openlineage_transport()
    places = [
        gx_root / "gx",
        gx_root / "uncommitted",
        map_dir(),
        airflow_log_folder(),
        run_log_folder(),
        ROOT / ".local" / "lineage",
    ]
    match = re.search(r'"log_file_path":\s*"([^"]+)"', lineage)
    if match:
        places.append(Path(match.group(1)).parent)
    places.append(ROOT / ".local" / "dbt")
    seen, out = set(), []
    for p in places:
        if p not in seen and p.exists():
            seen.add(p)
            out.append(p)
    return out


def _files_holding(root: Path, needles: list[str]) -> Iterator[Path]:
    encoded = [n.encode() for n in needles if n]
    if not encoded or not root.exists():
        return
    for path in root.rglob("*"):
        try:
            if not path.is_file() or path.stat().st_size > MAX_SCANNED_FILE_BYTES:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        if any(n in data for n in encoded):
            yield path
