"""What a slider move costs the page beyond its drawing (issue 22: at most 16 ms a move in a long notebook).

- A move forces no layout: the figure's width is read when the ResizeObserver reports a change, not on every move
  (reading clientWidth after the move's writes made the browser lay out the whole notebook at once).
- A resized figure is still laid out again for its width (the observer's job), and a move keeps that layout.
- A move writes no attribute or text to the value it already has (each such write invalidates style and layout):
  chapter 4's decision boundary, a 2-5-1 network on 250 points.

Runs on a blank page (no built book): the explorer's own block, its bundle inlined.
"""

import numpy as np

from nnlib.explore import DecisionBoundaryExplorer


def chapter_4_like():
    rng = np.random.default_rng(4)
    x = rng.uniform(-1, 1.5, size=(250, 2))
    return DecisionBoundaryExplorer(
        hidden=dict(W=rng.normal(size=(2, 5)), b=rng.normal(size=5), activation="tanh"),
        output=(np.round(rng.normal(size=5), 1), 0.0),
        activation="tanh",
        data=x,
        labels=np.where(x.sum(1) > 0.5, 1, -1),
        xlim=(-1, 1.5),
        ylim=(-1, 1.5),
        key="moves",
    )


MOVE = """([name, values]) => {
  const inp = document.getElementById('moves-' + name);
  for (const v of values) { inp.value = String(v); inp.dispatchEvent(new Event('input', {bubbles: true})); }
  return document.getElementById('moves').__nnx.drawn;
}"""


def open_block(page, width=1280):
    page.set_viewport_size({"width": width, "height": 900})
    page.set_content(f"<!doctype html><meta charset='utf-8'><body>{chapter_4_like().to_html()}</body>")
    page.wait_for_function("document.getElementById('moves').__nnx && document.getElementById('moves').__nnx.drawn")
    page.wait_for_timeout(100)  # the ResizeObserver's first report


def test_a_slider_move_reads_no_layout(blank_page):
    open_block(blank_page)
    blank_page.evaluate("""() => {
      window.__reads = 0;
      const get = Object.getOwnPropertyDescriptor(Element.prototype, 'clientWidth').get;
      Object.defineProperty(Element.prototype, 'clientWidth', {configurable: true,
        get() { window.__reads++; return get.call(this); }});
    }""")
    drawn = blank_page.evaluate(MOVE, ["v0", [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5]])
    assert drawn >= 9  # every move drew
    assert blank_page.evaluate("window.__reads") == 0, "a slider move read the figure's width (a forced layout)"


def test_a_resized_figure_is_laid_out_again_and_a_move_keeps_it(blank_page):
    open_block(blank_page)
    view_box = "() => document.querySelector('#moves svg.nnx-svg').getAttribute('viewBox')"
    wide = blank_page.evaluate(view_box)
    assert wide.startswith("0 0 560 ")  # the design layout
    blank_page.set_viewport_size({"width": 390, "height": 844})
    blank_page.wait_for_function(f"({view_box})() !== {wide!r}")
    narrow = blank_page.evaluate(view_box)
    blank_page.evaluate(MOVE, ["v0", [0.5, -0.5]])
    assert blank_page.evaluate(view_box) == narrow
    blank_page.set_viewport_size({"width": 1280, "height": 900})
    blank_page.wait_for_function(f"({view_box})() === {wide!r}")


def test_a_slider_move_rewrites_nothing_unchanged(blank_page):
    open_block(blank_page)
    records = blank_page.evaluate(
        """([name, values]) => {
      const root = document.getElementById('moves'), svg = root.querySelector('svg.nnx-svg'), same = [];
      const check = (list) => list.forEach((m) => {  // a write that left the value it found
        if (m.type === 'attributes' && m.oldValue === m.target.getAttribute(m.attributeName))
          same.push(m.target.tagName + ' ' + m.attributeName);
        if (m.type === 'childList' && m.addedNodes.length === 1 && m.removedNodes.length === 1 &&
            m.addedNodes[0].textContent === m.removedNodes[0].textContent) same.push(m.target.tagName + ' text');
      });
      const seen = new MutationObserver(() => {});
      seen.observe(svg, {subtree: true, attributes: true, attributeOldValue: true, childList: true});
      const inp = document.getElementById('moves-' + name);
      for (const v of values) {  // one move at a time: its records against the values it left
        inp.value = String(v);
        inp.dispatchEvent(new Event('input', {bubbles: true}));
        check(seen.takeRecords());
      }
      seen.disconnect();
      return same;
    }""",
        ["v0", [-1.0, -0.5, 0.0, 0.5, 1.0]],
    )
    assert records == [], f"a move wrote values the figure already had: {sorted(set(records))}"


def test_a_moved_figure_is_the_one_drawn_afresh_in_its_state(blank_page):
    """The live face moves a figure the static face may draw afresh (and tests/jupyter compares the two): after the
    hidden-neuron count goes down and up, the markup is the fresh figure's (a hidden neuron's line keeps no
    coordinates)."""
    open_block(blank_page)
    differ = blank_page.evaluate(
        """(counts) => {
      const root = document.getElementById('moves'), inst = root.__nnx, inp = document.getElementById('moves-count');
      const strip = (t) => t.replace(/<title>.*?<\\/title>|<desc>.*?<\\/desc>/g, '');
      const out = [];
      for (const n of counts) {
        inp.value = String(n);
        inp.dispatchEvent(new Event('input', {bubbles: true}));
        const fresh = nnlibExplore.renderSVG(Object.assign({}, inst.cfg, {state: inst.state}));
        if (strip(nnlibExplore.serializeSVG(inst.svg)) !== strip(fresh)) out.push(n);
      }
      return out;
    }""",
        [3, 5, 2, 4],
    )
    assert differ == [], f"after moving the count to {differ}, the figure is not the one drawn afresh"
