#!/usr/bin/env python3
"""Build notes.jsonl from the hand-labelled notes.txt (stdlib only).

notes.txt format
----------------
* notes are separated by a line containing only ``---``;
* the first line of each note is ``# <register>``;
* every personal value is written inline as ``⟦type|value⟧``; the value may
  contain spaces, tabs, no-break spaces and line breaks, but no ``⟦``/``⟧``.

Output: notes.jsonl, one JSON object per note:
  {"id": "hw-<n>", "register": ..., "kind": "pii"|"clean", "text": ...,
   "spans": [{"start": int, "end": int, "type": str}, ...]}
Offsets are Python code-point offsets into ``text`` (end exclusive).

Usage: python3 build.py [--stats]
  --stats  also print per-register / per-type counts and checksum validity of
           nir / iban / card values (informational only).
"""

import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "notes.txt")
DST = os.path.join(HERE, "notes.jsonl")

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
    "mixed",
}
OPEN, SEP, CLOSE = "\u27e6", "|", "\u27e7"  # ⟦ | ⟧


class MarkupError(ValueError):
    pass


def split_blocks(raw):
    """Yield (first_line_number, [lines]) for each block separated by '---'."""
    block, start = [], 1
    for lineno, line in enumerate(raw.split("\n"), 1):
        if line == "---":
            yield start, block
            block, start = [], lineno + 1
        else:
            block.append(line)
    yield start, block


def parse_note(body, where):
    """Remove markup from body; return (text, spans, values)."""
    out, spans = [], []
    pos = 0  # position in the output text
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c == CLOSE:
            raise MarkupError(f"{where}: '⟧' without matching '⟦' at char {i}")
        if c != OPEN:
            out.append(c)
            pos += 1
            i += 1
            continue
        j = body.find(CLOSE, i + 1)
        if j < 0:
            raise MarkupError(f"{where}: unclosed '⟦' at char {i}")
        inner = body[i + 1 : j]
        if OPEN in inner:
            raise MarkupError(f"{where}: nested '⟦' inside {inner!r}")
        if SEP not in inner:
            raise MarkupError(f"{where}: missing '|' in {inner!r}")
        typ, value = inner.split(SEP, 1)
        if typ not in TYPES:
            raise MarkupError(f"{where}: unknown type {typ!r}")
        if not value:
            raise MarkupError(f"{where}: empty value for type {typ!r}")
        if value != value.strip():
            raise MarkupError(f"{where}: value {value!r} has leading/trailing whitespace")
        spans.append({"start": pos, "end": pos + len(value), "type": typ, "_value": value})
        out.append(value)
        pos += len(value)
        i = j + 1
    text = "".join(out)
    for sp in spans:
        v = sp.pop("_value")
        assert text[sp["start"] : sp["end"]] == v, (where, v)
    return text, spans


def parse(raw):
    notes = []
    for first_line, lines in split_blocks(raw):
        # drop blank lines around the block
        while lines and not lines[0].strip():
            lines.pop(0)
            first_line += 1
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines:
            continue
        where = f"notes.txt:{first_line}"
        m = re.fullmatch(r"#\s*(\S+)\s*", lines[0])
        if not m:
            raise MarkupError(f"{where}: first line must be '# <register>', got {lines[0]!r}")
        register = m.group(1)
        if register not in REGISTERS:
            raise MarkupError(f"{where}: unknown register {register!r}")
        body = "\n".join(lines[1:])
        if not body.strip():
            raise MarkupError(f"{where}: empty note")
        text, spans = parse_note(body, where)
        notes.append(
            {
                "id": f"hw-{len(notes) + 1}",
                "register": register,
                "kind": "pii" if spans else "clean",
                "text": text,
                "spans": spans,
            }
        )
    return notes


# ---------- informational checksum helpers (not used for labelling) ----------


def _digits_letters(s):
    return re.sub(r"[^0-9A-Za-z]", "", s).upper()


def nir_valid(v):
    s = _digits_letters(v)
    if len(s) != 15:
        return False
    body, key = s[:13], s[13:]
    body = body.replace("2A", "19").replace("2B", "18")
    return body.isdigit() and key.isdigit() and 97 - int(body) % 97 == int(key)


def iban_valid(v):
    s = _digits_letters(v)
    if re.fullmatch(r"\d{23}", s):  # French RIB 5-5-11-2
        bank, branch, acct, key = int(s[:5]), int(s[5:10]), int(s[10:21]), int(s[21:])
        return 97 - (89 * bank + 15 * branch + 3 * acct) % 97 == key
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", s):
        return False
    t = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return int(t) % 97 == 1


def luhn_valid(v):
    s = re.sub(r"\D", "", v)
    if not 13 <= len(s) <= 19:
        return False
    tot = 0
    for k, ch in enumerate(reversed(s)):
        d = int(ch)
        if k % 2:
            d *= 2
            if d > 9:
                d -= 9
        tot += d
    return tot % 10 == 0


def stats(notes):
    reg = Counter()
    reg_kind = Counter()
    typ = Counter()
    for nt in notes:
        reg[nt["register"]] += 1
        reg_kind[(nt["register"], nt["kind"])] += 1
        for sp in nt["spans"]:
            typ[sp["type"]] += 1
    print(
        f"notes: {len(notes)}  pii: {sum(n['kind'] == 'pii' for n in notes)}  "
        f"clean: {sum(n['kind'] == 'clean' for n in notes)}  spans: {sum(typ.values())}"
    )
    print("\nregister        notes  pii  clean")
    for r in sorted(REGISTERS):
        print(f"{r:<15} {reg[r]:>5} {reg_kind[(r, 'pii')]:>4} {reg_kind[(r, 'clean')]:>6}")
    print("\ntype            spans")
    for t in sorted(TYPES):
        print(f"{t:<15} {typ[t]:>5}")
    checks = {"nir": nir_valid, "iban": iban_valid, "card": luhn_valid}
    print("\nchecksum validity (informational)")
    for t, fn in checks.items():
        vals = [nt["text"][s["start"] : s["end"]] for nt in notes for s in nt["spans"] if s["type"] == t]
        bad = [v for v in vals if not fn(v)]
        print(f"{t:<5} valid {len(vals) - len(bad)}/{len(vals)}" + (f"  invalid: {bad}" if bad else ""))


def main():
    with open(SRC, encoding="utf-8") as fh:
        raw = fh.read()
    notes = parse(raw)
    with open(DST, "w", encoding="utf-8") as fh:
        for nt in notes:
            fh.write(json.dumps(nt, ensure_ascii=False) + "\n")
    print(f"wrote {len(notes)} notes to {DST}")
    if "--stats" in sys.argv[1:]:
        stats(notes)


if __name__ == "__main__":
    try:
        main()
    except MarkupError as e:
        sys.exit(f"markup error: {e}")
