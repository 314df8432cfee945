"""Finding local areas in a question: the areas in the index with their everyday names, and the
gazetteer's other authorities, so a question about an area the index does not hold is recognised
and reported rather than answered from other areas (FINDINGS.md: the area-name magnet)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.gazetteer import authorities, everyday_names, name_key, name_pattern


def _as_a_name(text: str, match: re.Match[str]) -> bool:
    """A place name is written with a capital ("Reading", "Bury"); in a question typed all in
    lower case, any match counts. So "support for reading" names no area."""
    if text.islower():
        return True
    return match.group(0)[:1].isupper()


class AreaMatcher:
    """Finds area names in a question: those in the index, and known ones that are not."""

    def __init__(self, indexed_areas: Iterable[str]) -> None:
        self.indexed = sorted(set(indexed_areas))
        entries: list[tuple[str, str, bool]] = []  # (name, canonical area, indexed)
        for area in self.indexed:
            entries.extend((name, area, True) for name in everyday_names(area))
        taken = {name_key(name) for name, _, _ in entries}
        for area in authorities():
            for name in everyday_names(area):
                if name_key(name) not in taken:
                    entries.append((name, area, False))
                    taken.add(name_key(name))
        # Longest names first, so "Central Bedfordshire" wins over "Bedford".
        entries.sort(key=lambda e: -len(e[0]))
        self.entries = [
            (name, area, indexed, name_pattern(name)) for name, area, indexed in entries
        ]

    def find(self, text: str) -> tuple[list[str], list[str], str]:
        """(areas in the index, areas not in it, the text with every area name removed)."""
        found: list[str] = []
        missing: list[str] = []
        for _name, area, indexed, pattern in self.entries:
            matches = [m for m in pattern.finditer(text) if _as_a_name(text, m)]
            if matches:
                (found if indexed else missing).append(area)
                for m in reversed(matches):
                    text = text[: m.start()] + " " + text[m.end() :]
        unique = list(dict.fromkeys(found))
        return (
            unique,
            [m for m in dict.fromkeys(missing) if m not in unique],
            re.sub(r"\s+", " ", text).strip(),
        )
