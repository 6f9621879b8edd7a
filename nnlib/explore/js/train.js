/* train.js: the training explorer's static face (nnlib/explore/trainer.py), TensorFlow-Playground style.
 *
 * All the mathematics is nn.js's training section (nnlib's fit, held to it at 1e-9 by tests/test_train_js.py);
 * this file only schedules it and draws. Training runs in slices per animation frame: mini-batches until the
 * frame's budget (cfg.budget_ms) or its epochs (cfg.epochs_per_frame) are used up, then one redraw, so the page
 * stays responsive. The batch order comes from the page's own seeded generator (NN.random), so Reset and train
 * again gives the same pictures. boot(element) wires one block: in the book with the page's Trainer, in Jupyter
 * (train-live-entry.js) with a trainer whose epochs nnlib computes in the kernel. Bundled by build.mjs into
 * dist/train-static.js (window.nnlibTrain, and module.exports in Node) and dist/train-live.js.
 */
import NN from "../nn.js";
import { hexToRgb } from "./color.js";
import { niceTicks } from "./plot.js";
import { marchingSquares } from "./contour.js";
import { wake } from "./wake.js";
import I18N from "../../i18n/i18n.js";

const t = I18N.t;  // the page's language (nnlib/i18n): English where the page has no catalogue

const root = typeof window !== "undefined" ? window : globalThis;
export const instances = root.__nnxTrainInstances || (root.__nnxTrainInstances = {});
function now() { return (root.performance || Date).now(); }

// ---- the trainer: one network, its optimiser and its place in the current epoch (no drawing) ----
// task: {layers, x_train, t_train, x_val, t_val}; options: {loss, optimizer: {name, ...}, seed, learning_rate, batch_size}
function Trainer(task, options) {
  this.task = task;
  this.options = options;
  this.train = NN.dataset(task.x_train, task.t_train);
  this.val = task.x_val && task.x_val.length ? NN.dataset(task.x_val, task.t_val) : null;
  this.reset();
}
Trainer.prototype.reset = function () {
  var o = this.options, hyper = {};
  for (var k in o.optimizer) if (k !== "name") hyper[k] = o.optimizer[k];
  hyper.learning_rate = o.learning_rate;
  this.layers = this.task.layers.map(function (l) { return NN.layer(l.W, l.b, l.activation); });
  this.params = NN.parameters(this.layers);
  this.optimizer = NN.optimizer(o.optimizer.name, hyper);
  this.rand = NN.random(o.seed);
  this.epoch = 0;
  this.order = null;
  // the loss before any training is the curve's first point (epoch 0)
  var start = NN.evaluate(this.layers, this.train, o.loss);
  this.history = { loss: [start.loss], accuracy: [start.accuracy], val_loss: [], val_accuracy: [] };
  if (this.val) {
    var v = NN.evaluate(this.layers, this.val, o.loss);
    this.history.val_loss.push(v.loss);
    this.history.val_accuracy.push(v.accuracy);
  }
};
Trainer.prototype.setLearningRate = function (lr) { this.options.learning_rate = lr; this.optimizer.learning_rate = lr; };
// One mini-batch; at the end of an epoch, the epoch's means (as nnlib's History) and the validation loss.
Trainer.prototype.stepBatch = function () {
  var o = this.options, n = this.train.n;
  if (!this.order) { this.order = NN.permutation(n, this.rand); this.pos = 0; this.lossSum = 0; this.correct = 0; }
  var end = Math.min(this.pos + o.batch_size, n);
  var r = NN.trainBatch(this.layers, this.params, this.train, this.order, this.pos, end, o.loss, this.optimizer);
  this.lossSum += r.loss * r.rows;
  this.correct += r.accuracy * r.rows;
  this.pos = end;
  if (end < n) return false;
  this.history.loss.push(this.lossSum / n);
  this.history.accuracy.push(this.correct / n);
  if (this.val) {
    var v = NN.evaluate(this.layers, this.val, o.loss);
    this.history.val_loss.push(v.loss);
    this.history.val_accuracy.push(v.accuracy);
  }
  this.epoch += 1;
  this.order = null;
  return true;
};
Trainer.prototype.stepEpoch = function () { while (!this.stepBatch()) { /* the rest of the current epoch */ } };
// Train until `epochs` more epochs are done or `budgetMs` has passed (checked after every mini-batch).
Trainer.prototype.run = function (epochs, budgetMs) {
  var t0 = now(), target = this.epoch + epochs;
  while (this.epoch < target && now() - t0 < budgetMs) this.stepBatch();
};
Trainer.prototype.setBatchSize = function (size) { this.options.batch_size = size; };
export { Trainer };

