"""Cost as the archive grows: `make bench-scale` (numbers and, with --json, JSON).

Builds indexes of 10k, 100k and 1M passages from the real documents and measures, on each:
build time and peak memory of the process that wrote it, load time, warm query latency
(p50/p95 over >= 200 varied queries: accented, unaccented, filtered, provision-addressed,
encoding included), memory of the serving process after the queries, size on disk, dense
recall@10 against exact search, and the time to add, change and remove one document.

The archive is the seed documents (corpus/, the law fixtures) re-issued again and again
under new numbers, years and province names, so the lexical statistics stay realistic.
Passages go through the project's own index writer in bounded batches. Vectors: the real
encoder embeds every seed passage and a sample of re-issued ones; the other re-issued
passages get their seed passage's vector plus noise scaled to the cosine measured on that
sample. The output says so.

    python scripts/bench_scale.py [--sizes 10000,100000,1000000] [--json] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

SEEDS = [
    *sorted((ROOT / "corpus").glob("*.txt")),
    *sorted((ROOT / "eval/answerability/laws").glob("*.txt")),
    *(ROOT / "tests/fixtures/docs" / n for n in ("luat_mau.txt", "nghidinh_mau.txt")),
]
PROVINCES = ["Bạc Liêu", "Sóc Trăng", "Kiên Giang", "An Giang", "Hậu Giang", "Cần Thơ",
             "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "Tiền Giang", "Long An"]  # fmt: skip
BATCH = 100_000  # passages per written segment
SAMPLE = 300  # re-issued passages embedded for real (noise calibration)
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-3]\d)(?!\d)")
_NUMBER = re.compile(r"(?<![\d/])(\d{1,3})(?=[/-](?:CTr|CT|KH|QĐ|NQ|TB|BC|KL|TTr)\b)")


def reissue(text: str, copy: int) -> str:
    """The text as the ``copy``-th re-issue: other years, numbers and province."""
    if copy == 0:
        return text
    shift = copy % 9 - 4 or 5
    province = PROVINCES[copy % len(PROVINCES)]
    text = _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    text = _NUMBER.sub(lambda m: f"{(int(m.group(1)) + 13 * copy) % 400 + 1:02d}", text)
    return text.replace("Cà Mau", province).replace("CÀ MAU", province.upper())


def _reissue_json(value, copy: int):
    if isinstance(value, str):
        return reissue(value, copy)
    if isinstance(value, list):
        return [_reissue_json(v, copy) for v in value]
    if isinstance(value, dict):
        return {k: _reissue_json(v, copy) for k, v in value.items()}
    return value


class Seeds:
    """The seed documents parsed once, their passages embedded for real."""

    def __init__(self, encoder):
        from search.extract import extract
        from search.index.chunker import Chunker
        from search.structure.parser import parse_text

        self.docs = []  # (file name, text, [chunk records])
        for path in SEEDS:
            text = extract(path, path.name).text
            chunks = Chunker().chunks(parse_text(text, doc=path.name))
            self.docs.append((path.name, text, [c.to_json() for c in chunks]))
        self.records = [r for _, _, recs in self.docs for r in recs]
        texts = [r["embed_text"] for r in self.records]
        t = time.perf_counter()
        self.vectors = encoder.encode_documents(texts).astype(np.float32)
        self.encode_rate = len(texts) / (time.perf_counter() - t)
        # A sample of re-issued passages, embedded for real: how far a re-issue moves.
        rng = np.random.default_rng(7)
        picks = rng.choice(len(texts), size=min(SAMPLE, len(texts)), replace=False)
        variants = [reissue(texts[i], 1 + i % 40) for i in picks]
        real = encoder.encode_documents(variants).astype(np.float32)
        cos = np.sum(real * self.vectors[picks], axis=1)
        self.cosine = float(np.mean(cos))
        d = self.vectors.shape[1]
        self.sigma = float(np.sqrt(max(1 / self.cosine**2 - 1, 1e-6) / d))
        self.sample = {(int(i), 1 + int(i) % 40): v for i, v in zip(picks, real, strict=True)}

    @property
    def per_copy(self) -> int:
        return len(self.records)


def write_archive(seeds: Seeds, size: int, work: Path, model: dict) -> dict:
    """The corpus folder and the index of ``size`` passages, written by the real writer."""
    from search.index import store
    from search.index.chunker import ChunkerSettings
    from search.index.ingest import _fingerprint
    from search.index.merge import merge_plan
    from search.index.segment import Segment
    from search.index.writer import IndexWriter

    corpus, index = work / "corpus", work / "index"
    shutil.rmtree(work, ignore_errors=True)
    corpus.mkdir(parents=True)
    rng = np.random.default_rng(size)
    documents: dict = {}
    writer = IndexWriter(
        index, model=model, chunker=ChunkerSettings().to_json(), documents=documents, workers=2
    )
    batch, vectors, written = [], [], 0
    copy = 0
    while written < size:
        offset = 0
        for name, text, records in seeds.docs:
            if written >= size:
                break
            doc = f"c{copy:05d}_{name}"
            (corpus / doc).write_text(reissue(text, copy), encoding="utf-8")
            fp = _fingerprint(corpus / doc)
            take = records[: size - written]
            for seq, record in enumerate(take):
                r = _reissue_json(record, copy)
                r["meta"], r["id"] = doc, f"{fp[:12]}#{seq}"
                batch.append(r)
                base = seeds.vectors[offset + seq]
                v = seeds.sample.get((offset + seq, copy))
                if v is None:
                    v = base if copy == 0 else base + rng.normal(0, seeds.sigma, base.shape)
                vectors.append(v / np.linalg.norm(v))
            documents[doc] = {"fingerprint": fp, "meta": _doc_meta(seeds, name, copy, doc)}
            written += len(take)
            offset += len(records)
            if len(batch) >= BATCH:
                _flush(writer, batch, vectors, documents)
        copy += 1
    if batch:
        _flush(writer, batch, vectors, documents)
    # The merge policy an ingest would apply after these batches.
    kept = [Segment(p) for p in writer.written]
    writer.kept, writer.written = kept, []
    live = [(s.name, s.rows, s.rows) for s in kept]
    writer.merge(merge_plan(live))
    writer.publish()
    for s in kept:
        s.close()
    return {"corpus": str(corpus), "index": str(index), "copies": copy, "docs": len(documents),
            "segments": len(store.read_manifest(index)["segments"])}  # fmt: skip


_META_CACHE: dict = {}


def _doc_meta(seeds: Seeds, name: str, copy: int, doc: str) -> dict:
    """The re-issued document's metadata (parsed once per seed)."""
    from search.structure.parser import parse_text

    if name not in _META_CACHE:
        text = next(t for n, t, _ in seeds.docs if n == name)
        _META_CACHE[name] = parse_text(text, doc=name).meta.to_json()
    meta = _reissue_json(_META_CACHE[name], copy)
    meta["doc"] = doc
    return meta


