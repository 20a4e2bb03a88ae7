"""Web UI: python ui.py [--index DIR|URI] [--corpus DIR] [--host HOST] [--port N] [--auth U:P]."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path

from search.cli import add_index_args, configure_query_threads, index_location

AUTH_ENV = "TRACUU_AUTH"


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """'user:pass' → ('user', 'pass'); empty → None; anything else is refused."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("Thông tin đăng nhập phải có dạng TÊN:MẬT_KHẨU.")
    return user, password


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python ui.py", description="Giao diện web Tra cứu văn bản.")
    add_index_args(p)
    p.add_argument(
        "--corpus",
        default=os.environ.get("TRACUU_CORPUS", "corpus"),
        help="thư mục văn bản, nơi lưu tệp tải lên (mặc định: corpus)",
    )
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
    p.add_argument(
        "--auth",
        default=os.environ.get(AUTH_ENV, ""),
        metavar="TÊN:MẬT_KHẨU",
        help=f"bắt đăng nhập bằng tên và mật khẩu này (hoặc biến môi trường {AUTH_ENV})",
    )
    a = p.parse_args(argv)
    if not 0 < a.port < 65536:
        p.error("--port phải trong khoảng 1-65535")
    try:
        auth = parse_auth(a.auth)
    except ValueError as exc:
        p.error(str(exc))
    index = index_location(p, a)
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    configure_query_threads(p)
    import uvicorn

    from search.ui.gradio_app import build_app, mount_options
    from search.ui.server import create_app

    blocks = build_app(index, corpus=Path(a.corpus))
    # The model takes seconds to load: do it while the server starts, not on the first query.
    threading.Thread(target=blocks.tracuu_app.warm_up, daemon=True).start()
    app = create_app(blocks, auth=auth, options=mount_options())
    # Never a public share link: the server binds to --host (this machine by default).
    print(f"Tra cứu văn bản đang chạy tại http://{a.host}:{a.port} (Ctrl+C để dừng)", flush=True)
    uvicorn.run(app, host=a.host, port=a.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
