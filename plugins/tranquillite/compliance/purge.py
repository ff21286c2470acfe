"""Destroy every copy of one agreement's data, then prove it (convention, article 9).

The places are discovered, not listed: every stored relation of the warehouse either
carries a `convention_id*` column (the purge deletes by it, or drops the agreement's
partition) or is on the reviewed list `compliance/residue_exceptions.yml` with its
reason and how the purge treats it. A relation that is neither stops the purge
before anything is deleted. Outside the warehouse: Great Expectations' results and
Data Docs, the files the platform writes (map, lineage, landing folders), and
Airflow's task logs and XComs.

Verification samples values of the agreement's data before the destruction (ids,
content hashes, distinctive strings that no other agreement's data contains) and
searches them everywhere afterwards. They are never logged or returned; a purge run
for a request keeps them in `compliance.purge_samples` from before the destruction
until its certification, so that a retry verifies against the same samples, and a
purge whose samples are gone refuses to call itself verified.
"""

from __future__ import annotations

import fnmatch
import logging
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import yaml
from psycopg import sql

from tranquillite.compliance.conventions import calendar
from tranquillite.compliance.residue import find_residue, like_escape
from tranquillite.core import settings
from tranquillite.core.settings import ROOT, WAREHOUSE_CONN_ID

log = logging.getLogger(__name__)

EXCEPTIONS_FILE = ROOT / "compliance" / "residue_exceptions.yml"
PURGE_KINDS = ("source", "batch", "cache", "rebuilt", "keep")
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast", "topology", "tiger", "tiger_data")
CONVENTION_COLUMN = re.compile(r"^convention_id(_[a-z0-9]+)?$")
MAX_SCANNED_FILE_BYTES = 64 * 1024 * 1024


class PurgeError(RuntimeError):
    """The purge cannot go on safely: says what and where, never a value."""


@dataclass
class Relation:
    schema: str
    name: str
    kind: str  # r table, p partitioned table, m materialised view
    convention_columns: list[str]
    columns: list[str]
    partition_key: str | None = None

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    def ident(self) -> sql.Composed:
        return sql.SQL("{}.{}").format(sql.Identifier(self.schema), sql.Identifier(self.name))


@dataclass
class Destroyed:
    place: str
    method: str
    rows: int
    at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="milliseconds"))


@dataclass
class Check:
    place: str
    check: str
    passed: bool
    detail: str


@dataclass
class Scope:
    """What belongs to the agreement. `samples` never leaves this process."""

    convention_id: str
    sources: list[str]
    batch_ids: list[str]
    label_keys: list[str]
    samples: list[str] = field(repr=False, default_factory=list)
    # why the samples cannot vouch for this attempt (discarded or lost), if they cannot
    sampling_problem: str | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "convention_id": self.convention_id,
            "sources": self.sources,
            "ingestion_batches": len(self.batch_ids),
            "address_labels": len(self.label_keys),
            "verification_samples": len(self.samples),
        }


# ---------------------------------------------------------------- discovery


def exceptions() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(EXCEPTIONS_FILE.read_text(encoding="utf-8")) or {}
    out = {}
    for pattern, spec in (data.get("tables") or {}).items():
        if spec.get("purge") not in PURGE_KINDS or not spec.get("reason"):
            raise PurgeError(f"{EXCEPTIONS_FILE.name}: {pattern} needs a reason and a purge among {PURGE_KINDS}")
        out[pattern] = {"purge": spec["purge"], "reason": " ".join(str(spec["reason"]).split())}
    return out


def exception_for(relation: str, listed: dict[str, dict[str, str]]) -> dict[str, str] | None:
    for pattern, spec in listed.items():
        if fnmatch.fnmatchcase(relation, pattern):
            return spec
    return None


