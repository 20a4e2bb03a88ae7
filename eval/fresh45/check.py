# Check script for eval/fresh45: reads every corpus file back with two independent readers and checks queries.jsonl.
# ruff: noqa: E501, E731, E741
"""Every answerable quote must be found verbatim (NFC, whitespace collapsed, case folded) by both readers
of its document; `expect` must lie inside its quote; `.txt` line numbers named in notes must hold;
the Absent / Present terms of each unanswerable note must hold over all readers' text.
Run: /tmp/f45venv/bin/python eval/fresh45/check.py   (needs python-docx, lxml, pypdf, pdfminer.six, markdown-it-py)"""

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
    "docx": "quyet_dinh_08_2026_quy_dinh_thi_dua_khen_thuong.docx",
    "html": "ke_hoach_36_2026_gac_keo_ong_mat_rung_tram_portal.html",
    "md": "ke_hoach_12_2026_pho_bien_giao_duc_phap_luat_export.md",
    "u16": "ke_hoach_21_2026_thang_cong_nhan_ldld_utf16.txt",
    "txt": "bao_cao_46_2026_chinh_trang_do_thi_phuong_an_xuyen.txt",
    "pdf": "ke_hoach_09_2026_dia_chi_nhan_dao_chu_thap_do.pdf",
}
BY_NAME = {v: k for k, v in DOCS.items()}

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
    s = re.sub(r"(?<!\d)[.,]|[.,](?!\d)", " ", s)
    return " " + re.sub(r"\s+", " ", re.sub(r"[^\w%/.,]+", " ", s)).strip() + " "


def path(k):
    return os.path.join(CORPUS, DOCS[k])


def raw(k):
    with open(path(k), "rb") as f:
        return f.read()


def num(s):
    return int(s.replace(".", "")) if s not in ("", "-") else 0


# ---------- readers ----------
def docx_r1():
    import docx

    d = docx.Document(path("docx"))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for c in row.cells:
                parts.extend(p.text for p in c.paragraphs)
    return "\n".join(parts)


def docx_r2():
    from lxml import etree

    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path("docx")) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p"))


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
    "ul",
    "ol",
    "table",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "hr",
    "form",
}


class Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "script", "style"):
            self.skip += 1
        if tag in BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style"):
            self.skip -= 1
        if tag in BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_r1():
    v = Visible()
    v.feed(raw("html").decode("utf-8"))
    return "".join(v.out).replace("\u00a0", " ")


def html_r2():
    import lxml.html

    root = lxml.html.fromstring(raw("html"))
    for bad in root.xpath("//head|//script|//style"):
        bad.getparent().remove(bad)
    return " ".join(root.itertext()).replace("\u00a0", " ")


def md_r1():
    s = raw("md").decode("utf-8")
    s = re.sub(r"\*\*|(?<!\w)\*|\*(?!\w)", "", s)
    return re.sub(r"(?m)^#+\s*", "", s)


def md_r2():
    from markdown_it import MarkdownIt

    h = MarkdownIt("commonmark").enable("table").render(raw("md").decode("utf-8"))
    h = re.sub(r"<(/?)(p|li|td|th|tr|h\d|hr)[^>]*>", "\n", h)
    return html.unescape(re.sub(r"<[^>]+>", "", h))


def u16_r1():
    return raw("u16").decode("utf-16")


def u16_r2():
    b = raw("u16")
    s = b[2:].decode("utf-16-le")
    rows = csv.reader(io.StringIO(s, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    return "\n".join(" ".join(c for c in r) for r in rows)


def txt_r1():
    return raw("txt").decode("utf-8")


def txt_records():
    """Structural reader: Roman sections, numbered title lines with the paragraph below, appendix rows split on 2+ spaces."""
    lines = raw("txt").decode("utf-8").split("\n")
    recs, sec, i = [], "", 0
    while i < len(lines):
        l = lines[i]
        if re.match(r"^[IVX]+\. ", l):
            sec = l
            recs.append(("H", sec, ""))
        elif (
            re.match(r"^\d+\. ", l)
            and i + 1 < len(lines)
            and lines[i + 1].strip()
            and not re.match(r"^\d+\. ", lines[i + 1])
        ):
            recs.append(("T", sec, l + " " + lines[i + 1]))
            i += 1
        elif re.match(r"^\d+\s{2,}|^\s{5}Tổng cộng", l):
            recs.append(("R", sec, " ".join(re.split(r"\s{2,}", l.strip()))))
        elif l.strip():
            recs.append(("P", sec, l))
        i += 1
    return recs


def txt_r2():
    return "\n".join(r[2] if r[0] != "H" else r[1] for r in txt_records())


def pdf_r1():
    import pypdf

    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path("pdf")).pages)


