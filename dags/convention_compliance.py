"""
### convention_compliance

Every day, for every agreement in `compliance.conventions`:

- **notices** to the compliance officers (e-mail through Airflow's SmtpNotifier, and a
  row in `compliance.notifications`) 90, 60 and 30 days before each tacit renewal,
  before the four-year cap, before a termination takes effect and on the day; then
  that the data must be destroyed;
- **ended agreements**: at the effective end the status becomes `ended` and the
  ingestion DAGs of its sources refuse to pull (checked in each run, not a pause);
- **automatic purge**: an ended agreement whose purge nobody started two days before
  the deadline gets `convention_purge` triggered (the four-eyes approval still applies);
- **retention**: raw payloads older than their source's retention are deleted;
- **masking notice**: the DPO gets, once a day, how many records landed with personal
  data masked since the last notice, per source and type (counts only);
- **report**: `compliance.convention_report` (BI-readable) is printed in the log.

Trigger it with **as_of** to see what a given day would do: a dry run that changes
nothing. No notice is sent, no agreement is closed, no purge is started and nothing is
deleted; each task logs what it would have done, with counts. An agreement's status
changes only on its real dates, or through the `convention_registry` forms.
"""

from __future__ import annotations

from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk import Param, dag, task

from tranquillite.airflow.policy import DEFAULT_ARGS, ROLE_COMPLIANCE, START_DATE, access_control, tags
from tranquillite.core.settings import COMPLIANCE_CONN_ID


@dag(
    dag_id="convention_compliance",
    schedule="@daily",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=tags("compliance", "governance"),
    access_control=access_control(ROLE_COMPLIANCE),
    doc_md=__doc__,
    params={
        "as_of": Param(
            None,
            type=["null", "string"],
            format="date",
            title="As of (default: today)",
            description="Set, the run is a dry run: it shows what that day would do and changes nothing.",
        ),
    },
)
def convention_compliance():
    def _today(params: dict | None):
        from datetime import date

        as_of = (params or {}).get("as_of")
        return date.fromisoformat(as_of) if as_of else date.today()

    def _dry_run(params: dict | None) -> bool:
        """A run for another day than today's (as_of) only previews: no one can end an
        agreement, delete its data or start its purge by choosing a date."""
        return bool((params or {}).get("as_of"))

    @task
    def notify(params: dict | None = None) -> list[dict]:
        from airflow.sdk import get_current_context

        from tranquillite.compliance.daily import due_notices, send_notices
        from tranquillite.warehouse import connect, ensure_migrated

        with connect(COMPLIANCE_CONN_ID) as conn:
            ensure_migrated(conn)
            notices = due_notices(conn, _today(params))
            if _dry_run(params):
                print(f"dry run: {len(notices)} notice(s) would be sent")
                return [n.as_dict() for n in notices]
            return send_notices(conn, notices, get_current_context())

    @task
    def close_ended(params: dict | None = None) -> list[str]:
        from tranquillite.compliance.daily import close_ended as close
        from tranquillite.warehouse import connect

        with connect(COMPLIANCE_CONN_ID) as conn:
            return close(conn, _today(params), dry_run=_dry_run(params))

    @task
    def purges_due(params: dict | None = None) -> list[dict]:
        from tranquillite.compliance.daily import purges_due as due
        from tranquillite.warehouse import connect

        with connect(COMPLIANCE_CONN_ID) as conn:
            due_now = due(conn, _today(params), dry_run=_dry_run(params))
        if _dry_run(params):
            for request in due_now:
                print(f"dry run: the purge of {request['convention_id']} would be started")
            return []
        return due_now

    @task
    def retention(params: dict | None = None) -> list[dict]:
        from tranquillite.compliance.daily import apply_retention
        from tranquillite.warehouse import connect

        with connect(COMPLIANCE_CONN_ID) as conn:
            return apply_retention(conn, _today(params), dry_run=_dry_run(params))

    @task
    def masking_notice(params: dict | None = None) -> dict:
        from airflow.sdk import get_current_context

        from tranquillite.airflow.notify import notify_dpo_of_masking

        if _dry_run(params):
            return {"dry_run": True}
        return notify_dpo_of_masking(get_current_context())

    @task
    def report() -> list[dict]:
        from tranquillite.compliance.daily import report as read
        from tranquillite.warehouse import connect

        with connect(COMPLIANCE_CONN_ID) as conn:
            rows = read(conn)
        for r in rows:
            print(
                f"{r['convention_id']}: {r['status']}, in force {r['in_force']}, next renewal {r['next_renewal']},"
                f" ends {r['final_end'] or r['effective_termination']}, destroy by {r['destruction_deadline']},"
                f" {r['extracts_without_attestation']} extract(s) without attestation"
            )
        return rows

    ended = close_ended()
    due = purges_due()
    ended >> due
    TriggerDagRunOperator.partial(task_id="start_purge", trigger_dag_id="convention_purge").expand(conf=due)
    [notify(), ended, retention(), masking_notice()] >> report()


convention_compliance()
