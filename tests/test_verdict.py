"""Verdicts outside the student's process: what the kernel records, how the grader re-checks it."""

from __future__ import annotations

import json

import numpy as np
import pytest

import coursekit.grading as grading
from coursekit.grading import assert_between, assert_close, assert_equal, assert_gradient, assert_raises, assert_shape
from coursekit.instructor.verdict import BadRecords, decode, judge


def record(test) -> str:
    """Run ``test`` (a function calling the checks) with the recorder on, as the guard does: JSON text."""
    recorder = grading._RECORDER
    recorder.items, recorder.on = [], True
    try:
        test()
    finally:
        recorder.on = False
    return json.dumps([item[:4] for item in recorder.items])


def reference_test(answer):
    x = np.linspace(-1.0, 1.0, 6).reshape(2, 3)
    out = answer(x)
    assert_shape(out, (2, 3), name="out")
    assert_close(out, np.maximum(x, 0.0), name="relu(x)")
    assert_equal(out > 0, x > 0, name="mask")
    assert_gradient(np.ones(3), lambda v: float(np.sum(v)), np.zeros(3), name="d sum")
    assert_between(float(out.max()), 0.5, 2.0, name="largest output")


RIGHT = lambda x: np.maximum(x, 0.0)  # noqa: E731


def test_records_of_the_same_correct_answer_pass_outside():
    reference = decode(record(lambda: reference_test(RIGHT)))
    assert [c.kind for c in reference] == ["shape", "close", "equal", "gradient", "between"]
    assert judge(record(lambda: reference_test(lambda x: np.where(x > 0, x, 0.0))), reference) is None


def test_a_wrong_value_fails_outside_with_the_message_the_student_would_see():
    reference = decode(record(lambda: reference_test(RIGHT)))
    wrong = json.loads(record(lambda: reference_test(RIGHT)))
    wrong[1][2][0] = grading._encode(np.full((2, 3), 0.5))  # the recorded answer of the close check
    message = judge(json.dumps(wrong), reference)
    assert message.startswith("relu(x) is not close to the expected value") and "Worst element" in message


def test_the_expected_value_and_tolerance_come_from_the_reference_run():
    """A kernel that rewrites the test's expected value (or its tolerance) to match a wrong answer gains nothing."""
    reference = decode(record(lambda: reference_test(RIGHT)))
    forged = json.loads(record(lambda: reference_test(RIGHT)))
    wrong = np.zeros((2, 3))
    forged[1][2] = [grading._encode(wrong), grading._encode(wrong)]  # actual and "expected" both wrong
    forged[1][3] = {"rtol": 1e9, "atol": 1e9}
    assert "is not close" in judge(json.dumps(forged), reference)
    forged = json.loads(record(lambda: reference_test(RIGHT)))
    forged[4][2] = [grading._encode(np.array(7.0))]
    forged[4][3] = {"low": 0.0, "high": 10.0}
    assert judge(json.dumps(forged), reference) == "largest output is 7, but it should be between 0.5 and 2."


def test_missing_extra_or_renamed_checks_fail():
    reference = decode(record(lambda: reference_test(RIGHT)))
    full = json.loads(record(lambda: reference_test(RIGHT)))
    assert "5 checks, but 4 were recorded" in judge(json.dumps(full[:4]), reference)
    assert "5 checks, but 6 were recorded" in judge(json.dumps(full + full[:1]), reference)
    full[0][1] = "something else"
    assert "expected a check of 'out'" in judge(json.dumps(full), reference)


@pytest.mark.parametrize(
    "text",
    [
        None,
        "not json",
        "{}",
        json.dumps([["close", "x", [], {}, "extra"]]),
        json.dumps([["exec", "x", [], {}]]),
        json.dumps([["close", "x", [["|O", [1], "AA=="], ["<f8", [1], "AAAAAAAA8D8="]], {}]]),  # object dtype
        json.dumps([["close", "x", [["<f8", [2], "AAAAAAAA8D8="], ["<f8", [1], "AAAAAAAA8D8="]], {}]]),  # too short
        json.dumps([["close", "x", [["<f8", [1], "not base64!"], ["<f8", [1], "AAAAAAAA8D8="]], {}]]),
        json.dumps([["close", "x", [["<f8", [-1], ""], ["<f8", [1], "AAAAAAAA8D8="]], {}]]),
    ],
)
def test_malformed_or_forged_records_are_refused_not_trusted(text):
    reference = decode(record(lambda: assert_close(1.0, 1.0, name="x")))
    message = judge(text, reference)
    assert message is not None and message.startswith("the grader could not read what this test checked")


