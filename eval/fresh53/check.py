"""Check script for eval/fresh53: reads every corpus file back and checks queries.jsonl."""
# ruff: noqa: E501, E731, E741

# Every answerable quote must occur verbatim (NFC, whitespace collapsed) in the extracted text of its
# document; `expect` must occur inside the quote. Every unanswerable query has absent-patterns (ABSENT)
# that must not match, and all of its words occur somewhere in the corpus (diacritic-folded).
# Run: /tmp/f53venv/bin/python eval/fresh53/check.py   (needs python-docx and pypdf; odt read with zipfile)
# Add --dump to print each document's reader text.

import json
import os
import re
import sys
import unicodedata
import zipfile
from collections import Counter
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
QUERIES = ARGS[0] if ARGS else os.path.join(HERE, "queries.jsonl")
DUMP = "--dump" in sys.argv

DOCS = {
    "docx": "ke_hoach_163_2026_bao_ve_chim_hoang_da_san_chim.docx",
    "pdf": "quyet_dinh_2874_2025_cap_bu_mien_hoc_phi_hoc_ky_1.pdf",
    "odt": "nghi_quyet_15_2025_che_do_dan_quan_thuong_truc.odt",
    "html": "thong_bao_389_2026_ket_luan_xu_ly_nuoc_thai_do_thi_portal.html",
    "utf16": "cong_van_4127_2025_phong_chong_ngo_doc_ruou_methanol_utf16.txt",
    "cells": "bao_cao_nhcs_2026_cho_vay_hoc_sinh_sinh_vien_cells.txt",
}
BY_NAME = {v: k for k, v in DOCS.items()}
NUMBERS = {
    "docx": "163/KH-UBND",
    "pdf": "2874/QĐ-UBND",
    "odt": "15/2025/NQ-HĐND",
    "html": "389/TB-VP",
    "utf16": "4127/UBND-KGVX",
    "cells": "87/BC-NHCS",
}
KINDS = {
    "keyword": 3,
    "question": 7,
    "table": 3,
    "year_specific": 2,
    "no_diacritics": 2,
    "typo_or_abbrev": 2,
    "paste": 1,
    "abbrev_paraphrase": 2,
    "unanswerable": 22,
}
FIELDS = ["id", "query", "kind", "answerable", "evidence", "note"]
QTYPES = {"who", "when", "how_much", "how_many"}

PASSED = 0
FAILED = []


def check(cond, what):
    global PASSED
    if cond:
        PASSED += 1
    else:
        FAILED.append(what)


nfc = lambda s: unicodedata.normalize("NFC", s)
ws = lambda s: re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


def fold(s):
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d")
    return "".join(c for c in s if unicodedata.category(c) != "Mn")


# ---------------------------------------------------------------- readers (one per format)
def read_docx(path):
    import docx

    d = docx.Document(path)
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            seen = set()
            for c in row.cells:
                if id(c._tc) in seen:
                    continue
                seen.add(id(c._tc))
                out.append(c.text)
    return "\n".join(out)


def read_pdf(path):
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(path).pages)


TN = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def read_odt(path):
    root = ET.fromstring(zipfile.ZipFile(path).read("content.xml"))

    def text_of(el):
        s = el.text or ""
        for ch in el:
            if ch.tag == TN + "note":
                pass  # footnote body is read as its own paragraph
            elif ch.tag == TN + "s":
                s += " " * int(ch.get(TN + "c", "1"))
            elif ch.tag in (TN + "tab", TN + "line-break"):
                s += " "
            else:
                s += text_of(ch)
            s += ch.tail or ""
        return s

    return "\n".join(text_of(el) for el in root.iter() if el.tag in (TN + "p", TN + "h"))


