"""The output-hygiene rules that every executed lesson is held to (tools/hygiene.py)."""

from __future__ import annotations

import pytest

from tools import hygiene


def _stream(text, name="stdout"):
    return {"output_type": "stream", "name": name, "text": text}


def _data(**data):
    return {"output_type": "display_data", "data": data, "metadata": {}}


@pytest.mark.parametrize("output, rule", [
    (_stream("E0000 00:00:1796.0  1 op.cc:1] NodeDef mentions attribute\n", "stderr"), "standard error"),
    (_stream("WARNING:absl:something\n", "stderr"), "standard error"),
    (_stream("INFO:tensorflow:Using MirroredStrategy\n"), "a log line"),
    (_stream("I0000 00:00:17 12 cpu.cc:5] started\n"), "a log line"),
    (_stream("\x1b[1mbold\x1b[0m\n"), "ANSI"),
    (_stream("saved /home/student/course/results/x.json\n"), "machine path"),
    (_data(**{"text/plain": "PosixPath('/tmp/pytest/x')"}), "machine path"),
    (_stream(f"wrote {hygiene.ROOT}/results\n"), "course's folder"),
    (_stream(" 45%|████▌     | 9/20 [00:01<00:01, 8.1it/s]\n"), "progress bar"),
    (_stream("epoch 1\repoch 2\n"), "progress bar"),
    (_data(**{"text/plain": "<pandas.io.formats.style.Styler at 0x7f3a2b>"}), "object repr"),
    (_data(**{"text/plain": "<pandas.io.formats.style.Styler object at 0x7f3a2b>"}), "object repr"),
    ({"output_type": "error", "traceback": ["\x1b[0;31mValueError\x1b[0m"]}, "ANSI"),
])
def test_each_rule_catches_its_problem(output, rule):
    found = hygiene.problems([output])
    assert found and rule in found[0]


def test_clean_outputs_pass_and_sizes_add_up():
    clean = [_stream("test accuracy 48.2 % (2,000 test images)\n"),
             _data(**{"text/plain": "   a  b\n0  1  2", "text/html": "<table><tr><td>1</td></tr></table>",
                      "image/png": "iVBORw0KGgo="})]
    assert hygiene.problems(clean) == []
    assert hygiene.output_bytes(clean) > 0
    nb = {"cells": [{"cell_type": "code", "outputs": clean},
                    {"cell_type": "code", "outputs": [_data(**{"image/png": "x" * hygiene.MAX_NOTEBOOK_BYTES})]}]}
    assert hygiene.notebook_problems(nb) == [f"the executed notebook holds {hygiene.output_bytes(clean) + hygiene.output_bytes(nb['cells'][1]['outputs']):,} bytes of outputs (at most {hygiene.MAX_NOTEBOOK_BYTES:,})"]


def test_nbval_kernels_forward_what_cpp_code_writes_to_stderr(monkeypatch):
    """The root conftest.py starts nbval's kernels without $PYTEST_CURRENT_TEST, so ipykernel forwards output
    written straight to file descriptor 2 (TensorFlow's C++ log lines) into the cell outputs the rules check."""
    import os

    import nbval.kernel

    started = {}

    class Recorder:
        def __init__(self, **kwargs):
            pass

        def start_kernel(self, **kwargs):
            started.update(kwargs)
            raise RuntimeError("recorded, not started")

    monkeypatch.setattr(nbval.kernel, "KernelManager", Recorder)
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "a test")
    monkeypatch.setenv("COURSE_SEEN_BY_KERNELS", "yes")
    with pytest.raises(RuntimeError, match="recorded"):
        nbval.kernel.start_new_kernel(kernel_name="python3")
    assert "PYTEST_CURRENT_TEST" not in started["env"] and "PYTEST_CURRENT_TEST" in os.environ
    assert started["env"]["COURSE_SEEN_BY_KERNELS"] == "yes"
