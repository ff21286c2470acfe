"""`make bench-pii`: the detectors against the labelled corpus, beside Microsoft Presidio.

Both are scored by the same scorer on the same corpus: per type, recall (gold
spans found by a prediction of the same type that overlaps them) and precision
(predictions that overlap a gold span of their type); the record-level leak
rate (share of records with personal data where at least one gold span is
overlapped by no prediction at all); and, on the clean records, the share that
pass with no finding. Writes reports/pii_bench.json and reports/pii_bench.md.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from tranquillite.pii.detectors import FORMATTED, GATE_THRESHOLD, TYPES, detect

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "bench" / "data" / "pii_corpus.jsonl"
REPORTS = ROOT / "reports"

PRESIDIO_TYPES = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "FR_NIR": "nir",
    "IBAN_CODE": "iban",
    "CREDIT_CARD": "card",
    "IP_ADDRESS": "ip_address",
    "PERSON": "person",
    "PER": "person",
    "URL": "social_handle",
    "DATE_TIME": "date_of_birth",
    "LOCATION": "home_address",
    "LOC": "home_address",
}


def load() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def score(records: list[dict], predictions: list[list[dict]]) -> dict:
    gold_n, gold_hit, pred_n, pred_hit = (defaultdict(int) for _ in range(4))
    leaked_records = pii_records = clean_records = clean_passed = 0
    for record, preds in zip(records, predictions, strict=True):
        gold = record["spans"]
        for g in gold:
            gold_n[g["type"]] += 1
            if any(p["type"] == g["type"] and overlaps(p, g) for p in preds):
                gold_hit[g["type"]] += 1
        for p in preds:
            pred_n[p["type"]] += 1
            if any(p["type"] == g["type"] and overlaps(p, g) for g in gold):
                pred_hit[p["type"]] += 1
        if record["kind"] == "pii":
            pii_records += 1
            if any(not any(overlaps(p, g) for p in preds) for g in gold):
                leaked_records += 1
        else:
            clean_records += 1
            clean_passed += not preds
    per_type = {}
    for t in TYPES:
        per_type[t] = {
            "gold": gold_n[t],
            "recall": gold_hit[t] / gold_n[t] if gold_n[t] else None,
            "predicted": pred_n[t],
            "precision": pred_hit[t] / pred_n[t] if pred_n[t] else None,
        }
    formatted_gold = sum(gold_n[t] for t in FORMATTED)
    return {
        "per_type": per_type,
        "formatted_recall": sum(gold_hit[t] for t in FORMATTED) / formatted_gold if formatted_gold else None,
        "leak_rate": leaked_records / pii_records if pii_records else None,
        "clean_pass_rate": clean_passed / clean_records if clean_records else None,
        "clean_precision": (sum(pred_hit.values()) / sum(pred_n.values())) if sum(pred_n.values()) else None,
    }


def run_ours(records: list[dict]) -> tuple[list[list[dict]], float]:
    detect("échauffement du modèle : Jean Dupont")  # load spaCy outside the timing
    t0 = time.perf_counter()
    preds = [[f.as_dict() for f in detect(r["text"]) if f.confidence >= GATE_THRESHOLD] for r in records]
    return preds, time.perf_counter() - t0


def presidio_engine():
    import tldextract
    import tldextract.tldextract as tld

    # Presidio's e-mail recognizer asks tldextract, which would fetch the public suffix
    # list from the internet: use the snapshot the package ships instead.
    tld.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "fr", "model_name": "fr_core_news_md"}],
        }
    )
    registry = RecognizerRegistry(supported_languages=["fr"])
    registry.load_predefined_recognizers(languages=["fr"])
    registry.add_recognizer(PhoneRecognizer(supported_regions=["FR"], supported_language="fr"))
    return AnalyzerEngine(nlp_engine=provider.create_engine(), registry=registry, supported_languages=["fr"])


def run_presidio(records: list[dict]) -> tuple[list[list[dict]], float]:
    engine = presidio_engine()
    engine.analyze(text="échauffement", language="fr")
    t0 = time.perf_counter()
    preds = []
    for r in records:
        results = engine.analyze(text=r["text"], language="fr")
        preds.append(
            [
                {"start": x.start, "end": x.end, "type": PRESIDIO_TYPES[x.entity_type]}
                for x in results
                if x.entity_type in PRESIDIO_TYPES and x.score >= 0.3
            ]
        )
    return preds, time.perf_counter() - t0


def fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def main() -> int:
    records = load()
    ours, t_ours = run_ours(records)
    theirs, t_theirs = run_presidio(records)
    result = {
        "corpus": {
            "records": len(records),
            "spans": sum(len(r["spans"]) for r in records),
            "pii_records": sum(r["kind"] == "pii" for r in records),
        },
        "ours": {**score(records, ours), "seconds": t_ours},
        "presidio": {**score(records, theirs), "seconds": t_theirs},
    }
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "pii_bench.json").write_text(json.dumps(result, indent=2))
    lines = [
        f"Corpus: {result['corpus']['records']} records ({result['corpus']['pii_records']} with personal data),"
        f" {result['corpus']['spans']} spans.",
        "",
        "| type | gold | recall (ours) | precision (ours) | recall (Presidio) | precision (Presidio) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for t in TYPES:
        o, p = result["ours"]["per_type"][t], result["presidio"]["per_type"][t]
        lines.append(
            f"| {t} | {o['gold']} | {fmt(o['recall'])} | {fmt(o['precision'])} | {fmt(p['recall'])} |"
            f" {fmt(p['precision'])} |"
        )
    for key, label in [
        ("formatted_recall", "recall on formatted identifiers"),
        ("leak_rate", "record-level leak rate"),
        ("clean_pass_rate", "clean records with no finding"),
        ("clean_precision", "precision, all types"),
    ]:
        lines.append(f"| **{label}** | | {fmt(result['ours'][key])} | | {fmt(result['presidio'][key])} | |")
    lines.append("")
    lines.append(f"Time on the corpus: ours {t_ours:.2f} s, Presidio {t_theirs:.2f} s ({t_theirs / t_ours:.1f}× ours).")
    text = "\n".join(lines)
    (REPORTS / "pii_bench.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
