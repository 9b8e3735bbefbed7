"""Notebooks as code: build ``.ipynb`` files from reviewable percent-format sources.

A source ``nbsrc/<id>.py`` is a sequence of cells, each opened by a header line::

    # %% [markdown]                         prose (each line starts with "# " or is "#")
    # %%                                    an ordinary code cell
    # %% tags=heavy,nbval-ignore-output     a code cell with tags
    # %% solution id=relu                   autograded answer (### BEGIN/END SOLUTION inside)
    # %% solution id=relu forbid=coursekit.functional.relu_forward,torch
                                            ... whose code must not reach these callables (or modules)
    # %% tests id=test_relu points=2        autograder tests (### BEGIN/END HIDDEN TESTS inside)
    # %% readonly id=setup                  locked code cell students cannot edit
    # %% [markdown] manual id=q_xor points=2   free-response answer, graded by hand
    # %% [markdown] task id=task_plot points=1 manually graded task (the prompt itself)

The metadata written is exactly what nbgrader's Create Assignment UI writes (see NBGRADER.md).
Cell ids are derived from the position (and grade id) so that rebuilding is byte-deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# jupytext writes "# %% manual [markdown] id=..." (title first) when a source is saved from `make lab`
HEADER = re.compile(r"^# %%(?P<role>\s+(?:manual|task)(?=\s+\[))?(?:\s+\[(?P<kind>markdown)\])?(?P<attrs>.*)$")
ROLES = ("solution", "tests", "readonly", "manual", "task")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3", "file_extension": ".py"}


@dataclass
class SourceCell:
    cell_type: str  # "code" or "markdown"
    source: str
    role: str | None = None
    grade_id: str | None = None
    points: float | None = None
    tags: list[str] = field(default_factory=list)
    forbid: list[str] = field(default_factory=list)
    line: int = 0

    def nbgrader_metadata(self) -> dict | None:
        if self.role is None:
            return None
        meta = {
            "solution": {"grade": False, "locked": False, "solution": True},
            "tests": {"grade": True, "locked": True, "solution": False},
            "readonly": {"grade": False, "locked": True, "solution": False},
            "manual": {"grade": True, "locked": False, "solution": True},
            "task": {"grade": False, "locked": True, "solution": False, "task": True},
        }[self.role]
        meta = {**meta, "grade_id": self.grade_id, "schema_version": 3}
        if self.points is not None:
            meta["points"] = self.points
        return dict(sorted(meta.items()))


def _parse_attrs(text: str, where: str) -> tuple[str | None, dict[str, str]]:
    role, attrs = None, {}
    for token in text.split():
        if "=" in token:
            key, value = token.split("=", 1)
            attrs[key] = value
        elif token in ROLES and role is None:
            role = token
        else:
            raise ValueError(f"{where}: unknown cell attribute {token!r} (roles: {', '.join(ROLES)})")
    unknown = set(attrs) - {"id", "points", "tags", "forbid"}
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}; use id=, points=, tags=, forbid=")
    if "forbid" in attrs and role != "solution":
        raise ValueError(f"{where}: forbid= belongs on a solution cell, not on a {role or 'plain'} cell")
    return role, attrs


def _make_cell(kind: str | None, attrs_text: str, lines: list[str], where: str, line: int) -> SourceCell:
    role, attrs = _parse_attrs(attrs_text, where)
    cell_type = "markdown" if kind == "markdown" else "code"
    if role in ("manual", "task") and cell_type != "markdown":
        raise ValueError(f"{where}: a {role} cell must be markdown: '# %% [markdown] {role} id=...'")
    if role in ("solution", "tests", "readonly") and cell_type != "code":
        raise ValueError(f"{where}: a {role} cell must be a code cell")
    if role and "id" not in attrs:
        raise ValueError(f"{where}: a {role} cell needs id=<grade_id>")
    if role in ("tests", "manual", "task") and "points" not in attrs:
        raise ValueError(f"{where}: a {role} cell needs points=<number>")
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    if cell_type == "markdown":
        lines = [_uncomment(ln, where) for ln in lines]
    points = attrs.get("points")
    return SourceCell(
        cell_type=cell_type,
        source="\n".join(lines),
        role=role,
        grade_id=attrs.get("id"),
        points=(float(points) if "." in points else int(points)) if points else None,
        tags=[t for t in attrs.get("tags", "").split(",") if t],
        forbid=_parse_forbid(attrs.get("forbid", ""), where),
        line=line,
    )


def _parse_forbid(text: str, where: str) -> list[str]:
    """``forbid=a.b.c,torch.nn.functional``: dotted names of callables or modules, kept in order."""
    names = [n for n in text.split(",") if n]
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", name):
            raise ValueError(f"{where}: forbid= takes dotted names separated by commas, got {name!r}")
    return names


def _uncomment(line: str, where: str) -> str:
    if line == "#":
        return ""
    if line.startswith("# "):
        return line[2:]
    raise ValueError(f"{where}: markdown lines must start with '# ' (got {line[:40]!r})")


def _attrs(header: re.Match) -> str:
    return (header["role"] or "") + header["attrs"]


def parse_source(text: str, name: str = "<source>") -> list[SourceCell]:
    """Split a percent-format source into cells (see the module docstring for the syntax)."""
    cells: list[SourceCell] = []
    header: re.Match | None = None
    start, body = 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        match = HEADER.match(line)
        if match:
            if header is not None:
                cells.append(_make_cell(header["kind"], _attrs(header), body, f"{name}:{start}", start))
            header, start, body = match, number, []
        elif header is None:
            if line.strip():
                raise ValueError(f"{name}:{number}: text before the first '# %%' cell header")
        else:
            body.append(line)
    if header is not None:
        cells.append(_make_cell(header["kind"], _attrs(header), body, f"{name}:{start}", start))
    _check_unique_ids(cells, name)
    return cells


def _check_unique_ids(cells: list[SourceCell], name: str) -> None:
    seen: dict[str, int] = {}
    for cell in cells:
        if cell.grade_id is None:
            continue
        if not re.fullmatch(r"[A-Za-z0-9_\-]+", cell.grade_id):
            raise ValueError(f"{name}:{cell.line}: grade id {cell.grade_id!r} must be letters, digits, _ or -")
        if cell.grade_id in seen:
            raise ValueError(
                f"{name}:{cell.line}: grade id {cell.grade_id!r} already used at line {seen[cell.grade_id]}"
            )
        seen[cell.grade_id] = cell.line


def forbid_comment(forbid: list[str], width: int = 116) -> str:
    """The comment heading an answer cell with ``forbid=``: the student reads there what the grader rejects
    (the list itself lives in the cell's metadata, which JupyterLab does not show)."""
    import textwrap

    text = "Off limits in this answer (a call to any of them costs the exercise's points): " + ", ".join(forbid)
    lines = textwrap.wrap(text, width - 2, break_long_words=False, break_on_hyphens=False)
    return "".join(f"# {line}\n" for line in lines)


def to_notebook(cells: list[SourceCell]):
    """An nbformat 4.5 notebook (no outputs) with nbgrader metadata and deterministic cell ids."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO)}
    for index, cell in enumerate(cells):
        meta: dict = {}
        if cell.tags:
            meta["tags"] = list(cell.tags)
        nbgrader = cell.nbgrader_metadata()
        if nbgrader is not None:
            meta["nbgrader"] = nbgrader
        if cell.forbid:
            meta["coursekit"] = {"forbid": list(cell.forbid)}
        if cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(cell.source, metadata=meta)
        else:
            source = forbid_comment(cell.forbid) + cell.source if cell.forbid else cell.source
            new = nbformat.v4.new_code_cell(source, metadata=meta)
        new["id"] = f"{index:03d}-{cell.grade_id}" if cell.grade_id else f"{index:03d}"
        nb.cells.append(new)
    return nb


def build(source: Path):
    """Parse ``source`` and return the notebook (unexecuted)."""
    return to_notebook(parse_source(source.read_text(encoding="utf-8"), str(source)))


def normalise(nb) -> None:
    """Remove what execution adds and a student must never receive: timings, kernel-specific info."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    for key in list(nb.metadata):
        if key not in ("kernelspec", "language_info"):
            del nb.metadata[key]
    for cell in nb.cells:
        for key in list(cell.metadata):
            if key not in ("nbgrader", "tags", "editable", "deletable", "coursekit"):
                del cell.metadata[key]
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)


def merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) chunks: how the kernel splits a print is timing, not content."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = previous["text"] + output["text"]
        else:
            merged.append(output)
    return merged


def source_signature(nb) -> list[tuple[str, str, dict]]:
    """What a notebook is made of, outputs aside: used to prove solutions/ matches nbsrc/."""
    return [
        (
            c.cell_type,
            c.source,
            dict(c.metadata.get("nbgrader", {})),
            list(c.metadata.get("tags", [])),
            dict(c.metadata.get("coursekit", {})),
        )
        for c in nb.cells
    ]