class _HTML(HTMLParser):
    BLOCK = {
        "p",
        "div",
        "tr",
        "td",
        "th",
        "li",
        "h1",
        "h2",
        "h3",
        "br",
        "table",
        "ul",
        "nav",
        "aside",
        "footer",
        "header",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "script", "style"):
            self.skip += 1
        if tag in self.BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style"):
            self.skip -= 1
        if tag in self.BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def read_html(path):
    p = _HTML()
    p.feed(open(path, encoding="utf-8").read())
    return "".join(p.out).replace("\u00a0", " ")


def read_utf16(path):
    return open(path, "rb").read().decode("utf-16")


def read_cells(path):
    return open(path, encoding="utf-8").read().replace("\f", "\n").replace("\t", "\n")


READERS = {
    "docx": read_docx,
    "pdf": read_pdf,
    "odt": read_odt,
    "html": read_html,
    "utf16": read_utf16,
    "cells": read_cells,
}
TEXT = {}
for k, name in DOCS.items():
    path = os.path.join(CORPUS, name)
    check(os.path.exists(path), f"missing {name}")
    raw = READERS[k](path)
    TEXT[k] = ws(nfc(raw))
    if DUMP:
        print(f"===== {k}: {name} ({len(TEXT[k])} chars)\n{raw}\n")

# ---------------------------------------------------------------- corpus checks
check(sorted(os.listdir(CORPUS)) == sorted(DOCS.values()), "corpus holds exactly the six files")
ALL = " ".join(TEXT.values())
for k, t in TEXT.items():
    check(3000 <= len(t) <= 12000, f"{k}: length {len(t)} not in 3000-12000")
    check(unicodedata.is_normalized("NFC", t), f"{k}: reader text not NFC")
    check(NUMBERS[k] in t, f"{k}: number {NUMBERS[k]} missing")
    check("Cà Mau" in t, f"{k}: 'Cà Mau' missing")
    check("Nơi nhận" in t, f"{k}: 'Nơi nhận' missing")
    check(not re.search(r"\bhuyen\b", fold(t)), f"{k}: contains 'huyện'")

raw16 = open(os.path.join(CORPUS, DOCS["utf16"]), "rb").read()
check(raw16[:2] == b"\xff\xfe", "utf16: BOM FF FE")
t16 = raw16.decode("utf-16")
check(t16.count("\r\n") == t16.count("\n") and t16.count("\r\n") > 50, "utf16: CRLF only")
check("Kính gửi:" in t16 and "(1)" in t16, "utf16: Kính gửi and footnote (1)")

rawc = open(os.path.join(CORPUS, DOCS["cells"]), encoding="utf-8").read()
lines = rawc.split("\n")
check(lines.count("Phòng giao dịch") == 2, "cells: header row repeated (Phòng giao dịch twice)")
check(sum(1 for l in lines if l.startswith("\f")) == 2, "cells: two form feeds")
check(
    "87/BC-NHCS" not in "\n".join(lines[:10]) and "Số:      /BC-NHCS" in rawc,
    "cells: number blank in the header",
)
check(
    rawc.count("87/BC-NHCS") == 1 and "ngày 08/4/2026" in rawc,
    "cells: number and date only in the appendix caption",
)
i = lines.index("PGD Hồng Dân")
check(lines[i - 1] == "4" and lines[i + 6] == "1,12", "cells: Hồng Dân row is one cell per line")

rawh = open(os.path.join(CORPUS, DOCS["html"]), encoding="utf-8").read()
for frag in (
    'rowspan="2"',
    'colspan="2"',
    "&raquo;",
    "<nav>",
    "<footer>",
    "&nbsp;",
    "&#",
    "<script>",
    'class="sign-table"',
):
    check(frag in rawh, f"html: {frag} present")
check(
    "Lượt xem" in TEXT["html"] and "gtag" not in TEXT["html"], "html: chrome kept, script dropped"
)

zo = zipfile.ZipFile(os.path.join(CORPUS, DOCS["odt"])).read("content.xml").decode()
check(zo.count("<text:note ") == 2, "odt: two real footnotes (text:note)")
check("28.900 triệu đồng cho 320 dân quân thường trực" in TEXT["odt"], "odt: footnote text read")
check("Dân quân biển 540 3.410" in TEXT["odt"], "odt: appendix table read")

