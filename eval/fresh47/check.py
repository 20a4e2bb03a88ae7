# Check script for eval/fresh47: reads every corpus file back with two independent readers and checks queries.jsonl.
# ruff: noqa: E501, E731, E741
"""Every answerable quote must be found verbatim (NFC, whitespace collapsed, case folded) by both readers
of its document; `expect` must lie inside its quote; `.txt` line numbers named in notes must hold;
the Absent / Present terms of each unanswerable note must hold over all readers' text.
Run: /tmp/f47venv/bin/python eval/fresh47/check.py   (needs python-docx, lxml, pypdf, pdfminer.six, markdown-it-py)"""

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
    "html": "ke_hoach_74_2026_tong_dieu_tra_kinh_te_nam_2026_portal.html",
    "pdf": "bao_cao_31_2026_phong_chong_tao_hon_can_huyet_nam_2025.pdf",
    "docx": "quyet_dinh_11_2026_quy_che_giai_bao_chi_tinh.docx",
    "u16": "chi_thi_02_2026_tet_trong_cay_xuan_binh_ngo_utf16.txt",
    "md": "ke_hoach_96_2026_tham_dinh_kiem_ke_khi_nha_kinh_export.md",
    "txt": "thong_bao_ket_luan_nha_van_hoa_ap_khom_2026_web_copy.txt",
}
BY_NAME = {v: k for k, v in DOCS.items()}
KINDS = {
    "keyword": 3,
    "question": 9,
    "table": 3,
    "year_specific": 1,
    "no_diacritics": 3,
    "typo_or_abbrev": 2,
    "paste": 1,
    "unanswerable": 22,
}
QTYPES = {"who", "when", "how_much", "how_many"}

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
    s = unicodedata.normalize("NFD", norm(s)).replace("đ", "d")
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"(?<=\d)[.,](?=\d)", "\x00", s)
    s = re.sub(r"[^\w\x00]+", " ", s).replace("\x00", ".")
    return " " + re.sub(r"\s+", " ", s).strip() + " "


def path(key):
    return os.path.join(CORPUS, DOCS[key])


# ---------------------------------------------------------------- readers
BLOCK = {
    "p",
    "div",
    "td",
    "th",
    "tr",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "table",
    "ul",
    "nav",
    "aside",
    "footer",
    "main",
    "form",
}


class Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, a):
        if tag in ("head", "script", "style"):
            self.skip += 1
        if tag in BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style"):
            self.skip -= 1
        if tag in BLOCK:
            self.out.append("\n")

    def handle_data(self, d):
        if not self.skip:
            self.out.append(d)


def html_r1(raw):
    p = Text()
    p.feed(raw)
    return "".join(p.out).replace("\u00a0", " ")


def html_r2(raw):
    import lxml.html

    root = lxml.html.fromstring(raw.encode("utf-8"))
    for bad in root.xpath("//head|//script|//style"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in BLOCK:
            el.tail = "\n" + (el.tail or "")
    return root.text_content().replace("\u00a0", " ")


def html_doc_div(raw):
    m = re.search(
        r'<div class="doc-content" id="noidung">(.*?)\n</div>\n<div class="attach">', raw, re.S
    )
    return m.group(1)


def docx_r1(p):
    import docx

    d = docx.Document(p)
    out = [x.text for x in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for c in row.cells:
                out += [x.text for x in c.paragraphs]
    return "\n".join(out)


def docx_r2(p):
    from lxml import etree

    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    x = etree.fromstring(zipfile.ZipFile(p).read("word/document.xml"))
    return "\n".join("".join(t.text or "" for t in para.iter(W + "t")) for para in x.iter(W + "p"))


def pdf_r1(p):
    from pypdf import PdfReader

    return "\n".join(pg.extract_text() for pg in PdfReader(p).pages)


def pdf_r2(p):
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams

    return extract_text(p, laparams=LAParams(char_margin=20, boxes_flow=None))


def md_r1(raw):
    s = re.sub(r"<[^>]+>", "", raw)
    s = s.replace("**", "").replace("*", "")
    return re.sub(r"(?m)^#+ ", "", s)


def md_r2(raw):
    from markdown_it import MarkdownIt

    h = MarkdownIt("commonmark").enable("table").render(raw)
    h = re.sub(r"</?(p|li|td|th|tr|h\d)>", "\n", h)
    return html.unescape(re.sub(r"<[^>]+>", "", h))


def u16_lines():
    raw = open(path("u16"), "rb").read()
    return raw.decode("utf-16").split("\r\n")


def clean_cell(c):
    c = re.sub(r"<br\s*/?>", " ", c)
    return html.unescape(re.sub(r"<[^>]+>", "", c)).replace("\u00a0", " ").strip()


def u16_r1():
    return html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(u16_lines()))).replace("\u00a0", " ")


