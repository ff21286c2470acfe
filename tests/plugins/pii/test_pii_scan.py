"""`make pii-scan`: one JSON line out per line in, in order, errors kept aligned."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_scan_cli(tmp_path) -> None:
    sample = tmp_path / "sample.jsonl"
    sample.write_text(
        "\n".join(
            [
                json.dumps({"text": "Appeler M. Dupont au 06 12 34 56 78"}),
                "not json",
                json.dumps({"text": "Départ place Jean Jaurès à 14h"}),
                json.dumps({"other": 1}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    out = (
        subprocess.run(
            ["make", "--no-print-directory", "-s", "pii-scan", f"FILE={sample}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        .stdout.strip()
        .splitlines()
    )
    results = [json.loads(line) for line in out]
    assert len(results) == 4
    assert [f["type"] for f in results[0]["findings"]] == ["person", "phone"]
    assert results[0]["findings"][1] == {"start": 21, "end": 35, "type": "phone", "confidence": 0.95}
    assert results[1] == {"findings": [], "error": "not JSON"}
    assert results[2] == {"findings": []}
    assert results[3]["error"] == "no text field"


def test_scan_module_reads_stdin() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tranquillite.pii.scan", "-"],
        input=json.dumps({"text": "écrire à jean.dupont@gmail.com"}) + "\n",
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert json.loads(result.stdout)["findings"][0]["type"] == "email"