def pdf_r2():
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams

    return extract_text(path("pdf"), laparams=LAParams(char_margin=20, boxes_flow=None))


READERS = {
    "docx": (docx_r1, docx_r2),
    "html": (html_r1, html_r2),
    "md": (md_r1, md_r2),
    "u16": (u16_r1, u16_r2),
    "txt": (txt_r1, txt_r2),
    "pdf": (pdf_r1, pdf_r2),
}
TEXT = {k: [f() for f in fs] for k, fs in READERS.items()}
NORM = {k: [norm(t) for t in ts] for k, ts in TEXT.items()}
FOLD_ALL = " ".join(fold(t) for ts in TEXT.values() for t in ts)

# ---------- corpus checks ----------
check(sorted(os.listdir(CORPUS)) == sorted(DOCS.values()), "corpus holds exactly the six files")
for k in DOCS:
    for i, t in enumerate(TEXT[k]):
        check(unicodedata.is_normalized("NFC", t), f"{k} reader {i + 1} text is NFC")
    t = TEXT[k][0]
    if k == "html":
        t = (
            norm(t).split("ubnd tỉnh cà mau", 1)[1].split("tệp đính kèm")[0]
        )  # document div only, no chrome
    n = len(t.split())
    check(1200 <= n <= 2500, f"{k}: {n} words, want 1200-2500")
    nt = NORM[k][0]
    for must in (
        "nơi nhận",
        "(đã ký)",
        "phụ lục",
        "cộng hòa xã hội chủ nghĩa việt nam",
        "độc lập - tự do - hạnh phúc",
    ):
        check(must in nt, f"{k}: has '{must}'")
    check(re.search(r"số:? \d+", nt) is not None, f"{k}: has a số/ký hiệu")
    check("2026" in nt and "cà mau" in nt, f"{k}: dated 2026, Cà Mau")
    check("huyện" not in nt, f"{k}: no cấp huyện / huyện")

# docx: Quyết định + Quy định with typed Chương / Điều / khoản / điểm
d1 = TEXT["docx"][0]
for s in (
    "Số: 08/2026/QĐ-UBND",
    "QUYẾT ĐỊNH:",
    "Chương I",
    "Chương V",
    "Điều 5. Đăng ký thi đua",
    "Điều 16. Điều khoản chuyển tiếp",
    "a) Cụm, khối có từ 08 thành viên",
    "(Kèm theo Quyết định số 08/2026/QĐ-UBND",
):
    check(s in d1, f"docx has '{s}'")
with zipfile.ZipFile(path("docx")) as z:
    dx = z.read("word/document.xml").decode("utf-8")
check("w:numPr" not in dx, "docx numbering is typed, not Word auto-numbering")
check(dx.count("<w:tbl>") == 4, "docx has 4 tables (2 headers, signature, appendix)")
app = __import__("docx").Document(path("docx")).tables[-1]
check(len(app.rows) == 11 and len(app.columns) == 5, "docx appendix 1 header + 10 rows x 5 columns")

# html: chrome, rowspan / colspan, footnotes, sums
h = raw("html").decode("utf-8")
for s in (
    'rowspan="2"',
    'colspan="3"',
    'class="breadcrumb"',
    "<nav",
    'class="footnotes"',
    "&raquo;",
    "&copy;",
):
    check(s in h, f"html has {s}")
