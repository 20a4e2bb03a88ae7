"""Check script for eval/fresh50: reads every corpus file back with two independent readers and checks queries.jsonl."""
# ruff: noqa: E501, E731, E741

# Every answerable quote must be found verbatim (NFC, whitespace collapsed, case folded) in one unit
# (paragraph, cell or line; the whole text for the PDF) of BOTH readers of its document. Every
# unanswerable query has its own absent-pattern check (ABSENT) and related present terms (PRESENT),
# and all its words occur somewhere in the corpus. Run: /tmp/f50venv/bin/python eval/fresh50/check.py
# (needs python-docx, lxml, pypdf, pdfminer.six, odfpy; /usr/bin/iconv for the second cp1258 reader)

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
    "docx": "ke_hoach_15_2026_nuoi_hau_so_huyet_bai_boi_ven_bien.docx",
    "pdf": "bao_cao_27_2026_phong_chong_suy_dinh_duong_tre_em.pdf",
    "odt": "nghi_quyet_09_2026_ho_tro_xu_ly_chat_thai_chan_nuoi_footnotes.odt",
    "html": "ke_hoach_33_2026_kiem_ke_so_hoa_hien_vat_bao_tang_portal.html",
    "cp1258": "chi_thi_11_2026_dich_vu_cam_do_tin_dung_den_cp1258.txt",
    "cells": "bao_cao_cong_chung_chung_thuc_2025_so_tu_phap_cells.txt",
}
BY_NAME = {v: k for k, v in DOCS.items()}
NUMBERS = {
    "docx": "15/KH-SNNMT",
    "pdf": "27/BC-SYT",
    "odt": "09/2026/NQ-HĐND",
    "html": "33/KH-SVHTTDL",
    "cp1258": "11/CT-UBND",
    "cells": "19/BC-STP",
}
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
FIELDS = ["id", "query", "kind", "answerable", "evidence", "note"]