// ---- the grid over the input plane: cell centres, rows from the top (y high) down, as a canvas stores them ----
function grid(cfg) {
  var G = cfg.res, X = new Float64Array(2 * G * G);
  for (var j = 0; j < G; j++) for (var i = 0; i < G; i++) {
    X[2 * (j * G + i)] = cfg.xlim[0] + (i + 0.5) / G * (cfg.xlim[1] - cfg.xlim[0]);
    X[2 * (j * G + i) + 1] = cfg.ylim[1] - (j + 0.5) / G * (cfg.ylim[1] - cfg.ylim[0]);
  }
  return X;
}
// The lines where `values` (G x G cell centres, stride `units`, column `unit`) = level, as segments
// [[i, j], [i, j]] in grid coordinates of the cell centres (js/contour.js's marching squares).
function contour(values, G, units, unit, level) {
  return marchingSquares(G, G, (i, j) => values[(j * G + i) * units + unit], level);
}
export { contour };

function rgbList(hexes) { return hexes.map(hexToRgb); }
// Colour the G x G values (stride units, column unit) into an ImageData through a LUT, value lo -> first, hi -> last.
function paint(img, values, units, unit, lut, lo, hi) {
  var L = lut.length - 1, d = img.data, n = img.width * img.height;
  for (var p = 0; p < n; p++) {
    var f = (values[p * units + unit] - lo) / (hi - lo), rgb = lut[f <= 0 ? 0 : f >= 1 ? L : Math.round(f * L)];
    d[4 * p] = rgb[0]; d[4 * p + 1] = rgb[1]; d[4 * p + 2] = rgb[2]; d[4 * p + 3] = 255;
  }
}
var ticks = niceTicks;
function label(v, d) { return NN.format(v, "." + d + "f").replace("-", "\u2212"); }
function marker(ctx, kind, x, y, r, fill, stroke, width) {
  ctx.beginPath();
  if (kind === 1) { var h = r * 1.25; ctx.moveTo(x, y - h); ctx.lineTo(x + h, y + h * 0.75); ctx.lineTo(x - h, y + h * 0.75); ctx.closePath(); }
  else ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fillStyle = fill; ctx.fill();
  ctx.lineWidth = width || 1; ctx.strokeStyle = stroke; ctx.stroke();
}

// ---- drawing -----------------------------------------------------------------------------------------
var REGION = { w: 400, h: 400, box: { x: 44, y: 10, w: 346, h: 346 } };
var LOSS = { w: 400, h: 190, box: { x: 52, y: 12, w: 336, h: 138 } };

// The canvas's layout for its CSS width `px`: the design while its 12 px text shows at 11 px or more, else one
// drawn for that width (one unit a CSS pixel, the same margins, the plot smaller), so text stays 12 px on a phone.
function fitLayout(design, px) {
  if (!px || px >= design.w * 11 / 12) return design;
  var w = Math.max(200, Math.floor(px)), h = Math.round(design.h * w / design.w), b = design.box;
  return { w: w, h: h, box: { x: b.x, y: b.y, w: w - (design.w - b.w), h: h - (design.h - b.h) } };
}

