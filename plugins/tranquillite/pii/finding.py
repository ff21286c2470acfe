"""What a detector reports: a typed span of a text, with how sure it is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    start: int
    end: int
    type: str
    confidence: float

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "type": self.type, "confidence": round(self.confidence, 3)}
