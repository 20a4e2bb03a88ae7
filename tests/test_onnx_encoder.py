"""The ONNX Runtime encoder against torch on real corpus text (slow: the real model)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CORPUS

from search.index.e5_build import ensure_default_model
from search.index.encoder import SentenceTransformerEncoder
from search.index.onnx_encoder import OnnxEncoder, read_spec
from search.index.onnx_export import ensure_onnx_model, sample_texts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model_dir():
    return ensure_default_model()


@pytest.fixture(scope="module")
def torch_encoder(model_dir):
    return SentenceTransformerEncoder(str(model_dir))


@pytest.fixture(scope="module")
def texts():
    passages, queries = sample_texts([CORPUS], n=50)
    return passages, queries


def test_reads_the_e5_pipeline(model_dir):
    spec = read_spec(model_dir)
    assert (spec.query_prompt, spec.document_prompt) == ("query: ", "passage: ")
    assert (spec.pooling, spec.max_length, spec.dim) == ("mean", 512, 384)


def test_tokens_match_sentence_transformers(model_dir, torch_encoder, texts):
    onnx = OnnxEncoder("e5", model_dir, ensure_onnx_model(model_dir).path("fp32"))
    tricky = [
        "  khoảng trắng đầu và cuối  ",
        "văn bản có </s> và <s> ở giữa",
        "dài " * 700,  # past 512 tokens: truncated the same way
        *texts[0][:10],
    ]
    st = torch_encoder.model
    for prompt in ("query: ", "passage: "):
        want = st.tokenizer([prompt + t for t in tricky], truncation=True, max_length=512)
        got = [e.ids for e in onnx.tokenizer.encode_batch([prompt + t for t in tricky])]
        assert got == want["input_ids"]


@pytest.mark.parametrize("variant", ["fp32", "int8"])
def test_onnx_vectors_match_torch(model_dir, torch_encoder, texts, variant):
    export = ensure_onnx_model(model_dir)
    onnx = OnnxEncoder("e5", model_dir, export.path(variant))
    passages, queries = texts
    for ours, theirs in [
        (onnx.encode_documents(passages), torch_encoder.encode_documents(passages)),
        (onnx.encode_queries(queries), torch_encoder.encode_queries(queries)),
    ]:
        assert ours.shape == theirs.shape == (50, 384)
        assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        cos = np.sum(ours * theirs, axis=1)
        assert cos.min() >= (0.9999 if variant == "fp32" else 0.98), cos.min()
        if variant == "fp32":
            continue
        assert cos.mean() >= 0.99  # int8: within the bound on average


def test_export_records_its_check(model_dir):
    export = ensure_onnx_model(model_dir)
    fp32 = export.validation["fp32"]
    assert fp32["passed"] and fp32["min"] >= 0.999 and fp32["n"] >= 400
    assert export.chosen in ("int8", "fp32")
    assert export.path().is_file()