check(h.count('<td rowspan="2">') == 4, "html: four rowspan chủ-rừng cells")
trs = re.findall(r"<tr>(.*?)</tr>", h)
data = [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)] for r in trs]
data = [r for r in data if r and r[0].isdigit()]
check(
    len(data) == 8 and [len(r) for r in data] == [7, 6] * 4,
    "html: 8 rows, every second one without the rowspan cell",
)
cols = [
    [num(r[-4]) for r in data],
    [num(r[-3]) for r in data],
    [num(r[-2]) for r in data],
    [num(r[-1]) for r in data],
]
check(
    [sum(c) for c in cols] == [14400, 2100, 16500, 52800],
    "html appendix columns add up to the Tổng cộng row",
)
check(
    all(num(r[-4]) + num(r[-3]) == num(r[-2]) for r in data),
    "html: 2025 + tăng thêm = 2026 on every row",
)
check(
    norm("Tổng số kèo ong gác trên địa bàn tỉnh đạt 16.500 kèo") in NORM["html"][0],
    "html body total matches table",
)

# md: front matter, numbered list, pipe table, sums
m = raw("md").decode("utf-8")
check(
    m.startswith("---\n") and "\n| STT |" in m and "|---:|" in m, "md: front matter and pipe table"
)
check(len(re.findall(r"(?m)^[1-5]\. [A-ZĐÂ]", m)) >= 8, "md: numbered lists")
mrows = [
    [c.strip() for c in l.strip("|").split("|")]
    for l in m.splitlines()
    if re.match(r"^\| \d+ \|", l)
]
check(len(mrows) == 7 and sum(int(r[-1]) for r in mrows) == 960, "md: 7 rows adding up to 960")
check("là 960 triệu đồng" in m, "md body 960 matches table")

# u16: BOM, CRLF, tab appendix, sums
b = raw("u16")
check(b[:2] == b"\xff\xfe", "u16: UTF-16 LE BOM")
u = b[2:].decode("utf-16-le")
check("\r\n" in u and "\n" not in u.replace("\r\n", ""), "u16: CRLF only")
urows = [l.split("\t") for l in u.split("\r\n") if re.match(r"^\d+\t", l)]
check(len(urows) == 11 and all(len(r) == 7 for r in urows), "u16: 11 tab rows of 7 cells")
check(
    [sum(num(r[i]) for r in urows) for i in (2, 3, 4, 5)] == [1500, 1500, 18, 12],
    "u16 appendix adds up",
)
check(18 * 60 + 12 * 30 + 1500 <= 3360, "u16: quà + Mái ấm fit in the 3.360 triệu budget")

# txt: titles on their own line, year-headed sections, appendix sums
recs = txt_records()
heads = [r[1] for r in recs if r[0] == "H"]
check(
    heads == ["I. KẾT QUẢ NĂM 2025", "II. NHIỆM VỤ NĂM 2026", "III. KIẾN NGHỊ"],
    "txt: year-headed sections",
)
tit = Counter(r[1] for r in recs if r[0] == "T")
check(
    tit["I. KẾT QUẢ NĂM 2025"] == 5 and tit["II. NHIỆM VỤ NĂM 2026"] == 5,
    "txt: 5 'N. Dự án' title lines with a paragraph below in each year section",
)
check(
    all(
        r[2].split(" ", 1)[1].startswith("Dự án")
        for r in recs
        if r[0] == "T" and r[1] != "III. KIẾN NGHỊ"
    ),
    "txt: titles start 'Dự án'",
)
trow = [re.split(r"\s{2,}", l.strip()) for l in txt_r1().split("\n") if re.match(r"^\d+\s{2,}", l)]
check(
    len(trow) == 8 and [sum(num(r[i]) for r in trow) for i in (2, 3, 4)] == [84400, 33950, 42300],
    "txt appendix adds up",
)

# pdf: pages, header repeated after break, sums
pages = [p.extract_text() for p in __import__("pypdf").PdfReader(path("pdf")).pages]
check(len(pages) == 3, "pdf: 3 pages")
check(
    all("STT Cụm xã, phường" in p for p in pages[1:])
    and "1 Phường An Xuyên" in pages[1]
    and "8 Xã Năm Căn" in pages[2],
    "pdf: appendix crosses the page break with the header repeated",
)
check(
    "TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0],
    "pdf: two-column header on shared baselines",
)
prow = [
    l.split()
    for l in pdf_r1().split("\n")
    if re.match(r"^\d+ (Xã|Phường) .* \d+ \d+ \d+ [\d.]+$", l)
]
check(len(prow) >= 9, f"pdf: {len(prow)} one-line rows parsed")
check("Tổng cộng 4.862 5.200 1.300 23.250" in pdf_r1(), "pdf total row")

