"""The course in a real browser: the rendered site, and JupyterLab started as the README's command 1 starts it.

These tests drive headless Chromium (Debian's ``chromium`` package) with Playwright pointed at the system
browser; Playwright's own browser download is not needed. On a machine without Chromium they are skipped with
a message that says how to install it; in CI (``CI=true``) they fail instead, so a missing browser cannot hide
a broken course. ``.ci/run`` installs the browser before it runs the README's test command.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Minutes of work in a few tests: the suite starts it first, so that both workers finish together (conftest.py).
pytestmark = pytest.mark.long_running
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
#: Chromium's flags for a closed network and a root user (a container or CI).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("COURSE_SCREENSHOTS", ROOT / "build" / "screenshots"))


def _need_browser():
    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "the Python package playwright is missing: pip install -e '.[dev]'"
    if problem is None and not Path(CHROMIUM).exists():
        problem = (f"no Chromium at {CHROMIUM}: install it (Debian/Ubuntu: sudo apt-get install chromium) or set "
                   "COURSE_CHROMIUM to its path")
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests must run in CI, but {problem}")
        pytest.skip(f"browser tests skipped: {problem}")


@pytest.fixture
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _page(browser, errors):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    return page


# ----------------------------------------------------------------- the rendered site


def test_the_rendered_site_loads_without_errors_and_every_figure_has_alt_text(browser, tmp_path, monkeypatch,
                                                                              cifar_dir):
    """Build the site for lesson 00, its exercise and the instructor guide, then open every page."""
    from tools import site

    monkeypatch.setenv("COURSE_DATA_DIR", cifar_dir)

    out = tmp_path / "site"
    problems = site.build(out, only=["00_start_here.ipynb", "00_start_here_exercise.ipynb"], timeout=600,
                          progress=lambda line: None)
    assert problems == []
    pages = sorted(out.rglob("*.html"))
    assert {p.relative_to(out).as_posix() for p in pages} >= {
        "index.html", "00_start_here.html", "exercises/00_start_here_exercise.html", "instructor.html"}
    figures = 0
    for path in pages:
        errors: list[str] = []
        page = _page(browser, errors)
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        alts = page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('alt') || '')")
        assert all(a.strip() and not a.startswith("No description") for a in alts), (path.name, alts)
        figures += len(alts)
        assert errors == [], (path.name, errors)
        page.close()
    assert figures >= 2  # lesson 00 shows CIFAR-10 grids
    index = (out / "index.html").read_text()
    assert index.index("00_start_here.html") < index.index("exercises/00_start_here_exercise.html")


# ----------------------------------------------------------------- JupyterLab, as command 1 starts it


def _command_one_lab_args() -> list[str]:
    text = (ROOT / "README.md").read_text()
    commands = re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)
    command = next(c for c in commands if "jupyter lab" in c and "venv" in c)
    return shlex.split(command.split("jupyter lab", 1)[1])


def _course_copy(tmp_path: Path) -> Path:
    """A copy of the course folder (without .venv and .git), so running cells in the UI changes nothing here."""
    course = tmp_path / "course"
    shutil.copytree(ROOT, course, ignore=shutil.ignore_patterns(".venv", ".git", "build", "results", ".pytest_cache",
                                                                "generated_data", "__pycache__", ".ipynb_checkpoints"))
    return course


class Lab:
    """JupyterLab started with command 1's arguments in a folder, headless, on a free port."""

    def __init__(self, folder: Path, state: Path, data_dir: str):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k != "COURSE_STATIC_WIDGETS"}  # real widgets here
        env.update(JUPYTER_RUNTIME_DIR=str(state / "runtime"), JUPYTER_CONFIG_DIR=str(state / "config"),
                   JUPYTERLAB_SETTINGS_DIR=str(state / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(state / "ws"),
                   JUPYTER_DATA_DIR=str(state / "data"), COURSE_DATA_DIR=data_dir)
        self.token = "course-browser-test"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", *_command_one_lab_args(), "--no-browser", f"--port={self.port}",
             "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={self.token}"],
            cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        self.close()
        raise AssertionError("JupyterLab did not start within 2 minutes")

    def url(self, path: str) -> str:
        return f"{self.base}/lab/tree/{path}?token={self.token}&reset"

    def contents(self, path: str = "") -> dict:
        with urllib.request.urlopen(f"{self.base}/api/contents/{path}?token={self.token}", timeout=10) as r:
            return json.load(r)

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            self.process.kill()


