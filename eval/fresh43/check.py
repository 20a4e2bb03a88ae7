#!/usr/bin/env python3
# ruff: noqa: E501, E731, E741
"""Check eval/fresh43: every answerable quote is found by two independent readers of its document,
every `expect` is inside its quote, Absent/Present terms of unanswerable notes hold.
Run: /tmp/f43venv/bin/python eval/fresh43/check.py   (needs pypdf, pdfminer.six, python-docx, lxml, odfpy, striprtf, openpyxl)"""

import json
import os
import re
import sys
import unicodedata
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
QUERIES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "queries.jsonl")

DOCS = {
    "pdf": "ke_hoach_45_2026_nuoi_cua_bien_cua_giong.pdf",
    "docx": "quyet_dinh_09_2026_quy_che_quan_ly_cum_cong_nghiep.docx",
    "odt": "nghi_quyet_06_2026_phi_tham_quan_danh_lam_thang_canh.odt",
    "rtf": "chi_thi_06_ct_tu_2026_phong_trao_dan_van_kheo_word.rtf",
    "vni": "bao_cao_trat_tu_xay_dung_2025_phuong_an_xuyen_vni.txt",
    "xlsx": "phu_luc_ke_hoach_19_2026_xuc_tien_dau_tu_khu_kinh_te.xlsx",
}


def norm(s):
    s = unicodedata.normalize("NFC", s).replace("\u00a0", " ").replace("\u00ad", "")
    return re.sub(r"\s+", " ", s).strip().lower()


def fold(s):
    s = norm(s).replace("đ", "d")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return " " + re.sub(r"\s+", " ", re.sub(r"[^\w]+", " ", s)).strip() + " "


def path(k):
    return os.path.join(CORPUS, DOCS[k])


# ---------- PDF ----------
def pdf_a():
    import pypdf

    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path("pdf")).pages)


def pdf_b():
    from pdfminer.high_level import extract_text

    return extract_text(path("pdf"))


# ---------- DOCX ----------
def dedup(cells):
    out = []
    for c in cells:
        if not out or out[-1] != c:
            out.append(c)
    return " ".join(c for c in out if c)


def docx_a():
    import docx

    d = docx.Document(path("docx"))
    units = [p.text for p in d.paragraphs]
    for t in d.tables:
        for r in t.rows:
            cells = [c.text for c in r.cells]
            units.append(dedup(cells))
            units.extend(cells)
    return "\n".join(units)


def docx_b():
    from lxml import etree

    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(zipfile.ZipFile(path("docx")).read("word/document.xml"))
    ptext = lambda p: "".join(t.text or "" for t in p.iter(W + "t"))
    units = [ptext(p) for p in root.iter(W + "p")]
    for tr in root.iter(W + "tr"):
        units.append(
            " ".join(
                x
                for x in (
                    " ".join(ptext(p) for p in tc.iter(W + "p")) for tc in tr.findall(W + "tc")
                )
                if x
            )
        )
    return "\n".join(units)


# ---------- ODT ----------
def odt_a():
    from odf import table, teletype, text
    from odf.opendocument import load

    d = load(path("odt"))
    units = [
        teletype.extractText(p) for p in d.getElementsByType(text.P) + d.getElementsByType(text.H)
    ]
    for tr in d.getElementsByType(table.TableRow):
        cells = [
            " ".join(teletype.extractText(p) for p in c.getElementsByType(text.P))
            for c in tr.getElementsByType(table.TableCell)
        ]
        units.append(" ".join(c for c in cells if c))
    return "\n".join(units)


def odt_b():
    from lxml import etree

    T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    TB = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    root = etree.fromstring(zipfile.ZipFile(path("odt")).read("content.xml"))

    def walk(e):
        s = e.text or ""
        for ch in e:
            if ch.tag == T + "s":
                s += " " * int(ch.get(T + "c", "1"))
            elif ch.tag in (T + "tab", T + "line-break"):
                s += " "
            else:
                s += walk(ch)
            s += ch.tail or ""
        return s

    units = [walk(p) for p in root.iter(T + "p", T + "h")]
    for tr in root.iter(TB + "table-row"):
        units.append(
            " ".join(
                x
                for x in (
                    " ".join(walk(p) for p in tc.iter(T + "p"))
                    for tc in tr.findall(TB + "table-cell")
                )
                if x
            )
        )
    return "\n".join(units)