def _flush(writer, batch: list, vectors: list, documents: dict) -> None:
    from search.records import Chunk, DocMeta

    metas = {d: DocMeta.from_json(e["meta"]) for d, e in documents.items()}
    chunks = [Chunk.from_json(r, metas) for r in batch]
    writer.add_segment(chunks, np.stack(vectors).astype(np.float32))
    batch.clear()
    vectors.clear()


def queries(limit: int = 240) -> list[dict]:
    """Varied queries: as typed, without diacritics, filtered, addressing a provision."""
    from search.text.normalize import fold

    texts = []
    for path in ("../shared/eval/queries.jsonl", "eval/probe/queries.jsonl",
                 "eval/heldout/queries.jsonl", "eval/answerability/corpus.jsonl"):  # fmt: skip
        p = ROOT / path
        if p.exists():
            texts += [
                json.loads(x)["query"] for x in p.read_text(encoding="utf-8").splitlines() if x
            ]
    texts = [t for t in texts if len(t) < 300]
    out = [{"query": t} for t in texts[:120]]
    out += [{"query": fold(t).lower()} for t in texts[120:170]]
    out += [{"query": t, "year": 2020 + i % 8} for i, t in enumerate(texts[170:205])]
    out += [{"query": t, "kind": "table_row"} for t in texts[205:220]]
    laws = ["Luật Cư trú", "Luật Bảo vệ quyền lợi người tiêu dùng", "Luật Trạm đọc sách"]
    out += [{"query": f"khoản {1 + i % 3} Điều {2 + i % 9} {laws[i % 3]}"} for i in range(25)]
    out += [{"query": f"dieu {3 + i % 7} khoan {1 + i % 2}"} for i in range(limit - len(out))]
    return out[: max(limit, 200)]


