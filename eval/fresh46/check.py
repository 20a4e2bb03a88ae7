# Check script for eval/fresh46: reads every corpus file back with two independent readers and checks queries.jsonl.
# ruff: noqa: E501, E731, E741
"""Every answerable quote must be found verbatim (NFC, whitespace collapsed, case folded) by both readers
of its document; `expect` must lie inside its quote; `.txt` line numbers named in notes must hold;
the Absent / Present terms of each unanswerable note must hold over all readers' text.
Run: /tmp/f46venv/bin/python eval/fresh46/check.py   (needs python-docx, lxml, pypdf, pdfminer.six, markdown-it-py)"""

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
    "docx": "nghi_quyet_14_2026_che_do_dinh_duong_van_dong_vien_the_thao.docx",
    "html": "ke_hoach_58_2026_giai_dua_ghe_ngo_portal.html",
    "md": "ke_hoach_61_2026_ho_tro_bao_hiem_nong_nghiep_export.md",
    "cp": "bao_cao_186_2026_quan_ly_giet_mo_gia_suc_gia_cam_cp1258.txt",
    "pdf": "thong_bao_205_2026_ket_luan_buu_dien_van_hoa_xa.pdf",
    "txt": "ke_hoach_quan_ly_chat_thai_y_te_2026_web_copy.txt",
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


def strip_tags(s):
    return html.unescape(re.sub(r"<[^>]+>", " ", s))


# ---------- readers ----------
def docx_r1():
    import docx

    d = docx.Document(path("docx"))
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for c in row.cells:
                out += [p.text for p in c.paragraphs]
    return "\n".join(out)


def docx_r2():
    from lxml import etree

    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(zipfile.ZipFile(path("docx")).read("word/document.xml"))
    return "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p"))


class _HP(HTMLParser):
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
        "ol",
        "hr",
        "nav",
        "footer",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, a):
        if tag in ("head", "script", "style"):
            self.skip += 1
        elif tag in self.BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style"):
            self.skip -= 1
        elif tag in self.BLOCK:
            self.out.append("\n")

    def handle_data(self, d):
        if not self.skip:
            self.out.append(d)


def html_r1():
    h = _HP()
    h.feed(open(path("html"), encoding="utf-8").read())
    return "".join(h.out).replace("\u00a0", " ")


def html_r2():
    import lxml.html

    root = lxml.html.fromstring(open(path("html"), "rb").read())
    for e in root.xpath("//head|//script|//style"):
        e.drop_tree()
    for e in root.iter(*_HP.BLOCK):
        e.tail = "\n" + (e.tail or "")
    return root.text_content().replace("\u00a0", " ")


def md_r1():
    s = open(path("md"), encoding="utf-8").read()
    s = re.sub(r"^#+\s*", "", s, flags=re.M)
    return s.replace("**", "").replace("*", "")


def md_r2():
    from markdown_it import MarkdownIt

    s = open(path("md"), encoding="utf-8").read()
    s = re.sub(r"\A---\n.*?\n---\n", "", s, flags=re.S)
    return strip_tags(MarkdownIt("commonmark").enable("table").render(s).replace(">", "> "))


def cp_lines():
    return unicodedata.normalize("NFC", open(path("cp"), "rb").read().decode("cp1258")).split(
        "\r\n"
    )


def cp_r1():
    return strip_tags("\n".join(cp_lines()))


def cp_r2():
    raw = open(path("cp"), "rb").read()
    s = unicodedata.normalize("NFC", "".join(bytes([b]).decode("cp1258") for b in raw))
    rows = csv.reader(
        io.StringIO(s.replace("\r\n", "\n").replace("\f", "")),
        delimiter="\t",
        quoting=csv.QUOTE_NONE,
    )
    return "\n".join(" ".join(strip_tags(c) for c in r) for r in rows)


def pdf_r1():
    import pypdf

    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path("pdf")).pages)


def pdf_r2():
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams

    return extract_text(path("pdf"), laparams=LAParams(char_margin=20, boxes_flow=None))


def txt_lines():
    return open(path("txt"), encoding="utf-8").read().split("\n")


def txt_r1():
    return open(path("txt"), encoding="utf-8").read()


def txt_r2():
    raw = open(path("txt"), "rb").read()
    return " ".join(l.strip() for l in raw.decode("utf-8").splitlines())


READERS = {
    "docx": (docx_r1, docx_r2),
    "html": (html_r1, html_r2),
    "md": (md_r1, md_r2),
    "cp": (cp_r1, cp_r2),
    "pdf": (pdf_r1, pdf_r2),
    "txt": (txt_r1, txt_r2),
}
TEXT = {k: [r() for r in rs] for k, rs in READERS.items()}
NTEXT = {k: [norm(t) for t in ts] for k, ts in TEXT.items()}
ALLFOLD = " ".join(fold(t) for ts in TEXT.values() for t in ts)
LINES = {"cp": cp_lines(), "txt": txt_lines()}

