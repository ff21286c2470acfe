"""The anonymisation gate, through the real ingestion into the real warehouse: personal data
is masked and the record lands; the values themselves are nowhere."""

from __future__ import annotations

from dataclasses import replace

import psycopg

from tests.conftest import Sandbox
from tests.fixtures import entries as fx
from tranquillite.compliance.residue import find_residue
from tranquillite.core.settings import CORTEGE
from tranquillite.sources.cortege.ingest import ingest_cortege

SETTINGS = replace(CORTEGE, page_size=5, backoff_base_seconds=0.01)
PHONE, NAME, EMAIL = "06 12 34 56 78", "Nadia Benali", "nadia.benali@gmail.com"


def test_personal_data_is_masked_and_the_event_lands(db: psycopg.Connection, sandbox: Sandbox) -> None:
    leaky = fx.march(description=f"Contact : Mme {NAME}, {PHONE}.")
    in_label = fx.visit(adresses=[{"libelle": f"chez M. Dupont, {EMAIL}", "lon": None, "lat": None}])
    in_drift = fx.gathering(contact_organisateur=f"{NAME} {PHONE}")
    clean = fx.march(description="Départ place Jean Jaurès, présence de M. le Préfet. Appel de la CGT.")
    sandbox.replace([leaky, in_label, in_drift, clean])
    result = ingest_cortege(settings=SETTINGS)
    # the two contract-abiding leaky entries land masked; the drifting one is held for the DPO
    assert (result.received, result.loaded, result.quarantined) == (4, 3, 1)
    assert result.reasons == {"schema_drift": 1}
    assert result.masked == 2 and result.masked_types == {"person": 2, "phone": 1, "email": 1}
    raw = dict(db.execute("select entry_id::text, payload from raw.cortege_entries").fetchall())
    assert raw[leaky["id"]]["description"] == "Contact : Mme [PERSONNE], [TÉLÉPHONE]."
    assert raw[in_label["id"]]["adresses"][0]["libelle"] == "chez M. [PERSONNE], [COURRIEL]"
    assert raw[clean["id"]]["description"] == clean["description"]
    # the held copy is masked too, and its reason names the field, not the value
    detail, types, payload = db.execute(
        "select reason_detail, finding_types, payload from quarantine.records where record_id = %s",
        (in_drift["id"],),
    ).fetchone()
    assert types == ["person", "phone"]
    assert payload["contact_organisateur"] == "[PERSONNE] [TÉLÉPHONE]"
    # an unknown key is named by its hash in the reason (it could itself be personal data)
    assert "contact_organisateur" not in detail and "1 field(s) outside the contract: #" in detail
    assert db.execute("select masked, masked_types from ops.ingest_batches").fetchone() == (2, result.masked_types)
    # the values themselves are nowhere in the warehouse
    assert find_residue(db, [PHONE, NAME, EMAIL, "Dupont", "Benali"]) == []


def test_a_field_name_holding_a_name_is_masked_in_the_reason_too(db: psycopg.Connection, sandbox: Sandbox) -> None:
    sandbox.replace([fx.gathering(**{f"contact {NAME}": "oui"})])
    ingest_cortege(settings=SETTINGS)
    detail, payload, signatures = db.execute(
        "select reason_detail, payload, drift_signatures from quarantine.records"
    ).fetchone()
    assert "contact [PERSONNE]" in payload
    assert NAME not in detail and not any(NAME in s for s in signatures)
    assert find_residue(db, [NAME, "Benali"]) == []


def test_a_non_uuid_id_is_kept_only_as_a_hash(db: psycopg.Connection, sandbox: Sandbox) -> None:
    sandbox.replace([fx.march(id=EMAIL)])
    ingest_cortege(settings=SETTINGS)
    record_id, payload = db.execute("select record_id, payload from quarantine.records").fetchone()
    assert record_id.startswith("sha256:")
    assert find_residue(db, [EMAIL]) == []
    assert payload["id"] == "[COURRIEL]"


def test_the_same_leaky_record_twice_lands_once(db: psycopg.Connection, sandbox: Sandbox) -> None:
    sandbox.replace([fx.march(description=f"Rappeler au {PHONE}")])
    ingest_cortege(settings=SETTINGS, full_refresh=True)
    second = ingest_cortege(settings=SETTINGS, full_refresh=True)
    assert (second.loaded, second.new_rows, second.quarantined) == (1, 0, 0)
    assert db.execute("select count(*) from raw.cortege_entries").fetchone()[0] == 1
