"""Check script for eval/fresh51: reads every corpus file back with two independent readers and checks queries.jsonl."""
# ruff: noqa: E501, E731, E741

# Every answerable quote (and its expect string) must be found verbatim (NFC, whitespace collapsed,
# case folded) in one unit (paragraph, cell or line; the whole text for the PDF) of BOTH readers of its
# document. Every unanswerable query has its own absent-pattern check (ABSENT) and all its words occur
# somewhere in the corpus. Run: /tmp/f51venv/bin/python eval/fresh51/check.py
# (needs python-docx, lxml, pypdf, pdfminer.six, striprtf; /usr/bin/iconv for the second UTF-16 reader)

import json
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections import Counter
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
QUERIES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "queries.jsonl")

DOCS = {
    "rtf": "quyet_dinh_18_2026_quy_che_nha_o_cong_vu_word.rtf",
    "pdf": "bao_cao_41_2026_quan_ly_lao_dong_nuoc_ngoai_nam_2025.pdf",
    "docx": "ke_hoach_06_kh_bcd_2026_uu_tien_dung_hang_viet_merged.docx",
    "md": "ke_hoach_73_2026_tha_giong_tai_tao_nguon_loi_thuy_san_export.md",
    "utf16": "ke_hoach_117_2026_kiem_tra_an_toan_buc_xa_x_quang_utf16.txt",
    "html": "chi_thi_13_2026_xe_hop_dong_xe_du_ben_coc_portal.html",
}
BY_NAME = {v: k for k, v in DOCS.items()}
NUMBERS = {
    "rtf": "18/2026/QĐ-UBND",
    "pdf": "41/BC-SNV",
    "docx": "06-KH/BCĐ",
    "md": "73/KH-SNNMT",
    "utf16": "117/KH-SKHCN",
    "html": "13/CT-UBND",
}
KINDS = {
    "keyword": 3,
    "question": 8,
    "table": 3,
    "year_specific": 2,
    "no_diacritics": 3,
    "typo_or_abbrev": 2,
    "paste": 1,
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
        print("FAIL:", what)


def norm(s):
    s = unicodedata.normalize("NFC", s).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip().casefold()


def fold(s):
    s = unicodedata.normalize("NFD", norm(s)).replace("đ", "d")
    return "".join(c for c in s if not unicodedata.combining(c))


def path(k):
    return os.path.join(CORPUS, DOCS[k])


# ---------------------------------------------------------------- readers: each returns a list of units (raw, not normalised)
def rtf_striprtf():
    from striprtf.striprtf import rtf_to_text

    txt = rtf_to_text(open(path("rtf"), encoding="ascii").read())
    units = []
    for line in txt.split("\n"):
        units.append(line)
        units.extend(line.split("|"))
    return units


def rtf_own():
    """A small hand-written RTF reader: groups, control words, \\'hh (cp1252), \\uN with \\uc1 skip."""
    data = open(path("rtf"), encoding="ascii").read()
    out, i, skip_stack, skip = [], 0, [], False
    uc_skip = 0
    while i < len(data):
        ch = data[i]
        if ch == "{":
            skip_stack.append(skip)
            if (
                data.startswith("{\\*", i)
                or data.startswith("{\\fonttbl", i)
                or data.startswith("{\\info", i)
            ):
                skip = True
            i += 1
        elif ch == "}":
            skip = skip_stack.pop()
            i += 1
        elif ch == "\\":
            nxt = data[i + 1]
            if nxt in "\\{}":
                if not skip:
                    out.append(nxt)
                i += 2
            elif nxt == "'":
                if uc_skip:
                    uc_skip -= 1
                elif not skip:
                    out.append(bytes([int(data[i + 2 : i + 4], 16)]).decode("cp1252"))
                i += 4
            else:
                m = re.match(r"\\([a-z]+)(-?\d+)? ?", data[i:])
                word, arg = m.group(1), m.group(2)
                i += m.end()
                if skip:
                    continue
                if word == "u":
                    n = int(arg)
                    out.append(chr(n + 65536 if n < 0 else n))
                    uc_skip = 1
                    continue
                out.append(
                    {
                        "par": "\n",
                        "line": "\n",
                        "cell": "\t",
                        "row": "\n",
                        "page": "\n",
                        "tab": "\t",
                    }.get(word, "")
                )
        elif ch in "\r\n":
            i += 1
        else:
            if uc_skip:
                uc_skip -= 1
            elif not skip:
                out.append(ch)
            i += 1
    units = []
    for line in "".join(out).split("\n"):
        units.append(line)
        units.extend(line.split("\t"))
    return units


def pdf_pypdf():
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(path("pdf")).pages]
    return ["\n".join(pages)], pages


