// The decision boundary of a neuron (or a small network) on two inputs: heat map, boundary, data points.
import { ACT } from "../act.js";
import { fmt, linspace, term } from "../format.js";
import { el, clear } from "../svg.js";
import { axes, bmpDataURL, fitWidth, legendRow, legendRows, marker } from "../plot.js";
import { clipLine, contour } from "../contour.js";
import I18N from "../../../i18n/i18n.js";

const t = I18N.t;  // the page's language (nnlib/i18n): English where the page has no catalogue

// The classes of the points: the gate chosen in the target menu, or the data's labels.
function classesOf(cfg, s) { return cfg.gates ? cfg.gates[s.target] : cfg.classes; }

// A point on its class's side lies on dark (first class) or light (second class) output: edge it in contrast.
const EDGE = ["#fff", "#222"];

// The hidden layer's outputs h_k = g(x0 W0k + x1 W1k + b_k) at n points (x0, x1) = (at(p, 0), at(p, 1)): a flat
// (n x H) Float64Array. Its weights are fixed (the sliders move the output layer and the count), so compute()
// keeps them per configuration, at the grid's points and the data's: a slider move costs one weighted sum a point.
const HIDDEN = new WeakMap();
function hiddenAt(H, n, at) {
  const g = ACT[H.activation], units = H.b.length, h = new Float64Array(n * units);
  for (let p = 0; p < n; p++) for (let k = 0; k < units; k++) h[p * units + k] = g(at(p, 0) * H.W[0][k] + at(p, 1) * H.W[1][k] + H.b[k]);
  return h;
}

// The network's outputs at n points, as nnlib's Dense computes them (the weighted sum, then the bias): one neuron
// on the inputs, or the output neuron on the kept hidden outputs h.
function outputs(s, n, at, h) {
  const f = ACT[s.activation], out = new Float64Array(n), v = [], units = h && h.length / n;
  for (let i = 0; i < s.count; i++) v.push(s["v" + i]);
  for (let p = 0; p < n; p++) {
    let sum = 0;
    if (!h) sum = at(p, 0) * s.w0 + at(p, 1) * s.w1;
    else for (let i = 0; i < v.length; i++) sum += h[p * units + i] * v[i];
    out[p] = f(sum + (h ? s.c : s.b));
  }
  return out;
}

export function compute(cfg, s) {
  const res = cfg.res, N = res * res, gx = linspace(cfg.xlim[0], cfg.xlim[1], res), gy = linspace(cfg.ylim[0], cfg.ylim[1], res);
  const classes = classesOf(cfg, s), threshold = cfg.thresholds[s.activation], H = cfg.hidden, grid = [];
  // the points: the grid's N (row j * res + i at (gx[i], gy[j])), then the data's
  const at = (p, a) => (p >= N ? cfg.X[2 * (p - N) + a] : a ? gy[Math.floor(p / res)] : gx[p % res]);
  const kept = H && (HIDDEN.get(cfg) || hiddenAt(H, N + classes.length, at));
  if (H) HIDDEN.set(cfg, kept);
  const all = outputs(s, N + classes.length, at, kept), out = [...all.subarray(N)];
  for (let j = 0; j < res; j++) grid.push([...all.subarray(j * res, (j + 1) * res)]);  // rows, as nnlib sends them
  const predicted = out.map((o) => (o > threshold ? 1 : 0)), correct = predicted.map((c, p) => c === classes[p]);
  return { gx, gy, grid, outputs: out, predicted, correct, classes, threshold };
}

function rightSide(r) { return r.correct.reduce((n, c) => n + (c ? 1 : 0), 0); }

export function readout(cfg, s, r) {
  const n = r.classes.length, ok = rightSide(r);
  const head = cfg.hidden ? t(s.count === 1 ? "{n} hidden neuron" : "{n} hidden neurons", { n: s.count }) :
    t("{line} = 0 is the boundary", { line: fmt(s.w0, 1) + " x0 " + term(s.w1, 1) + " x1 " + term(s.b, 1) });
  return t("{head}; {ok} of {n} points are on their class's side ({percent}%).",
    { head, ok, n, percent: Math.floor(100 * ok / n + 0.5) });
}

