"""An instant the gate accepts is one the warehouse reads (issue 20): Python's fromisoformat
takes ISO week dates, hours alone and decimal commas, which PostgreSQL's timestamptz cast
refuses, so one such value once passed the gate and failed a staging model, and the build."""

from __future__ import annotations

from datetime import datetime

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tranquillite.ingestion.contract import parse_date, parse_datetime
from tranquillite.ingestion.hardening import harden

DATES = st.sampled_from(["2026-12-03", "2026-W49-4", "2026-W49", "2026-337", "20261203", "2024-02-29"])
SEPARATORS = st.sampled_from(["T", "t", " "])
TIMES = st.sampled_from(["10", "10:05", "1005", "10:05:07", "100507", "23:59:59"])
FRACTIONS = st.one_of(
    st.just(""),
    st.builds(lambda sep, n: sep + "7" * n, st.sampled_from([".", ","]), st.integers(1, 9)),
    st.sampled_from([".9999995", ".9999994", ".5", ".123456789", ".0000005"]),
)
OFFSETS = st.sampled_from(
    ["Z", "z", "+01:00", "-05:30", "+0100", "+01", "", "+01:00:30", "+14:00", "+15:59", "+16:00", "+01:60", "-15:99"]
)


@pytest.mark.parametrize(
    "value",
    [
        "2026-W49-4T10:00:00+01:00",
        "2026-W49T10:00+01:00",
        "2026-12-03T10+01:00",
        "2026-12-03T10:00:00,5+01:00",
        "2026-12-03T10:00:00+16:00",
        "2026-12-03T10:00:00+01:60",
    ],
)
def test_what_python_reads_but_the_warehouse_refuses_is_not_an_instant(value: str) -> None:
    datetime.fromisoformat(value)  # Python alone would let it through
    with pytest.raises(ValueError, match="RFC 3339"):
        parse_datetime(value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(DATES, SEPARATORS, TIMES, FRACTIONS, OFFSETS)
def test_every_instant_the_gate_accepts_the_warehouse_reads_alike(
    db: psycopg.Connection, day: str, sep: str, clock: str, fraction: str, offset: str
) -> None:
    # as the gate holds it: made safe first (ingestion.hardening), then judged
    value, _ = harden(day + sep + clock + fraction + offset, frozenset())
    try:
        accepted = parse_datetime(value)
    except ValueError:
        return
    read = db.execute("select %s::timestamptz", (value,)).fetchone()[0]
    assert read == accepted


def test_two_instants_a_fraction_of_a_microsecond_apart_keep_their_order_in_the_warehouse(
    db: psycopg.Connection,
) -> None:
    """Python truncates past six decimals and PostgreSQL rounds: unnormalised, an end judged
    after its start would be read before it, and fail the build's not_before test."""
    debut, fin = "2026-03-07T10:00:00.9999995Z", "2026-03-07T10:00:00.9999994Z"
    held = harden({"debut": debut, "fin": fin}, frozenset({"debut", "fin"}))[0]
    assert parse_datetime(held["fin"]) >= parse_datetime(held["debut"])
    read_debut, read_fin = db.execute(
        "select %s::timestamptz, %s::timestamptz", (held["debut"], held["fin"])
    ).fetchone()
    assert read_fin >= read_debut


@pytest.mark.parametrize("value", ["2026-W49-4", "2026-337", "20261203", "2026-12-03T00:00:00"])
def test_a_date_is_written_year_month_day(value: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date(value)
    assert parse_date("2026-12-03").isoformat() == "2026-12-03"
