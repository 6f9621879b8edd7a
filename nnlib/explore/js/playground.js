/* playground.js: the playground (nnlib/explore/playground.py), TensorFlow-Playground style, drawn as SVG.
 *
 * The reader's choices (data set, noise, hidden layers and units, activation, learning rate, batch size) make a
 * "run": its data, its starting weights and its options. A trainer trains the run: in the book train.js's Trainer
 * (nn.js, the page's own seeded batch order), in Jupyter one that asks the kernel (playground-live-entry.js), where
 * nnlib trains with the same order. This file draws what the trainer holds, every frame while training:
 *   - the network as a graph: each node a picture of its output over the input plane, each edge coloured (PuOr:
 *     purple positive, orange negative) and thickened by its weight; an edge is a slider (drag it up or down, or
 *     focus it and press the arrow keys), and a changed weight starts a new run from the weights shown;
 *   - the decision region (the output over the plane, its 0.5 line, the data) and the loss curves.
 * renderSVG(cfg) draws the starting state without a DOM (Node pre-renders it for readers without JavaScript).
 */
import NN from "../nn.js";
import { Trainer } from "./train.js";
import { el, clear, withShim, ShimElement, serializeSVG } from "./svg.js";
import { axes, bmpDataURL, legendRow, marker, pathD } from "./plot.js";
import { marchingSquares } from "./contour.js";
import { fmt } from "./format.js";
import { wake } from "./wake.js";
import I18N from "../../i18n/i18n.js";

const t = I18N.t;  // the page's language (nnlib/i18n): English where the page has no catalogue

const root = typeof window !== "undefined" ? window : globalThis;
export const instances = root.__nnxPlaygroundInstances || (root.__nnxPlaygroundInstances = {});
const now = () => (root.performance || Date).now();
const GRAPH = { w: 460, h: 330 }, LOSS = { w: 330, h: 222 };  // viewBoxes (playground.py: GRAPH_SIZE, LOSS_SIZE)
const WEIGHT_LIMIT = 8;

// ---- the run: what the reader chose, as data ----------------------------------------------------------------
// The page's starting weights (playground.initial_layers): Glorot-uniform from the page's generator, 4 decimals.
export function initialLayers(hidden, activation, outputActivation, seed) {
  const rand = NN.random(seed), layers = [];
  let inputs = 2;
  hidden.concat([1]).forEach(function (units, k) {
    const limit = Math.sqrt(6 / (inputs + units)), W = [];
    for (let i = 0; i < inputs; i++) {
      const row = [];
      for (let j = 0; j < units; j++) row.push(Math.round((2 * rand() - 1) * limit * 1e4) / 1e4);
      W.push(row);
    }
    layers.push({ W, b: new Array(units).fill(0), activation: k < hidden.length ? activation : outputActivation });
    inputs = units;
  });
  return layers;
}

function hiddenOf(state) {
  const out = [];
  for (let k = 1; k <= state.layers; k++) out.push(+state["units" + k]);
  return out;
}
function sameArchitecture(layers, hidden, activation) {
  return layers.length === hidden.length + 1 &&
    hidden.every((u, k) => layers[k].b.length === u && layers[k].activation === activation);
}

// The run of a state: {data, noise, hidden, activation, learning_rate, batch_size, seed, start}. `start` defaults
// to the notebook's model (while its architecture is chosen) or the page's seeded weights.
export function runOf(cfg, state, start) {
  const hidden = hiddenOf(state);
  if (!start) {
    start = cfg.model_start && sameArchitecture(cfg.model_start, hidden, state.activation) ? cfg.model_start :
      initialLayers(hidden, state.activation, cfg.output_activation, state.seed);
  }
  return { data: state.data, noise: +state.noise, hidden, activation: state.activation,
    learning_rate: +state.learning_rate, batch_size: +state.batch_size, seed: +state.seed, start };
}

// The run's points: x = clean + noise * unit noise (playground_data), the last cfg.validation rows held out.
export function taskOf(cfg, run) {
  const set = cfg.data[run.data], n = set.clean.length, cut = n - cfg.validation;
  const x = set.clean.map((p, i) => [p[0] + run.noise * cfg.unit_noise[i][0], p[1] + run.noise * cfg.unit_noise[i][1]]);
  const t = set.classes.map((c) => [c]);
  return { layers: run.start, x_train: x.slice(0, cut), t_train: t.slice(0, cut), x_val: x.slice(cut),
    t_val: t.slice(cut), classes: set.classes, xlim: set.xlim, ylim: set.ylim };
}

