// The plotting toolkit of every SVG explorer: ranges that follow the picture, ticks, axes, paths, legends,
// markers, and heat maps as palette images.
import { fmt } from "./format.js";
import { el } from "./svg.js";
import { hexToRgb } from "./color.js";

// Text is sized in SVG units; on screen it is that times the figure's scale (its CSS width over its viewBox
// width). A figure keeps its design layout (the one pre-rendered in Node) while its 12-unit text stays at least
// 11 px; on a narrower screen it is laid out again for its own width, one unit a CSS pixel.
const MIN_TEXT_SCALE = 11 / 12;
const NARROWEST = 260;

// The width, in SVG units, to lay the figure out for: `design` (no DOM, a hidden figure, a wide screen), else
// the SVG's width in CSS pixels.
export function layoutWidth(inst, design) {
  const px = inst.svg && inst.svg.clientWidth;
  if (!px || px >= design * MIN_TEXT_SCALE) return design;
  return Math.max(NARROWEST, Math.floor(px));
}

// Lay the figure out for its width: returns true when the layout changed (the caller draws it again from
// scratch), sets the viewBox (the design one from the HTML, or W x height(W)), and redraws when the SVG's
// width changes later (a rotated phone, a resized window).
export function fitWidth(inst, design, height) {
  // Once the observer watches the figure, its width is read only when the observer reports a change: reading
  // clientWidth forces the page's layout, which in a long notebook costs a slider move more than its drawing.
  if (inst.watching && !inst.resized) return false;  // (the first call set the layout and the observer)
  inst.resized = false;
  const svg = inst.svg, W = layoutWidth(inst, design);
  if (svg.getAttribute && inst.designViewBox === undefined) inst.designViewBox = svg.getAttribute("viewBox");
  if (!inst.watching && typeof ResizeObserver !== "undefined" && svg.nodeType === 1) {
    inst.watching = new ResizeObserver(function () {
      if (inst.data && layoutWidth(inst, design) !== inst.layoutW) { inst.resized = true; inst.kind.draw(inst, inst.data); }
    });
    inst.watching.observe(svg);
  }
  if (W === inst.layoutW) return false;
  inst.layoutW = W;
  if (inst.designViewBox) svg.setAttribute("viewBox", W === design ? inst.designViewBox : "0 0 " + W + " " + Math.ceil(height(W)));
  return true;
}

