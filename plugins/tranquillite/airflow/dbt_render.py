"""Cosmos configuration for the dbt project, shared by the DAGs that run dbt.

Rendered from the manifest that `dbt parse` writes at set-up (LoadMode.DBT_MANIFEST):
no `dbt ls` at parse time. The profile comes from the `warehouse_transformer`
connection: dbt runs as the role that owns staging, intermediate and marts.
"""

from __future__ import annotations

from cosmos import ExecutionConfig, LoadMode, ProfileConfig, ProjectConfig, RenderConfig, TestBehavior
from cosmos.constants import ExecutionMode, InvocationMode, SourceRenderingBehavior
from cosmos.profiles import PostgresUserPasswordProfileMapping

from tranquillite.core.settings import DBT_PROJECT_DIR, TRANSFORMER_CONN_ID

# Written only by `dbt parse` at set-up. DBT_TARGET_PATH must not be set for the
# workers: each Cosmos task would then write its own manifest here, concurrently.
MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"


def project_config() -> ProjectConfig:
    if not MANIFEST.exists():
        raise FileNotFoundError(f"dbt manifest missing at {MANIFEST}: run `make setup` (it runs `dbt parse`)")
    return ProjectConfig(dbt_project_path=DBT_PROJECT_DIR, manifest_path=MANIFEST, project_name="tranquillite")


def profile_config() -> ProfileConfig:
    return ProfileConfig(
        profile_name="tranquillite",
        target_name="airflow",
        profile_mapping=PostgresUserPasswordProfileMapping(
            conn_id=TRANSFORMER_CONN_ID, profile_args={"schema": "analytics", "threads": 2}
        ),
    )


def render_config(**kwargs) -> RenderConfig:
    # sources with a freshness rule become tasks that run `dbt source freshness` first; each
    # model is one task, `dbt build` of the model then its tests (half the dbt invocations
    # of a run task and a test task, and a failing test still stops what depends on it).
    # A test between two models (relationships) gets its own task after both: inside
    # the first model's `dbt build` it would query a table not built yet.
    return RenderConfig(
        load_method=LoadMode.DBT_MANIFEST,
        test_behavior=TestBehavior.BUILD,
        should_detach_multiple_parents_tests=True,
        source_rendering_behavior=SourceRenderingBehavior.WITH_TESTS_OR_FRESHNESS,
        **kwargs,
    )


def execution_config() -> ExecutionConfig:
    return ExecutionConfig(execution_mode=ExecutionMode.LOCAL, invocation_mode=InvocationMode.DBT_RUNNER)
