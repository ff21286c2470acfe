"""
### warehouse_build

Builds the dbt project (staging → intermediate → marts) with Cosmos, one Airflow
task per model and its tests, whenever an ingestion DAG announces new raw data
(Assets). First asks the geocoder for the addresses that came without
coordinates (a geocoder that is down only leaves them pending), and loads the
administrative zones of TRQ_ZONES_GEOJSON when one is configured. Ends by writing
the dbt docs to `.local/dbt/docs`.
"""

from __future__ import annotations

from airflow.sdk import AssetAny, dag, task
from cosmos import DbtTaskGroup

from tranquillite.airflow import dbt_render
from tranquillite.airflow.assets import INGESTION_ASSETS, MARTS
from tranquillite.airflow.policy import DEFAULT_ARGS, START_DATE, tags


@dag(
    dag_id="warehouse_build",
    schedule=AssetAny(*INGESTION_ASSETS),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=tags("transformation", "layer:marts"),
    doc_md=__doc__,
)
def warehouse_build():
    @task
    def geocode_addresses() -> dict:
        from tranquillite.geo.geocoding import geocode_pending

        return geocode_pending().as_dict()

    @task
    def load_admin_zones() -> dict:
        from tranquillite.geo.zones import load_admin_boundaries

        return load_admin_boundaries().as_dict()

    dbt = DbtTaskGroup(
        group_id="dbt",
        project_config=dbt_render.project_config(),
        profile_config=dbt_render.profile_config(),
        execution_config=dbt_render.execution_config(),
        render_config=dbt_render.render_config(),
        operator_args={"install_deps": False},
        default_args=DEFAULT_ARGS,
    )

    @task(outlets=[MARTS])
    def generate_docs() -> str:
        from tranquillite.core.dbt_cli import generate_docs as run_docs

        return run_docs()

    [geocode_addresses(), load_admin_zones()] >> dbt >> generate_docs()


warehouse_build()
