"""Building answers out of quoted sentences: numbering citations, and joining the answers to
the parts of a question into one.

Every sentence an answer states is a document's own words with its [n]; bold labels
("**When the inspection took place:**") only say which question a line answers.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.answer.base import NEAREST, Draft, Reply
from assistant.index.catalog import Catalog
from assistant.records import Citation, DocumentMeta, ScoredPassage


class Citer:
    """Numbers the passages an answer quotes, in first-quoted order, and makes its citations.

    >>> from assistant.records import DocumentMeta, Passage
    >>> doc = DocumentMeta("d", "Letter", "Area", "JTAI", "d.pdf", "0", 3)
    >>> text = "Inspection dates: 9 to 20 September 2019. Inspectors met children."
    >>> sp = ScoredPassage(Passage("d#1", "d", 0, text, "Intro", "neutral", 1, 1, 0, 66), doc, 1.0)
    >>> citer = Citer()
    >>> citer.cite(sp, "Inspection dates: 9 to 20 September 2019"), citer.cite(sp, "Inspectors met children.")
    (1, 1)
    >>> citer.citations()[0].sentences
    ('Inspection dates: 9 to 20 September 2019', 'Inspectors met children.')
    """

    def __init__(self) -> None:
        self.passages: list[ScoredPassage] = []
        self.quoted: dict[str, list[str]] = {}

    def cite(self, sp: ScoredPassage, sentence: str) -> int:
        if sp.passage.id not in self.quoted:
            self.passages.append(sp)
            self.quoted[sp.passage.id] = []
        if sentence not in self.quoted[sp.passage.id]:
            self.quoted[sp.passage.id].append(sentence)
        return [p.passage.id for p in self.passages].index(sp.passage.id) + 1

    def citations(self, page_of: dict[tuple[str, str], int] | None = None) -> tuple[Citation, ...]:
        out = []
        for n, sp in enumerate(self.passages, start=1):
            sentences = self.quoted[sp.passage.id]
            page = (page_of or {}).get((sp.passage.id, sentences[0]), sp.passage.page_start)
            out.append(
                Citation(
                    n=n,
                    passage_id=sp.passage.id,
                    doc=sp.passage.doc_id,
                    title=sp.doc.title,
                    page=page,
                    section=sp.passage.section,
                    sentence=sentences[0],
                    sentences=tuple(sentences),
                )
            )
        return tuple(out)


def stop(sentence: str) -> str:
    """A quoted sentence, ended so the answer reads (and parses) as separate sentences."""
    sentence = sentence.strip()
    return sentence if sentence[-1:] in ".!?" else sentence + "."


def fact_passage(catalog: Catalog, doc: DocumentMeta, quote: str) -> ScoredPassage | None:
    """The passage of ``doc`` that states a fact's quote, ready to cite."""
    passage = catalog.passage_holding(doc.doc_id, quote)
    return ScoredPassage(passage, doc, 1.0) if passage is not None else None


def doc_label(doc: DocumentMeta) -> str:
    """'Stockton-on-Tees, JTAI, November 2017' (the inspection's own month where known)."""
    when = doc.date or ""
    month = f"{calendar.month_name[int(when[5:7])]} {when[:4]}" if when else ""
    return ", ".join(x for x in (doc.area, doc.inspection_type, month) if x)


def when(doc: DocumentMeta) -> str:
    """The date an inspection is placed by: its visit, else its letter's."""
    return doc.date or doc.letter_date or ""


def order_word(oldest_first: bool) -> str:
    return "oldest first" if oldest_first else "newest first"


_MARK = re.compile(r"\[(\d+)\]")


def renumbered(text: str, numbers: dict[int, int]) -> str:
    """The text with each [n] marker changed to [numbers[n]]."""
    return _MARK.sub(lambda m: f"[{numbers.get(int(m.group(1)), 0)}]", text)


def merge(parts: Sequence[tuple[str, Reply]]) -> Reply:
    """One reply from the replies to each part of a question: every part answered, or named as
    not found, under its own question; citations renumbered across parts."""
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    passages: dict[str, ScoredPassage] = {}
    texts: list[str] = []
    notes: list[str] = []
    for question, reply in parts:
        if reply.draft.abstained:
            texts.append(f"**{question}** {reply.draft.text.replace(NEAREST, '').strip()}")
        else:
            renumber: dict[int, int] = {}
            for c in reply.draft.citations:
                if c.passage_id not in numbers:
                    numbers[c.passage_id] = len(numbers) + 1
                    citations.append(replace(c, n=numbers[c.passage_id]))
                renumber[c.n] = numbers[c.passage_id]
            text = renumbered(reply.draft.text, renumber)
            texts.append(f"**{question}** {text}")
        for sp in reply.passages:
            passages.setdefault(sp.passage.id, sp)
        notes.extend(n for n in reply.notes if n not in notes)
    abstained = all(r.draft.abstained for _, r in parts)
    if abstained:
        texts.append(NEAREST)
    ranked = tuple(replace(sp, rank=r) for r, sp in enumerate(passages.values(), start=1))
    return Reply(Draft("\n\n".join(texts), tuple(citations), abstained), ranked, tuple(notes))