# ---------- RTF ----------
def rtf_a():
    from striprtf.striprtf import rtf_to_text

    raw = open(path("rtf"), encoding="ascii").read()
    return rtf_to_text(raw, encoding="cp1258").replace("|", " ")


def rtf_b():  # own tokenizer: \'xx via cp1258, \uN? -> chr(N), skip destinations
    raw = open(path("rtf"), encoding="ascii").read()
    out, depth, skip_at, uc_skip = [], 0, None, 0
    tok = re.compile(
        r"\\([a-z]+)(-?\d+)? ?|\\'([0-9a-f]{2})|\\([\\{}~*-])|([{}])|([^\\{}\r\n]+)|(\r?\n)", re.I
    )
    for m in tok.finditer(raw):
        word, num, hx, sym, brace, txt, _nl = m.groups()
        if brace == "{":
            depth += 1
            continue
        if brace == "}":
            if skip_at is not None and depth == skip_at:
                skip_at = None
            depth -= 1
            continue
        if skip_at is not None:
            continue
        if sym == "*" or word in ("fonttbl", "colortbl", "info", "generator"):
            skip_at = depth
            continue
        if uc_skip and (txt or hx):
            uc_skip -= 1
            if txt:
                txt = txt[1:]
            else:
                continue
        if word == "u":
            n = int(num)
            out.append(chr(n + 65536 if n < 0 else n))
            uc_skip = 1
        elif word in ("par", "row", "page"):
            out.append("\n")
        elif word in ("cell", "line", "tab"):
            out.append(" ")
        elif hx:
            out.append(bytes([int(hx, 16)]).decode("cp1258"))
        elif sym == "~":
            out.append("\u00a0")
        elif sym in ("\\", "{", "}"):
            out.append(sym)
        elif txt:
            out.append(txt)
    return "".join(out)


# ---------- VNI-Windows .txt ----------
VNI_PAIRS = "AÀ=Ầ AÁ=Ấ AÂ=Â AÃ=Ẫ AÄ=Ậ AÅ=Ẩ AÈ=Ằ AÉ=Ắ AÊ=Ă AË=Ặ AÏ=Ạ AÕ=Ã AØ=À AÙ=Á AÚ=Ẳ AÛ=Ả AÜ=Ẵ EÀ=Ề EÁ=Ế EÂ=Ê EÃ=Ễ EÄ=Ệ EÅ=Ể EÏ=Ẹ EÕ=Ẽ EØ=È EÙ=É EÛ=Ẻ OÀ=Ồ OÁ=Ố OÂ=Ô OÃ=Ỗ OÄ=Ộ OÅ=Ổ OÏ=Ọ OÕ=Õ OØ=Ò OÙ=Ó OÛ=Ỏ UÏ=Ụ UÕ=Ũ UØ=Ù UÙ=Ú UÛ=Ủ YÕ=Ỹ YØ=Ỳ YÙ=Ý YÛ=Ỷ aà=ầ aá=ấ aâ=â aã=ẫ aä=ậ aå=ẩ aè=ằ aé=ắ aê=ă aë=ặ aï=ạ aõ=ã aø=à aù=á aú=ẳ aû=ả aü=ẵ eà=ề eá=ế eâ=ê eã=ễ eä=ệ eå=ể eï=ẹ eõ=ẽ eø=è eù=é eû=ẻ oà=ồ oá=ố oâ=ô oã=ỗ oä=ộ oå=ổ oï=ọ oõ=õ oø=ò où=ó oû=ỏ uï=ụ uõ=ũ uø=ù uù=ú uû=ủ yõ=ỹ yø=ỳ yù=ý yû=ỷ Æ=Ỉ Ì=Ì Í=Í Î=Ỵ Ñ=Đ Ò=Ị Ó=Ĩ Ô=Ơ ÔÏ=Ợ ÔÕ=Ỡ ÔØ=Ờ ÔÙ=Ớ ÔÛ=Ở Ö=Ư ÖÏ=Ự ÖÕ=Ữ ÖØ=Ừ ÖÙ=Ứ ÖÛ=Ử æ=ỉ ì=ì í=í î=ỵ ñ=đ ò=ị ó=ĩ ô=ơ ôï=ợ ôõ=ỡ ôø=ờ ôù=ớ ôû=ở ö=ư öï=ự öõ=ữ öø=ừ öù=ứ öû=ử"


