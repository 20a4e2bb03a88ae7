"""Sidecar metadata (``<file>.meta.json``): read, checked against a small schema, applied.

A sidecar corrects or completes what a document states about itself::

    {"number": "05/CTr-TU", "date": "10/02/2026", "issuer": "Tỉnh ủy Cà Mau", "year": 2026}

Every field is checked on its own. A bad one is reported in one line naming the sidecar and
the field, and left out; the good ones still apply. ``null`` clears a field the document
states wrongly. A sidecar that cannot be read as a JSON object fails its document.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import DocumentError
from ..extract.common import is_inside
from ..records import DocMeta
from ..text.display import display_name

SUFFIX = ".meta.json"
MAX_BYTES = 64 * 1024  # a sidecar holds a few short fields
# Strings: the longest value each field can sensibly hold.
TEXT_FIELDS = {"doc_type": 100, "number": 60, "issuer": 300, "title": 1000, "signer": 100}
FIELDS = (*TEXT_FIELDS, "date", "year")
FIRST_YEAR, LAST_YEAR = 1900, 2100
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Sidecar:
    """The fields that passed the schema (None clears a field) and one line per problem."""

    fields: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SUFFIX)


def read_sidecar(path: Path, *, root: Path | None = None) -> Sidecar | None:
    """The checked sidecar of the document at ``path``; None when it has none.

    With ``root``, a sidecar that is a link leading out of that folder is ignored (with a
    warning), like any other file there. Raises DocumentError when the sidecar exists but
    is not a JSON object.
    """
    side = sidecar_path(path)
    name = display_name(side.name)
    if not os.path.lexists(side):
        return None
    if root is not None and not is_inside(side, root):
        return Sidecar(warnings=(f"{name}: liên kết trỏ ra ngoài thư mục văn bản, bỏ qua",))
    if not side.is_file():
        return Sidecar(warnings=(f"{name}: không phải tệp thông thường, bỏ qua",))
    try:
        with open(side, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise DocumentError(name, f"tệp siêu dữ liệu quá lớn (tối đa {MAX_BYTES // 1024} KB)")
        data = json.loads(raw.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DocumentError(name, f"không đọc được tệp siêu dữ liệu ({reason})") from exc
    if not isinstance(data, dict):
        raise DocumentError(name, "tệp siêu dữ liệu phải là một đối tượng JSON")
    return validate(data, name)


def validate(data: dict[str, Any], name: str = "tệp siêu dữ liệu") -> Sidecar:
    """Check each field; ``name`` starts each warning ("x.txt.meta.json: trường ...")."""
    fields: dict[str, Any] = {}
    warnings: list[str] = []
    for key, value in data.items():
        if key not in FIELDS:
            warnings.append(
                f"{name}: trường '{display_name(str(key))}' không được hỗ trợ "
                f"(các trường: {', '.join(FIELDS)}), bỏ qua"
            )
            continue
        if value is None:
            fields[key] = None
            continue
        try:
            fields[key] = _check(key, value)
        except ValueError as exc:
            warnings.append(f"{name}: trường '{key}' {exc}")
    date, year = fields.get("date"), fields.get("year")
    if date and year and int(date[-4:]) != year:
        del fields["year"]
        warnings.append(
            f"{name}: trường 'year' ({year}) không khớp với năm của trường 'date' ({date}), "
            f"dùng năm {date[-4:]}"
        )
    return Sidecar(fields, tuple(warnings))


def apply_sidecar(meta: DocMeta, sidecar: dict[str, Any] | None) -> DocMeta:
    """``meta`` with the sidecar's valid fields; a sidecar date without a year sets the year.

    Fields are checked again here, so a caller passing a dict of its own cannot put a value
    of the wrong type into a DocMeta; bad ones are dropped silently (``validate`` says why).
    """
    if not sidecar:
        return meta
    updates = validate(sidecar).fields
    if updates.get("date") and "year" not in updates:
        updates["year"] = int(updates["date"][-4:])
    return replace(meta, **updates)


def _check(key: str, value: Any) -> str | int:
    if key == "year":
        return _year(value)
    if not isinstance(value, str):
        raise ValueError(f"phải là chuỗi văn bản, không phải {_show(value)}")
    text = unicodedata.normalize("NFC", " ".join(value.split()))
    if key == "date":
        return _date(text, value)
    if not text:
        raise ValueError("không được để trống (muốn bỏ trường thì ghi null)")
    if not text.isprintable():
        raise ValueError("chứa ký tự điều khiển")
    if len(text) > TEXT_FIELDS[key]:
        raise ValueError(f"dài quá {TEXT_FIELDS[key]} ký tự ({len(text)})")
    return text


def _year(value: Any) -> int:
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
    if number is None or not FIRST_YEAR <= number <= LAST_YEAR:
        raise ValueError(f"phải là số năm ({FIRST_YEAR}–{LAST_YEAR}), không phải {_show(value)}")
    return number


def _date(text: str, value: Any) -> str:
    m = _DATE.match(text)
    try:
        if not m:
            raise ValueError
        d, mo, y = (int(g) for g in m.groups())
        datetime.date(y, mo, d)
        if not FIRST_YEAR <= y <= LAST_YEAR:
            raise ValueError
    except ValueError:
        raise ValueError(
            f"phải là ngày có thật dạng dd/mm/yyyy, không phải {_show(value)}"
        ) from None
    return f"{d:02d}/{mo:02d}/{y}"


def _show(value: Any) -> str:
    """A value as a message quotes it: short, one line."""
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:39] + "…"
        return f"'{display_name(text)}'"
    text = json.dumps(value, ensure_ascii=False)
    return display_name(text if len(text) <= 40 else text[:39] + "…")
