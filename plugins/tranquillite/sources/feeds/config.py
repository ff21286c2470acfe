"""A feed's configuration: `feeds/<source>.yml`, checked here.

The YAML files are read by `scripts/generate_feeds.py` (`make feeds`), which
writes them into `registry.py` as Python literals: the DAG file that builds one
DAG per feed then imports a module and reads no file at parse time, the
"embedded meta-data" pattern of Airflow's dynamic DAG generation guide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tranquillite.core.settings import ROOT

if TYPE_CHECKING:
    from tranquillite.compliance.conventions import SourceTerms

FEEDS_DIR = ROOT / "feeds"
TRANSPORTS = ("opendatasoft", "csv_folder", "geojson_http")
VALIDATION_TYPES = ("text", "timestamptz", "date", "bigint", "integer", "float")
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")


class FeedConfigError(ValueError):
    """A feed configuration that cannot work: says which file and which key."""


@dataclass(frozen=True)
class Geocode:
    label: str
    unless_any: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedConfig:
    source: str
    title: str
    description: str
    transport: str
    connection: str
    schedule: str
    schema: str
    id_path: str
    starts_path: str
    ends_path: str
    updated_at_path: str | None = None
    geometry_path: str | None = None
    on_invalid_geometry: str = "quarantine"
    geocode: Geocode | None = None
    options: dict[str, Any] = field(default_factory=dict)
    validation: dict[str, str] = field(default_factory=dict)
    freshness: dict[str, Any] = field(default_factory=dict)

    @property
    def schema_file(self) -> Path:
        return FEEDS_DIR / self.schema

    @property
    def suite_name(self) -> str:
        return self.source

    @property
    def agreement(self) -> SourceTerms:
        """Its agreement and retention: compliance/conventions.yml, the one place that says."""
        from tranquillite.compliance.conventions import agreement_of

        return agreement_of(self.source)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeedConfig:
        if "agreement" in data:
            raise FeedConfigError(
                f"{data.get('source')}: a feed names no agreement: its agreement and retention are in"
                " compliance/conventions.yml"
            )
        record = data.get("record") or {}
        geocode = record.get("geocode")
        return cls(
            source=data["source"],
            title=data.get("title", data["source"]),
            description=" ".join(str(data.get("description", "")).split()),
            transport=data["transport"],
            connection=data["connection"],
            schedule=data["schedule"],
            schema=data["schema"],
            id_path=record["id"],
            starts_path=record["starts"],
            ends_path=record["ends"],
            updated_at_path=record.get("updated_at"),
            geometry_path=record.get("geometry"),
            on_invalid_geometry=record.get("on_invalid_geometry", "quarantine"),
            geocode=Geocode(geocode["label"], tuple(geocode.get("unless_any", ()))) if geocode else None,
            options=dict(data.get("options") or {}),
            validation={str(k): str(v) for k, v in (data.get("validation") or {}).items()},
            freshness=dict(data.get("freshness") or {}),
        )


def check(config: FeedConfig, where: str = "") -> FeedConfig:
    """Refuse what would fail later, at generation time, with the file and key named."""
    at = f"{where or config.source}: "
    if not _NAME.match(config.source):
        raise FeedConfigError(f"{at}source must be a lower-case identifier")
    if config.transport not in TRANSPORTS:
        raise FeedConfigError(f"{at}transport must be one of {', '.join(TRANSPORTS)}")
    if config.on_invalid_geometry not in ("quarantine", "repair"):
        raise FeedConfigError(f"{at}record.on_invalid_geometry must be quarantine or repair")
    paths = [config.id_path, config.starts_path, config.ends_path]
    paths += [p for p in (config.updated_at_path, config.geometry_path) if p]
    if config.geocode:
        paths += [config.geocode.label, *config.geocode.unless_any]
    for path in [*paths, *config.validation]:
        if not _PATH.match(path):
            raise FeedConfigError(f"{at}{path!r} is not a dotted field path")
    for path, kind in config.validation.items():
        if kind not in VALIDATION_TYPES:
            raise FeedConfigError(f"{at}validation.{path}: type must be one of {', '.join(VALIDATION_TYPES)}")
    if not config.schema_file.is_file():
        raise FeedConfigError(f"{at}schema file {config.schema_file} not found")
    if not (FEEDS_DIR.parent / "expectations" / f"{config.source}.json").is_file():
        raise FeedConfigError(f"{at}expectations/{config.source}.json (its GX suite) not found")
    if config.freshness and (
        config.freshness.get("measure", "success") not in ("success", "delivery", "new_data")
        or float(config.freshness.get("silent_after_hours", 0)) <= 0
    ):
        raise FeedConfigError(f"{at}freshness: measure success|delivery|new_data and silent_after_hours > 0")
    return config


def load_all(folder: Path = FEEDS_DIR) -> list[FeedConfig]:
    import yaml

    configs = []
    for path in sorted(folder.glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            configs.append(check(FeedConfig.from_dict(data), path.name))
        except KeyError as exc:
            raise FeedConfigError(f"{path.name}: missing key {exc}") from exc
    sources = [c.source for c in configs]
    if len(set(sources)) != len(sources):
        raise FeedConfigError("two feed files declare the same source")
    return configs


def get(path: str, record: Any) -> Any:
    """The value at a dotted path of a record, or None."""
    value = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def feed(source: str) -> FeedConfig:
    from tranquillite.sources.feeds.registry import FEEDS

    try:
        return FeedConfig.from_dict(FEEDS[source])
    except KeyError:
        raise FeedConfigError(f"no feed {source!r}: known feeds are {', '.join(sorted(FEEDS))}") from None


def all_feeds() -> list[FeedConfig]:
    from tranquillite.sources.feeds.registry import FEEDS

    return [FeedConfig.from_dict(d) for d in FEEDS.values()]
