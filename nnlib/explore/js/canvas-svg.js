// A canvas 2D context that writes SVG: the trainer's own drawing code (train.js) draws its still pictures
// through it in Node, at build time, for readers whose page or notebook does not run the script. Only what
// train.js calls is here. Images (the heat map) become PNG data URIs through `png(width, height, rgba)`.

// Numbers to the pixel: the stills are shown at most at the size they are drawn (400 px), and whole numbers
// keep them small.
function r(v) { return String(Math.round(v)); }
function esc(t) { return String(t).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); }
const ANCHOR = { center: "middle", right: "end", end: "end", left: "start", start: "start" };
const BASELINE = { top: "hanging", middle: "central", bottom: "text-after-edge" };

export class SvgCanvas {
  constructor(width, height) { this.width = width; this.height = height; this.image = null; }
  getContext() { return new SvgContext(null); }
}

export class SvgContext {
  constructor(png) {
    this.png = png; this.items = []; this.defs = []; this.path = []; this.stack = []; this.groups = 0;
    this.fillStyle = "#000"; this.strokeStyle = "#000"; this.lineWidth = 1; this.lineCap = "butt"; this.dash = [];
    this.textAlign = "start"; this.textBaseline = "alphabetic"; this.font = "10px sans-serif";
  }
  setTransform() { /* the stills are drawn at scale 1 */ }
  createImageData(w, h) { return { width: w, height: h, data: new Uint8ClampedArray(4 * w * h) }; }
  putImageData(img) { this.image = { width: img.width, height: img.height, data: Uint8ClampedArray.from(img.data) }; }
  drawImage(source, x, y, w, h) {
    const img = source.__ctx && source.__ctx.image;
    if (!img) return;
    this.items.push(`<image href="${this.png(img.width, img.height, img.data)}" x="${r(x)}" y="${r(y)}" width="${r(w)}" ` +
      `height="${r(h)}" preserveAspectRatio="none"/>`);
  }
  fillRect(x, y, w, h) { this.items.push(`<rect x="${r(x)}" y="${r(y)}" width="${r(w)}" height="${r(h)}" fill="${this.fillStyle}"/>`); }
  strokeRect(x, y, w, h) { this.beginPath(); this.rect(x, y, w, h); this.stroke(); }
  save() {
    this.stack.push({ fillStyle: this.fillStyle, strokeStyle: this.strokeStyle, lineWidth: this.lineWidth, lineCap: this.lineCap,
      dash: this.dash, textAlign: this.textAlign, textBaseline: this.textBaseline, font: this.font, groups: this.groups });
    this.groups = 0;
  }
  restore() {
    for (; this.groups > 0; this.groups--) this.items.push("</g>");
    Object.assign(this, this.stack.pop());
  }
  beginPath() { this.path = []; this.pen = null; }
  // Lines as relative steps from the rounded pen position (shorter), which keeps every vertex on its pixel.
  moveTo(x, y) { this.pen = [Math.round(x), Math.round(y)]; this.start = this.pen; this.path.push(`M${r(x)} ${r(y)}`); }
  lineTo(x, y) {
    const to = [Math.round(x), Math.round(y)];
    if (!this.pen) { this.moveTo(x, y); return; }
    if (to[0] === this.pen[0] && to[1] === this.pen[1]) return;  // a step shorter than a pixel
    this.path.push(`l${to[0] - this.pen[0]} ${to[1] - this.pen[1]}`.replace(/ -/, "-"));
    this.pen = to;
  }
  closePath() { this.path.push("z"); this.pen = this.start; }
  rect(x, y, w, h) { this.path.push(`M${r(x)} ${r(y)}h${r(w)}v${r(h)}h${r(-w)}Z`); }
  arc(x, y, rad) {  // whole circles only (the markers): two half circles, the radius to the tenth
    const R = Math.round(rad * 10) / 10, a = `a${R} ${R} 0 1 0 `;
    this.path.push(`M${Math.round(x) + R} ${r(y)}${a}${-2 * R} 0${a}${2 * R} 0z`);
    this.pen = null;
  }
  clip() {
    const id = "c" + this.defs.length;
    this.defs.push(`<clipPath id="${id}"><path d="${this.path.join("")}"/></clipPath>`);
    this.items.push(`<g clip-path="url(#${id})">`);
    this.groups++;
  }
  translate(x, y) { this.items.push(`<g transform="translate(${r(x)} ${r(y)})">`); this.groups++; }
  rotate(a) { this.items.push(`<g transform="rotate(${r(a * 180 / Math.PI)})">`); this.groups++; }
  setLineDash(d) { this.dash = d || []; }
  // A path item: {d, paint}; a stroke of the path just filled joins its fill, and consecutive items painted
  // alike join into one path (the markers of one class), which keeps the picture small.
  emit(paint, joinFill) {
    const d = this.path.join(""), last = this.items[this.items.length - 1];
    if (!d) return;
    if (joinFill && last && last.d === d && last.fillOnly) { last.paint += paint; last.fillOnly = false; this.merge(); return; }
    this.items.push({ d, paint, fillOnly: !joinFill });
    this.merge();
  }
  merge() {
    const n = this.items.length, a = this.items[n - 2], b = this.items[n - 1];
    if (a && typeof a === "object" && a.paint === b.paint && a.fillOnly === b.fillOnly && !b.fillOnly) { a.d += b.d; this.items.pop(); }
  }
  fill() { this.emit(` fill="${this.fillStyle}"`, false); }
  stroke() {
    const dash = this.dash.length ? ` stroke-dasharray="${this.dash.join(" ")}"` : "";
    const cap = this.lineCap !== "butt" ? ` stroke-linecap="${this.lineCap}"` : "";
    this.emit(` stroke="${this.strokeStyle}" stroke-width="${r(this.lineWidth)}"${dash}${cap}`, true);
  }
  fillText(text, x, y) {
    const size = /(\d+(\.\d+)?)px/.exec(this.font), anchor = ANCHOR[this.textAlign] || "start", base = BASELINE[this.textBaseline];
    const fill = this.fillStyle === "#222" ? "" : ` fill="${this.fillStyle}"`;  // #222: the picture's text style
    this.items.push(`<text x="${r(x)}" y="${r(y)}" font-size="${size ? size[1] : 10}"${fill}` +
      (anchor !== "start" ? ` text-anchor="${anchor}"` : "") + (base ? ` dominant-baseline="${base}"` : "") + `>${esc(text)}</text>`);
  }
  // The children of an <svg>: definitions, then the drawing in order.
  markup() {
    for (; this.groups > 0; this.groups--) this.items.push("</g>");
    const body = this.items.map((it) => typeof it === "string" ? it
      : `<path d="${it.d}"${it.fillOnly ? it.paint : (it.paint.includes(" fill=") ? it.paint : ' fill="none"' + it.paint)}/>`);
    return (this.defs.length ? "<defs>" + this.defs.join("") + "</defs>" : "") + body.join("");
  }
}
