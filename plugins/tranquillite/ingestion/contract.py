"""The Cortège entry contract (export API v1), checked record by record.

Each entry is judged against the branch of the JSON Schema for its own `type`,
so that an error names the exact field. The verdict separates:

- `schema_drift`: a change in the nature of the data (a field outside the
  contract, a value outside an enumeration, a type change). Convention, art. 3:
  such data must not load before the DPO accepts it.
- `schema_violation`: the record breaks the contract otherwise (missing field,
  length, range, format).
- `invalid_datetime`, `end_before_start`: the contract's semantics.

Reason details name fields and rules only, never the values: a quarantine row
must not repeat what a record carried.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

import orjson

from tranquillite.core.settings import CONTRACTS_DIR

SCHEMA_FILE = CONTRACTS_DIR / "cortege-entry-v1.schema.json"

ENTRY_TYPES = (
    "manifestation_deambulatoire",
    "manifestation_statique",
    "operation_programmee",
    "visite_officielle",
)
# Rules whose failure means the data changed nature rather than being malformed.
DRIFT_VALIDATORS = {"additionalProperties", "enum", "const", "type"}
# an entry's id as the contract writes it
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
GEOMETRY_FIELDS = {"manifestation_deambulatoire": "trace", "manifestation_statique": "emprise"}


@dataclass(frozen=True)
class Problem:
    code: str
    detail: str
    # for schema_drift: what changed, e.g. "field:manifestation_statique.contact",
    # "value:manifestation_deambulatoire.statut_organisateur=collectif"
    drift: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def load_schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def fields_by_type() -> dict[str, list[str]]:
    """The top-level fields the contract allows for each entry type."""
    schema = load_schema()
    common = set(schema["properties"])
    return {b["properties"]["type"]["const"]: sorted(common | set(b["properties"])) for b in schema["oneOf"]}


@lru_cache(maxsize=1)
def all_field_names() -> frozenset[str]:
    """Every property name anywhere in the contract, nested ones (addresses, geometries) included."""
    return property_names(load_schema())


def property_names(schema: dict) -> frozenset[str]:
    """Every property name anywhere in a JSON Schema."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return frozenset(names)


@lru_cache(maxsize=1)
def _fast_validators() -> dict[str, Any]:
    """The same per-type schemas in jsonschema-rs: the fast path for the common case, a
    valid entry. The pure-Python jsonschema explains the rare invalid one, field by field."""
    import jsonschema_rs

    return {t: jsonschema_rs.validator_for(v.schema) for t, v in _validators().items() if t != "_base"}


@lru_cache(maxsize=1)
def _validators() -> dict[str, Any]:
    """One validator per entry type: the common part merged with that type's branch."""
    from jsonschema import Draft202012Validator, FormatChecker

    schema = load_schema()
    base = {k: v for k, v in schema.items() if k != "oneOf"}
    out: dict[str, Any] = {}
    for branch in schema["oneOf"]:
        entry_type = branch["properties"]["type"]["const"]
        merged = copy.deepcopy(base)
        props = dict(base["properties"])
        for name, rule in branch["properties"].items():
            if rule is not True:
                props[name] = rule
        merged["properties"] = props
        merged["required"] = list(dict.fromkeys(base["required"] + branch.get("required", [])))
        merged["additionalProperties"] = branch.get("additionalProperties", True)
        out[entry_type] = Draft202012Validator(merged, format_checker=FormatChecker())
    out["_base"] = Draft202012Validator(base, format_checker=FormatChecker())
    return out


@lru_cache(maxsize=8)
def walker(entry_type: str):
    """The free strings of an entry of this type, as its branch of the contract defines them."""
    from tranquillite.pii.fields import SchemaWalker

    return SchemaWalker(_validators()[entry_type].schema)


def _path(error: Any) -> str:
    parts = [str(p) for p in error.absolute_path]
    return "/".join(parts) if parts else "(record)"


def _describe(error: Any) -> str:
    where = _path(error)
    if error.validator == "additionalProperties":
        from tranquillite.ingestion.hardening import key_in_path

        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        # an unknown key could itself be personal data: the detail names it by its hash
        names = sorted(key_in_path(k, frozenset()) for k in extra)
        return f"{where}: {len(extra)} field(s) outside the contract: {', '.join(names)}"
    if error.validator == "required":
        missing = [r for r in error.validator_value if r not in (error.instance or {})]
        return f"{where}: missing required field(s): {', '.join(missing)}"
    if error.validator in ("oneOf", "anyOf"):
        return f"{where}: is not one of the allowed shapes (GeoJSON geometry or null)"
    return f"{where}: fails rule '{error.validator}'"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "unknown")


def drift_signatures(error: Any, entry_type: str) -> list[str]:
    """What a drift error says changed, in a form the DPO approves one by one."""
    path = ".".join("[]" if isinstance(p, int) else str(p) for p in error.absolute_path).replace(".[]", "[]")
    prefix = f"{entry_type}.{path}" if path else entry_type
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return [f"field:{prefix}.{name}" for name in extra]
    if error.validator in ("enum", "const"):
        return [f"value:{prefix}={error.instance}"[:300]]
    if error.validator == "type":
        return [f"type:{prefix}={_json_type(error.instance)}"]
    return []