def u16_r2():
    raw = open(path("u16"), "rb").read()
    assert raw[:2] == b"\xff\xfe"
    text = raw[2:].decode("utf-16-le").replace("\f", "")
    cells = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE):
        cells += [clean_cell(c) for c in row]
    return "\n".join(cells)


def txt_lines():
    return open(path("txt"), encoding="utf-8").read().split("\n")


def txt_r1():
    return "\n".join(txt_lines())


def txt_r2():
    return " ".join(x.strip() for x in txt_lines() if x.strip())


# ---------------------------------------------------------------- corpus checks
check(sorted(os.listdir(CORPUS)) == sorted(DOCS.values()), "corpus holds exactly the six documents")
raw_html = open(path("html"), encoding="utf-8").read()
raw_md = open(path("md"), encoding="utf-8").read()
READ = {
    "html": [html_r1(raw_html), html_r2(raw_html)],
    "pdf": [pdf_r1(path("pdf")), pdf_r2(path("pdf"))],
    "docx": [docx_r1(path("docx")), docx_r2(path("docx"))],
    "u16": [u16_r1(), u16_r2()],
    "md": [md_r1(raw_md), md_r2(raw_md)],
    "txt": [txt_r1(), txt_r2()],
}
for k, texts in READ.items():
    for i, t in enumerate(texts):
        check(unicodedata.is_normalized("NFC", t), f"{k} reader {i + 1} text is NFC")
        check(len(t.split()) > 1000, f"{k} reader {i + 1} returns text")
        check("huyện" not in t.lower(), f"{k} reader {i + 1}: no 'huyện' after the merger")
        for must in ("Nơi nhận", "(Đã ký)", "PHỤ LỤC"):
            check(must.lower() in norm(t), f"{k} reader {i + 1}: has {must!r}")
        if k != "txt":
            check("cộng hòa xã hội chủ nghĩa việt nam" in norm(t), f"{k} reader {i + 1}: quốc hiệu")
doc_words = {
    "html": len(html.unescape(re.sub(r"<[^>]+>", " ", html_doc_div(raw_html))).split()),
    "pdf": len(READ["pdf"][0].split()),
    "docx": len(READ["docx"][0].split()),
    "u16": len(READ["u16"][0].split()),
    "md": len(READ["md"][0].split()),
    "txt": len(READ["txt"][0].split()),
}
for k, n in doc_words.items():
    check(1500 <= n <= 5000, f"{k}: {n} words, want 1500-5000")

