"""Personal-data detection for the anonymisation gate (convention, article 3)."""

from tranquillite.pii.detectors import Finding, detect, mask

__all__ = ["Finding", "detect", "mask"]
