"""Rendering: escaping, highlighting, clickable markers, export."""

from dataclasses import replace

from assistant.answer.base import NEAREST, NO_NEAR, NOT_FOUND
from assistant.records import Answer, Citation, DocumentMeta, Passage, ScoredPassage
from assistant.ui.render import (
    answer_html,
    citation_text,
    highlight,
    markdown_export,
    sources_html,
    turns_sources_html,
)

DOC = DocumentMeta(
    "jtai-x-2020-01", "JTAI <b>X</b>", "Exampleshire", "JTAI", "x.pdf", "0" * 64, 3, "2020-01-15"
)
EVIL = 'Staff said <script>alert("x")</script> and "quotes" & more. Dentists spot neglect.'
PASSAGE = Passage("p1", DOC.doc_id, 0, EVIL, "Key <i>strengths</i>", "strength", 4, 4, 0, 10)


def answer(abstained: bool = False) -> Answer:
    citations = (
        ()
        if abstained
        else (
            Citation(1, "p1", DOC.doc_id, DOC.title, 4, PASSAGE.section, "Dentists spot neglect."),
        )
    )
    text = "Not found." if abstained else "Dentists spot neglect. [1]"
    return Answer(
        "q <img src=x onerror=alert(1)>",
        text,
        abstained,
        citations,
        (ScoredPassage(PASSAGE, DOC, 1.0, 1),),
    )


def test_letter_text_is_escaped_and_the_sentence_marked() -> None:
    out = sources_html(answer(), {DOC.doc_id: "/corpus/x.pdf"})
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<b>X</b>" not in out and "<i>strengths</i>" not in out
    assert "<mark>Dentists spot neglect.</mark>" in out
    assert 'id="source-1-1"' in out and "page 4" in out and "#page=4" in out
    assert "15 January 2020" in out


def test_markers_link_to_their_own_turns_cards_and_preview_the_quote() -> None:
    out = answer_html(answer(), "area: Exampleshire", turn=3)
    assert 'href="#source-3-1" title="Dentists spot neglect.">[1]</a>' in out
    assert '<a class="cite" style="color:' in out
    assert 'class="answer turn-3"' in out and "Searched with area: Exampleshire" in out


def test_every_turn_keeps_its_own_sources_and_the_last_is_shown() -> None:
    out = turns_sources_html([answer(), answer()], {})
    first, second = out.split("</section>")[:2]
    assert 'data-turn="1" hidden' in first and 'id="source-1-1"' in first
    assert 'data-turn="2">' in second and 'id="source-2-1"' in second


def test_a_decline_says_the_same_as_the_chat_with_its_passages_or_none() -> None:
    out = sources_html(answer(abstained=True), {})
    assert f"{NOT_FOUND} {NEAREST}" in out and "Exampleshire" in out and "<mark>" not in out
    bare = replace(answer(abstained=True), passages=())
    assert f"{NOT_FOUND} {NO_NEAR}" in sources_html(bare, {})
    assert f"> {NO_NEAR}" in markdown_export([bare])


def test_highlight_without_a_match_is_plain_escaped_text() -> None:
    assert highlight("a < b", "missing") == "a &lt; b"


def test_markdown_export_lists_sources_with_every_quote() -> None:
    md = markdown_export([answer(), answer(abstained=True)])
    assert "## q <img" in md and "- [1] JTAI <b>X</b> (jtai-x-2020-01), page 4" in md
    assert "  > \u201cDentists spot neglect.\u201d" in md
    assert "\n\n### Sources\n\n- [1]" in md and "### Nearest passages\n\n- JTAI" in md
    assert "\n\n\n" not in md


def test_upload_names_never_take_an_existing_id() -> None:
    from assistant.library.uploads import upload_name

    assert upload_name("report (3).pdf", {"jtai-x"}) == "report (3).pdf"
    assert upload_name("jtai-x.PDF", {"jtai-x"}) == "jtai-x-upload-2.pdf"
    assert upload_name("jtai-x.txt", {"jtai-x", "jtai-x-upload-2"}) == "jtai-x-upload-3.txt"


def test_users_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from assistant.errors import ConfigError
    from assistant.ui.inputs import read_users

    good = tmp_path / "users"
    good.write_text("# team\n\nsam: pass:word\nali:x\n", encoding="utf-8")
    assert read_users(good) == [("sam", " pass:word"), ("ali", "x")]
    bad = tmp_path / "bad"
    bad.write_text("sam:secret\nnobody\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad:2: expected user:password") as info:
        read_users(bad)
    assert "secret" not in str(info.value)
    with pytest.raises(ConfigError, match="cannot read the users file"):
        read_users(tmp_path / "missing")


def test_copy_with_citations_gives_the_text_and_a_reference_list() -> None:
    text = citation_text(answer())
    assert text.startswith("Dentists spot neglect. [1]")
    assert "Sources:\n[1] JTAI <b>X</b> (Exampleshire, JTAI, 15 January 2020), page 4" in text
    out = answer_html(answer())
    assert 'class="copy-cite"' in out and "&lt;b&gt;X&lt;/b&gt;" in out  # escaped in the page
    assert "copy-cite" not in answer_html(answer(abstained=True))