def pdf_pdfminer():
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams

    return [extract_text(path("pdf"), laparams=LAParams(char_margin=20, boxes_flow=None))]


def docx_python_docx():
    from docx import Document

    d = Document(path("docx"))
    units = [p.text for p in d.paragraphs]
    for t in d.tables:
        for r in t.rows:
            for c in r.cells:
                units.append(c.text)
                units.extend(p.text for p in c.paragraphs)
    return units


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_lxml():
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(path("docx")).read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")]


def md_raw():
    return open(path("md"), encoding="utf-8").read().split("\n")


def md_rendered():
    """Strip Markdown: table rows to cells, <br> to separate units, **/* emphasis, headings, list marks, footnote refs."""
    units = []
    for line in open(path("md"), encoding="utf-8").read().splitlines():
        s = re.sub(r"\[\^\d+\](?!:)", "", line)
        s = re.sub(r"^\[\^\d+\]:\s*", "", s)
        s = re.sub(r"^#+\s*", "", s)
        s = re.sub(r"^\s*[-+]\s+", "", s)
        s = s.replace("**", "").replace("*(", "(").replace(")*", ")")
        if s.startswith("|"):
            for cell in s.strip("|").split("|"):
                for part in cell.split("<br>"):
                    units.append(part.strip().strip("*"))
        else:
            units.append(s)
    return units


def utf16_codec():
    raw = open(path("utf16"), "rb").read()
    lines = raw.decode("utf-16").split("\r\n")
    return lines


def utf16_iconv():
    out = subprocess.run(
        ["iconv", "-f", "UTF-16", "-t", "UTF-8", path("utf16")], capture_output=True, check=True
    ).stdout
    return out.decode("utf-8").replace("\r", "").split("\n")


def with_cells(lines):
    units = list(lines)
    for line in lines:
        units.extend(line.split("\t"))
    return units


BLOCK = {
    "p",
    "div",
    "td",
    "th",
    "tr",
    "li",
    "h1",
    "h2",
    "h3",
    "table",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
}


class _HP(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "script", "style"):
            self.skip += 1
        elif tag in BLOCK or tag == "br":
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style"):
            self.skip -= 1
        elif tag in BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_parser():
    p = _HP()
    p.feed(open(path("html"), encoding="utf-8").read())
    return "".join(p.out).split("\n")


def html_lxml():
    import lxml.html

    root = lxml.html.fromstring(open(path("html"), encoding="utf-8").read())
    for bad in root.xpath("//head|//script|//style"):
        bad.getparent().remove(bad)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    units = []
    for el in root.iter("p", "td", "th", "h1", "li", "div"):
        units.extend(el.text_content().split("\n"))
    return units


def doc_div_html():
    import lxml.html

    root = lxml.html.fromstring(open(path("html"), encoding="utf-8").read())
    return root.get_element_by_id("noidung").text_content()


READERS = {
    "rtf": [("striprtf", rtf_striprtf), ("own-rtf", rtf_own)],
    "pdf": [("pypdf", lambda: pdf_pypdf()[0]), ("pdfminer", pdf_pdfminer)],
    "docx": [("python-docx", docx_python_docx), ("lxml-docx", docx_lxml)],
    "md": [("md-raw", md_raw), ("md-rendered", md_rendered)],
    "utf16": [
        ("utf16-codec", lambda: with_cells(utf16_codec())),
        ("utf16-iconv", lambda: with_cells(utf16_iconv())),
    ],
    "html": [("html.parser", html_parser), ("lxml.html", html_lxml)],
}

