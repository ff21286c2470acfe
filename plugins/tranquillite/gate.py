"""The gate every record passes before it reaches the warehouse.

Checks run in order and the first one that objects decides the quarantine
reason: storable text, the contract (schema and semantics), then geometry
validity as PostGIS judges it. The anonymisation checks (personal data in free
text) plug in here too, as one more step of `judge_entries`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from tranquillite import contract
from tranquillite.contract import Problem

ADDRESS_FIELDS = {
    "manifestation_deambulatoire": ("adresse_depart", "points_de_passage", "adresse_arrivee"),
    "manifestation_statique": ("adresse",),
    "operation_programmee": ("adresses",),
    "visite_officielle": ("adresses",),
}


@dataclass
class Judged:
    """One received record, with its storable JSON text and the gate's verdict.

    For a record that holds personal data, `json_text` is the masked copy, while
    `sha256` stays the hash of the record as received.
    """

    record: Any
    json_text: str
    sha256: str
    problem: Problem | None = None
    finding_types: tuple[str, ...] = ()


_NUL_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000")


def storable_json(record: Any) -> tuple[str, Problem | None]:
    """JSON text that PostgreSQL's jsonb accepts, and the problem when it had to be mended."""
    text = contract.canonical_json(record)
    problem = None
    # a NUL is the escape \u0000 after an even number of backslashes; after an odd number it
    # is the text "\u0000" itself (a backslash escaped, then "u0000"), which jsonb holds well
    mended, nuls = _NUL_ESCAPE.subn(r"\1\\ufffd", text)
    if nuls:
        text = mended
        problem = Problem("invalid_text", "a text field holds a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
        problem = Problem("invalid_text", "a text field holds invalid Unicode (lone surrogate)")
    return text, problem


def _address_problem(entry: dict) -> Problem | None:
    for field in ADDRESS_FIELDS.get(entry.get("type", ""), ()):
        value = entry.get(field)
        for address in value if isinstance(value, list) else [value]:
            if isinstance(address, dict) and (address.get("lon") is None) != (address.get("lat") is None):
                return Problem("invalid_geometry", f"{field}: lon and lat must be both given or both null")
    return None


def judge_entries(
    conn: psycopg.Connection, records: Sequence[Any], approved: frozenset[str] = frozenset()
) -> list[Judged]:
    """The gate's verdict on each record. `approved`: drift signatures the DPO accepted."""
    judged: list[Judged] = []
    for record in records:
        text, problem = storable_json(record)
        item = Judged(record, text, hashlib.sha256(text.encode("utf-8")).hexdigest(), problem)
        if item.problem is None:
            problems = contract.check_entry(record, approved)
            item.problem = problems[0] if problems else _address_problem(record)
            if len(problems) > 1:
                # a record is held for drift only if drift is all that is wrong with it
                codes = [p.code for p in problems if p.code != "schema_drift"]
                code = codes[0] if codes else "schema_drift"
                drift = tuple(sorted({d for p in problems for d in p.drift})) if code == "schema_drift" else ()
                item.problem = Problem(code, "; ".join(sorted({p.detail for p in problems}))[:1000], drift)
        judged.append(item)
    _check_geometries(conn, judged)
    check_personal_data(judged)
    return judged


def _check_geometries(conn: psycopg.Connection, judged: list[Judged]) -> None:
    """PostGIS says whether each route or footprint is valid, in one round trip a page."""
    todo = [
        (i, json.dumps(geom))
        for i, item in enumerate(judged)
        if item.problem is None and (geom := contract.geometry_of(item.record)) is not None
    ]
    if not todo:
        return
    rows = conn.execute(
        "select i, raw.geojson_invalidity(g) from unnest(%s::int[], %s::text[]) as t(i, g)",
        ([i for i, _ in todo], [g for _, g in todo]),
    ).fetchall()
    for i, reason in rows:
        if reason is not None:
            field = contract.GEOMETRY_FIELDS[judged[i].record["type"]]
            judged[i].problem = Problem("invalid_geometry", f"{field}: {reason}"[:500])


# --- the anonymisation gate ---------------------------------------------------------------

# Structured fields of the contract: values the detectors need not read.
STRUCTURED = {
    "id",
    "version",
    "type",
    "etat",
    "created_at",
    "updated_at",
    "debut",
    "fin",
    "statut_organisateur",
    "theme",
    "lon",
    "lat",
    "coordinates",
}


def _join(path: str, key: object) -> str:
    """The path of a value inside a record, as the detectors and the masking name it."""
    return f"{path}.{key}" if path else str(key)


def _free_text(
    record: Any, *, everything: bool, path: str = "", known: frozenset[str] | None = None
) -> list[tuple[str, str]]:
    """(path, text) of each free-text value: objet, description, address labels; and, for a
    record outside the contract, every string it carries, since nobody vetted its fields."""
    out: list[tuple[str, str]] = []
    known = contract.all_field_names() if known is None else known
    if isinstance(record, dict):
        for key, value in record.items():
            if not everything and key in STRUCTURED:
                continue
            if everything and key not in known:
                out.append((_join(path, f"{{{key}}}"), str(key)))  # a field's very name
            out.extend(_free_text(value, everything=everything, path=_join(path, key), known=known))
    elif isinstance(record, list):
        for i, value in enumerate(record):
            out.extend(_free_text(value, everything=everything, path=f"{path}[{i}]", known=known))
    elif isinstance(record, str) and (everything or path):
        out.append((path, record))
    return out


def _contract_free_text(entry: dict) -> list[tuple[str, str]]:
    """The free text of an entry that meets the contract: objet, description, address labels."""
    out = [("objet", entry["objet"])]
    if entry.get("description"):
        out.append(("description", entry["description"]))
    for field in ADDRESS_FIELDS[entry["type"]]:
        value = entry[field]
        if isinstance(value, list):
            out.extend((f"{field}[{i}].libelle", a["libelle"]) for i, a in enumerate(value))
        else:
            out.append((f"{field}.libelle", value["libelle"]))
    return out


def _replace(record: Any, path_texts: dict[str, str], path: str = "") -> Any:
    if isinstance(record, dict):
        out = {}
        for k, v in record.items():
            out[path_texts.get(_join(path, f"{{{k}}}"), k)] = _replace(v, path_texts, _join(path, k))
        return out
    if isinstance(record, list):
        return [_replace(v, path_texts, f"{path}[{i}]") for i, v in enumerate(record)]
    if isinstance(record, str) and path in path_texts:
        return path_texts[path]
    return record


def _field_name(path: str) -> str:
    return re.sub(r"\[\d+\]", "[]", path)


def check_personal_data(
    judged: list[Judged],
    free_text_of: Callable[[Any], list[tuple[str, str]]] = _contract_free_text,
    known_fields: frozenset[str] | None = None,
) -> None:
    """No personal data passes (convention, art. 3): a record with any finding is kept out,
    and its quarantined copy holds the findings masked, never the values. A record that met
    its contract is read in its free-text fields (`free_text_of`); any other, in every
    string and every field name outside `known_fields`, since nobody vetted them."""
    from tranquillite.pii.detectors import GATE_THRESHOLD, detect_many, mask

    fields: list[tuple[int, str, str]] = []
    for i, item in enumerate(judged):
        if item.problem is None:
            fields.extend((i, p, t) for p, t in free_text_of(item.record))
        else:
            fields.extend((i, p, t) for p, t in _free_text(item.record, everything=True, known=known_fields))
    if not fields:
        return
    findings = detect_many([t for _, _, t in fields])
    masked: dict[int, dict[str, str]] = {}
    types: dict[int, dict[str, set[str]]] = {}
    for (i, path, text), found in zip(fields, findings, strict=True):
        found = [f for f in found if f.confidence >= GATE_THRESHOLD]
        if found:
            masked.setdefault(i, {})[path] = mask(text, found)
            types.setdefault(i, {}).setdefault(_field_name(path), set()).update(f.type for f in found)
    for i, per_field in types.items():
        item = judged[i]
        detail = "; ".join(f"{field}: {', '.join(sorted(kinds))}" for field, kinds in sorted(per_field.items()))
        if item.problem is not None:
            detail = f"{detail} (also {item.problem.code}: {item.problem.detail})"
        item.problem = Problem("personal_data", detail[:1000])
        item.finding_types = tuple(sorted(set().union(*per_field.values())))
        item.json_text, _ = storable_json(_replace(item.record, masked[i]))
