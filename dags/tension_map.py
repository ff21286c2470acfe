"""
### tension_map

Writes the tension map after each warehouse build (Asset `marts.fct_events`):
the current and upcoming events, the hot and cold zones of the current week
(marts.fct_tension_zones) and the conflicts under way or to come
(marts.fct_event_conflicts), as a self-contained HTML page (Leaflet inlined) and
one GeoJSON file per layer, in TRQ_MAP_DIR (default `.local/map`).

Trigger it by hand with **as_of** to draw the map as it stood at another moment.
"""

from __future__ import annotations

from airflow.sdk import Param, dag, task

from tranquillite.airflow.assets import MARTS, TENSION_MAP
from tranquillite.airflow.policy import DEFAULT_ARGS, START_DATE, tags


@dag(
    dag_id="tension_map",
    schedule=[MARTS],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=tags("tension", "layer:marts"),
    doc_md=__doc__,
    params={
        "as_of": Param(
            None,
            type=["null", "string"],
            format="date-time",
            title="Draw the map as of (RFC 3339)",
            description="Empty: now. Events still to come and conflicts not over at that instant, its week's zones.",
        ),
    },
)
def tension_map():
    @task(outlets=[TENSION_MAP])
    def write_map(params: dict | None = None) -> dict:
        from datetime import datetime

        from tranquillite.tension.map import write_map as write

        as_of = (params or {}).get("as_of")
        return write(datetime.fromisoformat(as_of) if as_of else None).as_dict()

    write_map()


tension_map()
