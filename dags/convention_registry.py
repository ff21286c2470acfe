"""
### The agreements' registry: four forms for the compliance officers

No SQL by hand: each DAG is a Params form that records one act in
`compliance.conventions` or `compliance.subcontractor_extracts`, and in the
append-only `compliance.convention_log`, then prints the agreement's dates.

- **convention_register**: a new agreement, or the terms of one still active.
- **convention_termination_notice**: the registered letter of termination (article 9):
  the agreement ends after the notice, or at the four-year cap if sooner, and its data
  must be destroyed within 15 days of that end.
- **convention_subcontractor_extract**: a copy handed to a subcontractor (article 8).
- **convention_destruction_attestation**: the subcontractor's written justification
  of destruction for one extract.
"""

from __future__ import annotations

from airflow.sdk import Param, dag, task

from tranquillite.airflow.forms import act, actor
from tranquillite.airflow.policy import DEFAULT_ARGS, ROLE_COMPLIANCE, START_DATE, access_control, tags
from tranquillite.core.settings import COMPLIANCE_CONN_ID

COMMON = {
    "schedule": None,
    "start_date": START_DATE,
    "catchup": False,
    "max_active_runs": 1,
    "default_args": {**DEFAULT_ARGS, "retries": 1},
    "tags": tags("compliance", "governance"),
    "access_control": access_control(ROLE_COMPLIANCE),
    "doc_md": __doc__,
}


def _act(fn):
    """One act of the registry, as the compliance role; a refusal fails the run."""
    from tranquillite.compliance.conventions import ConventionError

    return act(COMPLIANCE_CONN_ID, (ConventionError,), fn)


def _jsonable(dates: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in dates.items()}


@dag(
    dag_id="convention_register",
    params={
        "convention_id": Param("", type="string", minLength=3, title="Agreement id"),
        "partner": Param("", type="string", minLength=2, title="Partner"),
        "object": Param("", type="string", minLength=5, title="Object"),
        "sources": Param([], type="array", items={"type": "string"}, minItems=1, title="Sources covered"),
        "signed_on": Param(None, type=["null", "string"], format="date", title="Signed on"),
        "notified_on": Param(None, type=["null", "string"], format="date", title="Notified on (term starts)"),
        "term_months": Param(12, type=["null", "integer"], minimum=1, title="Term (months); empty: open-ended"),
        "tacit_renewal": Param(True, type="boolean", title="Tacit renewal"),
        "cap_months": Param(48, type=["null", "integer"], minimum=1, title="Cap, all renewals included (months)"),
        "notice_months": Param(2, type="integer", minimum=0, title="Notice (months)"),
        "destruction_days": Param(15, type="integer", minimum=0, title="Days to destroy the data after the end"),
    },
    **COMMON,
)
def convention_register():
    @task
    def register(params: dict | None = None, dag_run=None) -> dict:
        from tranquillite.compliance.conventions import register

        return _jsonable(_act(lambda conn: register(conn, dict(params or {}), actor(dag_run))))

    register()


@dag(
    dag_id="convention_termination_notice",
    params={
        "convention_id": Param("", type="string", minLength=3, title="Agreement id"),
        "notice_on": Param("", type="string", format="date", title="Notice received (or sent) on"),
        "given_by": Param("partner", type="string", enum=["partner", "city"], title="Given by"),
        "reason": Param("", type="string", minLength=5, title="Reason"),
    },
    **COMMON,
)
def convention_termination_notice():
    @task
    def record(params: dict | None = None, dag_run=None) -> dict:
        from datetime import date

        from tranquillite.compliance.conventions import record_termination_notice

        params = params or {}
        dates = _act(
            lambda conn: record_termination_notice(
                conn,
                params["convention_id"],
                notice_on=date.fromisoformat(params["notice_on"]),
                given_by=params["given_by"],
                reason=params["reason"],
                actor=actor(dag_run),
            )
        )
        print(
            f"{params['convention_id']} ends {dates['effective_end']}; its data must be destroyed by"
            f" {dates['destruction_deadline']}"
        )
        return _jsonable(dates)

    record()


@dag(
    dag_id="convention_subcontractor_extract",
    params={
        "convention_id": Param("", type="string", minLength=3, title="Agreement id"),
        "subcontractor": Param("", type="string", minLength=2, title="Subcontractor"),
        "purpose": Param("", type="string", minLength=5, title="Service it is for"),
        "content": Param("", type="string", minLength=5, title="What was handed over (tables, period)"),
        "extracted_on": Param("", type="string", format="date", title="Handed over on"),
    },
    **COMMON,
)
def convention_subcontractor_extract():
    @task
    def record(params: dict | None = None, dag_run=None) -> int:
        from datetime import date

        from tranquillite.compliance.conventions import record_extract

        params = params or {}
        return _act(
            lambda conn: record_extract(
                conn,
                params["convention_id"],
                subcontractor=params["subcontractor"],
                purpose=params["purpose"],
                content=params["content"],
                extracted_on=date.fromisoformat(params["extracted_on"]),
                actor=actor(dag_run),
            )
        )

    record()


@dag(
    dag_id="convention_destruction_attestation",
    params={
        "extract_id": Param(None, type="integer", minimum=1, title="Extract id"),
        "attested_on": Param("", type="string", format="date", title="Destruction attested on"),
        "attestation_ref": Param("", type="string", minLength=3, title="Reference of the written attestation"),
    },
    **COMMON,
)
def convention_destruction_attestation():
    @task
    def record(params: dict | None = None, dag_run=None) -> dict:
        from datetime import date

        from tranquillite.compliance.conventions import record_attestation

        params = params or {}
        return _jsonable(
            _act(
                lambda conn: record_attestation(
                    conn,
                    int(params["extract_id"]),
                    attested_on=date.fromisoformat(params["attested_on"]),
                    attestation_ref=params["attestation_ref"],
                    actor=actor(dag_run),
                )
            )
        )

    record()


convention_register()
convention_termination_notice()
convention_subcontractor_extract()
convention_destruction_attestation()
