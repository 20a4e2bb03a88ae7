# Check script for eval/fresh44: reads every corpus file back with two independent readers and checks queries.jsonl.
# ruff: noqa: E501, E731, E741
"""Every answerable quote must be found verbatim (NFC, whitespace collapsed, case folded) by both readers
of its document; `expect` must lie inside its quote; `.txt` line numbers named in notes must hold;
the Absent / Present terms of each unanswerable note must hold in every reader's text.
Run: /tmp/f44venv/bin/python eval/fresh44/check.py   (needs pypdf, pdfminer.six, python-docx, lxml)"""

import csv
import html
import io
import json
import os
import re
import sys
import unicodedata
import zipfile
from collections import Counter
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
QUERIES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "queries.jsonl")

DOCS = {
    "tab": "ke_hoach_27_2026_ho_nong_dan_san_xuat_kinh_doanh_gioi_tab.txt",
    "pipe": "bao_cao_38_2026_tien_do_cong_trinh_y_te_quy_i_pipe.txt",
    "cells": "ke_hoach_19_2026_truyen_thanh_co_so_xa_thoi_binh_cells.txt",
    "portal": "ke_hoach_52_2026_nang_cao_chi_so_pci_portal.txt",
    "docx": "ke_hoach_kiem_tra_do_luong_can_cho_vang_bac_2026.docx",
    "pdf": "chuong_trinh_03_ctr_ubkttu_2026_kiem_tra_giam_sat.pdf",
}
TXT_ENC = {"tab": "utf-8", "pipe": "utf-8-sig", "cells": "utf-8", "portal": "utf-8"}

passed = 0
failed = 0


def check(ok, msg):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", msg)


def norm(s):
    s = unicodedata.normalize("NFC", s).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip().lower()


def fold(s):
    s = norm(s).replace("đ", "d")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return " " + re.sub(r"\s+", " ", re.sub(r"[^\w%]+", " ", s)).strip() + " "


def path(k):
    return os.path.join(CORPUS, DOCS[k])


def raw(k):
    with open(path(k), "rb") as f:
        return f.read()


# ---------- tab .txt (HTML fragments in cells) ----------
def tab_a():
    t = raw("tab").decode("utf-8")
    t = re.sub(r"<br\s*/?>", " ", t)
    t = re.sub(r"</?b>", "", t)
    return html.unescape(t)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.out.append(" ")

    def handle_data(self, d):
        self.out.append(d)


def strip_html(s):
    p = _Text()
    p.feed(s)
    p.close()
    return "".join(p.out)


def tab_b():
    rows = list(
        csv.reader(
            io.StringIO(raw("tab").decode("utf-8"), newline=""),
            delimiter="\t",
            quoting=csv.QUOTE_NONE,
        )
    )
    return "\n".join(" ".join(strip_html(c) for c in r) for r in rows)


# ---------- pipe .txt (BOM, CRLF) ----------
def pipe_a():
    return raw("pipe").decode("utf-8-sig")


def pipe_b():
    b = raw("pipe")
    check(b.startswith(b"\xef\xbb\xbf"), "pipe: BOM present")
    out = []
    for l in b[3:].decode("utf-8").split("\r\n"):
        if l.startswith("|"):
            cells = [c.strip() for c in l.strip().strip("|").split("|")]
            out.append(" | ".join(c for c in cells if c))
        else:
            out.append(l)
    return "\n".join(out)


# ---------- one-cell-per-line .txt ----------
def cells_a():
    return raw("cells").decode("utf-8")


def cells_rows():
    lines = raw("cells").decode("utf-8").split("\n")
    i = lines.index("STT")
    hdr = lines[i : i + 6]
    rows, cur = [], []
    for l in lines[i + 7 :]:
        if l.startswith("Ghi chú:"):
            break
        if l == "" and len(cur) == 6:
            rows.append(cur)
            cur = []
        else:
            cur.append(l)
    return lines[:i], hdr, rows


def cells_b():
    body, hdr, rows = cells_rows()
    return "\n".join(body + hdr + [c for r in rows for c in r])


# ---------- portal .txt ----------
def portal_a():
    return raw("portal").decode("utf-8")


def portal_b():
    t = raw("portal").decode("utf-8")
    t = t[t.index("ỦY BAN NHÂN DÂN") : t.index("Tệp đính kèm")]
    t = re.sub(r"\[\d+\]", "", t)
    return "\n".join("\n".join(re.split(r" {2,}", l)) for l in t.split("\n"))


# ---------- DOCX ----------
def docx_a():
    import docx

    d = docx.Document(path("docx"))
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        for r in t.rows:
            for c in r.cells:
                out.extend(p.text for p in c.paragraphs)
    return "\n".join(out)


def docx_b():
    from lxml import etree

    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path("docx")) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p"))


# ---------- PDF ----------
def pdf_a():
    import pypdf

    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path("pdf")).pages)


