"""
### Habilitations: who may consult the warehouse (convention, article 7)

Params forms, no SQL by hand. Each act goes to `access.habilitations` and the
append-only `access.habilitation_log`, then `habilitations_sync` makes the
database logins match the register.

- **habilitation_grant**: the City's Deputy Director General for Security (or a
  delegate in `TRQ_HABILITATION_GRANTORS`, the triggering Airflow user) habilitates
  a person of the City or of the prefecture, for at most one year.
- **habilitation_prefecture_validation**: started by the grant of a prefecture
  person. It waits in Airflow's *Required actions* for a prefecture validator
  (`TRQ_PREFECTURE_VALIDATORS`, role PrefectureValidator), who validates or refuses
  with the reference of the prefecture's list. The answer is recorded under that
  login, through the warehouse's `access.decide_validation`, which refuses any
  other: a prefecture person is in force only once validated.
- **habilitation_revoke**: ends a habilitation now.
- **habilitations_sync**: hourly and after every act. Opens the login of each
  habilitation in force (member of `trq_city_staff` or `trq_prefecture` only, valid
  until its end), closes every other login the project made and ends its sessions.
  Roles the project does not own are never touched. A new login's initial password
  is written to `TRQ_HABILITATION_SECRETS` for the security officer to hand over.
"""

from __future__ import annotations

from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk import Param, dag, task
from airflow.timetables.assets import AssetOrTimeSchedule
from airflow.timetables.trigger import CronTriggerTimetable

from tranquillite.airflow.assets import HABILITATIONS
from tranquillite.airflow.forms import act, actor
from tranquillite.airflow.policy import (
    DEFAULT_ARGS,
    ROLE_COMPLIANCE,
    ROLE_PREFECTURE_VALIDATOR,
    START_DATE,
    access_control,
    tags,
)
from tranquillite.compliance.operators import PrefectureValidationOperator
from tranquillite.core.settings import ACCESS_CONN_ID

COMMON = {
    "start_date": START_DATE,
    "catchup": False,
    "max_active_runs": 1,
    "default_args": {**DEFAULT_ARGS, "retries": 1},
    "tags": tags("compliance", "access"),
    "access_control": access_control(ROLE_COMPLIANCE),
    "doc_md": __doc__,
}


def _act(fn):
    """One act on the register, as the access_admin role; a refusal fails the run."""
    from tranquillite.access.habilitations import HabilitationError

    return act(ACCESS_CONN_ID, (HabilitationError,), fn)


@dag(
    dag_id="habilitation_grant",
    schedule=None,
    params={
        "person_name": Param("", type="string", minLength=2, maxLength=200, title="Person (name as on the list)"),
        "organisation": Param("ville", type="string", enum=["ville", "prefecture"], title="Organisation"),
        "valid_from": Param(None, type=["null", "string"], format="date", title="From (empty: now)"),
        "valid_to": Param("", type="string", format="date", title="Until (at most one year)"),
        "reason": Param("", type="string", minLength=5, title="Why this person needs to consult"),
    },
    **COMMON,
)
def habilitation_grant():
    @task(outlets=[HABILITATIONS])
    def grant(params: dict | None = None, dag_run=None) -> dict:
        from datetime import UTC, datetime

        from tranquillite.access.habilitations import grant, parse_moment

        p = params or {}
        return _act(
            lambda conn: grant(
                conn,
                person_name=p["person_name"],
                organisation=p["organisation"],
                valid_from=parse_moment(p.get("valid_from"), datetime.now(UTC)),
                valid_to=parse_moment(p["valid_to"]),
                reason=p["reason"],
                granted_by=actor(dag_run),
            )
        )

    @task.short_circuit
    def awaits_validation(granted: dict) -> bool:
        """A prefecture person waits for the prefecture; City staff are in force at once."""
        return bool(granted["awaiting_prefecture_validation"])

    granted = grant()
    ask = TriggerDagRunOperator(
        task_id="ask_prefecture",
        trigger_dag_id="habilitation_prefecture_validation",
        trigger_run_id="validation__{{ ti.xcom_pull(task_ids='grant')['login'] }}",
        conf={"login": "{{ ti.xcom_pull(task_ids='grant')['login'] }}"},
        skip_when_already_exists=True,
    )
    awaits_validation(granted) >> ask


