"""Word 97–2003 (.doc), OpenDocument (.odt) and RTF, each read without an office suite.

``fixtures/office/ke_hoach.docx`` was saved by LibreOffice 7.4 as .doc, .odt and .rtf (see
``fixtures/office/README.md``): each must read exactly as the .docx does. Hand-written files
check what LibreOffice does not write (Word's RTF habits, ODF list continuation).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from search.errors import DocumentError
from search.extract import extract
from search.extract.common import MAX_REPEATED_CHARS
from search.extract.legacy import encode_legacy

OFFICE = Path(__file__).parent / "fixtures" / "office"


def _zip(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return out.getvalue()


def _lines(path: Path) -> list[str]:
    return extract(path, path.name).text.split("\n")


def test_the_docx_fixture_holds_what_the_other_formats_must_keep() -> None:
    lines = _lines(OFFICE / "ke_hoach.docx")
    for expected in (
        "Điều 1. Căn cứ Luật Tổ chức chính quyền địa phương",  # numbering in a layout table
        "I. MỤC ĐÍCH, YÊU CẦU",
        "a) Nâng cao hiệu quả quản lý",
        "- Cụ thể, khả thi",
        "\t\tNgân sách\tKhác",  # a header cell spanning two columns, merged cells above
        "3\tTập huấn đợt 1 đợt 2\t200\t50",  # a nested table in a cell; 200 merged down
        "Uỷ ban nhân dân tỉnh",  # TCVN3 in a .VnTime font
        "Ngày tháng",  # VNI in VNI-Times
        "Tổng kinh phí 850 triệu đồng, giao Sở Tài chính cân đối.",  # a tracked deletion gone
        "[1] Theo Nghị quyết số 15/NQ-HĐND ngày 10/12/2023.",  # the footnote, after the text
    ):
        assert expected in lines


@pytest.mark.parametrize("suffix", [".doc", ".odt", ".rtf"])
def test_saved_as_another_format_reads_as_the_docx(suffix: str) -> None:
    assert _lines(OFFICE / f"ke_hoach{suffix}") == _lines(OFFICE / "ke_hoach.docx")


# --- .rtf as Word writes it ----------------------------------------------------------------


def _rtf(tmp_path: Path, body: str, fonts: str = r"{\f0\fnil\fcharset0 Times New Roman;}") -> Path:
    path = tmp_path / "cv.rtf"
    path.write_bytes(
        ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl" + fonts + "}" + body + "}").encode("latin-1")
    )
    return path


def test_rtf_text_in_every_encoding_it_may_use(tmp_path: Path) -> None:
    tcvn3 = encode_legacy("Ủy ban nhân dân tỉnh", "tcvn3").decode("latin-1")
    tcvn3 = "".join(f"\\'{ord(c):02x}" if ord(c) > 127 else c for c in tcvn3)
    path = _rtf(
        tmp_path,
        r"\f0 C\u244?ng v\u259\'3fn s\u7889? 5\par"  # \u with its stand-in skipped
        r"{\uc2 \u7899\'3f\'3fi}\par"  # two stand-ins after \uc2
        r"\f1 Vi\'ea\'f2t Nam\par"  # Windows-1258 bytes, a combining tone
        r"\f2 " + tcvn3 + r"\par"
        r"\f0 M\'e1y\~t\'ednh\emdash x\par",
        fonts=r"{\f0\fnil\fcharset0 Arial;}{\f1\fnil\fcharset163 Times New Roman;}"
        r"{\f2\fnil\fcharset0 .VnTime;}",
    )
    assert _lines(path) == [
        "Công văn số 5",
        "ới",
        "Việt Nam",
        "Ủy ban nhân dân tỉnh",
        "Máy tính—x",
    ]


def test_rtf_drops_what_is_not_the_documents_text(tmp_path: Path) -> None:
    path = _rtf(
        tmp_path,
        r"{\header Trang \chpgn}{\*\generator Word;}{\info{\title Ti\'eau \'f0\'e8}}"
        r"Xem {\field{\*\fldinst HYPERLINK \"http://x.vn\"}{\fldrslt C\u7893?ng th\u244?ng tin}}"
        r" t\u7881?nh{\v  \'e2n}.{\pict\pngblip\bin4 {}}}}\par"
        r"{\*\shpinst{\sp{\sn wzName}{\sv H\u7897?p 1}}{\shptxt Ghi ch\u250?\par}}"
        r"K\u7871?t {\deleted c\u361?}m\u7899?i\par",
    )
    assert _lines(path) == ["Xem Cổng thông tin tỉnh.", "Ghi chú", "Kết mới"]


def test_rtf_table_on_the_grid_of_its_cell_edges(tmp_path: Path) -> None:
    def row(
        cells: list[str], edges: list[int], flags: dict[int, str] | None = None, hdr=False
    ) -> str:
        flags = flags or {}
        definition = (
            r"\trowd"
            + (r"\trhdr" if hdr else "")
            + "".join(flags.get(i, "") + rf"\cellx{e}" for i, e in enumerate(edges))
        )
        return definition + "".join(rf"\pard\intbl {c}\cell" for c in cells) + r"\row"

    path = _rtf(
        tmp_path,
        r"\pard Ph\u7909? l\u7909?c\par"
        + row(["STT", "N\\u7897?i dung", "Kinh ph\\u237?"], [1000, 4000, 8000], hdr=True)
        + row(
            ["", "", "NS", "Kh\\u225?c"],
            [1000, 4000, 6000, 8000],
            {0: r"\clvmrg", 1: r"\clvmrg"},
            hdr=True,
        )
        + row(
            ["1", "\\u272?\\u432?\\u7901?ng", "500", "20"],
            [1000, 4000, 6000, 8000],
            {0: r"\clvmgf"},
        )
        + row(["", "C\\u7847?u", "300", "0"], [1000, 4000, 6000, 8000], {0: r"\clvmrg"})
        + row(["T\\u7893?ng", "800", "20"], [4000, 6000, 8000])
        + r"\pard Ghi ch\u250?\par",
    )
    assert _lines(path) == [
        "Phụ lục",
        "STT\tNội dung\tKinh phí\t",
        "\t\tNS\tKhác",
        "1\tĐường\t500\t20",
        "1\tCầu\t300\t0",
        "Tổng\t\t800\t20",
        "Ghi chú",
    ]


def test_rtf_list_labels_footnotes_and_layout_tables(tmp_path: Path) -> None:
    path = _rtf(
        tmp_path,
        r"\trowd\cellx4000\cellx8000\pard\intbl \u7910?Y BAN\par S\u7889?: 5/KH\cell"
        r"\pard\intbl C\u7896?NG H\u210?A\cell\row"
        r"\pard{\listtext\pard\plain 1.\tab}M\u7909?c \u273?\u237?ch\par"
        r"{\pntext\pard\plain\f1 \'b7\tab}Gi\u7843?i ph\u225?p\par"  # Word 95's lists
        r"{\listtext\pard\plain\f1 \'b7\tab}Nhi\u7879?m v\u7909?{\super\chftn}"
        r"{\*\footnote\pard\plain\chftn  Theo Ngh\u7883? quy\u7871?t 15.\par}\par",
        fonts=r"{\f0\fnil\fcharset0 Arial;}{\f1\fnil\fcharset2 Symbol;}",
    )
    assert _lines(path) == [
        "ỦY BAN",
        "Số: 5/KH",
        "CỘNG HÒA",
        "1. Mục đích",
        "- Giải pháp",
        "- Nhiệm vụ",
        "[1] Theo Nghị quyết 15.",
    ]


# --- .odt as other writers lay it out ------------------------------------------------------

_ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)


def _odt(tmp_path: Path, body: str, styles: str = "") -> Path:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF}>'
        f'<office:font-face-decls><style:font-face style:name="VN" svg:font-family="\'.VnTime\'"/>'
        f"</office:font-face-decls><office:automatic-styles>{styles}</office:automatic-styles>"
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    path = tmp_path / "kh.odt"
    path.write_bytes(buffer.getvalue())
    return path


_LIST_STYLE = (
    '<text:list-style style:name="L1">'
    '<text:list-level-style-number text:level="1" style:num-format="I" style:num-suffix="."/>'
    '<text:list-level-style-number text:level="2" style:num-format="1" text:display-levels="2"'
    ' style:num-suffix="."/>'
    '<text:list-level-style-number text:level="3" style:num-format="a" style:num-suffix=")"/>'
    "</text:list-style>"
)


def test_odt_lists_numbered_as_the_writer_shows_them(tmp_path: Path) -> None:
    def item(text: str, inner: str = "") -> str:
        return f"<text:list-item><text:p>{text}</text:p>{inner}</text:list-item>"

    body = (
        '<text:list xml:id="a" text:style-name="L1">'
        + item(
            "MỤC TIÊU",
            "<text:list>"
            + item("Chung", "<text:list>" + item("Một") + item("Hai") + "</text:list>")
            + item("Cụ thể")
            + "</text:list>",
        )
        + "</text:list>"
        + "<text:p>Đoạn chen giữa</text:p>"
        + '<text:list text:continue-list="a" text:style-name="L1">'
        + item("NHIỆM VỤ")
        + "</text:list>"
        + '<text:list text:style-name="L1">'
        + item("Danh sách mới")
        + "</text:list>"
    )
    assert _lines(_odt(tmp_path, body, _LIST_STYLE)) == [
        "I. MỤC TIÊU",
        "I.1. Chung",
        "a) Một",
        "b) Hai",
        "I.2. Cụ thể",
        "Đoạn chen giữa",
        "II. NHIỆM VỤ",
        "I. Danh sách mới",
    ]


def test_odt_spans_spaces_notes_and_deletions(tmp_path: Path) -> None:
    cell = "<table:table-cell><text:p>{}</text:p></table:table-cell>"
    covered = "<table:covered-table-cell/>"
    table = (
        '<table:table><table:table-column table:number-columns-repeated="3"/>'
        "<table:table-header-rows><table:table-row>"
        '<table:table-cell table:number-rows-spanned="2"><text:p>STT</text:p></table:table-cell>'
        '<table:table-cell table:number-columns-spanned="2"><text:p>Kinh phí</text:p>'
        "</table:table-cell>"
        + covered
        + "</table:table-row><table:table-row>"
        + covered
        + cell.format("NS")
        + cell.format("Khác")
        + "</table:table-row></table:table-header-rows>"
        + '<table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>1</text:p>'
        "</table:table-cell>"
        + cell.format("500")
        + cell.format("20")
        + "</table:table-row>"
        + "<table:table-row>"
        + covered
        + cell.format("300")
        + cell.format("0")
        + "</table:table-row>"
        + "</table:table>"
    )
    body = (
        "<text:tracked-changes><text:changed-region><text:deletion><text:p>bỏ đi</text:p>"
        "</text:deletion></text:changed-region></text:tracked-changes>"
        '<text:p>Số<text:s text:c="2"/>5<text:tab/>ngày<text:note text:note-class="footnote">'
        "<text:note-citation>1</text:note-citation><text:note-body><text:p>Ghi chú một.</text:p>"
        "</text:note-body></text:note>"
        "<office:annotation><text:p>nhận xét</text:p></office:annotation>"
        '</text:p><text:p text:style-name="P1">Uû ban</text:p>' + table
    )
    styles = (
        '<style:style style:name="P1" style:family="paragraph">'
        '<style:text-properties style:font-name="VN"/></style:style>'
    )
    assert _lines(_odt(tmp_path, body, styles)) == [
        "Số  5 ngày",
        "Uỷ ban",
        "STT\tKinh phí\t",
        "\tNS\tKhác",
        "1\t500\t20",
        "1\t300\t0",
        "[1] Ghi chú một.",
    ]


# --- bad files -----------------------------------------------------------------------------


def test_bad_office_files_get_one_line_each(tmp_path: Path) -> None:
    cases = {
        "a.doc": (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "tệp .doc bị hỏng hoặc không đầy đủ",
        ),
        "b.doc": (
            (OFFICE / "ke_hoach.doc").read_bytes()[:3000],
            "tệp .doc bị hỏng hoặc không đầy đủ",
        ),
        "c.rtf": (b"\x00\x01Cong van so 5", "tệp không phải định dạng RTF"),
        "d.rtf": (b"{\\rtf1 " + b"{" * 5000, "tệp .rtf lồng quá 1000 cấp nhóm"),
        "e.odt": (
            _zip({"META-INF/manifest.xml": "<m/>"}),
            "tệp không phải văn bản OpenDocument (.odt)",
        ),
        "f.odt": (b"PK\x03\x04" + b"\0" * 100, "tệp .odt bị hỏng hoặc không đầy đủ"),
    }
    for name, (data, problem) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(DocumentError) as err:
            extract(tmp_path / name, name)
        assert (name, err.value.problem) == (name, problem)


def test_hostile_odt_and_rtf_stay_bounded(tmp_path: Path) -> None:
    bomb = tmp_path / "bom.odt"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", " " * (20 * 2**20))
    with pytest.raises(DocumentError) as err:
        extract(bomb, bomb.name)
    assert err.value.problem.startswith("tệp .odt nén bất thường")
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "hahahahahahahahahaha">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    path = _odt(tmp_path, "<text:p>Số 5 &c;</text:p>")
    content = zipfile.ZipFile(path).read("content.xml").decode()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", laughs + content.split("?>", 1)[1])
    assert "haha" not in extract(path, path.name).text  # entities are never expanded
    # A cell merged down a million rows, a span past the grid: bounded like .docx.
    head = r"\trowd\cellx1000\cellx2000\cellx3000\pard\intbl STT\cell A\cell B\cell\row"
    wide = r"\trowd\clvmgf\cellx1000\cellx2000\cellx999999999\pard\intbl "
    wide += "x" * 5000 + r"\cell c\cell d\cell\row"
    down = r"\trowd\clvmrg\cellx1000\cellx2000\cellx3000\pard\intbl\cell a\cell b\cell\row"
    lines = _lines(_rtf(tmp_path, head + wide + down * 400 + r"\pard end\par"))
    # The column the wide cell spans is empty in every row: it is left out.
    assert len(lines) == 403 and lines[1].split("\t")[1:] == ["c", "d"]
    assert lines[2] == "x" * 5000 + "\ta\tb"  # repeated down, then no more past a bound
    assert sum(map(len, lines)) < MAX_REPEATED_CHARS + 20_000 and lines[-1] == "end"


@pytest.mark.parametrize(
    "offset, value, problem",
    [
        (0x0B, 0x01, "tệp .doc có mật khẩu; hãy mở khóa rồi lưu lại"),  # fEncrypted
        (0x02, 0x65, "tệp .doc của Word 6/95 chưa được hỗ trợ; hãy lưu lại thành .docx"),
    ],
)
def test_a_doc_it_cannot_read_says_why(tmp_path: Path, offset: int, value: int, problem: str):
    data = bytearray((OFFICE / "ke_hoach.doc").read_bytes())
    # The WordDocument stream starts on a sector with the Word identifier 0xA5EC.
    at = next(i for i in range(512, len(data), 512) if data[i : i + 2] == b"\xec\xa5")
    if offset == 0x02:
        data[at + 2 : at + 4] = bytes([value, 0])  # nFib, the format version: Word 95
    else:
        data[at + offset] |= value
    path = tmp_path / "cu.doc"
    path.write_bytes(bytes(data))
    with pytest.raises(DocumentError) as err:
        extract(path, path.name)
    assert err.value.problem == problem


def test_a_table_of_contents_is_left_out(tmp_path: Path) -> None:
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = Document()
    document.add_paragraph("MỤC LỤC")
    entries = ["Điều 1. Phạm vi điều chỉnh\t1", "Điều 2. Tổ chức thực hiện\t2"]
    for n, entry in enumerate(entries):
        p = document.add_paragraph()
        runs = []
        if n == 0:
            runs += ['<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                     '<w:r><w:instrText> TOC \\o "1-2" \\h </w:instrText></w:r>',
                     '<w:r><w:fldChar w:fldCharType="separate"/></w:r>']  # fmt: skip
        # Each entry links to its heading: a field of its own, ended in the entry.
        runs += ['<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                 '<w:r><w:instrText> HYPERLINK \\l "_Toc1" </w:instrText></w:r>',
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
                 f"<w:r><w:t>{entry}</w:t></w:r>",
                 '<w:r><w:fldChar w:fldCharType="end"/></w:r>']  # fmt: skip
        if n == len(entries) - 1:
            runs.append('<w:r><w:fldChar w:fldCharType="end"/></w:r>')
        for run in runs:
            p._p.append(parse_xml(run.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))
    document.add_paragraph("QUYẾT ĐỊNH")
    document.add_paragraph("Điều 1. Phạm vi điều chỉnh")
    path = tmp_path / "qd.docx"
    document.save(path)
    assert _lines(path) == ["QUYẾT ĐỊNH", "Điều 1. Phạm vi điều chỉnh"]


def test_rtf_character_past_the_basic_plane(tmp_path: Path) -> None:
    # \u takes 16-bit values: "😀" comes as its two surrogates.
    assert _lines(_rtf(tmp_path, r"Vui \u-10179?\u-8704? l\u7855?m\par")) == ["Vui 😀 lắm"]
