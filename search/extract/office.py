""".doc, .rtf and .odt: converted to .docx by LibreOffice when it is installed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import DocumentError

CONVERT_TIMEOUT = 120  # seconds for one LibreOffice conversion


def convert_to_docx(path: Path, display: str) -> bytes:
    suffix = path.suffix.lower()
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise DocumentError(
            display,
            f"định dạng {suffix} cần LibreOffice để chuyển đổi; "
            "hãy cài LibreOffice hoặc lưu tệp thành .docx",
        )
    with tempfile.TemporaryDirectory(prefix="tracuu-office-") as tmp:
        out_dir = Path(tmp, "out")
        # A private profile: a user's open LibreOffice would otherwise take the job.
        profile = Path(tmp, "profile").as_uri()
        cmd = [office, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", str(out_dir), str(path.resolve())]  # fmt: skip
        if _address_space_limited():
            # A reading worker's memory limit (index/sandbox.py) is not for LibreOffice,
            # which maps far more address space than it uses; its timeout bounds it.
            cmd = ["sh", "-c", 'ulimit -S -v unlimited 2>/dev/null; exec "$0" "$@"', *cmd]
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=CONVERT_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            # soffice starts helper processes: end the whole group it leads.
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise DocumentError(
                display, f"LibreOffice chuyển đổi quá {CONVERT_TIMEOUT} giây, đã dừng"
            ) from exc
        produced = out_dir / f"{path.stem}.docx"
        if not produced.exists():
            raise DocumentError(
                display,
                f"LibreOffice không chuyển đổi được tệp {suffix} (tệp hỏng hoặc có mật khẩu?)",
            )
        return produced.read_bytes()


def _address_space_limited() -> bool:
    try:
        import resource
    except ImportError:
        return False
    return resource.getrlimit(resource.RLIMIT_AS)[0] != resource.RLIM_INFINITY
