"""
### schema_change_approval

The DPO's decision on a change in the nature of the data (convention, article 3):
a new field, or a new value of an enumeration, seen at the gate and listed in
`governance.schema_changes`. Trigger it with the form: the change id, the
decision, who decides and the impact study's reference.

On approval, the gate accepts the change from then on, and the records held for
it are replayed from quarantine through the whole gate (contract, personal data,
Great Expectations) into `raw`: nothing is lost. Every decision is kept in the
append-only `governance.schema_change_log`. A type change or a new kind of entry
cannot be approved here: it needs a new version of the contract and the models.
"""

from __future__ import annotations

from airflow.sdk import Param, dag, task

from tranquillite.assets import CORTEGE_RAW
from tranquillite.dag_policy import DEFAULT_ARGS, ROLE_DPO, START_DATE, access_control, tags
from tranquillite.settings import COMPLIANCE_CONN_ID


@dag(
    dag_id="schema_change_approval",
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args={**DEFAULT_ARGS, "retries": 1},
    tags=tags("governance", "source:cortege"),
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
        "decision": Param("approve", type="string", enum=["approve", "reject"], title="Decision"),
        "decided_by": Param(
            "", type="string", minLength=3, title="Decided by", description="The DPO recording the decision."
        ),
        "impact_study_ref": Param("", type="string", minLength=3, title="Impact study reference"),
        "comment": Param(None, type=["null", "string"], title="Comment"),
    },
)
def schema_change_approval():
    @task
    def record_decision(params: dict | None = None, dag_run=None) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from tranquillite.governance import ApprovalRefusedError, decide
        from tranquillite.warehouse import connect, ensure_migrated

        params = params or {}
        actor = getattr(dag_run, "triggering_user_name", None) if dag_run else None
        try:
            with connect(COMPLIANCE_CONN_ID) as conn:
                ensure_migrated(conn)
                return decide(
                    conn,
                    int(params["change_id"]),
                    approve=params["decision"] == "approve",
                    decided_by=params["decided_by"],
                    impact_study_ref=params["impact_study_ref"],
                    comment=params.get("comment"),
                    actor=actor,
                )
        except ApprovalRefusedError as exc:
            raise AirflowFailException(str(exc)) from exc

    @task
    def replay_held_records(decision: dict, dag_run=None) -> dict:
        from airflow.sdk.exceptions import AirflowSkipException

        from tranquillite.ingest_cortege import replay_held

        if decision["status"] != "approved":
            raise AirflowSkipException("rejected: the held records stay in quarantine")
        return replay_held(
            dag_id=dag_run.dag_id if dag_run else None, run_id=dag_run.run_id if dag_run else None
        ).as_dict()

    @task(outlets=[CORTEGE_RAW])
    def announce_new_data(summary: dict) -> None:
        from airflow.sdk.exceptions import AirflowSkipException

        if summary["new_rows"] == 0:
            raise AirflowSkipException("no record loaded by the replay")

    announce_new_data(replay_held_records(record_decision()))


schema_change_approval()
