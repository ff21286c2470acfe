"""The habilitation forms and the sync, run by real Airflow (`make dag`), then a real login.

`airflow dags test` names the triggering user `dag_test`: here it stands for the
Deputy Director General for Security (TRQ_HABILITATION_GRANTORS).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.conftest import PG_PORT, TEST_DB, TLS, _superuser
from tests.e2e import helpers

pytestmark = pytest.mark.slow


@pytest.fixture
def dag_test_grantor(warehouse_url: str) -> Iterator[None]:
    """`dag_test` registered as a grantor, as set-up would from TRQ_HABILITATION_GRANTORS;
    the habilitations made are forgotten afterwards."""
    with psycopg.connect(warehouse_url, autocommit=True) as owner:
        owner.execute("insert into access.grantors values ('dag_test') on conflict do nothing")
    yield
    _forget_habilitations(warehouse_url)
    with psycopg.connect(warehouse_url, autocommit=True) as owner:
        owner.execute("delete from access.grantors where login = 'dag_test'")


@pytest.mark.usefixtures("dag_test_grantor")
def test_grant_sync_login_revoke(warehouse_url: str, tmp_path: Path) -> None:
    env = {"TRQ_HABILITATION_GRANTORS": "dag_test", "TRQ_HABILITATION_SECRETS": str(tmp_path)}
    until = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    person = f"Agent Bout En Bout {os.getpid()}"
    helpers.make_dag(
        "habilitation_grant",
        env,
        {"person_name": person, "organisation": "ville", "valid_to": until, "reason": "cellule de veille"},
    )
    with psycopg.connect(warehouse_url) as owner:
        login, granted_by = owner.execute(
            "select login, granted_by from access.habilitations where person_name = %s", (person,)
        ).fetchone()
    assert granted_by == "dag_test"
    helpers.make_dag("habilitations_sync", env)
    url = f"postgresql://{login}:{(tmp_path / login).read_text().strip()}@127.0.0.1:{PG_PORT}/{TEST_DB}"
    with psycopg.connect(url, **TLS) as conn:
        assert conn.execute("select current_user").fetchone()[0] == login
        assert conn.execute("select pg_has_role(current_user, 'trq_city_staff', 'member')").fetchone()[0]

    helpers.make_dag("habilitation_revoke", env, {"login": login, "reason": "fin de mission"})
    helpers.make_dag("habilitations_sync", env)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, **TLS).close()

    # someone who is not a grantor is refused, and the run does not retry
    refused = helpers.run_dag(
        "habilitation_grant",
        {**env, "TRQ_HABILITATION_GRANTORS": "dga_securite"},
        {"person_name": f"{person} bis", "organisation": "ville", "valid_to": until, "reason": "essai"},
    )
    output = refused.stdout + refused.stderr
    assert "may not habilitate" in output and "state=success" not in output
    with psycopg.connect(warehouse_url) as owner:
        events = [
            r[0]
            for r in owner.execute(
                "select event from access.habilitation_log where login = %s order by event_id", (login,)
            )
        ]
    assert events == ["granted", "login_enabled", "revoked", "login_disabled"]


def _forget_habilitations(warehouse_url: str) -> None:
    with psycopg.connect(warehouse_url, autocommit=True) as owner:
        made = [r[0] for r in owner.execute("delete from access.habilitations returning login")]
    with _superuser() as su:
        for name in made:
            su.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(name)))


@pytest.mark.usefixtures("dag_test_grantor")
def test_prefecture_person_waits_for_a_prefecture_validator(warehouse_url: str, tmp_path: Path, api: dict) -> None:
    """The grant of a prefecture person starts the validation; only a prefecture validator's
    login may answer it, and the warehouse records it under that login; then the login opens."""
    validator = api["users"]["validator"]
    env = {
        "TRQ_HABILITATION_GRANTORS": "dag_test",
        "TRQ_PREFECTURE_VALIDATORS": validator,
        "TRQ_HABILITATION_SECRETS": str(tmp_path),
    }
    with psycopg.connect(warehouse_url, autocommit=True) as owner:
        # what set-up registers from the setting above
        owner.execute("insert into access.prefecture_validators values (%s) on conflict do nothing", (validator,))
    until = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    person = f"Agent Prefecture {os.getpid()}"
    try:
        helpers.make_dag(
            "habilitation_grant",
            env,
            {"person_name": person, "organisation": "prefecture", "valid_to": until, "reason": "salle de commandement"},
        )
        with psycopg.connect(warehouse_url) as owner:
            (login,) = owner.execute("select login from access.habilitations where person_name = %s", (person,))
            login = login[0]
        engineer, officer, answering = (helpers.api_session(api, who) for who in ("engineer", "officer", "validator"))
        # the grant asked the prefecture: a run of the validation waits for the scheduler
        asked = engineer.get(
            f"{api['base']}/api/v2/dags/habilitation_prefecture_validation/dagRuns/validation__{login}", timeout=30
        )
        assert asked.status_code == 200 and asked.json()["conf"]["login"] == login, asked.text

        run = helpers.start_dag("habilitation_prefecture_validation", env, {"login": login})
        try:
            url = helpers.wait_for_hitl(answering, api, "habilitation_prefecture_validation", "validate", run)
            given = {"chosen_options": ["Validate"], "params_input": {"reference": "LISTE-PP-2026-12"}}
            helpers.answer(run, url, given, by=answering, refused=(officer, engineer))
        finally:
            if run.poll() is None:
                run.kill()
        with psycopg.connect(warehouse_url) as owner:
            validated = owner.execute(
                "select validated_by, validated_reference, in_force from access.habilitations_in_force"
                " where login = %s",
                (login,),
            ).fetchone()
        assert validated == (validator, "LISTE-PP-2026-12", True)
        helpers.make_dag("habilitations_sync", env)
        url = f"postgresql://{login}:{(tmp_path / login).read_text().strip()}@127.0.0.1:{PG_PORT}/{TEST_DB}"
        with psycopg.connect(url, **TLS) as conn:
            assert conn.execute("select pg_has_role(current_user, 'trq_prefecture', 'member')").fetchone()[0]
    finally:
        with psycopg.connect(warehouse_url, autocommit=True) as owner:
            owner.execute("delete from access.prefecture_validators where login = %s", (validator,))