# .html features
check(raw_html.count('rowspan="') == 3, "html: three group cells with rowspan")
trs = re.findall(r"<tr>(.*?)</tr>", html_doc_div(raw_html), re.S)
nd = [t.count("<td") for t in trs]
check(nd.count(6) == 3 and nd.count(5) == 9, f"html: 3 rows with the group cell, 9 without ({nd})")
check(
    "&raquo;" in raw_html
    and "<nav>" in raw_html
    and "&copy; 2026" in raw_html
    and "&#" in raw_html.split("</title>")[0],
    "html: portal chrome and entity title",
)
# .docx features
z = zipfile.ZipFile(path("docx"))
dx = z.read("word/document.xml").decode("utf-8")
check("w:numPr" not in dx, "docx: numbering typed in the text")
check(dx.count('w:val="nil"') >= 12, "docx: borderless header / signature tables")
check('w:gridSpan w:val="3"' in dx, "docx: merged cells in the appendix")
check(all(f"Điều {i}." in READ["docx"][1] for i in range(1, 13)), "docx: Điều 1-12 of the Quy chế")
for p in ("a) Giải A", "d) Giải khuyến khích"):
    check(p in READ["docx"][1], f"docx: điểm {p!r}")
check(
    READ["docx"][1].count("\n\n- Giải A\n") == 2,
    "docx: sub-rows '- Giải A' with an empty STT cell, in two groups",
)
# .pdf features
check(len(__import__("pypdf").PdfReader(path("pdf")).pages) >= 3, "pdf: at least 3 pages")
check(READ["pdf"][0].count("Trong đó: dân tộc") == 10, "pdf: 10 unnumbered 'Trong đó' sub-rows")
check(
    "năm 2024 (47 cặp)" in norm(READ["pdf"][0]) and "31 cặp tảo hôn" in norm(READ["pdf"][0]),
    "pdf: two years compared",
)
# utf-16 features
raw16 = open(path("u16"), "rb").read()
check(raw16[:2] == b"\xff\xfe" and b"\r\x00\n\x00" in raw16, "u16: UTF-16 LE with BOM and CRLF")
L16 = u16_lines()
hdr = [
    i
    for i, x in enumerate(L16)
    if x.replace("<b>", "").replace("</b>", "").lstrip("\f").startswith("STT\tXã, phường")
]
check(len(hdr) == 2 and L16[hdr[1]].startswith("\f<b>STT</b>"), "u16: header repeated after \\f")
rows16 = [x.split("\t") for x in L16 if re.match(r"\d+\t", x)]
check(len(rows16) == 18 and all(len(r) == 6 for r in rows16), "u16: 18 rows of 6 tab cells")
check(
    sum(int(r[2].replace(".", "")) for r in rows16) == 1350000,
    "u16: cây phân tán adds up to 1.350.000",
)
check(
    abs(sum(float(r[3].replace(",", ".")) for r in rows16 if r[3]) - 450) < 1e-6,
    "u16: rừng tập trung adds up to 450,0 ha",
)
check("&nbsp;" in "".join(L16) and "<br>" in "".join(L16), "u16: &nbsp; and <br> cells")
# .md features
check("|:---:|" in raw_md and "[^1]:" in raw_md, "md: pipe table and footnotes")
mrows = [r.strip("|").split("|") for r in raw_md.split("\n") if re.match(r"\| \d+ \|", r)]
check(
    len(mrows) == 12 and sum(int(r[4].strip().replace(".", "")) for r in mrows) == 3827390,
    "md: 12 rows adding up to 3.827.390",
)
# web-copy .txt features
LT = txt_lines()
check(
    sum("173/TB-VP" in x for x in LT) == 1 and "(Kèm theo Thông báo số 173/TB-VP" in "".join(LT),
    "txt: number only in the appendix caption",
)
i0 = LT.index("STT")
cells = LT[i0 : i0 + 8 + 12 * 8]
check(cells[1] == "Xã, phường" and cells[8] == "1" and cells[16] == "2", "txt: one cell per line")
nums = [cells[8 + 8 * r : 16 + 8 * r] for r in range(12)]
for c in range(2, 7):
    tot = LT[i0 + 8 + 12 * 8 + c]
    check(sum(int(r[c]) for r in nums) == int(tot), f"txt: column {c + 1} adds up to {tot}")

