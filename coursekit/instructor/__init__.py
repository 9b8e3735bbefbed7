"""Instructor tooling: notebook sources, deterministic release, checks, sandboxed grading.

Nothing here is imported by ``import coursekit``; the ``coursekit`` console script loads it.
"""