def discover(conn: psycopg.Connection) -> list[Relation]:
    """Every stored relation outside the system schemas; partitions are reached through their parent."""
    rows = conn.execute(
        "select n.nspname, c.relname, c.relkind::text,"
        " array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0"
        "   and not a.attisdropped order by a.attnum),"
        " case when c.relkind = 'p' then (select a.attname::text from pg_partitioned_table pt"
        "   join pg_attribute a on a.attrelid = pt.partrelid and a.attnum = pt.partattrs[0]"
        "   where pt.partrelid = c.oid) end"
        " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where c.relkind in ('r', 'p', 'm') and not c.relispartition"
        " and n.nspname <> all(%s) and n.nspname not like 'pg_temp%%' and n.nspname not like 'pg_toast%%'"
        " order by 1, 2",
        (list(SYSTEM_SCHEMAS),),
    ).fetchall()
    return [
        Relation(schema, name, kind, [c for c in cols if CONVENTION_COLUMN.match(c)], list(cols), key)
        for schema, name, kind, cols, key in rows
    ]


def coverage_problems(relations: Iterable[Relation], listed: dict[str, dict[str, str]]) -> list[str]:
    problems = []
    for rel in relations:
        if not rel.convention_columns and exception_for(rel.qualified, listed) is None:
            problems.append(
                f"{rel.qualified} has no convention_id column and is not on {EXCEPTIONS_FILE.name}:"
                " add the column, or review it and list it with its reason"
            )
    return problems


# ---------------------------------------------------------------- scope and samples


def _label_sql() -> tuple[str, list]:
    """(convention_id, normalised label) of every address label in raw: the geocoder cache's users."""
    from tranquillite.geo.geocoding import CORTEGE_LABELS, feed_label_queries

    parts = [CORTEGE_LABELS]
    params: list = []
    for query, args in feed_label_queries():
        parts.append(query)
        params.extend(args)
    return (
        "select distinct convention_id, geo.normalise_label(label) as k from (" + " union all ".join(parts) + ")"
        " as labels(convention_id, label)",
        params,
    )


def plan_scope(
    conn: psycopg.Connection, convention_id: str, *, purge_id: int | None = None, sample_size: int = 20
) -> Scope:
    dates = calendar(conn, convention_id)
    sources = list(dates["sources"])
    batch_ids = [
        str(r[0])
        for r in conn.execute(
            "select batch_id from ops.ingest_batches where convention_id = %s or (convention_id is null"
            " and source = any(%s))",
            (convention_id, sources),
        )
    ]
    label_sql, params = _label_sql()
    keyed = conn.execute(
        f"with used as ({label_sql}) select k from used where convention_id = %s and k is not null"
        " except select k from used where convention_id <> %s",
        [*params, convention_id, convention_id],
    ).fetchall()
    scope = Scope(convention_id, sources, batch_ids, sorted(r[0] for r in keyed))
    if purge_id is None:
        scope.samples = _samples(conn, convention_id, sample_size)
    else:
        scope.samples, scope.sampling_problem = _kept_samples(conn, purge_id, convention_id, sample_size)
    return scope


SAMPLES_TABLE = ("compliance", "purge_samples")


def _kept_samples(
    conn: psycopg.Connection, purge_id: int, convention_id: str, size: int
) -> tuple[list[str], str | None]:
    """The request's samples: taken and stored on its first attempt, before anything is
    destroyed; read back on a retry. Gone (discarded, or fewer than were taken), they
    cannot vouch for this attempt: the problem says so."""
    with conn.transaction():
        row = conn.execute(
            "select samples, discarded_at from compliance.purge_sampling where purge_id = %s for update", (purge_id,)
        ).fetchone()
        if row is None:
            samples = _samples(conn, convention_id, size)
            conn.execute(
                "insert into compliance.purge_sampling (purge_id, samples) values (%s, %s)", (purge_id, len(samples))
            )
            with conn.cursor() as cur:
                cur.executemany(
                    "insert into compliance.purge_samples (purge_id, sample) values (%s, %s)",
                    [(purge_id, v) for v in samples],
                )
            return samples, None
    taken, discarded_at = row
    stored = [
        r[0] for r in conn.execute("select sample from compliance.purge_samples where purge_id = %s", (purge_id,))
    ]
    if discarded_at is not None or len(stored) != taken:
        return stored, (
            f"not checked: the {taken} sample(s) taken before the destruction are gone"
            f" ({'discarded' if discarded_at else 'lost'}); this attempt cannot be verified"
        )
    return stored, None


