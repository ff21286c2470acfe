"""The anonymisation gate, through the real ingestion into the real warehouse."""

from __future__ import annotations

from dataclasses import replace

import psycopg

from tests.conftest import Sandbox
from tests.fixtures import entries as fx
from tranquillite.ingest_cortege import ingest_cortege
from tranquillite.residue import find_residue
from tranquillite.settings import CORTEGE

SETTINGS = replace(CORTEGE, page_size=5, backoff_base_seconds=0.01)
PHONE, NAME, EMAIL = "06 12 34 56 78", "Nadia Benali", "nadia.benali@gmail.com"


def test_personal_data_is_quarantined_masked(db: psycopg.Connection, sandbox: Sandbox) -> None:
    leaky = fx.march(description=f"Contact : Mme {NAME}, {PHONE}.")
    in_label = fx.visit(adresses=[{"libelle": f"chez M. Dupont, {EMAIL}", "lon": None, "lat": None}])
    in_drift = fx.gathering(contact_organisateur=f"{NAME} {PHONE}")
    clean = fx.march(description="Départ place Jean Jaurès, présence de M. le Préfet. Appel de la CGT.")
    sandbox.replace([leaky, in_label, in_drift, clean])
    result = ingest_cortege(settings=SETTINGS)
    assert (result.received, result.loaded, result.quarantined) == (4, 1, 3)
    assert result.reasons == {"personal_data": 3}
    rows = {
        r[0]: r[1:]
        for r in db.execute(
            "select record_id, reason_detail, finding_types, payload from quarantine.records"
        ).fetchall()
    }
    detail, types, payload = rows[leaky["id"]]
    assert detail == "description: person, phone" and types == ["person", "phone"]
    assert payload["description"] == "Contact : Mme [PERSON], [PHONE]."
    assert rows[in_label["id"]][1] == ["email", "person"]
    assert rows[in_drift["id"]][0].startswith("contact_organisateur: person, phone (also schema_drift")
    # the values themselves are nowhere in the warehouse
    assert find_residue(db, [PHONE, NAME, EMAIL, "Dupont"]) == []
    assert db.execute("select payload->>'id' from raw.cortege_entries").fetchall() == [(clean["id"],)]


def test_a_non_uuid_id_is_kept_only_as_a_hash(db: psycopg.Connection, sandbox: Sandbox) -> None:
    sandbox.replace([fx.march(id=EMAIL)])
    ingest_cortege(settings=SETTINGS)
    record_id, payload = db.execute("select record_id, payload from quarantine.records").fetchone()
    assert record_id.startswith("sha256:")
    assert find_residue(db, [EMAIL]) == []
    assert payload["id"] == "[EMAIL]"


def test_the_same_leaky_record_twice_is_quarantined_once(db: psycopg.Connection, sandbox: Sandbox) -> None:
    sandbox.replace([fx.march(description=f"Rappeler au {PHONE}")])
    ingest_cortege(settings=SETTINGS, full_refresh=True)
    second = ingest_cortege(settings=SETTINGS, full_refresh=True)
    assert second.quarantined == 1
    assert db.execute("select count(*) from quarantine.records").fetchone()[0] == 1