def vni_a():  # reader 1: table of letter sequences, longest match first
    table = dict(p.split("=") for p in VNI_PAIRS.split())
    s = open(path("vni"), "rb").read().decode("cp1252")
    out, i = [], 0
    while i < len(s):
        if s[i : i + 2] in table:
            out.append(table[s[i : i + 2]])
            i += 2
        elif s[i] in table:
            out.append(table[s[i]])
            i += 1
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def vni_b():  # reader 2: each mark byte -> combining marks, then NFC
    A, G, H, T, D, C, B = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323", "\u0302", "\u0306"
    low = {
        "ù": A,
        "ø": G,
        "û": H,
        "õ": T,
        "ï": D,
        "â": C,
        "á": C + A,
        "à": C + G,
        "å": C + H,
        "ã": C + T,
        "ä": C + D,
        "ê": B,
        "é": B + A,
        "è": B + G,
        "ú": B + H,
        "ü": B + T,
        "ë": B + D,
    }
    m = dict(low)
    for k, v in low.items():
        m[k.upper()] = v
    m.update(
        {
            "ô": "ơ",
            "Ô": "Ơ",
            "ö": "ư",
            "Ö": "Ư",
            "ñ": "đ",
            "Ñ": "Đ",
            "í": "í",
            "Í": "Í",
            "ì": "ì",
            "Ì": "Ì",
            "æ": "ỉ",
            "Æ": "Ỉ",
            "ó": "ĩ",
            "Ó": "Ĩ",
            "ò": "ị",
            "Ò": "Ị",
            "î": "ỵ",
            "Î": "Ỵ",
        }
    )
    s = open(path("vni"), "rb").read().decode("latin-1")
    return unicodedata.normalize("NFC", "".join(m.get(c, c) for c in s))


# ---------- XLSX ----------
def xlsx_a():
    import openpyxl

    wb = openpyxl.load_workbook(path("xlsx"))
    return "\n".join(
        " ".join(str(c.value) for c in row if c.value is not None)
        for ws in wb
        for row in ws.iter_rows()
    )


def xlsx_b():
    from lxml import etree

    N = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    z = zipfile.ZipFile(path("xlsx"))
    ss = []
    if "xl/sharedStrings.xml" in z.namelist():
        ss = [
            "".join(t.text or "" for t in si.iter(N + "t"))
            for si in etree.fromstring(z.read("xl/sharedStrings.xml")).iter(N + "si")
        ]
    rows = []
    for name in sorted(n for n in z.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n)):
        for r in etree.fromstring(z.read(name)).iter(N + "row"):
            vals = []
            for c in r.iter(N + "c"):
                v = c.find(N + "v")
                isv = c.find(N + "is")
                if c.get("t") == "s" and v is not None:
                    vals.append(ss[int(v.text)])
                elif isv is not None:
                    vals.append("".join(t.text or "" for t in isv.iter(N + "t")))
                elif v is not None:
                    vals.append(v.text)
            rows.append(" ".join(vals))
    return "\n".join(rows)


READERS = {
    "pdf": (pdf_a, pdf_b),
    "docx": (docx_a, docx_b),
    "odt": (odt_a, odt_b),
    "rtf": (rtf_a, rtf_b),
    "vni": (vni_a, vni_b),
    "xlsx": (xlsx_a, xlsx_b),
}
BYNAME = {v: k for k, v in DOCS.items()}

passed = failed = 0


def ok(cond, msg):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", msg)


