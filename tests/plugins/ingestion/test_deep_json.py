"""Reading a source's JSON past any depth (issue 20): a document that parses comes back as
it is; one too deep for the parser comes back with the deep part cut, every other record
intact, and the cut record still too deep for the gate, which quarantines it."""

from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tranquillite.core.settings import gate_limits
from tranquillite.ingestion import deep_json
from tranquillite.ingestion.hardening import harden

CUT = deep_json.cut_depth(gate_limits().max_depth)
# strings that look like JSON's own punctuation, escapes and all
TEXT = st.text(alphabet=st.sampled_from(list('ab [{]}",\\:é\n')), max_size=12)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=30,
)


def nested(levels: int, opener: str = '{"n": ', closer: str = "}") -> str:
    return opener * levels + '"fond [}"' + closer * levels


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_a_document_that_parses_comes_back_as_it_is(value) -> None:
    text = json.dumps(value)
    assert deep_json.loads(text, CUT) == value
    assert deep_json.orjson_loads(text.encode(), CUT) == value
    assert deep_json.cut(text, CUT) == text


@settings(max_examples=60, deadline=None)
@given(
    st.lists(VALUES, min_size=1, max_size=6),
    st.integers(5_000, 30_000),
    st.sampled_from([('{"n": ', "}"), ("[", "]")]),
    st.data(),
)
def test_one_record_too_deep_for_the_parser_leaves_the_others_intact(records, levels, brackets, data) -> None:
    where = data.draw(st.integers(0, len(records)))
    deep = '{"id": "deep-1", "annexe": ' + nested(levels, *brackets) + "}"
    parts = [json.dumps(r) for r in records]
    parts.insert(where, deep)
    page = '{"entries": [' + ", ".join(parts) + '], "next_cursor": null}'
    with pytest.raises(RecursionError):
        json.loads(page)
    for read in (deep_json.loads(page, CUT), deep_json.orjson_loads(page.encode(), CUT)):
        entries = read["entries"]
        assert entries[:where] + entries[where + 1 :] == records
        hardened, problem = harden(entries[where], frozenset({"id", "annexe", "n"}))
        assert hardened is None and problem.code == "too_deep"
        assert entries[where]["id"] == "deep-1", "its identifier is kept for the quarantine"


def test_a_broken_document_is_still_an_error() -> None:
    with pytest.raises(ValueError):
        deep_json.loads('{"entries": [' + "[" * 3000, CUT)
    with pytest.raises(orjson.JSONDecodeError):
        deep_json.orjson_loads(b'{"entries": [1,', CUT)


def test_a_bom_or_another_encoding_is_read_as_json_reads_it() -> None:
    page = '{"entries": [' + nested(6000) + ', {"id": "ok"}]}'
    for data in (b"\xef\xbb\xbf" + page.encode(), page.encode("utf-16"), page.encode("utf-32-le")):
        assert deep_json.loads(data, CUT)["entries"][1] == {"id": "ok"}


def test_a_gate_deeper_than_the_parsers_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="TRQ_GATE_MAX_DEPTH"):
        deep_json.cut_depth(990)
