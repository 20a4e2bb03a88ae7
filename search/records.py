"""Frozen records passed between modules: document metadata, chunks and search hits."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .structure.tables import is_cell_table_start, is_index


@dataclass(frozen=True)
class DocMeta:
    """What a citation needs about a document; unknown fields stay None, never guessed."""

    doc: str  # source file, relative to the corpus folder
    doc_type: str | None = None  # "Chương trình hành động", "Chỉ thị", "Luật" ...
    number: str | None = None  # số/ký hiệu: "01/CTr-UBND"
    date: str | None = None  # "19/01/2025"
    issuer: str | None = None  # "Ủy ban nhân dân tỉnh Cà Mau"
    title: str | None = None  # trích yếu
    year: int | None = None
    signer: str | None = None
    fingerprint: str = ""  # content hash of the file and its sidecar (see ingest)
    also_as: tuple[str, ...] = ()  # other file names with identical content

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocMeta:
        # Values read back from an index are not trusted blindly (issue 13): a field of
        # the wrong type (an old manifest, a hand-edited one) is dropped, so search and the
        # UI start and answer; unknown keys are ignored.
        data = {k: v for k, v in data.items() if k in _META_FIELDS}
        for key in ("doc_type", "number", "date", "issuer", "title", "signer"):
            if not isinstance(data.get(key), str):
                data[key] = None
        data["doc"] = str(data.get("doc", ""))
        fingerprint = data.get("fingerprint")
        data["fingerprint"] = fingerprint if isinstance(fingerprint, str) else ""
        data["year"] = _year_or_none(data.get("year"))
        also_as = data.get("also_as")
        also_as = also_as if isinstance(also_as, list | tuple) else ()
        data["also_as"] = tuple(a for a in also_as if isinstance(a, str))
        return cls(**data)


_META_FIELDS = {f.name for f in fields(DocMeta)}


def _year_or_none(value: Any) -> int | None:
    """A year as an int when it is one (1900..2100, also written as digits), else None."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
        return value
    return None


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage: a piece of a section or one appendix-table row."""

    id: str
    meta: DocMeta
    kind: str  # "text" | "table_row"
    section: tuple[
        str, ...
    ]  # labels from the top: ("III", "2", "a)") or ("Phụ lục 2", "A", "II", "2")
    line_start: int  # 1-based, inclusive, in the source file
    line_end: int
    text: str  # shown to users: verbatim source apart from NFC and stripped markup
    context: str = ""  # headings above the passage, for the encoder and the UI
    table_title: str | None = None
    table_header: tuple[str, ...] = ()
    cells: tuple[tuple[str, str], ...] = ()  # (header or "", value) for table rows
    appendix_ref: str | None = None  # the appendix's own "(Kèm theo ...)" document reference
    citation: str = ""
    embed_text: str = ""  # given to the encoder: passage plus title and section context
    line_numbers: tuple[int, ...] = ()  # source line of each line of ``text`` (text chunks)
    # Index of the line of ``text`` each paragraph opens at, as the document's reader found
    # them (a hard-wrapped sentence goes on in a capital: "về Phòng" / "PC06 trước ngày");
    # () when not known (a table row, an index of an older version).
    paragraphs: tuple[int, ...] = ()
    page_start: int | None = None  # pages of a PDF the passage is on
    page_end: int | None = None

    @property
    def doc(self) -> str:
        return self.meta.doc

    @property
    def shown(self) -> str:
        """The passage as a result gives it: a table row's cells under their headings, then
        the row as printed, its number and cells in order on one line ("11 Bạc Liêu
        (phường) 96.000 16.000"), to be quoted as the document has it."""
        if self.kind != "table_row" or not self.cells:
            return self.text
        values = [v for _, v in self.cells if v]
        if self.table_header and is_cell_table_start(self.table_header[0]) and self.section:
            if is_index(self.section[-1]):  # the row's own number ("11"), not "Tổng số"
                values.insert(0, self.section[-1])
        return f"{self.text}\n{' '.join(values)}"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["meta"] = self.meta.doc  # documents are stored once, in the manifest
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], metas: dict[str, DocMeta]) -> Chunk:
        data = dict(data)
        data["meta"] = metas[data["meta"]]
        data["section"] = tuple(data["section"])
        data["table_header"] = tuple(data["table_header"])
        data["cells"] = tuple(tuple(c) for c in data["cells"])
        data["line_numbers"] = tuple(data.get("line_numbers", ()))
        data["paragraphs"] = tuple(data.get("paragraphs", ()))
        return cls(**data)


@dataclass(frozen=True)
class Hit:
    """A ranked search result."""

    rank: int
    score: float
    chunk: Chunk
    signals: dict[str, float] = field(default_factory=dict)

    @property
    def doc(self) -> str:
        return self.chunk.doc

    @property
    def text(self) -> str:
        return self.chunk.text

    @property
    def citation(self) -> str:
        return self.chunk.citation

    def to_json(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "rank": self.rank,
            "score": round(float(self.score), 6),
            "doc": c.doc,
            "text": c.shown,
            "citation": c.citation,
            "section": " > ".join(c.section),
            "kind": c.kind,
            "line_start": c.line_start,
            "line_end": c.line_end,
        }
