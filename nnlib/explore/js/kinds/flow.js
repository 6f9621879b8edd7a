// A small network with every weight typed into its matrices, and the vectors X, A(1), Z(1), ..., Y that flow
// through it (chapter 5: A = Z W + b, Z = h(A), layer after layer). nn.js computes the page's numbers.
import NN from "../../nn.js";
import { fmt } from "../format.js";
import { el, clear } from "../svg.js";
import I18N from "../../../i18n/i18n.js";

const t = I18N.t;  // the page's language (nnlib/i18n): English where the page has no catalogue

const SUP = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079";
const mark = (l) => "\u207d" + String(l).split("").map((d) => SUP[+d]).join("") + "\u207e";
// A row's activation as the chapter writes it: σ, nothing for the identity, else nnlib's name (every one the page offers).
const ACT_NAME = { sigmoid: "\u03c3", identity: "" };

// The first control whose value is not a number inside the range (the page's boxes take any text), or null.
function badEntry(cfg, s) {
  for (const name in cfg.seed) {
    const v = s[name];
    if (typeof v !== "number" || !isFinite(v) || v < cfg.range[0] || v > cfg.range[1]) return name;
  }
  return null;
}

function flow(cfg, s) {
  const layers = cfg.layers.map(function (L, k) {
    const l = k + 1, W = [], b = [];
    for (let i = 0; i < L.inputs; i++) for (let j = 0; j < L.units; j++) W.push(s["W" + l + "_" + i + j]);
    for (let j = 0; j < L.units; j++) b.push(s["b" + l + "_" + j]);
    return NN.layer(W, b, L.activation, L.units);
  });
  const x = [];
  for (let i = 0; i < cfg.layers[0].inputs; i++) x.push(s["x" + i]);
  const steps = NN.trace(layers, x);
  return { x, a: steps.map((t) => Array.from(t.a)), z: steps.map((t) => Array.from(t.z)),
    y: Array.from(steps[steps.length - 1].z) };
}

export function compute(cfg, s) {
  const bad = badEntry(cfg, s);
  if (bad) return { bad, x: null, a: [], z: [], y: null };
  return flow(cfg, s);
}

// A number with d decimals, but at most 12 significant digits: further digits are float64's last bits, where nnlib's
// numbers and the page's may differ (np.exp and Math.exp round apart); from 1e12 on in scientific notation: 3.2719e+25.
function num(v, d) {
  const a = Math.abs(v);
  return a < 1e12 ? fmt(v, Math.max(0, Math.min(d, 11 - Math.floor(Math.log10(Math.max(a, 1)))))) :
    v.toExponential(d).replace("-", "\u2212");
}

// As numpy prints a float64 vector of this chapter: "[0.31682708 0.69627909]".
function vector(values, d) { return "[" + values.map((v) => num(v, d)).join(" ") + "]"; }

export function readout(cfg, s, r) {
  if (r.bad) {
    return t("{name} is not a number between {lo} and {hi}: type one, such as 0.3, or press Reset.",
      { name: cfg.labels[r.bad], lo: fmt(cfg.range[0], 0), hi: fmt(cfg.range[1], 0) });
  }
  const seed = flow(cfg, cfg.seed), d = cfg.output_decimals, y = vector(r.y, d);
  if (y === vector(seed.y, d)) return t("Output Y = {y}, the starting network's.", { y });
  return t("Output Y = {y}; the starting network gives {start} (Reset brings it back).", { y, start: vector(seed.y, d) });
}

// The Reset button: put every box back to the starting network and compute once more.
export function controls(inst) {
  if (!inst.root || inst.resetButton) return;
  const button = inst.resetButton = inst.root.ownerDocument.createElement("button");
  button.type = "button";
  button.className = "nnx-play nnx-reset";
  button.textContent = t("Reset to the starting weights");
  button.addEventListener("click", function () {
    const names = Object.keys(inst.cfg.seed);
    names.forEach(function (name) { inst.inputs[name].value = String(inst.cfg.seed[name]); });
    names.forEach(function (name) { inst.inputs[name].dispatchEvent(new Event("input", { bubbles: true })); });
  });
  inst.root.querySelector(".nnx-controls").appendChild(button);
}

// The rows of the picture: name, formula, values (and the seed's values, to mark what moved).
function rows(cfg, r, seed) {
  const out = [{ name: "X", formula: t("the input"), v: r.x, s: seed.x, d: cfg.decimals }];
  cfg.layers.forEach(function (L, k) {
    const l = k + 1, m = mark(l), prev = l === 1 ? "X" : "Z" + mark(l - 1), last = l === cfg.layers.length;
    out.push({ name: "A" + m, formula: "= " + prev + " W" + m + " + b" + m, v: r.a[k], s: seed.a[k], d: cfg.decimals });
    const h = L.activation in ACT_NAME ? ACT_NAME[L.activation] : L.activation;
    out.push({ name: last ? "Y" : "Z" + m, formula: "= " + (h ? h + "(A" + m + ")" : "A" + m),
      v: last ? r.y : r.z[k], s: last ? seed.y : seed.z[k], d: last ? cfg.output_decimals : cfg.decimals });
  });
  return out;
}

export function draw(inst, r) {
  const cfg = inst.cfg, svg = inst.svg;
  clear(svg);
  // 16 units: 11 px or more where the figure is 330 px wide (a 390 px phone)
  const g = el("g", { "font-size": 16 }, svg);
  if (r.bad) {
    el("text", { x: 240, y: 40, "text-anchor": "middle" }, g, t("{name} is not a number in range.", { name: cfg.labels[r.bad] }));
    return;
  }
  // A row's numbers share the width right of the formulas (480 units), up to 110 each, so that a number such as
  // "\u221210.0000" in bold keeps clear of the next one (a row of 4 numbers: 70 each); 8 decimals take two cells.
  const seed = flow(cfg, cfg.seed), lines = rows(cfg, r, seed), left = 200;
  el("text", { x: 0, y: 18, fill: "#555" }, g, t("Bold, underlined: moved from the start"));
  lines.forEach(function (row, k) {
    const y = 56 + 46 * k, wide = row.d > 5 ? 2 : 1, cell = Math.min(Math.floor((480 - left) / (row.v.length * wide)), 110);
    el("text", { x: 0, y, "font-weight": 600 }, g, row.name);
    el("text", { x: 42, y }, g, row.formula);
    row.v.forEach(function (v, j) {
      const text = num(v, row.d), moved = text !== num(row.s[j], row.d), x = left + cell * wide * j;
      el("text", { x: x + 4, y, "font-weight": moved ? 700 : 400, "text-decoration": moved ? "underline" : null },
        g, text);
      // a bar under the number: its length |v| (1 fills the cell, larger is clipped), its colour the sign
      el("line", { x1: x + 4, x2: (x + 4 + Math.min(Math.abs(v), 1) * (cell - 14)).toFixed(1), y1: y + 10, y2: y + 10,
        stroke: v < 0 ? cfg.colors.negative : cfg.colors.positive, "stroke-width": 5 }, g);
    });
  });
}