def _prompts(page) -> list[str]:
    return page.eval_on_selector_all(".jp-CodeCell .jp-InputPrompt", "els => els.map(e => e.textContent || '')")


def _run_all(page, timeout_s: float):
    """Run every cell through JupyterLab's Run menu and wait until every cell has run.

    Under load the menu can miss a click (nothing starts): then it is opened again, up to four times. A click that
    works marks every queued cell ``[*]`` at once, so 15 seconds without any mark means the click was lost."""
    for _ in range(4):
        page.keyboard.press("Escape")
        page.locator(".jp-Notebook").first.click()
        page.get_by_role("menuitem", name="Run", exact=True).click()
        item = page.get_by_role("menuitem", name="Run All Cells", exact=True).filter(visible=True).first
        item.wait_for(state="visible", timeout=15_000)
        item.click()
        started = time.time() + 15
        while time.time() < started and not any(re.search(r"\[(\d+|\*)\]", p) for p in _prompts(page)):
            page.wait_for_timeout(500)
        if any(re.search(r"\[(\d+|\*)\]", p) for p in _prompts(page)):
            break
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        prompts = _prompts(page)
        if prompts and all(re.search(r"\[\d+\]", p) for p in prompts):
            return
        page.wait_for_timeout(1000)
    raise AssertionError(f"not every cell ran within {timeout_s:.0f} s")


def _errors_shown(page) -> list[str]:
    return page.eval_on_selector_all(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], "
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']",
        "els => els.map(e => e.textContent.slice(0, 300))")


def test_jupyterlab_runs_lesson_02_the_explorer_reacts_and_feedback_is_formatted(browser, tmp_path, cifar_dir):
    course = _course_copy(tmp_path)
    lab = Lab(course, tmp_path / "state", cifar_dir)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        names = {item["name"] for item in lab.contents()["content"]}
        assert {"course_lib", "notebooks", "README.md"} <= names  # rooted at the course folder
        errors: list[str] = []
        page = _page(browser, errors)
        page.goto(lab.url("notebooks/02_transform_toolbox.ipynb"))
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
        _run_all(page, timeout_s=420)
        assert _errors_shown(page) == []
        explorer = page.locator(".course-explorer").first
        explorer.scroll_into_view_if_needed()
        picture = explorer.locator("img").first
        before = picture.get_attribute("src")
        explorer.screenshot(path=str(SHOTS / "explorer_before.png"))
        handle = explorer.locator(".noUi-handle").first
        handle.focus()
        for _ in range(8):
            page.keyboard.press("ArrowRight")
        page.wait_for_function("([img, old]) => img.getAttribute('src') !== old",
                               arg=[picture.element_handle(), before], timeout=30_000)
        shown = None  # eight key presses queue several redraws: wait until the picture stops changing
        for _ in range(60):
            page.wait_for_timeout(1000)
            now = picture.get_attribute("src")
            if now == shown:
                break
            shown = now
        explorer.screenshot(path=str(SHOTS / "explorer_after.png"))

        page.goto(lab.url("notebooks/exercises/00_start_here_exercise.ipynb"))
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
        _type_into_cell(page, "data = ...", 'data = load_cifar10(classes=["dog", "cat"], train_per_class=5, '
                                            'n_test=4, seed=SEED)')
        _type_into_cell(page, "lowest, highest = ..., ...", "lowest, highest = 0, 256")
        _run_all(page, timeout_s=240)
        feedback = page.locator(".course-feedback").last
        feedback.scroll_into_view_if_needed()
        text = feedback.inner_text()
        assert "✗" in text and "Not yet" in text and "256" in text
        assert feedback.evaluate("e => getComputedStyle(e).wordBreak") == "normal"
        feedback.screenshot(path=str(SHOTS / "feedback_wrong_answer.png"))
        assert [e for e in errors if "favicon" not in e] == []
    finally:
        lab.close()


def _type_into_cell(page, old: str, new: str):
    """Replace the text of the code cell that contains ``old`` by ``new``, typing as a student would."""
    cell = page.locator(".jp-CodeCell", has_text=old).first
    cell.scroll_into_view_if_needed()
    editor = cell.locator(".cm-content").first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(new)
    page.keyboard.press("Escape")
