"""
### convention_purge

Destroys every copy of one agreement's data (convention, article 9), proves it, and
issues the written justification (article 8).

1. **request**: the form's agreement id, typed twice, and the reason; a dry run
   counts what would be destroyed, per table and folder, for the officers to see. The requester is
   the Airflow user who triggered the run, whatever the run's conf says (`make dag` runs
   as Airflow's `dag_test`, who is no officer); a run with no user (the daily DAG two days
   before the deadline) is `convention_compliance`.
2. **approve**, then **approve_second**: two compliance officers, distinct and neither
   the requester, approve in Airflow's *Required actions* (human in the loop). Rejecting
   ends the run; nothing is deleted. The warehouse holds the rule (migration 012): the
   approvals are recorded only through its functions, and an agreement's data cannot be
   deleted, nor its partition dropped, unless two officers approved its purge.
3. **destroy**: the agreement's partitions are dropped, its rows deleted everywhere
   else (tables discovered from the catalogue), then VACUUM; Great Expectations'
   results and Data Docs, landing files, XComs and task logs that hold its data go
   too; every model is rebuilt from what remains; then a verification looks for rows
   of the agreement and for sample values of its data in every table and written file.
4. **certify**: the certificate as JSON and PDF with their SHA-256, recorded in the
   append-only `compliance.purge_log` and written to `.local/compliance/certificates`;
   the task's XCom holds the certificate, downloadable from the UI.

A verification that finds anything fails the run, loudly, with the places named.
"""

from __future__ import annotations

from airflow.sdk import Param, dag, task

from tranquillite.airflow.policy import DEFAULT_ARGS, ROLE_COMPLIANCE, START_DATE, access_control, tags
from tranquillite.compliance.operators import FourEyesApprovalOperator
from tranquillite.core.settings import COMPLIANCE_CONN_ID


