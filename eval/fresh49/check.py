# Check script for eval/fresh49: reads every corpus file back with two independent readers and checks queries.jsonl.
# ruff: noqa: E501, E731, E741
"""Every answerable quote must be found verbatim (NFC, whitespace collapsed, case folded) by both readers
of its document; table quotes must lie within one cell; `.txt` line numbers named in notes must hold;
`expect` must lie inside its quote; the Absent / Present terms of each unanswerable note must hold over
all readers' text. Run: /tmp/f49venv/bin/python eval/fresh49/check.py
(needs python-docx, lxml, pypdf, pdfminer.six, odfpy)"""

import html
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
    "docx": "ke_hoach_37_2026_kiem_tra_phan_bon_snnmt.docx",
    "pdf": "bao_cao_64_2026_day_hoc_tieng_anh_ngon_ngu_thu_hai.pdf",
    "odt": "ke_hoach_22_2026_giai_viet_da_mui_ca_mau.odt",
    "pipe": "ke_hoach_29_2026_loai_tru_sot_ret_pipe.txt",
    "u16": "chi_thi_10_2026_o_nhiem_khong_khi_dot_rom_ra_utf16.txt",
    "html": "ke_hoach_41_2026_bao_ve_quyen_loi_nguoi_tieu_dung_portal.html",
}
BY_NAME = {v: k for k, v in DOCS.items()}
NUMBERS = {
    "docx": "37/KH-SNNMT",
    "pdf": "64/BC-SGDĐT",
    "odt": "22/KH-SVHTTDL",
    "pipe": "29/KH-SYT",
    "u16": "10/CT-UBND",
    "html": "41/KH-SCT",
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
QTYPES = {"who", "when", "how_much", "how_many"}
FIELDS = ["id", "query", "kind", "answerable", "evidence", "qtype", "expect", "note"]

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
    return re.sub(r"\s+", " ", s).strip().casefold()


def fold(s):
    s = unicodedata.normalize("NFD", norm(s)).replace("đ", "d").replace("Đ", "d")
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"(?<!\d)[^\w\s]|[^\w\s](?!\d)", " ", s)
    return " " + re.sub(r"\s+", " ", s).strip() + " "


def path(k):
    return os.path.join(CORPUS, DOCS[k])


# Each reader returns (units, cells): units = text blocks (paragraphs / lines), cells = table cells (may be empty).


# ---------- .docx ----------
def docx_r1():
    import docx

    d = docx.Document(path("docx"))
    units = [p.text for p in d.paragraphs]
    cells = []
    for t in d.tables:
        for row in t.rows:
            seen = set()
            for c in row.cells:
                if id(c._tc) in seen:
                    continue
                seen.add(id(c._tc))
                cells.append("\n".join(p.text for p in c.paragraphs))
                units += [p.text for p in c.paragraphs]
    return units, cells


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_xml():
    with zipfile.ZipFile(path("docx")) as z:
        return z.read("word/document.xml")


def docx_r2():
    from lxml import etree

    root = etree.fromstring(docx_xml())
    ptext = lambda p: "".join(t.text or "" for t in p.iter(W + "t"))
    units = [ptext(p) for p in root.iter(W + "p")]
    cells = ["\n".join(ptext(p) for p in tc.iter(W + "p")) for tc in root.iter(W + "tc")]
    return units, cells


# ---------- .pdf ----------
def pdf_r1():
    from pypdf import PdfReader

    r = PdfReader(path("pdf"))
    return ["\n".join(p.extract_text() for p in r.pages)], []


def pdf_r2():
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams

    return [extract_text(path("pdf"), laparams=LAParams(char_margin=20, boxes_flow=None))], []


# ---------- .odt ----------
def odt_r1():
    from odf import teletype
    from odf import text as otext
    from odf.opendocument import load
    from odf.table import TableCell

    d = load(path("odt"))
    units = [teletype.extractText(p) for p in d.getElementsByType(otext.P)]
    cells = [
        "\n".join(teletype.extractText(p) for p in c.getElementsByType(otext.P))
        for c in d.getElementsByType(TableCell)
    ]
    return units, cells


def odt_r2():
    from lxml import etree

    with zipfile.ZipFile(path("odt")) as z:
        root = etree.fromstring(z.read("content.xml"))
    T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    TB = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    units = ["".join(p.itertext()) for p in root.iter(T + "p")]
    cells = [
        "\n".join("".join(p.itertext()) for p in c.iter(T + "p"))
        for c in root.iter(TB + "table-cell")
    ]
    return units, cells


# ---------- UTF-8 pipe .txt ----------
def pipe_raw():
    with open(path("pipe"), "rb") as f:
        return f.read()


