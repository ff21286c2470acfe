#!/usr/bin/env python3
"""Build notes.jsonl from the hand-written, inline-annotated notes.txt.

Format of notes.txt:
  * notes are separated by a line containing only ``---``;
  * the first line of each note is ``# <register>``;
  * every personal value is written ``⟦type|value⟧`` (the value may contain
    spaces, non-breaking spaces, tabs and line breaks).

The script removes the markup, computes Python code-point offsets and writes
one JSON object per line to notes.jsonl. It fails (non-zero exit) on unknown
registers, unknown types, empty values, nested or unbalanced markup.
Standard library only.
"""

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "notes.txt"
OUT = HERE / "notes.jsonl"

OPEN, CLOSE, SEP = "\u27e6", "\u27e7", "|"

TYPES = {
    "person",
    "phone",
    "email",
    "nir",
    "iban",
    "card",
    "plate",
    "date_of_birth",
    "home_address",
    "social_handle",
    "ip_address",
}
REGISTERS = {
    "telegraphic",
    "capitals",
    "no_accents",
    "signature",
    "list",
    "broken_numbers",
    "mixed_language",
    "sms",
    "form_label",
    "narrative",
    "tricky",
}


class MarkupError(ValueError):
    pass


def split_blocks(raw):
    blocks, cur = [], []
    for line in raw.split("\n"):
        if line.strip() == "---":
            blocks.append("\n".join(cur))
            cur = []
        else:
            cur.append(line)
    blocks.append("\n".join(cur))
    return [b for b in blocks if b.strip()]


def parse_note(body, where):
    """Return (text, spans) for a marked-up note body."""
    out = []
    spans = []
    i = 0
    n = len(body)
    pos = 0  # length of text emitted so far
    while i < n:
        ch = body[i]
        if ch == CLOSE:
            raise MarkupError(f"{where}: unexpected {CLOSE!r} at char {i}")
        if ch != OPEN:
            out.append(ch)
            pos += 1
            i += 1
            continue
        j = body.find(CLOSE, i + 1)
        if j < 0:
            raise MarkupError(f"{where}: unclosed {OPEN!r} at char {i}")
        inner = body[i + 1 : j]
        if OPEN in inner:
            raise MarkupError(f"{where}: nested {OPEN!r} at char {i}")
        if SEP not in inner:
            raise MarkupError(f"{where}: missing '|' in {inner!r}")
        typ, value = inner.split(SEP, 1)
        if typ not in TYPES:
            raise MarkupError(f"{where}: unknown type {typ!r}")
        if not value or value != value.strip():
            raise MarkupError(f"{where}: empty value or value with outer whitespace: {value!r}")
        spans.append({"start": pos, "end": pos + len(value), "type": typ, "_value": value})
        out.append(value)
        pos += len(value)
        i = j + 1
    text = "".join(out)
    for sp in spans:
        assert text[sp["start"] : sp["end"]] == sp.pop("_value"), where
    return text, spans


def main():
    raw = SRC.read_text(encoding="utf-8")
    records = []
    for k, block in enumerate(split_blocks(raw), 1):
        lines = block.strip("\n").split("\n")
        head = lines[0].strip()
        where = f"note {k} ({head!r})"
        if not head.startswith("#"):
            raise MarkupError(f"{where}: first line must be '# <register>'")
        register = head[1:].strip()
        if register not in REGISTERS:
            raise MarkupError(f"{where}: unknown register {register!r}")
        body = "\n".join(lines[1:]).strip("\n")
        if not body.strip():
            raise MarkupError(f"{where}: empty note")
        text, spans = parse_note(body, where)
        if OPEN in text or CLOSE in text:
            raise MarkupError(f"{where}: markup left in text")
        # spans must not overlap
        last_end = -1
        for sp in sorted(spans, key=lambda s: s["start"]):
            if sp["start"] < last_end:
                raise MarkupError(f"{where}: overlapping spans")
            last_end = sp["end"]
        records.append(
            {
                "id": f"hwt-{k}",
                "register": register,
                "kind": "pii" if spans else "clean",
                "text": text,
                "spans": spans,
            }
        )

    with OUT.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")

    # re-read and verify
    for line in OUT.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        for sp in r["spans"]:
            assert 0 <= sp["start"] < sp["end"] <= len(r["text"])

    # summary
    reg = Counter(r["register"] for r in records)
    reg_pii = Counter(r["register"] for r in records if r["kind"] == "pii")
    types = Counter(sp["type"] for r in records for sp in r["spans"])
    notes_per_type = Counter(t for r in records for t in {sp["type"] for sp in r["spans"]})
    n_pii = sum(1 for r in records if r["kind"] == "pii")
    print(f"notes: {len(records)}  pii: {n_pii}  clean: {len(records) - n_pii}  spans: {sum(types.values())}")
    print("register            total  pii  clean")
    for name in sorted(REGISTERS):
        print(f"{name:18s} {reg[name]:6d} {reg_pii[name]:4d} {reg[name] - reg_pii[name]:6d}")
    print("type                spans  notes")
    for t in sorted(TYPES):
        print(f"{t:18s} {types[t]:6d} {notes_per_type[t]:6d}")
    maxspans = Counter(len(r["spans"]) for r in records if r["spans"])
    print("spans per pii note:", dict(sorted(maxspans.items())))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except MarkupError as e:
        print("ERROR:", e, file=sys.stderr)
        sys.exit(1)
