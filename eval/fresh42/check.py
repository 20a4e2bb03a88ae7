#!/usr/bin/env python3
# ruff: noqa: E501, E731, E741  (a held-out set's own check, kept as its writer wrote it)
"""Check eval/fresh42: every answerable quote is found by two independent readers of its document,
every `expect` is inside its quote, Absent/Present terms of unanswerable notes hold.
Run: /tmp/f42venv/bin/python eval/fresh42/check.py   (needs pypdf, pdfminer.six, python-docx, lxml, markdown)"""

import html
import json
import os
import re
import sys
import unicodedata
import zipfile
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def norm(s):
    s = unicodedata.normalize("NFC", s).replace("\u00a0", " ").replace("\u00ad", "")
    return re.sub(r"\s+", " ", s).strip().lower()


def fold(s):
    s = norm(s).replace("đ", "d")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return " " + re.sub(r"\s+", " ", re.sub(r"[^\w]+", " ", s)).strip() + " "


# ---------- TCVN3: two tables ----------
T1 = (
    "ă\xa8 â\xa9 ê\xaa ô\xab ơ\xac ư\xad đ\xae Ă\xa1 Â\xa2 Ê\xa3 Ô\xa4 Ơ\xa5 Ư\xa6 Đ\xa7 à\xb5 ả\xb6 ã\xb7 á\xb8 ạ\xb9 ằ\xbb ẳ\xbc ẵ\xbd ắ\xbe ặ\xc6 "
    "ầ\xc7 ẩ\xc8 ẫ\xc9 ấ\xca ậ\xcb è\xcc ẻ\xce ẽ\xcf é\xd0 ẹ\xd1 ề\xd2 ể\xd3 ễ\xd4 ế\xd5 ệ\xd6 ì\xd7 ỉ\xd8 ĩ\xdc í\xdd ị\xde ò\xdf ỏ\xe1 õ\xe2 ó\xe3 ọ\xe4 "
    "ồ\xe5 ổ\xe6 ỗ\xe7 ố\xe8 ộ\xe9 ờ\xea ở\xeb ỡ\xec ớ\xed ợ\xee ù\xef ủ\xf1 ũ\xf2 ú\xf3 ụ\xf4 ừ\xf5 ử\xf6 ữ\xf7 ứ\xf8 ự\xf9 ỳ\xfa ỷ\xfb ỹ\xfc ý\xfd ỵ\xfe"
)


def tcvn3_a(b):  # reader 1: byte -> letter dict
    d = {ord(p[1]): p[0] for p in T1.split()}
    return b.decode("latin-1").translate(d)


# reader 2: the same code page written as the mojibake a Latin-1 viewer shows, base letter + combining marks
MOJI = "¨©ª«¬\xad®¡¢£¤¥¦§µ¶·¸¹»¼½¾ÆÇÈÉÊËÌÎÏÐÑÒÓÔÕÖ×ØÜÝÞßáâãäåæçèéêëìíîïñòóôõö÷øùúûüýþ"
BASE = [
    "a\u0306",
    "a\u0302",
    "e\u0302",
    "o\u0302",
    "o\u031b",
    "u\u031b",
    "đ",
    "A\u0306",
    "A\u0302",
    "E\u0302",
    "O\u0302",
    "O\u031b",
    "U\u031b",
    "Đ",
]
for base, n in (
    ("a", ""),
    ("a\u0306", ""),
    ("a\u0302", ""),
    ("e", ""),
    ("e\u0302", ""),
    ("i", ""),
    ("o", ""),
    ("o\u0302", ""),
    ("o\u031b", ""),
    ("u", ""),
    ("u\u031b", ""),
    ("y", ""),
):
    BASE += [base + m for m in ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")]


def tcvn3_b(b):
    s = b.decode("latin-1")
    m = dict(zip(MOJI, BASE))
    return unicodedata.normalize("NFC", "".join(m.get(c, c) for c in s))


# ---------- readers ----------
def pdf_a(p):
    from pypdf import PdfReader

    return [l for pg in PdfReader(p).pages for l in pg.extract_text().split("\n")]


def pdf_b(p):
    from pdfminer.high_level import extract_text

    return extract_text(p).split("\n")


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_a(p):
    import docx

    d = docx.Document(p)
    units = [x.text for x in d.paragraphs]
    for t in d.tables:
        for r in t.rows:
            seen = []
            for c in r.cells:
                if c._tc not in seen:
                    seen.append(c._tc)
            cells = [c for c in r.cells]
            uniq = []
            for c in cells:
                if not uniq or uniq[-1]._tc is not c._tc:
                    uniq.append(c)
            units.append(" ".join(c.text for c in uniq))
            units += [x.text for c in uniq for x in c.paragraphs]
    return units


def docx_b(p):
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(p).read("word/document.xml"))
    ptext = lambda e: "".join(t.text or "" for t in e.iter(W + "t"))
    units = [ptext(x) for x in root.iter(W + "p")]
    units += [" ".join(ptext(tc) for tc in tr.iter(W + "tc")) for tr in root.iter(W + "tr")]
    return units