def pipe_r1():
    return pipe_raw().decode("utf-8").split("\n"), []


def pipe_r2():
    units, cells = [], []
    for ln in pipe_raw().decode("utf-8").splitlines():
        if " | " in ln or ln.startswith("| "):
            cs = [c.strip() for c in ln.split("|")]
            cells += cs
            units += cs
        else:
            units.append(ln.strip())
    return units, cells


# ---------- UTF-16 LE + BOM .txt ----------
def u16_raw():
    with open(path("u16"), "rb") as f:
        return f.read()


def u16_r1():
    lines = unicodedata.normalize("NFC", u16_raw().decode("utf-16")).split("\r\n")
    return lines, [c for ln in lines for c in ln.split("\t")]


def u16_manual():
    raw = u16_raw()
    assert raw[:2] == b"\xff\xfe"
    out = []
    for i in range(2, len(raw), 2):
        u = raw[i] | (raw[i + 1] << 8)
        assert not 0xD800 <= u <= 0xDFFF
        out.append(chr(u))
    return "".join(out)


def u16_r2():
    s = unicodedata.normalize("NFC", u16_manual())
    s = re.sub(r"<br\s*/?>", " ", s).replace("&nbsp;", " ")
    lines = s.split("\r\n")
    return lines, [c.strip() for ln in lines for c in ln.split("\t")]


# ---------- .html ----------
BLOCK = {
    "p",
    "div",
    "br",
    "tr",
    "td",
    "th",
    "li",
    "h1",
    "h2",
    "h3",
    "table",
    "ul",
    "nav",
    "header",
    "footer",
    "aside",
    "main",
    "form",
}


class _P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip, self.cells, self.cell = [], 0, [], None

    def handle_starttag(self, tag, a):
        if tag in ("head", "script", "style"):
            self.skip += 1
        if tag in BLOCK:
            self.out.append("\n")
        if tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style"):
            self.skip -= 1
        if tag in ("td", "th") and self.cell is not None:
            self.cells.append("".join(self.cell))
            self.cell = None
        if tag in BLOCK:
            self.out.append("\n")

    def handle_data(self, d):
        if not self.skip:
            self.out.append(d)
            if self.cell is not None:
                self.cell.append(d)


def html_src():
    with open(path("html"), encoding="utf-8") as f:
        return f.read()


def html_r1():
    p = _P()
    p.feed(html_src())
    return "".join(p.out).replace("\u00a0", " ").split("\n"), p.cells


def html_r2():
    import lxml.html

    root = lxml.html.fromstring(html_src())
    for bad in root.xpath("//head|//script|//style"):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    cells = [c.text_content() for c in root.xpath("//td|//th")]
    for el in root.iter():
        if el.tag in BLOCK:
            el.tail = "\n" + (el.tail or "")
    return root.text_content().replace("\u00a0", " ").split("\n"), cells


READERS = {
    "docx": (docx_r1, docx_r2),
    "pdf": (pdf_r1, pdf_r2),
    "odt": (odt_r1, odt_r2),
    "pipe": (pipe_r1, pipe_r2),
    "u16": (u16_r1, u16_r2),
    "html": (html_r1, html_r2),
}


def read_all():
    return {k: [f() for f in READERS[k]] for k in DOCS}


def full(units):
    return "\n".join(units)


def doc_div_words():
    src = html_src()
    inner = src[src.index('<div class="doc-content"') : src.index('<div class="attach">')]
    return len(html.unescape(re.sub(r"<[^>]+>", " ", inner)).split())


def nums(s):
    return int(s.replace(".", "")) if s.strip() not in ("", "-") else 0


