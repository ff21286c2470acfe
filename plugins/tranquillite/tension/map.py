"""The tension map: current and upcoming events, the hot and cold zones of the
latest week, and the conflicts, as one self-contained HTML page (Leaflet through
folium, Leaflet itself inlined so the page opens with no network) and one
GeoJSON file per layer for GIS tools.

Every layer is read from the marts, so the map says what fct_events,
fct_tension_zones and fct_event_conflicts say. Only the base tiles come from
outside (TRQ_MAP_TILES: a folium tiles name or URL, or `none`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tranquillite.core import settings
from tranquillite.core.settings import ROOT, TRANSFORMER_CONN_ID

MARSEILLE = (43.2965, 5.3698)
PARIS = ZoneInfo("Europe/Paris")
LEAFLET_DIST = ROOT / "node_modules" / "leaflet" / "dist"
EVENT_COLOURS = {
    "march": "#d62728",
    "static_gathering": "#ff7f0e",
    "police_operation": "#1f3b8f",
    "official_visit": "#9467bd",
    "municipal_police_intervention": "#17becf",
    "road_closure": "#6b4226",
    "road_restriction": "#8c6d31",
    "road_diversion": "#bcbd22",
}
OTHER_EVENT_COLOUR = "#2ca02c"  # the open-data events: cultural, sports, markets, festivals
HOT = {3: "#b2182b", 2: "#ef8a62", 1: "#fddbc7"}
COLD = {-3: "#2166ac", -2: "#67a9cf", -1: "#d1e5f0"}
SEVERITY_COLOURS = {"high": "#67001f", "medium": "#d6604d", "low": "#f4a582"}

# layer: its title in the layer control; drawn in this order, the zones under the events
LAYERS = {
    "hot_zones": "Zones de tension (points chauds)",
    "cold_zones": "Points froids",
    "events": "Événements en cours et à venir",
    "conflicts": "Conflits entre événements",
}

_LOCAL = "to_char({} at time zone 'Europe/Paris', 'DD/MM/YYYY HH24:MI')"


def _feature_collection(geometry: str, properties: str, source: str, order_by: str) -> str:
    """One query that returns a whole GeoJSON FeatureCollection (an empty one when no row matches)."""
    return f"""
select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
    'type', 'Feature', 'geometry', st_asgeojson({geometry}, 6)::json, 'properties', json_build_object({properties})
) order by {order_by}), '[]'))
{source}
"""


EVENTS_SQL = _feature_collection(
    "geom",
    "'event_id', event_id, 'source', source, 'event_type', event_type, 'title', title,"
    f" 'starts', {_LOCAL.format('starts_at')}, 'ends', {_LOCAL.format('ends_at')},"
    " 'attendance', coalesce(expected_attendance, declared_attendance)",
    "from marts.fct_events where geom is not null and not is_cancelled and coalesce(ends_at, starts_at) >= %(as_of)s",
    "starts_at, event_id",
)

ZONES_SQL = _feature_collection(
    "z.geom",
    "'zone_id', t.zone_id, 'week', t.period_start, 'tension_class', t.tension_class, 'gi_bin', t.gi_bin,"
    " 'activity', t.activity, 'z_score', round(t.z_score::numeric, 3),"
    " 'p_value_fdr', round(t.p_value_fdr::numeric, 5)",
    "from marts.fct_tension_zones as t join marts.dim_zones as z using (zone_id)"
    " where t.period_kind = 'week' and t.period_start = %(week)s and sign(t.gi_bin) = %(sign)s",
    "t.zone_id",
)

CONFLICTS_SQL = _feature_collection(
    "c.geom",
    "'conflict_id', c.conflict_id, 'pair_kind', c.pair_kind, 'severity', c.severity,"
    " 'title_a', a.title, 'title_b', b.title,"
    f" 'window_starts', {_LOCAL.format('c.window_starts_at')}, 'window_ends', {_LOCAL.format('c.window_ends_at')},"
    " 'min_distance_m', round(c.min_distance_m::numeric, 1), 'is_crossing', c.is_crossing",
    "from marts.fct_event_conflicts as c"
    " join marts.fct_events as a on a.event_id = c.event_id_a"
    " join marts.fct_events as b on b.event_id = c.event_id_b"
    " where c.window_ends_at >= %(as_of)s",
    "c.window_starts_at, c.conflict_id",
)


@dataclass(frozen=True)
class MapResult:
    path: str
    as_of: str
    week: str
    counts: dict[str, int]
    geojson: dict[str, str]

    def as_dict(self) -> dict:
        return asdict(self)


def map_dir() -> Path:
    return settings.map_dir()


def read_layers(as_of: datetime) -> tuple[str, dict[str, dict]]:
    """The week of `as_of` (Monday, local) and each layer's FeatureCollection, from the marts."""
    from tranquillite.warehouse import connect

    with connect(TRANSFORMER_CONN_ID) as conn:
        week = conn.execute(
            "select date_trunc('week', %s::timestamptz at time zone 'Europe/Paris')::date", (as_of,)
        ).fetchone()[0]
        layers = {
            "events": conn.execute(EVENTS_SQL, {"as_of": as_of}).fetchone()[0],
            "hot_zones": conn.execute(ZONES_SQL, {"week": week, "sign": 1}).fetchone()[0],
            "cold_zones": conn.execute(ZONES_SQL, {"week": week, "sign": -1}).fetchone()[0],
            "conflicts": conn.execute(CONFLICTS_SQL, {"as_of": as_of}).fetchone()[0],
        }
    return week.isoformat(), layers