def discard_samples(conn: psycopg.Connection, purge_id: int) -> int:
    """Destroy a request's samples (at its certification, or when it closes unfinished)."""
    with conn.transaction():
        gone = conn.execute("delete from compliance.purge_samples where purge_id = %s", (purge_id,)).rowcount
        conn.execute(
            "update compliance.purge_sampling set discarded_at = coalesce(discarded_at, now()) where purge_id = %s",
            (purge_id,),
        )
    return gone


def _samples(conn: psycopg.Connection, convention_id: str, size: int) -> list[str]:
    """Values of the agreement's data that no other agreement's data contains."""
    found: list[str] = []
    candidates: list[str] = []
    for table, id_expr in (("raw.cortege_entries", "entry_id::text"), ("raw.feed_records", "record_id")):
        rows = conn.execute(
            f"select {id_expr}, payload_sha256 from {table} where convention_id = %s order by payload_sha256 limit %s",
            (convention_id, size),
        ).fetchall()
        for record_id, sha in rows:
            found.append(sha)
            if len(record_id) >= 12:
                found.append(record_id)
        # distinctive strings: long text leaves of the payloads that occur under no other agreement
        candidates += [
            value
            for (value,) in conn.execute(
                f"select distinct v #>> '{{}}' from (select payload from {table} where convention_id = %s"
                f" order by payload_sha256 limit %s) as p,"
                " jsonb_path_query(p.payload, 'strict $.** ? (@.type() == \"string\")') as v"
                " where length(v #>> '{}') between 16 and 200 limit %s",
                (convention_id, size, size * 3),
            )
        ]
    shared = _held_elsewhere(conn, convention_id, candidates)
    found += [value for value in candidates if value not in shared][:size]
    return sorted(set(found))


def _held_elsewhere(conn: psycopg.Connection, convention_id: str, values: list[str]) -> set[str]:
    """Those of `values` some other agreement's raw data holds: one pass over those data for all
    of them, each payload cast once (a pass each took 2 s at a million rows)."""
    if not values:
        return set()
    # as they stand in a payload's JSON text
    searched = {value.replace('"', '\\"'): value for value in values}
    rows = conn.execute(
        "select distinct v from unnest(%(v)s::text[]) as v, ("
        "   select payload::text as t from raw.cortege_entries where convention_id <> %(c)s"
        "   union all select payload::text from raw.feed_records where convention_id <> %(c)s"
        " ) as other where strpos(other.t, v) > 0",
        {"c": convention_id, "v": list(searched)},
    )
    return {searched[v] for (v,) in rows}


# ---------------------------------------------------------------- destruction


def _partitions_of(conn: psycopg.Connection, parent: Relation, convention_id: str) -> list[str]:
    """The partitions of `parent` that hold exactly this agreement (list partitioning on its id)."""
    rows = conn.execute(
        "select n.nspname || '.' || c.relname, pg_get_expr(c.relpartbound, c.oid)"
        " from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_namespace n on n.oid = c.relnamespace"
        " where i.inhparent = %s::regclass",
        (parent.qualified,),
    ).fetchall()
    return [name for name, bound in rows if bound == _partition_bound(convention_id)]


def _partition_bound(convention_id: str) -> str:
    """How PostgreSQL prints the bound of the agreement's list partition."""
    return "FOR VALUES IN ('" + convention_id.replace("'", "''") + "')"


def _kept(rel: Relation, listed: dict[str, dict[str, str]]) -> bool:
    """The agreements' own record (compliance.*) names them but holds no partner data: kept."""
    spec = exception_for(rel.qualified, listed)
    return spec is not None and spec["purge"] == "keep"


