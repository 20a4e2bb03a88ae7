"""Check script for eval/fresh52: reads every corpus file back and checks queries.jsonl."""
# ruff: noqa: E501, E731, E741

# Every answerable quote must occur verbatim (NFC, whitespace collapsed) in the extracted text of its
# document; `expect` must occur inside the quote. Every unanswerable query has absent-patterns (ABSENT)
# that must not match, and all of its words occur somewhere in the corpus (diacritic-folded).
# Run: /tmp/f52venv/bin/python eval/fresh52/check.py   (needs python-docx and pypdf)

import json
import os
import re
import sys
import unicodedata
from collections import Counter
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
QUERIES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "queries.jsonl")

DOCS = {
    "docx": "ke_hoach_58_2026_tiem_vac_xin_hpv_tre_em_gai.docx",
    "pdf": "quyet_dinh_742_2026_sap_xep_sap_nhap_ap_khom.pdf",
    "cp1258": "chi_thi_03_2026_tong_dai_1022_phan_anh_kien_nghi_cp1258.txt",
    "html": "thong_bao_327_2025_ket_luan_that_thoat_nuoc_sach_portal.html",
    "tab": "bao_cao_sct_2026_ho_tro_che_bien_kho_thuy_san_tab.txt",
    "md": "chuong_trinh_hanh_dong_11_2026_kinh_te_ban_dem_export.md",
}
BY_NAME = {v: k for k, v in DOCS.items()}
NUMBERS = {
    "docx": "58/KH-UBND",
    "pdf": "742/QĐ-UBND",
    "cp1258": "03/CT-UBND",
    "html": "327/TB-VP",
    "tab": "96/BC-SCT",
    "md": "11/CTr-UBND",
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
    return cond


def norm(s):
    s = unicodedata.normalize("NFC", s).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip()


def fold(s):
    s = unicodedata.normalize("NFD", norm(s).lower()).replace("đ", "d")
    return "".join(c for c in s if not unicodedata.combining(c))


# ---------------------------------------------------------------- readers
def read_docx(path):
    from docx import Document

    d = Document(path)
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            seen = set()
            for c in row.cells:
                if id(c._tc) in seen:
                    continue
                seen.add(id(c._tc))
                parts.append(c.text)
    return "\n".join(parts)


def read_pdf(path):
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(path).pages)


def read_cp1258(path):
    raw = open(path, "rb").read()
    return unicodedata.normalize("NFC", raw.decode("cp1258")).replace("\r\n", "\n")


class _Strip(HTMLParser):
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
        "footer",
        "header",
        "nav",
        "aside",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "script", "style"):
            self.skip += 1
        elif tag in self.BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style"):
            self.skip -= 1
        elif tag in self.BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def read_html(path):
    p = _Strip()
    p.feed(open(path, encoding="utf-8").read())
    return "".join(p.out).replace("\u00a0", " ")


def read_tab(path):
    return open(path, encoding="utf-8").read().replace("\f", "\n").replace("\t", "\n")


def read_md(path):
    t = open(path, encoding="utf-8").read()
    t = re.sub(r"\[\^\d\]:?", " ", t)
    t = t.replace("<br>", "\n").replace("**", "").replace("|", "\n")
    t = re.sub(r"(?m)^#+ ", "", t)
    return re.sub(r"(?<![\w*])\*([^*\n]+)\*", r"\1", t)


READERS = {
    "docx": read_docx,
    "pdf": read_pdf,
    "cp1258": read_cp1258,
    "html": read_html,
    "tab": read_tab,
    "md": read_md,
}

