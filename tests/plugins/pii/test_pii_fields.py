"""Which strings the gate reads: every one its contract does not pin, every field name it does
not define, wherever they stand; and none of the pinned ones."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fixtures import entries as fx
from tranquillite.ingestion import contract
from tranquillite.pii.fields import every_string
from tranquillite.sources.feeds.config import feed
from tranquillite.sources.feeds.gate import _walker


def strings_of(entry: dict) -> dict[str, str]:
    return dict(contract.walker(entry["type"]).free_strings(entry))


def test_the_contracts_free_text_is_read_and_its_pinned_fields_are_not() -> None:
    entry = fx.march(description="Appel intersyndical")
    read = strings_of(entry)
    assert {"objet", "description", "adresse_depart.libelle", "adresse_arrivee.libelle"} <= set(read)
    assert not {"id", "type", "etat", "debut", "fin", "created_at", "updated_at", "statut_organisateur"} & set(read)


def test_a_field_anywhere_outside_the_contract_is_read_with_its_name() -> None:
    entry = fx.march()
    entry["trace"] = {"type": "LineString", "coordinates": [[5.37, 43.29], [5.38, 43.3]], "auteur": "quelqu'un"}
    entry["adresse_depart"] = {**entry["adresse_depart"], "note": {"contact": "x"}}
    read = strings_of(entry)
    assert read["trace.{auteur}"] == "auteur" and read["trace.auteur"] == "quelqu'un"
    assert read["adresse_depart.{note}"] == "note" and read["adresse_depart.note.contact"] == "x"
    assert read["adresse_depart.note.{contact}"] == "contact"


def test_a_feeds_free_form_properties_are_read() -> None:
    travaux = feed("travaux_voirie")
    walker = _walker(str(travaux.schema_file))
    record = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [5.37, 43.29]},
        "properties": {"id_chantier": "T-1", "nature": "Réfection", "commentaire libre": "texte"},
    }
    read = dict(walker.free_strings(record))
    assert read["properties.nature"] == "Réfection"
    assert read["properties.commentaire libre"] == "texte"
    assert "properties.{commentaire libre}" in read


keys = st.text(alphabet=string.ascii_letters + "éà _-'\"\\", min_size=1, max_size=12)
values = st.text(min_size=1, max_size=30)


@given(
    st.lists(
        st.tuples(st.sampled_from(["", "adresse_depart", "trace", "points_de_passage.0"]), keys, values),
        min_size=1,
        max_size=4,
    )
)
@settings(max_examples=100, deadline=None)
def test_every_planted_string_is_read_wherever_it_stands(plants) -> None:
    entry = fx.march()
    entry["trace"] = {"type": "LineString", "coordinates": [[5.37, 43.29], [5.38, 43.3]]}
    expected = []
    for where, key, value in plants:
        node = entry
        for part in where.split(".") if where else []:
            node = node[int(part)] if part.isdigit() else node[part]
        if key in node or key in contract.all_field_names():
            continue
        node[key] = value
        expected.append(value)
    read = list(contract.walker(entry["type"]).free_strings(entry))
    texts = [t for _, t in read]
    assert all(v in texts for v in expected)
    # and nothing is read that every_string would not read
    assert set(texts) <= {t for _, t in every_string(entry)}
