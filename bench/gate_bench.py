"""`make bench-gate`: how many typical Cortège records a second the gate checks, on one core.

The gate here is everything it does in Python for each record: storable JSON,
the contract (schema, dates), and the personal-data detectors on every free
string. Two workloads: the sandbox's typical records, where titles and address
labels repeat as they do in Cortège, and the same records with every title and
description unique and worded differently, where nothing can be judged only
once. The baseline, measured in the same run: the same records through the
contract alone. The geometry check is one
SQL round trip a page and is left out. Writes reports/gate_bench.json.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from sandbox.generator import generate_histories
from tranquillite.ingestion.contract import check_entry
from tranquillite.ingestion.gate import Judged, check_personal_data, cortege_free_strings, storable_json
from tranquillite.pii import detectors

ROOT = Path(__file__).resolve().parents[1]
N = int(os.environ.get("GATE_BENCH_RECORDS", "20000"))
PAGE = 500


def gate(records: list[dict], *, personal_data: bool = True) -> None:
    for start in range(0, len(records), PAGE):
        page = []
        for record in records[start : start + PAGE]:
            text, problem = storable_json(record)
            problems = check_entry(record)
            page.append(Judged(record, text, "", problem or (problems[0] if problems else None)))
        if personal_data:
            check_personal_data(page)


def measure(records: list[dict], *, personal_data: bool = True) -> float:
    detectors._CACHE.clear()
    t0 = time.perf_counter()
    gate(records, personal_data=personal_data)
    return len(records) / (time.perf_counter() - t0)


FRAGMENTS = [
    "Rassemblement déclaré devant {place}",
    "départ prévu vers {h}h{m:02d}",
    "{n} personnes attendues selon l'organisateur",
    "service d'ordre de {k} personnes en chasuble",
    "passage par {place} puis dispersion",
    "arrêté n° 2026-{n:04d} du {d} mars",
    "présence de la BAC et de {k} équipages de la police municipale",
    "sono sur camion, {k} véhicules déclarés",
    "appel intersyndical, banderoles et fumigènes possibles",
    "point presse prévu à {h}h, salle {k}",
    "déviation des lignes {k} et {n} de la RTM",
    "contact pris avec le cabinet du préfet le {d}/{k:02d}",
]
PLACES = [
    "la préfecture",
    "le Vieux-Port",
    "la place Castellane",
    "la gare Saint-Charles",
    "le cours Julien",
    "la Canebière",
    "le parc Borély",
    "la mairie de secteur",
    "l'Hôtel de Ville",
    "la place Jean Jaurès",
]


def unique_texts(records: list[dict], seed: int = 7) -> list[dict]:
    """Every record's title and description made unique and different in wording, so that
    nothing can be judged once for many: the gate's worst case."""
    import random

    rng = random.Random(seed)
    out = []
    for i, e in enumerate(records):

        def fragment() -> str:
            return rng.choice(FRAGMENTS).format(
                place=rng.choice(PLACES),
                h=rng.randint(6, 22),
                m=rng.randint(0, 59),
                n=rng.randint(10, 9999),
                k=rng.randint(1, 60),
                d=rng.randint(1, 28),
            )

        description = ". ".join(fragment().capitalize() for _ in range(rng.randint(2, 4))) + f" (réf. {i})."
        out.append(dict(e, objet=f"{fragment().capitalize()} n° {i}", description=description))
    return out


def main() -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    histories = generate_histories(count=N, seed=31)
    typical = [v[-1] for v in histories]
    unique = unique_texts(typical)
    gate(typical[:200])  # load spaCy, the lexicons and phonenumbers' metadata outside the timing
    texts = sum(len(list(cortege_free_strings(Judged(e, "", "")))) for e in typical)
    baseline = measure(typical, personal_data=False)
    typical_rate, unique_rate = measure(typical), measure(unique)
    result = {
        "records": N,
        "free_strings": texts,
        "contract_only_records_per_second": baseline,
        "typical_records_per_second": typical_rate,
        "unique_text_records_per_second": unique_rate,
        "typical_vs_contract_only": typical_rate / baseline,
        "targets": {"typical_records_per_second": 20000, "unique_text_records_per_second": 2000},
    }
    (ROOT / "reports").mkdir(exist_ok=True)
    (ROOT / "reports" / "gate_bench.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
