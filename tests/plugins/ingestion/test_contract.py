"""The gate's contract layer: every failure gets the right reason code, never a value."""

from __future__ import annotations

import pytest

from tests.fixtures import entries as fx
from tranquillite.ingestion.contract import check_entry


@pytest.mark.parametrize("make", [fx.march, fx.gathering, fx.operation, fx.visit])
def test_valid_entries_of_each_type_pass(make) -> None:
    assert check_entry(make()) == []


def test_nullable_fields_may_be_null() -> None:
    entry = fx.march(description=None, trace=None, nb_personnes_attendues=None, points_de_passage=[])
    assert check_entry(entry) == []


@pytest.mark.parametrize(
    ("entry", "code", "mentions"),
    [
        # an unknown key is named by its hash: it could itself be personal data
        (fx.march(nom_du_declarant="x"), "schema_drift", "1 field(s) outside the contract: #"),
        (fx.march(statut_organisateur="collectif"), "schema_drift", "statut_organisateur"),
        (fx.operation(theme="nouveau_theme"), "schema_drift", "theme"),
        (fx.march(nb_personnes_attendues="8000"), "schema_drift", "nb_personnes_attendues"),
        (fx.march(type="rave_party"), "schema_drift", "type"),
        (fx.march(nb_personnes_attendues=-3), "schema_violation", "minimum"),
        (fx.without(fx.march(), "adresse_arrivee"), "schema_violation", "adresse_arrivee"),
        (fx.without(fx.visit(), "objet"), "schema_violation", "objet"),
        (fx.visit(adresses=[]), "schema_violation", "adresses"),
        (fx.march(objet=""), "schema_violation", "objet"),
        (fx.march(id="not-a-uuid"), "schema_violation", "id"),
        (fx.march(version=0), "schema_violation", "version"),
        (fx.march(debut="2026-03-07 14:00"), "schema_violation", "debut"),
        (fx.march(trace={"type": "LineString", "coordinates": [[5.37, 43.29]]}), "schema_violation", "trace"),
        (fx.march(fin="2026-03-07T13:59:59+01:00"), "end_before_start", "fin"),
        (fx.operation(fin="2026-13-01T10:00:00+01:00"), "invalid_datetime", "date-time"),
    ],
)
def test_problems_are_classified(entry: dict, code: str, mentions: str) -> None:
    problems = check_entry(entry)
    assert problems, "the entry should not pass"
    assert problems[0].code == code
    assert mentions in " ".join(p.detail for p in problems)


def test_reason_details_never_repeat_values() -> None:
    secret = "Jean-Pierre Martin 06 12 34 56 78"
    entry = fx.march(statut_organisateur=secret, nb_personnes_attendues=secret, champ_libre=secret)
    details = " ".join(p.detail for p in check_entry(entry))
    assert secret not in details and "Martin" not in details


def test_fin_equal_to_debut_is_allowed() -> None:
    assert check_entry(fx.visit(fin="2026-06-12T10:00:00+02:00")) == []


def test_offsets_are_compared_as_instants() -> None:
    # 14:00+01:00 is 13:00Z; 13:30Z ends after it even though the wall-clock reads earlier
    assert check_entry(fx.march(debut="2026-03-07T14:00:00+01:00", fin="2026-03-07T13:30:00Z")) == []


def test_non_objects_are_refused() -> None:
    assert check_entry(["not", "an", "entry"])[0].code == "schema_violation"
    assert check_entry(None)[0].code == "schema_violation"


def test_fast_and_explaining_validators_agree() -> None:
    """The fast path (jsonschema-rs) must never accept what the explaining one refuses."""
    from tranquillite.ingestion.contract import _fast_validators, _validators

    cases = [
        fx.march(),
        fx.gathering(),
        fx.operation(),
        fx.visit(),
        *fx.malformed_set().values(),
        fx.march(nb_personnes_attendues="12"),
        fx.march(extra=1),
        fx.visit(adresses=[]),
        fx.march(debut="2026-03-07 14:00"),
        fx.march(trace={"type": "LineString", "coordinates": [[1, 2]]}),
    ]
    for entry in cases:
        python_ok = not list(_validators()[entry["type"]].iter_errors(entry))
        assert _fast_validators()[entry["type"]].is_valid(entry) == python_ok, entry
