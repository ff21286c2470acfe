#!/usr/bin/env python3
"""Build notes.jsonl from the hand-written notes.txt (stdlib only).

notes.txt format (labelling rules: bench/data/handwritten_tuning/README.md):
  - notes are separated by a line containing only `---`;
  - the first line of each note is `# <register>`;
  - each personal value is written `⟦type|value⟧` (a value may contain spaces,
    tabs, NBSP, NNBSP, zero-width spaces and line breaks).

Writes notes.jsonl next to this file, one JSON object per line:
  {"id": "hw3-<n>", "register", "kind": "pii"|"clean", "text", "spans": [{"start","end","type"}]}
Offsets are Python code-point offsets into "text".
"""
import json
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "notes.txt")
OUT = os.path.join(HERE, "notes.jsonl")

OPEN, CLOSE, SEP = "\u27e6", "\u27e7", "|"

REGISTERS = [
    "telegraphic", "capitals", "no_accents", "signature", "list", "broken_numbers",
    "mixed_language", "sms", "form_label", "narrative", "tricky",
]
TYPES = [
    "person", "phone", "email", "nir", "iban", "card", "plate", "date_of_birth",
    "home_address", "social_handle", "ip_address",
]
MAX_SPANS = 6


class BuildError(Exception):
    pass


def split_notes(raw):
    """Split the source on lines that are exactly '---'. Returns (first_line_no, text) pairs."""
    notes, cur, start = [], [], 1
    for no, line in enumerate(raw.split("\n"), 1):
        if line == "---":
            notes.append((start, "\n".join(cur)))
            cur, start = [], no + 1
        else:
            cur.append(line)
    notes.append((start, "\n".join(cur)))
    return notes


def parse_note(block, where):
    block = block.strip("\n")
    if not block:
        raise BuildError(f"{where}: empty note")
    head, _, body = block.partition("\n")
    if not head.startswith("# "):
        raise BuildError(f"{where}: first line must be '# <register>', got {head!r}")
    register = head[2:].strip()
    if register not in REGISTERS:
        raise BuildError(f"{where}: unknown register {register!r}")
    body = body.strip("\n")

    out, spans = [], []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c == CLOSE:
            raise BuildError(f"{where}: closing {CLOSE} without opening {OPEN}")
        if c != OPEN:
            out.append(c)
            i += 1
            continue
        j = body.find(CLOSE, i + 1)
        if j < 0:
            raise BuildError(f"{where}: unclosed {OPEN}")
        inner = body[i + 1:j]
        if OPEN in inner:
            raise BuildError(f"{where}: nested or unbalanced markup near {inner[:40]!r}")
        if SEP not in inner:
            raise BuildError(f"{where}: markup without '|': {inner[:40]!r}")
        typ, value = inner.split(SEP, 1)
        if typ not in TYPES:
            raise BuildError(f"{where}: unknown type {typ!r}")
        if value == "":
            raise BuildError(f"{where}: empty value for {typ}")
        if value != value.strip():
            raise BuildError(f"{where}: value with leading/trailing whitespace: {value!r}")
        start = sum(len(s) for s in out)
        out.append(value)
        spans.append({"start": start, "end": start + len(value), "type": typ, "_value": value})
        i = j + 1
    text = "".join(out)

    spans.sort(key=lambda s: (s["start"], s["end"]))
    for a, b in zip(spans, spans[1:]):
        if b["start"] < a["end"]:
            raise BuildError(f"{where}: overlapping spans {a} / {b}")
    for s in spans:
        if text[s["start"]:s["end"]] != s["_value"]:
            raise BuildError(f"{where}: offset check failed for {s['_value']!r}")
    if len(spans) > MAX_SPANS:
        raise BuildError(f"{where}: {len(spans)} spans, at most {MAX_SPANS} per note")
    if OPEN in text or CLOSE in text:
        raise BuildError(f"{where}: stray markup left in text")
    return register, text, [{"start": s["start"], "end": s["end"], "type": s["type"]} for s in spans]


def main():
    with open(SRC, encoding="utf-8") as f:
        raw = f.read()
    if "\r" in raw:
        raise BuildError("notes.txt must use LF line endings")
    records = []
    for n, (line_no, block) in enumerate(split_notes(raw), 1):
        register, text, spans = parse_note(block, f"note {n} (line {line_no})")
        records.append({
            "id": f"hw3-{n}",
            "register": register,
            "kind": "pii" if spans else "clean",
            "text": text,
            "spans": spans,
        })

    with open(OUT, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    n_notes = len(records)
    n_pii = sum(r["kind"] == "pii" for r in records)
    n_spans = sum(len(r["spans"]) for r in records)
    print(f"{n_notes} notes: {n_pii} pii ({round(100 * n_pii / n_notes)} %) and "
          f"{n_notes - n_pii} clean, with {n_spans} spans.")
    print()
    print("| register | notes | pii | clean |")
    print("|---|---:|---:|---:|")
    for reg in REGISTERS:
        rs = [r for r in records if r["register"] == reg]
        p = sum(r["kind"] == "pii" for r in rs)
        print(f"| {reg} | {len(rs)} | {p} | {len(rs) - p} |")
    print()
    span_count = Counter(s["type"] for r in records for s in r["spans"])
    note_count = Counter(t for r in records for t in {s["type"] for s in r["spans"]})
    print("| type | spans | notes containing it |")
    print("|---|---:|---:|")
    for typ in sorted(TYPES, key=lambda t: (-span_count[t], TYPES.index(t))):
        print(f"| {typ} | {span_count[typ]} | {note_count[typ]} |")
    print()
    per_note = Counter(len(r["spans"]) for r in records if r["spans"])
    print("Spans per pii note: " + ", ".join(f"{k} → {per_note[k]}" for k in sorted(per_note)) + ".")


if __name__ == "__main__":
    try:
        main()
    except BuildError as e:
        print(f"build.py: error: {e}", file=sys.stderr)
        sys.exit(1)
