"""Export a local sentence-transformers model to ONNX once, and check it against torch.

``ensure_onnx_model(model_dir)`` returns the cached export, making it first if needed: the
network traced with ``torch.onnx.export`` (eager attention, on a padded batch, dynamic batch
and sequence axes) into ``model.onnx``, an int8 copy (``model_int8.onnx``, dynamic
quantisation, per-channel weights), and ``export.json`` holding how close each one came to
the torch encoder on a few hundred real texts with both prompts. The variant used is the
fastest that passes its gate (int8, else fp32); when neither passes, callers fall back to
torch. Nothing is downloaded: the export reads only the model folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .e5_build import build_lock
from .onnx_encoder import read_spec

# Bump when the exported files change, so that stale exports are made again.
EXPORT_REVISION = 2
MARKER = "export.json"
VARIANTS = {"int8": "model_int8.onnx", "fp32": "model.onnx"}
# (mean, min) cosine to torch a variant needs. A faithful fp32 export is > 0.9999 everywhere;
# int8 rounds activations, and is kept only while it stays this close.
GATES = {"int8": (0.999, 0.99), "fp32": (0.9999, 0.999)}
SAMPLE_SIZE = 200  # passages, and as many queries: 400 texts, both prompts
# Feed-forward blocks the int8 copy leaves in fp32: rounded alone, each of these two moves the
# vectors ten times more than any other layer's (measured per layer on corpus/); keeping them
# halves the int8 copy's distance to torch (mean cosine 0.9953 → 0.9982) for little speed.
FP32_LAYERS = (0, 4)
VARIANT_ENV = "TRACUU_ONNX_VARIANT"  # "int8" or "fp32": use it even if it failed its gate


@dataclass(frozen=True)
class OnnxExport:
    folder: Path
    chosen: str | None  # "int8", "fp32", or None when no variant passed its gate
    validation: dict

    def path(self, variant: str | None = None) -> Path:
        return self.folder / VARIANTS[variant or self.chosen or "fp32"]

    def forced(self) -> OnnxExport:
        """The variant named by $TRACUU_ONNX_VARIANT, if any, whatever its check said."""
        variant = os.environ.get(VARIANT_ENV, "").strip().lower()
        if not variant:
            return self
        if variant not in VARIANTS:
            from ..errors import BackendError

            raise BackendError(f"{VARIANT_ENV}={variant}: chọn một trong: {', '.join(VARIANTS)}")
        return OnnxExport(self.folder, variant, self.validation)


def cache_root() -> Path:
    from .e5_build import default_model_dir

    return default_model_dir().parent


def export_dir(model_dir: Path) -> Path:
    """Where the export of ``model_dir`` lives: beside it in the cache, else named by hash."""
    model_dir = Path(model_dir).resolve()
    root = cache_root()
    if model_dir.parent == root.resolve():
        return root / f"{model_dir.name}-onnx"
    digest = hashlib.sha1(str(model_dir).encode()).hexdigest()[:8]
    return root / f"{model_dir.name}-{digest}-onnx"


def source_fingerprint(model_dir: Path) -> str:
    """Changes when the model folder is rebuilt: configs, tokenizer, weights' size and time."""
    h = hashlib.sha256(f"revision {EXPORT_REVISION}\n".encode())
    for p in sorted(Path(model_dir).rglob("*")):
        if not p.is_file() or p.name.endswith(".lock"):
            continue
        h.update(p.relative_to(model_dir).as_posix().encode())
        if p.suffix in (".json", ".txt", ".model"):
            h.update(p.read_bytes())
        else:
            st = p.stat()
            h.update(f"{st.st_size} {st.st_mtime_ns}".encode())
    return h.hexdigest()


def read_export(model_dir: Path) -> OnnxExport | None:
    """The complete, current export of ``model_dir``, or None."""
    folder = export_dir(model_dir)
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if marker.get("source") != source_fingerprint(model_dir):
        return None
    return OnnxExport(folder, marker.get("chosen"), marker.get("validation", {}))