check("Xã Hồng Dân 8.210 - 421 8.631" in TEXT["pdf"], "pdf: appendix table row read")
check("(Kèm theo Quyết định số 2874/QĐ-UBND ngày 23/10/2025" in TEXT["pdf"], "pdf: caption read")
check("- 3 -" in TEXT["pdf"] or "- 2 -" in TEXT["pdf"], "pdf: page numbers")

check("Đã rà soát 21/54 cơ sở" in TEXT["docx"], "docx: appendix cell read")
check(
    "Theo kết quả kiểm tra của Chi cục Kiểm lâm tháng 11/2025." in TEXT["docx"],
    "docx: footnote text read",
)

# ---------------------------------------------------------------- queries
rows = [json.loads(l) for l in open(QUERIES, encoding="utf-8").read().splitlines()]
rawq = open(QUERIES, encoding="utf-8").read()
check(unicodedata.is_normalized("NFC", rawq), "queries: NFC")
check("\\u" not in rawq, "queries: no \\u escapes (ensure_ascii=False)")
check(len(rows) == 44, f"queries: {len(rows)} rows, want 44")
ids = [r["id"] for r in rows]
check(
    ids == [f"c53-{i:03d}" for i in range(1, 45)], "queries: ids c53-001..044 unique and in order"
)
check(len(set(r["query"].lower() for r in rows)) == 44, "queries: query texts unique")
kinds = Counter(r["kind"] for r in rows)
check(dict(kinds) == KINDS, f"queries: kind counts {dict(kinds)}")
check(sum(r["answerable"] for r in rows) == 22, "queries: 22 answerable")
check(sum(1 for r in rows if "qtype" in r) == 14, "queries: 14 qtype rows")
DOC_USE = Counter()
for r in rows:
    rid = r["id"]
    keys = list(r.keys())
    check(keys[:6] == FIELDS, f"{rid}: field order {keys}")
    check(all(k in FIELDS + ["qtype", "expect"] for k in keys), f"{rid}: unknown field")
    if "qtype" in r:
        check(keys[6:] == ["qtype", "expect"], f"{rid}: qtype/expect after note")
        check(r["qtype"] in QTYPES, f"{rid}: qtype {r['qtype']}")
    check(len(r["query"]) >= 8, f"{rid}: query too short")
    if r["kind"] == "no_diacritics" or r["note"].startswith("Form: no diacritics."):
        check(fold(r["query"]) == r["query"].lower(), f"{rid}: no-diacritics query has diacritics")
    if r["answerable"]:
        check(r["kind"] != "unanswerable", f"{rid}: kind")
        check(len(r["evidence"]) == 1, f"{rid}: one evidence item")
        ev = r["evidence"][0]
        check(
            list(ev.keys()) == ["doc", "quote", "line"] and ev["line"] == 0,
            f"{rid}: evidence shape",
        )
        q = ev["quote"]
        check(ev["doc"] in BY_NAME, f"{rid}: unknown doc {ev['doc']}")
        check(20 <= len(q) <= 200, f"{rid}: quote length {len(q)}")
        check(not re.search(r"[\t\n<>&]", q), f"{rid}: tab/newline/tag in quote")
        check(unicodedata.is_normalized("NFC", q), f"{rid}: quote NFC")
        k = BY_NAME.get(ev["doc"])
        DOC_USE[k] += 1
        check(k and ws(q) in TEXT[k], f"{rid}: quote not found in {k}: {q!r}")
        others = [o for o in TEXT if o != k and ws(q) in TEXT[o]]
        check(not others, f"{rid}: quote also in {others}")
        if "expect" in r:
            check(r["expect"] in q, f"{rid}: expect {r['expect']!r} not in quote")
    else:
        check(
            r["kind"] == "unanswerable"
            and r["evidence"] == []
            and "expect" not in r
            and "qtype" not in r,
            f"{rid}: unanswerable shape",
        )
        check(
            re.match(r"(Form: no diacritics\. )?(Near-miss|Absent topic)\.", r["note"]) is not None,
            f"{rid}: note prefix",
        )
        check(
            "Absent:" in r["note"] and "Present:" in r["note"], f"{rid}: note lists Absent/Present"
        )