def pdf_b():
    from pdfminer.high_level import extract_text

    return extract_text(path("pdf"))


READERS = {
    "tab": (tab_a, tab_b),
    "pipe": (pipe_a, pipe_b),
    "cells": (cells_a, cells_b),
    "portal": (portal_a, portal_b),
    "docx": (docx_a, docx_b),
    "pdf": (pdf_a, pdf_b),
}
TEXTS = {k: [norm(f()) for f in fs] for k, fs in READERS.items()}
FOLDED = {k: [fold(t) for t in ts] for k, ts in TEXTS.items()}
KEY = {v: k for k, v in DOCS.items()}

# ---------- corpus-level checks ----------
check(sorted(os.listdir(CORPUS)) == sorted(DOCS.values()), "corpus holds exactly the six files")
for k, (ta, tb) in TEXTS.items():
    n = len(ta.split())
    check(1200 <= n <= 2600, f"{k}: {n} words in reader 1")
    check(len(tb.split()) >= 1100, f"{k}: reader 2 text not empty")
    check(unicodedata.is_normalized("NFC", READERS[k][0]()), f"{k}: reader-1 text is NFC")
    check("cà mau" in ta and "cà mau" in tb, f"{k}: names Cà Mau")
    check("nơi nhận" in ta and "(đã ký)" in ta, f"{k}: Nơi nhận and signature")
    check("phụ lục" in ta and "phụ lục" in tb, f"{k}: appendix present")
    check(
        "huyện" not in ta.replace("cấp huyện cũ", "").replace("kết thúc hoạt động cấp huyện", ""),
        f"{k}: no live cấp huyện",
    )

# tab: header repeated, HTML fragments, sums
tl = raw("tab").decode("utf-8").split("\n")
hdr_idx = [i for i, l in enumerate(tl) if l.startswith("STT\t")]
check(
    len(hdr_idx) == 4 and all(b - a == 9 for a, b in zip(hdr_idx, hdr_idx[1:])),
    f"tab: header row repeated every 8 rows {hdr_idx}",
)
rawtab = "\n".join(tl)
check(all(x in rawtab for x in ("<br>", "&nbsp;", "<b>")), "tab: HTML fragments in cells")
rows = [l.split("\t") for l in tl[hdr_idx[0] :] if "\t" in l and not l.startswith("STT\t")]
check(all(len(r) == 6 for r in rows), "tab: 6 cells per row")
num = lambda s: int(re.sub(r"<[^>]+>", "", s).replace(".", ""))
data = [r for r in rows if r[0].isdigit() or "còn lại" in r[1]]
tot = [r for r in rows if "TỔNG CỘNG" in r[1]][0]
for c in (2, 3, 4):
    check(sum(num(r[c]) for r in data) == num(tot[c]), f"tab: column {c} adds up")

# pipe: sub-rows without STT, sums
pl = [
    l
    for l in raw("pipe").decode("utf-8-sig").split("\r\n")
    if l.startswith("| ") and not l.startswith("| STT")
]
prow = [[c.strip() for c in l.strip().strip("|").split("|")] for l in pl]
check(
    sum(1 for r in prow if r[0] == "" and r[1].startswith("- ")) == 7,
    "pipe: 7 sub-rows with no STT",
)
parents = [r for r in prow if r[0].isdigit()]
ptot = [r for r in prow if r[1] == "Tổng cộng"][0]
n2 = lambda s: int(s.replace(".", ""))
for c in (2, 3, 4):
    check(sum(n2(r[c]) for r in parents) == n2(ptot[c]), f"pipe: column {c} adds up")
check(raw("pipe").count(b"\r\n") == raw("pipe").count(b"\n"), "pipe: CRLF only")

# cells: 15 rows of 6 cells, totals
_, chdr, crows = cells_rows()
check(len(chdr) == 6 and len(crows) == 15, f"cells: header 6 cells, 15 rows ({len(crows)})")
check(
    sum(int(r[3]) for r in crows[:14]) == int(crows[14][3]) == 42,
    "cells: 42 new loudspeaker clusters",
)
check(sum(int(r[3]) for r in crows[:14] if r[5] == "Đợt 1") == 24, "cells: Đợt 1 has 24 clusters")

# portal: chrome and footnotes in reader 1, not in reader 2
pa, pb = TEXTS["portal"]
for w in ("trang chủ", "chia sẻ", "lượt xem", "© bản quyền"):
    check(w in pa and w not in pb, f"portal: chrome '{w}' only around the document")
check(all(f"[{i}]" in pa for i in (1, 2, 3)) and "[2]" not in pb, "portal: footnotes [1]-[3]")

