"""The project's copy of the external contracts stays the contract."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tranquillite.core.settings import CONTRACTS_DIR
from tranquillite.ingestion.contract import check_entry, load_schema

SHARED = Path(__file__).resolve().parents[2] / "shared" / "contracts"


@pytest.mark.parametrize("name", ["cortege-entry-v1.schema.json", "cortege-export-v1.md", "municipal-feeds-v1.md"])
def test_project_copy_matches_the_shared_contract(name: str) -> None:
    if not SHARED.exists():
        pytest.skip("no shared/ folder beside the repository")
    assert (CONTRACTS_DIR / name).read_bytes() == (SHARED / name).read_bytes(), (
        f"contracts/{name} differs from the shared contract: the contract is fixed, update the copy"
    )


def test_the_contract_example_is_a_valid_entry() -> None:
    text = (CONTRACTS_DIR / "cortege-export-v1.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"## Example\n\n```json\n(.*?)```", text, re.S).group(1))
    assert check_entry(example) == []


def test_schema_lists_the_four_annexe_i_types() -> None:
    branches = {b["properties"]["type"]["const"] for b in load_schema()["oneOf"]}
    assert branches == {
        "manifestation_deambulatoire",
        "manifestation_statique",
        "operation_programmee",
        "visite_officielle",
    }