# Per unanswerable query: (scope, regex) pairs that must NOT match the normalised text of any reader
# of the scoped document ("*" = every document). Regexes run on NFC, case-folded, whitespace-collapsed
# text in which table separators ("|", tabs) are spaces.
ABSENT = {
    "c51-023": [("pdf", r"2023"), ("html", r"2023"), ("utf16", r"2023")],
    "c51-024": [("pdf", r"thu hồi"), ("*", r"giấy phép lao động[^.]{0,30}thu hồi")],
    "c51-025": [("html", r"taxi[^.]{0,80}tước"), ("html", r"tước phù hiệu[^.]{0,40}taxi")],
    "c51-026": [("pdf", r"phí cấp"), ("pdf", r"lệ phí"), ("pdf", r"\d đồng/giấy phép")],
    "c51-027": [
        ("rtf", r"giá thuê[^.]{0,80}2023"),
        ("rtf", r"2023[^.]{0,80}giá thuê[^.]{0,20}\d"),
        ("*", r"năm 2023[^.]{0,40}đồng/m2"),
    ],
    "c51-028": [("rtf", r"nhà ở công vụ y tế xã đất mũi"), ("rtf", r"y tế[^.|]{0,20}đất mũi")],
    "c51-029": [("*", r"đặt cọc"), ("*", r"ký quỹ"), ("*", r"tiền cọc")],
    "c51-030": [
        ("rtf", r"gia hạn (thêm|tối đa|không quá)"),
        ("rtf", r"mỗi lần gia hạn"),
        ("rtf", r"gia hạn[^.]{0,30}\d+ năm"),
    ],
    "c51-031": [("docx", r"2025"), ("docx", r"doanh thu")],
    "c51-032": [("docx", r"2025"), ("docx", r"năm 2025[^.]{0,40}%")],
    "c51-033": [("docx", r"kinh phí"), ("docx", r"triệu đồng"), ("docx", r"ngân sách[^.]{0,30}\d")],
    "c51-034": [("docx", r"năm căn")],
    "c51-035": [("md", r"\bcua\b")],
    "c51-036": [
        ("md", r"ông đốc[^.]{0,60}\d[\d.,]* (triệu )?con"),
        ("md", r"2025[^.]{0,60}ông đốc[^.]{0,20}\d[\d.]*\.000"),
    ],
    "c51-037": [
        ("md", r"kinh phí[^.]{0,60}2024"),
        ("md", r"2024[^.]{0,60}kinh phí"),
        ("md", r"2024[^.]{0,40}triệu đồng"),
    ],
    "c51-038": [
        ("md", r"xung điện[^.]{0,80}(đồng|triệu)"),
        ("md", r"(đồng|triệu)[^.]{0,40}xung điện"),
    ],
    "c51-039": [
        ("utf16", r"vi phạm[^.]{0,60}2025"),
        ("utf16", r"2025[^.]{0,60}vi phạm"),
        ("utf16", r"kiểm tra[^.]{0,40}năm 2025"),
    ],
    "c51-040": [("utf16", r"\d+ nhân viên bức xạ"), ("utf16", r"nhân viên bức xạ[^.]{0,30}\d")],
    "c51-041": [("utf16", r"phạt[^.]{0,40}(đồng|triệu)"), ("utf16", r"mức phạt")],
    "c51-042": [
        ("utf16", r"\bct\b[^.]{0,40}kiểm tra trực tiếp"),
        ("utf16", r"cắt lớp[^.]{0,80}(đợt|trực tiếp)"),
        ("utf16", r"\(ct\)[^.]{0,20}đợt"),
    ],
    "c51-043": [("html", r"2024")],
    "c51-044": [("html", r"điểm dừng[^.]{0,80}an xuyên"), ("html", r"an xuyên[^.]{0,40}điểm dừng")],
}