def serve(index: str, n_queries: int) -> dict:
    """Run in a fresh process: load, query, measure (printed as JSON)."""
    import faiss

    from search import Filters, Searcher
    from search.index.encoder import load_encoder
    from search.index.store import read_manifest

    encoder = load_encoder(read_manifest(Path(index))["model"]["name"])
    encoder.encode_queries(["khởi động"])
    t = time.perf_counter()
    searcher = Searcher(index, encoder=encoder, query_cache=0)
    load_s = time.perf_counter() - t
    qs = queries(n_queries)
    searcher.ask(qs[0]["query"])
    times = []
    for q in qs:
        filters = Filters(year=q.get("year"), kind=q.get("kind"))
        t = time.perf_counter()
        searcher.ask(q["query"], k=10, filters=filters)
        times.append((time.perf_counter() - t) * 1000)
    rss = _rss_mb()
    # Dense recall@10 against exact search over every live vector (after the memory reading).
    store = searcher.store
    qvs = np.stack([searcher._encode_query(searcher.read(q["query"]).dense_text) for q in qs[:200]])
    found, exact_parts, ids = [], [], []
    for s, seg in enumerate(store.segments):
        vecs = seg.dense.all_vectors()
        live = store.live[s]
        rows = np.arange(seg.rows) if live is None else np.flatnonzero(live)
        exact_parts.append(vecs[rows])
        ids.append((s << 32) + rows)
    allv, allid = np.concatenate(exact_parts), np.concatenate(ids)
    _, exact = faiss.knn(qvs, allv, 10, metric=faiss.METRIC_INNER_PRODUCT)
    selection = store.selection(None, None)
    for qv in qvs:
        hits = {}
        for s, (seg, mask) in enumerate(zip(store.segments, selection, strict=True)):
            rows, scores = seg.dense.search(qv, 10, mask)
            hits.update(zip((s << 32) + rows, scores, strict=True))
        found.append(sorted(hits, key=hits.get, reverse=True)[:10])
    recall = np.mean([len(set(f) & set(allid[e])) / 10 for f, e in zip(found, exact, strict=True)])
    times.sort()
    return {
        "load_s": round(load_s, 2),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(round(0.95 * (len(times) - 1)))], 1),
        "queries": len(times),
        "rss_mb": round(rss),
        "recall_at_10": round(float(recall), 4),
    }


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def updates(corpus: Path, index: Path, seeds_text: str) -> dict:
    """Add, change and remove one document through the real ingest (fresh process)."""
    from search.index.encoder import load_encoder
    from search.index.ingest import build
    from search.index.store import read_manifest

    encoder = load_encoder(read_manifest(index)["model"]["name"])
    # The archive was written without ingest: its first ingest hashes every file once and
    # keeps the scan, as the ingest that built a real archive would have.
    first = build(corpus, index, encoder, workers=2)
    new = corpus / "zz_moi.txt"
    new.write_text(reissue(seeds_text, 997), encoding="utf-8")
    added = build(corpus, index, encoder, workers=2)
    new.write_text(reissue(seeds_text, 998), encoding="utf-8")
    changed = build(corpus, index, encoder, workers=2)
    new.unlink()
    removed = build(corpus, index, encoder, workers=2)
    return {
        "first_ingest_s": round(first.seconds, 2),
        "add_doc_s": round(added.seconds, 2),
        "add_doc_encode_s": round(added.encode_seconds, 2),
        "add_doc_passages": added.embedded_chunks,
        "change_doc_s": round(changed.seconds, 2),
        "change_doc_encode_s": round(changed.encode_seconds, 2),
        "remove_doc_s": round(removed.seconds, 2),
    }


