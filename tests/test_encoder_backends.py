"""Choosing the encoder backend, falling back to torch, batching by length (with fakes)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from fakes import HASHING_MODEL

from search.errors import BackendError
from search.index import encoder as encoder_mod
from search.index import onnx_encoder, onnx_export
from search.index.encoder import backend_name, load_encoder
from search.index.onnx_encoder import encode_by_length
from search.index.onnx_export import OnnxExport


def test_batches_by_length_and_restores_the_order():
    texts = ["ccccc", "a", "ccc", "bb", "cccc", "dddddd", "e"]
    seen: list[list[str]] = []

    def encode_batch(idx: list[int]) -> np.ndarray:
        seen.append([texts[i] for i in idx])
        return np.array([[float(len(texts[i])), float(i)] for i in idx])

    out = encode_by_length([len(t) for t in texts], 3, encode_batch)
    assert seen == [["a", "e", "bb"], ["ccc", "cccc", "ccccc"], ["dddddd"]]
    assert out[:, 1].tolist() == list(range(len(texts)))  # row i is text i again
    assert out[:, 0].tolist() == [len(t) for t in texts]


def test_no_texts_no_batches():
    assert encode_by_length([], 8, lambda idx: pytest.fail("called")).shape[0] == 0


class FakeTorch:
    backend = "torch"

    def __init__(self, name, *, device="cpu", **_):
        self.name, self.device, self.dim = name, device, 4


class FakeOnnx:
    backend = "onnx"

    def __init__(self, name, model_dir, onnx_path, *, device="cpu", **_):
        self.name, self.path, self.device, self.dim = name, Path(onnx_path), device, 4


@pytest.fixture
def model_dir(tmp_path, monkeypatch):
    """A local model folder, with both backends replaced by fakes."""
    monkeypatch.delenv("TRACUU_BACKEND", raising=False)
    monkeypatch.setattr(encoder_mod, "SentenceTransformerEncoder", FakeTorch)
    monkeypatch.setattr(onnx_encoder, "OnnxEncoder", FakeOnnx)
    folder = tmp_path / "model"
    folder.mkdir()
    return folder


def _export(monkeypatch, chosen=None, error=None):
    def ensure(path, **_):
        if error:
            raise error
        return OnnxExport(Path("/x/e5-onnx"), chosen, {"fp32": {"mean": 0.98, "min": 0.95}})

    monkeypatch.setattr(onnx_export, "ensure_onnx_model", ensure)


def test_onnx_int8_by_default_when_its_export_passed(model_dir, monkeypatch):
    _export(monkeypatch, chosen="int8")
    enc = load_encoder(str(model_dir))
    assert enc.backend == "onnx" and enc.path.name == "model_int8.onnx"
    assert enc.name == str(model_dir)  # same name as torch: the index is shared


def test_fp32_when_only_fp32_passed(model_dir, monkeypatch):
    _export(monkeypatch, chosen="fp32")
    assert load_encoder(str(model_dir)).path.name == "model.onnx"


def test_torch_when_asked(model_dir, monkeypatch):
    _export(monkeypatch, error=AssertionError("must not export"))
    assert load_encoder(str(model_dir), backend="torch").backend == "torch"
    monkeypatch.setenv("TRACUU_BACKEND", "torch")
    assert load_encoder(str(model_dir)).backend == "torch"


def test_failed_validation_falls_back_to_torch_with_one_line(model_dir, monkeypatch, capsys):
    _export(monkeypatch, chosen=None)
    assert load_encoder(str(model_dir), backend="onnx").backend == "torch"
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Cảnh báo: bản ONNX lệch") and "dùng torch" in err[0]


def test_export_failure_falls_back_to_torch(model_dir, monkeypatch, capsys):
    _export(monkeypatch, error=RuntimeError("đĩa đầy"))
    assert load_encoder(str(model_dir)).backend == "torch"
    assert "không chuyển được mô hình sang ONNX (RuntimeError: đĩa đầy)" in capsys.readouterr().err


def test_without_onnxruntime(model_dir, monkeypatch, capsys):
    _export(monkeypatch, chosen="int8")
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails
    assert load_encoder(str(model_dir)).backend == "torch"  # quietly: nothing was asked
    assert capsys.readouterr().err == ""
    with pytest.raises(BackendError, match="chưa cài onnxruntime"):
        load_encoder(str(model_dir), backend="onnx")


def test_unknown_backend_lists_the_choices(monkeypatch):
    monkeypatch.setenv("TRACUU_BACKEND", "openvino")
    with pytest.raises(BackendError, match="torch, onnx"):
        backend_name()
    assert backend_name("ONNX") == "onnx"


def test_plugins_ignore_the_backend(monkeypatch):
    monkeypatch.setenv("TRACUU_BACKEND", "onnx")
    assert load_encoder(HASHING_MODEL).name == HASHING_MODEL


def test_cuda_without_a_gpu_is_one_clear_error(tmp_path):
    # Real torch and onnxruntime: this machine (and CI) have no GPU.
    with pytest.raises(BackendError, match="không tìm thấy GPU CUDA.*bỏ --device cuda"):
        load_encoder(str(tmp_path), backend="torch", device="cuda")
    with pytest.raises(BackendError, match="CUDAExecutionProvider"):
        load_encoder(str(tmp_path), backend="onnx", device="cuda")


def test_ingest_cli_reports_a_missing_gpu(tmp_path, capsys):
    from search.cli import ingest_main

    (tmp_path / "corpus").mkdir()
    args = ["--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "index")]
    assert ingest_main([*args, "--backend", "torch", "--device", "cuda"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("Lỗi: không tìm thấy GPU CUDA") and len(err.splitlines()) == 1