# ---------- corpus ----------
check(sorted(os.listdir(CORPUS)) == sorted(DOCS.values()), "corpus holds exactly the six files")
for k, ts in TEXT.items():
    for i, t in enumerate(ts):
        check(unicodedata.is_normalized("NFC", t), f"{k} reader {i + 1} text is NFC")
    body = ts[0]
    if k == "html":
        src = open(path("html"), encoding="utf-8").read()
        body = strip_tags(src[src.index('id="noidung"') : src.index('<div class="attach">')])
    n = len(body.split())
    check(1500 <= n <= 5000, f"{k}: {n} words within 1500-5000")
    nt = NTEXT[k][0]
    for need in ("cộng hòa xã hội chủ nghĩa việt nam", "nơi nhận", "(đã ký)", "phụ lục"):
        if k == "txt" and need.startswith("cộng hòa"):
            check(need not in nt, "txt: web copy has no quốc hiệu")
        else:
            check(need in nt, f"{k}: has '{need}'")
    check("huyện" not in nt, f"{k}: no 'huyện'")
raw_cp = open(path("cp"), "rb").read()
check(
    b"\r\n" in raw_cp and raw_cp.count(b"\n") == raw_cp.count(b"\r\n"), "cp1258 file uses CRLF only"
)
check(
    any(b in raw_cp for b in (b"\xec", b"\xf2", b"\xd2", b"\xde", b"\xcc")),
    "cp1258 file has combining tone bytes",
)
check(
    sum(1 for l in LINES["cp"] if l.startswith("\f") and "STT" in l) == 1,
    "cp1258 appendix header repeated after a form feed",
)
check(
    sum(1 for l in LINES["cp"] if "<br>" in l) >= 3 and any("&nbsp;" in l for l in LINES["cp"]),
    "cp1258 cells hold <br> and &nbsp;",
)
tabrows = [l.split("\t") for l in LINES["cp"] if re.match(r"^\d+\t", l)]
check(
    len(tabrows) == 15 and all(len(r) == 7 for r in tabrows), "cp1258 appendix: 15 rows of 7 cells"
)
num = lambda s: int(strip_tags(s).replace(".", "").strip())
tot = [l.split("\t") for l in LINES["cp"] if "Tổng cộng" in l][0]
for col in (2, 3, 4):
    check(
        sum(num(r[col]) for r in tabrows) == num(tot[col]),
        f"cp1258 appendix column {col + 1} adds up",
    )
check("số: 186/bc-snnmt" in NTEXT["cp"][0], "cp1258 number in header")
src = open(path("html"), encoding="utf-8").read()
check(src.count('rowspan="2"') >= 8 and 'colspan="2"' in src, "html rowspan / colspan")
check(
    "<nav>" in src and "&raquo;" in src and "&copy;" in src and "footnotes" in src,
    "html chrome and footnotes",
)
trs = re.findall(r"<tr><td>\d+</td>.*?</tr>", src)
check(
    len(trs) == 16 and sum(1 for t in trs if t.count("<td") == 5) == 5,
    "html: 16 rows, 5 with only five <td>",
)
mdsrc = open(path("md"), encoding="utf-8").read()
check(mdsrc.startswith("---\n") and "|:---:|" in mdsrc, "md front matter and pipe table")
mrows = [
    [c.strip() for c in l.strip("|").split("|")]
    for l in mdsrc.splitlines()
    if l.startswith("| ") and "STT" not in l and "Tổng" not in l
]
mt = [
    [c.strip().strip("*") for c in l.strip("|").split("|")]
    for l in mdsrc.splitlines()
    if "Tổng cộng" in l
][0]
for col in (3, 4, 5):
    check(
        sum(int(r[col].replace(".", "")) for r in mrows) == int(mt[col].replace(".", "")),
        f"md column {col + 1} adds up",
    )
check(sum(1 for r in mrows if r[0] == "") == 5, "md: five sub-rows without STT")
tl = LINES["txt"]
check(
    "Số:" not in "\n".join(tl[:5])
    and "1348/KH-SYT" in tl[[i for i, l in enumerate(tl) if l.startswith("(Kèm theo")][0]],
    "txt: number only in the appendix caption",
)
check(txt_r1().count("1348/KH-SYT") == 1, "txt: number occurs once")
i0 = tl.index("STT")
cells = tl[i0 : i0 + 6 * 11]
check(
    cells[:6] == ["STT", "Nội dung", "Đơn vị thực hiện", "Kinh phí", "Nguồn", "Thời gian"],
    "txt appendix one cell per line",
)
vals = [int(cells[6 * r + 3].replace(".", "")) for r in range(1, 10)]
check(
    sum(vals) == int(cells[6 * 10 + 3].replace(".", "")) == 18640, "txt appendix adds up to 18.640"
)
with zipfile.ZipFile(path("docx")) as z:
    dx = z.read("word/document.xml").decode("utf-8")