def main():
    texts = {}  # (doc, reader) -> list of units (raw)
    for k, readers in READERS.items():
        for rn, fn in readers:
            units = fn()
            texts[(k, rn)] = units
            joined = "\n".join(units)
            check(len(units) > 0, f"{rn} read {k}")
            check(unicodedata.is_normalized("NFC", joined), f"{rn}: {k} text is NFC")
            check(
                re.search(r"\bhuyen\b", fold(joined)) is None,
                f"{rn}: no huyện in {k} (diacritic-folded)",
            )
            check(NUMBERS[k].casefold() in norm(joined), f"{rn}: number {NUMBERS[k]} in {k}")
            check("cà mau" in norm(joined), f"{rn}: Cà Mau in {k}")
            check("phụ lục ii" in norm(joined), f"{rn}: PHỤ LỤC II in {k}")
            check("nơi nhận" in norm(joined), f"{rn}: Nơi nhận in {k}")
            check("2026" in joined, f"{rn}: 2026 in {k}")
    # word counts (first reader without duplicate cell units; the .html inside the document div)
    from striprtf.striprtf import rtf_to_text

    wc = {
        "rtf": len(
            rtf_to_text(open(path("rtf"), encoding="ascii").read()).replace("|", " ").split()
        ),
        "pdf": len(pdf_pypdf()[0][0].split()),
        "docx": len(" ".join(docx_lxml()).split()),
        "md": len(re.sub(r"[|*#:-]+", " ", " ".join(md_raw())).split()),
        "utf16": len(" ".join(utf16_codec()).split()),
        "html": len(doc_div_html().split()),
    }
    for k, n in wc.items():
        check(600 <= n <= 2500, f"{k}: {n} words within 600-2500")
    check(len(os.listdir(CORPUS)) == 6, "exactly six corpus files")

    # format-specific checks
    rtf_raw = open(path("rtf"), "rb").read()
    check(all(b < 128 for b in rtf_raw), "rtf: pure ASCII source")
    check(rtf_raw.count(b"\\u") > 300 and b"\\'" in rtf_raw, "rtf: \\uN? and \\'hh escapes present")
    check(b"\\trowd" in rtf_raw and b"\\cell" in rtf_raw, "rtf: real RTF tables")
    s_units = [norm(u) for u in texts[("rtf", "striprtf")]]
    o_units = [norm(u) for u in texts[("rtf", "own-rtf")]]
    check(
        [u for u in s_units if u]
        and set(u for u in o_units if u) >= set(u for u in s_units if u and "|" not in u),
        "rtf: own reader has every striprtf line",
    )
    rtf_norm = norm("\n".join(texts[("rtf", "own-rtf")]))
    for x in ("chương i", "chương iv", "điều 12.", "điều 9. thu hồi", "a) cán bộ"):
        check(x in rtf_norm, f"rtf: structure {x!r}")
    pages = pdf_pypdf()[1]
    check(len(pages) >= 3, "pdf: at least 3 pages")
    pi = [i for i, p in enumerate(pages) if "Năng lượng gió Biển Tây" in p]
    pj = [i for i, p in enumerate(pages) if "Tổng cộng (57 đơn vị)" in p]
    check(pi and pj and pj[0] == pi[0] + 1, "pdf: Phụ lục I crosses a page break")
    check(
        all(
            p.count("Người sử dụng lao động Xã, phường") >= 1 for p in (pages[pi[0]], pages[pj[0]])
        ),
        "pdf: header row repeated after the page break",
    )
    z = zipfile.ZipFile(path("docx"))
    dx = z.read("word/document.xml").decode("utf-8")
    check(dx.count("<w:numPr>") >= 7, "docx: automatic numbering (w:numPr) on the numbered items")
    check('w:gridSpan w:val="5"' in dx, "docx: group rows merged across (gridSpan)")
    check(
        dx.count('<w:vMerge w:val="restart"/>') >= 2 and dx.count("<w:vMerge/>") >= 3,
        "docx: vertically merged Cơ quan chủ trì cells",
    )
    check(
        "Cơ quan chủ trì" in dx and "Cơ quan phối hợp" in dx and "Thời gian hoàn thành" in dx,
        "docx: task table columns",
    )
    check(
        not any(
            re.match(r"^\d\. (Nâng cao|Hỗ trợ doanh nghiệp)", u)
            for u in texts[("docx", "lxml-docx")]
        ),
        "docx: numbered items carry no typed number",
    )
    md = open(path("md"), encoding="utf-8").read()
    check(md.count("[^") >= 6 and "[^2]:" in md, "md: footnote references and definitions")
    check("|---|" in md or "| --- |" in md, "md: pipe table")
    u16 = open(path("utf16"), "rb").read()
    check(u16[:2] == b"\xff\xfe", "utf16: little-endian BOM")
    check(
        b"\r\x00\n\x00" in u16 and u16.count(b"\n\x00") == u16.count(b"\r\x00\n\x00"),
        "utf16: CRLF only",
    )
    check(
        texts[("utf16", "utf16-codec")] == texts[("utf16", "utf16-iconv")],
        "utf16: codec and iconv readers identical",
    )
    try:
        u16.decode("utf-8")
        check(False, "utf16: not valid UTF-8")
    except UnicodeDecodeError:
        check(True, "utf16: not valid UTF-8")
    hraw = open(path("html"), encoding="utf-8").read()
    for x in (
        "<nav>",
        "<aside",
        "<footer>",
        "&raquo;",
        "&nbsp;",
        "&#7881;",
        "<script>",
        'rowspan="2"',
        'id="noidung"',
    ):
        check(x in hraw, f"html: contains {x}")

    # queries
    rows = [json.loads(l) for l in open(QUERIES, encoding="utf-8")]
    check(len(rows) == 44, "44 queries")
    ids = [r["id"] for r in rows]
    check(len(set(ids)) == 44, "ids unique")
    check(ids == [f"c51-{i:03d}" for i in range(1, 45)], "ids c51-001..c51-044 in order")
    check(
        sum(r["answerable"] for r in rows) == 22 and sum(not r["answerable"] for r in rows) == 22,
        "22/22 split",
    )
    check(Counter(r["kind"] for r in rows) == Counter(KINDS), "kind counts")
    corpus_words = set()
    for units in texts.values():
        corpus_words.update(re.findall(r"\w+", fold("\n".join(units))))
    for r in rows:
        qid = r["id"]
        check(list(r)[:6] == FIELDS, f"{qid}: field order")
        check(unicodedata.is_normalized("NFC", json.dumps(r, ensure_ascii=False)), f"{qid}: NFC")
        if r["kind"] == "no_diacritics" or r["note"].startswith("Form: no diacritics"):
            check(
                r["query"] == fold(r["query"]) or r["query"].isascii(), f"{qid}: no-diacritics form"
            )
        if "qtype" in r:
            check(r["qtype"] in QTYPES and r.get("expect"), f"{qid}: qtype/expect")
        if r["kind"] == "question":
            check("qtype" in r, f"{qid}: question has qtype")
        if r["answerable"]:
            check(len(r["evidence"]) == 1, f"{qid}: one evidence item")
            for ev in r["evidence"]:
                k = BY_NAME.get(ev["doc"])
                check(k is not None, f"{qid}: doc exists")
                q = norm(ev["quote"])
                check(
                    20 <= len(ev["quote"]) <= 160
                    and "\t" not in ev["quote"]
                    and "<" not in ev["quote"],
                    f"{qid}: quote shape",
                )
                for rn, _ in READERS[k]:
                    units = [norm(u) for u in texts[(k, rn)]]
                    check(any(q in u for u in units), f"{qid}: quote in one unit of {rn}")
                    if "expect" in r:
                        e = norm(r["expect"])
                        if r["kind"] == "question":
                            check(e in q, f"{qid}: expect inside quote")
                        check(any(e in u for u in units), f"{qid}: expect in {rn}")
                m = re.search(r"Quote on line (\d+)\.", r["note"])
                if k in ("md", "utf16"):
                    lines = utf16_codec() if k == "utf16" else md_raw()
                    hits = [i + 1 for i, l in enumerate(lines) if q in norm(l)]
                    check(m is not None and hits == [int(m.group(1))], f"{qid}: quote line {hits}")
        else:
            check(r["evidence"] == [] and r["kind"] == "unanswerable", f"{qid}: unanswerable shape")
            check(
                r["note"].split(". ")[0] in ("Near-miss", "Absent topic", "Form: no diacritics"),
                f"{qid}: note prefix",
            )
            pats = ABSENT.get(qid)
            check(bool(pats), f"{qid}: has ABSENT patterns")
            for scope, rx in pats or []:
                for (k, rn), units in texts.items():
                    if scope in ("*", k):
                        t = norm(re.sub(r"[|\t]", " ", "\n".join(units)))
                        check(re.search(rx, t) is None, f"{qid}: /{rx}/ absent from {rn} ({k})")
            for w in re.findall(r"\w+", fold(r["query"])):
                if not w.isdigit():
                    check(w in corpus_words, f"{qid}: word {w!r} occurs in corpus")
    print(f"{PASSED} checks passed, {len(FAILED)} failed")
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