# docx: number and date only in the appendix caption
da, db = TEXTS["docx"]
check(
    da.count("31/kh-skhcn") == 1
    and db.count("31/kh-skhcn") == 1
    and "(kèm theo kế hoạch số 31/kh-skhcn ngày 16/3/2026" in db,
    "docx: number only in caption",
)
check(
    "số: /kh-skhcn" in db and "ngày tháng 3 năm 2026" in db, "docx: blank number and day in header"
)
with zipfile.ZipFile(path("docx")) as z:
    check(z.read("word/document.xml").count(b"<w:tbl>") == 3, "docx: 3 Word tables")


# pdf
def pdf_pages():
    import pypdf

    return len(pypdf.PdfReader(path("pdf")).pages)


check(pdf_pages() == 4, "pdf: 4 pages")

# ---------- queries ----------
Q = [json.loads(l) for l in open(QUERIES, encoding="utf-8")]
check(len(Q) == 44, "44 queries")
check(len({q["id"] for q in Q}) == 44, "ids unique")
kinds = Counter(q["kind"] for q in Q)
check(
    kinds
    == Counter(
        {
            "unanswerable": 22,
            "question": 9,
            "keyword": 3,
            "table": 3,
            "no_diacritics": 3,
            "typo_or_abbrev": 2,
            "year_specific": 1,
            "paste": 1,
        }
    ),
    f"kind counts {dict(kinds)}",
)
check(sum(q["answerable"] for q in Q) == 22, "22 answerable")
has_diac = lambda s: (
    "đ" in s.lower() or any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", s))
)
for q in Q:
    qid = q["id"]
    keys = list(q)
    want = (
        ["id", "query", "kind", "answerable", "evidence"]
        + (["qtype", "expect"] if "qtype" in q else [])
        + ["note"]
    )
    check(keys == want, f"{qid}: field order {keys}")
    check(all(unicodedata.is_normalized("NFC", v) for v in (q["query"], q["note"])), f"{qid}: NFC")
    if q["kind"] == "no_diacritics" or q["note"].startswith("Form: no diacritics."):
        check(not has_diac(q["query"]), f"{qid}: no diacritics in query")
    if q["kind"] == "paste":
        check(len(q["query"]) >= 300, f"{qid}: paste is {len(q['query'])} characters")
    if q["answerable"]:
        check(len(q["evidence"]) == 1, f"{qid}: one evidence item")
        for ev in q["evidence"]:
            k = KEY.get(ev["doc"])
            check(k is not None, f"{qid}: doc {ev['doc']} exists")
            quote = ev["quote"]
            check(ev["line"] == 0, f"{qid}: line 0")
            check(
                20 <= len(quote) <= 150
                and "\t" not in quote
                and "\n" not in quote
                and not re.search(r"<[a-z/]", quote),
                f"{qid}: quote shape",
            )
            check(unicodedata.is_normalized("NFC", quote), f"{qid}: quote NFC")
            for i, t in enumerate(TEXTS[k]):
                check(norm(quote) in t, f"{qid}: quote found by reader {i + 1} of {k}")
            if "expect" in q:
                check(norm(q["expect"]) in norm(quote), f"{qid}: expect inside quote")
                check(q["qtype"] in ("who", "when", "how_much", "how_many"), f"{qid}: qtype")
            m = re.search(r"quote on line (\d+)", q["note"])
            if k in TXT_ENC:
                lines = raw(k).decode(TXT_ENC[k]).replace("\r\n", "\n").split("\n")
                hits = [j + 1 for j, l in enumerate(lines) if norm(quote) in norm(strip_html(l))]
                check(
                    m is not None and hits == [int(m.group(1))],
                    f"{qid}: note line {m and m.group(1)} vs {hits}",
                )
            if q["kind"] == "paste":
                check(norm(quote) in norm(q["query"]), f"{qid}: paste contains its quote")
            check(fold(q["query"]).strip() != "", f"{qid}: query not empty")
    else:
        check(
            q["kind"] == "unanswerable" and q["evidence"] == [] and "qtype" not in q,
            f"{qid}: unanswerable shape",
        )
        check(
            q["note"]
            .split("Form: no diacritics. ")[-1]
            .startswith(("Near-miss.", "Absent topic.")),
            f"{qid}: note prefix",
        )
        ab = re.search(r"Absent: (.*?)\. Present: (.*)\.$", q["note"])
        check(ab is not None, f"{qid}: Absent/Present in note")
        if ab:
            absent = re.findall(r"'([^']+)'", ab.group(1))
            present = re.findall(r"'([^']+)'", ab.group(2))
            for a in absent:
                hit = [k for k, ts in FOLDED.items() for t in ts if fold(a) in t]
                check(not hit, f"{qid}: absent term '{a}' found in {hit}")
            for p in present:
                check(
                    any(fold(p) in t for ts in FOLDED.values() for t in ts),
                    f"{qid}: present term '{p}' not found",
                )

print(f"{passed} checks passed, {failed} failed")
sys.exit(1 if failed else 0)
