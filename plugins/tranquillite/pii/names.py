"""First names and surnames, taken from the names-dataset package (not typed by hand).

names-dataset ships, for 105 countries, the names most often carried there with
their rank. The gate needs the names carried in Marseille: France's, and those of
the countries its residents and visitors most often come from. Loading the
package's pickles costs ~10 s and ~2 GB, so the extract the gate needs (lower-case
names, a few hundred kB) is built once per installed version, in a subprocess,
and cached beside the environment. `scripts/install.sh` builds it; a worker that
finds none builds it on first use.

    python -m tranquillite.pii.names build   # (re)build the extract
    python -m tranquillite.pii.names ensure  # build it if it is missing (scripts/install.sh)
    python -m tranquillite.pii.names show     # where it is, and its sizes
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from tranquillite.core import settings

# France first, then where Marseille's residents and visitors most often come from.
COUNTRIES = {
    "FR": 12000,
    **dict.fromkeys(("MA", "DZ", "TN"), 5000),
    **dict.fromkeys(("IT", "ES", "PT", "TR", "CM", "BE", "CH"), 3000),
    **dict.fromkeys(
        ("EG", "LB", "SY", "IQ", "PS", "SA", "YE", "LY", "JO", "BF", "DJ", "BI", "NG", "GH", "ET", "AO", "BR"), 1500
    ),
    **dict.fromkeys(("GB", "IE", "US", "CA", "DE", "NL", "RU", "PL", "BG", "HR", "RS", "GE", "AZ", "AL"), 1500),
    **dict.fromkeys(("CN", "KH", "PH", "ID", "IN", "BD", "AF", "IR", "HT", "MU"), 1000),
}
SURNAME_COUNTRIES = {**COUNTRIES, "FR": 20000}
FORMAT = 2  # of the extract: a new one is built when this changes


def _package_version() -> str:
    return metadata.version("names-dataset")


def cache_path() -> Path:
    base = settings.names_cache_dir()
    folder = Path(base) if base else Path(sys.prefix) / "share" / "tranquillite"
    return folder / f"names-dataset-{_package_version()}-{FORMAT}.json.gz"


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).lower()


def _extract(table: dict, limits: dict[str, int]) -> dict[str, int]:
    """name (lower case) -> its best rank over the countries kept. Multi-word entries and
    entries with digits are the package's noise ("Comité Des Fêtes"); they are left out."""
    out: dict[str, int] = {}
    for name, info in table.items():
        ranks = info.get("rank") or {}
        best = min((r for c, r in ranks.items() if c in limits and r <= limits[c]), default=None)
        if best is None or " " in name or len(name) < 2 or any(ch.isdigit() for ch in name):
            continue
        key = _fold(name)
        out[key] = min(best, out.get(key, best))
    return out


def build(path: Path | None = None) -> Path:
    """Read the package's tables and write the extract (atomically)."""
    import pickle

    import names_dataset

    root = Path(names_dataset.__file__).parent / "v3"
    with gzip.open(root / "first_names.pkl.gz") as f:
        table = pickle.load(f)
        first, first_fr = _extract(table, COUNTRIES), _extract(table, {"FR": COUNTRIES["FR"]})
    del table
    with gzip.open(root / "last_names.pkl.gz") as f:
        table = pickle.load(f)
        last, last_fr = _extract(table, SURNAME_COUNTRIES), _extract(table, {"FR": SURNAME_COUNTRIES["FR"]})
    del table
    path = path or cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "source": f"names-dataset {_package_version()}",
        "first": first,
        "last": last,
        "first_fr": first_fr,
        "last_fr": last_fr,
    }
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as tmp:
        tmp.write(gzip.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8")))
    os.chmod(tmp.name, 0o644)  # the workers read it under their own user
    os.replace(tmp.name, path)
    return path


@dataclass(frozen=True)
class Names:
    first: dict[str, int]  # lower-case first name -> best rank over the countries kept
    last: dict[str, int]  # lower-case surname -> best rank over the countries kept
    first_fr: dict[str, int]  # ... and its rank in France alone
    last_fr: dict[str, int]


@lru_cache(maxsize=1)
def names() -> Names:
    path = cache_path()
    if not path.exists():
        # the package's tables take ~2 GB to read: not in this (long-lived) process
        subprocess.run([sys.executable, "-m", "tranquillite.pii.names", "build"], check=True)
    data = json.loads(gzip.decompress(path.read_bytes()))
    return Names(first=data["first"], last=data["last"], first_fr=data["first_fr"], last_fr=data["last_fr"])


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "show"
    if command == "build":
        print(f"names: extract written to {build()}")
        return 0
    if command == "ensure":
        if not cache_path().exists():
            print(f"names: extract written to {build()}")
        return 0
    if command == "show":
        n = names()
        print(f"names: {cache_path()} ({len(n.first)} first names, {len(n.last)} surnames)")
        return 0
    print("usage: python -m tranquillite.pii.names build|ensure|show", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
