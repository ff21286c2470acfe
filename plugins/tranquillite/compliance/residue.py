"""Search every text-like column of the warehouse for given values.

Used to prove that personal data never landed (the anonymisation gate) and
that a purged convention left nothing behind: the tables are discovered from
the catalogue, not listed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb", "ARRAY", "USER-DEFINED")
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast", "topology", "tiger", "tiger_data")


@dataclass(frozen=True)
class Residue:
    schema: str
    table: str
    column: str
    rows: int


def text_columns(conn: psycopg.Connection, *, stored_only: bool = False) -> list[tuple[str, str, str]]:
    """Text-like columns of tables and views; with `stored_only`, of the relations that store
    rows (tables, partitions through their parent), not views recomputing them."""
    kinds = ["BASE TABLE"] if stored_only else ["BASE TABLE", "VIEW"]
    rows = conn.execute(
        "select c.table_schema, c.table_name, c.column_name from information_schema.columns c"
        " join information_schema.tables t using (table_schema, table_name)"
        " where t.table_type = any(%s) and c.table_schema <> all(%s)"
        " and c.data_type = any(%s) and c.udt_name not in ('geometry', 'geography')"
        " and not exists (select 1 from pg_inherits i where i.inhrelid ="
        "   (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass)"
        " order by 1, 2, 3",
        (kinds, list(SYSTEM_SCHEMAS), list(TEXT_TYPES)),
    ).fetchall()
    return [(s, t, c) for s, t, c in rows if not t.startswith(("spatial_ref_sys", "geometry_columns"))]


def like_escape(value: str) -> str:
    """A value searched for as itself by LIKE: its wildcards and escapes are literal."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_residue(
    conn: psycopg.Connection,
    needles: list[str],
    *,
    stored_only: bool = False,
    skip: frozenset[tuple[str, str]] = frozenset(),
) -> list[Residue]:
    """Every (table, column) whose text holds one of `needles` (case-insensitive), with the
    number of rows.

    One scan a table, whatever its number of columns, and each value lower-cased once: `ilike
    any` lower-cases the value again for every needle, which at a million rows and the purge's
    hundred sampled values made the search five times slower (docs/performance.md). `lower(v) like
    lower(p)` is what PostgreSQL's ILIKE does on a multi-byte database.
    """
    needles = [n for n in needles if n]
    if not needles:
        return []
    by_table: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in text_columns(conn, stored_only=stored_only):
        if (schema, table) in skip:
            continue
        by_table.setdefault((schema, table), []).append(column)
    # lower-cased by the database, as ILIKE would (its collation, not Python's)
    patterns = conn.execute(
        "select array(select lower(x) from unnest(%s::text[]) as x)", ([f"%{like_escape(n)}%" for n in needles],)
    ).fetchone()[0]
    found = []
    for (schema, table), columns in by_table.items():
        counts = sql.SQL(", ").join(
            sql.SQL("count(*) filter (where lower({}::text) like any(%(p)s))").format(sql.Identifier(c))
            for c in columns
        )
        query = sql.SQL("select {} from {}.{}").format(counts, sql.Identifier(schema), sql.Identifier(table))
        row = conn.execute(query, {"p": patterns}).fetchone()
        found.extend(Residue(schema, table, c, n) for c, n in zip(columns, row, strict=True) if n)
    return found