def _rows_of(rel: Relation, listed: dict[str, dict[str, str]], scope: Scope) -> tuple[str, sql.Composable, list] | None:
    """Which rows of `rel` are the agreement's (what the check calls them, the condition, its
    arguments); None for a relation the purge leaves alone. The destruction deletes them, the
    verification counts them: one definition for both."""
    if _kept(rel, listed):
        return None
    if rel.convention_columns:
        # by its id, and (a row with a source and no id yet: ledger rows older than migration 008) by its sources
        parts = [sql.SQL("{} = %s").format(sql.Identifier(c)) for c in rel.convention_columns]
        args: list = [scope.convention_id] * len(parts)
        if "source" in rel.columns and len(rel.convention_columns) == 1:
            column = sql.Identifier(rel.convention_columns[0])
            parts.append(sql.SQL("({} is null and source = any(%s))").format(column))
            args.append(scope.sources)
        return "rows of the agreement", sql.SQL(" or ").join(parts), args
    purge = (exception_for(rel.qualified, listed) or {}).get("purge")
    if purge == "source" and "source" in rel.columns:
        return "rows of the agreement's sources", sql.SQL("source = any(%s)"), [scope.sources]
    if purge == "batch" and "batch_id" in rel.columns:
        return "rows of the agreement's batches", sql.SQL("batch_id::text = any(%s)"), [scope.batch_ids]
    if purge == "cache" and "label_key" in rel.columns:
        return "labels only the agreement used", sql.SQL("label_key = any(%s)"), [scope.label_keys]
    if purge in ("source", "batch", "cache"):
        raise PurgeError(f"{rel.qualified}: purge '{purge}' does not apply to its columns; review the exception")
    return None  # rebuilt from what remains


def preview(conn: psycopg.Connection, convention_id: str) -> dict[str, Any]:
    """What a purge of the agreement would destroy, counted and changing nothing: rows per
    table (by the same definitions the destruction and the verification use), files per
    folder. Shown to the officers before they decide; holds counts and names, never a value."""
    listed = exceptions()
    relations = discover(conn)
    scope = plan_scope(conn, convention_id, sample_size=0)
    tables = {rel.qualified: n for rel, _, n in _agreement_rows(conn, relations, listed, scope) if n}
    folders: dict[str, int] = {}
    base, runs = airflow_log_folder(), run_log_folder()
    places = [base / f"dag_id={dag_id}" for dag_id in ingest_dag_ids(scope)]
    places += [runs / f"run-{dag_id}.log" for dag_id in ingest_dag_ids(scope)]
    places += landing_folders(scope)
    for place in places:
        n = sum(1 for p in place.rglob("*") if p.is_file()) if place.is_dir() else int(place.is_file())
        if n:
            folders[str(place)] = n
    return {
        "convention_id": convention_id,
        "sources": scope.sources,
        "tables": tables,
        "files": folders,
        "problems": coverage_problems(relations, listed),
    }


def preview_markdown(view: dict[str, Any]) -> str:
    """The preview as the HITL body shows it."""
    lines = ["| what | rows or files |", "| --- | --- |"]
    lines += [f"| `{name}` | {n} |" for name, n in sorted(view["tables"].items())]
    lines += [f"| `{name}` | {n} file(s) |" for name, n in sorted(view["files"].items())]
    if len(lines) == 2:
        lines.append("| (nothing of the agreement is held) | 0 |")
    if view["problems"]:
        lines.append("")
        lines.append("**The purge cannot start as things stand:** " + "; ".join(view["problems"]))
    return "\n".join(lines)


