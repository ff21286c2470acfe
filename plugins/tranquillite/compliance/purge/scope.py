"""What a purge covers: the places discovered in the warehouse, the agreement's scope, and the
samples of its values that the verification searches for afterwards."""

from __future__ import annotations

import fnmatch
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg
import yaml
from psycopg import sql

from tranquillite.compliance.conventions import calendar
from tranquillite.core.settings import ROOT

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
