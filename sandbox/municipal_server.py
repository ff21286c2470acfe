"""A local server that speaks the City's side of the contracts, for `make run` and the tests:

- the open-data portal's Explore API v2.1 (`/api/explore/v2.1/catalog/datasets/<id>/records`
  and `/exports/jsonl`), with its 10,000 offset window, ODSQL `where` on comparisons joined
  by `and`, `order_by`, and an optional API key;
- the road-works GeoJSON (`/travaux-voirie.geojson`) with ETag / If-None-Match;
- a geocoder that answers like addok, the Base Adresse Nationale's engine (`/search/` and
  the batch `/search/csv/`), from a gazetteer of Marseille streets and places.

Each can be told to fail (`POST /_sandbox/faults {"service": ..., "faults": [...]}`) or to
serve other content (`POST /_sandbox/records`, `/_sandbox/travaux`), and says what it
served (`GET /_sandbox/stats`).

    python -m sandbox.municipal_server --port 18766 [--records N] [--pm-folder DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import re
import threading
import unicodedata
from collections import Counter
from datetime import UTC, date, datetime
from email.parser import BytesParser
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sandbox import feeds_generator as gen
from sandbox.gazetteer import PLACES, STREETS

log = logging.getLogger("municipal-sandbox")

ODS_PREFIX = "/api/explore/v2.1/catalog/datasets/"
ODS_WINDOW = 10000
TRAVAUX_PATH = "/travaux-voirie.geojson"


# --- the geocoder's gazetteer ----------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", text)


def _citycode(label: str) -> tuple[str, str]:
    match = re.search(r"\b(130(\d\d))\b", label)
    postcode = match.group(1) if match else "13001"
    return postcode, f"132{postcode[-2:]}"


def gazetteer() -> list[dict]:
    docs = []
    for key, (label, lon, lat) in PLACES.items():
        postcode, citycode = _citycode(label)
        docs.append(
            {
                "id": f"place_{key}",
                "label": label,
                "lon": lon,
                "lat": lat,
                "type": "locality",
                "postcode": postcode,
                "citycode": citycode,
                "city": "Marseille",
            }
        )
    for key, (label, steps) in STREETS.items():
        mid = steps[len(steps) // 2]
        lon, lat = (PLACES[mid][1], PLACES[mid][2]) if isinstance(mid, str) else mid
        postcode, citycode = _citycode(label)
        docs.append(
            {
                "id": f"street_{key}",
                "label": label,
                "lon": lon,
                "lat": lat,
                "type": "street",
                "postcode": postcode,
                "citycode": citycode,
                "city": "Marseille",
            }
        )
    # namesakes outside Marseille: Aix-en-Provence's INSEE code is 13001, Marseille 1er's postcode
    docs += [
        {
            "id": "aix_mirabeau",
            "label": "Cours Mirabeau 13100 Aix-en-Provence",
            "lon": 5.4474,
            "lat": 43.5263,
            "type": "street",
            "postcode": "13100",
            "citycode": "13001",
            "city": "Aix-en-Provence",
        },
        {
            "id": "paris_rome",
            "label": "Rue de Rome 75008 Paris",
            "lon": 2.3226,
            "lat": 48.8795,
            "type": "street",
            "postcode": "75008",
            "citycode": "75108",
            "city": "Paris",
        },
        {
            "id": "aubagne_foch",
            "label": "Place Foch 13400 Aubagne",
            "lon": 5.5706,
            "lat": 43.2927,
            "type": "street",
            "postcode": "13400",
            "citycode": "13005",
            "city": "Aubagne",
        },
    ]
    for d in docs:
        d["tokens"] = set(_tokens(d["label"]))
    return docs


def search(docs: list[dict], query: str, *, citycode: str | None = None, limit: int = 5) -> list[tuple[float, dict]]:
    """addok-like: the share of the query's words a label holds, weighted towards covering the label."""
    words = set(_tokens(query))
    if not words:
        return []
    scored = []
    for d in docs:
        if citycode and d["citycode"] != citycode:
            continue
        common = words & d["tokens"]
        if not common:
            continue
        score = round(0.6 * len(common) / len(words) + 0.4 * len(common) / len(d["tokens"]), 4)
        if score >= 0.2:
            scored.append((score, d))
    scored.sort(key=lambda s: (-s[0], s[1]["id"]))
    return scored[:limit]


def _feature(score: float, d: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [d["lon"], d["lat"]]},
        "properties": {
            "label": d["label"],
            "score": score,
            "id": d["id"],
            "type": d["type"],
            "name": d["label"].split(",")[0],
            "postcode": d["postcode"],
            "citycode": d["citycode"],
            "city": d["city"],
            "context": "13, Bouches-du-Rhône, Provence-Alpes-Côte d'Azur",
        },
    }


# --- the open-data portal's ODSQL, the part the platform uses ---------------------------------

_CLAUSE = re.compile(r'^\s*([a-z_][a-z0-9_]*)\s*(>=|<=|=|>|<)\s*"([^"]*)"\s*$')


