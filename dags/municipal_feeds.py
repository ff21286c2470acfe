"""One ingestion DAG per municipal feed, generated from feeds/<source>.yml.

Airflow's dynamic DAG generation with embedded meta-data: `make feeds` writes the
YAML files into `tranquillite.feeds.registry` (a Python literal), so parsing this
file reads no file, no database and no network. Adding a feed of a known
transport is a YAML file, its JSON Schema, its GX suite and a dbt staging model.
"""

from __future__ import annotations

from airflow.sdk import dag, task

from tranquillite.assets import feed_asset
from tranquillite.dag_policy import DEFAULT_ARGS, START_DATE, ingestion_params, tags
from tranquillite.feeds.registry import FEEDS
from tranquillite.ingestion.dpo_tasks import ask_the_dpo
from tranquillite.ingestion.naming import ingest_dag_id

DOC = """
### {dag_id}

**{title}** ({transport}, connection `{connection}`): {description}

- Data agreement: `{convention_id}` ({agreement}), raw retention {retention_days} days.
- Every record passes the gate (`feeds/{schema}`, geometry, personal data) and the
  batch is validated by Great Expectations (`expectations/{source}.json`) before it
  reaches `raw.feed_records`. received = loaded + quarantined, for every batch.
- Emits the Asset `raw.feed_records.{source}` when something changed, which
  triggers `warehouse_build`.
- A field the schema does not know, a value outside an enumeration or a type change is
  held as schema drift; the DPO is e-mailed and one `schema_change_approval` run per
  change asks for the decision, as for Cortège.
- Params: `updated_since` re-asks an API feed from an instant; `full_refresh` asks
  for everything again (files already delivered included, no If-None-Match).
"""


def build(source: str, spec: dict):
    @dag(
        dag_id=ingest_dag_id(source),
        schedule=spec["schedule"],
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=tags("ingestion", "source:municipal", f"source:{source}", "layer:raw"),
        doc_md=DOC.format(
            dag_id=ingest_dag_id(source),
            title=spec.get("title", source),
            transport=spec["transport"],
            connection=spec["connection"],
            description=spec.get("description", "").strip(),
            convention_id=spec["agreement"]["convention_id"],
            agreement=spec["agreement"].get("name", ""),
            retention_days=spec["agreement"].get("retention_days", 30),
            schema=spec["schema"],
            source=source,
        ),
        params=ingestion_params(
            since="API feeds: re-ingest every record modified at or after this instant.",
            everything="Ignore the high-water mark, the files already delivered, the ETag. Nothing loads twice.",
        ),
    )
    def feed_dag():
        @task
        def pull_and_land(params: dict | None = None, dag_run=None) -> dict:
            from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

            from tranquillite.compliance.conventions import IngestionRefusedError
            from tranquillite.contract import parse_datetime
            from tranquillite.feeds.ingest import ingest_feed
            from tranquillite.feeds.transports import FeedError
            from tranquillite.http_retry import HttpAuthError, HttpRequestError

            params = params or {}
            since = parse_datetime(params["updated_since"]) if params.get("updated_since") else None
            try:
                result = ingest_feed(
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
            except (HttpAuthError, HttpRequestError, FeedError) as exc:
                # retrying cannot fix refused credentials, a refused request or an unreadable file
                raise AirflowFailException(str(exc)) from exc
            return result.as_dict()

        @task
        def check_balance(summary: dict) -> dict:
            from airflow.sdk import get_current_context

            from tranquillite.ingest_checks import check_batch_and_alert

            return check_batch_and_alert(get_current_context(), summary["batch_id"], source, source)

        @task(outlets=[feed_asset(source)])
        def announce_new_data(summary: dict) -> None:
            from airflow.sdk.exceptions import AirflowSkipException

            if not summary["changed"]:
                raise AirflowSkipException("nothing new or replaced: the warehouse build is not triggered")

        summary = pull_and_land()
        check_balance(summary) >> announce_new_data(summary)
        ask_the_dpo(summary)

    return feed_dag()


for _source, _spec in FEEDS.items():
    globals()[ingest_dag_id(_source)] = build(_source, _spec)
