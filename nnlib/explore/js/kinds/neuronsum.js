// Neurons summed, s(x) = sum_i v_i h(w_i x - b_i) + c, with an optional second layer (and its on/off switch).
import { ACT, sgn } from "../act.js";
import { fmt, linspace } from "../format.js";
import { el, clear } from "../svg.js";
import { axes, fitWidth, followRange, legend, pathD } from "../plot.js";
import I18N from "../../../i18n/i18n.js";

const t = I18N.t;  // the page's language (nnlib/i18n): English where the page has no catalogue

function layer2On(cfg, s) { return cfg.second_layer && s.layer2 === "on"; }

function sumNetwork(cfg, s, x) {
  const n = s.count, f = ACT[s.activation], hidden = [], sum = [], out = [], on = layer2On(cfg, s);
  for (let i = 0; i < n; i++) hidden.push([]);
  for (let k = 0; k < x.length; k++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const z = f(x[k] * s["w" + i] + sgn(cfg, s["b" + i]));
      hidden[i].push(z * s["v" + i]);
      total += z * s["v" + i];
    }
    total += (s.c || 0);
    sum.push(total);
    out.push(on ? ACT[s.activation2](total * s.w_l2 + sgn(cfg, s.b_l2)) : total);
  }
  return { hidden, sum, output: out };
}

// The y-range that shows every curve drawn (and 0), following the sliders with hysteresis.
function sumRange(cfg, r, cur) {
  if (cfg.ylim) return cfg.ylim;
  let lo = 0, hi = 0;
  function take(v) { for (let i = 0; i < v.length; i++) { if (v[i] < lo) lo = v[i]; if (v[i] > hi) hi = v[i]; } }
  r.hidden.forEach(take); take(r.sum); take(r.output);
  if (cfg.target) take(cfg.target);
  return followRange(cur, lo, hi, 1);
}

export function compute(cfg, s) {
  const x = linspace(cfg.x[0], cfg.x[1], cfg.x[2]), r = sumNetwork(cfg, s, x), at0 = sumNetwork(cfg, s, [0]);
  r.x = x; r.at0 = [at0.sum[0], at0.output[0]]; r.r2 = null; r.mse = null;
  if (cfg.target) {
    const t = cfg.target;
    let mean = 0, ss = 0, st = 0;
    for (let i = 0; i < t.length; i++) mean += t[i];
    mean /= t.length;
    for (let i = 0; i < t.length; i++) { ss += Math.pow(r.output[i] - t[i], 2); st += Math.pow(t[i] - mean, 2); }
    r.mse = ss / t.length; r.r2 = 1 - ss / st;
  }
  return r;
}

export function readout(cfg, s, r) {
  const act = { n: s.count, activation: t(cfg.act_labels[s.activation]) };
  const head = t(s.count === 1 ? "{n} {activation} neuron" : "{n} {activation} neurons", act);
  let text = layer2On(cfg, s) ? t("{head}; sum at x = 0: {sum}; after layer 2: {out}.", { head, sum: fmt(r.at0[0], 3), out: fmt(r.at0[1], 3) }) :
    t("{head}; sum at x = 0: {sum}.", { head, sum: fmt(r.at0[0], 3) });
  if (r.r2 !== null) text = I18N.sentences(text, t("Fit to the target: R\u00b2 = {r2} (mean squared error {mse}).", { r2: fmt(r.r2, 3), mse: fmt(r.mse, 4) }));
  return text;
}

// The second layer's sliders show only while it is switched on.
export function controls(inst) {
  const w = inst.inputs.w_l2, row = w && w.closest(".nnx-row");
  if (row) row.hidden = !layer2On(inst.cfg, inst.state);
}

const DESIGN_W = 640;
// The plot for a figure `W` units wide with the legend beside it (the design, 640 x 400), or on a narrow screen
// (one unit a pixel) with the legend in a column under it.
function plotBox(W) {
  return W === DESIGN_W ? { x: 64, y: 34, w: 366, h: 326 } : { x: 56, y: 34, w: W - 68, h: Math.round(0.8 * (W - 68)) };
}
// Under a narrow plot the neurons' entries ("v0 · z0") share rows, NARROW_COLUMN units each.
const NARROW_COLUMN = 90;
function neuronColumns(W) { return Math.max(1, Math.floor((W - 64) / NARROW_COLUMN)); }
function legendLines(cfg, W) {
  return Math.ceil(cfg.colors.length / neuronColumns(W)) + (cfg.target ? 1 : 0) + 1 + (cfg.second_layer ? 1 : 0);
}
// Where a legend entry goes: beside the plot, the k-th shown entry in one column; under a narrow plot, neuron i in
// its place of a grid and the entries after the neurons (i >= n) one per row, right under the shown neurons' rows
// (the figure keeps the height of all n, so a move of the neuron slider does not shift the page: the spare rows
// stay at the bottom).
function legendAt(inst, k, i) {
  const b = inst.ax.box, n = inst.cfg.colors.length, cols = neuronColumns(inst.layoutW);
  if (inst.layoutW === DESIGN_W) return [b.x + b.w + 14, b.y + 6 + 18 * k];
  const shownNeurons = Math.min(n, inst.state.count);
  const row = i < n ? Math.floor(i / cols) : Math.ceil(shownNeurons / cols) + i - n;
  return [b.x + (i < n ? NARROW_COLUMN * (i % cols) : 0), b.y + b.h + 56 + 18 * row];
}