@dag(
    dag_id="habilitation_prefecture_validation",
    schedule=None,
    params={
        "login": Param("", type="string", pattern="^hab_[a-z0-9_]+$", title="Login of the habilitation"),
    },
    # one run per person, each waiting for the prefecture: none may queue behind another's answer
    **{**COMMON, "max_active_runs": 16, "access_control": access_control(ROLE_COMPLIANCE, ROLE_PREFECTURE_VALIDATOR)},
)
def habilitation_prefecture_validation():
    @task
    def describe(params: dict | None = None) -> dict:
        """The habilitation the prefecture is asked about (refused if not a pending prefecture one)."""
        from tranquillite.access.habilitations import pending_validation

        return _act(lambda conn: pending_validation(conn, (params or {})["login"]))

    answer = PrefectureValidationOperator(
        task_id="validate",
        subject="Habilitation {{ params.login }}: does the prefecture validate it?",
        body=(
            "Login **{{ params.login }}**, habilitated by {{ ti.xcom_pull(task_ids='describe')['granted_by'] }}"
            " from {{ ti.xcom_pull(task_ids='describe')['valid_from'] }}"
            " to {{ ti.xcom_pull(task_ids='describe')['valid_to'] }}, to consult the marts as the prefecture.\n\n"
            "Validate if this person is on the prefecture's nominative list, refuse otherwise; give the"
            " list's reference. The answer is recorded under your login."
        ),
        params={
            # checked when recorded (3 characters at least): a bound here would fail the step before it asks
            "reference": Param("", type="string", title="Reference of the prefecture's list"),
        },
    )

    @task(outlets=[HABILITATIONS])
    def record(described: dict, ti=None) -> dict:
        from tranquillite.access.habilitations import decide_validation

        given = ti.xcom_pull(task_ids="validate") or {}
        return _act(
            lambda conn: decide_validation(
                conn,
                login=described["login"],
                validate="Validate" in (given.get("chosen_options") or []),
                validator=(given.get("responded_by_user") or {}).get("name"),
                reference=str((given.get("params_input") or {}).get("reference") or ""),
            )
        )

    described = describe()
    described >> answer >> record(described)


@dag(
    dag_id="habilitation_revoke",
    schedule=None,
    params={
        "login": Param("", type="string", pattern="^hab_[a-z0-9_]+$", title="Login of the habilitation"),
        "reason": Param("", type="string", minLength=5, title="Reason"),
    },
    **COMMON,
)
def habilitation_revoke():
    @task(outlets=[HABILITATIONS])
    def revoke(params: dict | None = None, dag_run=None) -> dict:
        from tranquillite.access.habilitations import revoke

        p = params or {}
        return _act(lambda conn: revoke(conn, login=p["login"], reason=p["reason"], actor=actor(dag_run)))

    revoke()


@dag(
    dag_id="habilitations_sync",
    schedule=AssetOrTimeSchedule(timetable=CronTriggerTimetable("7 * * * *", timezone="UTC"), assets=[HABILITATIONS]),
    **COMMON,
)
def habilitations_sync():
    @task
    def sync() -> dict:
        from tranquillite.access.habilitations import sync

        report = _act(sync)
        print(
            f"logins opened: {len(report.enabled)}, closed: {len(report.disabled)},"
            f" sessions ended: {report.sessions_ended}, unchanged: {report.unchanged}"
        )
        return report.as_dict()

    sync()


habilitation_grant()
habilitation_prefecture_validation()
habilitation_revoke()
habilitations_sync()
