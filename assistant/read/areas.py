"""Finding local areas in a question: the areas in the index with their everyday names, and the
gazetteer's other authorities, so a question about an area the index does not hold is recognised
and reported rather than answered from other areas (FINDINGS.md: the area-name magnet)."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from typing import NamedTuple

from assistant.gazetteer import WORD_LIKE_NAMES, authorities, everyday_names, name_key, name_pattern
from assistant.lexical import stems

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
MIN_FUZZY = 6  # shorter names are matched exactly only ("Leds" could be many things)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (an adjacent swap counts one), or ``limit + 1`` once it
    must exceed ``limit``.

    >>> edit_distance("stokton", "stockton", 2), edit_distance("sheffeild", "sheffield", 2)
    (1, 1)
    >>> edit_distance("barnet", "bradford", 2)
    3
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    older: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = int(a[i - 1] != b[j - 1])
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], older[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        older, previous = previous, current
    return min(previous[-1], limit + 1)


def allowed_edits(name: str) -> int:
    """How many slips a name of this length may carry and still be read as it: one in a short
    name, two in a long one."""
    return 1 if len(name) < 9 else 2


def _as_a_name(text: str, match: re.Match[str]) -> bool:
    """A name that is also a word ("Reading", "Bury") names the place when written with a
    capital, or in a question typed all in lower case: "support for reading" names no area.
    Other names count however they are typed ("what did hartlepool's SEND inspection find").

    >>> text = "Is support for reading good in Hartlepool?"
    >>> _as_a_name(text, re.search("reading", text)), _as_a_name(text.lower(), re.search("hartlepool", text.lower()))
    (False, True)
    """
    written = match.group(0)
    if text.islower() or written[:1].isupper():
        return True
    return name_key(written) not in WORD_LIKE_NAMES


class AreaReading(NamedTuple):
    areas: list[str]  # areas in the index the question names
    unknown: list[str]  # areas it names that the index does not hold
    rest: str  # the question with every area name taken out
    misspelt: list[tuple[str, str]]  # (as written, area): slips read as the area
    near: list[tuple[str, str]]  # (as written, area): a place-like word a little too far


class AreaMatcher:
    """Finds area names in a question: those in the index, and known ones that are not; a
    misspelt name ("Stokton", "Sheffeild") is read as the area it is one or two slips from,
    unless the word is one the letters use (``vocabulary``: word stems of the index)."""

    def __init__(self, indexed_areas: Iterable[str], vocabulary: Container[str] = ()) -> None:
        self.vocabulary = vocabulary
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
        reading = self.read(text)
        return reading.areas, reading.unknown, reading.rest

    def read(self, text: str) -> AreaReading:
        """As ``find``, with misspelt names read as areas, and words a slip further from an
        area's name kept as suggestions ("did you mean ...?")."""
        found: list[str] = []
        missing: list[str] = []
        for _name, area, indexed, pattern in self.entries:
            matches = [m for m in pattern.finditer(text) if _as_a_name(text, m)]
            if matches:
                (found if indexed else missing).append(area)
                for m in reversed(matches):
                    text = text[: m.start()] + " " + text[m.end() :]
        readings, near = self._misspelt(text)
        for written, area, indexed in readings:
            (found if indexed else missing).append(area)
            text = re.sub(r"(?<![\w-])" + re.escape(written) + r"(?![\w-])", " ", text)
        unique = list(dict.fromkeys(found))
        return AreaReading(
            unique,
            [m for m in dict.fromkeys(missing) if m not in unique],
            re.sub(r"\s+", " ", text).strip(),
            [(written, area) for written, area, _ in readings],
            near,
        )

    def _misspelt(self, text: str) -> tuple[list[tuple[str, str, bool]], list[tuple[str, str]]]:
        """Runs of one to three words that are a slip or two from an area's name (the first
        letter right, as people mistype the middle of a name), longest runs first; and single
        words one slip further from an indexed area's name, to suggest."""
        words = [m.group(0) for m in _WORD.finditer(text)]
        out: list[tuple[str, str, bool]] = []
        near: list[tuple[str, str]] = []
        used: set[int] = set()
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                span = set(range(start, start + size))
                if span & used:
                    continue
                written = re.sub(r"['’]s?$", "", " ".join(words[start : start + size]))
                if not (text.islower() or written[:1].isupper()):
                    continue
                key = name_key(written)
                if len(key) < MIN_FUZZY or (size == 1 and self._a_word(written)):
                    continue
                match = self._nearest(key)
                if match is not None:
                    out.append((written, *match))
                    used |= span
                elif size == 1 and (close := self._nearest(key, slack=1)) and close[1]:
                    near.append((written, close[0]))
        return out, near

    def _a_word(self, word: str) -> bool:
        """A word the letters use ("leading", "services"): never read as a misspelt place."""
        found = stems(word)
        return bool(found) and all(s in self.vocabulary for s in found)

    def _nearest(self, key: str, slack: int = 0) -> tuple[str, bool] | None:
        """The area whose name is fewest slips from ``key`` (an indexed one on a tie)."""
        ranked = []
        for name, area, indexed, _ in self.entries:
            target = name_key(name)
            if len(target) < MIN_FUZZY or target[0] != key[0] or target == key:
                continue
            limit = allowed_edits(target) + slack
            distance = edit_distance(key, target, limit)
            if distance <= limit:
                ranked.append((distance, not indexed, area))
        if not ranked:
            return None
        _, unindexed, area = min(ranked)
        return area, not unindexed
