"""The written justification of a destruction (convention, article 8): a certificate as
JSON and PDF, each with its SHA-256, kept in the append-only `compliance.purge_log`.

The certificate lists places, methods, counts and times, who asked and who approved,
and the verification's result: never a value of the destroyed data.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg

from tranquillite.compliance.approvals import mark
from tranquillite.compliance.conventions import calendar
from tranquillite.core import settings

OUTSIDE_THE_WAREHOUSE = (
    "PostgreSQL's write-ahead log keeps the deleted pages until the next checkpoints recycle it"
    " (minutes, bounded by max_wal_size); archived WAL and base backups keep them for their retention."
    " A deployment keeps backup and WAL-archive retention under the 15 days of article 9, so that"
    " every copy is gone within the deadline; see docs/destruction.md."
)


def certificate_dir() -> Path:
    return settings.certificate_dir()


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not serialisable: {type(value).__name__}")


def canonical(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default).encode()


def build(conn: psycopg.Connection, purge_id: int, outcome: dict[str, Any]) -> dict[str, Any]:
    """The certificate's content, from the request, the agreement and the purge's outcome."""
    req = conn.execute(
        "select convention_id, reason, origin, requested_by, requested_at, approved_by, decided_at, dag_run_id"
        " from compliance.purge_requests where purge_id = %s",
        (purge_id,),
    ).fetchone()
    if req is None:
        raise ValueError(f"no purge request {purge_id}")
    convention_id, reason, origin, requested_by, requested_at, approved_by, decided_at, run_id = req
    conv = calendar(conn, convention_id)
    extracts = conn.execute(
        "select extract_id, subcontractor, purpose, extracted_on, attested_on, attestation_ref"
        " from compliance.subcontractor_extracts where convention_id = %s order by extract_id",
        (convention_id,),
    ).fetchall()
    finished = datetime.fromisoformat(outcome["finished_at"])
    deadline = conv["destruction_deadline"]
    return {
        "title": "Certificat de destruction des données / Data destruction certificate",
        "purge_id": purge_id,
        "convention": {
            "convention_id": convention_id,
            **{k: conv[k] for k in ("partner", "object", "notified_on", "termination_notice_on", "effective_end")},
            "sources": list(conv["sources"]),
            "destruction_deadline": deadline,
        },
        "request": {
            "reason": reason,
            "origin": origin,
            "requested_by": requested_by,
            "requested_at": requested_at,
            "approved_by": approved_by,
            "approved_at": decided_at,
            "airflow_run": run_id,
        },
        "started_at": outcome["started_at"],
        "finished_at": outcome["finished_at"],
        "within_deadline": deadline is None or finished.date() <= deadline,
        "deletion_seconds": outcome["deletion_seconds"],
        "scope": outcome["scope"],
        "destroyed": outcome["destroyed"],
        "vacuumed": outcome["vacuumed"],
        "rebuilt_for_the_other_agreements": outcome["rebuilt"],
        "verification": outcome["verification"],
        "subcontractor_extracts": [
            {
                "extract_id": x[0],
                "subcontractor": x[1],
                "purpose": x[2],
                "extracted_on": x[3],
                "destruction_attested_on": x[4],
                "attestation_ref": x[5],
            }
            for x in extracts
        ],
        "outside_the_warehouse": OUTSIDE_THE_WAREHOUSE,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


class CertificateError(RuntimeError):
    """The certificate cannot be written as the law wants it read."""


# DejaVu, from Debian's fonts-dejavu-core (scripts/install.sh and the image install it): it
# covers Latin, Greek, Cyrillic and Vietnamese, so a name prints as typed, never as "?"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


def font_dir() -> Path:
    return settings.certificate_font_dir()


def render_pdf(doc: dict[str, Any], json_sha256: str) -> bytes:
    """The PDF a person reads, with the canonical JSON embedded (`certificate.json`), so that
    the one file carries the text and the document its hash was computed on."""
    from fpdf import FPDF

    folder = font_dir()
    missing = [name for name in FONT_FILES.values() if not (folder / name).is_file()]
    if missing:
        raise CertificateError(
            f"the certificate's font is missing from {folder} ({', '.join(missing)}): install the Debian package"
            " fonts-dejavu-core or set TRQ_CERTIFICATE_FONT_DIR"
        )
    pdf = FPDF(format="A4")
    for style, name in FONT_FILES.items():
        pdf.add_font("dejavu", style=style, fname=str(folder / name))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_title(doc["title"])
    pdf.set_creator("Plateforme Big Data de la Tranquillité Publique")
    pdf.embed_file(
        bytes=canonical(doc),
        basename="certificate.json",
        mime_type="application/json",
        desc=f"certificat canonique, SHA-256 {json_sha256}",
    )
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, size: int = 10, style: str = "") -> None:
        pdf.set_font("dejavu", style=style, size=size)
        pdf.multi_cell(width, size * 0.5, str(text), align="L", new_x="LMARGIN", new_y="NEXT")

    conv, req, verif = doc["convention"], doc["request"], doc["verification"]
    line(doc["title"], 14, "B")
    line(f"Purge n° {doc['purge_id']} - convention {conv['convention_id']}", 11, "B")
    line(f"Partenaire : {conv['partner']}")
    line(f"Objet : {conv['object']}")
    line(f"Sources : {', '.join(conv['sources'])}")
    if conv["effective_end"]:
        line(
            f"Fin effective : {conv['effective_end']} ; destruction due au plus tard le"
            f" {conv['destruction_deadline']} ; délai respecté : {'oui' if doc['within_deadline'] else 'NON'}"
        )
    else:
        line("Fin effective : aucune (convention en cours) ; destruction demandée avant son terme")
    line(f"Motif : {req['reason']}")
    line(f"Demandée par : {req['requested_by']} le {req['requested_at']} ({req['origin']})")
    line(f"Approuvée par : {req['approved_by']} le {req['approved_at']}")
    line(f"Début : {doc['started_at']} ; fin : {doc['finished_at']} ; suppression : {doc['deletion_seconds']} s")
    line("Détruit", 11, "B")
    for d in doc["destroyed"]:
        line(f"- {d['place']} : {d['method']}, {d['rows']} ({d['at']})", 9)
    if doc["vacuumed"]:
        line(f"VACUUM : {', '.join(doc['vacuumed'])}", 9)
    line(
        "Tables reconstruites pour les autres conventions : "
        + ("oui" if doc["rebuilt_for_the_other_agreements"] else "non")
    )
    failed = [c for c in verif["checks"] if not c["passed"]]
    line(f"Vérification : {'RÉUSSIE' if verif['passed'] else 'ÉCHEC'} ({len(verif['checks'])} contrôles)", 11, "B")
    for c in failed[:50]:
        line(f"- {c['place']} : {c['check']} : {c['detail']}", 9)
    line("Extractions confiées à des sous-traitants", 11, "B")
    if not doc["subcontractor_extracts"]:
        line("aucune", 9)
    for x in doc["subcontractor_extracts"]:
        attested = x["destruction_attested_on"] or "ATTESTATION MANQUANTE"
        line(f"- n° {x['extract_id']} {x['subcontractor']} ({x['extracted_on']}) : destruction attestée {attested}", 9)
    line("Hors de l'entrepôt", 11, "B")
    line(doc["outside_the_warehouse"], 9)
    line(f"SHA-256 du certificat JSON : {json_sha256}", 8)
    line(f"Émis le {doc['generated_at']}", 8)
    return bytes(pdf.output())


def issue(conn: psycopg.Connection, purge_id: int, outcome: dict[str, Any]) -> dict[str, Any]:
    """Build, hash, render, record in compliance.purge_log and write both files; returns where."""
    doc = build(conn, purge_id, outcome)
    body = canonical(doc)
    json_sha = hashlib.sha256(body).hexdigest()
    pdf = render_pdf(doc, json_sha)
    pdf_sha = hashlib.sha256(pdf).hexdigest()
    req = doc["request"]
    with conn.transaction():
        conn.execute(
            "insert into compliance.purge_log (purge_id, convention_id, requested_by, approved_by, reason,"
            " started_at, finished_at, verification_passed, certificate, certificate_sha256, certificate_pdf,"
            " pdf_sha256) values (%s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s)",
            (
                purge_id,
                doc["convention"]["convention_id"],
                req["requested_by"],
                req["approved_by"],
                req["reason"],
                doc["started_at"],
                doc["finished_at"],
                doc["verification"]["passed"],
                body.decode(),
                json_sha,
                pdf,
                pdf_sha,
            ),
        )
        mark(conn, purge_id, "verified" if doc["verification"]["passed"] else "failed", finished=True)
    folder = certificate_dir()
    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / f"purge-{purge_id}.json"
    pdf_path = folder / f"purge-{purge_id}.pdf"
    json_path.write_bytes(body)
    pdf_path.write_bytes(pdf)
    (folder / f"purge-{purge_id}.sha256").write_text(f"{json_sha}  {json_path.name}\n{pdf_sha}  {pdf_path.name}\n")
    return {
        "purge_id": purge_id,
        "json": str(json_path),
        "pdf": str(pdf_path),
        "certificate_sha256": json_sha,
        "pdf_sha256": pdf_sha,
        "verification_passed": doc["verification"]["passed"],
    }
