// Fit a curve with N hidden neurons (chapter 2's recipe): N neurons spread evenly over x with a fixed slope,
// the output weights and bias by least squares on the training points, R^2 on the test points.
import { ACT } from "../act.js";
import { fmt, linspace } from "../format.js";
import { el, clear } from "../svg.js";
import { axes, pathD } from "../plot.js";
import I18N from "../../../i18n/i18n.js";

const t = I18N.t;  // the page's language (nnlib/i18n): English where the page has no catalogue

// The recipe's hidden layer on the points xs: (points x n) row-major, z_i = h(w x - w p_i).
function hiddenLayer(cfg, n, activation, xs) {
  const lo = cfg.x[0], hi = cfg.x[1], p = linspace(lo, hi, n + 2).slice(1, -1), w = 4 / ((hi - lo) / (n + 1));
  const f = ACT[activation], H = new Float64Array(xs.length * n);
  for (let k = 0; k < xs.length; k++) for (let i = 0; i < n; i++) H[k * n + i] = f(w * xs[k] + -w * p[i]);
  return H;
}

// min |A c - t| by Householder QR (A: m x q row-major, full column rank), as numpy's lstsq solves it.
export function lstsq(A, m, q, t) {
  A = Float64Array.from(A);
  const b = Float64Array.from(t), v = new Float64Array(m);
  for (let k = 0; k < q; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += A[i * q + k] * A[i * q + k];
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const alpha = A[k * q + k] > 0 ? -norm : norm;
    let vv = 0;
    for (let i = k; i < m; i++) { v[i] = A[i * q + k] - (i === k ? alpha : 0); vv += v[i] * v[i]; }
    if (vv === 0) continue;
    for (let j = k; j < q; j++) {
      let s = 0;
      for (let i = k; i < m; i++) s += v[i] * A[i * q + j];
      s = 2 * s / vv;
      for (let i = k; i < m; i++) A[i * q + j] -= s * v[i];
    }
    let s = 0;
    for (let i = k; i < m; i++) s += v[i] * b[i];
    s = 2 * s / vv;
    for (let i = k; i < m; i++) b[i] -= s * v[i];
  }
  const c = new Float64Array(q);
  for (let k = q - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < q; j++) s -= A[k * q + j] * c[j];
    c[k] = s / A[k * q + k];
  }
  return c;
}

export function compute(cfg, s) {
  const n = s.n, train = linspace(cfg.x[0], cfg.x[1], cfg.x[2]), x = linspace(cfg.x[0], cfg.x[1], cfg.x[3]);
  const Htrain = hiddenLayer(cfg, n, s.activation, train), m = train.length, A = new Float64Array(m * (n + 1));
  for (let k = 0; k < m; k++) {
    for (let i = 0; i < n; i++) A[k * (n + 1) + i] = Htrain[k * n + i];
    A[k * (n + 1) + n] = 1;  // a column of ones: its coefficient is the output bias
  }
  const coef = lstsq(A, m, n + 1, cfg.train_target), v = Array.from(coef.slice(0, n)), c = coef[n];
  const Z = hiddenLayer(cfg, n, s.activation, x), t = cfg.test_target, hidden = [], output = [];
  for (let i = 0; i < n; i++) hidden.push(new Array(x.length));
  let mean = 0, ss = 0, st = 0;
  for (let k = 0; k < x.length; k++) {
    let y = c;
    for (let i = 0; i < n; i++) { const vz = v[i] * Z[k * n + i]; hidden[i][k] = vz; y += vz; }
    output.push(y);
    mean += t[k];
  }
  mean /= t.length;
  for (let k = 0; k < x.length; k++) { ss += (output[k] - t[k]) ** 2; st += (t[k] - mean) ** 2; }
  return { x, hidden, output, target: t, v, c, r2: 1 - ss / st };
}

export function readout(cfg, s, r) {
  let r2 = fmt(r.r2, 4);
  if (cfg.min_r2 !== null) r2 = t(r.r2 >= cfg.min_r2 ? "{r2} (reaches {goal})" : "{r2} (below {goal})", { r2, goal: cfg.min_r2 });
  const values = { n: s.n, activation: t(cfg.act_labels[s.activation]), r2 };
  return t(s.n === 1 ? "{n} {activation} neuron, output weights by least squares: R\u00b2 = {r2}." :
    "{n} {activation} neurons, output weights by least squares: R\u00b2 = {r2}.", values);
}

// The curves are drawn through every 4th test point (and the last): 251 points are smooth at this width, and
// the figure readers without JavaScript get stays small.
function thin(values) { return values.filter((v, k) => k % 4 === 0 || k === values.length - 1); }

const FONT = 15;  // 11 px or more where the 440-unit figure is 320 px wide (a 390 px phone)

export function draw(inst, r) {
  const cfg = inst.cfg, s = inst.state;
  clear(inst.svg);
  inst.clipCount = 0;
  const ax = axes(inst, inst.svg, { x: 50, y: 30, w: 380, h: 196 }, [cfg.x[0], cfg.x[1]], cfg.ylim, { nx: 5, ny: 4 });
  ax.title.parentNode.setAttribute("font-size", FONT);
  ax.title.setAttribute("font-size", FONT);
  ax.title.textContent = "N = " + s.n + ": R\u00b2 = " + fmt(r.r2, 3);
  const labels = el("g", { "font-size": FONT, "aria-hidden": "true" }, inst.svg);
  el("text", { x: 240, y: 262, "text-anchor": "middle" }, labels, "input x");
  const x = thin(r.x);
  el("path", { d: pathD(x, thin(r.target), ax.sx, ax.sy), fill: "none", stroke: cfg.target_color, "stroke-width": 6,
    "stroke-opacity": 0.7 }, ax.plot);
  r.hidden.forEach(function (h, i) {
    el("path", { d: pathD(x, thin(h), ax.sx, ax.sy), fill: "none", stroke: cfg.colors[i % cfg.colors.length],
      "stroke-width": 1.2, "stroke-opacity": 0.8 }, ax.plot);
  });
  el("path", { d: pathD(x, thin(r.output), ax.sx, ax.sy), fill: "none", stroke: cfg.sum_color, "stroke-width": 2.2,
    "class": "nnx-curve" }, ax.plot);
  // the legend, in one row under the axis label
  [[t("target"), cfg.target_color, 6, 0], [t("neurons v\u1d62z\u1d62"), cfg.colors[0], 1.5, 120],
    [t("network"), cfg.sum_color, 2.2, 290]].forEach(function ([label, color, width, x]) {
    el("line", { x1: x + 10, x2: x + 34, y1: 286, y2: 286, stroke: color, "stroke-width": width }, labels);
    el("text", { x: x + 40, y: 291 }, labels, label);
  });
}
