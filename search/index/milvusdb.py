"""The Milvus collections of one index, and the few operations reading and writing share.

An index named ``C`` (the URI's collection, default ``tracuu``) is three collections:

    C_passages_<g>  one row per passage: id, unit (the document version it belongs to),
                    gen (the ingest that wrote it), kind, seq, dl and avgdl (BM25), the
                    embedding hash, chunk id, article, the record (JSON) and two vectors,
                    ``dense`` (FLAT, inner product) and ``sparse`` (BM25 weights, sparse.py)
    C_terms_<g>     one row per token id: its document frequency as of the generation that
                    last changed it, and the value before (what readers of the previous
                    generation see): looked up by primary key
    C_meta          small files split into rows: ``current`` (which generation is live,
                    one row per published generation), ``manifest-<g>`` (the manifest of
                    generation g, as in the embedded store), ``syllables-<g>`` (syllable
                    counts of the passages written at g), and ``lock`` leases

A passages collection and its terms collection are made together (named by the generation
that made them) and live until a rebuild or another model replaces them.
Milvus needs a vector field in every collection: terms and meta carry a 2-dimensional
``pad``. Every collection is created with Strong consistency, so a reader that sees a
published generation sees every row written before it.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import IndexMissingError, StoreUnavailableError

TOKEN_ENV = "TRACUU_MILVUS_TOKEN"
SCHEME = "milvus://"
DEFAULT_COLLECTION = "tracuu"
MAX_VARCHAR = 65535  # bytes Milvus keeps in a VARCHAR field
_PART = 60000  # base64 characters per row of a stored file
_IN_BATCH = 1000  # values per ``in [...]`` expression
_WINDOW = 16384  # rows one Milvus query returns at most
_PAD = [0.0, 0.0]
_LITE_GRPC = {"grpc.keepalive_time_ms": 600_000, "grpc.keepalive_permit_without_calls": False}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,180}$")


@dataclass(frozen=True)
class MilvusLocation:
    """A parsed ``milvus://`` URI: a Milvus Lite file or a server, and the collection."""

    uri: str
    lite: str | None  # absolute path of a Milvus Lite database
    address: str | None  # host:port of a Milvus server
    collection: str

    @classmethod
    def parse(cls, uri: str) -> MilvusLocation:
        rest = uri.removeprefix(SCHEME)
        if rest.startswith("/"):
            path, sep, name = ("", "", "") if rest.endswith(".db") else rest.rpartition(".db/")
            path = path + ".db" if sep else rest
            if not path.endswith(".db"):
                raise StoreUnavailableError(
                    f"'{uri}': đường dẫn Milvus Lite phải là tệp .db, "
                    "ví dụ milvus:///duong/dan/chi_muc.db"
                )
            location = cls(uri, os.path.abspath(path), None, name or DEFAULT_COLLECTION)
        else:
            address, _, name = rest.partition("/")
            if not address:
                raise StoreUnavailableError(f"'{uri}': thiếu địa chỉ máy chủ Milvus (HOST:PORT)")
            location = cls(uri, None, address, name.strip("/") or DEFAULT_COLLECTION)
        if not _NAME.match(location.collection):
            raise StoreUnavailableError(
                f"tên collection '{location.collection}' không hợp lệ: chỉ dùng chữ cái "
                "không dấu, chữ số và dấu gạch dưới, không bắt đầu bằng chữ số"
            )
        return location

    def named(self, collection: str) -> MilvusLocation:
        return self.parse(f"{SCHEME}{self.lite or self.address}/{collection}")

    @property
    def connect_uri(self) -> str:
        return self.lite if self.lite else f"http://{self.address}"


_clients: dict[tuple[str, str], Any] = {}
_clients_lock = threading.Lock()


def connect(location: MilvusLocation, *, create: bool = False):
    """A client for ``location``, shared in this process (Milvus Lite allows one process
    per database file); ``create`` makes a missing Lite database's folder."""
    token = os.environ.get(TOKEN_ENV, "")
    key = (location.connect_uri, token)
    with _clients_lock:
        if key in _clients:
            return _clients[key]
        if location.lite:
            parent = Path(location.lite).parent
            if create:
                parent.mkdir(parents=True, exist_ok=True)
            elif not Path(location.lite).exists():
                raise missing(location)
        # gRPC's C core logs forks and reconnects on stderr; ingest prints one summary line.
        os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
        from pymilvus import MilvusClient

        # pymilvus logs every failed call and iterator detail on stderr; ours is one line.
        logging.getLogger("pymilvus").setLevel(logging.CRITICAL)
        try:
            # Milvus Lite's in-process server refuses pymilvus's 10 s keepalive pings while
            # ingest encodes (gRPC then logs "too_many_pings" on stderr): ping it less.
            extra = {"grpc_options": _LITE_GRPC} if location.lite else {}
            client = MilvusClient(uri=location.connect_uri, token=token, timeout=30, **extra)
        except Exception as exc:  # noqa: BLE001 - any connection failure means the same
            raise unavailable(location, exc) from exc
        _clients[key] = client
        return client


