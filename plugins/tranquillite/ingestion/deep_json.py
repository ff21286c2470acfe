"""A source's JSON read whole, however deep one record of it is nested.

A page of entries is one JSON document: a single entry nested 5,000 levels deep makes
Python's `json` raise RecursionError (orjson stops at 1,024 levels), and the whole page,
then every retry of it, fails: one record stalls the source. Here a document too deep to
parse is read again with every container nested past `cut_at` levels replaced by an empty
one. The record that held it stays nested past the gate's own limit, so the gate
quarantines it as `too_deep`, alone, with its identifiers; every other record of the page
is parsed as it came. A document that parses is returned untouched.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

# a JSON string (escapes included) or a bracket: what decides the nesting depth
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
# the records of a page, a file or a line sit at most this many levels below its top
PAGE_OVERHEAD = 4


# past this, Python's own parser gives up again (its recursion limit is 1,000)
_PARSER_SAFE_DEPTH = 500


def cut_depth(max_depth: int) -> int:
    """Where to cut so that a cut record is still deeper than the gate reads (`max_depth`),
    and shallow enough for the parsers."""
    depth = max_depth + PAGE_OVERHEAD + 2
    if depth > _PARSER_SAFE_DEPTH:
        raise ValueError(f"TRQ_GATE_MAX_DEPTH must stay below {_PARSER_SAFE_DEPTH - PAGE_OVERHEAD - 2}")
    return depth


def _text(data: bytes | str) -> str:
    """The document as text, in the encoding JSON's own detection finds (a BOM dropped)."""
    if isinstance(data, bytes | bytearray):
        encoding = json.detect_encoding(data)
        return data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    return data.removeprefix("\ufeff")


def cut(text: str, cut_at: int) -> str:
    """`text` with every container nested deeper than `cut_at` levels replaced by `[]`."""
    out: list[str] = []
    depth = 0
    skipping_from: int | None = None  # depth at which the container being dropped opened
    kept_until = 0
    for token in _TOKENS.finditer(text):
        mark = token.group()
        if mark[0] == '"':
            continue
        if mark in "[{":
            depth += 1
            if skipping_from is None and depth > cut_at:
                skipping_from = depth
                out.append(text[kept_until : token.start()])
                out.append("[]")
        else:
            if skipping_from is not None and depth == skipping_from:
                skipping_from = None
                kept_until = token.end()
            depth -= 1
    if skipping_from is None:
        out.append(text[kept_until:])
    # else unbalanced: what is kept fails to parse, and the parser says why
    return "".join(out)


def loads(data: bytes | str, cut_at: int) -> Any:
    """`json.loads` (NaN and Infinity read as Python does, for the gate to refuse), past any depth."""
    try:
        return json.loads(data)
    except RecursionError:
        return json.loads(cut(_text(data), cut_at))


def orjson_loads(data: bytes | str, cut_at: int) -> Any:
    """`orjson.loads`, past any depth."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if "depth" not in str(exc):
            raise
        return orjson.loads(cut(_text(data), cut_at))