for k in DOCS:
    check(3 <= DOC_USE[k] <= 5, f"{k}: {DOC_USE[k]} answerable quotes (want 3-5)")

# Unanswerable: patterns that must NOT match (scope: a doc key or 'all'), diacritic-folded text.
ABSENT = {
    "c53-023": [("docx", r"dong/ca the|moi ca the[^.;]{0,30}\d[\d.]* (trieu )?dong")],
    "c53-024": [("docx", r"\b2024\b")],
    "c53-025": [("docx", r"dat mui.{0,30}\d+ ha|\d[\d.,]* ha[^.;]{0,30}dat mui")],
    "c53-026": [("pdf", r"dai hoc|sinh vien")],
    "c53-027": [("pdf", r"hoc ky ii\b|hoc ky 2\b")],
    "c53-028": [("pdf", r"muc thu hoc phi[^.;]{0,40}\d+\.000")],
    "c53-029": [("pdf", r"tan thanh")],
    "c53-030": [("odt", r"tu ve (co quan|doanh nghiep)|tu ve[^.;]{0,40}dong/nguoi/ngay")],
    "c53-031": [("odt", r"tu vong|hy sinh")],
    "c53-032": [("all", r"giay phep xay dung")],
    "c53-033": [("odt", r"\b2024\b")],
    "c53-034": [("html", r"dong/m3|gia dich vu thoat nuoc[^.;]{0,40}\d+ dong")],
    "c53-035": [
        (
            "html",
            r"\boda\b|world bank|ngan hang the gioi|\badb\b|\bjica\b|\bkfw\b|nha tai tro|\bwb\b",
        )
    ],
    "c53-036": [("html", r"nha may[^;]{0,40}tan thanh")],
    "c53-037": [("html", r"\b2025\b")],
    "c53-038": [("utf16", r"muc phat|phat tien|trieu dong|\d+\.000\.000")],
    "c53-039": [("utf16", r"\b2024\b")],
    "c53-040": [("utf16", r"tran van thoi|dam doi|nam can")],
    "c53-041": [("cells", r"lai suat[^.;]{0,40}qua han|qua han[^.;]{0,40}lai suat|130%")],
    "c53-042": [("cells", r"31/12/2024|\b2024\b[^.;]{0,40}du no")],
    "c53-043": [("cells", r"quy i[^.;]{0,80}u minh|u minh[^.;]{0,80}quy i")],
    "c53-044": [("all", r"cho vay ho ngheo|nha o xa hoi|cho vay[^.;]{0,30}nha o")],
}
FOLD = {k: fold(v) for k, v in TEXT.items()}
for r in rows:
    if r["answerable"]:
        continue
    rid = r["id"]
    check(rid in ABSENT, f"{rid}: no ABSENT entry")
    for scope, pat in ABSENT.get(rid, []):
        hay = " ".join(FOLD.values()) if scope == "all" else FOLD[scope]
        m = re.search(pat, hay, re.I)
        check(
            m is None,
            f"{rid}: absent-pattern {pat!r} matched {m.group(0) if m else ''!r} in {scope}",
        )
    # every word of the query occurs in the corpus (folded); bare numbers and a few short forms excepted
    vocab = set(re.findall(r"\w+", fold(ALL)))
    for w in re.findall(r"\w+", fold(r["query"])):
        if w.isdigit() or re.fullmatch(r"\d+[a-z]*", w):
            continue
        check(w in vocab, f"{rid}: word {w!r} not in corpus")

print(f"{PASSED} checks passed, {len(FAILED)} failed")
for f in FAILED:
    print("FAIL:", f)
sys.exit(1 if FAILED else 0)