# ---------- queries ----------
FIELDS = ["id", "query", "kind", "answerable", "evidence", "qtype", "expect", "note"]
qs = []
with open(QUERIES, encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        check(unicodedata.is_normalized("NFC", line), f"queries line {n} NFC")
        qs.append(json.loads(line))
check(len(qs) == 44 and len({q["id"] for q in qs}) == 44, "44 queries, unique ids")
check(sum(q["answerable"] for q in qs) == 22, "22 answerable")
for q in qs:
    qid = q["id"]
    keys = list(q)
    check(keys == [k for k in FIELDS if k in q], f"{qid}: field order")
    check(("qtype" in q) == ("expect" in q), f"{qid}: qtype and expect together")
    if "qtype" in q:
        check(q["qtype"] in ("who", "when", "how_much", "how_many"), f"{qid}: qtype value")
    if q["kind"] == "no_diacritics" or q["note"].startswith("Form: no diacritics"):
        check(q["query"].isascii(), f"{qid}: no-diacritics query is ASCII")
    if q["answerable"]:
        check(len(q["evidence"]) == 1, f"{qid}: one evidence item")
        ev = q["evidence"][0]
        k = BY_NAME.get(ev["doc"])
        check(k is not None and ev["line"] == 0, f"{qid}: known doc, line 0")
        quote = ev["quote"]
        check(
            20 <= len(quote) <= 150
            and "\t" not in quote
            and "\n" not in quote
            and "<" not in quote,
            f"{qid}: quote shape",
        )
        for i, t in enumerate(NORM[k]):
            check(norm(quote) in t, f"{qid}: quote found by {k} reader {i + 1}")
        if "expect" in q:
            check(q["expect"] in quote, f"{qid}: expect inside quote")
        ln = re.search(r"Quote on line (\d+)\.", q["note"])
        if k in ("txt", "u16"):
            check(ln is not None, f"{qid}: note names the line")
            lines = TEXT[k][0].replace("\r\n", "\n").split("\n")
            hits = [i + 1 for i, l in enumerate(lines) if norm(quote) in norm(l)]
            check(
                ln is not None and hits == [int(ln.group(1))],
                f"{qid}: quote on line {ln and ln.group(1)} only (found {hits})",
            )
        if q["kind"] == "paste":
            check(
                len(q["query"]) >= 300 and fold(quote) in fold(q["query"]),
                f"{qid}: paste >= 300 chars and holds the quote",
            )
            check(
                q["query"] != quote and norm(q["query"]) not in NORM[k][0],
                f"{qid}: paste is altered",
            )
    else:
        check(
            q["kind"] == "unanswerable" and q["evidence"] == [] and "qtype" not in q,
            f"{qid}: unanswerable shape",
        )
        note = q["note"]
        check(
            re.match(r"^(Form: no diacritics\. )?(Near-miss|Absent topic)\. ", note) is not None,
            f"{qid}: note prefix",
        )
        ab = re.search(r"Absent: (.*?)\. Present: (.*)\.$", note)
        check(ab is not None, f"{qid}: Absent/Present lists")
        if ab:
            for term in re.findall(r"'([^']+)'", ab.group(1)):
                check(
                    fold(term) not in FOLD_ALL,
                    f"{qid}: absent term '{term}' not in any reader text",
                )
            for term in re.findall(r"'([^']+)'", ab.group(2)):
                check(fold(term) in FOLD_ALL, f"{qid}: present term '{term}' found")
kinds = Counter(q["kind"] for q in qs)
check(
    kinds
    == Counter(
        {
            "keyword": 3,
            "question": 9,
            "table": 3,
            "year_specific": 1,
            "no_diacritics": 3,
            "typo_or_abbrev": 2,
            "paste": 1,
            "unanswerable": 22,
        }
    ),
    f"kind counts {dict(kinds)}",
)

print(f"{passed} checks passed, {failed} failed")
sys.exit(1 if failed else 0)
