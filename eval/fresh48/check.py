# Check script for eval/fresh48: reads every corpus file back with two independent readers and checks queries.jsonl.
# ruff: noqa: E501, E731, E741
"""Every answerable quote must be found verbatim (NFC, whitespace collapsed, case folded) by both readers
of its document; table quotes must lie within one cell / line; `expect` must lie inside its quote; `.txt`
line numbers named in notes must hold; the Absent / Present terms of each unanswerable note must hold
over all readers' text. Run: /tmp/f48venv/bin/python eval/fresh48/check.py
(needs python-docx, lxml, pypdf, pdfminer.six, markdown-it-py)"""

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
    "docx": "ke_hoach_48_2026_quan_ly_tang_huyet_ap_dai_thao_duong_tram_y_te.docx",
    "pdf": "bao_cao_57_2026_truong_dat_chuan_quoc_gia_nam_2025.pdf",
    "html": "ke_hoach_83_2026_co_so_du_lieu_dat_dai_portal.html",
    "cp": "chi_thi_05_2026_an_toan_kinh_doanh_khi_dau_mo_hoa_long_cp1258.txt",
    "md": "ke_hoach_61_2026_xoa_vung_lom_song_di_dong_export.md",
    "txt": "thong_bao_ket_luan_tram_sac_xe_dien_2026_web_copy.txt",
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
    s = unicodedata.normalize("NFD", norm(s)).replace("đ", "d").replace("\u0111", "d")
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"(?<!\d)[^\w\s/%](?!\d)", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def path(k):
    return os.path.join(CORPUS, DOCS[k])


# ---------- readers: each returns (full text, list of lines / cells) ----------
def docx_r1():
    import docx

    d = docx.Document(path("docx"))
    out = [p.text for p in d.paragraphs]
    cells = []
    for t in d.tables:
        for row in t.rows:
            seen = set()
            for c in row.cells:
                if id(c._tc) in seen:
                    continue
                seen.add(id(c._tc))
                out += [p.text for p in c.paragraphs]
                cells.append(c.text)
    return "\n".join(out), out + cells


def docx_r2():
    from lxml import etree

    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    x = etree.fromstring(zipfile.ZipFile(path("docx")).read("word/document.xml"))
    ps = ["".join(t.text or "" for t in p.iter(W + "t")) for p in x.iter(W + "p")]
    return "\n".join(ps), ps


def pdf_r1():
    import pypdf

    t = "\n".join(p.extract_text() for p in pypdf.PdfReader(path("pdf")).pages)
    return t, t.split("\n")


def pdf_r2():
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams

    t = extract_text(path("pdf"), laparams=LAParams(char_margin=20, boxes_flow=None))
    return t, t.split("\n")


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
    "nav",
    "footer",
    "table",
    "form",
    "ul",
}


class P1(HTMLParser):
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


def html_r1():
    p = P1()
    p.feed(open(path("html"), encoding="utf-8").read())
    t = "".join(p.out).replace("\u00a0", " ")
    return t, [l for l in t.split("\n")]


