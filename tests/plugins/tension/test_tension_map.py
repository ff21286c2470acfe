"""The map page on its own: self-contained, every layer named with its count."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tranquillite.tension.map import LAYERS, _inline_leaflet, render_html

AS_OF = datetime.fromisoformat("2026-11-15T12:00:00+01:00")


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


LAYERS_IN = {
    "events": collection(
        feature(
            {"type": "LineString", "coordinates": [[5.37, 43.29], [5.38, 43.30]]},
            event_type="march",
            title="Marche",
            starts="15/11/2026 10:00",
            ends="15/11/2026 12:00",
            attendance=300,
        ),
        feature(
            {"type": "Point", "coordinates": [5.375, 43.295]},
            event_type="official_visit",
            title="Visite",
            starts="15/11/2026 11:00",
            ends="15/11/2026 11:30",
            attendance=None,
        ),
    ),
    "hot_zones": collection(
        feature(
            {"type": "Polygon", "coordinates": [[[5.37, 43.29], [5.38, 43.29], [5.38, 43.30], [5.37, 43.29]]]},
            zone_id="hex250m:1:2",
            tension_class="hot_spot_99",
            gi_bin=3,
            activity=4,
            z_score=3.2,
            p_value_fdr=0.001,
        )
    ),
    "cold_zones": collection(),
    "conflicts": collection(
        feature(
            {"type": "Point", "coordinates": [5.375, 43.295]},
            pair_kind="march+official_visit",
            severity="high",
            title_a="Marche",
            title_b="Visite",
            window_starts="15/11/2026 10:00",
            window_ends="15/11/2026 12:30",
            min_distance_m=0,
        )
    ),
}


def test_the_page_is_self_contained_and_names_each_layer_with_its_count() -> None:
    html = render_html(LAYERS_IN, AS_OF, "2026-11-09", tiles=None)
    assert "<script src=" not in html and '<link rel="stylesheet"' not in html
    assert "L.version" in html or "Leaflet" in html  # Leaflet itself is in the page
    for layer, title in LAYERS.items():
        count = len(LAYERS_IN[layer]["features"])
        # in the layer control (folium writes it as JSON) and in the legend
        assert json.dumps(f"{title} ({count})") in html
        assert f"{title}: {count}</span>" in html
        assert f"data-layer='{layer}' data-count='{count}'" in html
    assert "window.trqMap" in html
    assert "au 15/11/2026 12:00, semaine du 2026-11-09" in html


def test_tiles_are_the_only_outside_resource_and_optional() -> None:
    assert "tile.openstreetmap.org" not in render_html(LAYERS_IN, AS_OF, "2026-11-09", tiles=None)
    assert "tile.openstreetmap.org" in render_html(LAYERS_IN, AS_OF, "2026-11-09", tiles="OpenStreetMap")


def test_a_page_that_would_fetch_a_script_is_refused() -> None:
    with pytest.raises(RuntimeError, match="not self-contained"):
        _inline_leaflet('<html><script src="https://cdn.example/x.js"></script></html>')