check(
    "w:numPr" not in dx and 'w:val="nil"' in dx and "w:gridSpan" in dx,
    "docx: typed numbering, borderless tables, merged cells",
)
check(all(f"điều {i}." in NTEXT["docx"][0] for i in range(1, 8)), "docx: Điều 1-7")
import pypdf  # noqa: E402

check(len(pypdf.PdfReader(path("pdf")).pages) >= 3, "pdf has 3+ pages")

# ---------- queries ----------
Q = [json.loads(l) for l in open(QUERIES, encoding="utf-8")]
check(len(Q) == 44, "44 queries")
check(len({q["id"] for q in Q}) == 44, "ids unique")
check([q["id"] for q in Q] == [f"c46-{i:03d}" for i in range(1, 45)], "ids in order")
check(
    Counter(q["kind"] for q in Q) == Counter(KINDS), f"kind counts {Counter(q['kind'] for q in Q)}"
)
check(sum(q["answerable"] for q in Q) == 22, "22 answerable")
for q in Q:
    qid = q["id"]
    line = open(QUERIES, encoding="utf-8").read()
    check(unicodedata.is_normalized("NFC", q["query"] + q["note"]), f"{qid} NFC")
    fields = list(q)
    exp = (
        ["id", "query", "kind", "answerable", "evidence"]
        + (["qtype", "expect"] if "qtype" in q else [])
        + ["note"]
    )
    check(fields == exp, f"{qid} field order {fields}")
    if "qtype" in q:
        check(q["qtype"] in ("who", "when", "how_much", "how_many"), f"{qid} qtype")
    if q["kind"] == "no_diacritics" or q["note"].startswith("Form: no diacritics"):
        check(
            q["query"] == fold(q["query"]).strip()
            or all(not unicodedata.combining(c) for c in unicodedata.normalize("NFD", q["query"]))
            and "đ" not in q["query"].lower(),
            f"{qid} typed without diacritics",
        )
    if q["answerable"]:
        check(len(q["evidence"]) == 1, f"{qid} one evidence item")
        ev = q["evidence"][0]
        k = BY_NAME.get(ev["doc"])
        check(k is not None, f"{qid} doc known")
        qt = ev["quote"]
        check(
            20 <= len(qt) <= 150
            and "\t" not in qt
            and "\n" not in qt
            and not re.search(r"<[a-z/]", qt),
            f"{qid} quote shape",
        )
        check(ev["line"] == 0, f"{qid} line 0")
        for i, nt in enumerate(NTEXT[k]):
            check(norm(qt) in nt, f"{qid} quote in {k} reader {i + 1}: {qt!r}")
        if "expect" in q:
            check(norm(q["expect"]) in norm(qt), f"{qid} expect inside quote")
        m = re.search(r"Quote on line (\d+)\.", q["note"])
        if k in LINES:
            check(m is not None, f"{qid} note names the line")
            hits = [i + 1 for i, l in enumerate(LINES[k]) if norm(qt) in norm(strip_tags(l))]
            check(
                m is not None and hits == [int(m.group(1))],
                f"{qid} quote on line {m and m.group(1)}, found on {hits}",
            )
        check(q["kind"] != "question" or "qtype" in q, f"{qid} question has qtype")
    else:
        check(
            q["kind"] == "unanswerable" and q["evidence"] == [] and "qtype" not in q,
            f"{qid} unanswerable shape",
        )
        n = q["note"]
        check(
            re.match(r"(Form: no diacritics\. )?(Near-miss|Absent topic)\.", n) is not None,
            f"{qid} note prefix",
        )
        ab = re.search(r"Absent: (.*?)\. Present:", n)
        pr = re.search(r"Present: (.*)\.$", n)
        check(ab is not None and pr is not None, f"{qid} Absent / Present lists")
        for t in re.findall(r"'([^']+)'", ab.group(1) if ab else ""):
            check(fold(t) not in ALLFOLD, f"{qid} absent term '{t}' not in any text")
        for t in re.findall(r"'([^']+)'", pr.group(1) if pr else ""):
            check(fold(t) in ALLFOLD, f"{qid} present term '{t}' found")

print(f"{passed} checks passed, {failed} failed")
sys.exit(1 if failed else 0)
