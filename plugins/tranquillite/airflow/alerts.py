"""Alerts to the data engineers, through Airflow's notifiers: e-mail (connection
`ops_smtp`, recipient `TRQ_OPS_EMAIL`) and a webhook (HTTP connection `ops_webhook`,
e.g. a chat or an incident tool). Messages name DAGs, tasks and counts, never data.
"""

from __future__ import annotations

import importlib

from airflow.sdk.bases.notifier import BaseNotifier

from tranquillite.core import settings

OPS_SMTP_CONN_ID = "ops_smtp"
OPS_WEBHOOK_CONN_ID = "ops_webhook"

FAILURE_SUBJECT = "[Tranquillité publique] échec {{ ti.dag_id }}.{{ ti.task_id }}"
FAILURE_BODY = (
    "<p>La tâche <b>{{ ti.task_id }}</b> du DAG <b>{{ ti.dag_id }}</b> a échoué "
    "(run {{ run_id }}, essai {{ ti.try_number }}).</p>"
    "<p>{{ exception | string | truncate(500) | e }}</p>"
)


def ops_recipients() -> str:
    return settings.ops_email()


class ProviderNotifier(BaseNotifier):
    """A provider's notifier, built when a task fails rather than when its DAG file is parsed.

    Importing the HTTP provider's notifier costs about 0.8 s (aiohttp): every DAG file paid
    it at every parse, for a callback that runs only on failure. This keeps the provider's
    class and arguments and hands the call to the real notifier, which renders and sends.
    """

    def __init__(self, notifier: str, **kwargs: object) -> None:
        super().__init__()
        self.notifier = notifier
        self.kwargs = kwargs

    def build(self) -> BaseNotifier:
        module, _, name = self.notifier.rpartition(".")
        return getattr(importlib.import_module(module), name)(**self.kwargs)

    def __call__(self, *args) -> None:
        self.build()(*(redacted(a) for a in args))

    def notify(self, context) -> None:
        self.build()(redacted(context))


def redacted(context):
    """The task's context with its exception reduced to its class: an exception's text can
    echo what a record held (a cast error quotes the value, a geocoder's 400 the address),
    and an alert leaves the platform. The task's log keeps the rest for the engineer."""
    if not isinstance(context, dict) or context.get("exception") is None:
        return context
    exc = context["exception"]
    name = type(exc).__name__ if isinstance(exc, BaseException) else "erreur"
    return {**context, "exception": f"{name} (détail dans le journal de la tâche)"}


SMTP_NOTIFIER = "airflow.providers.smtp.notifications.smtp.SmtpNotifier"
HTTP_NOTIFIER = "airflow.providers.http.notifications.http.HttpNotifier"


def failure_notifiers() -> list[ProviderNotifier]:
    """on_failure_callback for every task of every DAG (see dag_policy.DEFAULT_ARGS)."""
    return [
        ProviderNotifier(
            SMTP_NOTIFIER,
            smtp_conn_id=OPS_SMTP_CONN_ID,
            to=ops_recipients(),
            subject=FAILURE_SUBJECT,
            html_content=FAILURE_BODY,
        ),
        ProviderNotifier(
            HTTP_NOTIFIER,
            http_conn_id=OPS_WEBHOOK_CONN_ID,
            endpoint=settings.ops_webhook_endpoint(),
            json={
                "kind": "task_failed",
                "dag_id": "{{ ti.dag_id }}",
                "task_id": "{{ ti.task_id }}",
                "run_id": "{{ run_id }}",
                "try_number": "{{ ti.try_number }}",
                "error": "{{ exception | string | truncate(300) }}",
            },
        ),
    ]


def send_alert(context: dict, kind: str, subject: str, message: str, **fields: object) -> None:
    """An alert raised by a check (a silent source, a batch that quarantines too much)."""
    import html

    from airflow.providers.http.notifications.http import HttpNotifier
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    SmtpNotifier(
        smtp_conn_id=OPS_SMTP_CONN_ID,
        to=ops_recipients(),
        subject=f"[Tranquillité publique] {subject}",
        html_content=f"<p>{html.escape(message)}</p>",
    ).notify(context)
    HttpNotifier(
        http_conn_id=OPS_WEBHOOK_CONN_ID,
        endpoint=settings.ops_webhook_endpoint(),
        json={"kind": kind, "subject": subject, "message": message, **fields},
    ).notify(context)