def parse_where(where: str) -> list[tuple[str, str, str]]:
    clauses = []
    for part in re.split(r"\s+and\s+", where.strip(), flags=re.IGNORECASE):
        match = _CLAUSE.match(part)
        if not match:
            raise ValueError(f"ODSQL: cannot parse {part!r}")
        clauses.append(match.groups())
    return clauses


def _instant(value: str) -> datetime | str:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return value


def _matches(record: dict, clauses: list[tuple[str, str, str]]) -> bool:
    for field, op, literal in clauses:
        value = record.get(field)
        if value is None:
            return False
        a, b = _instant(str(value)), _instant(literal)
        if type(a) is not type(b):
            a, b = str(value), literal
        ok = {">=": a >= b, "<=": a <= b, "=": a == b, ">": a > b, "<": a < b}[op]
        if not ok:
            return False
    return True


class State:
    def __init__(self, records: list[dict], travaux: dict, apikey: str | None = None) -> None:
        self.lock = threading.Lock()
        self.records = records
        self.apikey = apikey
        self.travaux_body = gen.dumps(travaux)
        self.faults: dict[str, list[str]] = {"opendata": [], "travaux": [], "geocoder": []}
        self.geocoder_down = False
        self.stats: Counter = Counter()
        self.docs = gazetteer()

    def fault(self, service: str) -> str | None:
        with self.lock:
            queue = self.faults.get(service) or []
            return queue.pop(0) if queue else None


class Handler(BaseHTTPRequestHandler):
    server_version = "municipal-sandbox/1"
    state: State

    def log_message(self, fmt: str, *args) -> None:
        log.debug(fmt, *args)

    def _send(
        self, status: int, body: bytes = b"", ctype: str = "application/json", headers: dict | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj: object, headers: dict | None = None) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), headers=headers)

    def _injected(self, service: str) -> bool:
        fault = self.state.fault(service)
        if fault is None:
            return False
        self.state.stats[f"{service}:fault:{fault}"] += 1
        if fault == "drop":
            self.close_connection = True
            self.connection.close()
            return True
        status = int(fault)
        self._json(status, {"error": f"injected {status}"}, {"Retry-After": "0"} if status == 429 else None)
        return True

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if url.path == "/health":
            return self._json(200, {"status": "ok"})
        if url.path == "/_sandbox/stats":
            return self._json(200, dict(self.state.stats))
        if url.path.startswith(ODS_PREFIX):
            return self._opendata(url.path[len(ODS_PREFIX) :], query)
        if url.path == TRAVAUX_PATH:
            return self._travaux()
        if url.path == "/search/":
            return self._search(query)
        self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if url.path == "/search/csv/":
            return self._search_csv(body)
        data = json.loads(body or b"{}")
        with self.state.lock:
            if url.path == "/_sandbox/faults":
                self.state.faults.setdefault(data["service"], []).extend(str(f) for f in data["faults"])
            elif url.path == "/_sandbox/records":
                self.state.records = data["records"]
            elif url.path == "/_sandbox/travaux":
                self.state.travaux_body = (
                    data["body"].encode("utf-8") if "body" in data else gen.dumps(data["collection"])
                )
            elif url.path == "/_sandbox/geocoder":
                self.state.geocoder_down = bool(data["down"])
            else:
                return self._json(404, {"error": "not found"})
        self._json(200, {"ok": True})

    # the open-data portal
    def _opendata(self, rest: str, query: dict) -> None:
        dataset, _, route = rest.partition("/")
        if self._injected("opendata"):
            return
        if self.state.apikey and self.headers.get("Authorization") != f"Apikey {self.state.apikey}":
            return self._json(401, {"error_code": "InvalidKey", "message": "invalid or missing API key"})
        if dataset != "evenements-espace-public":
            return self._json(404, {"error_code": "UnknownDataset"})
        try:
            clauses = parse_where(query["where"]) if query.get("where") else []
        except ValueError as exc:
            return self._json(400, {"error_code": "ODSQLError", "message": str(exc)})
        with self.state.lock:
            rows = [r for r in self.state.records if _matches(r, clauses)]
        keys = [k.strip() for k in query.get("order_by", "").split(",") if k.strip()]
        if keys:
            rows.sort(key=lambda r: tuple(str(_instant(str(r.get(k, "")))) for k in keys))
        if route == "records":
            limit, offset = int(query.get("limit", 10)), int(query.get("offset", 0))
            if limit > 100:
                return self._json(400, {"error_code": "InvalidRESTParameterError", "message": "limit <= 100"})
            if offset + limit > ODS_WINDOW:
                self.state.stats["opendata:window_refused"] += 1
                return self._json(
                    400,
                    {
                        "error_code": "InvalidRESTParameterError",
                        "message": f"offset + limit must be <= {ODS_WINDOW}; use the exports route",
                    },
                )
            self.state.stats["opendata:records"] += 1
            return self._json(200, {"total_count": len(rows), "results": rows[offset : offset + limit]})
        if route == "exports/jsonl":
            self.state.stats["opendata:exports"] += 1
            body = b"".join(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in rows)
            return self._send(200, body, "application/jsonl")
        self._json(404, {"error": "unknown route"})

    # the road-works file
    def _travaux(self) -> None:
        if self._injected("travaux"):
            return
        with self.state.lock:
            body = self.state.travaux_body
        etag = gen.etag_of(body)
        if self.headers.get("If-None-Match") == etag:
            self.state.stats["travaux:304"] += 1
            return self._send(304, headers={"ETag": etag})
        self.state.stats["travaux:200"] += 1
        self._send(200, body, "application/geo+json", {"ETag": etag})

    # the geocoder
    def _geocoder_unavailable(self) -> bool:
        if self.state.geocoder_down:
            self.state.stats["geocoder:down"] += 1
            self._json(503, {"error": "service unavailable"})
            return True
        return self._injected("geocoder")

    def _search(self, query: dict) -> None:
        if self._geocoder_unavailable():
            return
        q = query.get("q", "")
        if len(q.strip()) < 3:
            return self._json(400, {"code": 400, "message": "q must contain between 3 and 200 chars"})
        self.state.stats["geocoder:search"] += 1
        found = search(self.state.docs, q, citycode=query.get("citycode"), limit=int(query.get("limit", 5)))
        self._json(
            200,
            {
                "type": "FeatureCollection",
                "version": "draft",
                "query": q,
                "limit": int(query.get("limit", 5)),
                "features": [_feature(s, d) for s, d in found],
                "attribution": "BAN",
                "licence": "ETALAB-2.0",
            },
        )

    def _search_csv(self, body: bytes) -> None:
        if self._geocoder_unavailable():
            return
        message = BytesParser(policy=email_policy).parsebytes(
            f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode() + body
        )
        fields: dict[str, list] = {}
        for part in message.iter_parts():
            fields.setdefault(part.get_param("name", header="content-disposition"), []).append(part.get_content())
        if "data" not in fields:
            return self._json(400, {"code": 400, "message": "missing data file"})
        data = fields["data"][0]
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        columns = [c.decode() if isinstance(c, bytes) else c for c in fields.get("columns", [])]
        reader = csv.DictReader(io.StringIO(text))
        out = io.StringIO()
        extra = [
            "latitude",
            "longitude",
            "result_label",
            "result_score",
            "result_type",
            "result_id",
            "result_postcode",
            "result_city",
            "result_citycode",
            "result_status",
        ]
        writer = csv.DictWriter(out, fieldnames=list(reader.fieldnames or []) + extra, lineterminator="\n")
        writer.writeheader()
        self.state.stats["geocoder:csv"] += 1
        for row in reader:
            q = " ".join(row.get(c, "") for c in columns) if columns else " ".join(row.values())
            found = search(self.state.docs, q, limit=1)
            result = {k: "" for k in extra}
            if found:
                s, d = found[0]
                result.update(
                    latitude=d["lat"],
                    longitude=d["lon"],
                    result_label=d["label"],
                    result_score=s,
                    result_type=d["type"],
                    result_id=d["id"],
                    result_postcode=d["postcode"],
                    result_city=d["city"],
                    result_citycode=d["citycode"],
                    result_status="ok",
                )
            else:
                result["result_status"] = "not-found"
            writer.writerow({**row, **result})
        self._send(200, out.getvalue().encode("utf-8"), "text/csv; charset=utf-8")


