"""What an ingest did: counts for the one-line summary and for ``--json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..text.display import vn_number
from .reading import ReadStats


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (copy, indexed as)
    # (file, problem) and (file, warning), the name escaped so each pair prints as one
    # line; a failed file is not indexed (a file indexed before keeps its passages).
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    collapsed: int = 0  # identical passages within a file kept once
    embedded_chunks: int = 0
    encode_seconds: float = 0.0  # of ``seconds``, the time the encoder took
    total_chunks: int = 0
    segments: int = 0
    merged: int = 0  # segments merged away by this run
    seconds: float = 0.0
    index_written: bool = False
    note: str = ""  # ends the summary: nothing indexed, or the index kept as it was
    reads: dict[str, ReadStats] = field(default_factory=dict)  # per file read in this run

    def to_json(self) -> dict[str, Any]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "removed": len(self.removed),
            "unchanged": len(self.unchanged),
            "renamed": len(self.renamed),
            "duplicates": len(self.duplicates),
            "embedded_chunks": self.embedded_chunks,
            "total_chunks": self.total_chunks,
            "segments": self.segments,
            "failed": [{"file": f, "error": e} for f, e in self.failed],
            "warnings": [{"file": f, "warning": w} for f, w in self.warnings],
            "collapsed_passages": self.collapsed,
            "note": self.note,
            "seconds": round(self.seconds, 3),
        }

    def summary(self) -> str:
        """One Vietnamese line, e.g. 'thêm 1, cập nhật 0, xóa 0, giữ nguyên 5 — ...'."""
        parts = [
            f"thêm {len(self.added)}",
            f"cập nhật {len(self.updated)}",
            f"xóa {len(self.removed)}",
            f"giữ nguyên {len(self.unchanged)}",
        ]
        if self.renamed:
            parts.append(f"đổi tên {len(self.renamed)}")
        if self.duplicates:
            parts.append(f"trùng nội dung {len(self.duplicates)}")
        if self.failed:
            parts.append(f"lỗi {len(self.failed)}")
        if self.warnings:
            parts.append(f"cảnh báo {len(self.warnings)}")
        if self.collapsed:
            parts.append(f"gộp {self.collapsed} đoạn trùng")
        if self.merged:
            parts.append(f"gộp {self.merged} phân đoạn")
        secs = vn_number(f"{self.seconds:.1f}")
        line = (
            ", ".join(parts)
            + f" — đã mã hóa {self.embedded_chunks} đoạn trong {secs} s"
            + f" ({self.total_chunks} đoạn trong chỉ mục)"
        )
        return f"{line} — {self.note}" if self.note else line
