"""The SQL that sqlfluff does not read, parsed by PostgreSQL's own parser (pglast, libpg_query).

- the versioned migrations: frozen once applied, so never restyled, but a syntax error in a
  new one fails here rather than at someone's set-up; with every PL/pgSQL body;
- the PL/pgSQL bodies of the repeatable migrations (sqlfluff sees them as strings);
- the SQL written in the Python: every constant string given to `execute`, `executemany`,
  `copy`, and every `sql.SQL` that is a whole statement, with its placeholders (`%s`,
  `%(name)s`, `{}`) standing for a value, a name or a literal.

`make lint` runs it; it prints `file:line: message` for each statement PostgreSQL would
refuse, and exits 1 if there is one.
"""

from __future__ import annotations

import ast
import itertools
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pglast
from pglast import parser

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "plugins" / "tranquillite" / "migrations"
PYTHON = [ROOT / "plugins", ROOT / "dags", ROOT / "bench", ROOT / "scripts", ROOT / "sandbox"]
SKIP = {"registry.py"}
CALLS = {"execute", "executemany", "copy", "SQL"}
# what a placeholder may stand for: a value where one is expected, else a name
_PARAM = re.compile(r"%\((\w+)\)s|%s")
_FIELD = re.compile(r"\{(\w*)\}")


def _plpgsql_problems(sql: str) -> Iterator[str]:
    """Each CREATE FUNCTION ... LANGUAGE plpgsql in `sql`, its body parsed as PL/pgSQL."""
    for raw in parser.split(sql, with_parser=True, only_slices=False):
        if re.match(r"\s*create\s+(or\s+replace\s+)?function", raw, re.IGNORECASE) and re.search(
            r"language\s+plpgsql", raw, re.IGNORECASE
        ):
            try:
                pglast.parse_plpgsql(raw)
            except pglast.parser.ParseError as exc:
                if str(exc).startswith("Not implemented"):
                    continue  # libpg_query cannot resolve a schema's %ROWTYPE: PostgreSQL checks it at set-up
                name = re.search(r"function\s+([\w.]+)", raw, re.IGNORECASE)
                yield f"{name.group(1) if name else 'a function'}: PL/pgSQL {exc}"


def check_sql_file(path: Path, *, statements: bool) -> list[str]:
    text = path.read_text(encoding="utf-8")
    rel = path.relative_to(ROOT)
    if statements:
        try:
            parser.parse_sql(text)
        except pglast.parser.ParseError as exc:
            location = exc.args[1] if len(exc.args) > 1 else None
            line = text.count("\n", 0, location) + 1 if isinstance(location, int) else "?"
            return [f"{rel}:{line}: {exc}"]
    return [f"{rel}: {problem}" for problem in _plpgsql_problems(text)]


def _constant(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _constant(node.left), _constant(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _looks_like_sql(text: str) -> bool:
    return bool(
        re.match(
            r"\s*(select|insert|update|delete|with|create|alter|drop|grant|revoke|copy|set|reset|lock|"
            r"truncate|vacuum|analyze|comment|do|begin|commit|rollback|refresh|notify|listen|savepoint|release)\b",
            text,
            re.IGNORECASE,
        )
    )


def _as_parsable(text: str, composed: bool) -> Iterator[str]:
    """The statement with its placeholders filled: each `{}` of a composed one by a value, a
    name or a literal, in every combination (a statement holds a few)."""
    text = _PARAM.sub("$1", text)
    fields = _FIELD.findall(text) if composed else []
    if not fields:
        yield text
        return
    for combo in itertools.product(("$1", "x", "'x'", "x.y"), repeat=min(len(fields), 5)):
        fill = iter([*combo, *["x"] * (len(fields) - len(combo))])
        yield _FIELD.sub(lambda _m, fill=fill: next(fill), text)


def _fragments(tree: ast.AST) -> set[int]:
    """The `sql.SQL(...)` calls that are only part of a statement (`sql.SQL(...) + query`)."""
    parts = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            for side in (node.left, node.right):
                while isinstance(side, ast.Call) and isinstance(side.func, ast.Attribute):
                    parts.add(id(side))
                    side = side.func.value
                parts.add(id(side))
    return parts


def python_sql(path: Path) -> Iterator[tuple[int, str, bool]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    fragments = _fragments(tree)
    for node in ast.walk(tree):
        if id(node) in fragments:
            continue
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if name not in CALLS:
            continue
        text = _constant(node.args[0])
        # a string given to execute is a statement, whatever its first word; sql.SQL() also
        # composes parts of one (an expression, a clause), and copy() has other uses
        if text is not None and (name in ("execute", "executemany") or _looks_like_sql(text)):
            yield node.lineno, text, name == "SQL"


def check_python(path: Path) -> list[str]:
    problems = []
    for line, text, composed in python_sql(path):
        errors = []
        for candidate in _as_parsable(text, composed):
            try:
                parser.parse_sql(candidate)
                break
            except pglast.parser.ParseError as exc:
                errors.append(str(exc))
        else:
            problems.append(f"{path.relative_to(ROOT)}:{line}: {errors[0]}")
    return problems


def main() -> int:
    problems: list[str] = []
    checked = 0
    for path in sorted((MIGRATIONS / "versioned").glob("*.sql")):
        problems += check_sql_file(path, statements=True)
        checked += 1
    for path in sorted((MIGRATIONS / "repeatable").glob("*.sql")):
        problems += check_sql_file(path, statements=True)
        checked += 1
    statements = 0
    for folder in PYTHON:
        for path in sorted(folder.rglob("*.py")) if folder.exists() else []:
            if path.name in SKIP:
                continue
            statements += sum(1 for _ in python_sql(path))
            problems += check_python(path)
    for problem in problems:
        print(problem)
    print(f"lint_sql: {checked} migration file(s), {statements} statement(s) in the Python: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
