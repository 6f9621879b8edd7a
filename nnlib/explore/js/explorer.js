// One explorer block, in both faces. The same kinds draw both:
//   boot(root)            the book's static face: nn.js computes each state in the page (kind.compute);
//   mount(root, cfg, ask) the live face in Jupyter: `ask(state)` sends the state to the kernel, where nnlib
//                         computes, and `show(state, result)` draws the numbers that come back;
//   renderSVG(cfg)        the first state without a DOM (Node), for the figure readers without JavaScript see.
import { fmt } from "./format.js";
import { serializeSVG, ShimElement, withShim } from "./svg.js";
import * as neuron from "./kinds/neuron.js";
import * as neuronsum from "./kinds/neuronsum.js";
import * as boundary from "./kinds/boundary.js";
import * as affine from "./kinds/affine.js";
import * as flow from "./kinds/flow.js";
import * as fitn from "./kinds/fitn.js";

export const KINDS = { neuron, neuronsum, boundary, affine, flow, fitn };
const host = typeof window !== "undefined" ? window : globalThis;

function readInput(inp) { return inp.tagName === "SELECT" ? inp.value : parseFloat(inp.value); }

// Draw `result`, the numbers of `state`, into the block: the picture, the readout, the rows that show.
function show(inst, state, result) {
  const t0 = host.performance.now(), kind = inst.kind;
  inst.state = state;
  inst.data = result;
  if (kind.controls) kind.controls(inst, host);
  kind.draw(inst, result);
  if (inst.readoutEl) inst.readoutEl.textContent = kind.readout(inst.cfg, state, result);
  if ("count" in state) {
    inst.root.querySelectorAll("[data-neuron]").forEach(function (row) {
      row.hidden = +row.getAttribute("data-neuron") >= state.count;
    });
  }
  inst.lastMs = host.performance.now() - t0;
  inst.drawn = (inst.drawn || 0) + 1;
  inst.root.setAttribute("data-drawn", inst.drawn);
}

// Wire the controls of `root` (the HTML the Python side writes): each move updates its readout and asks
// for the numbers of the new state; `compute(state, done)` answers now (page) or later (kernel).
export function mount(root, cfg, compute) {
  const inst = { root, cfg, kind: KINDS[cfg.kind], svg: root.querySelector("svg.nnx-svg"),
    readoutEl: root.querySelector(".nnx-readout"), state: Object.assign({}, cfg.state), inputs: {} };
  const wanted = Object.assign({}, cfg.state);
  root.querySelectorAll("[data-param]").forEach(function (inp) {
    const name = inp.getAttribute("data-param");
    inst.inputs[name] = inp;
    inp.addEventListener("input", function () {
      const v = readInput(inp);
      wanted[name] = v;
      if (inp.type === "range") {
        const text = fmt(v, +inp.getAttribute("data-decimals")), out = inp.parentNode.querySelector("output");
        if (out) out.textContent = text;
        inp.setAttribute("aria-valuetext", text);
      }
      compute(Object.assign({}, wanted), (state, result) => show(inst, state, result));
    });
  });
  // Programmatic slider moves (tests, benchmarks, the play button): set the value, fire the reader's event.
  inst.set = function (name, value) {
    const inp = inst.inputs[name];
    inp.value = String(value);
    inp.dispatchEvent(new Event("input", { bubbles: true }));
    return inst.data;
  };
  // The kernel moved the controls (explorer.set(...) in Python): show them where it put them.
  inst.moveTo = function (state) {
    for (const name in state) {
      wanted[name] = state[name];
      const inp = inst.inputs[name];
      if (!inp) continue;
      inp.value = String(state[name]);
      const out = inp.type === "range" && inp.parentNode.querySelector("output");
      if (out) out.textContent = fmt(+state[name], +inp.getAttribute("data-decimals"));
    }
  };
  inst.show = (state, result) => show(inst, state, result);
  root.__nnx = inst;
  root.classList.add("nnx-live");
  return inst;
}

// Every block on a page, by key (one registry, though each block carries its own copy of the bundle).
export const instances = host.__nnxInstances || (host.__nnxInstances = {});

// The static face: the page computes with nn.js.
export function boot(root) {
  if (!root || root.__nnx) return root && root.__nnx;
  const cfg = JSON.parse(root.querySelector("script.nnx-config").textContent);
  const kind = KINDS[cfg.kind];
  const inst = mount(root, cfg, (state, done) => done(state, kind.compute(cfg, state)));
  const state = Object.assign({}, cfg.state);
  for (const name in inst.inputs) state[name] = readInput(inst.inputs[name]);  // a reload may restore a moved slider
  inst.update = () => { show(inst, inst.state, kind.compute(cfg, inst.state)); return inst.data; };
  show(inst, state, kind.compute(cfg, state));
  instances[cfg.key] = inst;
  return inst;
}

// The SVG markup (the children of the explorer's <svg>) of `cfg.state`, drawn with no DOM: from `result`
// (numbers computed elsewhere, e.g. by nnlib) or, without it, from the kind's own compute.
export function renderSVG(cfg, result) {
  return withShim(function () {
    const kind = KINDS[cfg.kind], svg = new ShimElement("svg");
    const inst = { cfg, kind, svg, state: Object.assign({}, cfg.state) };
    inst.data = result || kind.compute(cfg, inst.state);
    kind.draw(inst, inst.data);
    return serializeSVG(svg);
  });
}

// The readout sentence of `cfg.state` (the static face's text before its script runs).
export function renderReadout(cfg, result) {
  const kind = KINDS[cfg.kind];
  return kind.readout(cfg, cfg.state, result || kind.compute(cfg, cfg.state));
}
