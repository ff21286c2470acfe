"""Geocoding of the addresses that came without coordinates, through the Base Adresse
Nationale's geocoder (addok API; connection `geocoder`).

What needs it: a Cortège address whose lon/lat are null, and a feed record whose
configuration names a label to geocode when its geometry fields are empty (the
open-data events' `lieu`). Each distinct address is asked once: answers are kept
in `geo.geocoder_cache` under the label normalised by `geo.normalise_label` (the
same SQL function dbt joins on). Only answers inside Marseille count (INSEE 13055
and its arrondissements 13201 to 13216); a label without "Marseille" is asked as
"<label>, Marseille". A score under `TRQ_GEOCODER_MIN_SCORE` is kept but untrusted.
When the geocoder is down, nothing is cached: the events load with a pending
geocoding status and the next run asks again.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import asdict, dataclass

import psycopg

from tranquillite.core import settings
from tranquillite.core.connections import get_conn, http_base_url
from tranquillite.core.http import HttpError, RetryingHttp, RetryPolicy
from tranquillite.core.settings import LOADER_CONN_ID

log = logging.getLogger(__name__)

GEOCODER_CONN_ID = "geocoder"
MARSEILLE_CITYCODES = frozenset({"13055", *(f"132{n:02d}" for n in range(1, 17))})
BATCH_SIZE = 500


@dataclass
class Answer:
    status: str  # found, not_found, out_of_area
    lon: float | None = None
    lat: float | None = None
    score: float | None = None
    label: str | None = None
    kind: str | None = None
    citycode: str | None = None


@dataclass
class GeocodeResult:
    asked: int = 0
    found: int = 0
    untrusted: int = 0
    not_found: int = 0
    out_of_area: int = 0
    pending: int = 0
    geocoder_error: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _answer(score: float | None, lon, lat, label, kind, citycode) -> Answer:
    if lon in (None, "") or lat in (None, ""):
        return Answer("not_found")
    if citycode not in MARSEILLE_CITYCODES:
        return Answer("out_of_area", score=score, label=label, kind=kind, citycode=citycode)
    return Answer("found", float(lon), float(lat), score, label, kind, citycode)


def query_text(label: str) -> str:
    return label if "marseille" in label.lower() else f"{label}, Marseille"


class Geocoder:
    def __init__(self, conn_id: str = GEOCODER_CONN_ID, http: RetryingHttp | None = None) -> None:
        conn = get_conn(conn_id)
        self.base = http_base_url(conn)
        self.provider = conn.extra.get("provider", "BAN (addok)")
        # a geocoder that is down should not hold a warehouse build for minutes
        self.http = http or RetryingHttp("geocoder", RetryPolicy(max_attempts=3, backoff_base_seconds=0.5))

    def batch(self, labels: list[str]) -> list[Answer]:
        """The batch route: one CSV up, one CSV back, in the same order."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["ref", "q"])
        writer.writerows((i, query_text(label)) for i, label in enumerate(labels))
        resp = self.http.request(
            "POST",
            f"{self.base}/search/csv/",
            files={"data": ("adresses.csv", out.getvalue().encode("utf-8"), "text/csv")},
            data={"columns": ["q"]},
            what="/search/csv/",
        )
        answers: list[Answer] = [Answer("not_found")] * len(labels)
        for row in csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))):
            i = int(row["ref"])
            if row.get("result_status", "ok") != "ok":
                continue
            score = float(row["result_score"]) if row.get("result_score") else None
            answers[i] = _answer(
                score,
                row.get("longitude"),
                row.get("latitude"),
                row.get("result_label"),
                row.get("result_type"),
                row.get("result_citycode"),
            )
        return answers

    def single(self, label: str) -> Answer:
        """The search route, for what the batch route could not answer: the best result in Marseille."""
        resp = self.http.get(f"{self.base}/search/", params={"q": query_text(label), "limit": 5}, what="/search/")
        features = resp.json().get("features") or []
        for f in features:
            props = f.get("properties", {})
            if props.get("citycode") in MARSEILLE_CITYCODES:
                lon, lat = f["geometry"]["coordinates"]
                return _answer(props.get("score"), lon, lat, props.get("label"), props.get("type"), props["citycode"])
        if features:
            props = features[0].get("properties", {})
            return Answer("out_of_area", score=props.get("score"), citycode=props.get("citycode"))
        return Answer("not_found")


