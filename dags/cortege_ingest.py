"""
### cortege_ingest

Pulls the Cortège export API (connection `cortege`: host = base URL, password =
bearer token) into `raw.cortege_entries`, every five minutes.

- Incremental: from the high-water mark in `ops.watermarks`, minus a lookback.
  Params let a run ask from a given date (backfill) or from the beginning.
- Every entry passes the gate (contract, semantics, geometry); what fails goes to
  `quarantine.records` with a reason code. received = loaded + quarantined,
  checked for every batch (`ops.ingest_batches`).
- The whole batch is then validated by Great Expectations inside PostgreSQL
  (`expectations/cortege_entries.json`) before it is promoted to `raw`.
- Records that change the nature of the data (schema drift) are held; the DPO
  is e-mailed (connection `dpo_smtp`), and one `schema_change_approval` run per
  change is started: it waits in the DPO's Required actions for the decision.
- Emits the `raw.cortege_entries` Asset only when new rows landed, which
  triggers `warehouse_build`.
"""

from __future__ import annotations

from airflow.sdk import dag, task

from tranquillite.assets import CORTEGE_RAW
from tranquillite.dag_policy import DEFAULT_ARGS, START_DATE, ingestion_params, tags
from tranquillite.ingestion.dpo_tasks import ask_the_dpo
from tranquillite.ingestion.naming import ingest_dag_id


@dag(
    dag_id=ingest_dag_id("cortege"),
    schedule="*/5 * * * *",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=tags("ingestion", "source:cortege", "layer:raw"),
    doc_md=__doc__,
    # No DeadlineAlert yet: in Airflow 3.3.2 `airflow dags test` (make dag) exits non-zero for
    # any DAG with a deadline (apache/airflow#73428). A stuck pull is still seen by
    # source_freshness (silence) and by the failure notifiers (retries exhausted).
    params=ingestion_params(
        since="Re-ingest every entry updated at or after this instant. Empty: from the high-water mark.",
        everything="Ask for every entry, ignoring the high-water mark. Nothing is loaded twice.",
    ),
)
def cortege_ingest():
    @task
    def pull_and_land(params: dict | None = None, dag_run=None) -> dict:
        from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

        from tranquillite.compliance.conventions import IngestionRefusedError
        from tranquillite.contract import parse_datetime
        from tranquillite.cortege_client import CortegeAuthError, CortegeRequestError
        from tranquillite.ingest_cortege import ingest_cortege

        params = params or {}
        since = parse_datetime(params["updated_since"]) if params.get("updated_since") else None
        try:
            result = ingest_cortege(
                updated_since=since,
                full_refresh=bool(params.get("full_refresh")),
                dag_id=dag_run.dag_id if dag_run else None,
                run_id=dag_run.run_id if dag_run else None,
                task_id="pull_and_land",
            )
        except IngestionRefusedError as exc:
            # the agreement has ended (convention, art. 9): the pull is refused, not retried
            raise AirflowSkipException(str(exc)) from exc
        except (CortegeAuthError, CortegeRequestError) as exc:
            # retrying cannot fix a refused token or a refused parameter
            raise AirflowFailException(str(exc)) from exc
        return result.as_dict()

    @task
    def check_balance(summary: dict) -> dict:
        """Recount the batch from the warehouse: the ledger must match the tables. Alert
        when the batch quarantined more than usual."""
        from airflow.sdk import get_current_context

        from tranquillite.ingest_checks import check_batch_and_alert

        return check_batch_and_alert(get_current_context(), summary["batch_id"], "cortege", "Cortège")

    @task(outlets=[CORTEGE_RAW])
    def announce_new_data(summary: dict) -> None:
        from airflow.sdk.exceptions import AirflowSkipException

        if summary["new_rows"] == 0:
            raise AirflowSkipException("no new entry version: the warehouse build is not triggered")

    summary = pull_and_land()
    check_balance(summary) >> announce_new_data(summary)
    ask_the_dpo(summary)


cortege_ingest()
