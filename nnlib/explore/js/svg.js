// SVG elements: the browser's DOM, or a small stand-in with a serializer when there is none (Node draws
// the pre-rendered figure with it). serialize() writes both the same way, so their markup can be compared.

const NS = "http://www.w3.org/2000/svg";
let DOC = typeof document !== "undefined" ? document : null;

export function el(tag, attrs, parent, text) {
  const e = DOC.createElementNS(NS, tag);
  for (const k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

// Keep <title> and <desc>, remove the drawing.
export function clear(svg) {
  Array.prototype.slice.call(svg.childNodes).forEach(function (c) {
    if (c.nodeName !== "title" && c.nodeName !== "desc") svg.removeChild(c);
  });
}

// The stand-in: just what the drawing code calls (setAttribute, appendChild, removeChild, textContent,
// childNodes).
export class ShimElement {
  constructor(tag) {
    this.nodeName = tag; this.attrs = {}; this.order = []; this.childNodes = []; this.text = ""; this.parentNode = null;
  }
  setAttribute(k, v) {
    if (!(k in this.attrs)) this.order.push(k);
    this.attrs[k] = String(v);
  }
  getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; }
  appendChild(c) { c.parentNode = this; this.childNodes.push(c); return c; }
  removeChild(c) { this.childNodes.splice(this.childNodes.indexOf(c), 1); c.parentNode = null; return c; }
  get textContent() { return this.text + this.childNodes.map((c) => c.textContent).join(""); }
  set textContent(t) { this.text = String(t); this.childNodes = []; }
}
const SHIM_DOC = { createElementNS: (ns, tag) => new ShimElement(tag) };

// Run draw() with the stand-in document (no DOM needed), then restore the real one.
export function withShim(draw) {
  const saved = DOC;
  DOC = SHIM_DOC;
  try { return draw(); } finally { DOC = saved; }
}

// Coordinates to one decimal (a tenth of an SVG unit cannot be seen; the markup stays small and stable).
const GEOMETRY = { d: 1, x: 1, y: 1, x1: 1, x2: 1, y1: 1, y2: 1, cx: 1, cy: 1, width: 1, height: 1, transform: 1 };
export function round1(text) {
  return text.replace(/-?\d+\.\d+/g, function (m) { const v = Math.round(+m * 10) / 10; return String(v === 0 ? 0 : v); });
}
function escapeXML(t) {
  return t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
// A path of absolute moves and lines (as pathD writes them), rounded to tenths, then written with relative
// steps: "M64,266.1l2.8,-0.1 2.8,0 ...", a third shorter and the same picture.
function compactPath(d) {
  const out = [];
  let px = 0, py = 0, rel = false, ok = true;
  d.replace(/([A-Za-z])([^A-Za-z]*)/g, function (m, cmd, args) {
    const v = args.split(",");
    if ((cmd !== "M" && cmd !== "L") || v.length !== 2) { ok = false; return m; }
    const x = Math.round(+v[0] * 10), y = Math.round(+v[1] * 10);
    if (cmd === "M") { out.push("M" + x / 10 + "," + y / 10); rel = false; }
    else { out.push((rel ? " " : "l") + (x - px) / 10 + "," + (y - py) / 10); rel = true; }
    px = x; py = y;
    return m;
  });
  return ok ? out.join("") : round1(d);
}
function serialize(node) {
  if (node.nodeType === 3) return escapeXML(node.nodeValue);
  let out = "<" + node.nodeName;
  const attrs = [], kids = node.childNodes;
  if (node.order) node.order.forEach(function (k) { attrs.push([k, node.attrs[k]]); });
  else Array.prototype.forEach.call(node.attributes, function (a) { attrs.push([a.name, a.value]); });
  attrs.forEach(function ([k, v]) {
    v = k === "d" ? compactPath(v) : GEOMETRY[k] ? round1(v) : v;
    out += " " + k + "=\"" + escapeXML(v) + "\"";
  });
  const inner = (node.order ? escapeXML(node.text) : "") + Array.prototype.map.call(kids, serialize).join("");
  return out + (inner ? ">" + inner + "</" + node.nodeName + ">" : "/>");
}
// The drawing inside an explorer's <svg>, without <title> and <desc>: coordinates to tenths, paths compacted.
export function serializeSVG(svg) {
  return Array.prototype.filter.call(svg.childNodes, function (c) {
    return c.nodeName !== "title" && c.nodeName !== "desc" && c.nodeType !== 8;
  }).map(serialize).join("");
}
