"""The municipal police CSV as office software writes it: BOM, `;`, decimal comma, local
times through the autumn DST change, and lines that cannot be read."""

from __future__ import annotations

from datetime import datetime

from sandbox.feeds_generator import PM_HEADER
from tranquillite.ingestion.gate import storable_json
from tranquillite.sources.feeds.config import feed
from tranquillite.sources.feeds.csv_feed import parse_csv

PM = feed("interventions_police_municipale")


def csv_bytes(*lines: str, bom: bool = True) -> bytes:
    return (("\ufeff" if bom else "") + "\r\n".join([PM_HEADER, *lines]) + "\r\n").encode("utf-8")


def line(ident: str, when: str, lon: str = "5,381", lat: str = "43,299", category: str = "rixe") -> str:
    return f"{ident};{when};{category};Rixe sur la voie publique;1;{lon};{lat};Sans suite"


def test_bom_separator_and_decimal_comma() -> None:
    items = parse_csv(csv_bytes(line("PM-1", "03/11/2026 14:05", "5,374", "43,295")), PM)
    assert len(items) == 1 and items[0].problem is None
    record = items[0].record
    assert record["id_intervention"] == "PM-1"  # the BOM is not part of the first column's name
    assert record["longitude"] == 5.374 and record["latitude"] == 43.295
    assert record["arrondissement"] == 1
    assert record["date_heure"] == "2026-11-03T14:05:00+01:00"


def test_without_bom_reads_the_same() -> None:
    assert parse_csv(csv_bytes(line("PM-1", "03/11/2026 14:05"), bom=False), PM)[0].problem is None


def test_the_repeated_autumn_hour_is_resolved_in_file_order() -> None:
    # 25 October 2026: clocks go back from 03:00 CEST to 02:00 CET
    items = parse_csv(
        csv_bytes(
            line("PM-1", "25/10/2026 01:50"),
            line("PM-2", "25/10/2026 02:10"),
            line("PM-3", "25/10/2026 02:40"),
            line("PM-4", "25/10/2026 02:05"),  # back in time: the second pass, winter time
            line("PM-5", "25/10/2026 02:50"),
            line("PM-6", "25/10/2026 03:15"),
        ),
        PM,
    )
    instants = [datetime.fromisoformat(i.record["date_heure"]) for i in items]
    offsets = [i.record["date_heure"][-6:] for i in items]
    assert offsets == ["+02:00", "+02:00", "+02:00", "+01:00", "+01:00", "+01:00"]
    assert instants == sorted(instants)  # the day book's order is kept as real time
    assert (instants[3] - instants[2]).total_seconds() == 25 * 60


def test_a_spring_time_that_never_existed_is_quarantined_with_its_line() -> None:
    items = parse_csv(csv_bytes(line("PM-1", "29/03/2026 01:59"), line("PM-2", "29/03/2026 02:30")), PM)
    assert items[0].problem is None
    assert items[1].problem.code == "invalid_datetime"
    assert items[1].line_number == 3 and "line 3" in items[1].problem.detail


def test_malformed_lines_keep_their_line_number_and_reason() -> None:
    items = parse_csv(
        csv_bytes(
            line("PM-1", "03/11/2026 14:05"),
            "PM-2;03/11/2026 14:10;rixe;trop;peu",
            line("PM-3", "2026-11-03 14:15"),
            line("PM-4", "03/11/2026 14:20", lon="5.381"),
        ),
        PM,
    )
    assert [i.problem.code if i.problem else None for i in items] == [
        None,
        "malformed_line",
        "invalid_datetime",
        "schema_violation",
    ]
    assert [i.line_number for i in items] == [2, 3, 4, 5]
    assert items[1].problem.detail == "line 3: 5 fields, expected 8"
    # the quarantine reason names the column and rule, never the value
    assert "2026-11-03" not in items[2].problem.detail


def test_invalid_utf8_is_an_invalid_text_problem_not_a_crash() -> None:
    data = csv_bytes(line("PM-1", "03/11/2026 14:05")).replace(b"Sans suite", b"Sans suite \xff\xfe")
    items = parse_csv(data, PM)
    text, problem = storable_json(items[0].record)
    assert problem is not None and problem.code == "invalid_text"
    assert text.encode("utf-8")  # storable as it is now: the bad bytes were replaced


def test_a_header_that_differs_quarantines_every_line() -> None:
    data = ("\ufeffid;date;categorie\r\n1;03/11/2026 14:05;rixe\r\n2;03/11/2026 14:06;rixe\r\n").encode()
    items = parse_csv(data, PM)
    assert len(items) == 2 and all(i.problem.code == "schema_violation" for i in items)