# the Cortège addresses the geocoder is asked for: a label and no coordinates
CORTEGE_LABELS = (
    "select r.convention_id, a ->> 'libelle' from raw.cortege_entries as r,"
    " jsonb_path_query(r.payload, 'strict $.** ? (@.type() == \"object\" && exists(@.libelle))') as a"
    " where coalesce(jsonb_typeof(a -> 'lon'), 'null') = 'null'"
)


def feed_label_queries() -> list[tuple[str, tuple]]:
    """One query a feed that has a label to geocode, from its configuration (checked paths):
    (convention_id, label) rows."""
    from tranquillite.sources.feeds.config import all_feeds

    queries = []
    for feed in all_feeds():
        if not feed.geocode:
            continue
        label = "payload #>> '{" + feed.geocode.label.replace(".", ",") + "}'"
        empty = (
            " and ".join(
                "coalesce(jsonb_typeof(payload #> '{" + p.replace(".", ",") + "}'), 'null') = 'null'"
                for p in feed.geocode.unless_any
            )
            or "true"
        )
        queries.append(
            (f"select convention_id, {label} from raw.feed_records where source = %s and {empty}", (feed.source,))
        )
    return queries


def pending_labels(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """(key, label) of every address without coordinates that the cache has not answered."""
    parts = [CORTEGE_LABELS]
    params: list = []
    for sql, args in feed_label_queries():
        parts.append(sql)
        params.extend(args)
    rows = conn.execute(
        "select distinct on (k) k, label from (select geo.normalise_label(label) as k, label from ("
        + " union all ".join(parts)
        + ") as labels(convention_id, label)) as keyed where k is not null"
        " and not exists (select 1 from geo.geocoder_cache c where c.label_key = keyed.k) order by k, label",
        params,
    ).fetchall()
    return [(k, label) for k, label in rows]


def _store(conn: psycopg.Connection, provider: str, keyed: list[tuple[str, Answer]]) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            "insert into geo.geocoder_cache (label_key, status, lon, lat, score, is_trusted, result_label, result_type,"
            " result_citycode, provider) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " on conflict (label_key) do update set status = excluded.status, lon = excluded.lon, lat = excluded.lat,"
            " score = excluded.score, is_trusted = excluded.is_trusted, result_label = excluded.result_label,"
            " result_type = excluded.result_type, result_citycode = excluded.result_citycode,"
            " provider = excluded.provider, geocoded_at = now()",
            [
                (
                    k,
                    a.status,
                    a.lon,
                    a.lat,
                    a.score,
                    a.status == "found" and (a.score or 0) >= settings.geocoder_min_score(),
                    a.label,
                    a.kind,
                    a.citycode,
                    provider,
                )
                for k, a in keyed
            ],
        )


def geocode_pending(
    *, conn_id: str = GEOCODER_CONN_ID, warehouse_conn_id: str = LOADER_CONN_ID, geocoder: Geocoder | None = None
) -> GeocodeResult:
    """Ask the geocoder for every address not yet answered. Never raises for the geocoder's
    sake: what could not be asked stays pending for the next run."""
    from tranquillite.warehouse import connect, ensure_migrated

    result = GeocodeResult()
    with connect(warehouse_conn_id, autocommit=True) as conn:
        ensure_migrated(conn)
        todo = pending_labels(conn)
        if not todo:
            return result
        geocoder = geocoder or Geocoder(conn_id)
        for start in range(0, len(todo), BATCH_SIZE):
            chunk = todo[start : start + BATCH_SIZE]
            try:
                try:
                    answers = geocoder.batch([label for _, label in chunk])
                except HttpError as exc:
                    log.warning("geocoder batch route failed (%s): asking address by address", exc)
                    answers = [geocoder.single(label) for _, label in chunk]
            except HttpError as exc:
                result.pending = len(todo) - start
                result.geocoder_error = str(exc)
                log.warning(
                    "geocoder unavailable (%s): %d address(es) left pending for the next run", exc, result.pending
                )
                break
            with conn.transaction():
                _store(conn, geocoder.provider, [(k, a) for (k, _), a in zip(chunk, answers, strict=True)])
            result.asked += len(chunk)
            for a in answers:
                if a.status == "found":
                    result.found += 1
                    result.untrusted += (a.score or 0) < settings.geocoder_min_score()
                elif a.status == "out_of_area":
                    result.out_of_area += 1
                else:
                    result.not_found += 1
    log.info("geocoding: %s", result.as_dict())
    return result
