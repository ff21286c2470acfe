"""What the gate writes of a record that held personal data: found by a stranger's review,
each case failed before its fix. No database: the gate's anonymisation step alone."""

from __future__ import annotations

import pytest

from tests.fixtures import entries as fx
from tranquillite.ingestion import contract
from tranquillite.ingestion.gate import Judged, check_personal_data, storable_json
from tranquillite.pii.detectors import detect

PHONE, NAME = "06 12 34 56 78", "Nadia Benali"


def judged(*records) -> list[Judged]:
    out = []
    for r in records:
        text, problem = storable_json(r)
        problems = contract.check_entry(r) if problem is None else [problem]
        out.append(Judged(r, text, "", problems[0] if problems else None))
    check_personal_data(out)
    return out


def leaks(item: Judged, *values: str) -> bool:
    written = " ".join(
        [item.json_text, item.problem.detail if item.problem else "", *(item.problem.drift if item.problem else ())]
    )
    return any(v in written for v in values)


def test_a_value_outside_an_enumeration_is_masked_in_the_drift_signature() -> None:
    [item] = judged(fx.march(statut_organisateur=f"Mme {NAME} {PHONE}"))
    assert item.problem.code == "schema_drift" and not leaks(item, NAME, PHONE, "Benali")


def test_a_field_name_with_dots_is_masked_in_the_reason() -> None:
    [item] = judged(fx.gathering(**{"nadia.benali@gmail.com": "oui", f"contact M. {NAME}": "x"}))
    assert not leaks(item, "nadia.benali@gmail.com", "Benali")


def test_a_record_too_deep_to_read_is_withheld_whole() -> None:
    deep: list = []
    node = deep
    for _ in range(600):
        node.append([])
        node = node[0]
    [item] = judged(fx.march(description=f"Rappeler au {PHONE}", extra=deep))
    assert item.problem.code == "invalid_text" and not leaks(item, PHONE)


def test_a_weak_guess_does_not_erase_a_card_number() -> None:
    text = "Paiement par carte 497 01 12345 673 refusé."
    assert [f.type for f in detect(text)] == ["card"]


@pytest.mark.timeout(120)
def test_runs_of_separators_do_not_make_the_number_finders_backtrack() -> None:
    # exponential before: 0.5 s for 40 characters, so this page of them never ended
    hostile = ("1" + "  1" * 12 + "x ") * 150
    assert detect(hostile, use_ner=False) == []
