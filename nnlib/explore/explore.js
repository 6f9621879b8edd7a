/* nnlib explorers, static face: recomputes the explorers' forward passes and redraws their SVG.
 * The project's own code, no library. Every formula mirrors nnlib (activations.py, Dense,
 * nnlib/explore/*.py); tests compare both to 1e-6. Loaded once per page (version guard),
 * then nnlibExplore.boot(element) wires one explorer block. Also loadable in Node for tests. */
(function (root) {
  "use strict";
  var VERSION = "1";
  if (root.nnlibExplore && root.nnlibExplore.version === VERSION) return;
  var NX = { version: VERSION, kinds: {}, instances: {} };

  // ---- numbers: nn.js holds nnlib's formulas once (inlined before this script; required in Node) ----
  var NN = root.nnlibNN || (typeof require === "function" ? require("./nn.js") : null);
  if (!NN) throw new Error("explore.js needs nn.js loaded first");
  var ACT = {};
  Object.keys(NN.activations).forEach(function (name) { ACT[name] = NN.activations[name].f; });
  var sigmoid = NN.sigmoid, softplus = NN.softplus;
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

  // ---- SVG helpers ------------------------------------------------------------------------------
  var NS = "http://www.w3.org/2000/svg";
  function el(tag, attrs, parent, text) {
    var e = document.createElementNS(NS, tag);
    for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
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
    return { g: g, plot: plot, sx: sx, sy: sy, box: box, title: title };
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
  function legend(parent, x, y, items) {  // items: {label, color, dash, width, marker}
    var g = el("g", { "font-size": 12, "aria-hidden": "true" }, parent), rows = [];
    var longest = Math.max.apply(null, items.map(function (it) { return it.label.length; }));
    // a light backing keeps the labels readable where a curve passes under them
    el("rect", { x: x - 6, y: y - 11, width: 40 + 6.6 * longest, height: 18 * items.length + 4, fill: "#fff",
      "fill-opacity": 0.85 }, g);
    items.forEach(function (it, i) {
      var row = el("g", { transform: "translate(" + x + "," + (y + i * 18) + ")" }, g);
      if (it.marker) marker(row, it.marker, 12, 0, 5, it.color, "#fff");
      else el("line", { x1: 0, x2: 24, y1: 0, y2: 0, stroke: it.color, "stroke-width": it.width || 2,
        "stroke-dasharray": it.dash, "stroke-opacity": it.opacity }, row);
      el("text", { x: 30, y: 4 }, row, it.label);
      rows.push(row);
    });
    return rows;
  }
  function marker(parent, kind, x, y, r, fill, stroke) {
    if (kind === "t") {
      var h = r * 1.25;
      return el("path", { d: "M" + x.toFixed(2) + "," + (y - h).toFixed(2) + "L" + (x + h).toFixed(2) + "," +
        (y + h * 0.75).toFixed(2) + "L" + (x - h).toFixed(2) + "," + (y + h * 0.75).toFixed(2) + "Z",
        fill: fill, stroke: stroke, "stroke-width": 1 }, parent);
    }
    return el("circle", { cx: x.toFixed(2), cy: y.toFixed(2), r: r, fill: fill, stroke: stroke, "stroke-width": 1 }, parent);
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

  // ---- 1. one neuron: y = f(w x - b) ------------------------------------------------------------
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
        var ax = inst.ax = axes(inst, inst.svg, { x: 64, y: 34, w: 556, h: 306 }, [cfg.x[0], cfg.x[1]], ylim,
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
        legend(inst.svg, ax.box.x + 12, ax.box.y + 14, items);
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

  // ---- 2. neurons summed, optional second layer -------------------------------------------------
  function sumNetwork(cfg, s, x) {
    var n = s.count, f = ACT[s.activation], hidden = [], sum = [], out = [];
    for (var i = 0; i < n; i++) hidden.push([]);
    for (var k = 0; k < x.length; k++) {
      var total = 0;
      for (i = 0; i < n; i++) {
        var h = f(x[k] * s["w" + i] + sgn(cfg, s["b" + i]));
        hidden[i].push(h * s["v" + i]);
        total += h * s["v" + i];
      }
      total += (s.c || 0);
      sum.push(total);
      out.push(cfg.second_layer ? ACT[s.activation2](total * s.w_l2 + sgn(cfg, s.b_l2)) : total);
    }
    return { hidden: hidden, sum: sum, output: out };
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
      if (cfg.second_layer) t += "; after layer 2: " + fmt(at0.output[0], 3);
      if (r.r2 !== null) t += ". Fit to the target: R\u00b2 = " + fmt(r.r2, 3) + " (mean squared error " + fmt(r.mse, 4) + ")";
      return t + ".";
    },
    draw: function (inst, r) {
      var cfg = inst.cfg, s = inst.state, n = cfg.colors.length;
      if (!inst.ax) {
        clear(inst.svg);
        var ax = inst.ax = axes(inst, inst.svg, { x: 64, y: 34, w: 366, h: 326 }, [cfg.x[0], cfg.x[1]], cfg.ylim,
          { xlabel: "input x", ylabel: "output" });
        if (cfg.ylim[0] < 0 && cfg.ylim[1] > 0) el("line", { x1: ax.box.x, x2: ax.box.x + ax.box.w, y1: ax.sy(0),
          y2: ax.sy(0), stroke: "#000", "stroke-width": 0.7 }, ax.plot);
        var items = [];
        if (cfg.target) {
          el("path", { d: pathD(r.x, cfg.target, ax.sx, ax.sy), fill: "none", stroke: cfg.target_color,
            "stroke-width": 7, "stroke-opacity": 0.6, "stroke-linejoin": "round" }, ax.plot);
        }
        inst.hiddenPaths = cfg.colors.map(function (c, i) {
          items.push({ label: "v" + (i + 1) + " \u00b7 neuron " + (i + 1), color: c, width: 1.8 });
          return el("path", { fill: "none", stroke: c, "stroke-width": 1.8 }, ax.plot);
        });
        if (cfg.target) items.push({ label: "target", color: cfg.target_color, width: 7, opacity: 0.6 });
        inst.sumPath = el("path", { fill: "none", stroke: cfg.sum_color, "stroke-width": 3, "class": "nnx-curve" }, ax.plot);
        items.push({ label: "sum s(x)", color: cfg.sum_color, width: 3 });
        if (cfg.second_layer) {
          inst.outPath = el("path", { fill: "none", stroke: cfg.sum_color, "stroke-width": 3, "stroke-dasharray": "8 5" }, ax.plot);
          items.push({ label: "layer 2: f(w s " + (cfg.bias_sign === "-" ? "\u2212" : "+") + " b)",
            color: cfg.sum_color, width: 3, dash: "8 5" });
        }
        inst.legendRows = legend(inst.svg, ax.box.x + ax.box.w + 14, ax.box.y + 6, items);
      }
      var a = inst.ax, shown = 0;
      inst.hiddenPaths.forEach(function (p, i) {
        var on = i < s.count;
        p.setAttribute("visibility", on ? "visible" : "hidden");
        if (on) p.setAttribute("d", pathD(r.x, r.hidden[i], a.sx, a.sy));
      });
      // legend: visible neurons first, then the rest of the entries, without gaps
      inst.legendRows.forEach(function (row, i) {
        var on = i >= n || i < s.count;
        row.setAttribute("visibility", on ? "visible" : "hidden");
        if (on) row.setAttribute("transform", "translate(" + (a.box.x + a.box.w + 14) + "," + (a.box.y + 6 + 18 * shown++) + ")");
      });
      inst.sumPath.setAttribute("d", pathD(r.x, r.sum, a.sx, a.sy));
      if (inst.outPath) inst.outPath.setAttribute("d", pathD(r.x, r.output, a.sx, a.sy));
      a.title.textContent = s.count + " neuron" + (s.count > 1 ? "s" : "") + (r.r2 !== null ? ": R\u00b2 = " + fmt(r.r2, 3) : "");
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
      for (var p = 0; p < cfg.classes.length; p++) {
        var o = boundaryPredict(cfg, s, cfg.X[2 * p], cfg.X[2 * p + 1]), c = o > th ? 1 : 0;
        outputs.push(o); predicted.push(c); correct.push(c === cfg.classes[p]); ok += c === cfg.classes[p] ? 1 : 0;
      }
      var line = null, hiddenLines = null;
      if (!cfg.hidden) line = clipLine(s.w0, s.w1, s.b, cfg.xlim, cfg.ylim);
      else {
        hiddenLines = [];
        for (var k = 0; k < s.count; k++) hiddenLines.push(clipLine(cfg.hidden.W[0][k], cfg.hidden.W[1][k], cfg.hidden.b[k], cfg.xlim, cfg.ylim));
      }
      return { gx: gx, gy: gy, grid: grid, outputs: outputs, predicted: predicted, correct: correct,
        accuracy: ok / cfg.classes.length, line: line, hidden_lines: hiddenLines, threshold: th };
    },
    readout: function (cfg, s, r) {
      var n = cfg.classes.length, ok = 0;
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
        // The heat map: one pixel per grid point on a small canvas, shown as an SVG image with
        // crisp cells; one attribute changes per update instead of res x res rectangles.
        inst.canvas = document.createElement("canvas");
        inst.canvas.width = res; inst.canvas.height = res;
        inst.heat = el("image", { x: ax.box.x, y: ax.box.y, width: ax.box.w, height: ax.box.h,
          preserveAspectRatio: "none", style: "image-rendering:pixelated;image-rendering:crisp-edges" }, ax.plot);
        inst.lutRGB = cfg.lut.map(function (c) {
          return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
        });
        inst.hiddenLines = cfg.hidden ? cfg.hidden.colors.map(function (c) {
          return el("line", { stroke: c, "stroke-width": 1.4, "stroke-dasharray": "5 4" }, ax.plot); }) : [];
        inst.line = el("line", { stroke: cfg.line_color, "stroke-width": 2.6, "class": "nnx-curve" }, ax.plot);
        inst.contour = el("path", { fill: "none", stroke: cfg.line_color, "stroke-width": 2.6 }, ax.plot);
        var big = cfg.classes.length < 30, rad = big ? 6 : 3.6;
        inst.points = cfg.classes.map(function (c, p) {
          return marker(ax.plot, c ? "t" : "c", ax.sx(cfg.X[2 * p]), ax.sy(cfg.X[2 * p + 1]), rad, cfg.class_colors[c], EDGE[c]);
        });
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
      var ctx = inst.canvas.getContext("2d"), img = ctx.createImageData(res, res);
      for (var jj = 0; jj < res; jj++) for (var ii = 0; ii < res; ii++) {
        var f = (r.grid[jj][ii] - lo) / (hi - lo), rgb = inst.lutRGB[Math.max(0, Math.min(L, Math.round(f * L)))];
        var o = 4 * ((res - 1 - jj) * res + ii);  // canvas rows run top-down, the y axis bottom-up
        img.data[o] = rgb[0]; img.data[o + 1] = rgb[1]; img.data[o + 2] = rgb[2]; img.data[o + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
      inst.heat.setAttribute("href", inst.canvas.toDataURL());
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
        m.setAttribute("stroke", r.correct[p] ? EDGE[cfg.classes[p]] : "#000");
        m.setAttribute("stroke-width", r.correct[p] ? 1 : 2.5);
      });
      var ok = 0;
      r.correct.forEach(function (c) { ok += c ? 1 : 0; });
      a.title.textContent = ok + " of " + cfg.classes.length + " points on the right side";
    }
  };

  // ---- 4. affine map and ReLU fold ------------------------------------------------------------
  function affineMatrix(cfg, s) {
    if (cfg.mode === "matrix") return [[s.w00, s.w01], [s.w10, s.w11]];
    var r = Math.PI / 180, ci = Math.cos(s.angle_in * r), si = Math.sin(s.angle_in * r),
      co = Math.cos(s.angle_out * r), so = Math.sin(s.angle_out * r);
    // R(out) diag(s1, s2) R(in), as nnlib.geometry.compose
    var A = [[co * s.s1, -so * s.s2], [so * s.s1, co * s.s2]];
    return [[A[0][0] * ci + A[0][1] * si, A[0][0] * -si + A[0][1] * ci],
      [A[1][0] * ci + A[1][1] * si, A[1][0] * -si + A[1][1] * ci]];
  }
  NX.kinds.affine = {
    compute: function (cfg, s) {
      var W = affineMatrix(cfg, s), b = [s.b0, s.b1], n = cfg.P.length / 2, P = [], A = [], Z = [], counts = [0, 0, 0];
      for (var i = 0; i < n; i++) {
        var p = [cfg.P[2 * i], cfg.P[2 * i + 1]];
        var a = [p[0] * W[0][0] + p[1] * W[0][1] + b[0], p[0] * W[1][0] + p[1] * W[1][1] + b[1]];
        P.push(p); A.push(a); Z.push([a[0] > 0 ? a[0] : 0, a[1] > 0 ? a[1] : 0]);
        counts[(a[0] < 0 ? 1 : 0) + (a[1] < 0 ? 1 : 0)]++;
      }
      return { points: P, affine: A, folded: Z, W: W, b: b, det: W[0][0] * W[1][1] - W[0][1] * W[1][0], counts: counts };
    },
    readout: function (cfg, s, r) {
      var W = r.W, f = function (v) { return fmt(v, 2); }, det = r.det;
      var kind = det < -1e-12 ? "turns the plane over (a reflection)" : Math.abs(det) <= 1e-12 ?
        "collapses the plane onto a line or a point" : "keeps the orientation";
      return "W = [[" + f(W[0][0]) + ", " + f(W[0][1]) + "], [" + f(W[1][0]) + ", " + f(W[1][1]) + "]], b = (" +
        f(r.b[0]) + ", " + f(r.b[1]) + "); det W = " + f(det) + ": it " + kind + ". ReLU leaves " + r.counts[0] +
        " points, drops " + r.counts[1] + " onto an axis and " + r.counts[2] + " onto the origin.";
    },
    draw: function (inst, r) {
      var cfg = inst.cfg, L = cfg.lim, keys = ["points", "affine", "folded"];
      if (!inst.axs) {
        clear(inst.svg);
        var titles = ["input x", "affine: W x + b", "ReLU(W x + b)"];
        inst.axs = keys.map(function (k, i) {
          var ax = axes(inst, inst.svg, { x: 56 + i * 250, y: 34, w: 210, h: 210 }, [-L, L], [-L, L],
            { xlabel: "coordinate 1", ylabel: i === 0 ? "coordinate 2" : null, title: titles[i], nx: 5, ny: 5 });
          if (k === "folded") el("rect", { x: ax.sx(0), y: ax.sy(L), width: ax.sx(L) - ax.sx(0), height: ax.sy(0) - ax.sy(L),
            fill: "#009E73", "fill-opacity": 0.1 }, ax.plot);
          el("line", { x1: ax.sx(-L), x2: ax.sx(L), y1: ax.sy(0), y2: ax.sy(0), stroke: "#555", "stroke-width": 0.9 }, ax.plot);
          el("line", { x1: ax.sx(0), x2: ax.sx(0), y1: ax.sy(-L), y2: ax.sy(L), stroke: "#555", "stroke-width": 0.9 }, ax.plot);
          ax.marks = r[k].map(function (p, j) { return marker(ax.plot, cfg.markers[j], ax.sx(p[0]), ax.sy(p[1]), 3.2, cfg.colors[j], "none"); });
          return ax;
        });
      }
      inst.axs.forEach(function (ax, i) {
        var pts = r[keys[i]];
        ax.marks.forEach(function (m, j) { moveMarker(m, cfg.markers[j], ax.sx(pts[j][0]), ax.sy(pts[j][1]), 3.2); });
      });
      inst.axs[1].title.textContent = "affine: W x + b  (det " + fmt(r.det, 2) + ")";
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
    inst.update();
    return inst;
  };
  root.nnlibExplore = NX;
  if (typeof module !== "undefined" && module.exports) module.exports = NX;
})(typeof window !== "undefined" ? window : globalThis);
