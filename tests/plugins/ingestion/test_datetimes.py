"""An instant the gate accepts is one the warehouse reads (issue 20): Python's fromisoformat
takes ISO week dates, hours alone and decimal commas, which PostgreSQL's timestamptz cast
refuses, so one such value once passed the gate and failed a staging model, and the build."""

from __future__ import annotations

from datetime import datetime

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tranquillite.contract import parse_datetime

DATES = st.sampled_from(["2026-12-03", "2026-W49-4", "2026-W49", "2026-337", "20261203", "2024-02-29"])
SEPARATORS = st.sampled_from(["T", "t", " "])
TIMES = st.sampled_from(["10", "10:05", "1005", "10:05:07", "100507", "23:59:59"])
FRACTIONS = st.one_of(
    st.just(""), st.builds(lambda sep, n: sep + "7" * n, st.sampled_from([".", ","]), st.integers(1, 9))
)
OFFSETS = st.sampled_from(["Z", "z", "+01:00", "-05:30", "+0100", "+01", "", "+01:00:30", "+14:00"])


@pytest.mark.parametrize(
    "value",
    ["2026-W49-4T10:00:00+01:00", "2026-W49T10:00+01:00", "2026-12-03T10+01:00", "2026-12-03T10:00:00,5+01:00"],
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
    value = day + sep + clock + fraction + offset
    try:
        accepted = parse_datetime(value)
    except ValueError:
        return
    read = db.execute("select %s::timestamptz", (value,)).fetchone()[0]
    assert read == accepted.replace(microsecond=read.microsecond) and abs(read.microsecond - accepted.microsecond) <= 1
