"""The benchmark's scorer counts what it claims to count."""

from __future__ import annotations

import json
from collections import Counter

from bench.pii_bench import CORPUS, score


def test_corpus_is_large_enough_and_consistent() -> None:
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    kinds = Counter(r["kind"] for r in records)
    assert kinds["pii"] >= 500 and kinds["clean"] >= 500
    assert sum(len(r["spans"]) for r in records) >= 2000
    for r in records:
        for s in r["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(r["text"])


def test_score() -> None:
    records = [
        {
            "kind": "pii",
            "text": "x",
            "spans": [{"start": 0, "end": 5, "type": "phone"}, {"start": 10, "end": 15, "type": "person"}],
        },
        {"kind": "clean", "text": "y", "spans": []},
    ]
    predictions = [[{"start": 1, "end": 4, "type": "phone"}], [{"start": 0, "end": 2, "type": "person"}]]
    result = score(records, predictions)
    assert result["per_type"]["phone"]["recall"] == 1.0
    assert result["per_type"]["person"]["recall"] == 0.0
    assert result["per_type"]["person"]["precision"] == 0.0
    assert result["leak_rate"] == 1.0
    assert result["clean_pass_rate"] == 0.0
