"""The values a purge searches for afterwards: the agreement's own, never a value some other
agreement's data also holds (its presence would then prove nothing, and fail the purge)."""

from __future__ import annotations

import hashlib
import json
import uuid

import psycopg
from psycopg.types.json import Jsonb

from tranquillite.compliance import purge

OPEN_DATA, POLICE = "LO2-OPENDATA-VDM", "VDM-PM-MAIN-COURANTE"
OWN = "Fête du quartier des Chartreux, esplanade nord"
SHARED = 'Parvis de la gare Saint-Charles, côté "Belsunce"'


def _land(db: psycopg.Connection, agreement: str, source: str, record_id: str, payload: dict) -> str:
    db.execute("select raw.ensure_agreement_partition('feed_records', %s)", (agreement,))
    sha = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    db.execute(
        "insert into raw.feed_records (convention_id, source, record_id, payload_sha256, payload, batch_id,"
        " received_at, last_seen_at) values (%s, %s, %s, %s, %s, %s, now(), now())",
        (agreement, source, record_id, sha, Jsonb(payload), uuid.uuid4()),
    )
    return sha


def test_a_value_another_agreement_also_holds_is_not_sampled(db: psycopg.Connection) -> None:
    sha = _land(db, OPEN_DATA, "evenements_espace_public", "OD-2026-000123", {"titre": OWN, "lieu": SHARED})
    _land(db, POLICE, "interventions_police_municipale", "PM-1", {"observations": f"patrouille {SHARED} 14 h"})

    samples = purge._samples(db, OPEN_DATA, 20)

    assert OWN in samples
    assert SHARED not in samples  # the police's day book holds it too
    assert sha in samples and "OD-2026-000123" in samples


def test_nothing_to_sample_is_no_sample(db: psycopg.Connection) -> None:
    assert purge._samples(db, OPEN_DATA, 20) == []