def check_corpus(R):
    names = sorted(os.listdir(CORPUS))
    check(names == sorted(DOCS.values()), f"corpus files {names}")
    for k, readers in R.items():
        texts = [full(u) for u, _ in readers]
        for i, t in enumerate(texts, 1):
            tag = f"{k} reader {i}"
            check(t == unicodedata.normalize("NFC", t), f"{tag}: NFC")
            check(not re.search(r"\bhuyện\b", norm(t)), f"{tag}: contains 'huyện'")
            check(" huyen " not in fold(t), f"{tag}: contains folded 'huyen'")
            for must in (
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "(Đã ký)",
                "PHỤ LỤC",
                "2026",
                "Cà Mau",
                "Nơi nhận",
                NUMBERS[k],
            ):
                check(norm(must) in norm(t), f"{tag}: missing {must!r}")
        n = doc_div_words() if k == "html" else len(texts[0].split())
        check(1400 <= n <= 1850, f"{k}: {n} words")
    # .docx: header row marked as repeating and typed again mid-table; borderless header table
    xml = docx_xml().decode("utf-8")
    check("<w:tblHeader/>" in xml, "docx: w:tblHeader")
    check("w:numPr" not in xml, "docx: no w:numPr")
    check('w:val="nil"' in xml, "docx: borderless tables")
    for i, (u, cells) in enumerate(R["docx"], 1):
        check(cells.count("Thời gian kiểm tra") == 2, f"docx reader {i}: header row twice")
        check(
            sum(1 for c in cells if re.fullmatch(r"\d{1,2}", c)) == 14,
            f"docx reader {i}: 14 numbered rows",
        )
        check(
            cells.count("Đợt 1") == 8 and cells.count("Đợt 2") == 6, f"docx reader {i}: 8 + 6 rows"
        )
    # .pdf
    from pypdf import PdfReader

    check(len(PdfReader(path("pdf")).pages) >= 3, "pdf: >= 3 pages")
    for i, (u, _) in enumerate(R["pdf"], 1):
        t = norm(full(u))
        for row in ("1 tiểu học 268 171 548 421 96 494", "tổng cộng 484 171 1.236 1.007 147 1.112"):
            check(row in t, f"pdf reader {i}: table row {row!r}")
    check(
        421 + 381 + 205 == 1007
        and 548 + 452 + 236 == 1236
        and 96 + 38 + 13 == 147
        and 494 + 407 + 211 == 1112,
        "pdf: sums",
    )
    # .odt
    for i, (u, cells) in enumerate(R["odt"], 1):
        j = cells.index("STT")
        body = cells[j:]
        check(len(body) == 8 * 6, f"odt reader {i}: 6 x 8 appendix cells")
        check(
            sum(nums(body[r * 8 + 3]) for r in range(1, 5)) == nums(body[5 * 8 + 3]) == 5000,
            f"odt reader {i}: VĐV sum",
        )
    # pipe .txt
    raw = pipe_raw()
    check(b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf"), "pipe: LF only, no BOM")
    rows = [ln.split(" | ") for ln in raw.decode("utf-8").split("\n") if " | " in ln]
    check(
        len(rows) == 13 and all(len(r) == 7 for r in rows[:-1]),
        f"pipe: 13 pipe lines, 7 cells ({len(rows)})",
    )
    data = rows[1:-1]
    check(
        sum(nums(r[3]) for r in data) == 7
        and sum(nums(r[4]) for r in data) == 17424
        and sum(nums(r[5]) for r in data) == 16000,
        "pipe: column sums",
    )
    check(17424 + 996 == 18420, "pipe: 18.420 lam máu")
    t = raw.decode("utf-8")
    for m in ("[1]", "[2]", "[3]"):
        check(t.count(m) == 2, f"pipe: footnote {m} marker + note")
    # UTF-16 .txt
    raw = u16_raw()
    check(raw[:2] == b"\xff\xfe", "u16: BOM FF FE")
    dec = raw.decode("utf-16")
    check(dec == u16_manual(), "u16: codec == manual byte-pair decode")
    check(raw[2:] == dec.encode("utf-16-le"), "u16: byte-for-byte round trip")
    check(dec.count("\r\n") == dec.count("\n") == dec.count("\r"), "u16: CRLF only")
    try:
        raw.decode("utf-8")
        check(False, "u16: should not be valid UTF-8")
    except UnicodeDecodeError:
        check(True, "")
    lines = dec.split("\r\n")
    tab = [ln.split("\t") for ln in lines if ln.count("\t") == 6]
    check(len(tab) == 12, f"u16: 12 tab rows of 7 cells ({len(tab)})")
    check(sum(nums(r[3]) for r in tab[1:-1]) == nums(tab[-1][3]) == 264, "u16: tấn sum")
    check(dec.count("<br>") == 2 and dec.count("&nbsp;") >= 5, "u16: <br> and &nbsp; in cells")
    check(
        all("<br>" not in ln and "&nbsp;" not in ln for ln in R["u16"][1][0]),
        "u16 reader 2: fragments removed",
    )
    # .html
    src = html_src()
    for tag in ("<nav", "<aside", "<footer", 'id="noidung"', "&raquo;", 'colspan="4"', "&#"):
        check(tag in src, f"html: {tag}")
    for i, (u, cells) in enumerate(R["html"], 1):
        check(
            sum(1 for c in cells if re.fullmatch(r"\d", c.strip())) == 8,
            f"html reader {i}: 8 numbered rows",
        )
        check("Lượt xem: 1.432" in full(u), f"html reader {i}: chrome text present")


def check_queries(R):
    rows = [json.loads(ln) for ln in open(QUERIES, encoding="utf-8")]
    raw = open(QUERIES, encoding="utf-8").read()
    check(raw == unicodedata.normalize("NFC", raw), "queries: NFC")
    check(len(rows) == 44, "44 queries")
    check([r["id"] for r in rows] == [f"c49-{i:03d}" for i in range(1, 45)], "ids")
    kinds = Counter(r["kind"] for r in rows)
    check(dict(kinds) == KINDS, f"kinds {dict(kinds)}")
    check(sum(r["answerable"] for r in rows) == 22, "22 answerable")
    check(sum("qtype" in r for r in rows) == 17, "qtype on 17")
    texts = {k: [norm(full(u)) for u, _ in R[k]] for k in R}
    folded = {k: [fold(full(u)) for u, _ in R[k]] for k in R}
    nm = at = 0
    for r in rows:
        rid = r["id"]
        keys = list(r)
        check(keys == [f for f in FIELDS if f in r], f"{rid}: field order {keys}")
        check(r["query"] == unicodedata.normalize("NFC", r["query"]), f"{rid}: query NFC")
        nodia = "no diacritics" in r["note"] or r["kind"] == "no_diacritics"
        if nodia:
            check(r["query"].isascii(), f"{rid}: no-diacritics query has diacritics")
        if r["answerable"]:
            check(len(r["evidence"]) == 1, f"{rid}: one evidence")
            e = r["evidence"][0]
            k = BY_NAME.get(e["doc"])
            check(k is not None, f"{rid}: unknown doc")
            q = e["quote"]
            check(
                list(e) == ["doc", "quote", "line"] and e["line"] == 0,
                f"{rid}: evidence fields / line 0",
            )
            check(20 <= len(q) <= 150, f"{rid}: quote length {len(q)}")
            check(
                "\t" not in q and "\n" not in q and not re.search(r"<[^>]+>|&\w+;", q),
                f"{rid}: quote has tab/newline/tag",
            )
            check(q == unicodedata.normalize("NFC", q), f"{rid}: quote NFC")
            for i, t in enumerate(texts[k], 1):
                check(norm(q) in t, f"{rid}: quote not found by {k} reader {i}")
            if r["kind"] == "table":
                for i, (_, cells) in enumerate(R[k], 1):
                    check(
                        any(norm(q) in norm(c) for c in cells),
                        f"{rid}: quote not within one cell for {k} reader {i}",
                    )
            if k == "docx":
                for i, (units, _) in enumerate(R[k], 1):
                    check(
                        any(norm(q) in norm(p) for p in units),
                        f"{rid}: quote not within one w:p (reader {i})",
                    )
            if k in ("pipe", "u16"):
                m = re.search(r"Quote on line (\d+)\.", r["note"])
                check(m is not None, f"{rid}: note names no line")
                if m:
                    n = int(m.group(1))
                    for i, (units, _) in enumerate(R[k][:1], 1):
                        hits = [j + 1 for j, ln in enumerate(units) if norm(q) in norm(ln)]
                        check(hits == [n], f"{rid}: quote on lines {hits}, note says {n}")
            if "qtype" in r:
                check(r["qtype"] in QTYPES, f"{rid}: qtype")
                check(norm(r["expect"]) in norm(q), f"{rid}: expect not in quote")
            else:
                check("expect" not in r, f"{rid}: expect without qtype")
        else:
            check(
                r["evidence"] == [] and "qtype" not in r and "expect" not in r,
                f"{rid}: unanswerable shape",
            )
            note = re.sub(r"^Form: no diacritics\. ", "", r["note"])
            nm += note.startswith("Near-miss.")
            at += note.startswith("Absent topic.")
            check(note.startswith(("Near-miss.", "Absent topic.")), f"{rid}: note prefix")
            ma = re.search(r"Absent: (.+?)\. Present: (.+?)\.$", r["note"])
            check(ma is not None, f"{rid}: Absent/Present missing")
            if not ma:
                continue
            absent = re.findall(r"'([^']+)'", ma.group(1))
            present = re.findall(r"'([^']+)'", ma.group(2))
            check(absent and present, f"{rid}: empty term list")
            for term in absent:
                ft = fold(term)
                for k in folded:
                    for i, t in enumerate(folded[k], 1):
                        check(ft not in t, f"{rid}: Absent term {term!r} found in {k} reader {i}")
            for term in present:
                ft = fold(term)
                check(
                    any(all(ft in t for t in folded[k]) for k in folded),
                    f"{rid}: Present term {term!r} not found by both readers of any doc",
                )
    check(nm == 11 and at == 11, f"near-miss {nm}, absent topic {at}")


def main():
    R = read_all()
    check_corpus(R)
    check_queries(R)
    print(f"{passed} checks passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
