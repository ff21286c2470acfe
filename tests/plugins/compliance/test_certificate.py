"""The certificate a person reads (issue 18, fault 8): every letter as typed, in a Unicode
font a Debian package ships, and the canonical JSON inside the PDF."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tranquillite.compliance import certificate

NAMES = {
    "partner": "Préfecture de police des Bouches-du-Rhône — Cœur de ville",
    "requested_by": "Łukasz Wróbel",
    "approved_by": "Nguyễn Thị Hằng",
    "reason": "Résiliation notifiée « sans délai » par l'œil du préfet ; Ærø, Ğ, ß",
}


def document() -> dict:
    return {
        "title": "Certificat de destruction des données / Data destruction certificate",
        "purge_id": 7,
        "convention": {
            "convention_id": "PP13-BDTP-2019",
            "partner": NAMES["partner"],
            "object": "Données Cortège",
            "notified_on": "2019-03-01",
            "termination_notice_on": "2026-10-01",
            "effective_end": "2026-12-01",
            "sources": ["cortege"],
            "destruction_deadline": "2026-12-16",
        },
        "request": {
            "reason": NAMES["reason"],
            "origin": "officer",
            "requested_by": NAMES["requested_by"],
            "requested_at": "2026-12-02T09:00:00+00:00",
            "approved_by": NAMES["approved_by"],
            "approved_at": "2026-12-02T10:00:00+00:00",
            "airflow_run": "manual__1",
        },
        "started_at": "2026-12-02T10:01:00+00:00",
        "finished_at": "2026-12-02T10:03:00+00:00",
        "within_deadline": True,
        "deletion_seconds": 1.5,
        "scope": {},
        "destroyed": [
            {
                "place": "raw.cortege_entries__pp13_bdtp_2019",
                "method": "partition dropped",
                "rows": 3,
                "at": "2026-12-02T10:01:30+00:00",
            }
        ],
        "vacuumed": [],
        "rebuilt_for_the_other_agreements": True,
        "verification": {
            "passed": True,
            "checks": [{"place": "warehouse", "check": "c", "passed": True, "detail": "0 row(s)"}],
        },
        "subcontractor_extracts": [],
        "outside_the_warehouse": certificate.OUTSIDE_THE_WAREHOUSE,
        "generated_at": "2026-12-02T10:03:01+00:00",
    }


def test_every_letter_prints_as_typed_and_the_json_travels_inside() -> None:
    doc = document()
    body = certificate.canonical(doc)
    import hashlib

    pdf = certificate.render_pdf(doc, hashlib.sha256(body).hexdigest())
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    for name in NAMES.values():
        for word in name.replace("«", "").replace("»", "").split():
            assert word in text, word
    assert "?" not in text.replace("\n", " "), "a letter the font lacks"
    assert reader.attachments["certificate.json"] == [body]


def test_a_purge_before_the_agreement_ends_says_so_instead_of_none() -> None:
    import hashlib

    doc = document()
    doc["convention"] |= {"effective_end": None, "destruction_deadline": None}
    pdf = certificate.render_pdf(doc, hashlib.sha256(certificate.canonical(doc)).hexdigest())
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "None" not in text and "convention en cours" in text
