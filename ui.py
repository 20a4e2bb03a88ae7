"""Web UI: python ui.py [--index DIR] [--host HOST] [--port N]."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python ui.py", description="Giao diện web Tra cứu văn bản.")
    p.add_argument("--index", default="index", help="thư mục chỉ mục (mặc định: index)")
    p.add_argument(
        "--host",
        default=os.environ.get("TRACUU_HOST", "127.0.0.1"),
        help="địa chỉ lắng nghe (mặc định: 127.0.0.1, chỉ máy này)",
    )
    p.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("TRACUU_PORT", "7860")),
        help="cổng (mặc định: 7860)",
    )
    a = p.parse_args(argv)
    if not 0 < a.port < 65536:
        p.error("--port phải trong khoảng 1-65535")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from search.webapp import build_app

    app = build_app(Path(a.index))
    app.launch(
        server_name=a.host, server_port=a.port, share=False, css=app.tracuu_css, show_error=True
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