const DESIGN_W = 560;
// The plot for a figure `W` units wide: the design (560 x 460), or a narrow screen's (one unit a pixel), with
// room on the right for the colour bar.
function plotBox(W) {
  if (W === DESIGN_W) return { x: 64, y: 34, w: 390, h: 350 };
  const w = W - 56 - 84;
  return { x: 56, y: 34, w, h: Math.round(0.9 * w) };
}
// The legend under the plot on a narrow screen, wrapped to its width.
function legendItems(cfg, labels) {
  return [{ label: t("boundary"), color: cfg.line_color, width: 2.6 },
    { label: t(labels[0]), marker: "c", color: cfg.class_colors[0], edge: "#fff" },
    { label: t(labels[1]), marker: "t", color: cfg.class_colors[1], edge: EDGE[1] },
    { label: t("black rim: wrong side"), marker: "c", color: "#fff", edge: "#000" }];
}

// The design's legend under the plot, in one row.
function designLegend(svg, box, cfg, labels) {
  const lg = el("g", { "font-size": 12, "aria-hidden": "true" }, svg), ly = box.y + box.h + 56;
  el("line", { x1: box.x, x2: box.x + 24, y1: ly, y2: ly, stroke: cfg.line_color, "stroke-width": 2.6 }, lg);
  el("text", { x: box.x + 30, y: ly + 4 }, lg, "boundary");
  marker(lg, "c", box.x + 120, ly, 6, cfg.class_colors[0], "#fff");
  el("text", { x: box.x + 132, y: ly + 4 }, lg, labels[0]);
  marker(lg, "t", box.x + 210, ly, 6, cfg.class_colors[1], EDGE[1]);
  el("text", { x: box.x + 222, y: ly + 4 }, lg, labels[1]);
  marker(lg, "c", box.x + 300, ly, 6, "#fff", "#000");
  el("text", { x: box.x + 312, y: ly + 4 }, lg, t("black rim: wrong side"));
}