export function pageTrainer(task, run, cfg) {
  return new Trainer(task, { loss: cfg.loss, optimizer: cfg.optimizer, seed: run.seed,
    learning_rate: run.learning_rate, batch_size: run.batch_size });
}

// ---- the exported code: the template of playground.py (CODE_TEMPLATE), filled as code_values fills it ----
function number(v) { return String(v); }
export function codeValues(run, epochs, outputActivation) {
  const dense = run.hidden.map((u) => "Dense(" + u + ", \"" + run.activation + "\")")
    .concat(["Dense(1, \"" + outputActivation + "\")"]);
  const rows = run.start.map(function (layer, k) {
    const W = "[" + layer.W.map((row) => "[" + row.map(number).join(", ") + "]").join(", ") + "]";
    const b = "[" + layer.b.map(number).join(", ") + "]";
    return "    " + W + ",  # W" + (k + 1) + "\n    " + b + ",  # b" + (k + 1);
  });
  return { epochs: String(epochs), data: "\"" + run.data + "\"", noise: number(run.noise), layers: dense.join(", "),
    weights: rows.join("\n"), learning_rate: number(run.learning_rate), batch_size: String(run.batch_size),
    seed: String(run.seed) };
}
export function fillCode(template, values) { return template.replace(/\{(\w+)\}/g, (m, name) => values[name]); }

// ---- drawing ---------------------------------------------------------------------------------------------------
function gridOf(task, G) {
  const X = new Float64Array(2 * G * G);
  for (let j = 0; j < G; j++) for (let i = 0; i < G; i++) {
    X[2 * (j * G + i)] = task.xlim[0] + (i + 0.5) / G * (task.xlim[1] - task.xlim[0]);
    X[2 * (j * G + i) + 1] = task.ylim[1] - (j + 0.5) / G * (task.ylim[1] - task.ylim[0]);
  }
  return X;
}
// A G x G picture (rows from the top) of column `unit` of `values` (stride `units`), lo -> the palette's first
// colour, hi -> its last, as a BMP data URL (plot.js: the same bytes in Node and in the browser).
function picture(values, units, unit, G, palette, lo, hi) {
  const index = new Uint8Array(G * G), L = palette.length - 1;
  for (let j = 0; j < G; j++) for (let i = 0; i < G; i++) {
    const f = (values[(j * G + i) * units + unit] - lo) / (hi - lo);
    index[(G - 1 - j) * G + i] = f !== f ? 0 : f <= 0 ? 0 : f >= 1 ? L : Math.round(f * L);  // BMP: bottom row first
  }
  return bmpDataURL(G, G, index, palette);
}
// A neuron's picture: its output z around the value it takes where its sum is 0 (white), scaled to its own reach.
function neuronPicture(values, units, unit, G, palette, activation) {
  let centre = activation === "softmax" ? 1 / units : NN.activation(activation).f(0), reach = 1e-12;
  if (!isFinite(centre)) centre = 0;
  for (let p = 0; p < G * G; p++) { const d = Math.abs(values[p * units + unit] - centre); if (d > reach) reach = d; }
  return picture(values, units, unit, G, palette, centre - reach, centre + reach);
}

function nodeName(k, j, layerCount) {
  if (k === 0) return t("input x{j}", { j });
  if (k === layerCount) return t("the output y");
  return t("neuron {n} of layer {layer}", { n: j, layer: k });  // neurons from 0 (z0), layers from 1, as the book
}