def html_r2():
    import lxml.html

    root = lxml.html.fromstring(open(path("html"), "rb").read())
    for bad in root.xpath("//head|//script|//style"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in BLOCK:
            el.tail = "\n" + (el.tail or "")
    t = root.text_content().replace("\u00a0", " ")
    cells = [td.text_content() for td in root.iter("td", "th")]
    return t, t.split("\n") + cells


def cp_r1():
    t = unicodedata.normalize("NFC", open(path("cp"), "rb").read().decode("cp1258"))
    return t, t.split("\r\n")


CP_OVERRIDE = {
    0xC3: "Ă",
    0xE3: "ă",
    0xD0: "Đ",
    0xF0: "đ",
    0xD5: "Ơ",
    0xF5: "ơ",
    0xDD: "Ư",
    0xFD: "ư",
    0xCC: "\u0300",
    0xEC: "\u0301",
    0xDE: "\u0303",
    0xD2: "\u0309",
    0xF2: "\u0323",
}


def cp_r2():
    raw = open(path("cp"), "rb").read()
    assert all(b < 0x80 or b >= 0xC0 for b in raw)
    t = unicodedata.normalize("NFC", "".join(CP_OVERRIDE.get(b, chr(b)) for b in raw))
    t = t.replace("\r\n", "\n").replace("\f", "")
    cells = [
        c for row in csv.reader(io.StringIO(t), delimiter="\t", quoting=csv.QUOTE_NONE) for c in row
    ]
    return "\n".join(cells), cells


def md_r1():
    t = open(path("md"), encoding="utf-8").read()
    t = re.sub(r"<[^>]+>", "", t).replace("**", "").replace("*", "")
    t = re.sub(r"^#+ ", "", t, flags=re.M)
    cells = [c for l in t.split("\n") for c in l.split("|")]
    return t, t.split("\n") + cells


def md_r2():
    from markdown_it import MarkdownIt

    h = MarkdownIt("commonmark").enable("table").render(open(path("md"), encoding="utf-8").read())
    cells = [
        html.unescape(re.sub(r"<[^>]+>", "", c))
        for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", h)
    ]
    t = html.unescape(re.sub(r"<[^>]+>", "\n", h))
    return t, t.split("\n") + cells


def txt_r1():
    t = open(path("txt"), encoding="utf-8").read()
    return t, t.split("\n")


def txt_r2():
    t = " ".join(l.strip() for l in open(path("txt"), encoding="utf-8").read().split("\n"))
    return t, [t]


READERS = {
    "docx": (docx_r1, docx_r2),
    "pdf": (pdf_r1, pdf_r2),
    "html": (html_r1, html_r2),
    "cp": (cp_r1, cp_r2),
    "md": (md_r1, md_r2),
    "txt": (txt_r1, txt_r2),
}
TEXT = {k: [r() for r in rs] for k, rs in READERS.items()}
ALLFOLD = " ".join(fold(t) for v in TEXT.values() for t, _ in v)

# ---------- corpus invariants ----------
check(sorted(os.listdir(CORPUS)) == sorted(DOCS.values()), "corpus holds exactly the six files")
for k, pair in TEXT.items():
    for i, (t, _) in enumerate(pair):
        check(
            "huyện" not in norm(t) and "huyen" not in fold(t).split(),
            f"{k} reader {i + 1}: no 'huyện'",
        )
        check(unicodedata.normalize("NFC", t) == t, f"{k} reader {i + 1}: NFC")
        check("phụ lục" in norm(t), f"{k} reader {i + 1}: PHỤ LỤC")
        check("(đã ký)" in norm(t), f"{k} reader {i + 1}: (Đã ký)")
        check("2026" in t and "cà mau" in norm(t), f"{k} reader {i + 1}: 2026, Cà Mau")
    t = TEXT[k][0][0]
    if k == "html":
        t = re.sub(
            r"<[^>]+>",
            " ",
            html.unescape(
                open(path("html"), encoding="utf-8")
                .read()
                .split('id="noidung">')[1]
                .split('<div class="attach">')[0]
            ),
        )
    n = len(t.split())
    check(1400 <= n <= 2600, f"{k}: word count {n}")
for k in ("docx", "pdf", "html", "cp", "md"):
    check("cộng hòa xã hội chủ nghĩa việt nam" in norm(TEXT[k][0][0]), f"{k}: quốc hiệu")
check("cộng hòa xã hội" not in norm(TEXT["txt"][0][0]), "txt: web copy has no quốc hiệu")
for k, num in (
    ("docx", "48/KH-SYT"),
    ("pdf", "57/BC-SGDĐT"),
    ("html", "83/KH-UBND"),
    ("cp", "05/CT-UBND"),
    ("md", "61/KH-SKHCN"),
    ("txt", "112/TB-SXD"),
):
    check(
        num.lower() in norm(TEXT[k][0][0]) and num.lower() in norm(TEXT[k][1][0]),
        f"{k}: number {num} in both readers",
    )
# web copy: number and date only in the appendix caption
tl = TEXT["txt"][0][1]
hits = [i for i, l in enumerate(tl) if "112/TB-SXD" in l or "22/5/2026" in l]
check(
    len(hits) == 1 and tl[hits[0]].startswith("(Kèm theo Thông báo số 112/TB-SXD"),
    "txt: number/date only in caption",
)
cap = hits[0]
check(
    tl[cap + 2 : cap + 10]
    == [
        "STT",
        "Vị trí",
        "Xã, phường",
        "Số trụ sạc",
        "Công suất (kW)",
        "Đơn vị đầu tư",
        "Thời gian hoàn thành",
        "Ghi chú",
    ],
    "txt: one header cell per line",
)
rows = [tl[cap + 10 + 8 * i : cap + 18 + 8 * i] for i in range(11)]
check(
    [r[0] for r in rows[:10]] == [str(i) for i in range(1, 11)]
    and rows[10][1] == "Tổng cộng"
    and rows[10][0] == "",
    "txt: 10 rows + total, one cell per line",
)
num = lambda s: float(s.replace(".", "").replace(",", ".")) if s else 0.0
check(sum(num(r[3]) for r in rows[:10]) == num(rows[10][3]) == 64, "txt: trụ sạc add up to 64")
check(
    sum(num(r[4]) for r in rows[:10]) == num(rows[10][4]) == 5320, "txt: công suất adds up to 5.320"
)
# cp1258: raw bytes
raw = open(path("cp"), "rb").read()
check(
    not raw.startswith(b"\xef\xbb\xbf")
    and b"\r\n" in raw
    and raw.count(b"\n") == raw.count(b"\r\n"),
    "cp: no BOM, CRLF only",
)
check(
    any(b in raw for b in (b"\xec", b"\xf2", b"\xd2", b"\xde")),
    "cp: cp1258 combining tone bytes present",
)
try:
    raw.decode("utf-8")
    check(False, "cp: must not be valid UTF-8")
except UnicodeDecodeError:
    check(True, "")
check(
    TEXT["cp"][0][0].replace("\r\n", "\n").replace("\f", "")
    == unicodedata.normalize("NFC", raw.decode("cp1258")).replace("\r\n", "\n").replace("\f", ""),
    "cp: reader 1 text",
)
own = unicodedata.normalize("NFC", "".join(CP_OVERRIDE.get(b, chr(b)) for b in raw))
check(own == TEXT["cp"][0][0], "cp: own byte table == cp1258 codec after NFC")
cl = TEXT["cp"][0][1]
hdr = (
    "STT\tXã, phường\tSố trạm chiết nạp\tSố cửa hàng\tThời gian kiểm tra\tCơ quan chủ trì\tGhi chú"
)
check(cl.count(hdr) == 1 and cl.count("\f" + hdr) == 1, "cp: header repeated after form feed")
trows = [l.split("\t") for l in cl if re.match(r"^\d+\t", l)]
check(len(trows) == 14 and all(len(r) == 7 for r in trows), "cp: 14 rows x 7 cells")
tot = [l.split("\t") for l in cl if l.startswith("\tTổng cộng")][0]
check(
    sum(int(r[2]) for r in trows) == int(tot[2]) == 6
    and sum(int(r[3]) for r in trows) == int(tot[3]) == 192,
    "cp: appendix adds up (6 trạm, 192 cửa hàng)",
)
# html structure
hs = open(path("html"), encoding="utf-8").read()
check(hs.count("rowspan=") == 2, "html: exactly two rowspan cells")
check(
    hs.count('rowspan="5"') == 1 and hs.count('rowspan="7"') == 1, "html: two rowspan group cells"
)
trs = re.findall(r"<tr>(.*?)</tr>", hs.split('class="doc-table"')[1])
ntd = Counter(len(re.findall(r"<td", r)) for r in trs)
check(ntd[7] == 2 and ntd[6] == 10, f"html: 2 rows with 7 td, 10 rows with 6 td ({ntd})")
check(
    all(x in hs for x in ("<nav", "<footer>", "&raquo;", "&copy;", "<script>", "&#")),
    "html: portal chrome present",
)
tds = [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in trs]
thua = [num(c[j + 1]) for c in tds for j in range(len(c) - 1) if re.match(r"^(Phường|Xã) ", c[j])]
check(len(thua) == 12 and sum(thua) == 402370, "html: 12 xã/phường, 402.370 thửa")
# docx structure
dx = zipfile.ZipFile(path("docx")).read("word/document.xml").decode("utf-8")
check(
    "w:gridSpan" in dx and "w:vMerge" in dx and "w:numPr" not in dx,
    "docx: merged cells, no auto numbering",
)
check('w:val="nil"' in dx, "docx: borderless tables")
tb = __import__("docx").Document(path("docx")).tables[-1]
dr = [[c.text for c in r.cells] for r in tb.rows]
sub = [r for r in dr if r[0] == "" and r[1].startswith("- Trong đó")]
check(len(sub) == 3, "docx: 3 unnumbered sub-rows")
main = [r for r in dr if r[0].isdigit()]
totr = [r for r in dr if r[0] == "Tổng cộng"][0]
for j in range(2, 7):
    check(sum(num(r[j]) for r in main) == num(totr[j]), f"docx: column {j} adds up")
# pdf
check(len(__import__("pypdf").PdfReader(path("pdf")).pages) >= 3, "pdf: at least 3 pages")
pt = norm(TEXT["pdf"][0][0])
check(
    "trong đó: mức độ 2" in pt and pt.count("trong đó: mức độ 2") == 4, "pdf: 4 unnumbered sub-rows"
)
check("tổng cộng 742 381 37 418 56,3 41" in pt, "pdf: total row")
check(
    112 + 163 + 88 + 18 == 381
    and 14 + 12 + 8 + 3 == 37
    and 126 + 175 + 96 + 21 == 418
    and 15 + 13 + 9 + 4 == 41,
    "pdf: appendix adds up",
)
# md
ms = open(path("md"), encoding="utf-8").read()
check(
    "|:---:|" in ms and "[^1]:" in ms and "[^2]:" in ms and "**Tổng cộng**" in ms,
    "md: pipe table and footnotes",
)
mrows = [l.split("|")[1:-1] for l in ms.split("\n") if re.match(r"^\| \d+ \|", l)]
check(
    len(mrows) == 14
    and sum(int(r[3]) for r in mrows) == 3123
    and sum(int(r[5]) for r in mrows) == 17,
    "md: 14 rows, 3.123 hộ, 17 trạm",
)

# ---------- queries ----------
qs = [json.loads(l) for l in open(QUERIES, encoding="utf-8")]
raw_q = open(QUERIES, encoding="utf-8").read()
check(
    unicodedata.normalize("NFC", raw_q) == raw_q and "\\u" not in raw_q,
    "queries: NFC, ensure_ascii=False",
)
check(len(qs) == 44, "44 queries")
ids = [q["id"] for q in qs]
check(
    len(set(ids)) == 44 and ids == [f"c48-{i:03d}" for i in range(1, 45)], "ids unique and in order"
)
check(
    sum(q["answerable"] for q in qs) == 22 and sum(not q["answerable"] for q in qs) == 22,
    "22/22 split",
)
check(Counter(q["kind"] for q in qs) == Counter(KINDS), "kind counts")
nd = Counter()
for q in qs:
    i = q["id"]
    check(
        list(q)[:5] == ["id", "query", "kind", "answerable", "evidence"]
        and list(q)[-1] == "note"
        and q["note"],
        f"{i}: field order, note",
    )
    if q["kind"] == "no_diacritics" or q["note"].startswith("Form: no diacritics."):
        check(
            unicodedata.normalize("NFD", q["query"]) == q["query"]
            and "đ" not in q["query"].lower(),
            f"{i}: query has no diacritics",
        )
    if not q["answerable"]:
        check(
            q["kind"] == "unanswerable" and q["evidence"] == [] and "qtype" not in q,
            f"{i}: unanswerable shape",
        )
        note = q["note"]
        check(
            re.match(r"^(Form: no diacritics\. )?(Near-miss|Absent topic)\.", note) is not None,
            f"{i}: note prefix",
        )
        nd[
            note.split(".")[0] if not note.startswith("Form") else note.split(". ")[1].rstrip(".")
        ] += 1
        m = re.search(r"Absent: (.*?)\. Present: (.*)\.$", note)
        check(m is not None, f"{i}: Absent/Present")
        if m:
            for term in re.findall(r"'([^']+)'", m.group(1)):
                check(
                    re.search(r"(?<!\w)" + re.escape(fold(term)) + r"(?!\w)", ALLFOLD) is None,
                    f"{i}: absent term {term!r} is present",
                )
            for term in re.findall(r"'([^']+)'", m.group(2)):
                check(
                    re.search(r"(?<!\w)" + re.escape(fold(term)) + r"(?!\w)", ALLFOLD) is not None,
                    f"{i}: present term {term!r} not found",
                )
        continue
    ev = q["evidence"]
    check(
        len(ev) == 1 and ev[0]["line"] == 0 and ev[0]["doc"] in BY_NAME, f"{i}: one evidence item"
    )
    k = BY_NAME[ev[0]["doc"]]
    quote = ev[0]["quote"]
    check(
        20 <= len(quote) <= 150 and "\t" not in quote and "\n" not in quote and "<" not in quote,
        f"{i}: quote shape",
    )
    check(unicodedata.normalize("NFC", quote) == quote, f"{i}: quote NFC")
    for r, (t, parts) in enumerate(TEXT[k]):
        check(norm(quote) in norm(t), f"{i}: quote not found by {k} reader {r + 1}: {quote!r}")
        if q["kind"] == "table":
            check(
                any(norm(quote) in norm(p) for p in parts),
                f"{i}: table quote within one cell/line, {k} reader {r + 1}",
            )
    if "qtype" in q:
        check(q["qtype"] in QTYPES and norm(q["expect"]) in norm(quote), f"{i}: qtype/expect")
    m = re.search(r"Quote on line (\d+)\.", q["note"])
    if k in ("cp", "txt"):
        check(m is not None, f"{i}: txt note names the line")
        if m:
            lines = TEXT[k][0][1]
            hit = [n + 1 for n, l in enumerate(lines) if norm(quote) in norm(l)]
            check(hit == [int(m.group(1))], f"{i}: quote on line {m.group(1)} only (found {hit})")
check(
    nd["Near-miss"] == 11 and nd["Absent topic"] == 11,
    f"11 near-miss + 11 absent topic ({dict(nd)})",
)

print(f"{passed} checks passed, {failed} failed")
sys.exit(1 if failed else 0)