class HP(HTMLParser):
    BLOCK = {
        "p",
        "div",
        "li",
        "h1",
        "h2",
        "h3",
        "tr",
        "table",
        "ul",
        "nav",
        "aside",
        "footer",
        "main",
    }

    def __init__(s):
        super().__init__(convert_charrefs=True)
        s.units = [""]
        s.skip = 0
        s.doc = 0
        s.depth = 0

    def handle_starttag(s, t, a):
        if t in ("script", "style", "head"):
            s.skip += 1
        if t in s.BLOCK:
            s.units.append("")
        if t in ("br", "td", "th"):
            s.units[-1] += " "

    def handle_endtag(s, t):
        if t in ("script", "style", "head"):
            s.skip -= 1
        if t in ("td", "th"):
            s.units[-1] += " "
        if t in s.BLOCK:
            s.units.append("")

    def handle_data(s, d):
        if not s.skip:
            s.units[-1] += d


def html_a(p):
    h = HP()
    h.feed(open(p, encoding="utf-8").read())
    return h.units


def html_b(p):
    s = open(p, encoding="utf-8").read()
    s = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", s)
    s = re.sub(r"(?i)<br\s*/?>|</t[dh]>", " ", s)
    s = re.sub(r"(?i)</(p|tr|li|div|h\d)>", "\n", s)
    return html.unescape(re.sub(r"<[^>]+>", "", s)).split("\n")


def md_a(p):
    out = []
    for l in open(p, encoding="utf-8").read().split("\n"):
        l = re.sub(r"\*\*|(?<!\w)\*|\*(?!\w)|^#+ |\[\^\d\]:?", "", l)
        if l.startswith("|"):
            l = " ".join(c.strip() for c in l.strip("|").split("|"))
        out.append(l)
    return out


def md_b(p):
    import markdown

    h = markdown.markdown(open(p, encoding="utf-8").read(), extensions=["tables", "footnotes"])
    x = HP()
    x.feed(h)
    return x.units


def tab_a(p):
    out = []
    for l in open(p, encoding="utf-8").read().split("\n"):
        l = l.replace("\f", "").replace("\t", " ")
        l = re.sub(r"(?i)<br\s*/?>", " ", l)
        l = html.unescape(re.sub(r"</?b>", "", l))
        out.append(l)
    return out


def tab_b(p):
    import csv
    import io

    out = []
    for row in csv.reader(
        io.StringIO(open(p, "rb").read().decode("utf-8").replace("\f", "")),
        delimiter="\t",
        quoting=csv.QUOTE_NONE,
    ):
        cells = []
        for c in row:
            h = HP()
            h.feed(c)
            cells.append(" ".join(h.units))
        out.append(" ".join(cells))
    return out


def txt_tcvn3_a(p):
    return tcvn3_a(open(p, "rb").read()).split("\r\n")


def txt_tcvn3_b(p):
    return tcvn3_b(open(p, "rb").read()).split("\r\n")


READERS = {
    ".pdf": (pdf_a, pdf_b),
    ".docx": (docx_a, docx_b),
    ".html": (html_a, html_b),
    ".md": (md_a, md_b),
}


def readers(name):
    if name.endswith("_tcvn3.txt"):
        return (txt_tcvn3_a, txt_tcvn3_b)
    if name.endswith("_tab_html.txt"):
        return (tab_a, tab_b)
    return READERS[os.path.splitext(name)[1]]


UNITS_CACHE = {}