function drawRegion(inst, steps) {
  var cfg = inst.cfg, ctx = inst.regionCtx, b = inst.region.box, G = cfg.res, out = steps[steps.length - 1];
  ctx.setTransform(inst.scale, 0, 0, inst.scale, 0, 0);
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, inst.region.w, inst.region.h);
  paint(inst.heatImg, out.z, 1, 0, inst.lut, cfg.out_range[0], cfg.out_range[1]);
  inst.heatCtx.putImageData(inst.heatImg, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(inst.heatCanvas, b.x, b.y, b.w, b.h);
  function sx(x) { return b.x + (x - cfg.xlim[0]) / (cfg.xlim[1] - cfg.xlim[0]) * b.w; }
  function sy(y) { return b.y + b.h - (y - cfg.ylim[0]) / (cfg.ylim[1] - cfg.ylim[0]) * b.h; }
  function gridLine(segs, color, width, dash) {  // segments in cell-centre coordinates
    ctx.save(); ctx.beginPath(); ctx.rect(b.x, b.y, b.w, b.h); ctx.clip();
    ctx.beginPath();
    segs.forEach(function (seg) {
      ctx.moveTo(b.x + (seg[0][0] + 0.5) / G * b.w, b.y + (seg[0][1] + 0.5) / G * b.h);
      ctx.lineTo(b.x + (seg[1][0] + 0.5) / G * b.w, b.y + (seg[1][1] + 0.5) / G * b.h);
    });
    ctx.setLineDash(dash || []); ctx.lineWidth = width; ctx.strokeStyle = color; ctx.lineCap = "round"; ctx.stroke();
    ctx.restore();
  }
  gridLine(contour(out.z, G, 1, 0, cfg.threshold), cfg.line_color, 2.6);
  if (inst.selected) {
    var sel = inst.selected, s = steps[sel.layer], units = inst.trainer.layers[sel.layer].units;
    gridLine(contour(s.a, G, units, sel.unit, 0), "#fff", 5, [8, 5]);
    gridLine(contour(s.a, G, units, sel.unit, 0), sel.color, 3, [8, 5]);
  }
  // the data: training points filled, validation points hollow; shape and colour by class
  var tk = inst.trainer.task, big = tk.classes.length < 60, r = big ? 5 : 3.6;
  ctx.save(); ctx.beginPath(); ctx.rect(b.x, b.y, b.w, b.h); ctx.clip();
  tk.classes.forEach(function (c, p) {
    var x = p < tk.x_train.length ? tk.x_train[p] : tk.x_val[p - tk.x_train.length], val = p >= tk.x_train.length;
    marker(ctx, c, sx(x[0]), sy(x[1]), r, val ? "#fff" : cfg.class_colors[c], val ? cfg.class_colors[c] : cfg.edges[c], val ? 2 : 1);
  });
  ctx.restore();
  // axes
  ctx.strokeStyle = "#333"; ctx.lineWidth = 1; ctx.setLineDash([]);
  ctx.strokeRect(b.x + 0.5, b.y + 0.5, b.w - 1, b.h - 1);
  textStyle(ctx); ctx.fillStyle = "#222"; ctx.textAlign = "center"; ctx.textBaseline = "top";
  var xt = ticks(cfg.xlim[0], cfg.xlim[1], 5), yt = ticks(cfg.ylim[0], cfg.ylim[1], 5);
  xt.ticks.forEach(function (t) { ctx.fillText(label(t, xt.decimals), sx(t), b.y + b.h + 4); });
  ctx.fillText(t("input x0"), b.x + b.w / 2, b.y + b.h + 22);
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  yt.ticks.forEach(function (t) { ctx.fillText(label(t, yt.decimals), b.x - 5, sy(t)); });
  ctx.save(); ctx.translate(11, b.y + b.h / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = "center";
  ctx.fillText(t("input x1"), 0, 0); ctx.restore();
}

// The canvases' text style, set once per context: a font given with every frame makes Chromium resolve it
// against the page's style, and on a page whose layout is dirty (a lazy image arriving) that forces a
// whole-page layout inside the animation frame.
function textStyle(ctx) {
  if (ctx.__nnxText) return;
  ctx.font = "12px system-ui, sans-serif";
  ctx.direction = "ltr";
  ctx.__nnxText = true;
}

function drawLoss(inst) {
  var ctx = inst.lossCtx, b = inst.loss.box, h = inst.trainer.history, cfg = inst.cfg;
  ctx.setTransform(inst.scale, 0, 0, inst.scale, 0, 0);
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, inst.loss.w, inst.loss.h);
  var xmax = Math.max(cfg.loss_epochs, h.loss.length - 1), ymax = 0;
  var i;
  for (i = 0; i < h.loss.length; i++) if (h.loss[i] > ymax) ymax = h.loss[i];
  for (i = 0; i < h.val_loss.length; i++) if (h.val_loss[i] > ymax) ymax = h.val_loss[i];
  ymax = ymax > 0 ? ymax * 1.08 : 1;
  function sx(e) { return b.x + e / xmax * b.w; }
  function sy(v) { return b.y + b.h - v / ymax * b.h; }
  var xt = ticks(0, xmax, 5), yt = ticks(0, ymax, 4);
  textStyle(ctx); ctx.fillStyle = "#222"; ctx.strokeStyle = "rgba(0,0,0,0.12)"; ctx.lineWidth = 1;
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  yt.ticks.forEach(function (t) {
    ctx.beginPath(); ctx.moveTo(b.x, Math.round(sy(t)) + 0.5); ctx.lineTo(b.x + b.w, Math.round(sy(t)) + 0.5); ctx.stroke();
    ctx.fillText(label(t, yt.decimals), b.x - 5, sy(t));
  });
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  xt.ticks.forEach(function (t) { ctx.fillText(label(t, xt.decimals), sx(t), b.y + b.h + 4); });
  ctx.fillText(t("epoch"), b.x + b.w / 2, b.y + b.h + 21);
  ctx.save(); ctx.translate(12, b.y + b.h / 2); ctx.rotate(-Math.PI / 2); ctx.fillText(t("loss"), 0, -6); ctx.restore();
  ctx.strokeStyle = "#333"; ctx.beginPath(); ctx.moveTo(b.x + 0.5, b.y); ctx.lineTo(b.x + 0.5, b.y + b.h + 0.5); ctx.lineTo(b.x + b.w, b.y + b.h + 0.5); ctx.stroke();
  function curve(values, color, dash) {
    if (!values.length) return;
    ctx.beginPath();
    // many epochs: about one vertex per pixel is enough
    var step = Math.max(1, Math.floor(values.length / b.w));
    for (var e = 0; e < values.length; e += step) (e ? ctx.lineTo : ctx.moveTo).call(ctx, sx(e), sy(values[e]));
    ctx.lineTo(sx(values.length - 1), sy(values[values.length - 1]));
    ctx.setLineDash(dash); ctx.lineWidth = 2.2; ctx.strokeStyle = color; ctx.stroke(); ctx.setLineDash([]);
  }
  curve(h.loss, cfg.curve_colors[0], []);
  curve(h.val_loss, cfg.curve_colors[1], [6, 4]);
  var lx = b.x + b.w - 150, ly = b.y + 10;
  ctx.fillStyle = "rgba(255,255,255,0.85)"; ctx.fillRect(lx - 6, ly - 9, 156, h.val_loss.length ? 38 : 20);
  [[t("training loss"), cfg.curve_colors[0], []], [t("validation loss"), cfg.curve_colors[1], [6, 4]]].forEach(function (item, i) {
    if (i === 1 && !h.val_loss.length) return;
    ctx.beginPath(); ctx.moveTo(lx, ly + 18 * i); ctx.lineTo(lx + 24, ly + 18 * i);
    ctx.setLineDash(item[2]); ctx.lineWidth = 2.2; ctx.strokeStyle = item[1]; ctx.stroke(); ctx.setLineDash([]);
    ctx.fillStyle = "#222"; ctx.textAlign = "left"; ctx.textBaseline = "middle"; ctx.fillText(item[0], lx + 30, ly + 18 * i);
  });
}

