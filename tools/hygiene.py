"""What an executed lesson must not show a student: the output-hygiene rules.

An executed notebook's outputs are checked for

* anything on standard error (TensorFlow's C++ log lines such as ``E0000 ... NodeDef``,
  warnings, progress bars: a lesson prints what it means to show on standard output);
* log lines (``INFO:tensorflow``, ``WARNING:absl``, ``I0000 ...``) and ANSI colour codes;
* machine paths (``/home/...``, ``/tmp/...``, a site-packages folder, the course's own folder);
* progress bars (carriage returns, ``it/s]``) and default object reprs such as
  ``<pandas.io.formats.style.Styler object at 0x...>`` where a table should be;
* more than :data:`MAX_NOTEBOOK_BYTES` of outputs in one notebook.

``tests/conftest.py`` applies :func:`problems` to every cell nbval runs, so a lesson that breaks a rule
fails the test suite at the cell that broke it; ``tools/site.py`` applies it to the executed course.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

#: The most output one executed notebook may hold (figures included).
MAX_NOTEBOOK_BYTES = 3_000_000
ROOT = Path(__file__).resolve().parent.parent

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an ANSI colour code", re.compile(r"\x1b\[")),
    ("a log line", re.compile(r"(^|\n)\s*(INFO|WARNING|ERROR):(tensorflow|absl|root)|(^|\n)[IWEF]\d{4} \d\d:\d\d")),
    ("a machine path", re.compile(r"(/home/|/root/|/tmp/|/Users/|/private/var/|site-packages|[A-Za-z]:\\\\Users)")),
    ("a progress bar", re.compile(r"\r(?!\n)|\d(it/s|s/it)\]|\d%\|")),
    ("an object repr instead of a table or value", re.compile(r"<[\w.]+( object)? at 0x[0-9a-f]+>")),
)


def _texts(output: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """(where, text) for every text an output shows."""
    kind = output.get("output_type")
    if kind == "stream":
        yield f"standard {'error' if output.get('name') == 'stderr' else 'output'}", output.get("text", "")
    elif kind in ("display_data", "execute_result"):
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/") or mime.endswith("json"):
                yield mime, value if isinstance(value, str) else json.dumps(value)
    elif kind == "error":
        yield "an error", "\n".join(output.get("traceback", []))


def problems(outputs: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every rule the outputs of one cell break, each as a short message with the offending text."""
    found = []
    root = str(ROOT)
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr" and output.get("text", "").strip():
            found.append(f"output on standard error: {output['text'].strip()[:300]!r}")
            continue
        for where, text in _texts(output):
            if root in text:
                found.append(f"{where} shows the course's folder on this machine: {text[:200]!r}")
            for name, pattern in _RULES:
                match = pattern.search(text)
                if match:
                    start = max(0, match.start() - 80)
                    found.append(f"{where} shows {name}: {text[start:match.end() + 80]!r}")
    return found


def output_bytes(outputs: Iterable[Mapping[str, Any]]) -> int:
    """The size of a cell's outputs as stored in a notebook."""
    return sum(len(json.dumps(dict(o))) for o in outputs)


def notebook_problems(nb: Mapping[str, Any]) -> list[str]:
    """:func:`problems` for every code cell of an executed notebook, plus the size rule."""
    found, total = [], 0
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        outputs = cell.get("outputs", [])
        total += output_bytes(outputs)
        found += [f"cell {index}: {p}" for p in problems(outputs)]
    if total > MAX_NOTEBOOK_BYTES:
        found.append(f"the executed notebook holds {total:,} bytes of outputs (at most {MAX_NOTEBOOK_BYTES:,})")
    return found
