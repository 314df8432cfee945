"""Errors a user can act on: each names the file or field and the reason."""

from __future__ import annotations


class AssistantError(Exception):
    """Base for errors shown to the user as one clear line."""


class ConfigError(AssistantError):
    """A setting is missing or out of range."""


class DocumentError(AssistantError):
    """A file could not be read as an inspection document."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[DocumentError], tuple[str, str]]:
        # Rebuilt from (path, reason) when it crosses the process pool: the default pickling
        # passes the one formatted message and the pool breaks on unpickling it.
        return (DocumentError, (self.path, self.reason))


class IndexMismatchError(AssistantError):
    """The index was built with another embedding model, or is missing."""


class IndexUnavailableError(AssistantError):
    """The index's Chroma server cannot be reached (stopped, restarting, or the network is
    down): the question could not be searched. Asking again once it is back works."""


class IndexBusyError(AssistantError):
    """Another ingest holds the index's write lock (and this one would not wait longer)."""


class IndexWriteError(AssistantError):
    """The index could not be written (a full disk, a server gone); nothing was changed."""


class QuestionError(AssistantError):
    """A question that cannot be asked: empty, or over the length limit."""


class RequestError(AssistantError):
    """A request (from the page's API, the plain API or the command line) with a field out of
    bounds: ``field`` names it, ``reason`` says what is wrong."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

    def __reduce__(self) -> tuple[type[RequestError], tuple[str, str]]:
        return (RequestError, (self.field, self.reason))