def serve(port: int, state: State) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    return server


def write_pm_files(folder: Path, days: list[date], per_day: int = 40) -> list[Path]:
    """The municipal police's daily files, settled (their mtime an hour ago), as SFTP leaves them."""
    import os
    import time

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for day in days:
        path = folder / f"interventions_{day:%Y%m%d}.csv"
        path.write_bytes(gen.pm_csv(day, per_day))
        settled = time.time() - 3600
        os.utime(path, (settled, settled))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=18766)
    parser.add_argument("--records", type=int, default=180, help="authorised events on the open-data portal")
    parser.add_argument("--apikey-file", type=Path, help="require this API key (Authorization: Apikey ...)")
    parser.add_argument("--pm-folder", type=Path, help="write the police's daily CSV files here")
    parser.add_argument("--day", default="2026-10-26", help="the road-works file's day, and the last PM file's")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    day = date.fromisoformat(args.day)
    apikey = args.apikey_file.read_text().strip() if args.apikey_file else None
    state = State(gen.ods_records(args.records), gen.travaux_collection(day), apikey)
    if args.pm_folder:
        # the week that holds the autumn DST change (25 October 2026)
        write_pm_files(args.pm_folder, [date.fromordinal(day.toordinal() - n) for n in range(3, -1, -1)])
    server = serve(args.port, state)
    log.info("municipal sandbox on http://127.0.0.1:%d (open data, road works, geocoder)", args.port)
    server.serve_forever()


if __name__ == "__main__":
    main()
