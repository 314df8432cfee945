"""What the page takes in: filters from its controls, the users file for sign-in. Pure
functions, tested without a browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.errors import ConfigError
from assistant.retrieve.filters import Filters


def filters_from(
    areas: list[str] | None,
    types: list[str] | None,
    year_from: Any,
    year_to: Any,
    polarity: str,
    letters: list[str] | None = None,
) -> Filters:
    since = f"{int(year_from)}-01-01" if str(year_from or "").isdigit() else None
    until = f"{int(year_to)}-12-31" if str(year_to or "").isdigit() else None
    wanted = {"Strengths": "strength", "Areas for improvement": "improvement"}.get(
        polarity or "Any"
    )
    return Filters(
        areas=tuple(areas or ()),
        types=tuple(types or ()),
        since=since,
        until=until,
        polarity=wanted,
        doc_ids=tuple(letters or ()),
    )


def read_users(path: Path) -> list[tuple[str, str]]:
    """Sign-in accounts for the page: one ``user:password`` a line (# comments, blank lines
    skipped). A bad line is named by its number; the passwords never appear in the message."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the users file ({exc.strerror})") from exc
    users = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user.strip() or not password:
            raise ConfigError(f"{path}:{number}: expected user:password")
        users.append((user.strip(), password))
    if not users:
        raise ConfigError(f"{path}: no user:password lines")
    return users
