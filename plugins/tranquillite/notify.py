"""Notifications that leave the platform, through Airflow's notifiers."""

from __future__ import annotations

import html
import logging
import os

from tranquillite.settings import COMPLIANCE_CONN_ID
from tranquillite.warehouse import connect

log = logging.getLogger(__name__)

DPO_SMTP_CONN_ID = "dpo_smtp"


def dpo_recipients() -> str:
    return os.environ.get("TRQ_DPO_EMAIL", "dpo@localhost")


def notify_dpo_of_schema_changes(context: dict) -> list[int]:
    """E-mail the DPO (SMTP connection `dpo_smtp`) about every schema change not yet
    notified, then record that it was. The message names the changes, never a record."""
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    from tranquillite import governance

    with connect(COMPLIANCE_CONN_ID) as conn:
        pending = governance.pending_notifications(conn)
        if not pending:
            return []
        rows = "".join(
            f"<tr><td>{c['change_id']}</td><td>{html.escape(c['source'])}</td>"
            f"<td><code>{html.escape(c['signature'])}</code></td><td>{c['held_records']}</td></tr>"
            for c in pending
        )
        body = (
            "<p>Des enregistrements reçus par la plateforme changent la nature des données "
            "(convention, article 3). Ils sont retenus en quarantaine et ne seront pas chargés "
            "avant votre décision, avec la référence de l'étude d'impact, par le DAG "
            "<code>schema_change_approval</code>.</p>"
            "<table border='1'><tr><th>change_id</th><th>source</th><th>changement</th>"
            f"<th>enregistrements retenus</th></tr>{rows}</table>"
        )
        to = dpo_recipients()
        SmtpNotifier(
            smtp_conn_id=DPO_SMTP_CONN_ID,
            to=to,
            subject=f"[Tranquillité publique] {len(pending)} changement(s) de schéma à valider",
            html_content=body,
        ).notify(context)
        ids = [c["change_id"] for c in pending]
        governance.mark_notified(conn, ids, to)
    log.info("DPO notified of schema change(s) %s", ids)
    return ids
