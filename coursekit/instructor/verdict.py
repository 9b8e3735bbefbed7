"""Verdicts decided outside the student's process.

While a test cell runs in the student's kernel, every check it calls (``assert_close``, ``assert_equal``,
``assert_shape``, ``assert_gradient``, ``assert_between``, ``assert_raises`` of ``coursekit.grading``) records what it
compared: the student's value, the test's expected value and the tolerances, as plain data (JSON, arrays
as dtype, shape and base64 bytes; no pickle). The instructor's solution notebook runs the same way once
per assignment in a clean kernel (``reference.py``): its records hold the expected values and tolerances
that the grader trusts.

A test cell passes only if it passed in the kernel *and* here, in the grader's process: the student's
records must be the reference's checks, in the same order and with the same names, and each student value
must pass the check against the **reference** run's expected value and tolerances, computed by the same
functions that the kernel uses (so the message is the one a student would have seen). What the student's
code did to the expected values, the tolerances or the comparison inside its own process therefore no
longer decides anything; to pass, the values that leave the sandbox must be right.

A check whose expected value the student's own code computes (the numerical gradient of the student's
forward pass, a second call of the student's seeded function) is written ``own=True`` in the test: for it,
and only when the *reference* run's record says so, the student's value is compared with the student's
recorded expected value (the comparison and the tolerances are still the reference's). Plain
``assert`` statements in a test cell are evaluated in the kernel only; a test's verdict on a number is
written with ``assert_between`` or ``assert_equal`` so that it is re-checked here.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

import numpy as np

from coursekit.grading import between_failure, close_failure, equal_failure, gradient_failure, shape_failure

KINDS = ("close", "equal", "shape", "gradient", "between")
MAX_RECORD_CHARS = 200_000_000  # a test cell's records (the largest of the course's is a few MB)


class BadRecords(ValueError):
    """Records that are not what ``coursekit.grading`` writes (malformed, or forged by the student)."""


@dataclass(frozen=True)
class Check:
    kind: str
    name: str
    arrays: tuple[np.ndarray, ...]
    params: dict


def decode_array(item) -> np.ndarray:
    """``(dtype, shape, base64)`` back to an array of a real numeric dtype, or ``BadRecords``."""
    if not (isinstance(item, list) and len(item) == 3):
        raise BadRecords("an array record is not [dtype, shape, data]")
    dtype_text, shape, data = item
    if not isinstance(dtype_text, str) or not isinstance(data, str) or not isinstance(shape, list):
        raise BadRecords("an array record has fields of the wrong types")
    try:
        dtype = np.dtype(dtype_text)
    except TypeError:
        raise BadRecords(f"unknown dtype {dtype_text!r}") from None
    if dtype.kind not in "biuf" or dtype.hasobject:
        raise BadRecords(f"dtype {dtype_text!r} is not a real numeric dtype")
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape):
        raise BadRecords("an array record has a bad shape")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise BadRecords("an array record's data is not base64") from None
    size = int(np.prod(shape, dtype=np.int64)) if shape else 1
    if len(raw) != size * dtype.itemsize:
        raise BadRecords("an array record's data does not fit its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(tuple(shape)).copy()


def decode(text: str | None) -> list[Check]:
    """The JSON that the kernel's guard returns, as checks; ``BadRecords`` if it is not well formed."""
    if not isinstance(text, str):
        raise BadRecords("no records came back from the kernel")
    if len(text) > MAX_RECORD_CHARS:
        raise BadRecords(f"the records are larger than {MAX_RECORD_CHARS} characters")
    try:
        items = json.loads(text)
    except (ValueError, RecursionError):
        raise BadRecords("the records are not JSON") from None
    if not isinstance(items, list):
        raise BadRecords("the records are not a list")
    checks = []
    for item in items:
        if not (isinstance(item, list) and len(item) == 4):
            raise BadRecords("a record is not [kind, name, arrays, params]")
        kind, name, arrays, params = item
        if kind not in KINDS or not isinstance(name, str) or not isinstance(arrays, list):
            raise BadRecords("a record has a bad kind, name or array list")
        if not isinstance(params, dict):
            raise BadRecords("a record's parameters are not a mapping")
        checks.append(Check(kind, name, tuple(decode_array(a) for a in arrays), params))
    return checks


def _number(params: dict, key: str) -> float:
    value = params.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRecords(f"the reference's {key!r} is not a number")
    return float(value)


def _shape(value) -> tuple:
    if not isinstance(value, list) or not all(v is None or (isinstance(v, int) and v >= 0) for v in value):
        raise BadRecords("a shape record is not a list of lengths")
    return tuple(value)


def judge_check(student: Check, reference: Check) -> str | None:
    """The student's check against the reference run's: None if it passes, else the message."""
    if (student.kind, student.name) != (reference.kind, reference.name):
        return (
            f"the test expected a check of {reference.name!r} here, but the recorded check was of "
            f"{student.name!r}: the test code did not run as written"
        )
    kind, params = reference.kind, reference.params
    if kind == "shape":
        return shape_failure(_shape(student.params.get("shape")), _shape(params.get("wanted")), reference.name)
    expected_count = {"close": 2, "equal": 2, "gradient": 2, "between": 1}[kind]
    if len(student.arrays) != expected_count or len(reference.arrays) != expected_count:
        raise BadRecords(f"a {kind} record holds {len(student.arrays)} arrays")
    actual = student.arrays[0]
    if kind == "between":
        if actual.size != 1:
            raise BadRecords("a between record holds more than one number")
        return between_failure(actual.reshape(()), _number(params, "low"), _number(params, "high"), reference.name)
    # the reference run decides (never the student's record) whether the expected value is the student's own
    expected = student.arrays[1] if params.get("own") is True else reference.arrays[1]
    if kind == "close":
        rtol, atol = _number(params, "rtol"), _number(params, "atol")
        return close_failure(actual, expected, rtol, atol, reference.name)
    if kind == "equal":
        return equal_failure(actual, expected, reference.name)
    return gradient_failure(actual, expected, _number(params, "rtol"), reference.name)


def judge(student_text: str | None, reference: list[Check]) -> str | None:
    """A test cell that passed in the kernel: None if it passes here too, else why not (for the student).

    The student's records must be exactly the reference's checks (same number, kinds, names, order);
    each is then re-checked against the reference run's expected values and tolerances."""
    try:
        student = decode(student_text)
    except BadRecords as err:
        return f"the grader could not read what this test checked ({err})"
    if len(student) != len(reference):
        return (
            f"this test makes {len(reference)} checks, but {len(student)} were recorded: "
            "the test code did not run as written"
        )
    for mine, theirs in zip(student, reference, strict=True):
        try:
            failure = judge_check(mine, theirs)
        except BadRecords as err:
            return f"the grader could not read what this test checked ({err})"
        if failure is not None:
            return failure
    return None
