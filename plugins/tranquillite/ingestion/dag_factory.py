"""Every ingestion DAG, Cortège's and each municipal feed's, from one definition: pull and
land through the gate, recount the batch, announce the source's Asset when something
changed, and ask the DPO about any change in the nature of the data it held. A source
differs only by its name, schedule, documentation and tags."""

from __future__ import annotations

from dataclasses import dataclass

from airflow.sdk import dag, task

from tranquillite.airflow.assets import raw_asset
from tranquillite.airflow.policy import DEFAULT_ARGS, START_DATE, ingestion_params, tags
from tranquillite.ingestion.dpo_tasks import ask_the_dpo
from tranquillite.ingestion.naming import ingest_dag_id


@dataclass(frozen=True)
class IngestionDag:
    source: str
    label: str  # how alerts name the source
    schedule: str
    doc_md: str
    tags: tuple[str, ...]
    since_help: str
    everything_help: str


def ingestion_dag(spec: IngestionDag):
    source = spec.source

    @dag(
        dag_id=ingest_dag_id(source),
        schedule=spec.schedule,
        start_date=START_DATE,
        catchup=False,
        # one run at a time; the warehouse's lock holds the same under make dag (ingestion.lock)
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=tags("ingestion", *spec.tags, "layer:raw"),
        doc_md=spec.doc_md,
        # No DeadlineAlert: in Airflow 3.3 `airflow dags test` (make dag) exits non-zero for any
        # DAG with a deadline (apache/airflow#73428). A stuck pull is still seen by
        # source_freshness (silence) and by the failure notifiers (retries exhausted).
        params=ingestion_params(since=spec.since_help, everything=spec.everything_help),
    )
    def ingestion():
        @task
        def pull_and_land(params: dict | None = None, dag_run=None) -> dict:
            from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

            from tranquillite.compliance.conventions import IngestionRefusedError
            from tranquillite.ingestion.contract import parse_datetime
            from tranquillite.ingestion.run import ingest, not_retried

            params = params or {}
            since = parse_datetime(params["updated_since"]) if params.get("updated_since") else None
            try:
                result = ingest(
                    source,
                    updated_since=since,
                    full_refresh=bool(params.get("full_refresh")),
                    dag_id=dag_run.dag_id if dag_run else None,
                    run_id=dag_run.run_id if dag_run else None,
                    task_id="pull_and_land",
                )
            except IngestionRefusedError as exc:
                # the agreement has ended (convention, art. 9): the pull is refused, not retried
                raise AirflowSkipException(str(exc)) from exc
            except not_retried() as exc:
                raise AirflowFailException(str(exc)) from exc
            return result.as_dict()

        @task
        def check_balance(summary: dict) -> dict:
            """Recount the batch from the warehouse: the ledger must match the tables. Alert
            when the batch quarantined more than usual."""
            from airflow.sdk import get_current_context

            from tranquillite.ingestion.checks import check_batch_and_alert

            return check_batch_and_alert(get_current_context(), summary["batch_id"], source, spec.label)

        @task(outlets=[raw_asset(source)])
        def announce_new_data(summary: dict) -> None:
            """The source's Asset, which triggers warehouse_build, only when something changed."""
            from airflow.sdk.exceptions import AirflowSkipException

            if not summary["changed"]:
                raise AirflowSkipException("nothing new or replaced: the warehouse build is not triggered")

        summary = pull_and_land()
        check_balance(summary) >> announce_new_data(summary)
        ask_the_dpo(summary)

    return ingestion()
