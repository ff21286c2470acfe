"""One YAML file per feed; the registry the DAG file imports is generated from them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tranquillite.sources.feeds.config import FeedConfig, FeedConfigError, all_feeds, check, load_all

ROOT = Path(__file__).resolve().parents[4]


def test_registry_is_generated_from_the_yaml_files() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_feeds.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert [f.source for f in all_feeds()] == [f.source for f in load_all()]


def test_every_feed_names_its_agreement_schema_and_suite() -> None:
    feeds = {f.source: f for f in all_feeds()}
    assert set(feeds) == {"evenements_espace_public", "interventions_police_municipale", "travaux_voirie"}
    assert {f.transport for f in feeds.values()} == {"opendatasoft", "csv_folder", "geojson_http"}
    for f in feeds.values():
        assert f.agreement.convention_id and f.schema_file.is_file()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"transport": "ftp"}, "transport must be one of"),
        ({"source": "Bad Name"}, "lower-case identifier"),
        ({"schema": "missing.schema.json"}, "not found"),
        ({"validation": {"titre; drop table x": "text"}}, "not a dotted field path"),
        ({"validation": {"titre": "json"}}, "type must be one of"),
        ({"agreement": {"convention_id": "X", "retention_days": 9}}, "compliance/conventions.yml"),
    ],
)
def test_a_broken_configuration_is_refused_with_the_key_named(change: dict, message: str) -> None:
    import yaml

    data = yaml.safe_load((ROOT / "feeds" / "evenements_espace_public.yml").read_text())
    data.update(change)
    with pytest.raises(FeedConfigError, match=message):
        check(FeedConfig.from_dict(data))
