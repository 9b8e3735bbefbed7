"""coursekit.instructor.pyast: the grader's ``ast.parse``, safe to call from grading threads."""

from __future__ import annotations

import ast
import threading
import time

import pytest

from coursekit.instructor import pyast


def test_parse_and_literal_eval_behave_like_ast():
    assert ast.dump(pyast.parse("x = f(1)\n")) == ast.dump(ast.parse("x = f(1)\n"))
    assert pyast.literal_eval("{'a': [1, 2.5, None]}") == {"a": [1, 2.5, None]}
    with pytest.raises(SyntaxError):
        pyast.parse("def (")


def test_two_threads_never_build_a_tree_at_once(monkeypatch):
    inside, overlaps = [0], []
    real = ast.parse

    def slow_parse(source, mode="exec"):
        inside[0] += 1
        overlaps.append(inside[0])
        time.sleep(0.01)  # a GIL switch in the middle, as CPython's GC can cause inside ast2obj
        inside[0] -= 1
        return real(source, mode=mode)

    monkeypatch.setattr(pyast.ast, "parse", slow_parse)
    threads = [threading.Thread(target=lambda: [pyast.parse("y = 1") for _ in range(5)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(overlaps) == 20 and max(overlaps) == 1


def test_a_spurious_depth_mismatch_is_retried_once_and_other_system_errors_are_not(monkeypatch):
    real, calls = ast.parse, []

    def flaky(source, mode="exec"):
        calls.append(source)
        if len(calls) == 1:
            raise SystemError("AST constructor recursion depth mismatch (before=36, after=30)")
        return real(source, mode=mode)

    monkeypatch.setattr(pyast.ast, "parse", flaky)
    assert isinstance(pyast.parse("z = 2"), ast.Module) and len(calls) == 2

    def broken(source, mode="exec"):
        raise SystemError("some other interpreter failure")

    monkeypatch.setattr(pyast.ast, "parse", broken)
    with pytest.raises(SystemError, match="other interpreter failure"):
        pyast.parse("z = 2")
