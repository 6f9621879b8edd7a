// The live face in Jupyter (anywidget): the same blocks and drawing as the book, numbers from nnlib.
// Traits: face (the block's HTML), config, state (view -> kernel), view (kernel -> view: {state, result, moved}).
//
// A move draws twice. At once from the kind's own compute (nn.js, the book's code; its parity with nnlib is
// what the Hypothesis suites test), so the picture follows the hand without waiting for the kernel; then,
// when the kernel's answer for that state arrives, from nnlib's numbers, which are the truth. The block's
// data-source says which one is on screen ("page" or "nnlib"). An answer for a state the controls have left
// is stale and dropped: the answer for the newest state is on its way.
import { KINDS, mount } from "./explorer.js";
import { wake } from "./wake.js";

// Two states are the same when every control the view knows has the same value (the kernel puts sliders
// back on their grid: 0.1 + 0.2 comes back as 0.3).
function sameState(a, b) {
  for (const name in a) {
    if (name === "__n") continue;
    const x = a[name], y = b[name];
    if (typeof x === "number" && typeof y === "number") {
      if (Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x))) return false;
    } else if (x !== y) return false;
  }
  return true;
}

function render({ model, el }) {
  el.innerHTML = model.get("face");
  const root = wake(el.firstElementChild);
  const cfg = model.get("config"), kind = KINDS[cfg.kind];
  let asked = 0, wanted = null;
  // The page's own numbers for `state`, or null where this kind has no page compute or cannot compute it.
  function pageResult(state) {
    if (!kind || typeof kind.compute !== "function") return null;
    try {
      return kind.compute(cfg, state);
    } catch {
      return null;  // the kernel's answer draws it
    }
  }
  const inst = mount(root, cfg, function (state, done) {
    wanted = state;
    const result = pageResult(state);
    if (result) {
      done(state, result);
      root.setAttribute("data-source", "page");
    }
    model.set("state", Object.assign({}, state, { __n: ++asked }));
    model.save_changes();
  });
  function draw() {
    const v = model.get("view");
    if (!v || !v.result) return;
    if (v.moved) {  // explorer.set(...) in the kernel: the controls go where it put them
      inst.moveTo(v.state);
      wanted = null;
    } else if (wanted && !sameState(wanted, v.state)) return;  // stale: for a state the controls have left
    inst.show(v.state, v.result);
    root.setAttribute("data-source", "nnlib");
  }
  model.on("change:view", draw);
  // A view drawn again (a reloaded page) while the kernel holds moved controls: they start where its state is.
  const held = model.get("view");
  if (held && held.result) inst.moveTo(held.state);
  draw();
  return () => model.off("change:view", draw);
}

export default { render };