// The graph's structure for an architecture: columns of nodes, and edges with their hit areas (built once per run).
function buildGraph(inst, svg) {
  clear(svg);
  const sizes = [2].concat(inst.trainer.layers.map((L) => L.units)), C = sizes.length, S = 30;
  const xs = sizes.map((_, c) => 48 + c * (GRAPH.w - 96) / (C - 1));
  const g = { nodes: [], edges: [], S };
  const heads = el("g", { "font-size": 16, "text-anchor": "middle", "aria-hidden": "true" }, svg);
  sizes.forEach(function (m, c) {
    el("text", { x: xs[c], y: 18 }, heads, c === 0 ? t("inputs") : c === C - 1 ? t("output") : t("layer {n}", { n: c }));
  });
  const ys = sizes.map(function (m) {
    const step = Math.min(38, (GRAPH.h - 40) / m), top = 30 + (GRAPH.h - 30 - step * m) / 2;
    const out = [];
    for (let j = 0; j < m; j++) out.push(top + step * (j + 0.5));
    return out;
  });
  const edges = el("g", { "class": "nnx-pg-edges" }, svg);
  for (let k = 0; k + 1 < C; k++) for (let i = 0; i < sizes[k]; i++) for (let j = 0; j < sizes[k + 1]; j++) {
    const x1 = xs[k] + S / 2, y1 = ys[k][i], x2 = xs[k + 1] - S / 2, y2 = ys[k + 1][j], mx = (x1 + x2) / 2;
    const d = "M" + x1.toFixed(1) + "," + y1.toFixed(1) + "C" + mx.toFixed(1) + "," + y1.toFixed(1) + " " +
      mx.toFixed(1) + "," + y2.toFixed(1) + " " + x2.toFixed(1) + "," + y2.toFixed(1);
    const label = t("weight from {from} to {to}", { from: nodeName(k, i, C - 1), to: nodeName(k + 1, j, C - 1) });
    const group = el("g", { "class": "nnx-pg-edge", tabindex: 0, role: "slider", "aria-label": label,
      "aria-valuemin": -WEIGHT_LIMIT, "aria-valuemax": WEIGHT_LIMIT, "data-edge": k + "," + i + "," + j }, edges);
    const halo = el("path", { d, "class": "nnx-pg-halo", fill: "none", stroke: "#000", "stroke-opacity": 0,
      "stroke-width": 12 }, group);
    const line = el("path", { d, fill: "none", "stroke-linecap": "round" }, group);
    g.edges.push({ k, i, j, group, halo, line });
  }
  const nodes = el("g", { "aria-hidden": "true" }, svg), labels = el("g", { "font-size": 16 }, svg);
  sizes.forEach(function (m, c) {
    for (let j = 0; j < m; j++) {
      const x = xs[c] - S / 2, y = ys[c][j] - S / 2;
      const image = el("image", { x, y, width: S, height: S, preserveAspectRatio: "none" }, nodes);
      el("rect", { x, y, width: S, height: S, fill: "none", stroke: "#555", "stroke-width": 1 }, nodes);
      g.nodes.push({ c, j, image });
    }
  });
  el("text", { x: xs[0] - S / 2 - 4, y: ys[0][0] + 5, "text-anchor": "end", "aria-hidden": "true" }, labels, "x0");
  el("text", { x: xs[0] - S / 2 - 4, y: ys[0][1] + 5, "text-anchor": "end", "aria-hidden": "true" }, labels, "x1");
  el("text", { x: xs[C - 1] + S / 2 + 4, y: ys[C - 1][0] + 5, "aria-hidden": "true" }, labels, "y");
  return g;
}

function edgeColour(w, scale, lut) {
  const f = Math.max(0.3, Math.min(1, Math.abs(w) / scale)) * (w < 0 ? -1 : 1);
  return lut[Math.round((0.5 + 0.5 * f) * (lut.length - 1))];
}

function drawGraph(inst, steps) {
  const cfg = inst.cfg, G = cfg.node_res, layers = inst.trainer.layers, g = inst.graph;
  let scale = 1;
  layers.forEach((L) => { for (let q = 0; q < L.W.length; q++) scale = Math.max(scale, Math.abs(L.W[q])); });
  g.edges.forEach(function (e) {
    const L = layers[e.k], w = L.W[e.i * L.units + e.j];
    e.line.setAttribute("stroke", edgeColour(w, scale, cfg.neuron_lut));
    e.line.setAttribute("stroke-width", (0.8 + 4.2 * Math.min(1, Math.abs(w) / scale)).toFixed(2));
    e.group.setAttribute("aria-valuenow", w);
    e.group.setAttribute("aria-valuetext", fmt(w, 2));
  });
  const last = layers.length;
  g.nodes.forEach(function (n) {
    let href;
    if (n.c === 0) href = neuronPicture(inst.nodeGridX, 2, n.j, G, cfg.neuron_lut, "identity");
    else if (n.c === last) href = picture(steps[last - 1].z, 1, 0, G, cfg.lut, 0, 1);
    else href = neuronPicture(steps[n.c - 1].z, layers[n.c - 1].units, n.j, G, cfg.neuron_lut, layers[n.c - 1].activation);
    n.image.setAttribute("href", href);
  });
}