def _agreement_rows(
    conn: psycopg.Connection, relations: list[Relation], listed: dict[str, dict[str, str]], scope: Scope
) -> Iterator[tuple[Relation, str, int]]:
    """Each relation the purge treats, what its rows of the agreement are called, and how many
    there are: what the preview shows before and the verification checks after."""
    for rel in relations:
        rows_of = _rows_of(rel, listed, scope)
        if rows_of is None:
            continue
        label, where, args = rows_of
        n = conn.execute(sql.SQL("select count(*) from {} where {}").format(rel.ident(), where), args).fetchone()[0]
        yield rel, label, n


def destroy_warehouse(conn: psycopg.Connection, scope: Scope) -> tuple[list[Destroyed], list[str]]:
    """One transaction: drop the agreement's partitions, delete its rows everywhere else.
    Returns what was destroyed and the tables to vacuum."""
    listed = exceptions()
    relations = discover(conn)
    problems = coverage_problems(relations, listed)
    if problems:
        raise PurgeError("; ".join(problems))
    destroyed: list[Destroyed] = []
    vacuum: list[str] = []
    cid = scope.convention_id
    with conn.transaction():
        conn.execute("set local lock_timeout = '30s'")
        for rel in relations:
            rows_of = _rows_of(rel, listed, scope)
            if rows_of is None:
                continue
            if rel.kind == "p" and rel.partition_key in rel.convention_columns:
                for part in _partitions_of(conn, rel, cid):
                    schema, name = part.split(".", 1)
                    ident = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(name))
                    rows = conn.execute(sql.SQL("select count(*) from {}").format(ident)).fetchone()[0]
                    # the compliance role owns no table: the owner's function drops raw partitions only
                    conn.execute("select raw.drop_agreement_partition(%s)", (name,))
                    destroyed.append(Destroyed(part, "partition dropped", rows))
            # after a drop, rows of the agreement in another partition (a default one) would be a bug: deleted too
            _, where, args = rows_of
            cur = conn.execute(sql.SQL("delete from {} where {}").format(rel.ident(), where), args)
            if cur.rowcount:
                destroyed.append(Destroyed(rel.qualified, "rows deleted", cur.rowcount))
                vacuum.append(rel.qualified)
        conn.execute(
            "update compliance.conventions set status = 'purging', updated_at = now() where convention_id = %s", (cid,)
        )
    return destroyed, vacuum


def vacuum(tables: Iterable[str], conn_id: str = WAREHOUSE_CONN_ID) -> list[str]:
    """VACUUM where rows were deleted: the dead tuples are partner data still on disk.

    As the warehouse owner: PostgreSQL 15 lets only a table's or the database's
    owner vacuum (a non-owner gets a warning and nothing done), and the compliance
    role owns nothing. This is the one step of a purge that needs the owner."""
    from tranquillite.warehouse import connect

    done = []
    with connect(conn_id) as conn:
        for table in sorted(set(tables)):
            schema, name = table.split(".", 1)
            conn.execute(sql.SQL("vacuum (analyze) {}.{}").format(sql.Identifier(schema), sql.Identifier(name)))
            done.append(table)
    return done


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


# ---------------------------------------------------------------- verification


def verify(conn: psycopg.Connection, scope: Scope) -> list[Check]:
    """Zero rows of the agreement anywhere, no sample value in any text column or written file."""
    listed = exceptions()
    relations = discover(conn)
    checks: list[Check] = []
    for problem in coverage_problems(relations, listed):
        checks.append(Check("warehouse", "coverage", False, problem))
    for rel, label, n in _agreement_rows(conn, relations, listed, scope):
        checks.append(Check(rel.qualified, label, n == 0, f"{n} row(s)"))
    leftover = conn.execute(
        "select count(*) from pg_inherits i join pg_class c on c.oid = i.inhrelid"
        " where pg_get_expr(c.relpartbound, c.oid) = %s",
        (_partition_bound(scope.convention_id),),
    ).fetchone()[0]
    checks.append(Check("warehouse", "partitions of the agreement", leftover == 0, f"{leftover} partition(s)"))
    if scope.sampling_problem:
        checks.append(Check("warehouse", "verification samples", False, scope.sampling_problem))
    residues = find_residue(conn, scope.samples, stored_only=True, skip=frozenset({SAMPLES_TABLE}))
    for r in residues:
        checks.append(Check(f"{r.schema}.{r.table}.{r.column}", "sample values", False, f"{r.rows} row(s) hold one"))
    checks.append(
        Check(
            "warehouse", "sample values in every text and jsonb column", not residues, f"{len(scope.samples)} sampled"
        )
    )
    return checks + verify_xcoms(scope) + verify_files(scope)


