"""The ONNX Runtime encoder: the same model, prompts, pooling and normalisation as torch.

It reads everything from the sentence-transformers folder the model was exported from
(tokenizer, ``max_seq_length``, the ``query``/``document`` prompts, the pooling mode), so the
vectors it returns stand in for :class:`~search.index.encoder.SentenceTransformerEncoder`'s
within the cosine bound the export was validated at (see :mod:`search.index.onnx_export`).
It needs onnxruntime, tokenizers and numpy only: a query process never imports torch.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import BackendError
from . import threads

DEFAULT_BATCH = 32


@dataclass(frozen=True)
class ModelSpec:
    """What the sentence-transformers pipeline of a model folder does around the network."""

    dim: int
    max_length: int
    query_prompt: str
    document_prompt: str
    pooling: str  # "mean" or "cls"
    normalize: bool
    pad_id: int
    split_special_tokens: bool  # literal "</s>" in a text is text, not a special token
    model_type: str = ""  # config.json's, e.g. "bert" (the export fuses BERT's attention)
    num_heads: int = 0
    hidden_size: int = 0


def read_spec(model_dir: Path) -> ModelSpec:
    """The pipeline of a sentence-transformers folder: Transformer → Pooling (→ Normalize)."""
    model_dir = Path(model_dir)

    def load(name: str) -> dict:
        path = model_dir / name
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    modules = load("modules.json")
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or set(kinds[2:]) - {"Normalize"}:
        raise BackendError(f"các mô-đun {kinds} (cần Transformer, Pooling, Normalize)")
    pool = load(f"{modules[1]['path']}/config.json")
    if pool.get("pooling_mode_mean_tokens") and pool.get("include_prompt", True):
        pooling = "mean"
    elif pool.get("pooling_mode_cls_token"):
        pooling = "cls"
    else:
        raise BackendError(f"kiểu gộp vector {pool}")
    config, tok_config = load("config.json"), load("tokenizer_config.json")
    st_config = load("config_sentence_transformers.json")
    max_length = load("sentence_bert_config.json").get("max_seq_length") or min(
        int(tok_config.get("model_max_length", 512)),
        int(config.get("max_position_embeddings", 512)),
    )
    # Same choice as SentenceTransformerEncoder: both prompts or neither.
    prompts = st_config.get("prompts") or {}
    document = next((prompts[k] for k in ("document", "passage", "corpus") if k in prompts), None)
    if "query" in prompts and document is not None:
        query_prompt, document_prompt = prompts["query"], document
    else:
        default = prompts.get(st_config.get("default_prompt_name") or "", "")
        query_prompt = document_prompt = default
    return ModelSpec(
        dim=int(pool.get("word_embedding_dimension") or config["hidden_size"]),
        max_length=int(max_length),
        query_prompt=query_prompt,
        document_prompt=document_prompt,
        pooling=pooling,
        normalize=True,  # the Encoder protocol promises unit vectors whatever the folder says
        pad_id=int(config.get("pad_token_id") or 0),
        split_special_tokens=bool(tok_config.get("split_special_tokens", False)),
        model_type=str(config.get("model_type", "")),
        num_heads=int(config.get("num_attention_heads", 0)),
        hidden_size=int(config.get("hidden_size", 0)),
    )


def encode_by_length(
    lengths: Sequence[int],
    batch_size: int,
    encode_batch: Callable[[list[int]], np.ndarray],
) -> np.ndarray:
    """Encode items in batches of similar length, rows back in the caller's order.

    ``encode_batch(indices)`` returns one row per index. Sorting first means a batch pads
    to the length of its longest item, not of the longest item anywhere near it.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    out: np.ndarray | None = None
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        rows = encode_batch(idx)
        if out is None:
            out = np.empty((len(order), rows.shape[1]), dtype=np.float32)
        out[idx] = rows
    return out if out is not None else np.zeros((0, 0), dtype=np.float32)


class OnnxEncoder:
    """An exported model run by ONNX Runtime; same interface as the torch encoder."""

    backend = "onnx"

    def __init__(
        self,
        name: str,
        model_dir: Path,
        onnx_path: Path,
        *,
        device: str = "cpu",
        batch_size: int = DEFAULT_BATCH,
        num_threads: int | None = None,
    ):
        """``num_threads`` overrides the process's thread budget (benchmarks compare both)."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.name = name
        self.batch_size = batch_size
        self.onnx_path = Path(onnx_path)
        self.spec = read_spec(model_dir)
        self.dim = self.spec.dim
        self.tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self.tokenizer.encode_special_tokens = self.spec.split_special_tokens
        self.tokenizer.enable_truncation(max_length=self.spec.max_length)
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        threads.ort_options(options)
        if num_threads:
            options.intra_op_num_threads = num_threads
        providers = ["CPUExecutionProvider"]
        if device == "cuda":
            providers.insert(0, "CUDAExecutionProvider")
        self.session = ort.InferenceSession(str(onnx_path), options, providers=providers)
        self._inputs = {i.name for i in self.session.get_inputs()}

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.spec.query_prompt + t for t in texts])

    def encode_documents(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        return self._encode([self.spec.document_prompt + t for t in texts])

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        ids = [e.ids for e in self.tokenizer.encode_batch(texts)]
        return encode_by_length(
            [len(x) for x in ids], self.batch_size, lambda idx: self._run([ids[i] for i in idx])
        )

    def _run(self, ids: list[list[int]]) -> np.ndarray:
        width = max(len(x) for x in ids)
        input_ids = np.full((len(ids), width), self.spec.pad_id, dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, x in enumerate(ids):
            input_ids[row, : len(x)] = x
            mask[row, : len(x)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(input_ids)
        hidden = self.session.run(None, feed)[0]
        if self.spec.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