// The region's axes, data and placeholders for the picture and the 0.5 line (built once per run).
function buildRegion(inst, svg) {
  // x from 56: the rotated y label needs 53 units left of the plot (plot.js axes), or the SVG cuts its glyphs
  const cfg = inst.cfg, task = inst.task, box = { x: 56, y: 10, w: 264, h: 264 };
  clear(svg);
  const ax = axes(inst, svg, box, task.xlim, task.ylim, { nx: 5, ny: 5, xlabel: t("input x0"), ylabel: t("input x1"), noGrid: true });
  const image = el("image", { x: box.x, y: box.y, width: box.w, height: box.h, preserveAspectRatio: "none" }, ax.plot);
  const line = el("path", { d: "", fill: "none", stroke: cfg.line_color, "stroke-width": 2.4 }, ax.plot);
  // the data: circles for class 0, triangles for class 1; training points filled, validation points hollow. One
  // group per kind carries the colours, so each point is only its place.
  const cut = task.x_train.length;
  [false, true].forEach(function (val) {
    [0, 1].forEach(function (c) {
      const colour = cfg.class_colors[c];
      const group = el("g", { fill: val ? "#fff" : colour, stroke: val ? colour : "#fff", "stroke-width": val ? 1.5 : 1 }, ax.plot);
      task.classes.forEach(function (k, p) {
        if (k !== c || (p >= cut) !== val) return;
        const x = p < cut ? task.x_train[p] : task.x_val[p - cut];
        marker(group, c === 1 ? "t" : "c", ax.sx(x[0]), ax.sy(x[1]), 3.6);
      });
    });
  });
  return { box, image, line };
}

function drawRegion(inst, steps) {
  const cfg = inst.cfg, G = cfg.res, out = steps[steps.length - 1].z, r = inst.region, box = r.box;
  r.image.setAttribute("href", picture(out, 1, 0, G, cfg.lut, 0, 1));
  const segs = marchingSquares(G, G, (i, j) => out[j * G + i], 0.5), d = [];
  const px = (u) => box.x + (u + 0.5) / G * box.w, py = (v) => box.y + (v + 0.5) / G * box.h;
  segs.forEach((q) => d.push("M" + px(q[0][0]).toFixed(1) + "," + py(q[0][1]).toFixed(1) + "L" +
    px(q[1][0]).toFixed(1) + "," + py(q[1][1]).toFixed(1)));
  r.line.setAttribute("d", d.join(""));
}

function drawLoss(inst, svg) {
  const cfg = inst.cfg, h = inst.trainer.history;
  clear(svg);
  let ymax = 0;
  h.loss.concat(h.val_loss).forEach((v) => { if (v > ymax) ymax = v; });
  ymax = ymax > 0 ? ymax * 1.08 : 1;
  const xmax = Math.max(cfg.loss_epochs, h.loss.length - 1), box = { x: 56, y: 10, w: 264, h: 140 };
  const ax = axes(inst, svg, box, [0, xmax], [0, ymax], { nx: 5, ny: 4, xlabel: t("epoch"), ylabel: t("loss") });
  const curve = function (values, colour, dash) {
    if (!values.length || values.some((v) => !isFinite(v))) return;
    el("path", { d: pathD(values.map((_, e) => e), values, ax.sx, ax.sy), fill: "none", stroke: colour,
      "stroke-width": 2.2, "stroke-dasharray": dash }, ax.plot);
  };
  curve(h.loss, cfg.curve_colors[0]);
  curve(h.val_loss, cfg.curve_colors[1], "6 4");
  legendRow(svg, box.x, LOSS.h - 12, box.w, [{ label: t("training"), color: cfg.curve_colors[0] },
    { label: t("validation"), color: cfg.curve_colors[1], dash: "6 4" }]);
}

export function readout(trainer) {
  const h = trainer.history, last = h.loss.length - 1, f = NN.format;
  if (!isFinite(h.loss[last])) return t("epoch {epoch}: training with nnlib in the kernel\u2026", { epoch: trainer.epoch });
  const values = { epoch: trainer.epoch, loss: f(h.loss[last], ".4f"), accuracy: f(h.accuracy[last], ".1%") };
  if (!h.val_loss.length) return t("epoch {epoch}: training loss {loss}, accuracy {accuracy}.", values);
  values.val_loss = f(h.val_loss[last], ".4f");
  values.val_accuracy = f(h.val_accuracy[last], ".1%");
  return t("epoch {epoch}: training loss {loss}, accuracy {accuracy}; validation loss {val_loss}, accuracy {val_accuracy}.", values);
}

