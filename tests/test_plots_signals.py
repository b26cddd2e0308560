"""plot_signals: columns, overlay and spectrogram rows (SciPy's, no lesson module), lines told apart
without colour, labelled axes, named errors."""

from __future__ import annotations

import ast
import inspect
import textwrap

import matplotlib.colors as mcolors
import numpy as np
import pytest
from scipy import signal as sps

from course_lib import plots

SR = 4000


def _tone(freq=300.0):
    return np.sin(2 * np.pi * freq * np.arange(SR // 2) / SR)


def test_columns_with_spectrograms_share_a_colour_scale():
    fig = plots.plot_signals({"before": _tone(), "after": _tone(600.0)}, sample_rate=SR, spectrogram=True,
                             max_frequency=1000, title="Tones", ylabel="amplitude")
    axes = fig.axes
    waves, specs = axes[:2], axes[2:4]
    assert [a.get_title() for a in waves] == ["before", "after"]
    assert waves[0].get_xlabel() == "time (s)" and waves[0].get_ylabel() == "amplitude"
    assert specs[0].get_ylabel() == "frequency (Hz)" and specs[0].get_ylim() == (0, 1000)
    assert specs[0].collections[0].get_clim() == specs[1].collections[0].get_clim()
    assert fig.axes[-1].get_ylabel() == "power (dB)"  # the colour bar
    assert fig._suptitle.get_text() == "Tones"


def test_spectrogram_row_is_scipys_spectrogram_in_decibels():
    tone = _tone(600.0)
    fig = plots.plot_signals({"tone": tone}, sample_rate=SR, spectrogram=True)
    shown = np.asarray(fig.axes[1].collections[0].get_array()).reshape(257, -1)
    freqs, _, power = sps.spectrogram(tone, fs=SR, window="hann", nperseg=512, noverlap=384)
    expected = 10 * np.log10(np.maximum(power, 1e-30))
    np.testing.assert_allclose(shown, np.maximum(expected, expected.max() - 80))
    assert freqs[np.argmax(shown.mean(axis=1))] == pytest.approx(600.0, abs=SR / 512)


def test_plot_signals_imports_no_lesson_module():
    tree = ast.parse(textwrap.dedent(inspect.getsource(plots.plot_signals)))
    imported = [getattr(node, "module", None) or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert imported and not [m for m in imported if "lessons" in m or "augment" in m]


def test_overlay_draws_every_series_and_channel_with_its_own_style():
    series = np.stack([np.arange(50.0), -np.arange(50.0)], axis=1)
    fig = plots.plot_signals({"original": series[:, 0], "two channels": series}, overlay=True, title="Series")
    (ax,) = fig.axes
    assert len(ax.lines) == 3 and ax.get_xlabel() == "time step" and ax.get_title() == "Series"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["original", "two channels, channel 0", "two channels, channel 1"]
    styles = [(line.get_marker(), str(line.get_linestyle())) for line in ax.lines]
    assert len(set(m for m, _ in styles)) == 3 and len(set(s for _, s in styles)) == 3  # not by colour alone


def test_overlay_of_up_to_seven_series_never_puts_red_beside_green():
    fig = plots.plot_signals({f"s{i}": np.arange(20.0) + i for i in range(7)}, overlay=True)
    colours = [mcolors.to_hex(line.get_color()).upper() for line in fig.axes[0].lines]
    assert len(set(colours)) == 7
    assert "#D55E00" not in colours  # vermillion comes last, after the bluish green
    assert all(c in plots.COLOURS for c in colours)


def test_columns_without_spectrogram():
    fig = plots.plot_signals({"a": np.arange(10.0)})
    assert len(fig.axes) == 1 and fig.axes[0].get_xlabel() == "time step"
    assert plots.plot_signals({"a": np.zeros(5)}, overlay=True).axes[0].get_title() == "Signals"


BAD_CALLS = [
    (lambda: plots.plot_signals([np.zeros(5)]), TypeError, "signals"),
    (lambda: plots.plot_signals({}), TypeError, "signals"),
    (lambda: plots.plot_signals({"a": [1, 2]}), TypeError, "signals"),
    (lambda: plots.plot_signals({"a": np.zeros(1)}), ValueError, "signals"),
    (lambda: plots.plot_signals({"a": np.zeros((5, 0))}), ValueError, "signals"),
    (lambda: plots.plot_signals({"a": np.array([0.0, np.nan, 1.0])}), ValueError, "signals"),
    (lambda: plots.plot_signals({"a": np.array([0.0, np.inf])}, overlay=True), ValueError, "signals"),
    (lambda: plots.plot_signals({"a": np.zeros(5)}, sample_rate=0), ValueError, "sample_rate"),
    (lambda: plots.plot_signals({"a": np.zeros(5)}, sample_rate=float("nan")), ValueError, "sample_rate"),
    (lambda: plots.plot_signals({"a": np.zeros(5)}, spectrogram=True), ValueError, "sample_rate"),
    (lambda: plots.plot_signals({"a": np.zeros(5)}, spectrogram=1), TypeError, "spectrogram"),
    (lambda: plots.plot_signals({"a": np.zeros(5)}, overlay="yes"), TypeError, "overlay"),
    (lambda: plots.plot_signals({"a": np.zeros(500)}, sample_rate=SR, spectrogram=True, overlay=True),
     ValueError, "overlay"),
    (lambda: plots.plot_signals({"a": np.zeros((500, 2))}, sample_rate=SR, spectrogram=True), ValueError, "signals"),
    (lambda: plots.plot_signals({"a": np.zeros(5)}, size=0), ValueError, "size"),
    (lambda: plots.plot_signals({"a": np.zeros(5)}, size=1e6), ValueError, "size"),
    (lambda: plots.plot_signals({"a": np.zeros(5)}, max_frequency=-1), ValueError, "max_frequency"),
]


@pytest.mark.parametrize("call, error, name", BAD_CALLS)
def test_every_invalid_argument_is_named(call, error, name):
    with pytest.raises(error, match=rf"^{name}"):
        call()
