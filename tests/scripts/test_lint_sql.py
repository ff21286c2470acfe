"""scripts/lint_sql.py: PostgreSQL's parser on the SQL sqlfluff does not read. Each check
must find the error it exists for, and leave well-formed SQL alone."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("lint_sql", ROOT / "scripts" / "lint_sql.py")
lint_sql = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lint_sql)


def _python(tmp_path: Path, body: str) -> list[str]:
    """The problems found in `body`, written to a file of the test's own (never the checkout)."""
    path = tmp_path / "probe.py"
    path.write_text(body, encoding="utf-8")
    original = lint_sql.ROOT
    lint_sql.ROOT = tmp_path  # problems are named relative to it
    try:
        return lint_sql.check_python(path)
    finally:
        lint_sql.ROOT = original


@pytest.mark.parametrize(
    "statement",
    [
        'conn.execute("selct count(*) from raw.cortege_entries")',
        'conn.execute("select count(* from raw.cortege_entries where id = %s", (1,))',
        'conn.execute("insert into ops.alerts (source) values (%(source)s")',
        'conn.execute(sql.SQL("delete from {} where id = any(%s)").format(sql.Identifier("x")) if x else None)\n'
        'conn.execute(sql.SQL("update {} sett a = 1").format(sql.Identifier("x")))',
        'conn.execute("select 1 "\n    "from raw.a where")',
    ],
)
def test_a_statement_postgresql_would_refuse_is_reported_with_its_line(tmp_path: Path, statement: str) -> None:
    problems = _python(tmp_path, f"def f(conn, sql, x):\n    {statement}\n")
    assert len(problems) == 1, problems
    assert problems[0].split(":")[1] in ("2", "3"), problems


@pytest.mark.parametrize(
    "statement",
    [
        'conn.execute("select count(*) from raw.cortege_entries where id = %s and v = %(v)s", (1,))',
        'conn.execute(sql.SQL("alter role {} login password {}").format(sql.Identifier(a), sql.Literal(b)))',
        'conn.execute(sql.SQL("select * from {} where {} = %s").format(sql.Identifier(a), sql.Identifier(b)))',
        'conn.execute(sql.SQL("create or replace view {} as ").format(sql.Identifier(a)) + query)',
        'log.info("select the one that matters")',  # not a call that runs SQL
    ],
)
def test_well_formed_or_partial_sql_passes(tmp_path: Path, statement: str) -> None:
    assert _python(tmp_path, f"def f(conn, sql, a, b, query, log):\n    {statement}\n") == []


def test_a_broken_migration_and_a_broken_plpgsql_body_are_reported(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(lint_sql, "ROOT", tmp_path)
    broken = tmp_path / "020_broken.sql"
    broken.write_text("create table ops.a (x integer);\n\ncreate tabel ops.b (y integer);\n")
    problems = lint_sql.check_sql_file(broken, statements=True)
    assert len(problems) == 1 and problems[0].startswith("020_broken.sql:3: ") and "tabel" in problems[0]
    body = tmp_path / "f.sql"
    body.write_text(
        "create or replace function ops.f() returns void language plpgsql as $$\n"
        "begin\n    if true then perform 1;\nend;\n$$;\n"
    )
    problems = lint_sql.check_sql_file(body, statements=True)
    assert len(problems) == 1 and "ops.f" in problems[0] and "PL/pgSQL" in problems[0]


def test_the_repository_has_no_sql_postgresql_would_refuse() -> None:
    assert lint_sql.main() == 0