def test_decode_rejects_what_grading_never_writes():
    with pytest.raises(BadRecords):
        decode(json.dumps([["close", "x", [["<c16", [1], "A" * 24]], {}]]))  # complex: not a real dtype


def test_checks_record_nothing_unless_the_grader_asks():
    grading._RECORDER.items = []
    assert_close(1.0, 1.0)
    assert grading._RECORDER.items == []


def test_only_checks_called_from_the_test_code_count():
    """A student's function that calls the helpers itself (to check its own work) adds no record: the guard
    keeps the checks whose caller's code comes from the test cell's parts."""
    from coursekit.instructor import guard

    student_cell = (
        "def self_checking(x):\n    out = np.maximum(x, 0.0)\n    assert_close(out, out, name='mine')\n    return out\n"
    )
    namespace = {"np": np, "assert_close": assert_close}
    exec(compile(student_cell, "/tmp/ipykernel_1/student_cell.py", "exec"), namespace)
    reference = decode(record(lambda: reference_test(RIGHT)))
    grading._RECORDER.items, grading._RECORDER.on = [], True
    guard._test_files.clear()
    guard._test_files.add(__file__)
    reference_test(namespace["self_checking"])
    kept = guard._records()
    assert grading._RECORDER.on is False
    assert len(decode(kept)) == 5 and judge(kept, reference) is None


def test_assert_between_reads_like_the_plain_assert_it_replaces():
    assert_between(0.3, -np.inf, 0.5, name="final loss")
    with pytest.raises(AssertionError, match=r"^final loss is 0.7, but it should be at most 0.5\.$"):
        assert_between(0.7, -np.inf, 0.5, name="final loss")
    with pytest.raises(AssertionError, match="at least 0.95"):
        assert_between(np.float64(0.9), 0.95, np.inf, name="test accuracy")
    with pytest.raises(AssertionError, match="should be a single number"):
        assert_between(np.zeros(2), 0, 1)
    with pytest.raises(AssertionError, match="NaN|nan"):
        assert_between(float("nan"), 0, 1)


def test_an_own_check_compares_with_the_students_expected_value_only_when_the_reference_says_so():
    """A seeded function called twice (`own=True`): a student whose draws differ from the instructor's but are
    reproducible passes; without the reference's `own`, a student's record cannot claim it."""

    def seeded_twice(draw):
        assert_close(draw(np.random.default_rng(7)), draw(np.random.default_rng(7)), name="same seed", own=True)

    instructor = lambda rng: rng.uniform(-1.0, 1.0, 5)  # noqa: E731
    student = lambda rng: 2.0 * rng.random(5) - 1.0  # noqa: E731 (the same distribution, other numbers)
    reference = decode(record(lambda: seeded_twice(instructor)))
    assert reference[0].params["own"] is True
    assert judge(record(lambda: seeded_twice(student)), reference) is None
    not_reproducible = json.loads(record(lambda: seeded_twice(student)))
    not_reproducible[0][2][1] = grading._encode(np.zeros(5))
    assert "same seed is not close" in judge(json.dumps(not_reproducible), reference)
    plain = decode(record(lambda: assert_close(np.ones(5), np.ones(5), name="same seed")))
    claimed = json.loads(record(lambda: seeded_twice(student)))  # the student's record says own=True
    assert "same seed is not close" in judge(json.dumps(claimed), plain)


def test_assert_raises_is_rechecked_outside_like_an_equal_check():
    def clip(beta):
        if beta <= 0:
            raise ValueError(f"beta must be positive, got {beta}")
        return beta

    def test(answer):
        assert_raises(ValueError, answer, -1.0, mentions=("beta",), name="clip(beta=-1)")

    reference = decode(record(lambda: test(clip)))
    assert [(c.kind, c.name) for c in reference] == [("equal", "clip(beta=-1)")]
    assert judge(record(lambda: test(clip)), reference) is None

    def silent(beta):
        return beta

    def kernel_run():  # the kernel's AssertionError is caught; the record still reaches the grader
        with pytest.raises(AssertionError):
            test(silent)

    assert "differs" in judge(record(kernel_run), reference)