# ---------------------------------------------------------------- the whole destruction


@dataclass
class PurgeOutcome:
    convention_id: str
    started_at: str
    finished_at: str
    scope: dict[str, Any]
    destroyed: list[Destroyed]
    vacuumed: list[str]
    rebuilt: bool
    checks: list[Check]
    # seconds by phase: what an officer waiting on a large purge is waiting for
    phases: dict[str, float]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def deletion_seconds(self) -> float:
        """The warehouse deletion alone, which the certificate states."""
        return self.phases["warehouse deletion"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "convention_id": self.convention_id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "deletion_seconds": round(self.deletion_seconds, 3),
            "scope": self.scope,
            "destroyed": [asdict(d) for d in self.destroyed],
            "vacuumed": self.vacuumed,
            "rebuilt": self.rebuilt,
            "verification": {"passed": self.passed, "checks": [asdict(c) for c in self.checks]},
            "phases": {k: round(v, 3) for k, v in self.phases.items()},
        }


def rebuild_marts() -> None:
    """Rebuild every model from what remains (the aggregates over all agreements)."""
    from tranquillite.core.dbt_cli import run

    if run(["build", "--quiet"]) != 0:
        raise PurgeError("dbt build after the destruction failed: see the task log")


@contextmanager
def _timed(phases: dict[str, float], name: str) -> Iterator[None]:
    t0 = time.perf_counter()
    yield
    phases[name] = time.perf_counter() - t0


def purge(
    conn: psycopg.Connection, convention_id: str, *, purge_id: int | None = None, rebuild: bool = True
) -> PurgeOutcome:
    """Destroy every copy of the agreement's data, rebuild the rest, verify; never raises on a
    residue (the outcome says it), raises when the purge cannot start. With the request's
    `purge_id`, every phase may run again: the samples are those of the first attempt."""
    started = datetime.now(UTC)
    phases: dict[str, float] = {}
    with _timed(phases, "scope and samples"):
        scope = plan_scope(conn, convention_id, purge_id=purge_id)  # refuses an unknown agreement
    with _timed(phases, "warehouse deletion"):
        destroyed, to_vacuum = destroy_warehouse(conn, scope)
    log.info("%s: warehouse destruction took %.3f s", convention_id, phases["warehouse deletion"])
    with _timed(phases, "vacuum, GX, landing files, XComs"):
        vacuumed = vacuum(to_vacuum)
        destroyed += destroy_gx(scope) + destroy_landing_files(scope) + destroy_xcoms(scope)
    if rebuild:
        with _timed(phases, "rebuild and map"):
            rebuild_marts()
            _rewrite_map()
    with _timed(phases, "task logs and verification"):
        destroyed += destroy_task_logs(scope)
        checks = verify(conn, scope)
    outcome = PurgeOutcome(
        convention_id,
        started.isoformat(timespec="seconds"),
        datetime.now(UTC).isoformat(timespec="seconds"),
        scope.summary(),
        destroyed,
        vacuumed,
        rebuild,
        checks,
        phases,
    )
    if outcome.passed:
        conn.execute(
            "update compliance.conventions set status = 'purged', updated_at = now() where convention_id = %s",
            (convention_id,),
        )
    scope.samples.clear()
    return outcome


def _rewrite_map() -> None:
    """The map's files list events: drawn again from the rebuilt marts."""
    from tranquillite.tension.map import map_dir, write_map

    if (map_dir() / "tension_map.html").exists():
        write_map()