def release(location: MilvusLocation) -> None:
    """Close this process's client; a Milvus Lite database is then free for another process."""
    with _clients_lock:
        for key in [k for k in _clients if k[0] == location.connect_uri]:
            _clients.pop(key).close()
    if location.lite:
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(location.lite)


def missing(location: MilvusLocation) -> IndexMissingError:
    return IndexMissingError(
        f"Chưa có chỉ mục trong '{location.uri}'. "
        f"Hãy chạy `python ingest.py --index {location.uri}`."
    )


def unavailable(location: MilvusLocation, exc: BaseException) -> StoreUnavailableError:
    text = f"{type(exc).__name__}: {exc}"
    if "lock" in text.lower() and location.lite:
        return StoreUnavailableError(
            f"Milvus Lite '{location.lite}' đang được một tiến trình khác mở (Milvus Lite chỉ "
            "cho một tiến trình); hãy dừng tiến trình đó hoặc dùng máy chủ Milvus"
        )
    where = location.lite or location.address
    return StoreUnavailableError(
        f"Không kết nối được Milvus tại '{where}' ({text.splitlines()[0][:160]}); "
        f"kiểm tra máy chủ, địa chỉ và biến {TOKEN_ENV}"
    )


def literal(value: str) -> str:
    """A string as a Milvus expression literal."""
    return json.dumps(value, ensure_ascii=False)


def in_list(field: str, values: Sequence[Any]) -> str:
    items = ", ".join(literal(v) if isinstance(v, str) else str(int(v)) for v in values)
    return f"{field} in [{items}]"


