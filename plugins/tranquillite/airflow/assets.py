"""Airflow Assets: what each DAG produces, for data-aware scheduling."""

from __future__ import annotations

from airflow.sdk import Asset, AssetAlias

from tranquillite.sources.feeds.registry import FEEDS

CORTEGE_RAW = Asset(name="raw.cortege_entries", uri="warehouse://raw/cortege_entries", group="raw")
MARTS = Asset(name="marts.fct_events", uri="warehouse://marts/fct_events", group="marts")
GEOCODER_CACHE = Asset(name="geo.geocoder_cache", uri="warehouse://geo/geocoder_cache", group="raw")


def feed_asset(source: str) -> Asset:
    """One Asset per feed: its rows of raw.feed_records."""
    return Asset(name=f"raw.feed_records.{source}", uri=f"warehouse://raw/feed_records/{source}", group="raw")


FEED_ASSETS = [feed_asset(source) for source in FEEDS]


def raw_asset(source: str) -> Asset:
    """The Asset of a source's raw rows, whatever the source."""
    return CORTEGE_RAW if source == "cortege" else feed_asset(source)


# What a replay of held records emits: resolved at run time to the replayed source's Asset
REPLAYED_RAW = AssetAlias(name="raw.replayed_records", group="raw")

# Every Asset that should trigger a warehouse build: new raw data, or addresses
# geocoded after the geocoder came back.
INGESTION_ASSETS = [CORTEGE_RAW, *FEED_ASSETS, GEOCODER_CACHE]

# The register of habilitated people: every act on it triggers habilitations_sync.
HABILITATIONS = Asset(name="access.habilitations", uri="warehouse://access/habilitations", group="access")

# The tension map and its GeoJSON layers (TRQ_MAP_DIR), rewritten after each build.
TENSION_MAP = Asset(name="tension_map", uri="file://tranquillite/map/tension_map.html", group="map")