def main():
    files = sorted(os.listdir(CORPUS))
    ok(files == sorted(DOCS.values()), f"corpus holds exactly the six documents: {files}")
    raw, N, F = {}, {}, {}
    for k, (ra, rb) in READERS.items():
        a, b = ra(), rb()
        raw[k] = (a, b)
        N[k] = (norm(a), norm(b))
        F[k] = (fold(a), fold(b))
        words = len(a.split())
        ok(1500 <= words <= 6000, f"{k}: {words} words under reader 1")
        wa, wb = set(F[k][0].split()), set(F[k][1].split())
        ok(
            len(wa ^ wb) <= 0.02 * len(wa | wb),
            f"{k}: readers disagree on {len(wa ^ wb)} folded words",
        )
    vb = open(path("vni"), "rb").read()
    ok(vb.count(b"\r\n") == vb.count(b"\n") and vb.count(b"\r\n") > 50, "vni: CRLF only")
    ok(raw["vni"][0] == raw["vni"][1], "vni: the two decoders agree exactly")
    try:
        vb.decode("utf-8")
        ok(False, "vni: must not be valid UTF-8")
    except UnicodeDecodeError:
        ok(True, "")
    vlines = raw["vni"][0].split("\r\n")
    ok(
        "/bc-ubnd" in norm(vlines[3]) and "14/bc-ubnd" not in N["vni"][0].split("phụ lục")[0],
        "vni: number blank in header, given only in the appendix caption",
    )
    ok("số 14/bc-ubnd ngày 13/01/2026" in N["vni"][0], "vni: caption carries number and date")

    lines = open(QUERIES, encoding="utf-8").read().splitlines()
    ok(len(lines) == 44, f"44 lines, got {len(lines)}")
    allF = " ".join(F[k][0] + F[k][1] for k in F)
    for n, line in enumerate(lines, 1):
        ok(unicodedata.normalize("NFC", line) == line, f"line {n} NFC")
        q = json.loads(line)
        qid = q["id"]
        ok(qid == f"c43-{n:03d}", f"id order at line {n}: {qid}")
        ok(list(q)[:5] == ["id", "query", "kind", "answerable", "evidence"], f"{qid} field order")
        note = q["note"]
        if q["kind"] == "no_diacritics" or note.startswith("Form: no diacritics."):
            ok(all(ord(c) < 128 for c in q["query"]), f"{qid} query is ASCII")
        if q["answerable"]:
            ok(n <= 22 and len(q["evidence"]) == 1, f"{qid} one evidence item")
            ev = q["evidence"][0]
            quote, k = ev["quote"], BYNAME.get(ev["doc"])
            ok(k is not None, f"{qid} doc name")
            ok(ev["line"] == 0, f"{qid} line is 0")
            ok(
                20 <= len(quote) <= 150 and not re.search(r"[\t\n<>]", quote),
                f"{qid} quote shape ({len(quote)} chars)",
            )
            ok(norm(quote) in N[k][0], f"{qid} quote in reader 1 of {k}")
            ok(norm(quote) in N[k][1], f"{qid} quote in reader 2 of {k}")
            if "qtype" in q or "expect" in q:
                ok(q.get("qtype") in ("who", "when", "how_much", "how_many"), f"{qid} qtype")
                ok(q.get("expect", "") in quote and q["expect"], f"{qid} expect inside quote")
            if k == "vni":
                m = re.search(r"line (\d+)\b", note)
                ms = re.search(r"lines (\d+)-(\d+)", note)
                if ms:
                    a, b = int(ms.group(1)), int(ms.group(2))
                    ok(
                        norm(quote) in norm(" ".join(vlines[a - 1 : b])),
                        f"{qid} quote on lines {a}-{b}",
                    )
                elif m:
                    ln = int(m.group(1))
                    hits = [i for i, L in enumerate(vlines, 1) if norm(quote) in norm(L)]
                    ok(hits == [ln], f"{qid} quote on line {ln} only (found {hits})")
                else:
                    ok(False, f"{qid} vni note names no line")
            if q["kind"] == "paste":
                ok(300 <= len(q["query"]) <= 700, f"{qid} paste length {len(q['query'])}")
                ok(q["query"] != quote, f"{qid} paste is not the bare quote")
        else:
            ok(
                n > 22
                and q["kind"] == "unanswerable"
                and q["evidence"] == []
                and "qtype" not in q
                and "expect" not in q,
                f"{qid} unanswerable shape",
            )
            body = (
                note[len("Form: no diacritics. ") :]
                if note.startswith("Form: no diacritics. ")
                else note
            )
            ok(
                body.startswith("Near-miss.") or body.startswith("Absent topic."),
                f"{qid} note prefix",
            )
            ma = re.search(r"Absent: (.*?)\. Present: (.*)\.$", note)
            ok(ma is not None, f"{qid} note ends with Absent/Present lists")
            if ma:
                for t in re.findall(r"'([^']+)'", ma.group(1)):
                    ok(fold(t) not in allF, f"{qid} Absent term found in corpus: {t!r}")
                for t in re.findall(r"'([^']+)'", ma.group(2)):
                    ok(fold(t) in allF, f"{qid} Present term not found: {t!r}")
    print(f"{passed} checks passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