def schema_problems(
    errors: Iterable[Any],
    entry_type: str,
    approved: frozenset[str],
    geometry_fields: Iterable[str] = ("trace", "emprise"),
) -> list[Problem]:
    """Each JSON Schema error as a problem: a change in the nature of the data (a new field,
    a value outside an enumeration, a type change) is `schema_drift` with its signatures,
    prefixed by `entry_type` (Cortège's entry type, a feed's source), unless the DPO
    approved them; the rest is `schema_violation`. Inside a geometry, a wrong type is a
    malformed geometry, not a drift."""
    roots = frozenset(geometry_fields)
    problems: list[Problem] = []
    for error in sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.validator)):
        if error.validator in DRIFT_VALIDATORS and _is_drift(error, roots):
            signatures = drift_signatures(error, entry_type)
            if signatures and set(signatures) <= approved:
                continue  # a change the DPO approved after its impact study
            problems.append(Problem("schema_drift", _describe(error), tuple(signatures)))
        else:
            problems.append(Problem("schema_violation", _describe(error)))
    return problems


def one_problem(problems: Sequence[Problem]) -> Problem | None:
    """The record's one reason: held for drift only if drift is all that is wrong with it
    (then with every signature, so that approving them all lets it in)."""
    if len(problems) <= 1:
        return problems[0] if problems else None
    codes = [p.code for p in problems if p.code != "schema_drift"]
    code = codes[0] if codes else "schema_drift"
    drift = tuple(sorted({d for p in problems for d in p.drift})) if code == "schema_drift" else ()
    return Problem(code, "; ".join(sorted({p.detail for p in problems}))[:1000], drift)


def _is_drift(error: Any, geometry_roots: frozenset[str]) -> bool:
    # a null where a required object/number belongs is malformed, not new
    if error.validator == "type" and error.instance is None:
        return False
    # inside a geometry, a wrong "type" is a malformed geometry
    path = [str(p) for p in error.absolute_path]
    return not (path and path[0] in geometry_roots)


# RFC 3339's date-time (a space for the T, as it allows; seconds optional): Python's
# fromisoformat also takes ISO week dates, hours alone and decimal commas, which the
# warehouse's timestamptz cast refuses, and one such value would fail a whole build
# offsets as PostgreSQL reads them: hours up to 15, minutes below 60
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-](?:0\d|1[0-5]):[0-5]\d)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: str) -> date:
    """A calendar date as written YYYY-MM-DD: Python also reads ISO week and ordinal dates,
    which the warehouse's date cast refuses."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ValueError("not a YYYY-MM-DD date")
    return date.fromisoformat(value)


def parse_datetime(value: str) -> datetime:
    if not isinstance(value, str) or not _RFC3339.fullmatch(value):
        raise ValueError("not an RFC 3339 date-time")
    if len(value) > 26 and "." in value:  # Python reads at most 6 decimals: the rest is below a microsecond
        head, _, tail = value.partition(".")
        digits = len(tail) - len(tail.lstrip("0123456789"))
        value = f"{head}.{tail[: min(digits, 6)]}{tail[digits:]}"
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("no offset")
    try:
        # 9999-12-31T23:30-05:00 is year 10000 in UTC: stored, it could never be read back
        parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError("out of range once in UTC") from None
    return parsed


def rfc3339(moment: datetime) -> str:
    """An instant as the sources' APIs take it: UTC, with a Z."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def check_entry(entry: Any, approved: frozenset[str] = frozenset()) -> list[Problem]:
    """All the contract problems of one entry; empty when it may land. `approved` holds the
    drift signatures the DPO accepted: those changes are no longer problems."""
    if not isinstance(entry, dict):
        return [Problem("schema_violation", "(record): not a JSON object")]
    validators = _validators()
    entry_type = entry.get("type")
    if entry_type not in ENTRY_TYPES:
        problems = schema_problems(validators["_base"].iter_errors(entry), "entry", frozenset())
        if not any(p.detail.startswith("type:") for p in problems):
            problems.append(Problem("schema_drift", "type: fails rule 'enum'", (f"value:entry.type={entry_type}",)))
        return problems
    try:
        fast_ok = _fast_validators()[entry_type].is_valid(entry)
    except (ValueError, OverflowError):  # a value the fast validator cannot represent
        fast_ok = False
    if not fast_ok:
        problems = schema_problems(validators[entry_type].iter_errors(entry), entry_type, approved)
        if problems:
            return problems
    try:
        debut = parse_datetime(entry["debut"])
        fin = parse_datetime(entry["fin"])
        parse_datetime(entry["created_at"])
        parse_datetime(entry["updated_at"])
    except (ValueError, TypeError, AttributeError):
        return [Problem("invalid_datetime", "a date-time field is not a real RFC 3339 instant")]
    if fin < debut:
        return [Problem("end_before_start", "fin: is before debut")]
    return []


def geometry_of(entry: dict) -> dict | None:
    """The entry's own GeoJSON geometry (route or footprint), when it has one."""
    field = GEOMETRY_FIELDS.get(entry.get("type", ""))
    return entry.get(field) if field else None


def canonical_json(payload: Any) -> str:
    """Sorted keys, no spaces, UTF-8: the form whose SHA-256 identifies a payload."""
    try:
        return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        # what orjson refuses (lone surrogates, integers past 64 bits) the gate still has to store
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
