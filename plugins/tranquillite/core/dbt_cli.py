"""Run dbt as the transformer role (`warehouse_transformer` connection) from the command line.

Inside Airflow, Cosmos maps the connection to a dbt profile. Outside it, this
sets the TRQ_WAREHOUSE_* variables that dbt_project/profiles.yml reads, from the
same connection, then calls dbt in-process. `python -m tranquillite.core.dbt_cli build`
"""

from __future__ import annotations

import os
import sys

from tranquillite.core.connections import get_conn
from tranquillite.core.settings import DBT_PROJECT_DIR, ROOT, TRANSFORMER_CONN_ID


def dbt_env(conn_id: str = TRANSFORMER_CONN_ID) -> dict[str, str]:
    conn = get_conn(conn_id)
    return {
        "TRQ_WAREHOUSE_HOST": conn.host or "localhost",
        "TRQ_WAREHOUSE_PORT": str(conn.port or 5432),
        "TRQ_WAREHOUSE_USER": conn.login or "",
        "TRQ_WAREHOUSE_PASSWORD": conn.password or "",
        "TRQ_WAREHOUSE_DBNAME": conn.schema or "postgres",
        "TRQ_WAREHOUSE_SSLMODE": str(conn.extra.get("sslmode", "prefer")),
        # libpq reads it: dbt's profile has no place for it in Cosmos' mapping either
        **({"PGSSLROOTCERT": str(conn.extra["sslrootcert"])} if conn.extra.get("sslrootcert") else {}),
    }


def _prepare_env() -> None:
    os.environ.update(dbt_env())
    os.environ.setdefault("DBT_PROFILES_DIR", str(DBT_PROJECT_DIR))
    os.environ.setdefault("DBT_PROJECT_DIR", str(DBT_PROJECT_DIR))
    # never the project's own target/: its manifest.json is what Cosmos renders from
    os.environ.setdefault("DBT_TARGET_PATH", str(ROOT / ".local" / "dbt" / "target"))


def run(args: list[str]) -> int:
    _prepare_env()
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(args)
    return 0 if result.success else 1


def generate_docs() -> str:
    """`dbt docs generate` into .local/dbt/docs; returns the folder."""
    target = ROOT / ".local" / "dbt" / "docs"
    if run(["docs", "generate", "--target-path", str(target), "--quiet"]) != 0:
        raise RuntimeError("dbt docs generate failed")
    return str(target)


def compile_macros(calls: dict[str, str]) -> dict[str, str]:
    """The SQL that each of the project's macro calls compiles to, in one dbt invocation.

    The tension tests and benchmark run the marts' own macros on other relations
    (hand-made cases, PySAL's inputs, a synthetic grid): the same SQL, not a copy.
    """
    marker = "-- @@trq-macro "
    inline = "\n".join(f"{marker}{name}\n{call}" for name, call in calls.items())
    _prepare_env()
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(["--log-level", "none", "compile", "--inline", inline])
    if not result.success:
        raise RuntimeError(f"dbt could not compile the macro calls: {result.exception}")
    compiled = result.result.results[0].node.compiled_code
    parts = compiled.split(marker)[1:]
    return {part.split("\n", 1)[0].strip(): part.split("\n", 1)[1] for part in parts}


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
