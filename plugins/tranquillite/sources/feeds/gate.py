"""The gate for the municipal feeds: Cortège's steps, driven by the feed's configuration.

Storable text, the feed's JSON Schema (`feeds/<source>.schema.json`), its dates,
its geometry as PostGIS judges it (quarantined, or left for ST_MakeValid when the
feed's configuration says `repair`), then personal data in every free string,
masked (`tranquillite.ingestion.gate.check_personal_data`).
Problems a transport found while parsing (a malformed CSV line) come in with the
record and decide its quarantine reason.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import psycopg

from tranquillite.core.settings import gate_limits
from tranquillite.ingestion.contract import (
    Problem,
    one_problem,
    parse_date,
    parse_datetime,
    property_names,
    schema_problems,
)
from tranquillite.ingestion.gate import Judged, check_personal_data, received
from tranquillite.ingestion.hardening import flat_geometry, future_problem, typed_problem
from tranquillite.ingestion.landing import hashed_id
from tranquillite.pii.fields import SchemaWalker, every_string
from tranquillite.sources.feeds.config import FeedConfig, get


@dataclass
class Item:
    """A record as a transport delivers it, with where it was found and what parsing made of it."""

    record: Any
    line_number: int | None = None
    problem: Problem | None = None


@lru_cache(maxsize=16)
def _schema(path: str) -> dict:
    from pathlib import Path

    return json.loads(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=16)
def _validators(path: str) -> tuple[Any, Any]:
    """jsonschema-rs for the common case, a valid record; jsonschema to explain the rest."""
    import jsonschema_rs
    from jsonschema import Draft202012Validator

    schema = _schema(path)
    return jsonschema_rs.validator_for(schema), Draft202012Validator(schema)


@lru_cache(maxsize=16)
def schema_field_names(path: str) -> frozenset[str]:
    return property_names(_schema(path))


def _moment(kind: str, value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("not a string")
    if kind == "date":
        return parse_date(value)
    return parse_datetime(value)


def check_record(feed: FeedConfig, record: Any, approved: frozenset[str] = frozenset()) -> Problem | None:
    """What is wrong with one record against its feed's contract, or None. A change in the
    nature of the data (a field the schema does not know, a value outside an enumeration, a
    type change) is `schema_drift`, held for the DPO as Cortège's is (convention, art. 3),
    unless the DPO approved it (`approved`: signatures prefixed by the feed's source)."""
    if not isinstance(record, dict):
        return Problem("schema_violation", "(record): not a JSON object")
    fast, explain = _validators(str(feed.schema_file))
    try:
        ok = fast.is_valid(record)
    except (ValueError, OverflowError):
        ok = False
    if not ok:
        geometry = (feed.geometry_path.split(".")[0],) if feed.geometry_path else ()
        problem = one_problem(schema_problems(explain.iter_errors(record), feed.source, approved, geometry))
        if problem is not None:
            return problem
    moments = {}
    for path in dict.fromkeys(p for p in (feed.starts_path, feed.ends_path, feed.updated_at_path) if p):
        kind = feed.validation.get(path, "timestamptz")
        try:
            moments[path] = _moment(kind, get(path, record))
        except (ValueError, TypeError):
            what = "an ISO 8601 date" if kind == "date" else "an ISO 8601 date-time with its offset"
            return Problem("invalid_datetime", f"{path}: is not {what}")
    if moments[feed.ends_path] < moments[feed.starts_path]:
        return Problem("end_before_start", f"{feed.ends_path}: is before {feed.starts_path}")
    return None


def record_id(feed: FeedConfig, record: Any) -> str | None:
    value = get(feed.id_path, record) if isinstance(record, dict) else None
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) and str(value) else None


def quarantine_id(feed: FeedConfig, record: Any) -> str | None:
    rid = record_id(feed, record)
    return hashed_id(rid) if rid else None


@lru_cache(maxsize=16)
def _walker(path: str) -> SchemaWalker:
    return SchemaWalker(_schema(path))


def free_strings(feed: FeedConfig, item: Judged) -> Iterable[tuple[str, str]]:
    """Every free string of a feed record, as its schema says (free-form properties and field
    names outside the schema included); every string of one that broke it."""
    if item.problem is None:
        return _walker(str(feed.schema_file)).free_strings(item.record)
    return every_string(item.record, known=schema_field_names(str(feed.schema_file)))


def _check_geometries(conn: psycopg.Connection, feed: FeedConfig, judged: list[Judged]) -> None:
    if not feed.geometry_path:
        return
    todo = [
        (i, json.dumps(geom))
        for i, item in enumerate(judged)
        if item.problem is None and isinstance(geom := get(feed.geometry_path, item.record), dict)
    ]
    if not todo:
        return
    check = "raw.geojson_repair_problem" if feed.on_invalid_geometry == "repair" else "raw.geojson_invalidity"
    rows = conn.execute(
        f"select i, {check}(g) from unnest(%s::int[], %s::text[]) as t(i, g)",
        ([i for i, _ in todo], [g for _, g in todo]),
    ).fetchall()
    for i, reason in rows:
        if reason is not None:
            judged[i].problem = Problem("invalid_geometry", f"{feed.geometry_path}: {reason}"[:500])


def _flatten_geometry(feed: FeedConfig, verdict: Judged) -> None:
    geometry = get(feed.geometry_path, verdict.record)
    flat = flat_geometry(geometry)
    if flat == geometry:
        return
    record = copy.deepcopy(verdict.record)
    *parents, last = feed.geometry_path.split(".")
    node = record
    for part in parents:
        node = node[part]
    node[last] = flat
    verdict.normalised(record)


def judge_feed_records(
    conn: psycopg.Connection,
    feed: FeedConfig,
    items: Sequence[Item],
    *,
    not_after: datetime | None = None,
    approved: frozenset[str] = frozenset(),
) -> list[Judged]:
    """The gate's verdict on each record of a feed's page; `not_after`: the latest
    `updated_at` the clocks allow (`ingestion.hardening.not_after`); `approved`: the drift
    signatures the DPO accepted for this feed."""
    limits = gate_limits()
    known = schema_field_names(str(feed.schema_file))
    integers = tuple(path for path, kind in feed.validation.items() if kind in ("integer", "bigint"))
    judged: list[Judged] = []
    for item in items:
        verdict = received(item.record, known, limits, keep=(feed.id_path,), integers=integers)
        if item.problem is not None and verdict.problem is None:
            verdict.problem = item.problem
        if verdict.problem is None:
            verdict.problem = check_record(feed, verdict.record, approved)
        if verdict.problem is None:
            values = {path: get(path, verdict.record) for path in feed.validation}
            verdict.problem = typed_problem(values, feed.validation)
        if verdict.problem is None and feed.updated_at_path:
            stamp = get(feed.updated_at_path, verdict.record)
            verdict.problem = future_problem(feed.updated_at_path, stamp, not_after)
        if verdict.problem is None and feed.geometry_path:
            _flatten_geometry(feed, verdict)
        judged.append(verdict)
    _check_geometries(conn, feed, judged)
    check_personal_data(judged, lambda item: free_strings(feed, item), identity_paths=frozenset({feed.id_path}))
    return judged
