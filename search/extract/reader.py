"""Which corpus files ingest reads, and reading one into NFC text (see formats.py)."""

from __future__ import annotations

from pathlib import Path

from .formats import SUPPORTED, Extracted, extract, os_problem

SUPPORTED_SUFFIXES = SUPPORTED

__all__ = ["Extracted", "extract", "is_candidate", "os_problem", "read_document"]


def is_candidate(path: Path) -> bool:
    """Files ingest looks at: supported suffixes, not hidden, not sidecar metadata."""
    name = path.name
    return (
        not name.startswith(".")
        and not name.startswith("~$")  # Word's lock files next to an open .docx
        and not name.endswith(".meta.json")
        and path.suffix.lower() in SUPPORTED_SUFFIXES
    )


def read_document(path: Path, display: str) -> str:
    """The document's text; ``display`` is the name used in error messages."""
    return extract(path, display).text
