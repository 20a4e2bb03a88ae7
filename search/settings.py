"""Query-time ranking settings: in code, overridable without touching the index.

The index records only what building it decided (model, chunker, parser and lexical
versions). How its passages are ranked is the searcher's business: defaults here, then a
JSON file named by ``$TRACUU_SETTINGS``, then single ``TRACUU_RANK_<FIELD>`` variables
(``TRACUU_RANK_DENSE_WEIGHT=0.7``). ``python -m search --explain`` prints what was used.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import SettingsError

SETTINGS_ENV = "TRACUU_SETTINGS"
FIELD_ENV_PREFIX = "TRACUU_RANK_"


@dataclass(frozen=True)
class RankingSettings:
    method: str = "weighted"  # "weighted" (min-max normalised sum) or "rrf"
    # Chosen on the dev set (scripts/tune_fusion.py): 0.5-0.7 dense all score alike there;
    # 0.6 sits in the middle of that plateau.
    dense_weight: float = 0.6
    lexical_weight: float = 0.4
    rrf_k: int = 60
    candidates: int = 100  # top-N of each ranking that take part
    doc_prior_weight: float = 0.2  # bonus for documents matching the query's year/type/number
    # The encoder reads Vietnamese typed without diacritics poorly: trust it less then,
    # even after the corpus has put the diacritics back (restore_diacritics). Chosen on the
    # probe set (eval/probe/README.md).
    unaccented_dense_weight: float = 0.45
    restore_diacritics: bool = True
    # Bonus for passages at the address a query names ("khoản 2 Điều 9"): an explicit
    # request that outranks topical similarity.
    section_ref_weight: float = 1.0
    # Weight of the heading field (a passage's own title or row name) against its text: the
    # largest of 0.3/0.5/1.0 that gains on eval/answerability/laws.jsonl (hit@1 0.918 ->
    # 0.939) and loses nothing on the dev, probe and answerability corpus sets.
    heading_weight: float = 0.3
    # Bonus for a passage stating the number a question counts or measures ("mấy bậc" →
    # "05 bậc"; query.read_measure), among the first RERANK passages (query/searcher.py).
    measure_weight: float = 0.1
    # Bonus for a passage holding the kind of answer a question asks ("cơ quan nào chủ trì"
    # → a body that leads; spans.has_shape), among the same first passages. Chosen on the
    # dev set (0.1 to 0.3 gain the same q-id there; nothing moves on probe or answerability).
    shape_weight: float = 0.1
    # Taken off a footnote's score among the same first passages: a footnote defines a term
    # or gives last year's figure ("[1] Năm 2025, tỷ lệ ... đạt 61,4%"), short and dense in
    # the query's words; the provision it annotates is what to cite. Chosen on all sets
    # (fresh18 and fresh21 gain at 0.05; nothing lost anywhere).
    footnote_weight: float = 0.05
    # Taken off a passage of another stage than the one a query names ("đợt 2" asked, "Kết
    # quả ... đợt 1" found) among the same first passages: a stage named is a filter, as a
    # year is. The smallest of 0.05/0.1/0.2 that lifts the stage asked on fresh25 (the set
    # that showed it); with the not-found rule reading the next passages when the first
    # names no stage (answerability.py), no other set moves.
    phase_weight: float = 0.2

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any], *, source: str = "") -> RankingSettings:
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise SettingsError(
                f"{source or 'cài đặt xếp hạng'}: không có mục {unknown}; "
                f"các mục hợp lệ: {sorted(known)}"
            )
        values = {k: _coerce(known[k].type, v, k, source) for k, v in data.items()}
        settings = replace(cls(), **values)
        if settings.method not in ("weighted", "rrf"):
            raise SettingsError(f"{source}: method phải là 'weighted' hoặc 'rrf'")
        return settings

    @classmethod
    def load(cls, environ: dict[str, str] | None = None) -> RankingSettings:
        """Defaults, then the file in $TRACUU_SETTINGS, then TRACUU_RANK_<FIELD> variables."""
        env = os.environ if environ is None else environ
        data: dict[str, Any] = {}
        source = "biến môi trường"
        if path := env.get(SETTINGS_ENV):
            try:
                data.update(json.loads(Path(path).read_text(encoding="utf-8")))
            except (OSError, ValueError) as exc:
                raise SettingsError(f"{path}: không đọc được tệp cài đặt ({exc})") from exc
            source = path
        for f in fields(cls):
            if (value := env.get(FIELD_ENV_PREFIX + f.name.upper())) is not None:
                data[f.name] = value
        return cls.from_json(data, source=source) if data else cls()


def _coerce(kind: Any, value: Any, name: str, source: str) -> Any:
    kind = kind if isinstance(kind, str) else kind.__name__
    try:
        if kind == "bool":
            if isinstance(value, str):
                return value.strip().lower() in ("1", "true", "yes", "on")
            return bool(value)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"{source}: {name} phải là {kind}, không phải {value!r}") from exc
