"""Adding documents from the web page: check the password, save the files, reindex."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IndexMissingError, TracuuError, UploadError
from ..extract import is_candidate
from ..index.encoder import Encoder, load_encoder
from ..index.ingest import IngestReport, build
from .uploads import save_upload, upload_password


@dataclass
class AddResult:
    """What one "add documents" request did; ``report()`` says it in Vietnamese."""

    refused: str = ""  # why nothing was tried (panel off, wrong password, no file)
    wrong_password: bool = False
    added: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line per file not added
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    ingest: IngestReport | None = None

    def report(self) -> str:
        if self.refused:
            return f"⚠️ {self.refused}"
        lines = [f"✔ Đã thêm: {', '.join(self.added)}." if self.added else "Không có văn bản mới."]
        lines += [f"⚠️ {p}" for p in self.problems]
        lines += [
            f"{copy} trùng nội dung với {first}, không lập chỉ mục lần nữa."
            for copy, first in self.duplicates
        ]
        if self.ingest is not None:
            lines.append(f"Chỉ mục: {self.ingest.summary()}")
        return "\n\n".join(lines)


class DocumentService:
    """Saves uploads into the corpus folder and brings the index up to date."""

    def __init__(self, corpus: Path, index: Path, encoder: Callable[[], Encoder]):
        self.corpus = Path(corpus)
        self.index = index
        self._encoder = encoder

    def encoder(self) -> Encoder:
        try:
            return self._encoder()
        except IndexMissingError:
            return load_encoder(None)

    def add(
        self,
        password: str,
        files: Sequence[str] | None,
        on_progress: Callable[[float, str], None] | None = None,
    ) -> AddResult:
        expected = upload_password()
        if not expected:
            return AddResult(refused="Chức năng thêm văn bản đang tắt.")
        if not password or not hmac.compare_digest(password.encode(), expected.encode()):
            return AddResult(refused="Sai mật khẩu. Chưa lưu tệp nào.", wrong_password=True)
        if not files:
            return AddResult(refused="Hãy chọn ít nhất một tệp văn bản.")
        result = AddResult()
        saved: list[Path] = []
        for f in files:
            src = Path(f)
            try:
                target = save_upload(src, src.name, self.corpus)
            except (UploadError, OSError) as exc:
                result.problems.append(str(exc))
                continue
            if not is_candidate(target):
                target.unlink(missing_ok=True)
                result.problems.append(
                    f"{src.name}: định dạng {target.suffix} chưa được hỗ trợ khi lập chỉ mục; "
                    "tệp không được thêm."
                )
                continue
            saved.append(target)
        if not saved:
            if not result.problems:
                result.refused = "Không có tệp nào được thêm."
            return result
        notify = on_progress or (lambda fraction, message: None)
        notify(0.0, f"Đã lưu {len(saved)} tệp, bắt đầu lập chỉ mục")
        try:
            report = build(self.corpus, self.index, self.encoder(), on_progress=notify)
        except TracuuError as exc:
            result.problems.append(f"Lập chỉ mục không thành công: {exc}")
            return result
        result.ingest = report
        names = {p.relative_to(self.corpus).as_posix(): p for p in saved}
        for name, problem in report.failed:
            if name in names:
                # Never indexed: take the file back out so the corpus holds no dead weight.
                names[name].unlink(missing_ok=True)
                result.problems.append(f"{name}: {problem}; tệp không được thêm.")
        result.added = [n for n in names if n in report.added or n in report.updated]
        result.duplicates = [(c, f) for c, f in report.duplicates if c in names]
        return result
