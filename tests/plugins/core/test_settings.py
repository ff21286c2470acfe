"""Every setting the environment gives is read in core/settings, when it is asked for."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tranquillite.core import settings

PACKAGE = Path(settings.__file__).resolve().parents[1]


def _reads_of_the_environment(tree: ast.AST) -> list[int]:
    """Lines that read os.environ or os.getenv (writing it for a child process is not reading)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func
            if target.attr == "getenv" and isinstance(target.value, ast.Name) and target.value.id == "os":
                lines.append(node.lineno)
            if (
                target.attr in ("get", "__getitem__")
                and isinstance(target.value, ast.Attribute)
                and target.value.attr == "environ"
            ):
                lines.append(node.lineno)
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "environ"
        ):
            lines.append(node.lineno)
        if isinstance(node, ast.Compare) and any(
            isinstance(c, ast.Attribute) and c.attr == "environ" for c in node.comparators
        ):
            lines.append(node.lineno)
    return lines


def test_no_module_but_core_settings_reads_the_environment() -> None:
    readers = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == Path(settings.__file__).resolve():
            continue
        lines = _reads_of_the_environment(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            readers[str(path.relative_to(PACKAGE))] = lines
    assert readers == {}


def test_the_scan_finds_each_way_of_reading() -> None:
    code = "import os\na = os.environ.get('X')\nb = os.getenv('Y')\nc = os.environ['Z']\nd = 'W' in os.environ\n"
    assert _reads_of_the_environment(ast.parse(code)) == [2, 3, 4, 5]
    assert _reads_of_the_environment(ast.parse("import os\nos.environ['X'] = '1'\nos.environ.update({})\n")) == []


@pytest.mark.parametrize(
    ("variable", "value", "read"),
    [
        ("TRQ_GX_ROOT", "/tmp/elsewhere", lambda: str(settings.gx_root())),
        ("TRQ_CORTEGE_MAX_PAGES", "7", lambda: settings.cortege_settings().max_pages),
        ("TRQ_HTTP_MAX_ATTEMPTS", "2", lambda: settings.cortege_settings().max_attempts),
        ("TRQ_GEOCODER_MIN_SCORE", "0.9", settings.geocoder_min_score),
        ("TRQ_QUARANTINE_ALERT_SHARE", "0.5", lambda: settings.quarantine_alert()[0]),
        ("TRQ_GATE_MAX_DEPTH", "5", lambda: settings.gate_limits().max_depth),
    ],
)
def test_a_setting_changed_after_import_is_the_one_used(monkeypatch, variable, value, read) -> None:
    before = read()
    monkeypatch.setenv(variable, value)
    after = read()
    assert after != before and str(after) == value


def test_the_cortege_defaults_are_the_documented_ones(monkeypatch) -> None:
    for variable in ("TRQ_CORTEGE_MAX_PAGES", "TRQ_CORTEGE_LOOKBACK_MINUTES", "TRQ_HTTP_MAX_ATTEMPTS"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.delenv("TRQ_HTTP_BACKOFF_SECONDS", raising=False)
    assert settings.cortege_settings() == settings.CORTEGE