// Each hidden neuron's output z over the plane, centred where its sum a = 0 (white) and scaled to its own reach.
function drawNeurons(inst, steps) {
  inst.neurons.forEach(function (n) {
    var s = steps[n.layer], units = inst.trainer.layers[n.layer].units, centre = n.centre, reach = 1e-12;
    for (var p = 0; p < inst.cfg.res * inst.cfg.res; p++) reach = Math.max(reach, Math.abs(s.z[p * units + n.unit] - centre));
    paint(inst.neuronImg, s.z, units, n.unit, inst.neuronLut, centre - reach, centre + reach);
    n.ctx.putImageData(inst.neuronImg, 0, 0);
  });
}

function readout(inst) {
  var trainer = inst.trainer, h = trainer.history, last = h.loss.length - 1, f = NN.format;
  var values = { epoch: trainer.epoch, loss: f(h.loss[last], ".4f"), accuracy: f(h.accuracy[last], ".1%") };
  if (!h.val_loss.length) return t("epoch {epoch}: training loss {loss}, accuracy {accuracy}.", values);
  values.val_loss = f(h.val_loss[last], ".4f");
  values.val_accuracy = f(h.val_accuracy[last], ".1%");
  return t("epoch {epoch}: training loss {loss}, accuracy {accuracy}; validation loss {val_loss}, accuracy {val_accuracy}.", values);
}

// For the still pictures drawn at build time (train-still.js).
export { drawRegion, drawLoss, grid, rgbList, readout, REGION, LOSS };

