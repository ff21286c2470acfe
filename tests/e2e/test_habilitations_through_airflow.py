"""The habilitation forms and the sync, run by real Airflow (`make dag`), then a real login.

`airflow dags test` names the triggering user `dag_test`: here it stands for the
Deputy Director General for Security (TRQ_HABILITATION_GRANTORS).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.conftest import PG_PORT, TEST_DB, TLS, _superuser
from tests.e2e import helpers

pytestmark = pytest.mark.slow


def test_grant_sync_login_revoke(warehouse_url: str, tmp_path: Path) -> None:
    env = {"TRQ_HABILITATION_GRANTORS": "dag_test", "TRQ_HABILITATION_SECRETS": str(tmp_path)}
    until = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    person = f"Agent Bout En Bout {os.getpid()}"
    try:
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
    finally:
        with psycopg.connect(warehouse_url, autocommit=True) as owner:
            made = [r[0] for r in owner.execute("delete from access.habilitations returning login")]
        with _superuser() as su:
            for name in made:
                su.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(name)))