# Per unanswerable query: (doc key or "*", regex) pairs that must NOT match the folded-whitespace text.
ABSENT = {
    "c52-023": [("docx", r"tiêm[^.]{0,60}năm 2025"), ("docx", r"đã tiêm")],
    "c52-024": [("docx", r"đồng/liều|mỗi liều|giá vắc xin")],
    "c52-025": [("*", r"trẻ em trai|nam giới|học sinh nam")],
    "c52-026": [("docx", r"mũi 2|mũi thứ hai|02 mũi")],
    "c52-027": [("pdf", r"Hòa Thành")],
    "c52-028": [("pdf", r"đồng/tháng|hệ số")],
    "c52-029": [("pdf", r"biển tên[^.]{0,80}(triệu|đồng)")],
    "c52-030": [("pdf", r"giảm[^.]{0,60}2025|2025[^.]{0,60}giảm")],
    "c52-031": [("cp1258", r"2024")],
    "c52-032": [("cp1258", r"phạt")],
    "c52-033": [("cp1258", r"triệu|tỷ đồng")],
    "c52-034": [("cp1258", r"2024")],
    "c52-035": [("*", r"đồng/m3|đồng/m³|giá nước[^.]{0,40}\d+ đồng")],
    "c52-036": [("html", r"2023")],
    "c52-037": [("html", r"Cấp nước Cà Mau: [^.]*km")],
    "c52-038": [("html", r"triệu|tỷ đồng")],
    "c52-039": [("tab", r"2024")],
    "c52-040": [("tab", r"phạt\b|xử phạt")],
    "c52-041": [("tab", r"4 sao")],
    "c52-042": [("md", r"2025")],
    "c52-043": [("md", r"giá vé|đồng/người|đồng/vé")],
    "c52-044": [("md", r"lượt khách")],
}