@dag(
    dag_id="convention_purge",
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args={**DEFAULT_ARGS, "retries": 1},
    tags=tags("compliance", "governance"),
    access_control=access_control(ROLE_COMPLIANCE),
    doc_md=__doc__,
    params={
        "convention_id": Param("", type="string", minLength=3, title="Agreement to destroy"),
        "confirm_convention_id": Param(
            "", type="string", minLength=3, title="The agreement id again", description="Typed again, to confirm."
        ),
        "reason": Param(
            "",
            type="string",
            minLength=10,
            title="Reason",
            description="Why (termination of the agreement, end of the four years, request of the partner...).",
        ),
    },
)
def convention_purge():
    @task
    def request(params: dict | None = None, dag_run=None) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from tranquillite.compliance.approvals import open_request
        from tranquillite.compliance.conventions import ConventionError
        from tranquillite.compliance.purge import preview, preview_markdown
        from tranquillite.warehouse import connect, ensure_migrated

        params = params or {}
        # who triggered the run asked for the purge: a conf cannot make a person's run automatic
        requester = getattr(dag_run, "triggering_user_name", None) if dag_run else None
        try:
            with connect(COMPLIANCE_CONN_ID) as conn:
                ensure_migrated(conn)
                req = open_request(
                    conn,
                    convention_id=params.get("convention_id", ""),
                    confirm_convention_id=params.get("confirm_convention_id", ""),
                    reason=params.get("reason", ""),
                    requested_by=requester,
                    dag_run_id=dag_run.run_id if dag_run else None,
                )
                # a dry run for the officers: what would go, per table and folder, counts only
                return {**req, "preview": preview_markdown(preview(conn, req["convention_id"]))}
        except ConventionError as exc:
            raise AirflowFailException(str(exc)) from exc

    body = (
        "**{{ ti.xcom_pull(task_ids='request')['requested_by'] }}** asks to destroy every copy of the data"
        " held under agreement **{{ params.convention_id }}** (sources:"
        " {{ ti.xcom_pull(task_ids='request')['sources'] | join(', ') }}; destruction due by"
        " {{ ti.xcom_pull(task_ids='request')['destruction_deadline'] }}).\n\n"
        "Reason: {{ params.reason }}\n\n"
        "What the purge will destroy (counted when it was requested):\n\n"
        "{{ ti.xcom_pull(task_ids='request')['preview'] }}\n\n"
        "Two compliance officers, neither the requester, must approve, one after the other."
        " Approving deletes the data for good once both have; rejecting ends this run and deletes nothing."
    )
    approve = FourEyesApprovalOperator(
        task_id="approve",
        request_task_id="request",
        subject="Destruction of {{ params.convention_id }}'s data: approve? (1 of 2)",
        body=body,
    )
    approve_second = FourEyesApprovalOperator(
        task_id="approve_second",
        request_task_id="request",
        after_task_id="record_approval",
        subject="Destruction of {{ params.convention_id }}'s data: approve? (2 of 2)",
        body=body + "\n\n**{{ ti.xcom_pull(task_ids='record_approval')['approved_by'] | join(', ') }}** approved.",
    )

    def _record(req: dict, ti, approval_task: str, expected: str) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from tranquillite.compliance.approvals import FourEyesError, approvals_of, record_decision
        from tranquillite.compliance.conventions import ConventionError
        from tranquillite.warehouse import connect

        answer = ti.xcom_pull(task_ids=approval_task) or {}
        user = (answer.get("responded_by_user") or {}).get("name")
        approved = "Approve" in (answer.get("chosen_options") or [])
        try:
            with connect(COMPLIANCE_CONN_ID) as conn:
                decision = record_decision(conn, req["purge_id"], approved=approved, decided_by=user)
                approvers = approvals_of(conn, req["purge_id"])
        except (FourEyesError, ConventionError) as exc:
            raise AirflowFailException(str(exc)) from exc
        if decision != expected:
            raise AirflowFailException(f"purge {req['purge_id']} {decision} after {user}'s answer")
        return {**req, "approved_by": approvers}

    @task
    def record_approval(req: dict, ti=None) -> dict:
        return _record(req, ti, "approve", "awaiting_approval")

    @task
    def record_second_approval(req: dict, ti=None) -> dict:
        return _record(req, ti, "approve_second", "approved")

    @task
    def destroy(req: dict) -> dict:
        from tranquillite.compliance.approvals import mark
        from tranquillite.compliance.purge import purge
        from tranquillite.warehouse import connect

        with connect(COMPLIANCE_CONN_ID) as conn:
            mark(conn, req["purge_id"], "destroying")
            # a retry verifies against the samples the first attempt took before destroying
            outcome = purge(conn, req["convention_id"], purge_id=req["purge_id"])
            mark(conn, req["purge_id"], "destroyed")
        return outcome.as_dict()

    @task
    def certify(req: dict, outcome: dict) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from tranquillite.compliance.certificate import issue
        from tranquillite.compliance.purge import discard_samples
        from tranquillite.warehouse import connect

        with connect(COMPLIANCE_CONN_ID) as conn:
            issued = issue(conn, req["purge_id"], outcome)
            discard_samples(conn, req["purge_id"])
        if not issued["verification_passed"]:
            failed = [c for c in outcome["verification"]["checks"] if not c["passed"]]
            raise AirflowFailException(
                f"RESIDUE after the purge of {req['convention_id']}: "
                + "; ".join(f"{c['place']} ({c['check']}: {c['detail']})" for c in failed[:20])
                + f". Certificate {issued['json']} records the failure."
            )
        return issued

    @task(trigger_rule="all_done")
    def close_request(ti=None) -> None:
        """A rejected or failed run leaves no request open, so that a new one can be made."""
        from tranquillite.compliance.approvals import close_unfinished
        from tranquillite.warehouse import connect

        req = ti.xcom_pull(task_ids="request")
        if not req:
            return
        with connect(COMPLIANCE_CONN_ID) as conn:
            close_unfinished(conn, req["purge_id"])

    req = request()
    first = record_approval(req)
    req >> approve >> first
    approved = record_second_approval(first)
    first >> approve_second >> approved
    done = certify(approved, destroy(approved))
    done >> close_request()


convention_purge()
