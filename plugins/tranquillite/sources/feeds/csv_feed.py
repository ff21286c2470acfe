"""The municipal police's CSV, as French office software writes it.

UTF-8 with a byte-order mark, `;` between fields, `,` as decimal mark, local
times `DD/MM/YYYY HH:MM` (Europe/Paris). A line becomes a typed record whose
`date_heure` is an instant with its offset; a line that cannot (wrong number of
fields, a value that does not parse, bytes that are not UTF-8) becomes an item
with its line number and the reason, for the quarantine.

The autumn DST change repeats the hour from 02:00 to 02:59. The day book is
written in time order, so within a file the first pass through that hour is
summer time (+02:00) and, once a time in that hour goes backwards, the second
pass is winter time (+01:00). A file holding only the second pass cannot be told
apart: it is read as summer time.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tranquillite.ingestion.contract import Problem
from tranquillite.sources.feeds.config import FeedConfig
from tranquillite.sources.feeds.gate import Item


class ValueProblemError(ValueError):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def _decimal(value: str) -> float:
    text = value.strip().replace("\u00a0", "").replace(" ", "")
    if text.count(",") > 1 or "." in text:
        raise ValueError(value)
    return float(text.replace(",", "."))


def _local(value: str) -> datetime:
    return datetime.strptime(value.strip(), "%d/%m/%Y %H:%M")


def is_ambiguous(naive: datetime, tz: ZoneInfo) -> bool:
    return naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset()


def does_not_exist(naive: datetime, tz: ZoneInfo) -> bool:
    """A spring-forward time (02:30 on the last Sunday of March) that no clock showed."""
    aware = naive.replace(tzinfo=tz)
    return aware.astimezone(ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None) != naive


class LocalClock:
    """Resolves local wall-clock times, in file order, to instants."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self.latest_ambiguous: datetime | None = None
        self.second_pass = False

    def resolve(self, naive: datetime) -> datetime:
        if does_not_exist(naive, self.tz):
            raise ValueProblemError("invalid_datetime", "a local time that did not exist (spring DST change)")
        fold = 0
        if is_ambiguous(naive, self.tz):
            if self.latest_ambiguous is not None and naive < self.latest_ambiguous:
                self.second_pass = True
            if self.latest_ambiguous is None or naive > self.latest_ambiguous:
                self.latest_ambiguous = naive
            fold = 1 if self.second_pass else 0
        elif self.latest_ambiguous is not None and naive - self.latest_ambiguous > timedelta(hours=2):
            self.latest_ambiguous, self.second_pass = None, False
        return naive.replace(tzinfo=self.tz, fold=fold)


def parse_csv(data: bytes, feed: FeedConfig) -> list[Item]:
    columns: dict[str, str] = dict(feed.options["columns"])
    tz = ZoneInfo(feed.options.get("timezone", "Europe/Paris"))
    text = data.decode("utf-8", errors="surrogateescape")
    if text.startswith("\ufeff"):
        text = text[1:]
    # the csv module's own cap (131,072 characters) would fail the whole file on one long
    # field: lift it, and let the gate quarantine that one record as too_large
    csv.field_size_limit(2**31 - 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return []
    items: list[Item] = []
    header_problem = None
    if header != list(columns):
        header_problem = Problem("schema_violation", f"header differs from the contract's {len(columns)} columns")
    clock = LocalClock(tz)
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        raw = dict(zip(header, row, strict=False)) if len(row) == len(header) else {"colonnes": row}
        if header_problem:
            items.append(Item(raw, line, header_problem))
            continue
        if len(row) != len(columns):
            items.append(
                Item(raw, line, Problem("malformed_line", f"line {line}: {len(row)} fields, expected {len(columns)}"))
            )
            continue
        record: dict = {}
        problem = None
        for (name, kind), cell in zip(columns.items(), row, strict=True):
            value = cell.strip()
            try:
                if not value:
                    record[name] = None
                elif kind == "integer":
                    record[name] = int(value)
                elif kind == "decimal":
                    record[name] = _decimal(value)
                elif kind == "local_datetime":
                    record[name] = clock.resolve(_local(value)).isoformat()
                else:
                    record[name] = value
            except ValueProblemError as exc:
                problem = Problem(exc.code, f"line {line}: {name}: {exc}")
                break
            except ValueError:
                code = "invalid_datetime" if kind == "local_datetime" else "schema_violation"
                expected = {
                    "integer": "an integer",
                    "decimal": "a decimal number",
                    "local_datetime": "DD/MM/YYYY HH:MM",
                }
                problem = Problem(code, f"line {line}: {name}: is not {expected.get(kind, kind)}")
                break
        items.append(Item(raw if problem else record, line, problem))
    return items