// Everything that shows the trainer's state (svgs: {graph, region, loss}).
function render(inst, svgs, announce) {
  const G = inst.cfg.res, steps = NN.traceBatch(inst.trainer.layers, inst.gridX, G * G);
  // the nodes' small pictures on a coarser grid: a quarter of the work and of the markup
  drawGraph(inst, NN.traceBatch(inst.trainer.layers, inst.nodeGridX, inst.cfg.node_res * inst.cfg.node_res));
  drawRegion(inst, steps);
  drawLoss(inst, svgs.loss);
  if (inst.root) {
    const trainer = inst.trainer, last = trainer.history.loss.length - 1;
    inst.epochEl.textContent = t("epoch {epoch}", { epoch: trainer.epoch });
    inst.root.setAttribute("data-epoch", trainer.epoch);
    inst.root.setAttribute("data-loss", trainer.history.loss[last]);
    if (announce || now() - inst.lastAnnounce > 2000) { inst.readoutEl.textContent = readout(trainer); inst.lastAnnounce = now(); }
  }
}

// A new run (a menu changed, Reset, a weight dragged): its task, trainer and, if the architecture changed, graph.
function startRun(inst, svgs, run, makeTrainer) {
  inst.run = run;
  inst.task = taskOf(inst.cfg, run);
  inst.gridX = gridOf(inst.task, inst.cfg.res);
  inst.nodeGridX = gridOf(inst.task, inst.cfg.node_res);
  const arch = run.hidden.join(",");
  inst.trainer = (makeTrainer || pageTrainer)(inst.task, run, inst.cfg, inst);
  inst.region = buildRegion(inst, svgs.region);
  if (inst.arch !== arch || !inst.graph) { inst.graph = buildGraph(inst, svgs.graph); inst.arch = arch; }
}

// The starting state's three pictures, without a DOM (Node): {graph, region, loss} markup.
export function renderSVG(cfg) {
  return withShim(function () {
    const svgs = { graph: new ShimElement("svg"), region: new ShimElement("svg"), loss: new ShimElement("svg") };
    const inst = { cfg };
    startRun(inst, svgs, runOf(cfg, cfg.state));
    render(inst, svgs, false);
    return { graph: serializeSVG(svgs.graph), region: serializeSVG(svgs.region), loss: serializeSVG(svgs.loss) };
  });
}