function render(inst, announce) {
  // the same grid every frame: its buffers are kept between frames (inst.gridBuffers)
  var steps = NN.traceBatch(inst.trainer.layers, inst.gridX, inst.cfg.res * inst.cfg.res, inst.gridBuffers || (inst.gridBuffers = []));
  drawRegion(inst, steps);
  drawLoss(inst);
  drawNeurons(inst, steps);
  var trainer = inst.trainer, last = trainer.history.loss.length - 1;
  inst.epochEl.textContent = t("epoch {epoch}", { epoch: trainer.epoch });
  inst.root.setAttribute("data-epoch", trainer.epoch);
  inst.root.setAttribute("data-loss", trainer.history.loss[last]);
  // the live region speaks on a step, a pause or a reset, and about every 2 s while training, not every frame
  if (announce || now() - inst.lastAnnounce > 2000) { inst.readoutEl.textContent = readout(inst); inst.lastAnnounce = now(); }
}

// ---- wiring one block ---------------------------------------------------------------------------------------
// makeTrainer(task, options): the page's Trainer by default; the Jupyter view passes one that asks the kernel,
// and the configuration (the page reads it from the block's JSON).
export function boot(rootEl, makeTrainer, config) {
  if (!rootEl || rootEl.__nnxTrain) return rootEl && rootEl.__nnxTrain;
  wake(rootEl);  // the still pictures give way to the live figure and its buttons
  var cfg = config || JSON.parse(rootEl.querySelector("script.nnx-config").textContent);
  var q = function (sel) { return rootEl.querySelector(sel); };
  var inst = { root: rootEl, cfg: cfg, running: false, frameWork: [], frameGaps: [], lastAnnounce: 0,
    readoutEl: q(".nnx-readout"), epochEl: q(".nnx-train-epoch"), trainBtn: q("[data-act=train]"),
    scale: Math.min(2, Math.max(1, root.devicePixelRatio || 1)) };
  inst.lut = rgbList(cfg.lut);
  inst.neuronLut = rgbList(cfg.neuron_lut);
  inst.gridX = grid(cfg);
  function canvas(el, design) {
    var size = fitLayout(design, el.clientWidth), ctx = el.getContext("2d");
    if (el.width !== size.w * inst.scale || el.height !== size.h * inst.scale) {  // a new size clears the canvas and its font
      el.width = size.w * inst.scale; el.height = size.h * inst.scale; ctx.__nnxText = false;
    }
    return size;
  }
  var regionEl = q("canvas.nnx-train-region"), lossEl = q("canvas.nnx-train-loss");
  function fit() {
    var before = inst.region && inst.region.w + "," + inst.loss.w;
    inst.region = canvas(regionEl, REGION);
    inst.loss = canvas(lossEl, LOSS);
    return before !== inst.region.w + "," + inst.loss.w;
  }
  fit();
  inst.regionCtx = regionEl.getContext("2d");
  inst.lossCtx = lossEl.getContext("2d");
  // a rotated phone or a resized window: lay the charts out again for their new width
  if (typeof ResizeObserver !== "undefined") {
    new ResizeObserver(function () { if (inst.trainer && fit()) render(inst); }).observe(regionEl);
  }
  inst.heatCanvas = document.createElement("canvas");
  inst.heatCanvas.width = inst.heatCanvas.height = cfg.res;
  inst.heatCtx = inst.heatCanvas.getContext("2d");
  inst.heatImg = inst.heatCtx.createImageData(cfg.res, cfg.res);
  function readSelect(name) { var el = q("[data-param=" + name + "]"); return el ? el.value : null; }

  function setTask() {
    var name = readSelect("target"), index = 0;
    cfg.tasks.forEach(function (t, i) { if (t.name === name) index = i; });
    var task = cfg.tasks[index];
    var options = { loss: cfg.loss, optimizer: cfg.optimizer, seed: cfg.seed,
      learning_rate: +readSelect("learning_rate"), batch_size: +readSelect("batch_size") };
    inst.trainer = makeTrainer ? makeTrainer(task, options, inst) : new Trainer(task, options);
    // one small map per hidden neuron, rebuilt when the target brings another network
    var box = q(".nnx-train-neurons");
    box.textContent = "";
    inst.neurons = [];
    inst.selected = null;
    q(".nnx-train-note").textContent = t(task.layers.length < 2 ? cfg.notes[1] : cfg.notes[0]);
    for (var k = 0; k + 1 < task.layers.length; k++) {
      var row = document.createElement("div"), head = document.createElement("span"), units = task.layers[k].b.length;
      row.className = "nnx-train-layer"; row.setAttribute("role", "group");
      head.className = "nnx-train-layerh";
      head.textContent = task.layers.length > 2 ? t("layer {n}", { n: k + 1 }) : t("hidden layer");
      row.setAttribute("aria-label", head.textContent);
      row.appendChild(head);
      for (var j = 0; j < units; j++) {
        var btn = document.createElement("button"), c = document.createElement("canvas"), cap = document.createElement("span");
        btn.type = "button"; btn.className = "nnx-train-neuron"; btn.setAttribute("aria-pressed", "false");
        var neuronName = task.layers.length > 2 ? t("z{j} of layer {n}", { j, n: k + 1 }) : "z" + j;
        btn.setAttribute("aria-label", t("neuron {name}: its output over the plane; press to draw its line a = 0 on the main plot", { name: neuronName }));
        btn.style.setProperty("--neuron", task.neuron_colors[k][j]);
        c.width = c.height = cfg.res; c.setAttribute("aria-hidden", "true");
        cap.textContent = "z" + j;
        btn.appendChild(c); btn.appendChild(cap); row.appendChild(btn);
        var act = task.layers[k].activation;
        var n = { layer: k, unit: j, ctx: c.getContext("2d"), btn: btn, color: task.neuron_colors[k][j],
          centre: act === "sigmoid" ? 0.5 : 0 };
        btn.addEventListener("click", (function (n) {
          return function () {
            inst.selected = inst.selected === n ? null : n;
            inst.neurons.forEach(function (m) { m.btn.setAttribute("aria-pressed", String(inst.selected === m)); });
            render(inst, false);
          };
        })(n));
        inst.neurons.push(n);
      }
      box.appendChild(row);
    }
    if (!inst.neuronImg) inst.neuronImg = inst.heatCtx.createImageData(cfg.res, cfg.res);
  }

  function frame(ts) {
    if (!inst.running) return;
    if (!rootEl.isConnected) { inst.running = false; return; }
    if (inst.lastTs !== undefined) inst.frameGaps.push(ts - inst.lastTs);
    inst.lastTs = ts;
    // Training gets what the last redraw left of the frame's target, at most budget_ms: on a slow or busy
    // machine the frame shrinks its training slice instead of growing past 16 ms.
    var t0 = now();
    inst.trainer.run(cfg.epochs_per_frame, Math.max(1, Math.min(cfg.budget_ms, cfg.frame_ms - (inst.renderMs || 0))));
    var t1 = now();
    render(inst, false);
    var t2 = now();
    inst.renderMs = t2 - t1;
    inst.frameWork.push(t2 - t0);
    if (inst.frameWork.length > 2000) { inst.frameWork.shift(); inst.frameGaps.shift(); }
    root.requestAnimationFrame(frame);
  }
  function setRunning(on) {
    inst.running = on;
    inst.trainBtn.textContent = on ? t("Pause") : t("Train");
    inst.trainBtn.setAttribute("aria-label", on ? t("Pause training") : t("Train: run epochs until paused"));
    rootEl.setAttribute("data-running", String(on));
    if (on) { inst.lastTs = undefined; root.requestAnimationFrame(frame); } else render(inst, true);
  }
  inst.trainBtn.addEventListener("click", function () { setRunning(!inst.running); });
  q("[data-act=step]").addEventListener("click", function () {
    if (inst.running) setRunning(false);
    inst.trainer.stepEpoch();
    render(inst, true);
  });
  q("[data-act=reset]").addEventListener("click", function () {
    if (inst.running) setRunning(false);
    inst.trainer.reset();
    render(inst, true);
  });
  q("[data-param=learning_rate]").addEventListener("change", function (e) { inst.trainer.setLearningRate(+e.target.value); });
  q("[data-param=batch_size]").addEventListener("change", function (e) { inst.trainer.setBatchSize(+e.target.value); });
  var target = q("[data-param=target]");
  if (target) target.addEventListener("change", function () { if (inst.running) setRunning(false); setTask(); render(inst, true); });
  inst.setRunning = setRunning;
  inst.render = function (announce) { render(inst, !!announce); };
  setTask();
  rootEl.__nnxTrain = inst;
  instances[cfg.key] = inst;
  rootEl.classList.add("nnx-js");
  render(inst, true);
  return inst;
}
