"""Command lines: ``python -m search`` (queries) and ``python ingest.py`` (indexing)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import TracuuError
from .index import threads
from .index.encoder import BACKENDS, DEVICES, MODEL_ENV, load_encoder, model_name
from .index.ingest import build
from .index.stores import is_milvus, with_collection
from .query.filters import KINDS, MAX_K, Filters
from .query.query import searched_as
from .query.searcher import Searcher, error_json

DEFAULT_INDEX = "index"
DEFAULT_CORPUS = "corpus"


def _fail(message: str, code: int = 2) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return code


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--doc", help="chỉ tìm trong văn bản này (tên tệp hoặc số ký hiệu)")
    p.add_argument("--year", help="chỉ tìm trong văn bản của năm này")
    p.add_argument("--issuer", help="chỉ tìm trong văn bản của cơ quan ban hành này")
    p.add_argument("--kind", choices=KINDS, help="chỉ đoạn văn hoặc chỉ dòng bảng")


def add_index_args(p: argparse.ArgumentParser) -> None:
    """--index (a folder or a Milvus URI) and --collection, shared by every command line."""
    p.add_argument(
        "--index",
        default=DEFAULT_INDEX,
        help="thư mục chỉ mục hoặc milvus:///đường/dẫn.db, milvus://HOST:PORT (mặc định: index)",
    )
    p.add_argument("--collection", help="tên collection Milvus (mặc định: theo URI, hoặc tracuu)")


def index_location(p: argparse.ArgumentParser, a: argparse.Namespace) -> str | Path:
    """The parsed index location: a Path for a folder, the URI for Milvus."""
    try:
        location = with_collection(a.index, a.collection)
    except (ValueError, TracuuError) as exc:
        p.error(str(exc))
    return location if is_milvus(location) else Path(location)


def configure_query_threads(p: argparse.ArgumentParser) -> None:
    """One intra-op thread for searches unless $TRACUU_QUERY_THREADS says otherwise; set
    before the model loads."""
    try:
        threads.configure("query")
    except ValueError as exc:
        p.error(f"{threads.QUERY_THREADS_ENV}: {exc}")


def search_main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m search", description="Tra cứu văn bản: tìm đoạn văn bản trả lời câu hỏi."
    )
    p.add_argument("query", nargs="?", help="nội dung cần tìm")
    add_index_args(p)
    p.add_argument("-k", type=int, default=10, help="số kết quả (mặc định: 10)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--batch", metavar="FILE.jsonl", help='tệp truy vấn, mỗi dòng {"id", "query"}')
    p.add_argument("--model", help=f"mô hình mã hóa (mặc định: theo chỉ mục; biến {MODEL_ENV})")
    p.add_argument(
        "--explain",
        action="store_true",
        help="kèm cài đặt xếp hạng và tín hiệu của từng kết quả (trong JSON)",
    )
    _add_filters(p)
    a = p.parse_args(argv)
    configure_query_threads(p)
    if a.batch and a.query:
        p.error("dùng --batch hoặc một câu truy vấn, không dùng cả hai")
    if not a.batch and not a.query:
        p.error('hãy nhập câu truy vấn, ví dụ: python -m search "Hòn Khoai tiến độ"')
    if not 1 <= a.k <= MAX_K:
        p.error(f"-k phải là số nguyên từ 1 đến {MAX_K}")
    try:
        filters = Filters.parse(a.doc, a.year, a.issuer, a.kind)
        searcher = Searcher(index_location(p, a), model=a.model)
        if a.batch:
            return _batch(searcher, Path(a.batch), a.k, filters, explain=a.explain)
        response = searcher.ask(a.query, k=a.k, filters=filters)
    except TracuuError as exc:
        return _fail(str(exc))
    if a.json or a.explain:
        print(json.dumps(response.to_json(explain=a.explain), ensure_ascii=False, indent=1))
        return 0
    if response.query.corrections:
        print(f"Đã tìm với: {searched_as(response.query)}")
    if response.quote:
        q = response.quote
        print(f"Trích từ: {q.citation} ({q.doc}, dòng {q.line_start}-{q.line_end})\n")
    elif response.no_answer:
        print("Không tìm thấy nội dung phù hợp trong các văn bản.")
        if response.reason:
            print(response.reason)
        if response.hits:
            print("Các đoạn gần nhất:\n")
    elif response.answer:
        ans = response.answer
        print(f"Trả lời: {ans.text}")
        print(f"  ({ans.citation}; {ans.doc}, dòng {ans.line_start}-{ans.line_end})\n")
    for h in response.hits:
        print(f"[{h.rank}] {h.score:.3f}  {h.citation}")
        print(f"    {h.doc}, dòng {h.chunk.line_start}-{h.chunk.line_end}")
        for line in h.text.splitlines()[:6]:
            print(f"    {line[:200]}")
        print()
    return 0


def _batch(searcher: Searcher, path: Path, k: int, filters: Filters, *, explain: bool) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"{path}: không đọc được tệp truy vấn ({exc})")
    out = sys.stdout
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            qid, query = item["id"], item["query"]
        except (json.JSONDecodeError, KeyError, TypeError):
            return _fail(f'{path}:{n}: mỗi dòng phải là JSON có "id" và "query"')
        try:
            response = searcher.ask(query, k=k, filters=filters)
            record = {"id": qid, **response.to_json(explain=explain)}
        except TracuuError as exc:
            record = {"id": qid, **error_json(query, exc)}
        del record["query"]
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def ingest_main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python ingest.py", description="Lập hoặc cập nhật chỉ mục từ thư mục văn bản."
    )
    p.add_argument("--corpus", default=DEFAULT_CORPUS, help="thư mục văn bản (mặc định: corpus)")
    add_index_args(p)
    p.add_argument(
        "--model", help=f"mô hình mã hóa (mặc định: multilingual-e5-small; biến {MODEL_ENV})"
    )
    p.add_argument("--rebuild", action="store_true", help="lập lại toàn bộ chỉ mục")
    p.add_argument(
        "--optimize", action="store_true", help="gộp mọi phân đoạn của chỉ mục thành một"
    )
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")
    p.add_argument(
        "--ray",
        nargs="?",
        const="local",
        metavar="ĐỊA_CHỈ",
        help="đọc và mã hóa trên cụm Ray (local: cụm trên máy này; hoặc ray://HOST:10001)",
    )
    p.add_argument("--ray-workers", type=int, default=2, help="số bộ mã hóa chạy song song (2)")
    p.add_argument("--backend", choices=BACKENDS, help="bộ chạy mô hình (mặc định: onnx nếu có)")
    p.add_argument("--device", choices=DEVICES, default="cpu", help="cpu (mặc định) hoặc cuda")
    p.add_argument(
        "--threads",
        metavar="N|all",
        help="số luồng mã hóa (mặc định: mọi lõi, ưu tiên thấp hơn việc tìm kiếm)",
    )
    a = p.parse_args(argv)
    index = index_location(p, a)
    try:
        threads.configure("ingest", a.threads, searching=threads.searcher_running())
    except ValueError as exc:
        p.error(f"--threads: {exc}")
    ray = None
    if a.ray:
        from .index.ray_ingest import RayOptions

        try:
            ray = RayOptions(a.ray, workers=a.ray_workers)
        except TracuuError as exc:
            p.error(str(exc))
    corpus = Path(a.corpus)
    if not corpus.is_dir():
        return _fail(f"{corpus}: không tìm thấy thư mục văn bản")
    try:
        encoder = load_encoder(model_name(a.model), backend=a.backend, device=a.device)
        report = build(
            corpus,
            index,
            encoder,
            rebuild=a.rebuild,
            optimize=a.optimize,
            progress=not a.quiet and not a.json,
            ray=ray,
        )
    except TracuuError as exc:
        return _fail(str(exc))
    for f, problem in report.failed:
        print(f"Lỗi: {f}: {problem}", file=sys.stderr)
    for f, warning in report.warnings:
        print(f"Cảnh báo: {f}: {warning}", file=sys.stderr)
    if a.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        print(report.summary())
    return 1 if report.failed else 0
