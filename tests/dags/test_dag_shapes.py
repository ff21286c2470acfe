"""What each DAG is made of: the parameters, Assets and tasks its users rely on."""

from __future__ import annotations


def test_cortege_ingest_shape(dagbag) -> None:
    dag = dagbag.dags["cortege_ingest"]
    assert {"updated_since", "full_refresh"} <= set(dag.params.keys())
    announce = dag.get_task("announce_new_data")
    assert [o.name for o in announce.outlets] == ["raw.cortege_entries"]


def test_warehouse_build_runs_on_the_ingestion_assets(dagbag) -> None:
    from tranquillite.airflow.assets import CORTEGE_RAW

    dag = dagbag.dags["warehouse_build"]
    condition = dag.timetable.asset_condition
    # any one source's new data triggers a build
    assert type(condition).__name__ == "AssetAny" and CORTEGE_RAW in condition.objects
    # one task per model: `dbt build` of the model and its tests (TestBehavior.BUILD)
    models = {t.task_id.split(".")[1].removesuffix("_model_build") for t in dag.tasks if t.task_id.startswith("dbt.")}
    assert {"fct_events", "stg_cortege__entry_versions", "stg_travaux_voirie__work_sites"} <= models
    assert [t.task_id for t in dag.tasks if t.task_id.startswith("geocode")] == ["geocode_addresses"]


def test_every_ingestion_dag_comes_from_the_one_factory(dagbag) -> None:
    """Cortège's and each feed's DAG: the same tasks, the source's own Asset, one run at a
    time, and the DPO asked about the drift they hold."""
    from tranquillite.airflow.assets import raw_asset
    from tranquillite.ingestion.naming import ingest_dag_id
    from tranquillite.sources.feeds.registry import FEEDS

    for source in ["cortege", *FEEDS]:
        dag = dagbag.dags[ingest_dag_id(source)]
        assert {t.task_id for t in dag.tasks} == {
            "pull_and_land",
            "check_balance",
            "announce_new_data",
            "notify_dpo",
            "dpo_requests",
            "ask_dpo",
        }, source
        assert dag.get_task("announce_new_data").outlets == [raw_asset(source)], source
        assert dag.max_active_runs == 1 and {"updated_since", "full_refresh"} <= set(dag.params.keys())
        assert dag.get_task("ask_dpo").partial_kwargs["trigger_dag_id"] == "schema_change_approval"
        assert f"source:{source}" in dag.tags