def ensure_onnx_model(model_dir: Path, *, texts: tuple[list[str], list[str]] | None = None):
    """Return the export of ``model_dir``, exporting and validating it first if needed.

    ``texts`` = (passages, queries) to validate on; default: :func:`sample_texts`.
    """
    model_dir = Path(model_dir)
    found = read_export(model_dir)
    if found is not None:
        return found
    folder = export_dir(model_dir)
    with build_lock(folder):
        found = read_export(model_dir)  # another process may have made it meanwhile
        if found is not None:
            return found
        for stale in folder.parent.glob(f"{folder.name}.part-*"):
            shutil.rmtree(stale, ignore_errors=True)
        print(
            "Đang chuyển mô hình sang ONNX và so với bản torch (chỉ làm một lần, 1-2 phút)...",
            file=sys.stderr,
            flush=True,
        )
        tmp = Path(tempfile.mkdtemp(prefix=f"{folder.name}.part-", dir=folder.parent))
        try:
            marker = _export_and_validate(model_dir, tmp, texts or sample_texts())
            (tmp / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
            for p in [tmp, *tmp.iterdir()]:
                p.chmod(0o755 if p.is_dir() else 0o644)
            if folder.exists():
                shutil.rmtree(folder)
            os.replace(tmp, folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return OnnxExport(folder, marker["chosen"], marker["validation"])


def _export_and_validate(model_dir: Path, out: Path, texts: tuple[list[str], list[str]]) -> dict:
    t0 = time.perf_counter()
    traced = out / "traced.onnx"
    export_fp32(model_dir, traced)
    quantize_int8(traced, out / VARIANTS["int8"])
    fuse(traced, out / VARIANTS["fp32"], read_spec(model_dir))
    traced.unlink()
    seconds = time.perf_counter() - t0
    validation = validate(model_dir, out, texts)
    chosen = next((v for v in ("int8", "fp32") if validation[v]["passed"]), None)
    import onnxruntime
    import torch

    return {
        "revision": EXPORT_REVISION,
        "source": source_fingerprint(model_dir),
        "model_dir": str(model_dir),
        "chosen": chosen,
        "validation": validation,
        "export_seconds": round(seconds, 1),
        "versions": {"torch": torch.__version__, "onnxruntime": onnxruntime.__version__},
        "made_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def export_fp32(model_dir: Path, dest: Path) -> None:
    """Trace the network (token ids and mask → last hidden state) into an ONNX file."""
    import torch
    from transformers import AutoModel

    spec = read_spec(model_dir)
    st_config = json.loads((model_dir / "sentence_bert_config.json").read_text("utf-8"))
    model = AutoModel.from_pretrained(
        str(model_dir), attn_implementation="eager", **st_config.get("model_args", {})
    ).eval()
    tok_config = json.loads((model_dir / "tokenizer_config.json").read_text("utf-8"))
    names = ["input_ids", "attention_mask"]
    if "token_type_ids" in tok_config.get("model_input_names", []):
        names.append("token_type_ids")

    class Network(torch.nn.Module):
        """Keyword arguments, as sentence-transformers calls the model."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.model(**dict(zip(names, inputs, strict=True))).last_hidden_state

    # A padded batch, so the traced graph keeps the masking of padded positions.
    ids = torch.full((2, 16), spec.pad_id, dtype=torch.long)
    ids[0, :16] = torch.arange(5, 21)
    ids[1, :7] = torch.arange(30, 37)
    mask = (ids != spec.pad_id).long()
    inputs = (ids, mask, torch.zeros_like(ids))[: len(names)]
    axes = {n: {0: "batch", 1: "sequence"} for n in [*names, "last_hidden_state"]}
    # The tracer warns about Python control flow on shapes; the comparison with torch that
    # follows is what tells whether the graph is right.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Network(),
            inputs,
            str(dest),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
            do_constant_folding=True,
        )


def fuse(src: Path, dest: Path, spec) -> None:
    """ONNX Runtime's BERT fusions: one Attention op per layer, SkipLayerNorm, BiasGelu.

    The same arithmetic in fewer, larger kernels (about 1.3x faster on 2 cores); the check
    against torch that follows applies to the fused graph. Other architectures stay as traced.
    """
    import logging

    from onnxruntime.transformers import optimizer

    if spec.model_type != "bert":
        shutil.copyfile(src, dest)
        return
    logging.getLogger("onnxruntime.transformers").setLevel(logging.ERROR)
    model = optimizer.optimize_model(
        str(src),
        model_type="bert",
        num_heads=spec.num_heads,
        hidden_size=spec.hidden_size,
        opt_level=1,
        use_gpu=False,
    )
    model.save_model_to_file(str(dest))


def quantize_int8(src: Path, dest: Path) -> None:
    """Dynamic int8 quantisation: per-channel weights, int8 activations computed per call."""
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    keep = [
        n.name
        for n in onnx.load(str(src), load_external_data=False).graph.node
        if n.op_type == "MatMul"
        and any(f"/layer.{i}/" in n.name for i in FP32_LAYERS)
        and ("/intermediate/" in n.name or "/output/dense/" in n.name)
        and "/attention/" not in n.name
    ]
    logging.getLogger().setLevel(logging.ERROR)  # its "consider pre-processing" notice
    quantize_dynamic(
        str(src), str(dest), weight_type=QuantType.QInt8, per_channel=True, nodes_to_exclude=keep
    )


def validate(model_dir: Path, folder: Path, texts: tuple[list[str], list[str]]) -> dict:
    """Cosine of each variant's vectors to the torch encoder's, per prompt and overall."""
    from .encoder import SentenceTransformerEncoder
    from .onnx_encoder import OnnxEncoder

    passages, queries = texts
    torch_enc = SentenceTransformerEncoder(str(model_dir))
    ref = (torch_enc.encode_documents(passages), torch_enc.encode_queries(queries))
    out = {}
    for variant, file in VARIANTS.items():
        enc = OnnxEncoder(str(model_dir), model_dir, folder / file)
        got = (enc.encode_documents(passages), enc.encode_queries(queries))
        cos = [np.sum(a * b, axis=1) for a, b in zip(got, ref, strict=True)]
        both = np.concatenate(cos)
        gate_mean, gate_min = GATES[variant]
        out[variant] = {
            "mean": round(float(both.mean()), 6),
            "min": round(float(both.min()), 6),
            "passages": {
                "mean": round(float(cos[0].mean()), 6),
                "min": round(float(cos[0].min()), 6),
            },
            "queries": {
                "mean": round(float(cos[1].mean()), 6),
                "min": round(float(cos[1].min()), 6),
            },
            "n": int(both.size),
            "passed": bool(both.mean() >= gate_mean and both.min() >= gate_min),
        }
    return out


def sample_texts(folders: list[Path] | None = None, n: int = SAMPLE_SIZE):
    """(passages, queries) from the corpus's own text: runs of 1-8 lines, and line starts."""
    if folders is None:
        root = Path(__file__).resolve().parents[2]
        folders = [Path(p) for p in (os.environ.get("TRACUU_CORPUS"), root / "corpus") if p]
    lines: list[str] = []
    for folder in folders:
        for path in sorted(Path(folder).glob("**/*")):
            if path.suffix.lower() in (".txt", ".md") and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                lines += [x.strip() for x in text.splitlines() if len(x.strip()) >= 20]
    windows = {"\n".join(lines[i : i + 1 + i % 8]) for i in range(len(lines))}
    starts = {" ".join(x.split()[:8]) for x in lines}

    def pick(items: set[str]) -> list[str]:  # a spread that does not depend on set order
        return sorted(items, key=lambda s: hashlib.sha1(s.encode()).hexdigest())[:n]

    passages, queries = pick(windows), pick(starts)
    if len(passages) < n // 2:
        from ..errors import BackendError

        raise BackendError(
            f"không đủ văn bản mẫu để kiểm tra bản ONNX ({len(passages)} đoạn trong "
            f"{', '.join(map(str, folders))})"
        )
    return passages, queries
