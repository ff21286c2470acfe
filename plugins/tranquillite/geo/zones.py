"""Administrative zones (arrondissements, quartiers) for marts.dim_zones.

A deployment names a GeoJSON file of them in TRQ_ZONES_GEOJSON; the project ships
none. Before each warehouse build the file is loaded whole into
geo.admin_boundaries (the file is the reference: a zone removed from it leaves),
and only when it changed. A feature that cannot be a zone stops the load with
its number and reason: half a set of boundaries would skew every zone mart.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from tranquillite.core import settings

CODE_KEYS = ("zone_code", "code", "code_insee", "id")
KIND_KEYS = ("zone_kind", "kind", "type")
NAME_KEYS = ("zone_name", "name", "nom")


class ZonesFileError(ValueError):
    """The configured GeoJSON cannot be read as a set of zones."""


@dataclass(frozen=True)
class ZonesLoad:
    configured: bool
    changed: bool
    zones: int
    kinds: dict[str, int]

    def as_dict(self) -> dict:
        return asdict(self)


def _first(props: dict, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if props.get(key) not in (None, ""):
            return str(props[key])
    return None


def read_zones(path: Path, content: bytes) -> list[tuple[str, str, str | None, str]]:
    """(code, kind, name, geometry GeoJSON) of each feature of the file's content, or ZonesFileError."""
    try:
        doc = json.loads(content)
    except ValueError as exc:
        raise ZonesFileError(f"{path.name}: not readable as JSON ({exc.__class__.__name__})") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise ZonesFileError(f"{path.name}: not a GeoJSON FeatureCollection")
    zones, seen = [], set()
    for n, feature in enumerate(doc.get("features") or [], start=1):
        props = (feature or {}).get("properties") or {}
        geometry = (feature or {}).get("geometry") or {}
        code = _first(props, CODE_KEYS)
        kind = _first(props, KIND_KEYS) or "admin_zone"
        if code is None:
            raise ZonesFileError(f"{path.name}: feature {n} has no code (one of {', '.join(CODE_KEYS)})")
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise ZonesFileError(f"{path.name}: feature {n} ({code}) is a {geometry.get('type')}, not an area")
        if (kind, code) in seen:
            raise ZonesFileError(f"{path.name}: feature {n}: {kind} {code} appears twice")
        seen.add((kind, code))
        zones.append((code, kind, _first(props, NAME_KEYS), json.dumps(geometry)))
    return zones


def load_admin_boundaries(path: str | None = None) -> ZonesLoad:
    """Bring geo.admin_boundaries in step with the configured file (or empty it when none is)."""
    from tranquillite.core.settings import LOADER_CONN_ID
    from tranquillite.warehouse import connect

    path = path if path is not None else settings.zones_geojson()
    with connect(LOADER_CONN_ID) as conn:
        if not path:
            removed = conn.execute("delete from geo.admin_boundaries").rowcount
            return ZonesLoad(configured=False, changed=removed > 0, zones=0, kinds={})
        file = Path(path)
        if not file.is_file():
            raise ZonesFileError(f"TRQ_ZONES_GEOJSON names {file}, which is not a file")
        content = file.read_bytes()
        sha = hashlib.sha256(content).hexdigest()
        loaded = conn.execute("select distinct source_file_sha256 from geo.admin_boundaries").fetchall()
        changed = loaded != [(sha,)]
        if changed:
            zones = read_zones(file, content)
            conn.execute("delete from geo.admin_boundaries")
            with conn.cursor() as cur:
                for code, kind, name, geometry in zones:
                    problem = cur.execute("select raw.geojson_repair_problem(%s)", (geometry,)).fetchone()[0]
                    if problem:
                        raise ZonesFileError(f"{file.name}: {kind} {code}: {problem}")
                    cur.execute(
                        "insert into geo.admin_boundaries (zone_code, zone_kind, zone_name, geom, source_file_sha256)"
                        " values (%s, %s, %s, st_multi(st_collectionextract(st_makevalid("
                        "st_setsrid(st_geomfromgeojson(%s), 4326)), 3)), %s)",
                        (code, kind, name, geometry, sha),
                    )
        kinds = dict(conn.execute("select zone_kind, count(*) from geo.admin_boundaries group by 1").fetchall())
    return ZonesLoad(configured=True, changed=changed, zones=sum(kinds.values()), kinds=kinds)
