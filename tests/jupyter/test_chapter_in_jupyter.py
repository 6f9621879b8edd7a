"""A chapter as a reader meets it in JupyterLab 4 and Notebook 7 (real servers, headless Chromium).

- Before anything runs (a fresh clone is untrusted: the front end shows the explorers' HTML face,
  sanitized), the explorer says how to bring it to life.
- Run all, save, stop the kernel, reopen (what a returning reader sees after JupyterLab autosaved):
  no "Error displaying widget: model not found", each explorer's figure shows with its run note.
- The kernel name stays as committed.
- Notebook 7: an arrow key on a focused slider moves the slider, and focus stays on it.
- The explorer gallery, run in JupyterLab: every slider explorer's live face (the book's drawing code in an
  anywidget, numbers from nnlib in the kernel) redraws on each arrow key, and every trainer trains; the time
  from the key to the redrawn picture is written to artifacts/jupyter_latency.json (benchmarks/bench_explorers.py
  --jupyter prints it; the goal, at most 16 ms median, is a benchmark's, not this test's).
"""

import json
import os
import statistics
import time
from pathlib import Path

import pytest

CHAPTER = "01_one_neuron.ipynb"  # light: one explorer, two diagrams, a few seconds to run
MODEL_NOT_FOUND = "model not found"


def _wait_idle(page, timeout=120):
    """Until the kernel has started and is idle again (the toolbar's kernel status says so)."""
    page.wait_for_function(
        """() => {
        const s = document.querySelector('.jp-Notebook-ExecutionIndicator');
        return s && s.getAttribute('data-status') === 'idle';
    }""",
        timeout=timeout * 1000,
    )


def _run_all(page):
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def _open(page, url):
    page.goto(url)
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    # On a busy machine the kernel list can arrive after the notebook: the front end then asks which kernel
    # to start, with the notebook's own (python3) preselected. Accept it, as a reader would.
    dialog = page.locator(".jp-Dialog:has-text('Select Kernel') .jp-mod-accept")
    try:
        dialog.click(timeout=3000)
    except Exception:  # no dialog: the kernel started by itself
        pass
    _wait_idle(page)


def _stop_kernels(server):
    for session in server.api("api/sessions"):
        server.api(f"api/sessions/{session['id']}", method="DELETE")


def test_run_save_reopen_shows_every_explorer_without_model_not_found(jupyter_server, lab_page, tmp_path):
    page = lab_page
    committed = jupyter_server.notebook(CHAPTER)
    url = jupyter_server.url + f"lab/tree/notebooks/{CHAPTER}"

    # A fresh clone: untrusted, so JupyterLab shows the sanitized HTML face (no style, no script).
    _open(page, url)
    face = page.locator(".jp-OutputArea-output .nnx").first
    face.wait_for()
    note = page.locator(".jp-OutputArea-output .nnx-runnote").first
    note.scroll_into_view_if_needed()
    assert note.is_visible() and "Run this cell" in note.text_content()
    assert MODEL_NOT_FOUND not in page.content()

    # The reader runs the chapter: the live face replaces the HTML face.
    _run_all(page)
    page.locator(".nnx-live input[type=range]").first.wait_for(timeout=120_000)
    _wait_idle(page)
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        saved = jupyter_server.notebook(CHAPTER)
        views = [
            o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
            for c in saved["cells"]
            for o in c.get("outputs", [])
            if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
        ]
        if any(c.get("execution_count") for c in saved["cells"] if c["cell_type"] == "code"):
            break
        time.sleep(0.5)
    else:
        pytest.fail("JupyterLab did not save the executed notebook within 30 s")
    assert saved["metadata"]["kernelspec"] == committed["metadata"]["kernelspec"], (
        "opening and running the chapter rewrote its kernelspec"
    )
    stored = saved["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert views and all(v in stored for v in views), (
        f"the reader's run made widget ids {views} that the stored stand-ins {list(stored)} do not cover"
    )

    # The returning reader: the kernel is gone and the notebook reopens trusted (as one whose save was
    # signed: then the front end prefers the widget view, and a missing model would be reported).
    _stop_kernels(jupyter_server)
    jupyter_server.trust(CHAPTER)
    page.goto("about:blank")
    _open(page, url)
    stand_in = page.locator(".jp-OutputArea-output .widget-html .nnx").first
    # Either the stand-in renders, or the widget manager, once restored, reports the missing model.
    page.wait_for_function(
        """() => document.querySelector('.jp-OutputArea-output .widget-html .nnx')
        || document.body.textContent.includes('model not found')""",
        timeout=30_000,
    )
    time.sleep(1)
    assert MODEL_NOT_FOUND not in page.content(), (
        "the reopened notebook shows 'Error displaying widget: model not found'"
    )
    stand_in.scroll_into_view_if_needed()
    note = page.locator(".widget-html .nnx-runnote", has_text="Run this cell").first
    assert note.is_visible() and "to move the sliders" in note.text_content()
    assert stand_in.locator("img.nnx-img").first.is_visible()  # the still picture
    page.screenshot(path=str(tmp_path / "reopened.png"))


