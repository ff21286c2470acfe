"""The tasks every ingestion DAG ends with when its gate held a change in the nature of the
data (convention, art. 3): the DPO is told, and one `schema_change_approval` run per change
asks for the decision. One definition for every source, so that a feed's drift reaches the
DPO exactly as Cortège's does."""

from __future__ import annotations

from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk import task


def ask_the_dpo(after) -> None:
    """Add, downstream of `after` (the pull's task), the notice to the DPO and one decision
    run per change notified (never twice: the run id is the change's)."""

    @task
    def notify_dpo() -> list[int]:
        """Tell the DPO about changes in the nature of the data seen at the gate."""
        from airflow.sdk import get_current_context

        from tranquillite.airflow.notify import notify_dpo_of_schema_changes

        return notify_dpo_of_schema_changes(get_current_context())

    @task
    def dpo_requests(change_ids: list[int]) -> list[dict]:
        """One decision asked of the DPO per change notified."""
        return [{"conf": {"change_id": i}, "trigger_run_id": f"schema_change__{i}"} for i in change_ids]

    notified = notify_dpo()
    after >> notified
    TriggerDagRunOperator.partial(
        task_id="ask_dpo", trigger_dag_id="schema_change_approval", skip_when_already_exists=True
    ).expand_kwargs(dpo_requests(notified))
