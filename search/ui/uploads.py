"""Accepting a document uploaded through the UI into the corpus folder, safely."""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from pathlib import Path

from ..errors import UploadError
from ..extract import SUPPORTED

UPLOAD_SUFFIXES = tuple(sorted(SUPPORTED))  # every format ingest reads
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
PASSWORD_ENV = "TRACUU_UPLOAD_PASSWORD"


def upload_password() -> str | None:
    """The password that unlocks the add-document panel; None hides the panel."""
    value = os.environ.get(PASSWORD_ENV, "")
    return value or None


def safe_name(original: str) -> str:
    """A file name without folders, control characters or a leading dot; NFC, case kept."""
    name = unicodedata.normalize("NFC", original or "").replace("\\", "/").split("/")[-1]
    name = re.sub(r"[\x00-\x1f<>:\"|?*]", "_", name).strip().lstrip(".")
    if not name or name in {".", ".."}:
        raise UploadError("Tên tệp không hợp lệ.")
    stem, dot, suffix = name.rpartition(".")
    if not dot or f".{suffix.lower()}" not in UPLOAD_SUFFIXES:
        raise UploadError(
            f"Chỉ nhận tệp {', '.join(UPLOAD_SUFFIXES)}; tệp '{name}' không được hỗ trợ."
        )
    return name[:180]


def save_upload(src: Path, original_name: str, corpus: Path) -> Path:
    """Copy an uploaded temp file into ``corpus`` under a safe name; never overwrite silently.

    A name already taken gets a numbered suffix ("ten (2).docx").
    """
    name = safe_name(original_name)
    size = Path(src).stat().st_size
    if size == 0:
        raise UploadError(f"Tệp '{name}' rỗng.")
    if size > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"Tệp '{name}' quá lớn ({size // 2**20} MB; tối đa {MAX_UPLOAD_BYTES // 2**20} MB)."
        )
    corpus = Path(corpus)
    corpus.mkdir(parents=True, exist_ok=True)
    target = corpus / name
    stem, suffix = target.stem, target.suffix
    n = 2
    while target.exists():
        target = corpus / f"{stem} ({n}){suffix}"
        n += 1
    # The resolved target must stay inside the corpus folder (no traversal via links).
    if corpus.resolve() not in target.resolve().parents:
        raise UploadError("Tên tệp không hợp lệ.")
    tmp = target.with_name(f".{target.name}.part")
    shutil.copyfile(src, tmp)
    os.replace(tmp, target)
    return target
