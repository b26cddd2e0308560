"""plot_signals: columns, overlay and spectrogram rows, labelled axes, named errors."""

from __future__ import annotations

import numpy as np
import pytest

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


def test_overlay_draws_every_series_and_channel_on_one_plot():
    series = np.stack([np.arange(50.0), -np.arange(50.0)], axis=1)
    fig = plots.plot_signals({"original": series[:, 0], "two channels": series}, overlay=True, title="Series")
    (ax,) = fig.axes
    assert len(ax.lines) == 3 and ax.get_xlabel() == "time step" and ax.get_title() == "Series"
    assert ax.get_legend() is not None


def test_columns_without_spectrogram():
    fig = plots.plot_signals({"a": np.arange(10.0)})
    assert len(fig.axes) == 1 and fig.axes[0].get_xlabel() == "time step"
    assert plots.plot_signals({"a": np.zeros(5)}, overlay=True).axes[0].get_title() == "Signals"


BAD_CALLS = [
    (lambda: plots.plot_signals([np.zeros(5)]), TypeError, "signals"),
    (lambda: plots.plot_signals({}), TypeError, "signals"),
    (lambda: plots.plot_signals({"a": [1, 2]}), TypeError, "signals"),
    (lambda: plots.plot_signals({"a": np.zeros(1)}), ValueError, "signals"),
    (lambda: plots.plot_signals({"a": np.zeros(5)}, sample_rate=0), ValueError, "sample_rate"),
    (lambda: plots.plot_signals({"a": np.zeros(5)}, spectrogram=True), ValueError, "sample_rate"),
    (lambda: plots.plot_signals({"a": np.zeros(5)}, spectrogram=1), TypeError, "spectrogram"),
    (lambda: plots.plot_signals({"a": np.zeros(5)}, overlay="yes"), TypeError, "overlay"),
    (lambda: plots.plot_signals({"a": np.zeros(500)}, sample_rate=SR, spectrogram=True, overlay=True),
     ValueError, "overlay"),
    (lambda: plots.plot_signals({"a": np.zeros((500, 2))}, sample_rate=SR, spectrogram=True), ValueError, "signals"),
    (lambda: plots.plot_signals({"a": np.zeros(5)}, size=0), ValueError, "size"),
    (lambda: plots.plot_signals({"a": np.zeros(5)}, max_frequency=-1), ValueError, "max_frequency"),
]


@pytest.mark.parametrize("call, error, name", BAD_CALLS)
def test_every_invalid_argument_is_named(call, error, name):
    with pytest.raises(error, match=rf"^{name}"):
        call()
