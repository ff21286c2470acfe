"""`make pii-scan FILE=<path>`: the detectors on a sample, for compliance officers.

Reads JSON lines with a `text` field; writes, in input order, one JSON line per
input: {"findings": [{"start", "end", "type", "confidence"}]}. A line that is
not JSON or has no `text` gets {"findings": [], "error": "..."} so that the
output stays aligned with the input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from tranquillite.pii.detectors import detect_many

BATCH = 256


def _parse(line: str) -> tuple[str | None, str | None]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        return None, "not JSON"
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return None, "no text field"
    return obj["text"], None


def scan(lines: Iterable[str]) -> Iterator[dict]:
    batch: list[tuple[str | None, str | None]] = []
    for line in lines:
        if not line.strip():
            continue
        batch.append(_parse(line))
        if len(batch) >= BATCH:
            yield from _flush(batch)
            batch = []
    yield from _flush(batch)


def _flush(batch: list[tuple[str | None, str | None]]) -> Iterator[dict]:
    results = detect_many([text for text, _ in batch])
    for (_, error), found in zip(batch, results, strict=True):
        out: dict = {"findings": [f.as_dict() for f in found]}
        if error:
            out["error"] = error
        yield out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path, help="JSON lines with a `text` field ('-' for standard input)")
    parser.add_argument("--out", type=Path, help="write here instead of standard output")
    args = parser.parse_args(argv)
    source = sys.stdin if str(args.file) == "-" else args.file.open(encoding="utf-8")
    sink = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    with source, sink:
        for result in scan(source):
            sink.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
