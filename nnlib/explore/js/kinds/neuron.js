// One neuron: y = h(w x - b) (or h(w x + b)) over a range of x, with fixed reference curves.
import { ACT, sgn } from "../act.js";
import { fmt, linspace } from "../format.js";
import { el, clear } from "../svg.js";
import { axes, fitWidth, legendRow, legendRows, pathD } from "../plot.js";
import I18N from "../../../i18n/i18n.js";

const t = I18N.t;  // the page's language (nnlib/i18n): English where the page has no catalogue

export function compute(cfg, s) {
  const x = linspace(cfg.x[0], cfg.x[1], cfg.x[2]), f = ACT[s.activation], a = [], y = [];
  for (let i = 0; i < x.length; i++) { a.push(x[i] * s.weight + sgn(cfg, s.bias)); y.push(f(a[i])); }
  const references = cfg.references.map(function (r) {
    const g = ACT[r.activation];
    return x.map((xi) => g(xi * r.weight + sgn(cfg, r.bias)));
  });
  const switch_x = s.weight === 0 ? null : (cfg.bias_sign === "-" ? s.bias : -s.bias) / s.weight;
  return { x, a, y, references, switch_x };
}

// The formula with its numbers, "y = sigmoid(2.00 x − 1.00)": the printed operator follows the value.
function equation(cfg, s) {
  const minus = (cfg.bias_sign === "-") === (s.bias >= 0);
  return "y = " + cfg.act_labels[s.activation] + "(" + fmt(s.weight, 2) + " x " + (minus ? "\u2212" : "+") +
    " " + fmt(Math.abs(s.bias), 2) + ")";
}

export function readout(cfg, s, r) {
  const y = equation(cfg, s) + ". ";
  if (s.weight === 0) return y + t("With w = 0 the output does not depend on x: a flat line.");
  return y + t("The weighted input is 0 at x = {x}, where the curve switches.", { x: fmt(r.switch_x, 2) });
}

const DESIGN_W = 640;
// The plot for a figure `W` units wide: the design (640 x 410), or a narrow screen's, one unit a pixel.
function plotBox(W) {
  return W === DESIGN_W ? { x: 64, y: 34, w: 556, h: 280 } : { x: 56, y: 34, w: W - 68, h: Math.round(0.7 * (W - 68)) };
}

function legendItems(cfg) {
  const items = cfg.references.map((ref) => ({ label: t(ref.label), color: ref.color, dash: "6 4" }));
  items.push({ label: t("your neuron"), color: cfg.color, width: 3 });
  items.push({ label: "a = 0", color: cfg.switch_color, dash: "2 3" });
  return items;
}

export function draw(inst, r) {
  const cfg = inst.cfg, s = inst.state, ylim = cfg.ylim || cfg.ylims[s.activation];
  const relaid = fitWidth(inst, DESIGN_W, (W) => {
    const b = plotBox(W);
    return b.y + b.h + 58 + 18 * legendRows(null, 0, 0, b.w, legendItems(cfg));
  });
  if (relaid || inst.ylimKey !== String(ylim)) {
    inst.ylimKey = String(ylim);
    clear(inst.svg);
    inst.clipCount = 0;
    const narrow = inst.layoutW !== DESIGN_W;
    const ax = inst.ax = axes(inst, inst.svg, plotBox(inst.layoutW), [cfg.x[0], cfg.x[1]], ylim,
      { xlabel: t("input x"), ylabel: t("output y"), nx: narrow ? 4 : 6 });
    if (ylim[0] < 0 && ylim[1] > 0) el("line", { x1: ax.box.x, x2: ax.box.x + ax.box.w, y1: ax.sy(0),
      y2: ax.sy(0), stroke: "#000", "stroke-width": 0.7 }, ax.plot);
    inst.refPaths = cfg.references.map((ref) =>
      el("path", { fill: "none", stroke: ref.color, "stroke-width": 1.8, "stroke-dasharray": "6 4" }, ax.plot));
    inst.switchLine = el("line", { y1: ax.box.y, y2: ax.box.y + ax.box.h, stroke: cfg.switch_color,
      "stroke-width": 1.5, "stroke-dasharray": "2 3" }, ax.plot);
    inst.curve = el("path", { fill: "none", stroke: cfg.color, "stroke-width": 3, "class": "nnx-curve" }, ax.plot);
    const items = legendItems(cfg);
    // under the plot, where no curve can pass (w = -2 used to run under a legend in the corner)
    legendRow(inst.svg, ax.box.x, ax.box.y + ax.box.h + 58, ax.box.w, items);
  }
  const a = inst.ax;
  inst.refPaths.forEach((p, i) => p.setAttribute("d", pathD(r.x, r.references[i], a.sx, a.sy)));
  inst.curve.setAttribute("d", pathD(r.x, r.y, a.sx, a.sy));
  const sw = r.switch_x, on = sw !== null && sw >= cfg.x[0] && sw <= cfg.x[1];
  inst.switchLine.setAttribute("visibility", on ? "visible" : "hidden");
  if (on) { inst.switchLine.setAttribute("x1", a.sx(sw).toFixed(2)); inst.switchLine.setAttribute("x2", a.sx(sw).toFixed(2)); }
  a.title.textContent = equation(cfg, s);
}
