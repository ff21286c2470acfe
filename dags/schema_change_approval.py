"""
### schema_change_approval

The DPO's decision on a change in the nature of the data (convention, article 3):
a new field, or a new value of an enumeration, seen at the gate and listed in
`governance.schema_changes`. Every ingestion DAG, Cortège's and each feed's, starts one run per change it holds
(run id `schema_change__<change_id>`; it can also be triggered by hand with the
change id named in the DPO's e-mail); the run waits in Airflow's *Required actions* for a DPO login
(`TRQ_DPO_USERS`), who approves or rejects with the impact study's reference.
The decision is recorded under that login, never a name typed in a form, and
only through the warehouse's `governance.decide_change`, which refuses anyone
not registered as the DPO's.

On approval, the gate accepts the change from then on, and the records held for
it are replayed from quarantine through the whole gate (contract, personal data,
Great Expectations) into `raw`: nothing is lost. Every decision is kept in the
append-only `governance.schema_change_log`. A type change or a new kind of entry
cannot be approved here: it needs a new version of the contract and the models.
"""

from __future__ import annotations

from airflow.sdk import Param, dag, task

from tranquillite.airflow.assets import REPLAYED_RAW, raw_asset
from tranquillite.airflow.policy import DEFAULT_ARGS, ROLE_DPO, START_DATE, access_control, tags
from tranquillite.compliance.operators import DpoDecisionOperator
from tranquillite.core.settings import COMPLIANCE_CONN_ID


@dag(
    dag_id="schema_change_approval",
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    # one run per change, each waiting for the DPO: none may queue behind another's decision
    max_active_runs=16,
    default_args={**DEFAULT_ARGS, "retries": 1},
    tags=tags("governance"),
    access_control=access_control(ROLE_DPO),
    doc_md=__doc__,
    params={
        "change_id": Param(
            None,
            type="integer",
            minimum=1,
            title="Change id",
            description="The change_id in governance.schema_changes (named in the DPO's e-mail).",
        ),
    },
)
def schema_change_approval():
    @task
    def describe(params: dict | None = None) -> dict:
        """The pending change the DPO is asked about (refused if unknown or decided)."""
        from airflow.sdk.exceptions import AirflowFailException

        from tranquillite.ingestion.governance import change
        from tranquillite.warehouse import connect, ensure_migrated

        change_id = int((params or {})["change_id"])
        with connect(COMPLIANCE_CONN_ID) as conn:
            ensure_migrated(conn)
            found = change(conn, change_id)
        if found is None or found["status"] != "pending":
            raise AirflowFailException(f"schema change {change_id} is {found['status'] if found else 'unknown'}")
        return {k: found[k] for k in ("change_id", "source", "signature", "held_records")}

    decide = DpoDecisionOperator(
        task_id="decide",
        subject="Schema change {{ params.change_id }}: approve?",
        body=(
            "Source **{{ ti.xcom_pull(task_ids='describe')['source'] }}** sends a change in the nature of"
            " its data: `{{ ti.xcom_pull(task_ids='describe')['signature'] }}`"
            " ({{ ti.xcom_pull(task_ids='describe')['held_records'] }} record(s) held in quarantine).\n\n"
            "Approving lets the gate accept it from now on and replays the held records; rejecting keeps"
            " them out. Give the impact study's reference."
        ),
        params={
            # checked when recorded (3 characters at least): a bound here would fail the step before it asks
            "impact_study_ref": Param("", type="string", title="Impact study reference"),
            "comment": Param("", type="string", title="Comment"),
        },
    )

    @task
    def record_decision(described: dict, ti=None) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from tranquillite.ingestion.governance import ApprovalRefusedError, decide
        from tranquillite.warehouse import connect

        answer = ti.xcom_pull(task_ids="decide") or {}
        user = (answer.get("responded_by_user") or {}).get("name")
        inputs = answer.get("params_input") or {}
        try:
            with connect(COMPLIANCE_CONN_ID) as conn:
                return decide(
                    conn,
                    int(described["change_id"]),
                    approve="Approve" in (answer.get("chosen_options") or []),
                    decided_by=user,
                    impact_study_ref=str(inputs.get("impact_study_ref") or ""),
                    comment=inputs.get("comment") or None,
                )
        except ApprovalRefusedError as exc:
            raise AirflowFailException(str(exc)) from exc

    @task
    def replay_held_records(decision: dict, dag_run=None) -> dict:
        from airflow.sdk.exceptions import AirflowSkipException

        from tranquillite.ingestion.run import replay

        if decision["status"] != "approved":
            raise AirflowSkipException("rejected: the held records stay in quarantine")
        source = decision["source"]
        result = replay(source, dag_id=dag_run.dag_id if dag_run else None, run_id=dag_run.run_id if dag_run else None)
        return {**result.as_dict(), "source": source}

    @task(outlets=[REPLAYED_RAW])
    def announce_new_data(summary: dict, outlet_events=None) -> None:
        """The replayed source's Asset (through the alias), which triggers warehouse_build."""
        from airflow.sdk.exceptions import AirflowSkipException

        if summary["new_rows"] == 0:
            raise AirflowSkipException("no record loaded by the replay")
        outlet_events[REPLAYED_RAW].add(raw_asset(summary["source"]))

    described = describe()
    decision = record_decision(described)
    described >> decide >> decision
    announce_new_data(replay_held_records(decision))


schema_change_approval()
