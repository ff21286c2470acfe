"""The gate every record passes before it reaches the warehouse.

Checks run in order and the first one that objects decides the quarantine
reason: storable text, the contract (schema and semantics), then geometry
validity as PostGIS judges it. The anonymisation checks (personal data in free
text) plug in here too, as one more step of `judge_entries`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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
    """One received record, with its storable JSON text and the gate's verdict."""

    record: Any
    json_text: str
    sha256: str
    problem: Problem | None = None


def storable_json(record: Any) -> tuple[str, Problem | None]:
    """JSON text that PostgreSQL's jsonb accepts, and the problem when it had to be mended."""
    text = contract.canonical_json(record)
    problem = None
    if "\\u0000" in text:
        text = text.replace("\\u0000", "\\ufffd")
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


def judge_entries(conn: psycopg.Connection, records: Sequence[Any]) -> list[Judged]:
    import hashlib

    judged: list[Judged] = []
    for record in records:
        text, problem = storable_json(record)
        item = Judged(record, text, hashlib.sha256(text.encode("utf-8")).hexdigest(), problem)
        if item.problem is None:
            problems = contract.check_entry(record)
            item.problem = problems[0] if problems else _address_problem(record)
            if len(problems) > 1:
                item.problem = Problem(problems[0].code, "; ".join(sorted({p.detail for p in problems}))[:1000])
        judged.append(item)
    _check_geometries(conn, judged)
    # Anonymisation gate (personal data in free text): next step here.
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
