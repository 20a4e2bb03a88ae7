"""Filters on documents and passage kinds, checked where they enter (CLI, API, UI)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..errors import QueryError
from ..records import DocMeta

KINDS = ("text", "table_row")
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_K = 200


@dataclass(frozen=True)
class Filters:
    doc: str | None = None  # file name, or a document number such as "04/CT-UBND"
    year: int | None = None
    issuer: str | None = None  # substring of the issuing body, case-insensitive
    kind: str | None = None  # "text" | "table_row"

    @classmethod
    def parse(
        cls, doc: Any = None, year: Any = None, issuer: Any = None, kind: Any = None
    ) -> Filters:
        """Filters from user input (strings from a form or an API); bad values are refused
        with a message that names the valid choices."""
        return cls(
            doc=_text(doc, "văn bản"),
            year=parse_year(year),
            issuer=_text(issuer, "cơ quan ban hành"),
            kind=parse_kind(kind),
        )

    def active(self) -> bool:
        return any(v is not None and v != "" for v in (self.doc, self.year, self.issuer, self.kind))

    def on_documents(self) -> bool:
        return any(v is not None and v != "" for v in (self.doc, self.year, self.issuer))

    def documents(self, metas: Mapping[str, DocMeta]) -> set[str] | None:
        """The documents these filters allow (None: every document)."""
        if not self.on_documents():
            return None
        return {d for d, m in metas.items() if self.accepts_meta(m)}

    def accepts_meta(self, m: DocMeta) -> bool:
        if self.year is not None and m.year != self.year:
            return False
        if self.doc and self.doc.casefold() not in document_names(m):
            return False
        return not (self.issuer and self.issuer.casefold() not in (m.issuer or "").casefold())

    def accepts(self, chunk) -> bool:
        return (not self.kind or chunk.kind == self.kind) and self.accepts_meta(chunk.meta)


def document_names(m: DocMeta) -> set[str]:
    """What a user may call a document by: file name, its stem, its number, other copies."""
    names = {m.doc.casefold(), PurePosixPath(m.doc).stem.casefold(), (m.number or "").casefold()}
    return names | {a.casefold() for a in m.also_as}


def check_document(filters: Filters, metas: Mapping[str, DocMeta]) -> None:
    """A --doc that names no indexed document is an error, not an empty result."""
    if filters.doc and not any(filters.doc.casefold() in document_names(m) for m in metas.values()):
        raise QueryError(
            f"Không có văn bản '{filters.doc}' trong chỉ mục (hãy dùng tên tệp hoặc số ký hiệu "
            "của một văn bản đã lập chỉ mục)."
        )


def parse_k(value: Any, default: int = 10) -> int:
    """How many results: a whole number from 1 to MAX_K."""
    if value is None or value == "":
        return default
    try:
        k = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        k = None
    if k is None or isinstance(value, bool) or not 1 <= k <= MAX_K:
        raise QueryError(f"Số kết quả phải là số nguyên từ 1 đến {MAX_K}, không phải {value!r}.")
    return k


def parse_year(value: Any) -> int | None:
    if value is None or value == "" or value == 0:
        return None
    try:
        year = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        year = None
    if year is None or isinstance(value, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise QueryError(f"Năm phải là số từ {MIN_YEAR} đến {MAX_YEAR}, không phải {value!r}.")
    return year


def parse_kind(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if value not in KINDS:
        raise QueryError(f"Loại đoạn phải là một trong {list(KINDS)}, không phải {value!r}.")
    return value


def _text(value: Any, what: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise QueryError(f"Bộ lọc {what} phải là chuỗi ký tự, không phải {value!r}.")
    value = " ".join(value.split())
    if len(value) > 300:
        raise QueryError(f"Bộ lọc {what} quá dài ({len(value)} ký tự, tối đa 300).")
    return value or None
