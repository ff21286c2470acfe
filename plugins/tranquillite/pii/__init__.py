"""Personal-data detection for the anonymisation gate (convention, art. 3).

`detect` and `mask` are imported on first use: `python -m tranquillite.pii.names`
must not load the detectors (and the lexicon they read) first.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Finding", "detect", "mask"]


def __getattr__(name: str) -> Any:
    if name in ("detect", "mask"):
        from tranquillite.pii import detectors

        return getattr(detectors, name)
    if name == "Finding":
        from tranquillite.pii.finding import Finding

        return Finding
    raise AttributeError(name)
