"""
### address_geocoding

Asks the BAN geocoder (connection `geocoder`, addok API) for the addresses that
came without coordinates and are not in `geo.geocoder_cache` yet: those left
pending while the geocoder was down. `warehouse_build` geocodes before each build
too; this DAG makes sure a recovered geocoder is used even when no new data
arrives. Emits `geo.geocoder_cache` when it located something, which triggers a
warehouse build.
"""

from __future__ import annotations

from airflow.sdk import dag, task

from tranquillite.airflow.assets import GEOCODER_CACHE
from tranquillite.airflow.policy import DEFAULT_ARGS, START_DATE, tags


@dag(
    dag_id="address_geocoding",
    schedule="35 * * * *",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=tags("geocoding", "operations"),
    doc_md=__doc__,
)
def address_geocoding():
    @task
    def geocode_pending() -> dict:
        from tranquillite.geo.geocoding import geocode_pending as run

        return run().as_dict()

    @task(outlets=[GEOCODER_CACHE])
    def announce_geocoded(result: dict) -> None:
        from airflow.sdk.exceptions import AirflowSkipException

        if result["asked"] == 0:
            raise AirflowSkipException("no address newly answered: no rebuild")

    announce_geocoded(geocode_pending())


address_geocoding()
