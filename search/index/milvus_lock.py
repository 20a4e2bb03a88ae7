"""One ingest at a time per Milvus collection.

Milvus Lite: a lock file beside the database (the OS drops it when the process dies).
A server has no compare-and-set, so ingest takes a lease: it writes a claim row in
``C_meta``, reads every unexpired claim, and goes on only if its own is the earliest; it
renews the claim while it runs and deletes it at the end. A killed ingest's claim expires
after ``LEASE_SECONDS``.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import IngestLockedError
from .milvusdb import Collections, MilvusLocation, literal

LEASE_SECONDS = 60.0


def locked_error(uri: str) -> IngestLockedError:
    return IngestLockedError(
        f"Một tiến trình lập chỉ mục khác đang ghi vào '{uri}'. "
        "Hãy chờ tiến trình đó xong rồi chạy lại."
    )


@contextmanager
def lite_lock(location: MilvusLocation) -> Iterator[None]:
    """The lock file of a Milvus Lite database (nothing for a server)."""
    if not location.lite:
        yield
        return
    path = Path(location.lite + ".ingest.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise locked_error(location.uri) from exc
        yield
    finally:
        os.close(fd)


@contextmanager
def lease(db: Collections) -> Iterator[None]:
    """The ingest lease of a server's collection (nothing for Milvus Lite)."""
    if db.location.lite:
        yield
        return
    me, since = f"lock#{uuid.uuid4().hex}", time.time()
    owner = f"{socket.gethostname()}:{os.getpid()}"

    def claim() -> None:
        data = json.dumps({"owner": owner, "since": since, "expires": time.time() + LEASE_SECONDS})
        row = {"key": me, "name": "lock", "part": 0, "gen": -1, "data": data, "pad": [0.0, 0.0]}
        db.client.upsert(db.meta, [row])

    claim()
    claims = []
    for r in db.query(db.meta, 'name == "lock"', ["key", "data"]):
        info = json.loads(r["data"])
        if info["expires"] > time.time():
            claims.append((info["since"], r["key"]))
    if min(claims, default=(since, me))[1] != me:
        db.delete(db.meta, f"key == {literal(me)}")
        raise locked_error(db.location.uri)
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(max(LEASE_SECONDS / 4, 1.0)):
            claim()

    keeper = threading.Thread(target=renew, daemon=True)
    keeper.start()
    try:
        yield
    finally:
        stop.set()
        keeper.join()
        db.delete(db.meta, f"key == {literal(me)}")