// A step of 1, 2 or 5 times a power of ten, about span / 6.
function niceStep(span) {
  const raw = span / 6;
  let mag = 1;
  while (mag * 10 <= raw) mag *= 10;
  while (mag > raw) mag /= 10;
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

// The range shown for data spanning [lo, hi]: kept while the data fit in it and fill at least 35 % of it
// (so a small slider move never rescales), else a fresh range on the nice grid with a margin. spanMin keeps
// a flat curve from zooming into rounding noise.
export function followRange(cur, lo, hi, spanMin) {
  if (hi - lo < spanMin) { const mid = (lo + hi) / 2; lo = mid - spanMin / 2; hi = mid + spanMin / 2; }
  if (cur && lo >= cur[0] && hi <= cur[1] && hi - lo >= 0.35 * (cur[1] - cur[0])) return cur;
  const pad = 0.08 * (hi - lo), step = niceStep(hi - lo + 2 * pad);
  return [Math.floor((lo - pad) / step) * step, Math.ceil((hi + pad) / step) * step];
}

// About n ticks on [lo, hi] at 1, 2 or 5 times a power of ten, and the decimals their labels need.
export function niceTicks(lo, hi, n) {
  const raw = (hi - lo) / n, mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
  const step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag, out = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step) out.push(Math.abs(t) < 1e-12 ? 0 : t);
  return { ticks: out, decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
}

// A plotting area: box {x, y, w, h} in SVG units showing xlim x ylim; returns the scales and a clipped group.
// With a y label, box.x must be at least 53: the rotated label's glyphs reach 52 units left of the plot.
export function axes(inst, parent, box, xlim, ylim, o) {
  o = o || {};
  const g = el("g", { "class": "nnx-axes" }, parent);
  const sx = (x) => box.x + (x - xlim[0]) / (xlim[1] - xlim[0]) * box.w;
  const sy = (y) => box.y + box.h - (y - ylim[0]) / (ylim[1] - ylim[0]) * box.h;
  const cid = inst.cfg.key + "-clip" + (inst.clipCount = (inst.clipCount || 0) + 1);
  const cp = el("clipPath", { id: cid }, g);
  el("rect", { x: box.x, y: box.y, width: box.w, height: box.h }, cp);
  const xt = niceTicks(xlim[0], xlim[1], o.nx || 6), yt = niceTicks(ylim[0], ylim[1], o.ny || 6);
  const grid = el("g", { stroke: "#000", "stroke-opacity": o.noGrid ? 0 : 0.12, "aria-hidden": "true" }, g);
  const labels = el("g", { "font-size": 12, "aria-hidden": "true" }, g);
  xt.ticks.forEach(function (t) {
    el("line", { x1: sx(t), x2: sx(t), y1: box.y, y2: box.y + box.h }, grid);
    el("text", { x: sx(t), y: box.y + box.h + 16, "text-anchor": "middle" }, labels, fmt(t, xt.decimals));
  });
  yt.ticks.forEach(function (t) {
    el("line", { x1: box.x, x2: box.x + box.w, y1: sy(t), y2: sy(t) }, grid);
    el("text", { x: box.x - 6, y: sy(t) + 4, "text-anchor": "end" }, labels, fmt(t, yt.decimals));
  });
  el("path", { d: "M" + box.x + "," + box.y + "V" + (box.y + box.h) + "H" + (box.x + box.w),
    fill: "none", stroke: "#333", "stroke-width": 1 }, g);
  if (o.xlabel) el("text", { x: box.x + box.w / 2, y: box.y + box.h + 36, "text-anchor": "middle",
    "font-size": 13 }, labels, o.xlabel);
  if (o.ylabel) el("text", { x: 0, y: 0, "text-anchor": "middle", "font-size": 13,
    transform: "translate(" + (box.x - 42) + "," + (box.y + box.h / 2) + ") rotate(-90)" }, labels, o.ylabel);
  const title = el("text", { x: box.x + box.w / 2, y: box.y - 10, "text-anchor": "middle", "font-size": 14 },
    labels, o.title || "");
  const plot = el("g", { "clip-path": "url(#" + cid + ")" }, g);
  return { g, plot, sx, sy, box, title, xlim, ylim };
}

export function pathD(xs, ys, sx, sy) {
  const d = [];
  for (let i = 0; i < xs.length; i++) {
    const py = Math.max(-1e4, Math.min(1e4, sy(ys[i])));  // far outside the clip: keep the path finite
    d.push((i ? "L" : "M") + sx(xs[i]).toFixed(2) + "," + py.toFixed(2));
  }
  return d.join("");
}

function trianglePath(x, y, r) {
  const h = r * 1.25;
  return "M" + x.toFixed(2) + "," + (y - h).toFixed(2) + "L" + (x + h).toFixed(2) + "," +
    (y + h * 0.75).toFixed(2) + "L" + (x - h).toFixed(2) + "," + (y + h * 0.75).toFixed(2) + "Z";
}
// A data point: kind "t" a triangle, else a circle.
export function marker(parent, kind, x, y, r, fill, stroke) {
  if (kind === "t") return el("path", { d: trianglePath(x, y, r), fill, stroke, "stroke-width": stroke && 1 }, parent);
  return el("circle", { cx: x.toFixed(2), cy: y.toFixed(2), r, fill, stroke, "stroke-width": stroke && 1 }, parent);
}
export function moveMarker(m, kind, x, y, r) {
  if (kind === "t") m.setAttribute("d", trianglePath(x, y, r));
  else { m.setAttribute("cx", x.toFixed(2)); m.setAttribute("cy", y.toFixed(2)); }
}

function legendSwatch(row, it) {
  if (it.marker) marker(row, it.marker, 12, 0, 5, it.color, it.edge || "#fff");
  else el("line", { x1: 0, x2: 24, y1: 0, y2: 0, stroke: it.color, "stroke-width": it.width || 2,
    "stroke-dasharray": it.dash, "stroke-opacity": it.opacity }, row);
  el("text", { x: 30, y: 4 }, row, it.label);
}
// A column of entries; items: {label, color, dash, width, marker}.
export function legend(parent, x, y, items) {
  const g = el("g", { "font-size": 12, "aria-hidden": "true" }, parent);
  return items.map(function (it, i) {
    const row = el("g", { transform: "translate(" + x + "," + (y + i * 18) + ")" }, g);
    legendSwatch(row, it);
    return row;
  });
}
// The width of a 12-unit label: a Japanese character takes about twice a Latin one.
export function textWidth(label) {
  let w = 0;
  for (const ch of label) w += ch.charCodeAt(0) > 0x2e7f ? 12 : 6.6;
  return w;
}
// Entries side by side, wrapping at `width`: a legend under the plot never covers a curve.
export function legendRow(parent, x, y, width, items) {
  const g = el("g", { "font-size": 12, "aria-hidden": "true" }, parent);
  return legendRows(g, x, y, width, items) && g;
}
// How many rows legendRow takes for `items` in `width` (the same wrapping; parent null draws nothing).
export function legendRows(parent, x, y, width, items) {
  let cx = 0, cy = 0;
  items.forEach(function (it) {
    const w = 42 + textWidth(it.label);
    if (cx > 0 && cx + w > width) { cx = 0; cy += 18; }
    if (parent) legendSwatch(el("g", { transform: "translate(" + (x + cx) + "," + (y + cy) + ")" }, parent), it);
    cx += w;
  });
  return cy / 18 + 1;
}

// A heat map as an 8-bit palette BMP data URL: index (w * h, bottom row first, as BMP stores it) into
// palette ["#rrggbb", ...]. Written out byte by byte, so Node draws the same image as the browser.
export function bmpDataURL(w, h, index, palette) {
  const stride = Math.ceil(w / 4) * 4, offset = 54 + 4 * palette.length, size = offset + stride * h, bytes = [];
  const u16 = (v) => bytes.push(v & 255, (v >> 8) & 255);
  const u32 = (v) => bytes.push(v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255);
  bytes.push(66, 77); u32(size); u32(0); u32(offset);
  u32(40); u32(w); u32(h); u16(1); u16(8); u32(0); u32(stride * h); u32(2835); u32(2835); u32(palette.length); u32(0);
  palette.forEach(function (c) { const [r, g, b] = hexToRgb(c); bytes.push(b, g, r, 0); });
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < stride; i++) bytes.push(i < w ? index[j * w + i] : 0);
  }
  let bin = "";
  for (let k = 0; k < bytes.length; k += 4096) bin += String.fromCharCode.apply(null, bytes.slice(k, k + 4096));
  return "data:image/bmp;base64," + btoa(bin);
}
