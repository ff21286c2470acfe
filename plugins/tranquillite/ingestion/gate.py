"""The gate every record passes before it reaches the warehouse.

Checks run in order and the first one that objects decides the quarantine
reason: storable text, the contract (schema and semantics), then geometry
validity as PostGIS judges it. Then the anonymisation step reads every free
string (personal data): what it finds is masked, and the record still lands,
so that a declared demonstration stays on the map.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from tranquillite.ingestion import contract
from tranquillite.ingestion.contract import Problem
from tranquillite.pii.fields import every_string

ADDRESS_FIELDS = {
    "manifestation_deambulatoire": ("adresse_depart", "points_de_passage", "adresse_arrivee"),
    "manifestation_statique": ("adresse",),
    "operation_programmee": ("adresses",),
    "visite_officielle": ("adresses",),
}


@dataclass
class Judged:
    """One received record, with its storable JSON text and the gate's verdict.

    For a record that held personal data, `record` and `json_text` are the masked copy (the
    spans replaced by their masks), `finding_types` what was masked, while `sha256` stays
    the hash of the record as received: a record received again is still recognised.
    """

    record: Any
    json_text: str
    sha256: str
    problem: Problem | None = None
    finding_types: tuple[str, ...] = ()

    def normalised(self, record: Any) -> None:
        """Hold `record`, a normalised form of the one received (a flattened geometry), and
        the hash of that form: the same entry sent in 3-D and in 2-D is one entry."""
        self.record = record
        self.json_text, _ = storable_json(record)
        self.sha256 = hashlib.sha256(self.json_text.encode("utf-8")).hexdigest()


_NUL_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000")


def storable_json(record: Any) -> tuple[str, Problem | None]:
    """JSON text that PostgreSQL's jsonb accepts, and the problem when it had to be mended."""
    text = contract.canonical_json(record)
    problem = None
    # a NUL is the escape \u0000 after an even number of backslashes; after an odd number it
    # is the text "\u0000" itself (a backslash escaped, then "u0000"), which jsonb holds well
    mended, nuls = _NUL_ESCAPE.subn(r"\1\\ufffd", text) if "\\u0000" in text else (text, 0)
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


# the fields the warehouse casts, and to what (validation.cortege_batch_query, staging)
CORTEGE_TYPED = {
    "version": "integer",
    "nb_personnes_attendues": "bigint",
    "nb_personnes_declarees": "bigint",
    "nb_voitures_attendues": "bigint",
    "nb_voitures_declarees": "bigint",
}


def received(
    record: Any, known: frozenset[str], limits=None, keep: Sequence[str] = (), integers: Sequence[str] = ()
) -> Judged:
    """A record as the gate first holds it: made safe for every later step
    (`ingestion.hardening.harden`), or withheld with the reason it cannot be. A withheld
    record keeps only its identifier (`keep`: dotted paths, short scalars), so that the
    quarantine still says which record it was; its free strings are read for personal
    data like any other."""
    from tranquillite.ingestion.hardening import as_integers, harden

    hardened, problem = harden(record, known, limits)
    if problem is not None:
        ids = _identifiers(record, keep)
        item = Judged({**ids, "withheld": problem.detail}, "", content_digest(record, ids), problem)
        item.json_text, _ = storable_json(item.record)
        return item
    hardened = as_integers(hardened, integers)
    text, problem = storable_json(hardened)
    return Judged(hardened, text, hashlib.sha256(text.encode("utf-8")).hexdigest(), problem)


def _identifiers(record: Any, paths: Sequence[str]) -> dict:
    out: dict = {}
    for path in paths:
        value, node, target = record, out, path.split(".")
        for part in target:
            value = value.get(part) if isinstance(value, dict) else None
        ok = (isinstance(value, str) and len(value) <= 200) or (isinstance(value, int) and not isinstance(value, bool))
        if not ok:
            continue
        for part in target[:-1]:
            node = node.setdefault(part, {})
        node[target[-1]] = value
    return out


