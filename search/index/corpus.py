"""What ingest reads from a corpus folder: regular files inside it, and nothing else."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import DocumentError
from ..extract import is_candidate
from ..extract.common import is_inside
from ..text.display import display_name

OUTSIDE_LINK = "liên kết trỏ ra ngoài thư mục văn bản, bỏ qua"
NOT_A_FILE = "không phải tệp thông thường, bỏ qua"


def list_corpus(corpus: Path, skipped: list[tuple[str, str]] | None = None) -> list[Path]:
    """The files ingest reads under ``corpus``, sorted, links after the files they may name.

    Nothing outside the folder is read: a link that leads out of it (a symlink, or one
    through ``..``) is left out, and so is anything that is not a regular file (a pipe, a
    device); each goes into ``skipped`` as (name, reason). A link to a file inside the
    folder comes after that file, so ingest reports it as a duplicate and indexes the file
    once, under its own name. Links to folders are not followed (the folder is listed).
    """
    if not corpus.is_dir():
        raise DocumentError(display_name(str(corpus)), "không phải là thư mục văn bản")
    root = corpus.resolve()
    files: list[Path] = []
    links: list[Path] = []
    for folder, dirs, names in os.walk(corpus, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if not is_candidate(path):
                continue
            skip = _skip(path, root)
            if skip is None:
                (links if path.is_symlink() else files).append(path)
            elif skipped is not None:
                skipped.append((display_name(path.relative_to(corpus).as_posix()), skip))
    return files + links


def _skip(path: Path, root: Path) -> str | None:
    if path.is_symlink() and not is_inside(path, root):
        return OUTSIDE_LINK
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # a broken link or a loop: reading it says which, in one line
    return None if stat.S_ISREG(mode) else NOT_A_FILE