export function draw(inst, r) {
  const cfg = inst.cfg, s = inst.state, n = cfg.colors.length, on = layer2On(cfg, s);
  const ylim = sumRange(cfg, r, inst.ylim);
  const relaid = fitWidth(inst, DESIGN_W, (W) => { const b = plotBox(W); return b.y + b.h + 50 + 18 * legendLines(cfg, W); });
  if (relaid || !inst.ax || ylim !== inst.ylim) {
    inst.ylim = ylim;
    clear(inst.svg);
    inst.clipCount = 0;
    const narrow = inst.layoutW !== DESIGN_W;
    const ax = inst.ax = axes(inst, inst.svg, plotBox(inst.layoutW), [cfg.x[0], cfg.x[1]], ylim,
      { xlabel: t("input x"), ylabel: t("output"), nx: narrow ? 4 : 6 });
    if (ylim[0] < 0 && ylim[1] > 0) el("line", { x1: ax.box.x, x2: ax.box.x + ax.box.w, y1: ax.sy(0),
      y2: ax.sy(0), stroke: "#000", "stroke-width": 0.7 }, ax.plot);
    const items = [];
    if (cfg.target) {
      el("path", { d: pathD(r.x, cfg.target, ax.sx, ax.sy), fill: "none", stroke: cfg.target_color,
        "stroke-width": 7, "stroke-opacity": 0.6, "stroke-linejoin": "round" }, ax.plot);
    }
    inst.hiddenPaths = cfg.colors.map(function (c, i) {
      items.push({ label: "v" + i + " \u00b7 z" + i, color: c, width: 1.8 });
      return el("path", { fill: "none", stroke: c, "stroke-width": 1.8 }, ax.plot);
    });
    if (cfg.target) items.push({ label: t("target"), color: cfg.target_color, width: 7, opacity: 0.6 });
    inst.sumPath = el("path", { fill: "none", stroke: cfg.sum_color, "stroke-width": 3, "class": "nnx-curve" }, ax.plot);
    items.push({ label: t("sum s(x)"), color: cfg.sum_color, width: 3 });
    inst.outPath = null;
    if (cfg.second_layer) {
      inst.outPath = el("path", { fill: "none", stroke: cfg.sum_color, "stroke-width": 3, "stroke-dasharray": "8 5" }, ax.plot);
      items.push({ label: t("layer 2: {formula}", { formula: "h(w s " + (cfg.bias_sign === "-" ? "\u2212" : "+") + " b)" }),
        color: cfg.sum_color, width: 3, dash: "8 5" });
    }
    const at = legendAt(inst, 0, 0);
    inst.legendRows = legend(inst.svg, at[0], at[1], items);
  }
  const a = inst.ax;
  let shown = 0;
  inst.hiddenPaths.forEach(function (p, i) {
    const vis = i < s.count;
    p.setAttribute("visibility", vis ? "visible" : "hidden");
    if (vis) p.setAttribute("d", pathD(r.x, r.hidden[i], a.sx, a.sy));
  });
  // legend: the shown neurons, then the other entries, without gaps
  const last = inst.legendRows.length - 1;
  inst.legendRows.forEach(function (row, i) {
    const vis = (i >= n || i < s.count) && !(inst.outPath && i === last && !on);
    row.setAttribute("visibility", vis ? "visible" : "hidden");
    if (vis) row.setAttribute("transform", "translate(" + legendAt(inst, shown++, i).join(",") + ")");
  });
  inst.sumPath.setAttribute("d", pathD(r.x, r.sum, a.sx, a.sy));
  if (inst.outPath) {
    inst.outPath.setAttribute("visibility", on ? "visible" : "hidden");
    inst.outPath.setAttribute("d", pathD(r.x, r.output, a.sx, a.sy));
  }
  let title = t(s.count === 1 ? "{n} neuron" : "{n} neurons", { n: s.count });
  if (on) title = t("{neurons} and a second layer", { neurons: title });
  a.title.textContent = r.r2 !== null ? t("{what}: R\u00b2 = {r2}", { what: title, r2: fmt(r.r2, 3) }) : title;
}
