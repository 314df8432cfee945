"""The page's Letters tab: the rows as a table, and the choice of letters said in words beside
the question box. Pure functions, tested without a browser."""

from __future__ import annotations

import html

from assistant.index.catalog import Catalog
from assistant.library.letters import LibraryRow, letter_name


def choice_note(catalog: Catalog, chosen: list[str] | None, shown: int = 4) -> str:
    """What the next questions are asked about, said beside the question box.

    >>> choice_note(Catalog.__new__(Catalog), [])
    ''
    """
    if not chosen:
        return ""
    names = [letter_name(catalog, d) for d in chosen[:shown]]
    more = f" and {len(chosen) - shown} more" if len(chosen) > shown else ""
    noun = "letter" if len(chosen) == 1 else "letters"
    return f"Asking only about {len(chosen)} {noun}: {', '.join(names)}{more}."


PER_PAGE = 25  # letters a page of the table shows; 500 letters are 20 pages


def pages_of(count: int, per_page: int = PER_PAGE) -> int:
    """How many pages ``count`` letters fill (at least one, to say "No letter matches" on)."""
    return max(1, -(-count // per_page))


def toggle(chosen: list[str], doc_ids: list[str], on: bool) -> list[str]:
    """The choice after ticking (``on``) or unticking letters, in the order they were ticked.

    >>> toggle(["a"], ["b", "a"], True), toggle(["a", "b"], ["a"], False)
    (['a', 'b'], ['b'])
    """
    if on:
        return [*chosen, *(d for d in dict.fromkeys(doc_ids) if d not in chosen)]
    return [d for d in chosen if d not in doc_ids]


def letters_table(
    rows: list[LibraryRow], chosen: list[str], page: int = 0, per_page: int = PER_PAGE
) -> str:
    """One page of the Letters table: a tick box a row (ticked when chosen), one in the head
    for the whole page, and Previous/Next. The page's script (``LETTERS_SCRIPT``) reports each
    tick and move to the server."""
    if not rows:
        return '<div class="notice">No letter matches.</div>'
    pages = pages_of(len(rows), per_page)
    page = min(max(page, 0), pages - 1)
    shown = rows[page * per_page : (page + 1) * per_page]
    picked = set(chosen)
    every = all(r.doc_id in picked for r in shown)
    head = (
        '<tr><th scope="col"><input type="checkbox" class="pick-page" '
        f'aria-label="Ask only about every letter on this page"{" checked" if every else ""}>'
        '</th><th scope="col">Area</th><th scope="col">Type</th>'
        '<th scope="col">Inspected</th><th scope="col">Published</th><th scope="col">Pages</th>'
        '<th scope="col">Passages</th><th scope="col">From</th><th scope="col">Id</th></tr>'
    )
    body = "".join(_row(r, r.doc_id in picked) for r in shown)
    first, last = page * per_page + 1, page * per_page + len(shown)
    where = f"Letters {first} to {last} of {len(rows)}" + (
        f", page {page + 1} of {pages}" if pages > 1 else ""
    )
    ticked = f" \u00b7 {len(chosen)} ticked" if chosen else ""
    pager = (
        '<nav class="pager" aria-label="Pages of letters">'
        f"{_page_button('Previous', page - 1, page == 0)}"
        f'<span class="where" aria-live="polite">{where}{ticked}</span>'
        f"{_page_button('Next', page + 1, page >= pages - 1)}</nav>"
    )
    return (
        f'<div class="letters" data-page="{page}">{pager}<div class="table-wrap">'
        f'<table class="library"><thead>{head}</thead><tbody>{body}</tbody></table></div></div>'
    )


def _row(r: LibraryRow, ticked: bool) -> str:
    name = " ".join(x for x in (r.area, r.inspection_type, (r.visited or r.published)[:4]) if x)
    box = (
        f'<input type="checkbox" class="pick" data-doc="{html.escape(r.doc_id)}" '
        f'aria-label="Ask only about {html.escape(name)}"{" checked" if ticked else ""}>'
    )
    cells = (
        r.area,
        r.inspection_type,
        r.visited,
        r.published,
        r.pages,
        r.passages,
        "uploaded" if r.uploaded else "shipped",
        r.doc_id,
    )
    tds = "".join(f"<td>{html.escape(str(x))}</td>" for x in cells)
    mark = ' class="ticked"' if ticked else ""
    return f"<tr{mark}><td>{box}</td>{tds}</tr>"


def _page_button(label: str, page: int, disabled: bool) -> str:
    off = " disabled" if disabled else ""
    return f'<button type="button" class="page" data-page="{page}"{off}>{label}</button>'


# Reports a tick (one letter, or the whole page) or a move to another page to the server, as
# the table's "pick" event; the table is redrawn from the answer. A redraw keeps the elements it
# can, so each box is then set to what the new table says (a tick the user made stays otherwise).
LETTERS_SCRIPT = """
watch('value', () => {
  element.querySelectorAll('input.pick, input.pick-page').forEach((box) => {
    box.checked = box.hasAttribute('checked');
  });
});
element.addEventListener('change', (e) => {
  const box = e.target;
  if (!box.matches || !box.matches('input.pick, input.pick-page')) return;
  const table = box.closest('.letters');
  const docs = box.classList.contains('pick-page')
    ? [...table.querySelectorAll('input.pick')].map((b) => b.dataset.doc)
    : [box.dataset.doc];
  trigger('pick', {docs: docs, on: box.checked, page: Number(table.dataset.page)});
});
element.addEventListener('click', (e) => {
  const button = e.target.closest && e.target.closest('button.page');
  if (button && !button.disabled) {
    trigger('pick', {docs: [], on: false, page: Number(button.dataset.page)});
  }
});
"""
