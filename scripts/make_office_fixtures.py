"""Remake tests/fixtures/office/: ke_hoach.docx (python-docx: the plan tests/test_formats.py
builds, plus a footnote and a tracked deletion) and the .doc, .odt and .rtf LibreOffice saves
it as. Needs LibreOffice (``soffice``); the tests that read the files do not.

    python scripts/make_office_fixtures.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "office"
FOOTNOTE = "Theo Nghị quyết số 15/NQ-HĐND ngày 10/12/2023."


def main() -> None:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from test_formats import _make_docx

    tmp = Path(tempfile.mkdtemp(prefix="office-fixtures-"))
    document = docx.Document(_make_docx(tmp / "base.docx"))
    p = document.add_paragraph("Tổng kinh phí 850 triệu đồng")
    p.add_run()._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))
    p._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="9" w:author="A" w:date="2025-01-01T00:00:00Z">'
            "<w:r><w:delText> (dự kiến 900 triệu)</w:delText></w:r></w:del>"
        )
    )
    p.add_run(", giao Sở Tài chính cân đối.")
    notes = (
        f"<w:footnotes {nsdecls('w')}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        f'</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>{FOOTNOTE}</w:t></w:r></w:p>'
        "</w:footnote></w:footnotes>"
    )
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    part = Part(PackURI("/word/footnotes.xml"), kind, notes.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    source = OUT / "ke_hoach.docx"
    document.save(source)
    for fmt in ("doc", "odt", "rtf"):
        profile = f"-env:UserInstallation={(tmp / 'profile').as_uri()}"
        cmd = ["soffice", profile, "--headless", "--convert-to", fmt, "--outdir", str(OUT)]
        subprocess.run([*cmd, str(source)], check=True, capture_output=True)


if __name__ == "__main__":
    main()
