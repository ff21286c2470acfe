"""Generate corpus.jsonl for the independent PII benchmark.

Usage: python3 generate.py   (writes corpus.jsonl next to this file)
"""

import collections
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import families_a  # noqa: E402
import families_b  # noqa: E402
import families_c  # noqa: E402
import families_d  # noqa: E402
import families_e  # noqa: E402

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
FAMILIES = families_a.FAMILIES + families_b.FAMILIES + families_c.FAMILIES + families_d.FAMILIES + families_e.FAMILIES
PER_FAMILY = 45
P_PII = 0.53


def check(fam, text, spans, pii):
    last = -1
    for sp in sorted(spans, key=lambda s: s["start"]):
        assert sp["type"] in TYPES, (fam, sp)
        assert 0 <= sp["start"] < sp["end"] <= len(text), (fam, sp)
        assert text[sp["start"] : sp["end"]] == sp["value"], (fam, sp, text)
        assert sp["value"] == sp["value"].strip(), (fam, sp)
        assert sp["start"] >= last, ("overlap", fam, sp, text)
        last = sp["end"]
    if not pii:
        assert not spans, ("clean record with spans", fam, text)


def draw(rng, fn, pii):
    for _ in range(200):
        fam, text, spans = fn(rng, pii)
        check(fam, text, spans, pii)
        if not pii or 1 <= len(spans) <= 6:
            return fam, text, spans
    raise RuntimeError(f"{fn.__name__}: could not draw a valid pii record")


def main():
    rng = random.Random(20261202)
    names = [f.__name__ for f in FAMILIES]
    assert len(set(names)) == len(names)
    records = []
    for fn in FAMILIES:
        for n in range(PER_FAMILY):
            pii = True if n == 0 else False if n == 1 else rng.random() < P_PII
            fam, text, spans = draw(rng, fn, pii)
            assert fam == fn.__name__
            spans = sorted(spans, key=lambda s: s["start"])
            records.append(
                {
                    "id": f"{fam}-{n}",
                    "family": fam,
                    "kind": "pii" if spans else "clean",
                    "text": text,
                    "spans": [{"start": s["start"], "end": s["end"], "type": s["type"]} for s in spans],
                }
            )
    rng.shuffle(records)
    with open(os.path.join(HERE, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    kinds = collections.Counter(r["kind"] for r in records)
    types = collections.Counter(s["type"] for r in records for s in r["spans"])
    recs_with = collections.Counter(t for r in records for t in {s["type"] for s in r["spans"]})
    fams = collections.defaultdict(collections.Counter)
    for r in records:
        fams[r["family"]][r["kind"]] += 1
    print(
        f"records: {len(records)}  families: {len(fams)}  pii: {kinds['pii']}  clean: {kinds['clean']}"
        f"  ({100 * kinds['pii'] / len(records):.1f}% pii)"
    )
    print("spans per type (spans / records containing):")
    for t in sorted(TYPES):
        print(f"  {t:15s} {types[t]:5d} / {recs_with[t]:5d}")
    print(f"  {'TOTAL':15s} {sum(types.values()):5d}")
    print("records per family (pii / clean):")
    for fam in names:
        c = fams[fam]
        assert c["pii"] and c["clean"], fam
        print(f"  {fam:28s} {c['pii']:3d} / {c['clean']:3d}")


if __name__ == "__main__":
    main()