def test_notebook7_arrow_keys_move_a_focused_slider(jupyter_server, lab_page):
    page = lab_page
    _open(page, jupyter_server.url + f"notebooks/notebooks/{CHAPTER}")
    _run_all(page)
    handle = page.locator(".nnx-live input[type=range]").first
    handle.wait_for(timeout=120_000)
    _wait_idle(page)
    root = page.locator(".nnx-live").first
    readout = root.locator("output").first
    before, drawn = readout.inner_text(), int(root.get_attribute("data-drawn"))
    handle.scroll_into_view_if_needed()
    handle.focus()
    for key in ("ArrowUp", "ArrowRight", "ArrowDown", "ArrowUp"):
        page.keyboard.press(key)
        assert handle.evaluate("h => document.activeElement === h"), f"{key} moved focus off the slider"
    after = readout.inner_text()
    assert float(after.replace("\u2212", "-")) != float(before.replace("\u2212", "-")), (
        f"arrow keys did not move the slider (readout stayed {before})"
    )
    # The kernel redraws, and the picture ends at the slider's value. Not one draw per key: while the kernel is
    # busy, ipywidgets' front end merges the moves it has not sent yet into one message (seen on a loaded machine).
    page.wait_for_function(
        "([r, h, n]) => +r.getAttribute('data-drawn') > n && r.__nnx"
        " && +r.__nnx.state[h.getAttribute('data-param')] === +h.value",
        arg=[root.element_handle(), handle.element_handle(), drawn],
    )


# In the page: the time from a key on a focused slider to the redrawn picture (the kernel's numbers drawn),
# and to the next animation frame after it (when the browser paints it).
LATENCY_PROBE = """root => {
  root.__lat = [];
  root.addEventListener('keydown', () => { root.__t0 = performance.now(); }, true);
  new MutationObserver(() => {
    if (root.__t0 == null) return;
    const t0 = root.__t0, drawn = performance.now() - t0;
    root.__t0 = null;
    requestAnimationFrame(() => root.__lat.push([drawn, performance.now() - t0]));
  }).observe(root, {attributes: true, attributeFilter: ['data-drawn']});
}"""
# benchmarks/bench_explorers.py --jupyter measures, side by side, the face of an older nnlib (the matplotlib PNG of
# the commit before the one renderer: its picture is an <img> whose src changes); only measured, not tested.
BASELINE = os.environ.get("NNLIB_JUPYTER_BASELINE")
BASELINE_PROBE = LATENCY_PROBE.replace("attributeFilter: ['data-drawn']", "attributeFilter: ['src'], subtree: true")
GALLERY = "90_explorer_gallery.ipynb"
MOVES = 21


