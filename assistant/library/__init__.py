"""The letters in the index, as a service: :class:`Library`."""

from assistant.library.service import Library

__all__ = ["Library"]
