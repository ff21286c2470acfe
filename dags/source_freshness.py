"""
### source_freshness

Every 30 minutes: has Cortège sent anything new? During working hours
(`TRQ_WORKING_HOURS`, default `mon-fri 08:00-19:00`, Europe/Paris), a silence
longer than `TRQ_CORTEGE_SILENCE_MINUTES` (default 240) sends one alert per
episode (e-mail `ops_smtp` and webhook `ops_webhook`), kept in `ops.alerts`
and resolved when new data lands. Each municipal feed is watched the same way
on its own terms (`freshness` in `feeds/<source>.yml`: hours of silence, and
what counts: a delivered file, or a successful pull). dbt's own source freshness runs in every
`warehouse_build`.
"""

from __future__ import annotations

from airflow.sdk import dag, task

from tranquillite.airflow.policy import DEFAULT_ARGS, START_DATE, tags
from tranquillite.core.settings import LOADER_CONN_ID


@dag(
    dag_id="source_freshness",
    schedule="*/30 * * * *",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=tags("operations", "source:cortege", "source:municipal"),
    doc_md=__doc__,
)
def source_freshness():
    @task
    def check_cortege_silence() -> dict:
        from datetime import UTC, datetime

        from airflow.sdk import get_current_context

        from tranquillite.airflow.alerts import send_alert
        from tranquillite.ingestion.freshness import check_silence, settings
        from tranquillite.warehouse import connect, ensure_migrated

        hours, threshold = settings()
        with connect(LOADER_CONN_ID) as conn:
            ensure_migrated(conn)
            result = check_silence(conn, "cortege", datetime.now(UTC), hours, threshold)
        if result["alert"]:
            send_alert(
                get_current_context(),
                "source_silent",
                "Cortège silencieux",
                result["detail"],
                source="cortege",
                silent_minutes=result["silent_minutes"],
            )
        return result

    @task
    def check_feeds_silence() -> list[dict]:
        from datetime import UTC, datetime

        from airflow.sdk import get_current_context

        from tranquillite.airflow.alerts import send_alert
        from tranquillite.ingestion.freshness import check_silence, feed_watches, settings
        from tranquillite.warehouse import connect, ensure_migrated

        hours, _ = settings()
        results = []
        with connect(LOADER_CONN_ID) as conn:
            ensure_migrated(conn)
            for source, measure, threshold in feed_watches():
                results.append(check_silence(conn, source, datetime.now(UTC), hours, threshold, measure))
        for result in results:
            if result["alert"]:
                send_alert(
                    get_current_context(),
                    "source_silent",
                    f"{result['source']} silencieux",
                    result["detail"],
                    source=result["source"],
                    silent_minutes=result["silent_minutes"],
                )
        return results

    check_cortege_silence()
    check_feeds_silence()


source_freshness()
