"""Make a graded notebook safe to open in the instructor's browser (Formgrader) and in feedback.

Everything a student's code displays is untrusted: ``text/html`` may carry ``<script>``, ``on*``
attributes or ``javascript:`` links, ``text/markdown`` may embed raw HTML, SVG may hold scripts and
``application/javascript`` runs as it is. :func:`sanitise_notebook` cleans the outputs of every code
cell and the source of every markdown cell the student wrote (answers and cells kept for review):

* HTML and the HTML inside Markdown go through ``bleach`` with an allowlist of inert tags and
  attributes (tables, text formatting, lists, images from ``data:`` URLs); everything else is escaped;
* SVG is kept only when it contains nothing active (no script, event handler, link or foreign object);
* every other active type (JavaScript, widgets, ...) is replaced by a plain-text note.

Pictures (``image/png``, ``image/jpeg``), plain text, LaTeX and JSON are inert and kept as they are.
"""

from __future__ import annotations

import re

import bleach
from bleach.css_sanitizer import CSSSanitizer

from .integrity import is_review_cell

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre",
    "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul", "var",
}  # fmt: skip
ATTRIBUTES = {
    "*": ["class", "title", "style", "align"],
    "a": ["href"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
}
PROTOCOLS = {"http", "https", "data"}
INERT = {"text/plain", "text/latex", "image/png", "image/jpeg", "image/gif", "application/json"}
ACTIVE_SVG = re.compile(r"<\s*script|\bon[a-z]+\s*=|javascript:|<\s*foreignObject|href\s*=|<\s*iframe", re.I)
REMOVED = "[{mime} output removed by the grader: active content is not shown]"

_CLEANER = bleach.Cleaner(
    tags=TAGS, attributes=ATTRIBUTES, protocols=PROTOCOLS, strip=False, strip_comments=True,
    css_sanitizer=CSSSanitizer(),
)  # fmt: skip


def clean_html(text: str) -> str:
    """``text`` with every tag and attribute outside the allowlist escaped (scripts become inert text)."""
    return _CLEANER.clean(text)


def _text(value) -> str:
    return value if isinstance(value, str) else "".join(map(str, value))


def sanitise_output(output) -> None:
    """Clean one output (display_data / execute_result / stream / error) in place."""
    data = output.get("data")
    if not isinstance(data, dict):
        return
    for mime in list(data):
        value = data[mime]
        if mime in INERT:
            continue
        if mime in ("text/html", "text/markdown"):
            data[mime] = clean_html(_text(value))
        elif mime == "image/svg+xml" and not ACTIVE_SVG.search(_text(value)):
            continue
        else:
            del data[mime]
            data.setdefault("text/plain", REMOVED.format(mime=mime))
    if not data:
        data["text/plain"] = REMOVED.format(mime="this")
    metadata = output.get("metadata")
    if isinstance(metadata, dict):  # e.g. {"isolated": false} or widget state: nothing a student may set
        output["metadata"] = {k: v for k, v in metadata.items() if k in INERT or k == "truncated"}


def sanitise_notebook(nb) -> None:
    """Clean, in place, every code cell's outputs and every student-written markdown cell of ``nb``."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                sanitise_output(output)
        elif cell.cell_type == "markdown" and _student_written(cell):
            cell.source = clean_html(_text(cell.source))
            cell.pop("attachments", None)


def _student_written(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("solution")) or is_review_cell(cell)
