"""The batch-level suite (GX, pushed down to PostgreSQL) on landing rows written directly,
so that it is tested on its own, as the second line behind the record-level gate."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.fixtures import entries as fx
from tranquillite.core.settings import gx_root
from tranquillite.ingestion.contract import canonical_json
from tranquillite.ingestion.validation import validate_cortege_batch

CORPUS = Path(__file__).resolve().parents[3] / "bench" / "data" / "pii_corpus.jsonl"


def land(db: psycopg.Connection, entries: list[dict]) -> str:
    batch_id = str(uuid.uuid4())
    with db.cursor() as cur:
        for e in entries:
            cur.execute(
                "insert into landing.cortege_entries (batch_id, entry_id, entry_version, entry_type, updated_at,"
                " payload, payload_sha256) values (%s, %s, %s, %s, %s, %s::jsonb, 'x')",
                (batch_id, e["id"], e["version"], e["type"], e["updated_at"], canonical_json(e)),
            )
    return batch_id


@pytest.fixture
def clean_landing(db: psycopg.Connection):
    db.execute("truncate landing.cortege_entries")
    yield db
    db.execute("truncate landing.cortege_entries")


def test_valid_entries_pass_every_expectation(clean_landing: psycopg.Connection) -> None:
    batch = land(clean_landing, [fx.march(), fx.gathering(), fx.operation(), fx.visit()])
    result = validate_cortege_batch(batch)
    assert result.success and result.evaluated == 16 and result.rejected == {}


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        (fx.march(description="Rappeler le 06 12 34 56 78"), "personal_data"),
        (fx.march(description="écrire à jean.dupont@gmail.com"), "personal_data"),
        (fx.visit(objet="Visite, contact Mme Benali"), "personal_data"),
        (fx.gathering(adresse={"libelle": "domicilié au 12 rue Consolat", "lon": None, "lat": None}), "personal_data"),
        (fx.march(description="NIR 2 85 03 13 055 123 61"), "personal_data"),
        (fx.operation(description="véhicule AB-123-CD"), "personal_data"),
        (fx.march(organisateur="x"), "schema_drift"),
        (fx.march(statut_organisateur="collectif"), "schema_drift"),
        (fx.march(fin="2026-03-07T10:00:00+01:00"), "end_before_start"),
        (fx.march(nb_personnes_attendues=-4), "schema_violation"),
        (fx.march(debut="1999-03-07T14:00:00+01:00", fin="1999-03-07T15:00:00+01:00"), "schema_violation"),
    ],
)
def test_the_suite_rejects_with_the_reason(clean_landing: psycopg.Connection, entry: dict, code: str) -> None:
    good = fx.visit()
    batch = land(clean_landing, [entry, good])
    result = validate_cortege_batch(batch)
    assert not result.success
    assert result.rejected[(entry["id"], 1)][0] == code
    assert (good["id"], 1) not in result.rejected


def test_lookalikes_pass_the_sql_regexes(clean_landing: psycopg.Connection) -> None:
    texts = [json.loads(line)["text"] for line in CORPUS.read_text().splitlines() if '"clean"' in line][:300]
    entries = [fx.visit(description=t[:5000]) for t in texts]
    batch = land(clean_landing, entries)
    result = validate_cortege_batch(batch)
    assert result.rejected == {}, [texts[[e["id"] for e in entries].index(k[0])] for k in result.rejected][:5]


def test_data_docs_are_published_without_values(clean_landing: psycopg.Connection) -> None:
    secret = "06 98 76 54 32"
    batch = land(clean_landing, [fx.march(description=f"Tel {secret}")])
    result = validate_cortege_batch(batch, run_name="docs-test")
    docs = Path(result.data_docs)
    assert docs.exists()
    site = gx_root() / "gx" / "uncommitted"
    texts = [p.read_text(errors="ignore") for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json")]
    assert any("docs-test" in t for t in texts)
    assert not any(secret in t or secret.replace(" ", "") in t for t in texts)


def test_old_results_are_pruned(clean_landing: psycopg.Connection) -> None:
    import os
    import time

    base = gx_root() / "gx" / "uncommitted"
    old = base / "validations" / "cortege_entries" / "an-old-run"
    old_page = base / "data_docs" / "local_site" / "validations" / "cortege_entries" / "an-old-run"
    for folder in (old, old_page):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "result.json").write_text("{}")
        ancient = time.time() - 40 * 86400
        os.utime(folder, (ancient, ancient))
    result = validate_cortege_batch(land(clean_landing, [fx.visit()]), run_name="recent-run")
    assert not old.exists() and not old_page.exists()
    assert (base / "validations" / "cortege_entries" / "recent-run").exists()
    assert Path(result.data_docs).exists()