export function draw(inst, r) {
  const cfg = inst.cfg, s = inst.state, res = cfg.res, labels = cfg.class_labels || ["class 0", "class 1"];
  const dx = (cfg.xlim[1] - cfg.xlim[0]) / (res - 1) / 2, dy = (cfg.ylim[1] - cfg.ylim[0]) / (res - 1) / 2;
  const relaid = fitWidth(inst, DESIGN_W, (W) => {
    const b = plotBox(W);
    return b.y + b.h + 50 + 18 * legendRows(null, 0, 0, W - b.x - 8, legendItems(cfg, labels));
  });
  if (relaid || !inst.ax) {
    clear(inst.svg);
    inst.clipCount = 0;
    inst.pointsFor = null;
    const narrow = inst.layoutW !== DESIGN_W;
    const ax = inst.ax = axes(inst, inst.svg, plotBox(inst.layoutW), [cfg.xlim[0] - dx, cfg.xlim[1] + dx],
      [cfg.ylim[0] - dy, cfg.ylim[1] + dy], { xlabel: t("input x0"), ylabel: t("input x1"), noGrid: true, nx: narrow ? 4 : 6 });
    // The heat map: one pixel per grid point in a small image, shown with crisp cells; one attribute
    // changes per update instead of res x res rectangles.
    inst.heat = el("image", { x: ax.box.x, y: ax.box.y, width: ax.box.w, height: ax.box.h,
      preserveAspectRatio: "none", style: "image-rendering:pixelated;image-rendering:crisp-edges" }, ax.plot);
    inst.hiddenLines = cfg.hidden ? cfg.hidden.colors.map((c) =>
      el("line", { stroke: c, "stroke-width": 1.4, "stroke-dasharray": "5 4" }, ax.plot)) : [];
    inst.line = el("line", { stroke: cfg.line_color, "stroke-width": 2.6, "class": "nnx-curve" }, ax.plot);
    inst.contour = el("path", { fill: "none", stroke: cfg.line_color, "stroke-width": 2.6 }, ax.plot);
    inst.pointLayer = el("g", {}, ax.plot);
    // colour bar
    const cb = { x: ax.box.x + ax.box.w + (narrow ? 10 : 18), y: ax.box.y, w: narrow ? 12 : 14, h: ax.box.h };
    inst.cbar = el("g", {}, inst.svg);
    const defs = el("defs", {}, inst.svg), gid = cfg.key + "-grad", grad = el("linearGradient", { id: gid, x1: 0, y1: 1, x2: 0, y2: 0 }, defs);
    cfg.lut.forEach((c, i) => el("stop", { offset: (i / (cfg.lut.length - 1)).toFixed(3), "stop-color": c }, grad));
    el("rect", { x: cb.x, y: cb.y, width: cb.w, height: cb.h, fill: "url(#" + gid + ")", stroke: "#333", "stroke-width": 0.6 }, inst.svg);
    inst.cbLabels = [0, 0.25, 0.5, 0.75, 1].map((f) =>
      el("text", { x: cb.x + cb.w + 5, y: (cb.y + cb.h - f * cb.h + 4).toFixed(1), "font-size": 12, "aria-hidden": "true" }, inst.svg));
    el("text", { x: 0, y: 0, "font-size": 12, "text-anchor": "middle", "aria-hidden": "true",
      transform: "translate(" + (cb.x + cb.w + (narrow ? 48 : 50)) + "," + (cb.y + cb.h / 2) + ") rotate(-90)" }, inst.svg, t("output y"));
    if (narrow) legendRow(inst.svg, ax.box.x, ax.box.y + ax.box.h + 56, inst.layoutW - ax.box.x - 8, legendItems(cfg, labels));
    else designLegend(inst.svg, ax.box, cfg, labels);
  }
  const a = inst.ax, lo = cfg.ranges[s.activation][0], hi = cfg.ranges[s.activation][1], L = cfg.lut.length - 1;
  const index = new Uint8Array(res * res);
  for (let jj = 0; jj < res; jj++) {  // BMP rows run bottom-up, as the y axis does
    const row = r.grid[jj];
    for (let ii = 0; ii < res; ii++) index[jj * res + ii] = Math.max(0, Math.min(L, Math.round((row[ii] - lo) / (hi - lo) * L)));
  }
  set(inst.heat, "href", bmpDataURL(res, res, index, cfg.lut));
  if (inst.pointsFor !== String(r.classes)) {  // (re)draw the points when the target menu changes their classes
    inst.pointsFor = String(r.classes);
    clear(inst.pointLayer);
    const rad = r.classes.length < 30 ? 6 : 3.6;
    inst.points = r.classes.map((c, p) =>
      marker(inst.pointLayer, c ? "t" : "c", a.sx(cfg.X[2 * p]), a.sy(cfg.X[2 * p + 1]), rad, cfg.class_colors[c], EDGE[c]));
  }
  inst.cbLabels.forEach((t, i) => set(t, "", fmt(lo + i / 4 * (hi - lo), 2)));
  function setLine(line, seg) {
    set(line, "visibility", seg ? "visible" : "hidden");
    // a hidden line keeps no coordinates: the same markup as the figure drawn afresh in this state
    ["x1", "y1", "x2", "y2"].forEach(function (k, i) {
      const v = seg && (i % 2 ? a.sy(seg[i >> 1][1]) : a.sx(seg[i >> 1][0])).toFixed(2);
      if (v) set(line, k, v); else if (line["__" + k]) { line.removeAttribute(k); line["__" + k] = null; }
    });
  }
  // The lines are geometry of the weights (where a weighted sum is 0), drawn here from the state.
  setLine(inst.line, cfg.hidden ? null : clipLine(s.w0, s.w1, s.b, cfg.xlim, cfg.ylim));
  inst.hiddenLines.forEach((l, i) => setLine(l, i < s.count ?
    clipLine(cfg.hidden.W[0][i], cfg.hidden.W[1][i], cfg.hidden.b[i], cfg.xlim, cfg.ylim) : null));
  if (cfg.hidden) {
    set(inst.contour, "d", contour(r.gx, r.gy, r.grid, r.threshold).map((sg) =>
      "M" + a.sx(sg[0][0]).toFixed(2) + "," + a.sy(sg[0][1]).toFixed(2) + "L" + a.sx(sg[1][0]).toFixed(2) + "," + a.sy(sg[1][1]).toFixed(2)
    ).join(""));
  }
  inst.points.forEach(function (m, p) {
    if (m.__ok === r.correct[p]) return;  // touch the DOM only where a point changed sides
    m.__ok = r.correct[p];
    m.setAttribute("stroke", r.correct[p] ? EDGE[r.classes[p]] : "#000");
    m.setAttribute("stroke-width", r.correct[p] ? 1 : 2.5);
  });
  const score = { ok: rightSide(r), n: r.classes.length };
  set(a.title, "", cfg.gates ? t("{gate}: {ok} of {n} points on the right side", Object.assign({ gate: cfg.gate_labels[s.target] }, score)) :
    t("{ok} of {n} points on the right side", score));
}

// Change an attribute (or, name "", the text) only when its value changes: writing the same value again still
// invalidates the figure's style and layout, which a slider move in a long notebook pays for.
function set(e, name, value) {
  if (e["__" + name] === value) return;
  e["__" + name] = value;
  if (name) e.setAttribute(name, value); else e.textContent = value;
}