# ---------------------------------------------------------------- queries
qs = [json.loads(x) for x in open(QUERIES, encoding="utf-8") if x.strip()]
check(len(qs) == 44, "44 queries")
check(len({q["id"] for q in qs}) == 44, "ids unique")
check(
    Counter(q["kind"] for q in qs) == Counter(KINDS),
    f"kind counts {Counter(q['kind'] for q in qs)}",
)
check(sum(q["answerable"] for q in qs) == 22, "22 answerable")
allfold = fold(" ".join(t for ts in READ.values() for t in ts))
ORDER = ["id", "query", "kind", "answerable", "evidence", "qtype", "expect", "note"]
for q in qs:
    qid = q["id"]
    check([k for k in ORDER if k in q] == list(q), f"{qid}: field order")
    check(unicodedata.is_normalized("NFC", json.dumps(q, ensure_ascii=False)), f"{qid}: NFC")
    check(("qtype" in q) == ("expect" in q), f"{qid}: qtype and expect together")
    if q["kind"] == "no_diacritics" or q["note"].startswith("Form: no diacritics."):
        check(
            fold(q["query"]).strip() == norm(q["query"]).replace("?", "").strip()
            or q["query"].isascii(),
            f"{qid}: typed without diacritics",
        )
    if not q["answerable"]:
        check(
            q["kind"] == "unanswerable" and q["evidence"] == [] and "qtype" not in q,
            f"{qid}: unanswerable shape",
        )
        n = q["note"]
        check(
            re.match(r"(Form: no diacritics\. )?(Near-miss|Absent topic)\.", n) is not None,
            f"{qid}: note prefix",
        )
        ab = re.search(r"Absent: (.*?)\. Present: (.*)\.$", n)
        check(ab is not None, f"{qid}: Absent / Present in note")
        if ab:
            for term in re.findall(r"'([^']+)'", ab.group(1)):
                check(fold(term) not in allfold, f"{qid}: absent term {term!r} is absent")
            for term in re.findall(r"'([^']+)'", ab.group(2)):
                check(fold(term) in allfold, f"{qid}: present term {term!r} is present")
        continue
    check(q["kind"] != "unanswerable" and len(q["evidence"]) == 1, f"{qid}: one evidence item")
    ev = q["evidence"][0]
    quote, key = ev["quote"], BY_NAME.get(ev["doc"])
    check(key is not None, f"{qid}: doc known")
    check(ev["line"] == 0, f"{qid}: line is 0")
    check(
        20 <= len(quote) <= 150
        and "\t" not in quote
        and "\n" not in quote
        and not re.search(r"<[a-z/]", quote),
        f"{qid}: quote shape",
    )
    for i, t in enumerate(READ[key]):
        check(norm(quote) in norm(t), f"{qid}: quote in {key} reader {i + 1}: {quote!r}")
    if "expect" in q:
        check(q["qtype"] in QTYPES, f"{qid}: qtype")
        check(q["expect"] in quote, f"{qid}: expect inside quote")
    if q["kind"] == "table" and key == "u16":
        check(
            norm(quote) in [norm(c) for c in READ["u16"][1].split("\n")]
            or any(norm(quote) in norm(c) for c in READ["u16"][1].split("\n")),
            f"{qid}: quote within one tab cell",
        )
    m = re.search(r"Quote on line (\d+)\.", q["note"])
    if key in ("u16", "txt"):
        check(m is not None, f"{qid}: note names the line")
        if m:
            lines = u16_lines() if key == "u16" else txt_lines()
            hits = [
                i + 1
                for i, x in enumerate(lines)
                if norm(quote) in norm(clean_cell(x) if key == "u16" else x)
            ]
            check(
                hits == [int(m.group(1))], f"{qid}: quote on line {m.group(1)} only (found {hits})"
            )

print(f"{passed} checks passed, {failed} failed")
sys.exit(1 if failed else 0)
