"""`make bench-gate`: how many typical Cortège records a second the gate checks, on one core.

The gate here is everything it does in Python for each record: storable JSON,
the contract (schema, dates), and the personal-data detectors on every free-text
field. Two workloads: the sandbox's typical records, where titles and address
labels repeat as they do in Cortège, and the same records with every description
made unique, where nothing can be judged only once. The geometry check is one
SQL round trip a page and is left out. Writes reports/gate_bench.json.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from tranquillite.contract import check_entry
from tranquillite.gate import Judged, _free_text, check_personal_data, storable_json
from tranquillite.pii import detectors
from tranquillite.sandbox.generator import generate_histories

ROOT = Path(__file__).resolve().parents[1]
N = int(os.environ.get("GATE_BENCH_RECORDS", "20000"))
PAGE = 500


def gate(records: list[dict]) -> None:
    for start in range(0, len(records), PAGE):
        page = []
        for record in records[start : start + PAGE]:
            text, problem = storable_json(record)
            problems = check_entry(record)
            page.append(Judged(record, text, "", problem or (problems[0] if problems else None)))
        check_personal_data(page)


def measure(records: list[dict]) -> float:
    detectors._CACHE.clear()
    t0 = time.perf_counter()
    gate(records)
    return len(records) / (time.perf_counter() - t0)


def main() -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    histories = generate_histories(count=N, seed=31)
    typical = [v[-1] for v in histories]
    unique = [
        dict(e, description=f"{e.get('description') or 'Observation'} Réf. {i}, {i % 97} agents.")
        for i, e in enumerate(typical)
    ]
    gate(typical[:200])  # load spaCy and phonenumbers' metadata outside the timing
    texts = sum(len(_free_text(e, everything=False)) for e in typical)
    result = {
        "records": N,
        "free_text_fields": texts,
        "typical_records_per_second": measure(typical),
        "unique_description_records_per_second": measure(unique),
        "target_records_per_second": 20000,
    }
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "gate_bench.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
