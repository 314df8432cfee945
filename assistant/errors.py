"""Errors a user can act on: each names the file or field and the reason."""


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


class IndexMismatchError(AssistantError):
    """The index was built with another embedding model, or is missing."""
