"""The web server behind ui.py: the Gradio app mounted in FastAPI, with two guards.

* Gradio's login page and loading text are drawn before the app's translations reach the
  browser, so a small script (static/vietnamese.js) is put into every page's <head> to
  show them in Vietnamese.
* Gradio's upload route takes files from anyone who can reach the page; it is closed when
  the "add documents" panel is off (no TRACUU_UPLOAD_PASSWORD), and files refused by the
  panel are deleted by the upload service.
"""

from __future__ import annotations

from typing import Any

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from .render import static_text
from .uploads import upload_password

_HEAD_SCRIPT = f"<script>{static_text('vietnamese.js')}</script>".encode()


def create_app(
    blocks: gr.Blocks,
    *,
    auth: tuple[str, str] | None = None,
    options: dict[str, Any] | None = None,
) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if request.url.path.rstrip("/").endswith("/upload") and not upload_password():
            return JSONResponse(
                {"error": "Chức năng thêm văn bản đang tắt: máy chủ không nhận tệp tải lên."},
                status_code=403,
            )
        response = await call_next(request)
        if response.headers.get("content-type", "").startswith("text/html"):
            return await _with_head_script(response)
        return response

    return gr.mount_gradio_app(
        app,
        blocks,
        path="",
        auth=auth,
        auth_message="Đăng nhập để dùng Tra cứu văn bản." if auth else None,
        **(options or {}),
    )


async def _with_head_script(response) -> Response:
    body = b"".join([chunk async for chunk in response.body_iterator])
    if b"</head>" in body:
        body = body.replace(b"</head>", _HEAD_SCRIPT + b"</head>", 1)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    return Response(body, status_code=response.status_code, headers=headers)
