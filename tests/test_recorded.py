"""course_lib.recorded: reading recorded files, their checksum, and the errors a student could meet."""

from __future__ import annotations

import json

import pytest

from course_lib import recorded


def _record(data, **extra):
    return {"settings": {"seed": 1}, "recorded": {"date": "2026-12-01"}, "data": data,
            "data_sha256": recorded.checksum(data), **extra}


def test_checksum_is_canonical():
    assert recorded.checksum({"a": 1, "b": [1.5, 2]}) == recorded.checksum({"b": [1.5, 2], "a": 1})
    assert recorded.checksum({"a": 1}) != recorded.checksum({"a": 1.001})
    assert len(recorded.checksum([])) == 64
    with pytest.raises(ValueError):
        recorded.checksum({"a": float("nan")})


def test_path_of_names_the_resource():
    assert recorded.path_of("lesson01") == recorded.RESOURCES / "recorded_lesson01.json"
    for bad in ("", "../x", "a b", 7, None):
        with pytest.raises(ValueError, match="name"):
            recorded.path_of(bad)


def test_load_reads_a_good_record(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(_record({"runs": [1, 2]})))
    assert recorded.load("lesson99", path=path)["data"] == {"runs": [1, 2]}


@pytest.mark.parametrize("text, match", [
    (None, "no recorded data for 'lesson99'"),
    ("{not json", "not valid JSON"),
    (json.dumps([1, 2]), "not a recorded file"),
    (json.dumps({"data": {}}), "not a recorded file"),
    (json.dumps({**_record({"x": 1}), "data": {"x": 2}}), "edited by\nhand|edited by hand"),
])
def test_load_errors_say_how_to_fix(tmp_path, text, match):
    path = tmp_path / "r.json"
    if text is not None:
        path.write_text(text)
    with pytest.raises(recorded.RecordedDataError, match=match) as info:
        recorded.load("lesson99", path=path)
    assert "python tools/record_checks.py lesson99" in str(info.value)


def test_the_shipped_records_load():
    for path in sorted(recorded.RESOURCES.glob("recorded_*.json")):
        name = path.stem[len("recorded_"):]
        assert recorded.load(name)["data"]