def content_digest(record: Any, ids: dict | None = None) -> str:
    """The hash that recognises a withheld record received again, however deep it is
    (past what json encodes, by its identifiers): only the digest is stored, never the content."""
    try:  # json, not orjson: NaN and Infinity keep their own text instead of becoming null
        text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    except (RecursionError, ValueError, TypeError):
        text = "unreadable:" + json.dumps(ids or {}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def judge_entries(
    conn: psycopg.Connection,
    records: Sequence[Any],
    approved: frozenset[str] = frozenset(),
    *,
    not_after: datetime | None = None,
) -> list[Judged]:
    """The gate's verdict on each record. `approved`: drift signatures the DPO accepted;
    `not_after`: the latest `updated_at` the source's clock allows (`hardening.not_after`)."""
    from tranquillite.core.settings import gate_limits
    from tranquillite.ingestion.hardening import flat_geometry, future_problem, typed_problem

    limits = gate_limits()
    known = contract.all_field_names()
    judged: list[Judged] = []
    for record in records:
        item = received(record, known, limits, keep=("id", "version"), integers=tuple(CORTEGE_TYPED))
        record = item.record
        if item.problem is None:
            problems = contract.check_entry(record, approved)
            item.problem = contract.one_problem(problems) if problems else _address_problem(record)
        if item.problem is None:
            item.problem = typed_problem(record, CORTEGE_TYPED) or future_problem(
                "updated_at", record.get("updated_at"), not_after
            )
        if item.problem is None and (field := contract.GEOMETRY_FIELDS.get(record["type"])):
            flat = flat_geometry(record.get(field))
            if flat != record.get(field):
                item.normalised({**record, field: flat})
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


def cortege_free_strings(item: Judged) -> Iterable[tuple[str, str]]:
    """Every free string of a Cortège entry: as its type's branch of the contract says for an
    entry that met it, every string and unknown field name for one that did not."""
    record = item.record
    if item.problem is None and isinstance(record, dict) and record.get("type") in contract.ENTRY_TYPES:
        return contract.walker(record["type"]).free_strings(record)
    # a well-formed id is not free text: masked because its digits happened to look like a
    # number, it would no longer say which record the quarantine holds
    return (
        (path, text)
        for path, text in every_string(record, known=contract.all_field_names())
        if not (path == "id" and contract.UUID_RE.match(text))
    )


def _replace(record: Any, path_texts: dict[str, str], path: str = "") -> Any:
    if isinstance(record, dict):
        out = {}
        for k, v in record.items():
            here = f"{path}.{k}" if path else str(k)
            key_path = f"{path}.{{{k}}}" if path else f"{{{k}}}"
            out[path_texts.get(key_path, k)] = _replace(v, path_texts, here)
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
    free_strings_of: Callable[[Judged], Iterable[tuple[str, str]]] = cortege_free_strings,
    identity_paths: frozenset[str] = frozenset(),
) -> None:
    """No personal data passes (convention, art. 3), and no event is lost for it: each span
    the detectors find in a free string is replaced by its type's mask, in the record that
    lands and in the copy that quarantine keeps, and in the reason and drift signatures that
    name its fields or values. A record whose identifier itself (`identity_paths`) holds
    personal data cannot land under it: that one is quarantined, masked."""
    from tranquillite.pii.detectors import GATE_THRESHOLD, detect_many, mask

    fields: list[tuple[int, str, str]] = []
    for i, item in enumerate(judged):
        try:
            fields.extend((i, p, t) for p, t in free_strings_of(item) if t)
        except RecursionError:
            _withhold(item, "nested deeper than the gate reads")
    findings = detect_many([t for _, _, t in fields]) if fields else []
    masked: dict[int, dict[str, str]] = {}
    types: dict[int, dict[str, set[str]]] = {}
    for (i, path, text), found in zip(fields, findings, strict=True):
        found = [f for f in found if f.confidence >= GATE_THRESHOLD]
        if found:
            masked.setdefault(i, {})[path] = mask(text, found)
            types.setdefault(i, {}).setdefault(_field_name(path), set()).update(f.type for f in found)
    for i, per_field in types.items():
        item = judged[i]
        item.finding_types = tuple(sorted(set().union(*per_field.values())))
        try:
            item.record = _replace(item.record, masked[i])
        except RecursionError:
            _withhold(item, "nested deeper than the gate reads")
            continue
        item.json_text, _ = storable_json(item.record)
        if item.problem is None and identity_paths & set(per_field):
            where = ", ".join(sorted(identity_paths & set(per_field)))
            item.problem = Problem("personal_data", f"{where}: the record's identifier holds personal data")
    # a reason and its drift signatures name fields and values: masked like the record, whatever
    # the detectors find in them (a value outside an enumeration, a key with a dot, a cut detail)
    held = [item for item in judged if item.problem is not None]
    texts = [t for item in held for t in (item.problem.detail, *item.problem.drift)]
    if texts:
        found_in = iter(detect_many(texts))
        for item in held:
            detail = _masked_text(item.problem.detail, next(found_in), mask, GATE_THRESHOLD)
            drift = tuple(_masked_text(d, next(found_in), mask, GATE_THRESHOLD) for d in item.problem.drift)
            item.problem = Problem(item.problem.code, detail[:1000], drift)


def _masked_text(text: str, found, mask, threshold: float) -> str:
    return mask(text, [f for f in found if f.confidence >= threshold])


def _withhold(item: Judged, why: str) -> None:
    """A record the gate cannot read whole is kept out, and nothing of it is stored."""
    item.record = {"withheld": why}
    item.json_text, _ = storable_json(item.record)
    item.problem = Problem("invalid_text", f"(record): {why}")