def batched(values: Sequence[Any], size: int = _IN_BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class Collections:
    """The collections of one index on one client."""

    def __init__(self, client, location: MilvusLocation):
        self.client = client
        self.location = location
        self.prefix = location.collection
        self.meta = f"{self.prefix}_meta"
        self._loaded: set[str] = set()

    def passages(self, first_gen: int) -> str:
        return f"{self.prefix}_passages_{first_gen}"

    def terms(self, first_gen: int) -> str:
        return f"{self.prefix}_terms_{first_gen}"

    # -- collections ---------------------------------------------------------------------
    def exists(self, name: str) -> bool:
        return bool(self.client.has_collection(name))

    def load(self, name: str) -> None:
        if name not in self._loaded:
            state = str(self.client.get_load_state(name).get("state", ""))
            if "Loaded" not in state or "NotLoad" in state:
                self.client.load_collection(name)
            self._loaded.add(name)

    def ensure_meta(self) -> None:
        from pymilvus import DataType

        if not self.exists(self.meta):
            schema = self._schema(pk=("key", DataType.VARCHAR))
            schema.add_field("name", DataType.VARCHAR, max_length=256)
            schema.add_field("part", DataType.INT32)
            schema.add_field("gen", DataType.INT64)
            schema.add_field("data", DataType.VARCHAR, max_length=MAX_VARCHAR)
            self._create(self.meta, schema)

    def create_terms(self, name: str) -> None:
        from pymilvus import DataType

        schema = self._schema(pk=("token", DataType.INT64))
        for field in ("gen", "df", "prev_gen", "prev_df"):
            schema.add_field(field, DataType.INT64)
        self._create(name, schema)

    def create_passages(self, name: str, dim: int) -> None:
        from pymilvus import DataType

        schema = self._schema(pk=("id", DataType.INT64))
        schema.add_field("unit", DataType.INT64)
        schema.add_field("gen", DataType.INT64)
        schema.add_field("kind", DataType.INT8)
        schema.add_field("seq", DataType.INT32)
        schema.add_field("dl", DataType.INT32)
        schema.add_field("avgdl", DataType.DOUBLE)
        schema.add_field("embed_hash", DataType.VARCHAR, max_length=64)
        schema.add_field("chunk_id", DataType.VARCHAR, max_length=1024)
        schema.add_field("article", DataType.VARCHAR, max_length=256)
        schema.add_field("record", DataType.VARCHAR, max_length=MAX_VARCHAR)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        index = self.client.prepare_index_params()
        index.add_index("dense", index_type="FLAT", metric_type="IP")
        index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
        self.client.create_collection(
            name, schema=schema, index_params=index, consistency_level="Strong"
        )
        self.load(name)

    def drop(self, name: str) -> None:
        if self.exists(name):
            self.client.drop_collection(name)
        self._loaded.discard(name)

    def _schema(self, *, pk: tuple[str, Any]):
        schema = self.client.create_schema(auto_id=False, enable_dynamic_field=False)
        name, kind = pk
        extra = {"max_length": 512} if name == "key" else {}
        schema.add_field(name, kind, is_primary=True, **extra)
        return schema

    def _create(self, name: str, schema) -> None:
        from pymilvus import DataType

        schema.add_field("pad", DataType.FLOAT_VECTOR, dim=2)
        index = self.client.prepare_index_params()
        index.add_index("pad", index_type="FLAT", metric_type="L2")
        self.client.create_collection(
            name, schema=schema, index_params=index, consistency_level="Strong"
        )
        self.load(name)

    # -- rows ----------------------------------------------------------------------------
    def query(self, name: str, expr: str, fields: list[str]) -> list[dict[str, Any]]:
        """Every row matching ``expr`` (iterating past Milvus's 16384-row limit)."""
        self.load(name)
        rows = self.client.query(name, filter=expr, output_fields=fields, limit=_WINDOW)
        if len(rows) < _WINDOW:
            return list(rows)
        it = self.client.query_iterator(name, batch_size=2000, filter=expr, output_fields=fields)
        out: list[dict[str, Any]] = []
        try:
            while batch := it.next():
                out.extend(batch)
        finally:
            it.close()
        return out

    def query_in(
        self, name: str, field: str, values: Sequence[Any], fields: list[str], where: str = ""
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for part in batched(list(values)):
            expr = in_list(field, part) + (f" and ({where})" if where else "")
            out.extend(self.query(name, expr, fields))
        return out

    def insert(self, name: str, rows: list[dict[str, Any]], batch: int = 500) -> None:
        for part in batched(rows, batch):
            self.client.insert(name, list(part))

    def upsert(self, name: str, rows: list[dict[str, Any]], batch: int = 500) -> None:
        for part in batched(rows, batch):
            self.client.upsert(name, list(part))

    def delete(self, name: str, expr: str) -> None:
        self.load(name)
        self.client.delete(name, filter=expr)

    # -- small files ---------------------------------------------------------------------
    def put_file(self, name: str, gen: int, data: bytes) -> None:
        text = base64.b64encode(data).decode("ascii")
        parts = [text[i : i + _PART] for i in range(0, len(text), _PART)] or [""]
        rows = [
            {"key": f"{name}#{i}", "name": name, "part": i, "gen": gen, "data": p, "pad": _PAD}
            for i, p in enumerate(parts)
        ]
        self.delete(self.meta, f"name == {literal(name)}")  # a leftover of a failed run
        self.insert(self.meta, rows, batch=50)

    def get_file(self, name: str) -> bytes | None:
        rows = self.query(self.meta, f"name == {literal(name)}", ["part", "data"])
        if not rows:
            return None
        rows.sort(key=lambda r: r["part"])
        if [r["part"] for r in rows] != list(range(len(rows))):
            return None
        return base64.b64decode("".join(r["data"] for r in rows))

    def put_json(self, name: str, gen: int, data: Any) -> None:
        self.put_file(name, gen, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def get_json(self, name: str) -> Any:
        data = self.get_file(name)
        return None if data is None else json.loads(data.decode("utf-8"))

    # -- the live generation -------------------------------------------------------------
    def current(self) -> int | None:
        """The published generation (the highest ``current`` row), or None."""
        if not self.exists(self.meta):
            return None
        self.load(self.meta)
        rows = self.client.query(self.meta, filter='name == "current"', output_fields=["gen"])
        return max((int(r["gen"]) for r in rows), default=None)

    def publish(self, gen: int) -> None:
        """Make ``gen`` live: one row, written in one call."""
        row = {"key": f"current#{gen}", "name": "current", "part": 0, "gen": gen}
        self.client.insert(self.meta, [dict(row, data="", pad=_PAD)])

    def term_rows(self, terms: str, tokens: Iterable[int]) -> dict[int, dict[str, Any]]:
        """The terms rows of these token ids (absent: no passage ever held the token)."""
        tokens = sorted(set(tokens))
        out: dict[int, dict[str, Any]] = {}
        self.load(terms)
        for part in batched(tokens):
            for r in self.client.get(terms, ids=list(part), output_fields=_TERM_FIELDS):
                out[int(r["token"])] = r
        return out

    def document_frequencies(self, terms: str, tokens: Iterable[int], gen: int) -> dict[int, int]:
        """Each token id's document frequency as readers of generation ``gen`` see it."""
        return {t: df_at(r, gen) for t, r in self.term_rows(terms, tokens).items()}


_TERM_FIELDS = ["token", "gen", "df", "prev_gen", "prev_df"]


def df_at(row: dict[str, Any], gen: int) -> int:
    """A token's df at ``gen`` from its row (the latest value, and the one before it)."""
    if int(row["gen"]) <= gen:
        return int(row["df"])
    return int(row["prev_df"]) if int(row["prev_gen"]) <= gen else 0
