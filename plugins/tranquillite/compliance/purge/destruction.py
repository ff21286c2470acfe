"""The agreement's rows and partitions deleted from the warehouse, and the space given back."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

import psycopg
from psycopg import sql

from tranquillite.compliance.purge.airflow_side import (
    airflow_log_folder,
    ingest_dag_ids,
    landing_folders,
    run_log_folder,
)
from tranquillite.compliance.purge.scope import (
    Destroyed,
    PurgeError,
    Relation,
    Scope,
    coverage_problems,
    discover,
    exception_for,
    exceptions,
    plan_scope,
)
from tranquillite.core.settings import WAREHOUSE_CONN_ID

log = logging.getLogger(__name__)

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