def _event_style(feature: dict) -> dict:
    colour = EVENT_COLOURS.get(feature["properties"]["event_type"], OTHER_EVENT_COLOUR)
    return {"color": colour, "fillColor": colour, "weight": 4, "fillOpacity": 0.35}


def _zone_style(feature: dict) -> dict:
    colour = {**HOT, **COLD}.get(feature["properties"]["gi_bin"], "#999999")
    return {"color": colour, "fillColor": colour, "weight": 1, "fillOpacity": 0.55}


def _conflict_style(feature: dict) -> dict:
    colour = SEVERITY_COLOURS.get(feature["properties"]["severity"], "#000000")
    return {"color": colour, "fillColor": colour, "weight": 2, "fillOpacity": 0.9}


def _inline_leaflet(html: str) -> str:
    js = (LEAFLET_DIST / "leaflet.js").read_text(encoding="utf-8")
    css = (LEAFLET_DIST / "leaflet.css").read_text(encoding="utf-8")
    html = html.replace('<script src="trq-inline:leaflet.js"></script>', f"<script>{js}</script>")
    html = html.replace('<link rel="stylesheet" href="trq-inline:leaflet.css"/>', f"<style>{css}</style>")
    for leftover in ("<script src=", '<link rel="stylesheet"'):
        if leftover in html:
            raise RuntimeError(f"the map would load an outside resource ({leftover}...): not self-contained")
    return html