def units(name):
    if name not in UNITS_CACHE:
        ra, rb = readers(name)
        p = os.path.join(CORPUS, name)
        UNITS_CACHE[name] = ([norm(u) for u in ra(p)], [norm(u) for u in rb(p)])
    return UNITS_CACHE[name]


def whole(name, k):
    return norm(" ".join(units(name)[k]))


LINE_FILES = ("_tcvn3.txt", "_tab_html.txt")


def quote_line(name, quote):
    a = units(name)[0]
    hits = [i + 1 for i, u in enumerate(a) if norm(quote) in u]
    return hits


def main():
    ok = 0
    bad = []

    def chk(cond, msg):
        nonlocal ok
        if cond:
            ok += 1
        else:
            bad.append(msg)

    names = sorted(os.listdir(CORPUS))
    chk(len(names) == 6, "six documents")
    for n in names:
        a, b = units(n)
        wa = len(" ".join(a).split())
        chk(1500 <= wa <= 6000, f"{n}: word count {wa}")
        chk(
            fold(" ".join(a)).split() == fold(" ".join(b)).split()
            or len(set(fold(" ".join(a)).split()) ^ set(fold(" ".join(b)).split())) < 15,
            f"{n}: readers disagree",
        )
    raw = open(os.path.join(CORPUS, [n for n in names if n.endswith("_tcvn3.txt")][0]), "rb").read()
    chk(b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n"), "tcvn3 CRLF only")
    try:
        raw.decode("utf-8")
        chk(False, "tcvn3 must not be UTF-8")
    except UnicodeDecodeError:
        chk(True, "")
    chk(tcvn3_a(raw) == tcvn3_b(raw), "two TCVN3 decoders agree")
    Q = [json.loads(l) for l in open(os.path.join(HERE, "queries.jsonl"), encoding="utf-8")]
    chk(
        len(Q) == 44 and [q["id"] for q in Q] == [f"c42-{i:03d}" for i in range(1, 45)],
        "44 ids in order",
    )
    allfold = fold(
        " ".join(whole(n, k) for n in names for k in (0, 1))
        + " "
        + " ".join(
            html.unescape(
                re.sub(r"<[^>]+>", " ", open(os.path.join(CORPUS, n), encoding="utf-8").read())
            )
            for n in names
            if n.endswith(".html")
        )
    )
    for q in Q:
        chk(q["query"] == unicodedata.normalize("NFC", q["query"]), q["id"] + " NFC")
        if q["answerable"]:
            e = q["evidence"][0]
            n = e["doc"]
            qt = norm(e["quote"])
            chk(qt in whole(n, 0), f"{q['id']}: quote not in reader 1 of {n}")
            chk(qt in whole(n, 1), f"{q['id']}: quote not in reader 2 of {n}")
            if "expect" in q:
                chk(
                    norm(q["expect"]) in qt and norm(q["expect"]) in whole(n, 0),
                    f"{q['id']}: expect not in quote",
                )
            if n.endswith(LINE_FILES):
                m = re.search(r"line (\d+)", q["note"])
                hits = quote_line(n, e["quote"])
                chk(m is not None and hits == [int(m.group(1))], f"{q['id']}: line {hits} vs note")
            if q["kind"] == "no_diacritics":
                chk(q["query"].isascii(), q["id"] + " ascii")
            if q["kind"] == "paste":
                chk(
                    300 <= len(q["query"]) <= 700 and norm(e["quote"]) in norm(q["query"]),
                    q["id"] + " paste",
                )
        else:
            chk(q["evidence"] == [] and "expect" not in q, q["id"] + " unanswerable shape")
            ab = re.search(r"Absent: (.*?)\. Present:", q["note"])
            pr = re.search(r"Present: (.*)\.$", q["note"])
            for t in re.findall(r"'([^']+)'", ab.group(1)):
                chk(fold(t) not in allfold, f"{q['id']}: absent term found: {t}")
            for t in re.findall(r"'([^']+)'", pr.group(1)):
                chk(fold(t) in allfold, f"{q['id']}: present term missing: {t}")
            chk(
                q["note"].startswith("Form: no diacritics. ") == q["query"].isascii(),
                q["id"] + " form prefix",
            )
    for b_ in bad:
        print("FAIL", b_)
    print(f"{ok} checks passed, {len(bad)} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