// ---- wiring one block ------------------------------------------------------------------------------------------
// makeTrainer(task, run, cfg, inst): the page's Trainer by default; the Jupyter view passes one that asks the kernel.
export function boot(rootEl, makeTrainer, config) {
  if (!rootEl || rootEl.__nnxPlayground) return rootEl && rootEl.__nnxPlayground;
  wake(rootEl);  // the still pictures and the run note give way to the live figures, menus and buttons
  const cfg = config || JSON.parse(rootEl.querySelector("script.nnx-config").textContent);
  const q = (sel) => rootEl.querySelector(sel);
  const svgs = { graph: q("svg.nnx-pg-graph"), region: q("svg.nnx-pg-region"), loss: q("svg.nnx-pg-loss") };
  const inst = { root: rootEl, cfg, running: false, lastAnnounce: 0, frameWork: [], readoutEl: q(".nnx-readout"),
    epochEl: q(".nnx-pg-epoch"), trainBtn: q("[data-act=train]"), exportEl: q(".nnx-pg-export"),
    exportBtn: q("[data-act=export]") };
  const menu = (name) => q("[data-param=" + name + "]");
  const state = () => {
    const s = { seed: cfg.state.seed };
    ["data", "noise", "layers", "units1", "units2", "units3", "activation", "learning_rate", "batch_size"]
      .forEach((name) => { s[name] = menu(name).value; });
    s.layers = +s.layers;
    return s;
  };
  const redraw = (announce) => { render(inst, svgs, announce); if (!inst.exportEl.hidden) showCode(); };
  const newRun = (start) => { startRun(inst, svgs, runOf(cfg, state(), start), makeTrainer); redraw(true); };

  // Pausing finishes the epoch under way, so that the page's weights are always those after whole epochs
  // (what the exported code reproduces).
  const finishEpoch = () => { while (inst.trainer.order) inst.trainer.stepBatch(); };
  function frame() {
    if (!inst.running) return;
    if (!rootEl.isConnected) { inst.running = false; return; }
    const t0 = now();
    inst.trainer.run(cfg.epochs_per_frame, cfg.budget_ms);
    render(inst, svgs, false);
    inst.frameWork.push(now() - t0);
    if (inst.frameWork.length > 2000) inst.frameWork.shift();
    root.requestAnimationFrame(frame);
  }
  function setRunning(on) {
    inst.running = on;
    inst.trainBtn.textContent = on ? t("Pause") : t("Train");
    inst.trainBtn.setAttribute("aria-label", on ? t("Pause training") : t("Train: run epochs until paused"));
    rootEl.setAttribute("data-running", String(on));
    if (on) root.requestAnimationFrame(frame);
    else { finishEpoch(); redraw(true); }
  }
  function showCode() {
    const code = fillCode(cfg.code_template, codeValues(inst.run, inst.trainer.epoch, cfg.output_activation));
    inst.exportEl.querySelector("code").textContent = code;
  }
  inst.trainBtn.addEventListener("click", () => setRunning(!inst.running));
  q("[data-act=step]").addEventListener("click", function () {
    if (inst.running) setRunning(false);
    inst.trainer.stepEpoch();
    redraw(true);
  });
  q("[data-act=reset]").addEventListener("click", function () {
    if (inst.running) setRunning(false);
    newRun(null);
  });
  inst.exportBtn.addEventListener("click", function () {
    if (inst.running) setRunning(false);
    const open = inst.exportEl.hidden;
    inst.exportEl.hidden = !open;
    inst.exportBtn.setAttribute("aria-expanded", String(open));
    if (open) showCode();
  });
  // Any menu starts a new run (the exported code describes one run); the layer count shows its units menus.
  rootEl.querySelectorAll("[data-param]").forEach(function (m) {
    m.addEventListener("change", function () {
      if (inst.running) setRunning(false);
      for (let k = 1; k <= 3; k++) menu("units" + k).parentNode.hidden = k > +menu("layers").value;
      newRun(null);
    });
  });

  // Weights: an edge is a slider. A changed weight starts a new run from the weights shown.
  function setWeight(edge, value) {
    if (inst.running) setRunning(false);
    const w = Math.max(-WEIGHT_LIMIT, Math.min(WEIGHT_LIMIT, Math.round(value * 100) / 100));
    const start = inst.trainer.layers.map(function (L) {
      const W = [];
      for (let i = 0; i < L.inputs; i++) W.push(Array.from(L.W.subarray(i * L.units, (i + 1) * L.units)));
      return { W, b: Array.from(L.b), activation: L.activation };
    });
    start[edge.k].W[edge.i][edge.j] = w;
    newRun(start);
  }
  const edgeOf = (target) => {
    const g = target.closest && target.closest(".nnx-pg-edge");
    if (!g) return null;
    const [k, i, j] = g.getAttribute("data-edge").split(",").map(Number);
    return { k, i, j, weight: () => inst.trainer.layers[k].W[i * inst.trainer.layers[k].units + j] };
  };
  svgs.graph.addEventListener("keydown", function (e) {
    const edge = edgeOf(e.target), steps = { ArrowUp: 0.1, ArrowRight: 0.1, ArrowDown: -0.1, ArrowLeft: -0.1,
      PageUp: 1, PageDown: -1 };
    if (!edge || !(e.key in steps)) return;
    e.preventDefault();
    setWeight(edge, edge.weight() + steps[e.key]);
  });
  let drag = null;
  svgs.graph.addEventListener("pointerdown", function (e) {
    const edge = edgeOf(e.target);
    if (!edge) return;
    e.preventDefault();
    const box = svgs.graph.getBoundingClientRect();
    drag = { edge, y: e.clientY, w: edge.weight(), unitsPerPx: GRAPH.h / box.height, id: e.pointerId };
    e.target.closest(".nnx-pg-edge").focus();
    if (svgs.graph.setPointerCapture) svgs.graph.setPointerCapture(e.pointerId);
  });
  svgs.graph.addEventListener("pointermove", function (e) {
    if (!drag || e.pointerId !== drag.id) return;
    // up makes the weight larger: 0.02 per unit of the figure, so the figure's height spans about 6.6
    setWeight(drag.edge, drag.w + (drag.y - e.clientY) * drag.unitsPerPx * 0.02);
  });
  const endDrag = () => { drag = null; };
  svgs.graph.addEventListener("pointerup", endDrag);
  svgs.graph.addEventListener("pointercancel", endDrag);

  inst.setRunning = setRunning;
  inst.render = redraw;
  inst.newRun = newRun;
  rootEl.__nnxPlayground = inst;
  instances[cfg.key] = inst;
  rootEl.classList.add("nnx-js", "nnx-live");
  newRun(null);
  return inst;
}
