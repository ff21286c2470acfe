"""A record made safe for every later step, or the one reason it cannot be.

The contract says what a record means; this says what the warehouse can hold. A JSON
Schema `integer` accepts `2.0` and `1e20`, a position may carry an elevation, a string may
be a megabyte long and an object 900 levels deep: each is valid JSON, and each once failed
a whole batch or a whole build further on (an integer cast, `jsonb`, spaCy, PostGIS's 2-D
columns). The gate runs `harden` first and the checks below after the contract, so that a
record either lands in a form no later step refuses, or is quarantined alone with a reason.

Reason details name the rule and the path, never a value; a key the contract does not know
could itself be personal data, so a path shows it hashed.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from tranquillite.core.settings import GateLimits, gate_limits
from tranquillite.ingestion.contract import Problem, parse_datetime

# what the warehouse casts each typed field to, and the integers each SQL type holds
# an RFC 3339 instant written with more than six decimals
_LONG_FRACTION = re.compile(r"(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}\.\d{6})\d+((?:[Zz]|[+-]\d{2}:\d{2}))")
SQL_INTEGER_RANGES = {"integer": (-(2**31), 2**31 - 1), "bigint": (-(2**63), 2**63 - 1)}
_EXACT_FLOAT = 2**53


class _StopError(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def key_in_path(key: str, known: frozenset[str]) -> str:
    """How a reason names a key: as it is when the contract knows it, else by its hash."""
    return key if key in known else "#" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:8]


def _where(path: str) -> str:
    """A path as a reason shows it: the first levels, enough to find the field."""
    parts = path.split(".")
    return ".".join(parts[:3]) + (".…" if len(parts) > 3 else "") if path else "(record)"


def harden(record: Any, known: frozenset[str], limits: GateLimits | None = None) -> tuple[Any, Problem | None]:
    """The record as it came (a copy), or, when it holds more than the gate reads whole,
    None and the reason (`too_deep`, `too_large`, `invalid_number`). Never recurses deeper
    than the limit."""
    limits = limits or gate_limits()
    try:
        return _walk(record, 0, "", known, limits), None
    except _StopError as stop:
        return None, stop.problem


def _walk(node: Any, depth: int, path: str, known: frozenset[str], limits: GateLimits) -> Any:
    if isinstance(node, dict | list):
        if depth >= limits.max_depth:
            raise _StopError(Problem("too_deep", f"{_where(path)}: nested deeper than {limits.max_depth} levels"))
        if isinstance(node, dict):
            if len(node) > limits.max_object_keys:
                raise _StopError(Problem("too_large", f"{_where(path)}: more than {limits.max_object_keys} fields"))
            out = {}
            for key, value in node.items():
                if not isinstance(key, str) or len(key) > 200:
                    raise _StopError(Problem("too_large", f"{_where(path)}: a field name longer than 200 characters"))
                name = key_in_path(key, known)
                out[key] = _walk(value, depth + 1, f"{path}.{name}" if path else name, known, limits)
            return out
        if len(node) > limits.max_array_items:
            raise _StopError(Problem("too_large", f"{_where(path)}: more than {limits.max_array_items} items"))
        return [_walk(value, depth + 1, f"{path}[]", known, limits) for value in node]
    if isinstance(node, str):
        if len(node) > limits.max_text_chars:
            detail = f"{_where(path)}: text longer than {limits.max_text_chars} characters"
            raise _StopError(Problem("too_large", detail))
        if 27 < len(node) < 48 and node[4:5] == "-" and (long := _LONG_FRACTION.fullmatch(node)):
            # below a microsecond Python truncates and PostgreSQL rounds: they would disagree
            # on which of two instants comes first; kept to the microsecond, both read the same
            return long.group(1) + long.group(2)
        return node
    if isinstance(node, float) and not math.isfinite(node):
        raise _StopError(Problem("invalid_number", f"{_where(path)}: not a finite number"))
    return node


def as_integers(record: Any, paths: Sequence[str]) -> Any:
    """The record with the integral floats of its integer fields (`paths`, dotted) written as
    integers: JSON Schema's integer accepts `2.0`, a SQL cast of '2.0' to integer does not.
    Only those fields: any other number keeps its form, and so the record its hash."""
    if not isinstance(record, dict):
        return record
    out = record
    for path in paths:
        *parents, last = path.split(".")
        node: Any = out
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        value = node.get(last) if isinstance(node, dict) else None
        if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_FLOAT:
            if out is record:
                out = copy.deepcopy(record)
            target = out
            for part in parents:
                target = target[part]
            target[last] = int(value)
    return out


def typed_problem(values: Mapping[str, Any], kinds: Mapping[str, str]) -> Problem | None:
    """The first typed field whose value the warehouse's cast would refuse. `values` maps a
    field's path to its value in the record, `kinds` the path to its SQL type."""
    if not isinstance(values, Mapping):
        return None
    for path, kind in kinds.items():
        value = values.get(path)
        if value is None:
            continue
        if kind in SQL_INTEGER_RANGES and isinstance(value, int | float) and not isinstance(value, bool):
            low, high = SQL_INTEGER_RANGES[kind]
            if not (isinstance(value, int) and low <= value <= high):
                return Problem("out_of_range", f"{path}: not an integer the warehouse's {kind} holds")
    return None


def future_problem(path: str, value: Any, not_after: datetime | None) -> Problem | None:
    """An `updated_at` after the source's own clock (plus the skew) is an error: taken as
    the high-water mark, it would stop every later pull from asking for anything."""
    if not_after is None or not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment > not_after:
        return Problem("updated_at_in_future", f"{path}: is later than the source's clock")
    return None


def not_after(server_time: Any, limits: GateLimits | None = None) -> datetime:
    """The latest `updated_at` a page may hold: the server's clock when it gave one, ours
    otherwise (and never later than ours), plus the allowed skew."""
    limits = limits or gate_limits()
    now = datetime.now(UTC)
    moment = now
    if isinstance(server_time, str):
        with contextlib.suppress(ValueError):
            # a server clock ahead of ours is not trusted, nor one far behind it (a stale
            # server_time would otherwise hold every entry of the page as "in the future")
            moment = max(min(parse_datetime(server_time), now), now - timedelta(hours=1))
    return moment + timedelta(minutes=limits.clock_skew_minutes)


# --- geometries --------------------------------------------------------------------------


def flat_geometry(geometry: Any) -> Any:
    """A GeoJSON geometry as the warehouse's 2-D columns hold it: positions cut to longitude
    and latitude (RFC 7946 allows an elevation), and polygon rings closed."""
    if not isinstance(geometry, dict):
        return geometry
    kind = geometry.get("type")
    if not isinstance(kind, str):
        return geometry
    if kind == "GeometryCollection" and isinstance(geometry.get("geometries"), list):
        return {**geometry, "geometries": [flat_geometry(g) for g in geometry["geometries"]]}
    if "coordinates" not in geometry:
        return geometry
    depth = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}
    if kind not in depth:
        return geometry
    rings = 1 if kind == "Polygon" else 2 if kind == "MultiPolygon" else None
    return {**geometry, "coordinates": _flat(geometry["coordinates"], depth[kind], rings)}


def _is_position(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)


def _flat(node: Any, depth: int, rings_at: int | None) -> Any:
    if depth == 0:
        return node[:2] if _is_position(node) and len(node) > 2 else node
    if not isinstance(node, list):
        return node
    out = [_flat(child, depth - 1, None if rings_at is None else rings_at - 1) for child in node]
    if rings_at == 0 and len(out) >= 3 and all(_is_position(p) for p in out) and out[0] != out[-1]:
        out.append(list(out[0]))
    return out