def _child(args: list[str]) -> dict:
    """Run this script's own subcommand in a fresh process; its JSON and its peak memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{args[0]} failed:\n{out.stderr[-3000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["_peak_mb"] = round(max(peak, before) / 1024)  # ru_maxrss of the largest child so far
    return data


def build_cmd(size: int, work: Path) -> dict:
    from search.index.encoder import load_encoder

    encoder = load_encoder(None)
    t = time.perf_counter()
    seeds = Seeds(encoder)
    seed_s = time.perf_counter() - t
    t = time.perf_counter()
    info = write_archive(seeds, size, work, {"name": encoder.name, "dim": encoder.dim})
    info.update(
        build_s=round(time.perf_counter() - t, 1),
        seed_embed_s=round(seed_s, 1),
        seed_passages=seeds.per_copy,
        encode_per_s=round(seeds.encode_rate, 1),
        noise_cosine=round(seeds.cosine, 4),
        build_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )
    return info


def disk_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--json", action="store_true", help="print one JSON list, an object per size")
    ap.add_argument("--work", default=None, help="scratch folder (default: a temporary one)")
    ap.add_argument("--queries", type=int, default=240)
    ap.add_argument("--cmd", help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.cmd == "build":
        print(json.dumps(build_cmd(a.size, Path(a.path))))
        return 0
    if a.cmd == "serve":
        print(json.dumps(serve(a.path, a.queries)))
        return 0
    if a.cmd == "update":
        work = Path(a.path)
        smallest = min(SEEDS, key=lambda s: s.stat().st_size)  # a short programme or law
        print(json.dumps(updates(work / "corpus", work / "index", smallest.read_text("utf-8"))))
        return 0
    base = Path(a.work or tempfile.mkdtemp(prefix="tracuu-scale-"))
    rows = []
    for size in [int(s) for s in a.sizes.split(",")]:
        work = base / f"n{size}"
        built = _child(["--cmd", "build", "--size", str(size), "--path", str(work)])
        served = _child(
            ["--cmd", "serve", "--path", str(work / "index"), "--queries", str(a.queries)]
        )
        row = {
            "passages": size,
            "build_s": built["build_s"],
            "build_rss_mb": built["build_rss_mb"],
            **{k: served[k] for k in ("load_s", "p50_ms", "p95_ms", "rss_mb", "recall_at_10")},
            "disk_mb": round(disk_mb(work / "index")),
        }
        row.update(_child(["--cmd", "update", "--path", str(work)]))
        row.pop("_peak_mb", None)
        row["segments"] = built["segments"]
        row["vectors"] = (
            f"real for {built['seed_passages']} seed passages and {SAMPLE} re-issued ones; "
            f"the rest seed vector + noise (mean cosine {built['noise_cosine']} to the seed, "
            "as measured on the real re-issued sample)"
        )
        rows.append(row)
        if not a.json:
            _print_row(row)
    if a.json:
        print(json.dumps(rows, ensure_ascii=False))
    return 0


def _print_row(r: dict) -> None:
    print(
        f"{r['passages']:>9,} passages | build {r['build_s']:>7.1f} s"
        f", peak {r['build_rss_mb']:>6} MB"
        f" | load {r['load_s']:>5.1f} s | query p50 {r['p50_ms']:>6.1f} ms, p95 {r['p95_ms']:>6.1f}"
        f" ms | serving RSS {r['rss_mb']:>5} MB | disk {r['disk_mb']:>6} MB"
        f" | recall@10 {r['recall_at_10']:.3f} | add {r['add_doc_s']} s (encode"
        f" {r['add_doc_encode_s']} s), change {r['change_doc_s']} s, remove {r['remove_doc_s']} s"
        f" | {r['segments']} segments",
        flush=True,
    )
    print(f"  vectors: {r['vectors']}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