# Per unanswerable query: (scope, regex) pairs that must NOT match the normalised text of any reader
# of the scoped document ("*" = every document). Regexes run on NFC, case-folded, whitespace-collapsed text.
ABSENT = {
    "c50-023": [
        ("*", r"8\.44[01]"),
        ("docx", r"năm 2024 đạt"),
        ("docx", r"sản lượng[^.]*năm 2024 (là|đạt)"),
    ],
    "c50-024": [("*", r"đồng/con"), ("*", r"giống hàu.{0,80}đồng")],
    "c50-025": [("*", r"2023")],
    "c50-026": [("pdf", r"sông đốc"), ("*", r"khu vực sông đốc")],
    "c50-027": [("*", r"2021 - 2025.{0,80}\d+ (hầm|công trình)"), ("odt", r"đã xây dựng \d")],
    "c50-028": [("odt", r"nghị quyết số \d+/20(1\d|2[0-5])"), ("odt", r"thay thế nghị quyết")],
    "c50-029": [("*", r"\d+ hiện vật hư hỏng"), ("*", r"hư hỏng.{0,80}\d+ hiện vật")],
    "c50-030": [("*", r"miễn phí"), ("*", r"phí tham quan"), ("html", r"giá vé")],
    "c50-031": [("cp1258", r"2024"), ("*", r"cầm đồ.{0,80}2024")],
    "c50-032": [("*", r"20%/năm"), ("*", r"bộ luật dân sự"), ("cp1258", r"lãi suất tối đa")],
    "c50-033": [("*", r"đồng/trang"), ("*", r"phí chứng thực"), ("*", r"lệ phí")],
    "c50-034": [("cells", r"công chứng.{0,80}(tăng|giảm)"), ("cells", r"so với năm 2024")],
    "c50-035": [("*", r"giống sò huyết.{0,80}đồng"), ("docx", r"đồng/hộ")],
    "c50-036": [
        ("*", r"vitamin a.{0,80}2024"),
        ("pdf", r"vitamin a năm 2024"),
        ("pdf", r"đợt 1 \(tháng 6\) năm 2024"),
    ],
    "c50-037": [("html", r"sở tài chính")],
    "c50-038": [("cells", r"thu hồi"), ("cells", r"giấy phép")],
    "c50-039": [("*", r"\d+ ngày làm việc"), ("odt", r"nghiệm thu.{0,80}\d+ ngày")],
    "c50-040": [
        ("*", r"\d[\d.]* lượt khách"),
        ("html", r"khách tham quan (năm|là|đạt)"),
        ("*", r"\d[\d.]* lượt (người|khách) tham quan"),
    ],
    "c50-041": [("pdf", r"an xuyên.{0,80}chỉ tiêu"), ("pdf", r"chỉ tiêu.{0,80}an xuyên")],
    "c50-042": [("*", r"tam giang.{0,80}hao hụt"), ("docx", r"hao hụt.{0,80}tam giang")],
    "c50-043": [("*", r"dư nợ.{0,80}(tỷ|triệu) đồng")],
    "c50-044": [
        ("cp1258", r"ngân hàng chính sách.{0,80}(đường dây|điện thoại)"),
        ("cp1258", r"\d{3,4}\.\d{3,4}\.\d{3}(?<!069\.2689\.411)"),
    ],
}
# Related terms that must be present (folded) in at least one document, with both of its readers.
PRESENT = {
    "c50-023": ["9.420 tấn", "so với năm 2024"],
    "c50-024": ["giống hàu nhân tạo"],
    "c50-025": ["thấp còi", "19,6%"],
    "c50-026": ["trung tâm y tế khu vực", "sông đốc"],
    "c50-027": ["giai đoạn 2021 - 2025", "hầm biogas"],
    "c50-028": ["đệm lót sinh học"],
    "c50-029": ["hiện vật hư hỏng"],
    "c50-030": ["tham quan trực tuyến"],
    "c50-031": ["486 cơ sở"],
    "c50-032": ["547%/năm", "giao dịch dân sự"],
    "c50-033": ["chứng thực bản sao từ bản chính"],
    "c50-034": ["86.215"],
    "c50-035": ["giống sò huyết", "hộ nghèo"],
    "c50-036": ["vitamin a"],
    "c50-037": ["văn phòng sở", "sở tài chính"],
    "c50-038": ["văn phòng công chứng", "thu hồi giấy chứng nhận"],
    "c50-039": ["nghiệm thu"],
    "c50-040": ["khách tham quan"],
    "c50-041": ["an xuyên", "dưới 18,0%"],
    "c50-042": ["hao hụt khoảng 35%", "tam giang"],
    "c50-043": ["dư nợ cho vay tiêu dùng", "tăng 12%"],
    "c50-044": ["069.2689.411", "ngân hàng chính sách xã hội"],
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


nfc = lambda s: unicodedata.normalize("NFC", s)
norm = lambda s: re.sub(r"\s+", " ", nfc(s).replace("\u00a0", " ")).strip().casefold()


def fold(s):
    s = unicodedata.normalize("NFD", norm(s))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return s.replace("đ", "d")


def path(k):
    return os.path.join(CORPUS, DOCS[k])


# ---------------- readers: each returns a list of text units ----------------
def docx_r1():
    import docx

    d = docx.Document(path("docx"))
    units = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            prev = None
            for c in row.cells:
                if c._tc is prev:  # a merged cell is returned once per grid column
                    continue
                prev = c._tc
                units += [p.text for p in c.paragraphs]
    return units


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_r2():
    from lxml import etree

    with zipfile.ZipFile(path("docx")) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")]


def pdf_r1():
    from pypdf import PdfReader

    return ["\n".join(p.extract_text() for p in PdfReader(path("pdf")).pages)]


def pdf_r2():
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams

    return [extract_text(path("pdf"), laparams=LAParams(char_margin=20, boxes_flow=None))]


def odt_r1():
    from odf import teletype, text
    from odf.opendocument import load

    d = load(path("odt"))
    return [teletype.extractText(p) for p in d.getElementsByType(text.P)]


def odt_r2():
    from lxml import etree

    with zipfile.ZipFile(path("odt")) as z:
        root = etree.fromstring(z.read("content.xml"))
    ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    return ["".join(p.itertext()) for p in root.iter(ns + "p")]


BLOCK = {
    "p",
    "div",
    "h1",
    "h3",
    "li",
    "tr",
    "td",
    "th",
    "table",
    "br",
    "aside",
    "nav",
    "footer",
    "main",
    "ul",
}


class _HP(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.buf = []

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "script", "style"):
            self.skip += 1
        elif tag in BLOCK:
            self.buf.append("\n")

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style"):
            self.skip -= 1
        elif tag in BLOCK:
            self.buf.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.buf.append(data)


def html_r1():
    p = _HP()
    p.feed(open(path("html"), encoding="utf-8").read())
    return [u.replace("\u00a0", " ") for u in "".join(p.buf).split("\n")]


def html_r2():
    import lxml.html

    root = lxml.html.fromstring(open(path("html"), "rb").read())
    for bad in root.xpath("//head|//script|//style"):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    units = []
    for el in root.iter("p", "td", "th", "h1", "h3", "li", "div", "footer"):
        if el.tag == "div" and el.get("class") in ("doc-content",):
            continue
        units += el.text_content().split("\n")
    return units


def html_docdiv_text():
    import lxml.html

    root = lxml.html.fromstring(open(path("html"), "rb").read())
    return root.get_element_by_id("noidung").text_content()


def cp_r1():
    raw = open(path("cp1258"), "rb").read()
    return nfc(raw.decode("cp1258")).split("\r\n")


def cp_r2():
    out = subprocess.run(
        ["iconv", "-f", "CP1258", "-t", "UTF-8", path("cp1258")], capture_output=True, check=True
    ).stdout
    return nfc(out.decode("utf-8")).replace("\r\n", "\n").split("\n")


def cells_r1():
    raw = open(path("cells"), "rb").read()
    return [b.decode("utf-8") for b in raw.split(b"\n")]


def cells_r2():
    with open(path("cells"), encoding="utf-8") as f:
        return f.read().splitlines()


READERS = {
    "docx": (docx_r1, docx_r2),
    "pdf": (pdf_r1, pdf_r2),
    "odt": (odt_r1, odt_r2),
    "html": (html_r1, html_r2),
    "cp1258": (cp_r1, cp_r2),
    "cells": (cells_r1, cells_r2),
}


def load_all():
    return {k: [[u for u in r()] for r in READERS[k]] for k in DOCS}


def line_of(units, quote):
    q = norm(quote)
    return [i + 1 for i, u in enumerate(units) if q in norm(u)]


def main():
    texts = load_all()
    joined = {k: [norm("\n".join(units)) for units in texts[k]] for k in DOCS}
    # ---- corpus ----
    check(sorted(os.listdir(CORPUS)) == sorted(DOCS.values()), "exactly the six corpus files")
    corpus_tokens = set()
    for k in DOCS:
        for ri, units in enumerate(texts[k]):
            t = "\n".join(units)
            check(nfc(t) == t, f"{k} reader {ri + 1} text is NFC")
            check(NUMBERS[k].casefold() in norm(t), f"{k} reader {ri + 1} has number {NUMBERS[k]}")
            check(
                "huyện" not in norm(t) and not re.search(r"\bhuyen\b", fold(t)),
                f"{k} reader {ri + 1} has no huyện",
            )
            for must in (
                "cộng hòa xã hội chủ nghĩa việt nam",
                "độc lập - tự do - hạnh phúc",
                "phụ lục ii",
                "nơi nhận",
                "cà mau",
                "2026",
            ):
                if k == "cells" and must.startswith(("cộng", "độc")):
                    continue
                check(must in norm(t), f"{k} reader {ri + 1} contains {must!r}")
            corpus_tokens |= set(re.findall(r"\w+", fold(t)))
        r1, r2 = joined[k]
        words = len((html_docdiv_text() if k == "html" else "\n".join(texts[k][0])).split())
        check(600 <= words <= 2500, f"{k} has 600-2500 words ({words})")
    # format specifics
    with zipfile.ZipFile(path("docx")) as z:
        x = z.read("word/document.xml").decode("utf-8")
    check("<w:tblHeader/>" in x, "docx first appendix row marked w:tblHeader")
    import docx

    t0 = docx.Document(path("docx")).tables[2]
    hdr_rows = [
        i
        for i, row in enumerate(t0.rows)
        if row.cells[0].text == "STT" and row.cells[1].text == "Xã"
    ]
    check(
        hdr_rows == [0, 7] and len(t0.rows) == 13,
        f"docx appendix I: header row at rows 1 and 8 (typed again mid-table), 13 rows ({hdr_rows})",
    )
    check(x.count("<w:tbl>") >= 4, "docx has header, signature and two appendix tables")
    from pypdf import PdfReader

    check(len(PdfReader(path("pdf")).pages) >= 3, "pdf has at least 3 pages")
    for q in ("4 hồng dân 9.615 11,4 22,6 3,1 thấp còi cao nhất toàn tỉnh",):
        check(q in joined["pdf"][0], "pypdf keeps the Hồng Dân appendix row on one line")
    with zipfile.ZipFile(path("odt")) as z:
        c = z.read("content.xml").decode("utf-8")
    check(
        c.count("<text:note ") == 3 and c.count('text:note-class="footnote"') == 3,
        "odt has 3 real footnotes",
    )
    check(c.count("<table:table ") == 4, "odt has 4 tables")
    h = open(path("html"), encoding="utf-8").read()
    for s in (
        "<nav",
        "<aside",
        "<footer",
        "&raquo;",
        "&nbsp;",
        'rowspan="2"',
        "&#7871;",
        "<script>",
    ):
        check(s in h, f"html contains {s}")
    check(
        h.count('rowspan="2"') == 2 and h.count('<table class="doc-table">') == 2,
        "html has 2 appendix tables, 2 rowspans",
    )
    check(
        "trang chủ" in joined["html"][0] and "tổng lượt truy cập" in joined["html"][1],
        "html chrome survives in both readers",
    )
    raw = open(path("cp1258"), "rb").read()
    try:
        raw.decode("utf-8")
        check(False, "cp1258 file is not valid UTF-8")
    except UnicodeDecodeError:
        check(True, "")
    check(
        raw.count(b"\r\n") == raw.count(b"\n") and raw.count(b"\r") == raw.count(b"\n"),
        "cp1258 file CRLF only",
    )
    dec = raw.decode("cp1258")
    check(
        dec != nfc(dec) and sum(1 for ch in dec if unicodedata.combining(ch)) > 100,
        "cp1258 decoded text has combining tone marks (needs NFC)",
    )
    check(texts["cp1258"][0] == texts["cp1258"][1], "cp1258 codec reader == iconv reader")
    check(
        sum(1 for u in texts["cp1258"][0] if u.count("\t") == 5) == 11,
        "cp1258 appendix I: 11 tab rows of 6 cells",
    )
    cl = texts["cells"][0]
    check(
        cl[-1] == "" and cl[:-1] == texts["cells"][1],
        "cells: bytes-split reader == splitlines reader (bar the final empty piece)",
    )
    check(
        b"\r" not in open(path("cells"), "rb").read()
        and b"\t" not in open(path("cells"), "rb").read(),
        "cells file: LF only, no tab",
    )
    num_lines = [i for i, u in enumerate(cl) if "19/BC-STP" in u]
    check(
        len(num_lines) == 2 and all(cl[i].startswith("(Kèm theo") for i in num_lines),
        "cells: number only in appendix captions",
    )
    check(
        not any(
            re.search(r"ngày \d+ tháng \d+ năm 2026|\d\d/01/2026", u)
            for u in cl
            if not u.startswith(("(Kèm", "Cập nhật"))
        ),
        "cells: date only in captions",
    )
    i = cl.index("Phí công chứng (triệu đồng)")
    check(
        cl[i + 1 : i + 7] == ["1", "Phường An Xuyên, Tân Thành", "9", "15", "27.840", "13.420"],
        "cells: one cell per line",
    )
    tot = [
        sum(int(cl[j].replace(".", "")) for j in range(i + 1 + c, i + 1 + 36, 6))
        for c in (2, 3, 4, 5)
    ]
    check(
        tot == [31, 47, 86215, 41600], f"cells: appendix I columns add up to the total row ({tot})"
    )
    # ---- queries ----
    rows = [json.loads(line) for line in open(QUERIES, encoding="utf-8")]
    check(len(rows) == 44, "44 queries")
    ids = [r["id"] for r in rows]
    check(
        len(set(ids)) == 44 and ids == [f"c50-{i:03d}" for i in range(1, 45)],
        "ids unique and in order",
    )
    check(
        Counter(r["kind"] for r in rows) == Counter(KINDS),
        f"kind counts {Counter(r['kind'] for r in rows)}",
    )
    check(
        sum(r["answerable"] for r in rows) == 22 and sum(not r["answerable"] for r in rows) == 22,
        "22/22 split",
    )
    for r in rows:
        qid = r["id"]
        check(list(r.keys()) == FIELDS, f"{qid} fields in order")
        check(nfc(r["query"]) == r["query"] and nfc(r["note"]) == r["note"], f"{qid} NFC")
        if r["kind"] == "no_diacritics" or r["note"].startswith("Form: no diacritics"):
            check(fold(r["query"]) == norm(r["query"]), f"{qid} typed without diacritics")
        if r["answerable"]:
            check(len(r["evidence"]) == 1, f"{qid} one evidence item")
            for ev in r["evidence"]:
                k = BY_NAME.get(ev["doc"])
                check(k is not None, f"{qid} doc exists")
                q = ev["quote"]
                check(
                    20 <= len(q) <= 160
                    and "\n" not in q
                    and "\t" not in q
                    and "<" not in q
                    and "&" not in q,
                    f"{qid} quote shape",
                )
                check(ev["line"] == 0, f"{qid} line is 0")
                for ri, units in enumerate(texts[k]):
                    hit = line_of(units, q)
                    check(len(hit) >= 1, f"{qid} quote found in one unit of {k} reader {ri + 1}")
                if k in ("cp1258", "cells"):
                    m = re.search(r"Quote on line (\d+)\.", r["note"])
                    check(
                        m is not None and line_of(texts[k][0], q) == [int(m.group(1))],
                        f"{qid} note names the quote's only line",
                    )
        else:
            check(r["kind"] == "unanswerable" and r["evidence"] == [], f"{qid} unanswerable shape")
            check(
                r["note"].startswith(("Near-miss.", "Absent topic.", "Form: no diacritics.")),
                f"{qid} note prefix",
            )
            check(qid in ABSENT and qid in PRESENT, f"{qid} has absent and present checks")
            for scope, pat in ABSENT.get(qid, []):
                for k in DOCS if scope == "*" else [scope]:
                    for ri in range(2):
                        check(
                            not re.search(pat, joined[k][ri]),
                            f"{qid} absent {pat!r} in {k} reader {ri + 1}",
                        )
            for term in PRESENT.get(qid, []):
                check(
                    any(all(fold(term) in fold(joined[k][ri]) for ri in range(2)) for k in DOCS),
                    f"{qid} present {term!r}",
                )
            missing = [
                w
                for w in re.findall(r"\w+", fold(r["query"]))
                if w not in corpus_tokens and not w.isdigit()
            ]
            check(not missing, f"{qid} all query words occur in the corpus (missing {missing})")
    print(f"{passed} checks passed, {failed} failed")
    return failed == 0


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
