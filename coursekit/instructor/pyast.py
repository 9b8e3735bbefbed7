"""``ast.parse`` that grading threads can share.

CPython 3.11 keeps the AST constructor's recursion counter in per-interpreter state, not per thread.
Two threads turning source into trees at once (``coursekit grade --jobs 2`` scans two submissions in
parallel) can interleave on it, and ``ast.parse`` then fails with ``SystemError: AST constructor
recursion depth mismatch`` (cpython gh-106905) on perfectly valid code: the grader took an honest
solution for a malformed notebook and scored it 0. Every parse of the grading process goes through this
lock; a mismatch caused by some other thread's parse is retried once.
"""

from __future__ import annotations

import ast
import threading

_LOCK = threading.Lock()
_MISMATCH = "recursion depth mismatch"


def parse(source: str, mode: str = "exec") -> ast.AST:
    """``ast.parse(source, mode=mode)``, one thread at a time; raises what ``ast.parse`` raises."""
    with _LOCK:
        try:
            return ast.parse(source, mode=mode)
        except SystemError as exc:
            if _MISMATCH not in str(exc):
                raise
            return ast.parse(source, mode=mode)


def literal_eval(text: str):
    """``ast.literal_eval`` of ``text`` through :func:`parse`."""
    return ast.literal_eval(parse(text, mode="eval"))
