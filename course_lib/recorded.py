"""Results recorded once from real runs, for exercises that must answer in seconds.

Some exercises discuss training runs that take minutes (lesson 01's curves and
results table, say). Their numbers are recorded by the maintainer script
``tools/record_checks.py`` from a real run and stored as
``course_lib/resources/recorded_<name>.json``:

* ``settings``: everything the script ran (seed, sizes, epochs, model options,
  ...); a test compares it with what the script would run today, so a changed
  lesson or script cannot leave stale numbers behind;
* ``recorded``: when and with what (date, course version, library versions);
* ``data``: the numbers, and ``data_sha256``, their checksum (:func:`checksum`),
  so a hand edit is caught.

Checks read the numbers with :func:`load`; nobody edits the files by hand.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

#: Where the recorded files live (shipped with the package).
RESOURCES = Path(__file__).resolve().parent / "resources"
#: The command that (re)writes a recorded file.
COMMAND = "python tools/record_checks.py"


class RecordedDataError(ValueError):
    """A recorded file is missing, malformed, or its data do not match their checksum."""


def path_of(name: str) -> Path:
    """``resources/recorded_<name>.json`` for a recording such as ``"lesson01"``."""
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be a recording name such as 'lesson01', got {name!r}")
    return RESOURCES / f"recorded_{name}.json"


def checksum(data: Any) -> str:
    """The SHA-256 of ``data`` written as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def load(name: str, *, path: Path | None = None) -> dict[str, Any]:
    """The whole record of ``name`` (``settings``, ``recorded``, ``data``, ``data_sha256``), checked.

    Raises :class:`RecordedDataError` when the file is missing, is not such a
    record, or its data do not match their checksum (it was edited by hand).
    """
    target = path_of(name) if path is None else Path(path)
    fix = f"run `{COMMAND} {name}` to record it again"
    try:
        record = json.loads(target.read_text())
    except FileNotFoundError:
        raise RecordedDataError(f"there is no recorded data for {name!r} ({target.name}); {fix}") from None
    except json.JSONDecodeError as err:
        raise RecordedDataError(f"{target.name} is not valid JSON ({err}); {fix}") from None
    if not isinstance(record, dict) or not {"settings", "recorded", "data", "data_sha256"} <= set(record):
        raise RecordedDataError(f"{target.name} is not a recorded file (settings, recorded, data, data_sha256); {fix}")
    if checksum(record["data"]) != record["data_sha256"]:
        raise RecordedDataError(f"the data in {target.name} do not match their checksum: the file was edited by "
                                f"hand; {fix}")
    return record


__all__ = ["COMMAND", "RESOURCES", "RecordedDataError", "checksum", "load", "path_of"]
