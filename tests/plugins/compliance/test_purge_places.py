"""The places outside the warehouse that a purge cleans and checks (issue 18, fault 6): the
feeds' own DAGs, `make run`'s logs, and Airflow's XComs, whose check fails when it cannot run."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tranquillite.compliance import purge
from tranquillite.sources.feeds.registry import FEEDS

OPEN_DATA = "LO2-OPENDATA-VDM"
DAGS_DIR = Path(__file__).resolve().parents[3] / "dags"


@pytest.fixture(scope="module")
def dag_ids() -> set[str]:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_DIR))
    assert bag.import_errors == {}
    return set(bag.dag_ids)


@pytest.fixture
def places(purge_places: Path) -> Path:
    return purge_places


def scope_of(convention_id: str, sources: list[str], samples: list[str]) -> purge.Scope:
    scope = purge.Scope(convention_id, sources, [], [])
    scope.samples = samples
    return scope


def test_the_purge_names_the_dags_that_really_pull_each_source(dag_ids: set[str]) -> None:
    scope = scope_of(OPEN_DATA, ["evenements_espace_public", "travaux_voirie"], [])
    named = purge.ingest_dag_ids(scope)
    assert len(named) == 2 and set(named) <= dag_ids, named
    every = purge.ingest_dag_ids(scope_of("all", ["cortege", *FEEDS], []))
    assert set(every) <= dag_ids and len(every) == 1 + len(FEEDS)


def test_task_logs_of_a_feed_dag_and_make_runs_logs_are_destroyed_and_checked(places: Path) -> None:
    sample = "valeur-distinctive-de-l-accord-0042"
    scope = scope_of(OPEN_DATA, ["travaux_voirie"], [sample])
    feed_logs = places / "logs" / "dag_id=travaux_voirie_ingest" / "run_id=manual" / "task_id=pull"
    feed_logs.mkdir(parents=True)
    (feed_logs / "attempt=1.log").write_text("counts only\n")
    other = places / "logs" / "dag_id=warehouse_build"
    other.mkdir(parents=True)
    (other / "attempt=1.log").write_text("nothing of the agreement\n")
    run_logs = places / "run-logs"
    run_logs.mkdir()
    (run_logs / "run-travaux_voirie_ingest.log").write_text("counts only\n")
    (run_logs / "run-warehouse_build.log").write_text(f"a copy: {sample}\n")
    (run_logs / "run-cortege_ingest.log").write_text("another agreement's run\n")

    assert run_logs in purge.written_places()
    flagged = {c.place for c in purge.verify_files(scope) if not c.passed}
    assert str(run_logs / "run-warehouse_build.log") in flagged

    purge.destroy_task_logs(scope)
    assert not (places / "logs" / "dag_id=travaux_voirie_ingest").exists()
    assert (other / "attempt=1.log").exists()
    assert sorted(p.name for p in run_logs.iterdir()) == ["run-cortege_ingest.log"]
    assert all(c.passed for c in purge.verify_files(scope))


def test_an_xcom_check_that_cannot_run_fails_the_verification(
    monkeypatch: pytest.MonkeyPatch, places: Path, airflow_metadata: str
) -> None:
    scope = scope_of(OPEN_DATA, ["travaux_voirie"], ["valeur-distinctive-de-l-accord-0042"])
    monkeypatch.delenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN")
    [check] = purge.verify_xcoms(scope)
    assert not check.passed and "not checked" in check.detail
    # an unreachable database is not a pass either
    monkeypatch.setenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "postgresql+psycopg2://nobody:x@127.0.0.1:1/none")
    [check] = purge.verify_xcoms(scope)
    assert not check.passed and "not checked" in check.detail
    assert purge.destroy_xcoms(scope) == [], "an unreachable database stops nothing: the check says it"
    # the real metadata database, reachable and clean: the check passes
    monkeypatch.setenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", airflow_metadata)
    [check] = purge.verify_xcoms(scope)
    assert check.passed, check
    with psycopg.connect(purge.metadata_dsn()) as meta:
        assert meta.execute("select count(*) from xcom").fetchone()[0] == 0
