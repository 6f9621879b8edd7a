/* nnlib explorers, static face: recomputes the explorers' forward passes and redraws their SVG.
 * The project's own code, no library. Every formula mirrors nnlib (activations.py, Dense,
 * geometry.py, nnlib/explore/*.py); tests compare both to 1e-9. Loaded once per page (version
 * guard), then nnlibExplore.boot(element) wires one explorer block. Also loadable in Node, where
 * nnlibExplore.renderSVG(config) draws an explorer's first state without a DOM: Python calls it
 * at to_html() time, so the page carries the figure for readers without JavaScript. */
(function (root) {
  "use strict";
  var VERSION = "2";
  if (root.nnlibExplore && root.nnlibExplore.version === VERSION) return;
  var NX = { version: VERSION, kinds: {}, instances: {} };

  // ---- numbers: nn.js holds nnlib's formulas once (inlined before this script; required in Node) ----
  var NN = root.nnlibNN || (typeof require === "function" ? require("./nn.js") : null);
  if (!NN) throw new Error("explore.js needs nn.js loaded first");
  var ACT = {};
  Object.keys(NN.activations).forEach(function (name) { ACT[name] = NN.activations[name].f; });
  NX.act = ACT;
  function linspace(lo, hi, n) {  // as numpy: lo + i * step, last point exactly hi
    var step = (hi - lo) / (n - 1), out = new Array(n);
    for (var i = 0; i < n; i++) out[i] = lo + i * step;
    out[n - 1] = hi;
    return out;
  }
  NX.linspace = linspace;
  function fmt(v, d) {  // Python's f"{v:.{d}f}" with a true minus sign and no "-0"
    var t = v.toFixed(d), full = Math.abs(v).toFixed(d + 30), cut = full.length - 30;
    // An exact tie (the binary value ends in 5): toFixed rounds away from zero, Python to even.
    if (/^50*$/.test(full.slice(cut)) && +full.charAt(cut - (d ? 1 : 2)) % 2 === 0) {
      t = (v < 0 ? "-" : "") + full.slice(0, d ? cut : cut - 1);
    }
    if (/^-0\.?0*$/.test(t)) t = t.slice(1);
    return t.replace("-", "\u2212");
  }
  function term(v, d) {  // a later term of a sum: "+ 2.6" or "\u2212 4.1", signed as printed
    var t = fmt(v, d);
    return t.charAt(0) === "\u2212" ? "\u2212 " + t.slice(1) : "+ " + t;
  }
  NX.fmt = fmt;
  function sgn(cfg, b) { return cfg.bias_sign === "+" ? b : -b; }

  // ---- axes that follow the picture --------------------------------------------------------------
  // A step of 1, 2 or 5 times a power of ten, about span / 6. The power is found by multiplying and
  // dividing by 10 (no log10), so Python's copy (neuron_sum.follow_range) gets the same bits.
  function niceStep(span) {
    var raw = span / 6, mag = 1;
    while (mag * 10 <= raw) mag *= 10;
    while (mag > raw) mag /= 10;
    var f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  }
  // The range shown for data spanning [lo, hi]: kept while the data fit in it and fill at least
  // 35 % of it (so a small slider move never rescales), else a fresh range on the nice grid with a
  // margin. span_min keeps a flat curve from zooming into rounding noise.
  function followRange(cur, lo, hi, spanMin) {
    if (hi - lo < spanMin) { var mid = (lo + hi) / 2; lo = mid - spanMin / 2; hi = mid + spanMin / 2; }
    if (cur && lo >= cur[0] && hi <= cur[1] && hi - lo >= 0.35 * (cur[1] - cur[0])) return cur;
    var pad = 0.08 * (hi - lo), step = niceStep(hi - lo + 2 * pad);
    return [Math.floor((lo - pad) / step) * step, Math.ceil((hi + pad) / step) * step];
  }
  NX.followRange = followRange;

  // ---- SVG helpers: the browser's DOM, or a small stand-in when there is none (Node) ----------------
  var NS = "http://www.w3.org/2000/svg";
  var DOC = root.document || null;
  function el(tag, attrs, parent, text) {
    var e = DOC.createElementNS(NS, tag);
    for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  // The stand-in: just what the drawing code calls (setAttribute, appendChild, removeChild,
  // textContent, childNodes), and a serializer.
  function ShimElement(tag) {
    this.nodeName = tag; this.attrs = {}; this.order = []; this.childNodes = []; this.text = ""; this.parentNode = null;
  }
  ShimElement.prototype.setAttribute = function (k, v) {
    if (!(k in this.attrs)) this.order.push(k);
    this.attrs[k] = String(v);
  };
  ShimElement.prototype.getAttribute = function (k) { return k in this.attrs ? this.attrs[k] : null; };
  ShimElement.prototype.appendChild = function (c) { c.parentNode = this; this.childNodes.push(c); return c; };
  ShimElement.prototype.removeChild = function (c) {
    this.childNodes.splice(this.childNodes.indexOf(c), 1); c.parentNode = null; return c;
  };
  Object.defineProperty(ShimElement.prototype, "textContent", {
    get: function () { return this.text + this.childNodes.map(function (c) { return c.textContent; }).join(""); },
    set: function (t) { this.text = String(t); this.childNodes = []; }
  });
  var SHIM_DOC = { createElementNS: function (ns, tag) { return new ShimElement(tag); } };
  // Coordinates to one decimal (a tenth of an SVG unit cannot be seen; the markup stays small and stable).
  var GEOMETRY = { d: 1, x: 1, y: 1, x1: 1, x2: 1, y1: 1, y2: 1, cx: 1, cy: 1, width: 1, height: 1, transform: 1 };
  function round1(text) {
    return text.replace(/-?\d+\.\d+/g, function (m) { var v = Math.round(+m * 10) / 10; return String(v === 0 ? 0 : v); });
  }
  NX.round1 = round1;
  function escapeXML(t) {
    return t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  // A path of absolute moves and lines (as pathD writes them), rounded to tenths, then written with
  // relative steps: "M64,266.1l2.8,-0.1 2.8,0 ...", a third shorter and the same picture.
  function compactPath(d) {
    var out = [], px = 0, py = 0, rel = false, ok = true;
    d.replace(/([A-Za-z])([^A-Za-z]*)/g, function (m, cmd, args) {
      var v = args.split(",");
      if ((cmd !== "M" && cmd !== "L") || v.length !== 2) { ok = false; return m; }
      var x = Math.round(+v[0] * 10), y = Math.round(+v[1] * 10);
      if (cmd === "M") { out.push("M" + x / 10 + "," + y / 10); rel = false; }
      else { out.push((rel ? " " : "l") + (x - px) / 10 + "," + (y - py) / 10); rel = true; }
      px = x; py = y;
      return m;
    });
    return ok ? out.join("") : round1(d);
  }
  // Markup of a drawn node and its children, from the stand-in or from the browser's DOM (the tests
  // compare the two): coordinates to tenths, paths compacted.
  function serialize(node) {
    if (node.nodeType === 3) return escapeXML(node.nodeValue);
    var out = "<" + node.nodeName, attrs = [], kids = node.childNodes;
    if (node.order) node.order.forEach(function (k) { attrs.push([k, node.attrs[k]]); });
    else Array.prototype.forEach.call(node.attributes, function (a) { attrs.push([a.name, a.value]); });
    attrs.forEach(function (kv) {
      var k = kv[0], v = kv[1];
      v = k === "d" ? compactPath(v) : GEOMETRY[k] ? round1(v) : v;
      out += " " + k + "=\"" + escapeXML(v) + "\"";
    });
    var inner = (node.order ? escapeXML(node.text) : "") + Array.prototype.map.call(kids, serialize).join("");
    return out + (inner ? ">" + inner + "</" + node.nodeName + ">" : "/>");
  }
  NX.serializeSVG = function (svg) {  // the drawing inside an explorer's <svg>, without <title> and <desc>
    return Array.prototype.filter.call(svg.childNodes, function (c) {
      return c.nodeName !== "title" && c.nodeName !== "desc" && c.nodeType !== 8;
    }).map(serialize).join("");
  };
  // The first state of an explorer drawn as SVG markup (the children of its <svg>), with no DOM.
  NX.renderSVG = function (cfg) {
    var saved = DOC, svg = new ShimElement("svg");
    DOC = SHIM_DOC;
    try {
      var inst = { cfg: cfg, kind: NX.kinds[cfg.kind], svg: svg, state: {} };
      for (var k in cfg.state) inst.state[k] = cfg.state[k];
      inst.data = inst.kind.compute(cfg, inst.state);
      inst.kind.draw(inst, inst.data);
      return NX.serializeSVG(svg);
    } finally { DOC = saved; }
  };

  function niceTicks(lo, hi, n) {
    var raw = (hi - lo) / n, mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
    var step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag, out = [];
    for (var t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step) out.push(Math.abs(t) < 1e-12 ? 0 : t);
    return { ticks: out, decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
  }
  // A plotting area: box {x, y, w, h} in SVG units showing xlim x ylim; returns scales and a clipped group.
  function axes(inst, parent, box, xlim, ylim, o) {
    o = o || {};
    var g = el("g", { "class": "nnx-axes" }, parent);
    var sx = function (x) { return box.x + (x - xlim[0]) / (xlim[1] - xlim[0]) * box.w; };
    var sy = function (y) { return box.y + box.h - (y - ylim[0]) / (ylim[1] - ylim[0]) * box.h; };
    var cid = inst.cfg.key + "-clip" + (inst.clipCount = (inst.clipCount || 0) + 1);
    var cp = el("clipPath", { id: cid }, g);
    el("rect", { x: box.x, y: box.y, width: box.w, height: box.h }, cp);
    var xt = niceTicks(xlim[0], xlim[1], o.nx || 6), yt = niceTicks(ylim[0], ylim[1], o.ny || 6);
    var grid = el("g", { stroke: "#000", "stroke-opacity": o.noGrid ? 0 : 0.12, "aria-hidden": "true" }, g);
    var labels = el("g", { "font-size": 12, "aria-hidden": "true" }, g);
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
    var title = el("text", { x: box.x + box.w / 2, y: box.y - 10, "text-anchor": "middle", "font-size": 14 },
      labels, o.title || "");
    var plot = el("g", { "clip-path": "url(#" + cid + ")" }, g);
    return { g: g, plot: plot, sx: sx, sy: sy, box: box, title: title, xlim: xlim, ylim: ylim };
  }
  function pathD(xs, ys, sx, sy) {
    var d = [];
    for (var i = 0; i < xs.length; i++) {
      var py = sy(ys[i]);
      py = Math.max(-1e4, Math.min(1e4, py));  // far outside the clip: keep the path finite
      d.push((i ? "L" : "M") + sx(xs[i]).toFixed(2) + "," + py.toFixed(2));
    }
    return d.join("");
  }
  NX.pathD = pathD;
  function legendSwatch(row, it) {
    if (it.marker) marker(row, it.marker, 12, 0, 5, it.color, it.edge || "#fff");
    else el("line", { x1: 0, x2: 24, y1: 0, y2: 0, stroke: it.color, "stroke-width": it.width || 2,
      "stroke-dasharray": it.dash, "stroke-opacity": it.opacity }, row);
    el("text", { x: 30, y: 4 }, row, it.label);
  }
  function legend(parent, x, y, items) {  // a column of entries; items: {label, color, dash, width, marker}
    var g = el("g", { "font-size": 12, "aria-hidden": "true" }, parent), rows = [];
    items.forEach(function (it, i) {
      var row = el("g", { transform: "translate(" + x + "," + (y + i * 18) + ")" }, g);
      legendSwatch(row, it);
      rows.push(row);
    });
    return rows;
  }
  // Entries side by side, wrapping at `width`: a legend under the plot never covers a curve.
  function legendRow(parent, x, y, width, items) {
    var g = el("g", { "font-size": 12, "aria-hidden": "true" }, parent), cx = 0, cy = 0;
    items.forEach(function (it) {
      var w = 42 + 6.6 * it.label.length;
      if (cx > 0 && cx + w > width) { cx = 0; cy += 18; }
      legendSwatch(el("g", { transform: "translate(" + (x + cx) + "," + (y + cy) + ")" }, g), it);
      cx += w;
    });
    return g;
  }
  function marker(parent, kind, x, y, r, fill, stroke) {
    if (kind === "t") {
      var h = r * 1.25;
      return el("path", { d: "M" + x.toFixed(2) + "," + (y - h).toFixed(2) + "L" + (x + h).toFixed(2) + "," +
        (y + h * 0.75).toFixed(2) + "L" + (x - h).toFixed(2) + "," + (y + h * 0.75).toFixed(2) + "Z",
        fill: fill, stroke: stroke, "stroke-width": stroke && 1 }, parent);
    }
    return el("circle", { cx: x.toFixed(2), cy: y.toFixed(2), r: r, fill: fill, stroke: stroke, "stroke-width": stroke && 1 }, parent);
  }
  function moveMarker(m, kind, x, y, r) {
    if (kind === "t") {
      var h = r * 1.25;
      m.setAttribute("d", "M" + x.toFixed(2) + "," + (y - h).toFixed(2) + "L" + (x + h).toFixed(2) + "," +
        (y + h * 0.75).toFixed(2) + "L" + (x - h).toFixed(2) + "," + (y + h * 0.75).toFixed(2) + "Z");
    } else { m.setAttribute("cx", x.toFixed(2)); m.setAttribute("cy", y.toFixed(2)); }
  }
  function clear(svg) {  // keep <title> and <desc>
    Array.prototype.slice.call(svg.childNodes).forEach(function (c) {
      if (c.nodeName !== "title" && c.nodeName !== "desc") svg.removeChild(c);
    });
  }
  // A heat map as an 8-bit palette BMP data URL: index (w * h, bottom row first, as BMP stores it)
  // into palette ["#rrggbb", ...]. Written out byte by byte, so Node draws the same image as the browser.
  function bmpDataURL(w, h, index, palette) {
    var stride = Math.ceil(w / 4) * 4, offset = 54 + 4 * palette.length, size = offset + stride * h, bytes = [];
    function u16(v) { bytes.push(v & 255, (v >> 8) & 255); }
    function u32(v) { bytes.push(v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255); }
    bytes.push(66, 77); u32(size); u32(0); u32(offset);
    u32(40); u32(w); u32(h); u16(1); u16(8); u32(0); u32(stride * h); u32(2835); u32(2835); u32(palette.length); u32(0);
    palette.forEach(function (c) {
      bytes.push(parseInt(c.slice(5, 7), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(1, 3), 16), 0);
    });
    for (var j = 0; j < h; j++) {
      for (var i = 0; i < stride; i++) bytes.push(i < w ? index[j * w + i] : 0);
    }
    var bin = "";
    for (var k = 0; k < bytes.length; k += 4096) bin += String.fromCharCode.apply(null, bytes.slice(k, k + 4096));
    return "data:image/bmp;base64," + btoa(bin);
  }
  NX.bmpDataURL = bmpDataURL;

  // ---- 1. one neuron: y = h(w x - b) ------------------------------------------------------------
  NX.kinds.neuron = {
    compute: function (cfg, s) {
      var x = linspace(cfg.x[0], cfg.x[1], cfg.x[2]), f = ACT[s.activation], a = [], y = [];
      for (var i = 0; i < x.length; i++) { a.push(x[i] * s.weight + sgn(cfg, s.bias)); y.push(f(a[i])); }
      var refs = cfg.references.map(function (r) {
        var g = ACT[r.activation];
        return x.map(function (xi) { return g(xi * r.weight + sgn(cfg, r.bias)); });
      });
      var sw = s.weight === 0 ? null : (cfg.bias_sign === "-" ? s.bias : -s.bias) / s.weight;
      return { x: x, a: a, y: y, references: refs, switch_x: sw };
    },
    readout: function (cfg, s) {
      var minus = (cfg.bias_sign === "-") === (s.bias >= 0);
      var t = "y = " + cfg.act_labels[s.activation] + "(" + fmt(s.weight, 2) + " x " + (minus ? "\u2212" : "+") +
        " " + fmt(Math.abs(s.bias), 2) + "). ";
      if (s.weight === 0) return t + "With w = 0 the output does not depend on x: a flat line.";
      var sw = (cfg.bias_sign === "-" ? s.bias : -s.bias) / s.weight;
      return t + "The weighted input is 0 at x = " + fmt(sw, 2) + ", where the curve switches.";
    },
    draw: function (inst, r) {
      var cfg = inst.cfg, s = inst.state, ylim = cfg.ylim || cfg.ylims[s.activation];
      if (inst.ylimKey !== String(ylim)) {
        inst.ylimKey = String(ylim);
        clear(inst.svg);
        var ax = inst.ax = axes(inst, inst.svg, { x: 64, y: 34, w: 556, h: 280 }, [cfg.x[0], cfg.x[1]], ylim,
          { xlabel: "input x", ylabel: "output y" });
        if (ylim[0] < 0 && ylim[1] > 0) el("line", { x1: ax.box.x, x2: ax.box.x + ax.box.w, y1: ax.sy(0),
          y2: ax.sy(0), stroke: "#000", "stroke-width": 0.7 }, ax.plot);
        inst.refPaths = cfg.references.map(function (ref) {
          return el("path", { fill: "none", stroke: ref.color, "stroke-width": 1.8, "stroke-dasharray": "6 4" }, ax.plot);
        });
        inst.switchLine = el("line", { y1: ax.box.y, y2: ax.box.y + ax.box.h, stroke: cfg.switch_color,
          "stroke-width": 1.5, "stroke-dasharray": "2 3" }, ax.plot);
        inst.curve = el("path", { fill: "none", stroke: cfg.color, "stroke-width": 3, "class": "nnx-curve" }, ax.plot);
        var items = cfg.references.map(function (ref) { return { label: ref.label, color: ref.color, dash: "6 4" }; });
        items.push({ label: "your neuron", color: cfg.color, width: 3 });
        items.push({ label: "a = 0", color: cfg.switch_color, dash: "2 3" });
        // under the plot, where no curve can pass (w = -2 used to run under a legend in the corner)
        legendRow(inst.svg, ax.box.x, ax.box.y + ax.box.h + 58, ax.box.w, items);
      }
      var a = inst.ax;
      inst.refPaths.forEach(function (p, i) { p.setAttribute("d", pathD(r.x, r.references[i], a.sx, a.sy)); });
      inst.curve.setAttribute("d", pathD(r.x, r.y, a.sx, a.sy));
      var sw = r.switch_x, on = sw !== null && sw >= cfg.x[0] && sw <= cfg.x[1];
      inst.switchLine.setAttribute("visibility", on ? "visible" : "hidden");
      if (on) { inst.switchLine.setAttribute("x1", a.sx(sw).toFixed(2)); inst.switchLine.setAttribute("x2", a.sx(sw).toFixed(2)); }
      a.title.textContent = NX.kinds.neuron.readout(cfg, s).split(". ")[0];
    }
  };

  // ---- 2. neurons summed, an optional second layer (with its on/off switch) -------------------------
  function sumNetwork(cfg, s, x) {
    var n = s.count, f = ACT[s.activation], hidden = [], sum = [], out = [], on = layer2On(cfg, s);
    for (var i = 0; i < n; i++) hidden.push([]);
    for (var k = 0; k < x.length; k++) {
      var total = 0;
      for (i = 0; i < n; i++) {
        var z = f(x[k] * s["w" + i] + sgn(cfg, s["b" + i]));
        hidden[i].push(z * s["v" + i]);
        total += z * s["v" + i];
      }
      total += (s.c || 0);
      sum.push(total);
      out.push(on ? ACT[s.activation2](total * s.w_l2 + sgn(cfg, s.b_l2)) : total);
    }
    return { hidden: hidden, sum: sum, output: out };
  }
  function layer2On(cfg, s) { return cfg.second_layer && s.layer2 === "on"; }
  // The y-range that shows every curve drawn (and 0), following the sliders with hysteresis.
  function sumRange(cfg, r, cur) {
    if (cfg.ylim) return cfg.ylim;
    var lo = 0, hi = 0;
    function take(v) { for (var i = 0; i < v.length; i++) { if (v[i] < lo) lo = v[i]; if (v[i] > hi) hi = v[i]; } }
    r.hidden.forEach(take); take(r.sum); take(r.output);
    if (cfg.target) take(cfg.target);
    return followRange(cur, lo, hi, 1);
  }
  NX.kinds.neuronsum = {
    compute: function (cfg, s) {
      var x = linspace(cfg.x[0], cfg.x[1], cfg.x[2]), r = sumNetwork(cfg, s, x);
      r.x = x; r.target = cfg.target; r.r2 = null; r.mse = null;
      if (cfg.target) {
        var t = cfg.target, mean = 0, ss = 0, st = 0;
        for (var i = 0; i < t.length; i++) mean += t[i];
        mean /= t.length;
        for (i = 0; i < t.length; i++) { ss += Math.pow(r.output[i] - t[i], 2); st += Math.pow(t[i] - mean, 2); }
        r.mse = ss / t.length; r.r2 = 1 - ss / st;
      }
      return r;
    },
    readout: function (cfg, s, r) {
      var at0 = sumNetwork(cfg, s, [0]);
      var t = s.count + " " + cfg.act_labels[s.activation] + " neuron" + (s.count > 1 ? "s" : "") +
        "; sum at x = 0: " + fmt(at0.sum[0], 3);
      if (layer2On(cfg, s)) t += "; after layer 2: " + fmt(at0.output[0], 3);
      if (r.r2 !== null) t += ". Fit to the target: R\u00b2 = " + fmt(r.r2, 3) + " (mean squared error " + fmt(r.mse, 4) + ")";
      return t + ".";
    },
    controls: function (inst) {  // the second layer's sliders only while it is switched on
      var w = inst.inputs.w_l2, row = w && w.closest(".nnx-row");
      if (row) row.hidden = !layer2On(inst.cfg, inst.state);
    },
    draw: function (inst, r) {
      var cfg = inst.cfg, s = inst.state, n = cfg.colors.length, on = layer2On(cfg, s);
      var ylim = sumRange(cfg, r, inst.ylim);
      if (!inst.ax || ylim !== inst.ylim) {
        inst.ylim = ylim;
        clear(inst.svg);
        inst.clipCount = 0;
        var ax = inst.ax = axes(inst, inst.svg, { x: 64, y: 34, w: 366, h: 326 }, [cfg.x[0], cfg.x[1]], ylim,
          { xlabel: "input x", ylabel: "output" });
        if (ylim[0] < 0 && ylim[1] > 0) el("line", { x1: ax.box.x, x2: ax.box.x + ax.box.w, y1: ax.sy(0),
          y2: ax.sy(0), stroke: "#000", "stroke-width": 0.7 }, ax.plot);
        var items = [];
        if (cfg.target) {
          el("path", { d: pathD(r.x, cfg.target, ax.sx, ax.sy), fill: "none", stroke: cfg.target_color,
            "stroke-width": 7, "stroke-opacity": 0.6, "stroke-linejoin": "round" }, ax.plot);
        }
        inst.hiddenPaths = cfg.colors.map(function (c, i) {
          items.push({ label: "v" + i + " \u00b7 z" + i, color: c, width: 1.8 });
          return el("path", { fill: "none", stroke: c, "stroke-width": 1.8 }, ax.plot);
        });
        if (cfg.target) items.push({ label: "target", color: cfg.target_color, width: 7, opacity: 0.6 });
        inst.sumPath = el("path", { fill: "none", stroke: cfg.sum_color, "stroke-width": 3, "class": "nnx-curve" }, ax.plot);
        items.push({ label: "sum s(x)", color: cfg.sum_color, width: 3 });
        inst.outPath = null;
        if (cfg.second_layer) {
          inst.outPath = el("path", { fill: "none", stroke: cfg.sum_color, "stroke-width": 3, "stroke-dasharray": "8 5" }, ax.plot);
          items.push({ label: "layer 2: h(w s " + (cfg.bias_sign === "-" ? "\u2212" : "+") + " b)",
            color: cfg.sum_color, width: 3, dash: "8 5" });
        }
        inst.legendRows = legend(inst.svg, ax.box.x + ax.box.w + 14, ax.box.y + 6, items);
      }
      var a = inst.ax, shown = 0;
      inst.hiddenPaths.forEach(function (p, i) {
        var vis = i < s.count;
        p.setAttribute("visibility", vis ? "visible" : "hidden");
        if (vis) p.setAttribute("d", pathD(r.x, r.hidden[i], a.sx, a.sy));
      });
      // legend: the shown neurons, then the other entries, without gaps
      var last = inst.legendRows.length - 1;
      inst.legendRows.forEach(function (row, i) {
        var vis = (i >= n || i < s.count) && !(inst.outPath && i === last && !on);
        row.setAttribute("visibility", vis ? "visible" : "hidden");
        if (vis) row.setAttribute("transform", "translate(" + (a.box.x + a.box.w + 14) + "," + (a.box.y + 6 + 18 * shown++) + ")");
      });
      inst.sumPath.setAttribute("d", pathD(r.x, r.sum, a.sx, a.sy));
      if (inst.outPath) {
        inst.outPath.setAttribute("visibility", on ? "visible" : "hidden");
        inst.outPath.setAttribute("d", pathD(r.x, r.output, a.sx, a.sy));
      }
      a.title.textContent = s.count + " neuron" + (s.count > 1 ? "s" : "") + (on ? " and a second layer" : "") +
        (r.r2 !== null ? ": R\u00b2 = " + fmt(r.r2, 3) : "");
    }
  };
  // ---- 3. decision boundary of a neuron (or a small network) on two inputs ----------------------
  function boundaryPredict(cfg, s, x0, x1) {
    var out;
    if (!cfg.hidden) {
      out = x0 * s.w0 + x1 * s.w1 + s.b;
    } else {
      var H = cfg.hidden, g = ACT[H.activation];
      out = 0;
      for (var k = 0; k < s.count; k++) out += g(x0 * H.W[0][k] + x1 * H.W[1][k] + H.b[k]) * s["v" + k];
      out += s.c;
    }
    return ACT[s.activation](out);
  }
  function clipLine(w0, w1, b, xlim, ylim) {  // as clip_line in decision_boundary.py
    var pts = [], i;
    if (w1 !== 0) for (i = 0; i < 2; i++) { var y = -(w0 * xlim[i] + b) / w1; if (y >= ylim[0] && y <= ylim[1]) pts.push([xlim[i], y]); }
    if (w0 !== 0) for (i = 0; i < 2; i++) { var x = -(w1 * ylim[i] + b) / w0; if (x >= xlim[0] && x <= xlim[1]) pts.push([x, ylim[i]]); }
    var u = [];
    pts.forEach(function (p) {
      if (u.every(function (q) { return Math.abs(p[0] - q[0]) > 1e-12 || Math.abs(p[1] - q[1]) > 1e-12; })) u.push(p);
    });
    return u.length >= 2 ? [u[0], u[1]] : null;
  }
  NX.clipLine = clipLine;
  function contour(gx, gy, grid, level) {  // marching squares: segments [[x, y], [x, y]] where grid = level
    var segs = [];
    for (var j = 0; j + 1 < gy.length; j++) for (var i = 0; i + 1 < gx.length; i++) {
      var c = [[gx[i], gy[j], grid[j][i]], [gx[i + 1], gy[j], grid[j][i + 1]],
        [gx[i + 1], gy[j + 1], grid[j + 1][i + 1]], [gx[i], gy[j + 1], grid[j + 1][i]]], pts = [];
      for (var e = 0; e < 4; e++) {
        var p = c[e], q = c[(e + 1) % 4];
        if ((p[2] > level) !== (q[2] > level)) {
          var t = (level - p[2]) / (q[2] - p[2]);
          pts.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
        }
      }
      if (pts.length >= 2) segs.push([pts[0], pts[1]]);
      if (pts.length === 4) segs.push([pts[2], pts[3]]);
    }
    return segs;
  }
  // The classes of the points: the gate chosen in the target menu, or the data's labels.
  function boundaryClasses(cfg, s) { return cfg.gates ? cfg.gates[s.target] : cfg.classes; }
  // A point on its class's side lies on dark (class 0) or light (class 1) output: edge it in contrast.
  var EDGE = ["#fff", "#222"];
  NX.kinds.boundary = {
    compute: function (cfg, s) {
      var gx = linspace(cfg.xlim[0], cfg.xlim[1], cfg.res), gy = linspace(cfg.ylim[0], cfg.ylim[1], cfg.res), grid = [];
      for (var j = 0; j < gy.length; j++) {
        var row = [];
        for (var i = 0; i < gx.length; i++) row.push(boundaryPredict(cfg, s, gx[i], gy[j]));
        grid.push(row);
      }
      var th = cfg.thresholds[s.activation], outputs = [], predicted = [], correct = [], ok = 0;
      var classes = boundaryClasses(cfg, s);
      for (var p = 0; p < classes.length; p++) {
        var o = boundaryPredict(cfg, s, cfg.X[2 * p], cfg.X[2 * p + 1]), c = o > th ? 1 : 0;
        outputs.push(o); predicted.push(c); correct.push(c === classes[p]); ok += c === classes[p] ? 1 : 0;
      }
      var line = null, hiddenLines = null;
      if (!cfg.hidden) line = clipLine(s.w0, s.w1, s.b, cfg.xlim, cfg.ylim);
      else {
        hiddenLines = [];
        for (var k = 0; k < s.count; k++) hiddenLines.push(clipLine(cfg.hidden.W[0][k], cfg.hidden.W[1][k], cfg.hidden.b[k], cfg.xlim, cfg.ylim));
      }
      return { gx: gx, gy: gy, grid: grid, outputs: outputs, predicted: predicted, correct: correct,
        classes: classes, accuracy: ok / classes.length, line: line, hidden_lines: hiddenLines, threshold: th };
    },
    readout: function (cfg, s, r) {
      var n = r.classes.length, ok = 0;
      r.correct.forEach(function (c) { ok += c ? 1 : 0; });
      var head = cfg.hidden ? s.count + " hidden neuron" + (s.count > 1 ? "s" : "") :
        fmt(s.w0, 1) + " x0 " + term(s.w1, 1) + " x1 " + term(s.b, 1) + " = 0 is the boundary";
      return head + "; " + ok + " of " + n + " points are on their class's side (" + Math.floor(100 * ok / n + 0.5) + "%).";
    },
    draw: function (inst, r) {
      var cfg = inst.cfg, s = inst.state, res = cfg.res;
      var dx = (cfg.xlim[1] - cfg.xlim[0]) / (res - 1) / 2, dy = (cfg.ylim[1] - cfg.ylim[0]) / (res - 1) / 2;
      if (!inst.ax) {
        clear(inst.svg);
        var ax = inst.ax = axes(inst, inst.svg, { x: 64, y: 34, w: 390, h: 350 }, [cfg.xlim[0] - dx, cfg.xlim[1] + dx],
          [cfg.ylim[0] - dy, cfg.ylim[1] + dy], { xlabel: "input x0", ylabel: "input x1", noGrid: true });
        // The heat map: one pixel per grid point in a small image, shown with crisp cells; one
        // attribute changes per update instead of res x res rectangles.
        inst.heat = el("image", { x: ax.box.x, y: ax.box.y, width: ax.box.w, height: ax.box.h,
          preserveAspectRatio: "none", style: "image-rendering:pixelated;image-rendering:crisp-edges" }, ax.plot);
        inst.hiddenLines = cfg.hidden ? cfg.hidden.colors.map(function (c) {
          return el("line", { stroke: c, "stroke-width": 1.4, "stroke-dasharray": "5 4" }, ax.plot); }) : [];
        inst.line = el("line", { stroke: cfg.line_color, "stroke-width": 2.6, "class": "nnx-curve" }, ax.plot);
        inst.contour = el("path", { fill: "none", stroke: cfg.line_color, "stroke-width": 2.6 }, ax.plot);
        inst.pointLayer = el("g", {}, ax.plot);
        // colour bar
        var cb = { x: ax.box.x + ax.box.w + 18, y: ax.box.y, w: 14, h: ax.box.h };
        inst.cbar = el("g", {}, inst.svg);
        var defs = el("defs", {}, inst.svg), gid = cfg.key + "-grad", grad = el("linearGradient", { id: gid, x1: 0, y1: 1, x2: 0, y2: 0 }, defs);
        cfg.lut.forEach(function (c, i) { el("stop", { offset: (i / (cfg.lut.length - 1)).toFixed(3), "stop-color": c }, grad); });
        el("rect", { x: cb.x, y: cb.y, width: cb.w, height: cb.h, fill: "url(#" + gid + ")", stroke: "#333", "stroke-width": 0.6 }, inst.svg);
        inst.cbLabels = [0, 0.25, 0.5, 0.75, 1].map(function (f) {
          return el("text", { x: cb.x + cb.w + 5, y: (cb.y + cb.h - f * cb.h + 4).toFixed(1), "font-size": 11, "aria-hidden": "true" }, inst.svg);
        });
        el("text", { x: 0, y: 0, "font-size": 12, "text-anchor": "middle", "aria-hidden": "true",
          transform: "translate(" + (cb.x + cb.w + 46) + "," + (cb.y + cb.h / 2) + ") rotate(-90)" }, inst.svg, "output y");
        var lg = el("g", { "font-size": 12, "aria-hidden": "true" }, inst.svg), ly = ax.box.y + ax.box.h + 56;
        el("line", { x1: ax.box.x, x2: ax.box.x + 24, y1: ly, y2: ly, stroke: cfg.line_color, "stroke-width": 2.6 }, lg);
        el("text", { x: ax.box.x + 30, y: ly + 4 }, lg, "boundary");
        marker(lg, "c", ax.box.x + 120, ly, 6, cfg.class_colors[0], "#fff");
        el("text", { x: ax.box.x + 132, y: ly + 4 }, lg, "class 0");
        marker(lg, "t", ax.box.x + 210, ly, 6, cfg.class_colors[1], EDGE[1]);
        el("text", { x: ax.box.x + 222, y: ly + 4 }, lg, "class 1");
        marker(lg, "c", ax.box.x + 300, ly, 6, "#fff", "#000");
        el("text", { x: ax.box.x + 312, y: ly + 4 }, lg, "black rim: wrong side");
      }
      var a = inst.ax, lo = cfg.ranges[s.activation][0], hi = cfg.ranges[s.activation][1], L = cfg.lut.length - 1;
      var index = new Array(res * res);  // BMP rows run bottom-up, as the y axis does
      for (var jj = 0; jj < res; jj++) for (var ii = 0; ii < res; ii++) {
        index[jj * res + ii] = Math.max(0, Math.min(L, Math.round((r.grid[jj][ii] - lo) / (hi - lo) * L)));
      }
      inst.heat.setAttribute("href", bmpDataURL(res, res, index, cfg.lut));
      if (inst.pointsFor !== r.classes) {  // (re)draw the points when the target menu changes their classes
        inst.pointsFor = r.classes;
        clear(inst.pointLayer);
        var rad = r.classes.length < 30 ? 6 : 3.6;
        inst.points = r.classes.map(function (c, p) {
          return marker(inst.pointLayer, c ? "t" : "c", a.sx(cfg.X[2 * p]), a.sy(cfg.X[2 * p + 1]), rad, cfg.class_colors[c], EDGE[c]);
        });
      }
      inst.cbLabels.forEach(function (t, i) { t.textContent = fmt(lo + i / 4 * (hi - lo), 2); });
      function setLine(line, seg) {
        line.setAttribute("visibility", seg ? "visible" : "hidden");
        if (!seg) return;
        line.setAttribute("x1", a.sx(seg[0][0]).toFixed(2)); line.setAttribute("y1", a.sy(seg[0][1]).toFixed(2));
        line.setAttribute("x2", a.sx(seg[1][0]).toFixed(2)); line.setAttribute("y2", a.sy(seg[1][1]).toFixed(2));
      }
      setLine(inst.line, r.line);
      inst.hiddenLines.forEach(function (l, i) { setLine(l, r.hidden_lines && i < r.hidden_lines.length ? r.hidden_lines[i] : null); });
      if (cfg.hidden) {
        inst.contour.setAttribute("d", contour(r.gx, r.gy, r.grid, r.threshold).map(function (sg) {
          return "M" + a.sx(sg[0][0]).toFixed(2) + "," + a.sy(sg[0][1]).toFixed(2) + "L" + a.sx(sg[1][0]).toFixed(2) + "," + a.sy(sg[1][1]).toFixed(2);
        }).join(""));
      }
      inst.points.forEach(function (m, p) {
        if (m.__ok === r.correct[p]) return;  // touch the DOM only where a point changed sides
        m.__ok = r.correct[p];
        m.setAttribute("stroke", r.correct[p] ? EDGE[r.classes[p]] : "#000");
        m.setAttribute("stroke-width", r.correct[p] ? 1 : 2.5);
      });
      var ok = 0;
      r.correct.forEach(function (c) { ok += c ? 1 : 0; });
      a.title.textContent = (cfg.gates ? cfg.gate_labels[s.target] + ": " : "") + ok + " of " + r.classes.length +
        " points on the right side";
    }
  };

  // ---- 4. a layer moves the plane, stage by stage: V^T (rotate), Sigma (scale), U (rotate), + b, ReLU ----
  // Column convention of chapter 7: a = W x + b with W (units, inputs), W = U Sigma V^T = R(out) diag(s1, s2) R(in).
  var RAD = Math.PI / 180;
  function wrap180(deg) { var a = deg % 360; if (a > 180) a -= 360; if (a <= -180) a += 360; return a; }
  function compose(angleIn, s1, s2, angleOut) {  // as nnlib.geometry.compose
    var ci = Math.cos(angleIn * RAD), si = Math.sin(angleIn * RAD), co = Math.cos(angleOut * RAD), so = Math.sin(angleOut * RAD);
    var A = [[co * s1, -so * s2], [so * s1, co * s2]];
    return [[A[0][0] * ci + A[0][1] * si, A[0][0] * -si + A[0][1] * ci],
      [A[1][0] * ci + A[1][1] * si, A[1][0] * -si + A[1][1] * ci]];
  }
  // nnlib.geometry.decompose for a 2 x 2 W, in closed form: W = R(angle_out) diag(s1, s2) R(angle_in) with
  // s1 >= |s2|, s2 < 0 exactly when W reflects, angle_in in (-90, 90] (0 when s1 = |s2|), angles in degrees.
  function decompose(W) {
    var a = W[0][0], b = W[0][1], c = W[1][0], d = W[1][1], eps = 2.220446049250313e-16;
    var E = (a + d) / 2, F = (a - d) / 2, G = (c + b) / 2, H = (c - b) / 2;
    var Q = Math.sqrt(E * E + H * H), R = Math.sqrt(F * F + G * G), s1 = Q + R, s2 = Q - R;
    if (s1 === 0) return { angle_in: 0, s1: 0, s2: 0, angle_out: 0 };
    if (Math.abs(s2) <= 4 * eps * s1) s2 = 0;  // rank 1: rounding noise, as numpy's rank tolerance
    if (Math.min(Q, R) <= 4 * eps * s1) {  // s1 = |s2|: a scaled rotation or reflection, no preferred axes
      return { angle_in: 0, s1: s1, s2: Q >= R ? s1 : -s1, angle_out: wrap180(Math.atan2(c, a) / RAD) };
    }
    var a1 = Math.atan2(G, F), a2 = Math.atan2(H, E), tin = (a2 - a1) / 2 / RAD, tout = (a2 + a1) / 2 / RAD;
    if (tin > 90) { tin -= 180; tout -= 180; } else if (tin <= -90) { tin += 180; tout += 180; }
    return { angle_in: tin, s1: s1, s2: s2, angle_out: wrap180(tout) };
  }
  NX.decompose = decompose;
  function affineParts(cfg, s) {
    if (cfg.mode === "matrix") {
      var W = [[s.w00, s.w01], [s.w10, s.w11]], d = decompose(W);
      return { W: W, parts: [d.angle_in, d.s1, d.s2, d.angle_out] };
    }
    return { W: compose(s.angle_in, s.s1, s.s2, s.angle_out), parts: [s.angle_in, s.s1, s.s2, s.angle_out] };
  }
  // The cloud at stage position u in [0, 5]: whole stages applied in full, the next one a fraction t of
  // the way (turn by t * angle, scale by 1 + t (s - 1), shift by t b, fold a share t of the way to ReLU).
  function stageCloud(P, parts, b, u) {
    var out = [], t = [0, 1, 2, 3, 4].map(function (k) { return Math.max(0, Math.min(1, u - k)); });
    var r1 = t[0] * parts[0] * RAD, r3 = t[2] * parts[3] * RAD, c1 = Math.cos(r1), n1 = Math.sin(r1),
      c3 = Math.cos(r3), n3 = Math.sin(r3), k1 = 1 + t[1] * (parts[1] - 1), k2 = 1 + t[1] * (parts[2] - 1);
    for (var i = 0; i < P.length; i++) {
      var x = P[i][0], y = P[i][1], x1 = c1 * x - n1 * y, y1 = n1 * x + c1 * y;
      x1 *= k1; y1 *= k2;
      var x3 = c3 * x1 - n3 * y1 + t[3] * b[0], y3 = n3 * x1 + c3 * y1 + t[3] * b[1];
      out.push([x3 - t[4] * Math.min(x3, 0), y3 - t[4] * Math.min(y3, 0)]);
    }
    return out;
  }
  NX.stageCloud = stageCloud;
  function affineLim(cfg, r, cur) {
    if (cfg.lim) return cfg.lim;
    var m = 0;
    r.stages.forEach(function (pts) { pts.forEach(function (p) { m = Math.max(m, Math.abs(p[0]), Math.abs(p[1])); }); });
    return followRange(cur ? [-cur, cur] : null, -m, m, 2)[1];
  }
  NX.kinds.affine = {
    compute: function (cfg, s) {
      var wp = affineParts(cfg, s), W = wp.W, b = [s.b0, s.b1], n = cfg.P.length / 2, P = [], counts = [0, 0, 0];
      for (var i = 0; i < n; i++) P.push([cfg.P[2 * i], cfg.P[2 * i + 1]]);
      var st = [0, 1, 2, 3, 4, 5].map(function (k) { return stageCloud(P, wp.parts, b, k); });
      st[4].forEach(function (a) { counts[(a[0] < 0 ? 1 : 0) + (a[1] < 0 ? 1 : 0)]++; });
      return { points: P, stages: st, affine: st[4], folded: st[5], W: W, b: b, parts: wp.parts,
        det: W[0][0] * W[1][1] - W[0][1] * W[1][0], counts: counts };
    },
    readout: function (cfg, s, r) {
      var W = r.W, f = function (v) { return fmt(v, 2); }, det = r.det;
      var kind = det < -1e-12 ? "turns the plane over (a reflection)" : Math.abs(det) <= 1e-12 ?
        "collapses the plane onto a line or a point" : "keeps the orientation";
      return "W = [[" + f(W[0][0]) + ", " + f(W[0][1]) + "], [" + f(W[1][0]) + ", " + f(W[1][1]) + "]], b = (" +
        f(r.b[0]) + ", " + f(r.b[1]) + "); det W = " + f(det) + ": it " + kind + ". ReLU leaves " + r.counts[0] +
        " points, drops " + r.counts[1] + " onto an axis and " + r.counts[2] + " onto the origin. Stage " + s.stage +
        " of 5: " + cfg.stage_names[s.stage] + ".";
    },
    stageText: function (k, r) {  // what stage k does, with its numbers
      var p = r.parts;
      return ["the points x", "turn by V\u1d40: " + fmt(p[0], 0) + "\u00b0", "scale by \u03a3: " + fmt(p[1], 2) + " and " + fmt(p[2], 2),
        "turn by U: " + fmt(p[3], 0) + "\u00b0", "shift by b = (" + fmt(r.b[0], 1) + ", " + fmt(r.b[1], 1) + ")",
        "ReLU: negatives to 0"][k];
    },
    controls: function (inst) {
      var s = inst.state, stage = inst.inputs.stage;
      if (!stage) return;
      if (!inst.play) {  // a play button after the stage slider: runs the cloud through every stage
        var doc = stage.ownerDocument;
        inst.play = doc.createElement("button");
        inst.play.type = "button";
        inst.play.className = "nnx-play";
        inst.play.textContent = "\u25b6 play";
        inst.play.setAttribute("aria-label", "play the stages from the input to ReLU");
        stage.parentNode.appendChild(inst.play);
        inst.play.addEventListener("click", function () {
          if (inst.playing) { inst.playing = false; inst.play.textContent = "\u25b6 play"; return; }
          inst.playing = true;
          inst.play.textContent = "\u275a\u275a pause";
          if (+stage.value >= 5) inst.set("stage", 0);
          (function next() {
            if (!inst.playing) return;
            if (+stage.value >= 5) { inst.playing = false; inst.play.textContent = "\u25b6 play"; return; }
            inst.set("stage", +stage.value + 1);
            inst.playTimer = setTimeout(next, 1100);
          })();
        });
      }
      // animate from where the cloud is shown to the new stage (a jump when the reader asks for less motion)
      var from = inst.u !== undefined && inst.u !== null ? inst.u : inst.shownStage;
      inst.shownStage = s.stage;
      var still = !root.matchMedia || root.matchMedia("(prefers-reduced-motion: reduce)").matches;
      if (from === undefined || from === s.stage || still || !root.requestAnimationFrame) { inst.u = null; return; }
      var t0 = null, to = s.stage, ms = 350 + 250 * Math.abs(to - from), token = inst.animToken = {};
      inst.u = from;
      root.requestAnimationFrame(function frame(now) {
        if (inst.animToken !== token) return;
        if (t0 === null) t0 = now;
        var t = Math.min(1, (now - t0) / ms), e = t * t * (3 - 2 * t);
        inst.u = t >= 1 ? null : from + (to - from) * e;
        NX.kinds.affine.draw(inst, inst.data);
        if (t < 1) root.requestAnimationFrame(frame);
      });
    },
    draw: function (inst, r) {
      var cfg = inst.cfg, s = inst.state, u = inst.u !== undefined && inst.u !== null ? inst.u : s.stage;
      var L = affineLim(cfg, r, inst.lim), kind = NX.kinds.affine;
      if (inst.lim !== L) {
        inst.lim = L;
        clear(inst.svg);
        inst.clipCount = 0;
        var ax = inst.ax = axes(inst, inst.svg, { x: 56, y: 34, w: 380, h: 380 }, [-L, L], [-L, L],
          { xlabel: "coordinate 0", ylabel: "coordinate 1", nx: 6, ny: 6 });
        inst.quadrant = el("rect", { x: ax.sx(0), y: ax.sy(L), width: ax.sx(L) - ax.sx(0), height: ax.sy(0) - ax.sy(L),
          fill: "#009E73", "fill-opacity": 0.1 }, ax.plot);
        el("line", { x1: ax.sx(-L), x2: ax.sx(L), y1: ax.sy(0), y2: ax.sy(0), stroke: "#555", "stroke-width": 0.9 }, ax.plot);
        el("line", { x1: ax.sx(0), x2: ax.sx(0), y1: ax.sy(-L), y2: ax.sy(L), stroke: "#555", "stroke-width": 0.9 }, ax.plot);
        var ghost = el("g", { fill: "#999", "fill-opacity": 0.45 }, ax.plot);  // the input cloud, as a faint reference
        r.points.forEach(function (p) { el("circle", { cx: ax.sx(p[0]).toFixed(2), cy: ax.sy(p[1]).toFixed(2), r: 2 }, ghost); });
        inst.marks = r.points.map(function (p, j) { return marker(ax.plot, cfg.markers[j], 0, 0, 3.6, cfg.colors[j], null); });
        var lg = el("g", { "font-size": 12, "aria-hidden": "true" }, inst.svg);
        el("text", { x: 462, y: 52, "font-size": 13, "font-weight": 600 }, lg, "stages of the layer");
        inst.stageRows = cfg.stage_names.map(function (name, k) {
          var row = el("g", { transform: "translate(462," + (84 + 50 * k) + ")" }, lg);
          row.dot = el("circle", { cx: 5, cy: -4, r: 5, fill: "#fff", stroke: "#333", "stroke-width": 1 }, row);
          el("text", { x: 16, y: 0 }, row, k + " " + name);
          row.detail = el("text", { x: 16, y: 16, "font-size": 11, fill: "#555" }, row, "");
          return row;
        });
      }
      var a = inst.ax, k = Math.round(u), pts = stageCloud(r.points, r.parts, r.b, u);
      inst.marks.forEach(function (m, j) { moveMarker(m, cfg.markers[j], a.sx(pts[j][0]), a.sy(pts[j][1]), 3.6); });
      inst.quadrant.setAttribute("fill-opacity", u >= 4 ? 0.1 + 0.08 * Math.min(1, u - 4) : 0.04);
      inst.stageRows.forEach(function (row, i) {
        row.dot.setAttribute("fill", i === s.stage ? "#333" : i < s.stage ? "#999" : "#fff");
        row.setAttribute("font-weight", i === s.stage ? 700 : 400);
        row.detail.textContent = kind.stageText(i, r);
      });
      a.title.textContent = "stage " + k + ": " + cfg.stage_names[k] + " (det W " + fmt(r.det, 2) + ")";
    }
  };

  // ---- wiring one explorer block ------------------------------------------------------------------
  function readInput(inp) {
    return inp.tagName === "SELECT" ? inp.value : parseFloat(inp.value);
  }
  NX.boot = function (rootEl) {
    if (!rootEl || rootEl.__nnx) return rootEl && rootEl.__nnx;
    var cfg = JSON.parse(rootEl.querySelector("script.nnx-config").textContent);
    var kind = NX.kinds[cfg.kind];
    var inst = { root: rootEl, cfg: cfg, kind: kind, svg: rootEl.querySelector("svg.nnx-svg"),
      readoutEl: rootEl.querySelector(".nnx-readout"), state: {}, inputs: {} };
    for (var k in cfg.state) inst.state[k] = cfg.state[k];
    Array.prototype.forEach.call(rootEl.querySelectorAll("[data-param]"), function (inp) {
      var name = inp.getAttribute("data-param");
      inst.inputs[name] = inp;
      inst.state[name] = readInput(inp);  // the browser may restore a moved slider on reload
      inp.addEventListener("input", function () {
        var v = readInput(inp);
        inst.state[name] = v;
        if (inp.type === "range") {
          var text = fmt(v, +inp.getAttribute("data-decimals")), out = inp.parentNode.querySelector("output");
          if (out) out.textContent = text;
          inp.setAttribute("aria-valuetext", text);
        }
        inst.update();
      });
    });
    inst.update = function () {
      var t0 = (root.performance || Date).now();
      inst.data = kind.compute(cfg, inst.state);
      if (kind.controls) kind.controls(inst);
      kind.draw(inst, inst.data);
      if (inst.readoutEl) inst.readoutEl.textContent = kind.readout(cfg, inst.state, inst.data);
      if ("count" in inst.state) {
        Array.prototype.forEach.call(rootEl.querySelectorAll("[data-neuron]"), function (row) {
          row.hidden = +row.getAttribute("data-neuron") >= inst.state.count;
        });
      }
      inst.lastMs = (root.performance || Date).now() - t0;
      return inst.data;
    };
    // Programmatic slider moves (tests, benchmarks): set the value and fire the same event a reader fires.
    inst.set = function (name, value) {
      var inp = inst.inputs[name];
      inp.value = String(value);
      inp.dispatchEvent(new Event("input", { bubbles: true }));
      return inst.data;
    };
    rootEl.__nnx = inst;
    NX.instances[cfg.key] = inst;
    rootEl.classList.add("nnx-live");
    inst.update();
    return inst;
  };
  root.nnlibExplore = NX;
  if (typeof module !== "undefined" && module.exports) module.exports = NX;
})(typeof window !== "undefined" ? window : globalThis);