def test_gallery_live_faces_redraw_from_the_kernel_and_trainers_train(jupyter_server, lab_page):
    page = lab_page
    _open(page, jupyter_server.url + f"lab/tree/notebooks/{GALLERY}")
    _run_all(page)
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")  # the gallery's tab, not one restored behind it
    slider_css = ".noUi-handle" if BASELINE else "input[type=range]"
    panel.locator(f".nnx-live {slider_css}").first.wait_for(timeout=180_000)
    # every code cell has run: its prompt holds a number, none is pending ("[*]")
    panel.evaluate("""p => new Promise(resolve => { const done = () => {
        const prompts = Array.from(p.querySelectorAll('.jp-CodeCell .jp-InputPrompt')).map(e => e.textContent);
        if (prompts.length && prompts.every(t => /\\[\\d+\\]/.test(t))) resolve(); else setTimeout(done, 200); };
      done(); })""")
    _wait_idle(page, timeout=300)
    roots = panel.locator(".jp-OutputArea-output .nnx-live").filter(has=page.locator(slider_css))
    count = roots.count()
    assert count >= 5, f"the gallery shows {count} live slider explorers"
    results = {}
    for i in range(count):
        root = roots.nth(i)
        title = (root.get_attribute("id") or str(i)) + ": " + root.locator(".nnx-h, b").first.inner_text()
        slider = root.locator(slider_css).first
        slider.scroll_into_view_if_needed()
        root.evaluate(BASELINE_PROBE if BASELINE else LATENCY_PROBE)
        slider.focus()
        if BASELINE:
            low = float(slider.get_attribute("aria-valuenow")) <= float(slider.get_attribute("aria-valuemin"))
        else:
            low = float(slider.input_value()) <= float(slider.get_attribute("min"))
        keys = ["ArrowRight", "ArrowLeft"] if low else ["ArrowLeft", "ArrowRight"]
        for k in range(MOVES):
            before = root.evaluate("r => r.__lat.length")
            page.keyboard.press(keys[k % 2])
            page.wait_for_function(
                "([r, n]) => r.__lat.length > n", arg=[root.element_handle(), before], timeout=10_000
            )
        results[title] = root.evaluate("r => r.__lat")[1:]  # the first move warms up the kernel's path
        if BASELINE:
            continue
        # the picture shows the slider's state: the last answer drawn is for the slider's value
        value = float(slider.input_value())
        shown = root.evaluate("r => r.__nnx.state[r.querySelector('input[type=range]').dataset.param]")
        assert abs(shown - value) < 1e-9, f"{title}: the picture shows {shown}, the slider {value}"
    if not BASELINE:
        check_trainers(page, panel)
    every = [t for times in results.values() for t, _ in times]
    painted = [p for times in results.values() for _, p in times]
    report = {
        "front_end": "JupyterLab",
        "notebook": GALLERY,
        "moves_per_explorer": MOVES - 1,
        "nnlib": BASELINE or "this tree",
        "median_ms": statistics.median(every),
        "median_to_next_frame_ms": statistics.median(painted),
        "per_explorer": {
            k: {"median_ms": statistics.median([t for t, _ in v]), "max_ms": max(t for t, _ in v)}
            for k, v in results.items()
        },
    }
    name = "jupyter_latency_baseline.json" if BASELINE else "jupyter_latency.json"
    out = Path(__file__).resolve().parents[2] / "artifacts" / name
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=1))
    print(
        f"\nslider key -> redrawn picture in JupyterLab: median {report['median_ms']:.1f} ms "
        f"(to the next frame {report['median_to_next_frame_ms']:.1f} ms) over {len(every)} moves"
    )


def check_trainers(page, panel):
    """Every trainer trains with nnlib in the kernel: Step, then Train for a moment, then Pause."""
    trainers = panel.locator(".jp-OutputArea-output .nnx-train[data-epoch]")
    assert trainers.count() >= 1
    for i in range(trainers.count()):
        trainer = trainers.nth(i)
        trainer.scroll_into_view_if_needed()
        trainer.locator("[data-act=step]").click()
        page.wait_for_function("t => +t.getAttribute('data-epoch') >= 1", arg=trainer.element_handle())
        trainer.locator("[data-act=train]").click()
        page.wait_for_function("t => +t.getAttribute('data-epoch') >= 4", arg=trainer.element_handle(), timeout=30_000)
        trainer.locator("[data-act=train]").click()