def render_html(layers: dict[str, dict], as_of: datetime, week: str, tiles: str | None) -> str:
    import folium
    from folium.features import GeoJsonPopup, GeoJsonTooltip

    fmap = folium.Map(location=MARSEILLE, zoom_start=12, tiles=None, control_scale=True)
    # Leaflet only, and from the local copy: inlined below, nothing fetched when the page opens
    fmap.default_js = [("leaflet", "trq-inline:leaflet.js")]
    fmap.default_css = [("leaflet_css", "trq-inline:leaflet.css")]
    if tiles:
        folium.TileLayer(tiles, name="Fond de plan", control=False).add_to(fmap)
    popups = {
        "events": (
            ["title", "event_type", "starts", "ends", "attendance"],
            ["Titre", "Type", "Début", "Fin", "Affluence attendue"],
        ),
        "hot_zones": (
            ["zone_id", "tension_class", "activity", "z_score", "p_value_fdr"],
            ["Zone", "Classe", "Événements", "z (Gi*)", "p ajustée (FDR)"],
        ),
        "conflicts": (
            ["pair_kind", "severity", "title_a", "title_b", "window_starts", "window_ends", "min_distance_m"],
            ["Paire", "Gravité", "Événement A", "Événement B", "Fenêtre de", "à", "Distance (m)"],
        ),
    }
    popups["cold_zones"] = popups["hot_zones"]
    styles = {"events": _event_style, "hot_zones": _zone_style, "cold_zones": _zone_style, "conflicts": _conflict_style}
    handles = {}
    for layer, title in LAYERS.items():
        collection = layers[layer]
        fields, aliases = popups[layer]
        radius = 7 if layer == "conflicts" else 5
        geo = folium.GeoJson(
            collection,
            name=f"{title} ({len(collection['features'])})",
            style_function=styles[layer],
            marker=folium.CircleMarker(radius=radius, weight=2, fill=True),
            popup=GeoJsonPopup(fields=fields, aliases=aliases, localize=True) if collection["features"] else None,
            tooltip=GeoJsonTooltip(fields=fields[:1]) if collection["features"] else None,
        )
        geo.add_to(fmap)
        handles[layer] = geo.get_name()
    folium.LayerControl(collapsed=False).add_to(fmap)
    legend = (
        f"<div id='trq-legend' style='position:absolute;top:90px;left:12px;z-index:1000;background:white;"
        f"padding:6px 10px;font:12px sans-serif;border-radius:4px'>"
        f"<b>Tranquillité publique</b> &mdash; au {as_of.astimezone(PARIS).strftime('%d/%m/%Y %H:%M')}, "
        f"semaine du {week}<br>"
        + "<br>".join(
            f"<span data-layer='{layer}' data-count='{len(layers[layer]['features'])}'>{title}: "
            f"{len(layers[layer]['features'])}</span>"
            for layer, title in LAYERS.items()
        )
        + "</div>"
    )
    fmap.get_root().html.add_child(folium.Element(legend))
    # what a browser test (or a curious operator) can ask the page: the layers as Leaflet holds them
    registry = ", ".join(f"{json.dumps(layer)}: {handle}" for layer, handle in handles.items())
    # (on load: folium declares the layers further down the same script)
    fmap.get_root().script.add_child(
        folium.Element(
            "window.addEventListener('load', function () {"
            f" window.trqMap = {{map: {fmap.get_name()}, layers: {{{registry}}}}};"
            " var drawn = L.featureGroup(Object.values(window.trqMap.layers)).getBounds();"
            " if (drawn.isValid()) { window.trqMap.map.fitBounds(drawn, {padding: [20, 20]}); } });"
        )
    )
    return _inline_leaflet(fmap.get_root().render())


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write_map(as_of: datetime | None = None, out_dir: Path | None = None) -> MapResult:
    """Write tension_map.html and one GeoJSON per layer; returns where, and how many features each."""
    as_of = as_of or datetime.now(UTC)
    out = out_dir or map_dir()
    out.mkdir(parents=True, exist_ok=True)
    week, layers = read_layers(as_of)
    tiles = settings.map_tiles()
    geojson = {}
    for layer, collection in layers.items():
        path = out / f"{layer}.geojson"
        _write(path, json.dumps(collection, ensure_ascii=False))
        geojson[layer] = str(path)
    html_path = out / "tension_map.html"
    _write(html_path, render_html(layers, as_of, week, None if tiles.lower() == "none" else tiles))
    result = MapResult(
        path=str(html_path),
        as_of=as_of.isoformat(),
        week=week,
        counts={layer: len(collection["features"]) for layer, collection in layers.items()},
        geojson=geojson,
    )
    # what was drawn, as of when: so that anyone can hold the map against the marts
    _write(out / "tension_map.json", json.dumps(result.as_dict(), indent=2))
    return result


if __name__ == "__main__":
    import sys

    when = datetime.fromisoformat(sys.argv[1]) if len(sys.argv) > 1 else None
    result = write_map(when)
    print(json.dumps(result.counts), result.path)