def main():
    texts = {}
    check(sorted(os.listdir(CORPUS)) == sorted(DOCS.values()), "corpus holds exactly the six files")
    for k, f in DOCS.items():
        t = READERS[k](os.path.join(CORPUS, f))
        texts[k] = norm(t)
        n = len(texts[k])
        check(3000 <= n <= 12000, f"{k}: {n} characters, not 3000-12000")
        check(unicodedata.normalize("NFC", t) == t, f"{k}: reader text not NFC")
        check(NUMBERS[k] in texts[k], f"{k}: number {NUMBERS[k]} missing")
        check("Cà Mau" in texts[k], f"{k}: no Cà Mau")
        check("Nơi nhận" in texts[k], f"{k}: no Nơi nhận")
        check(not re.search(r"\bhuyen\b", fold(t)), f"{k}: the word huyện occurs")
    # format specifics
    raw = {k: open(os.path.join(CORPUS, f), "rb").read() for k, f in DOCS.items()}
    check(
        b"\r\n" in raw["cp1258"] and raw["cp1258"].count(b"\n") == raw["cp1258"].count(b"\r\n"),
        "cp1258: CRLF only",
    )
    try:
        raw["cp1258"].decode("utf-8")
        check(False, "cp1258: file is valid UTF-8")
    except UnicodeDecodeError:
        check(True, "")
    check(
        any(b in raw["cp1258"] for b in (b"\xcc", b"\xec", b"\xde", b"\xd2", b"\xf2")),
        "cp1258: no combining tone bytes",
    )
    check(
        "Uỷ ban" in texts["cp1258"] and "Ủy ban" not in texts["cp1258"],
        "cp1258: old-style tone placement",
    )
    check(
        "Số: /BC-SCT" in texts["tab"] and "96/BC-SCT" not in texts["tab"].split("PHỤ LỤC")[0],
        "tab: number only in the appendix caption",
    )
    check(
        raw["tab"].count(b"\fSTT\t") == 1 and raw["tab"].count(b"STT\t") == 2,
        "tab: header row repeated after a form feed",
    )
    check(
        b'rowspan="2"' in raw["html"]
        and b"&raquo;" in raw["html"]
        and b"<nav>" in raw["html"]
        and b"<footer>" in raw["html"],
        "html: portal chrome and rowspan",
    )
    check(b"[^3]:" in raw["md"] and b"|:---:|" in raw["md"], "md: footnotes and pipe table")
    check(
        raw["pdf"].startswith(b"%PDF") and "Tổng cộng" in texts["pdf"], "pdf: appendix table read"
    )
    check(
        "11.212 học sinh nữ" in texts["docx"]
        and "Kèm theo Kế hoạch số 58/KH-UBND" in texts["docx"],
        "docx: footnote and appendix caption",
    )

    # queries
    rows = [json.loads(l) for l in open(QUERIES, encoding="utf-8")]
    rawq = open(QUERIES, encoding="utf-8").read()
    check(unicodedata.normalize("NFC", rawq) == rawq, "queries.jsonl not NFC")
    check("\\u" not in rawq, "queries.jsonl written with ensure_ascii")
    check(len(rows) == 44, "44 rows")
    ids = [r["id"] for r in rows]
    check(len(set(ids)) == len(ids), "ids unique")
    check(ids == [f"c52-{i:03d}" for i in range(1, 45)], "ids c52-001..044 in order")
    check(
        Counter(r["kind"] for r in rows) == Counter(KINDS),
        f"kind counts {Counter(r['kind'] for r in rows)}",
    )
    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]
    check(len(ans) == 22 and len(una) == 22, "22 answerable / 22 unanswerable")
    check(sum("qtype" in r for r in rows) == 14, "14 rows with qtype")
    vocab = set(re.findall(r"\w+", fold(" ".join(texts.values()))))
    for r in rows:
        rid = r["id"]
        keys = list(r)
        check(keys[:6] == FIELDS and set(keys[6:]) <= {"qtype", "expect"}, f"{rid}: field order")
        if r["kind"] == "no_diacritics" or r["note"].startswith("Form: no diacritics"):
            check(
                fold(r["query"]) == norm(r["query"]).lower(),
                f"{rid}: no-diacritics query has diacritics",
            )
        if r["answerable"]:
            check(
                r["kind"] != "unanswerable" and len(r["evidence"]) == 1, f"{rid}: one evidence item"
            )
            for ev in r["evidence"]:
                k = BY_NAME.get(ev["doc"])
                check(k is not None, f"{rid}: unknown doc {ev['doc']}")
                q = norm(ev["quote"])
                check(ev["line"] == 0, f"{rid}: line must be 0")
                check(
                    q == ev["quote"] and "\t" not in q and "<" not in q and "&" not in q,
                    f"{rid}: quote not clean",
                )
                check(k and q in texts[k], f"{rid}: quote not found verbatim in {k}: {q[:60]}")
            if "qtype" in r:
                check(r["qtype"] in QTYPES, f"{rid}: bad qtype")
                if r["kind"] == "question":
                    check(
                        norm(r["expect"]) in norm(r["evidence"][0]["quote"]),
                        f"{rid}: expect not in quote",
                    )
                else:
                    check(norm(r["expect"]) in texts[k], f"{rid}: expect not in document")
            else:
                check(r["kind"] != "question", f"{rid}: question without qtype")
        else:
            check(
                r["kind"] == "unanswerable" and r["evidence"] == [] and "qtype" not in r,
                f"{rid}: unanswerable shape",
            )
            check(
                re.match(r"(Form: no diacritics\. )?(Near-miss|Absent topic)\.", r["note"])
                is not None,
                f"{rid}: note prefix",
            )
            check(rid in ABSENT, f"{rid}: no ABSENT patterns")
            for scope, pat in ABSENT.get(rid, []):
                for k in DOCS if scope == "*" else [scope]:
                    check(
                        not re.search(pat, texts[k], re.I),
                        f"{rid}: absent-pattern {pat!r} matches {k}",
                    )
            for w in re.findall(r"\w+", fold(r["query"])):
                if not w.isdigit():
                    check(w in vocab, f"{rid}: word {w!r} occurs in no document")
    print(f"{PASSED} checks passed, {len(FAILED)} failed")
    for f in FAILED:
        print("FAIL:", f)
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
