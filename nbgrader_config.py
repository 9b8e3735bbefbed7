"""nbgrader configuration for Deep Learning Foundations (used by `nbgrader ...` and `coursekit ...`).

Run nbgrader commands from the repository root. Paths are absolute, computed from this file, so a
fresh clone works wherever it lives.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets when this file is loaded)
_root = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = _root
c.CourseDirectory.course_id = "dlf"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_root, "gradebook.db")
# Only the notebook itself is an assignment file; nothing else in solutions/<id>/ is released.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*"]

# Execution metadata (timings, scroll state) never reaches a student notebook.
c.ClearOutput.remove_metadata_fields = {"collapsed", "scrolled", "execution", "ExecuteTime"}

# No exchange directory on a single machine: the exchange-based plugins are disabled in `make lab`.
c.Exchange.root = os.path.join(_root, "exchange")
c.Exchange.path_includes_course = True

# Autograde (plain nbgrader): per-cell timeout. `coursekit grade` adds the sandbox and limits.
c.Execute.timeout = 120
