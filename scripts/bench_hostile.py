"""The hostile-input review (issue 13), measured: one row per input with the message ingest
gives, the time its worker took to read it and the worker's peak memory, then the whole
ingest's time and peak memory on all of it together with the good fixture documents.

    python scripts/bench_hostile.py [--model NAME] [--workers N] [--json]

The ingest runs in a child process with the real pipeline (sandboxed workers, the real
model unless --model says otherwise), so its peak memory is measured on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import TEXT_FIXTURES as GOOD  # noqa: E402  (the good fixture documents)

SIDECARS = {
    "sidecar_number.txt": {"number": 5},
    "sidecar_title.txt": {"title": 123},
    "sidecar_year.txt": {"year": "abc"},
    "sidecar_date_issuer.txt": {"date": ["x"], "issuer": {"a": 1}},
}


def build_corpus(corpus: Path) -> list[tuple[str, list[str]]]:
    """The hostile files and the good ones; returns (row label, files of the row)."""
    import hostile

    fixtures = ROOT / "tests" / "fixtures" / "docs"
    corpus.mkdir(parents=True)
    for name in GOOD:
        shutil.copy(fixtures / name, corpus / name)
    hostile.docx_grid_span(corpus / "grid_span.docx")
    hostile.docx_numbering(corpus / "numbering_roman.docx", 10**15, "upperRoman")
    hostile.docx_numbering(corpus / "numbering_letters.docx", 2 * 10**9, "lowerLetter")
    hostile.docx_xml_bomb(corpus / "xml_150mb.docx", unpacked_mb=150)
    hostile.docx_whitespace(corpus / "whitespace_1gib.docx", unpacked_mb=1024)
    hostile.one_line_text(corpus / "one_line_5mb.txt", size_mb=5)
    hostile.scanned_pdf(corpus / "scan_a.pdf")
    shutil.copy(corpus / "scan_a.pdf", corpus / "scan_b.pdf")
    notice = (fixtures / "chithi_markdown.txt").read_text(encoding="utf-8")
    for i, (name, sidecar) in enumerate(SIDECARS.items()):
        (corpus / name).write_text(notice + f"\n\n{i + 9}. Mục riêng của tệp.\n", "utf-8")
        (corpus / f"{name}.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    os.symlink("/etc/passwd", corpus / "link_to_passwd.txt")
    (corpus / "new\nline.txt").write_bytes(b"")
    return [
        ("ô bảng gridSpan = 2 000 000 000 (.docx)", ["grid_span.docx"]),
        ("danh sách đánh số từ 10^15, chữ La Mã (.docx)", ["numbering_roman.docx"]),
        ("danh sách đánh số từ 2·10^9, chữ cái (.docx)", ["numbering_letters.docx"]),
        (".docx 0,7 MB giải nén ra 150 MB XML", ["xml_150mb.docx"]),
        (".docx 1 MB chứa 1 GiB khoảng trắng", ["whitespace_1gib.docx"]),
        ("tệp văn bản 5 MB trên một dòng", ["one_line_5mb.txt"]),
        ("hai bản giống hệt của một PDF scan", ["scan_a.pdf", "scan_b.pdf"]),
        *((f"sidecar {json.dumps(s)}", [n]) for n, s in SIDECARS.items()),
        ("liên kết tới /etc/passwd", ["link_to_passwd.txt"]),
        ("tên tệp có ký tự xuống dòng", ["new\nline.txt"]),
    ]


def child(corpus: str, index: str, model: str | None, workers: int | None) -> None:
    """Run one ingest and print what the parent needs, as JSON."""
    from search.index.encoder import load_encoder
    from search.index.ingest import build

    encoder = load_encoder(model)
    t0 = time.perf_counter()
    report = build(Path(corpus), Path(index), encoder, readers=workers)
    out = report.to_json()
    out["wall_seconds"] = time.perf_counter() - t0
    out["reads"] = {name: vars(stats) for name, stats in report.reads.items()}
    out["added"] = report.added
    out["summary"] = report.summary()
    out["ingest_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out, ensure_ascii=False))


def run_ingest(corpus: Path, index: Path, a) -> dict:
    cmd = [sys.executable, __file__, "--child", str(corpus), str(index)]
    if a.model:
        cmd += ["--model", a.model]
    if a.workers is not None:
        cmd += ["--workers", str(a.workers)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def rows(plan, result) -> list[dict]:
    from search.text.display import display_name

    failed = {f["file"]: f["error"] for f in result["failed"]}
    warned: dict[str, list[str]] = {}
    for w in result["warnings"]:
        warned.setdefault(w["file"], []).append(w["warning"])
    out = []
    for label, names in plan:
        messages, wall, peak = [], 0.0, 0.0
        for name in names:
            shown = display_name(name)
            if shown in failed:
                messages.append(f"Lỗi: {shown}: {failed[shown]}")
            for w in warned.get(shown, []):
                messages.append(f"Cảnh báo: {shown}: {w}")
            if name in result["added"] and shown not in warned:
                messages.append(f"{shown}: đã lập chỉ mục")
            stats = result["reads"].get(name)
            if stats:
                wall = max(wall, stats["wall_seconds"])
                peak = max(peak, stats["peak_rss_mb"])
        out.append({"input": label, "message": " / ".join(messages) or "(không đọc)",
                    "read_seconds": round(wall, 2), "worker_peak_rss_mb": round(peak)})  # fmt: skip
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", help="encoder (default: the real model, as ingest.py)")
    ap.add_argument("--workers", type=int, help="reading workers (default: as ingest.py)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("--child", nargs=2, metavar=("CORPUS", "INDEX"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(*a.child, a.model, a.workers)
        return 0
    with tempfile.TemporaryDirectory(prefix="tracuu-hostile-") as tmp:
        plan = build_corpus(Path(tmp, "corpus"))
        files = len(os.listdir(Path(tmp, "corpus"))) - len(SIDECARS)
        result = run_ingest(Path(tmp, "corpus"), Path(tmp, "index"), a)
        empty = Path(tmp, "empty")
        empty.mkdir()
        empty_run = run_ingest(empty, Path(tmp, "index-empty"), a)
        scans = Path(tmp, "scans")
        scans.mkdir()
        for name in ("scan_a.pdf", "scan_b.pdf"):
            shutil.copy(Path(tmp, "corpus", name), scans / name)
        failing_run = run_ingest(scans, Path(tmp, "index-scans"), a)
    table = rows(plan, result)
    for label, run in (("thư mục văn bản trống", empty_run),
                       ("mọi tệp đều lỗi (chỉ có PDF scan)", failing_run)):  # fmt: skip
        table.append({"input": label, "message": run["note"], "worker_peak_rss_mb": 0,
                      "read_seconds": round(run["wall_seconds"], 2)})  # fmt: skip
    peak_worker = max((r["worker_peak_rss_mb"] for r in table), default=0)
    whole = {
        "files": files,
        "good_files_indexed": sum(1 for n in GOOD if n in result["added"]),
        "passages": result["total_chunks"],
        "wall_seconds": round(result["wall_seconds"], 1),
        "ingest_peak_rss_mb": round(result["ingest_peak_rss_mb"]),
        "worker_peak_rss_mb": peak_worker,
        "summary": result.get("summary", ""),
    }
    if a.json:
        print(json.dumps({"rows": table, "whole": whole}, ensure_ascii=False, indent=1))
        return 0
    print("| đầu vào | thông báo | thời gian (s) | bộ nhớ đỉnh của tiến trình đọc (MB) |")
    print("|---|---|---:|---:|")
    for r in table:
        message = r["message"].replace("|", "\\|")
        print(f"| {r['input']} | {message} | {r['read_seconds']} | {r['worker_peak_rss_mb']} |")
    print()
    print("Thời gian: tiến trình đọc đọc tệp đó; hai dòng cuối: cả lần lập chỉ mục.")
    print(
        f"Cả tập ({whole['files']} tệp, {whole['good_files_indexed']}/{len(GOOD)} tệp tốt được "
        f"lập chỉ mục, {whole['passages']} đoạn): {whole['wall_seconds']} s; bộ nhớ đỉnh của "
        f"tiến trình lập chỉ mục {whole['ingest_peak_rss_mb']} MB, của mỗi tiến trình đọc "
        f"tối đa {whole['worker_peak_rss_mb']} MB."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
