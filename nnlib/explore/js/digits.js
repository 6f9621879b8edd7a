// nnlib digit canvas: draw a digit, see the 28x28 image the network reads and its 10 probabilities.
//
// One module, two faces (see digits.py), bundled by build.mjs:
// - live face: the anywidget module (dist/digits-live.js, `export default { render }`); the browser
//   draws and pre-processes, Python traces with nnlib and sends every layer's outputs back;
// - static face (the published book, dist/digits-static.js): `mountStatic` traces here with nn.js
//   (nnlib's formulas in JavaScript), on the weights embedded in the page (8-bit, see decodeLayers).
// Both faces show the hidden layers; the weight pictures are drawn from the embedded weights.
// The pre-processing below is the one in digits.py, step for step; tests compare the two.

import nn from "../nn.js";
import { colourScale } from "./color.js";
import I18N from "../../i18n/i18n.js";

const t = I18N.t;  // the page's language (nnlib/i18n): English where the page has no catalogue

const SIZE = 280;      // drawing canvas, in canvas pixels (10 per MNIST pixel)
const BRUSH = 22;      // stroke width: about 2 MNIST pixels once the digit is scaled to 20 px
const BOX = 20;        // MNIST scales each digit so its larger side fits a 20x20 box ...
const GRID = 28;       // ... and centres its centre of mass in a 28x28 image
const CENTRE = 14;     // MNIST's centre of mass, in pixel indices (measured: 13.99, 14.01)
const MAX_SHIFT = (GRID - BOX) / 2;

// ---------------------------------------------------------------------------------------------
// Pre-processing: a gray drawing (values in [0, 1], row-major, width x height) -> 784 pixels.
// 1. bounding box of the ink; 2. a square of side L = max(height, width, 20) around it;
// 3. shrink the square to 20x20 by averaging: canvas row i goes to box row floor(20 i / L);
// 4. scale so the darkest pixel is 1; 5. paste in the middle of 28x28 and shift (at most 4 px)
// so the centre of mass lands on (14, 14), rounding half up.
export function preprocess(gray, width, height) {
  const out = new Float32Array(GRID * GRID);
  let r0 = height, r1 = -1, c0 = width, c1 = -1;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if (gray[r * width + c] > 0) {
        if (r < r0) r0 = r;
        if (r > r1) r1 = r;
        if (c < c0) c0 = c;
        if (c > c1) c1 = c;
      }
    }
  }
  if (r1 < 0) return out;  // nothing drawn
  const h = r1 - r0 + 1, w = c1 - c0 + 1;
  const L = Math.max(h, w, BOX);
  const top = r0 - Math.floor((L - h) / 2), left = c0 - Math.floor((L - w) / 2);
  const sums = new Float64Array(BOX * BOX);
  const rowCount = new Float64Array(BOX), colCount = new Float64Array(BOX);
  for (let i = 0; i < L; i++) rowCount[Math.floor((i * BOX) / L)] += 1;
  for (let j = 0; j < L; j++) colCount[Math.floor((j * BOX) / L)] += 1;
  for (let i = 0; i < L; i++) {
    const r = top + i;
    if (r < 0 || r >= height) continue;
    const p = Math.floor((i * BOX) / L);
    for (let j = 0; j < L; j++) {
      const c = left + j;
      if (c < 0 || c >= width) continue;
      sums[p * BOX + Math.floor((j * BOX) / L)] += gray[r * width + c];
    }
  }
  const box = new Float64Array(BOX * BOX);
  let peak = 0;
  for (let p = 0; p < BOX; p++) {
    for (let q = 0; q < BOX; q++) {
      const v = sums[p * BOX + q] / (rowCount[p] * colCount[q]);
      box[p * BOX + q] = v;
      if (v > peak) peak = v;
    }
  }
  let mass = 0, my = 0, mx = 0;
  for (let p = 0; p < BOX; p++) {
    for (let q = 0; q < BOX; q++) {
      const v = box[p * BOX + q] / peak;
      box[p * BOX + q] = v;
      mass += v;
      my += v * (p + MAX_SHIFT);
      mx += v * (q + MAX_SHIFT);
    }
  }
  const clip = (s) => Math.min(MAX_SHIFT, Math.max(-MAX_SHIFT, s));
  const dy = clip(Math.floor(CENTRE - my / mass + 0.5));
  const dx = clip(Math.floor(CENTRE - mx / mass + 0.5));
  for (let p = 0; p < BOX; p++) {
    for (let q = 0; q < BOX; q++) {
      out[(p + MAX_SHIFT + dy) * GRID + (q + MAX_SHIFT + dx)] = box[p * BOX + q];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The numbers: nn.js computes (one definition of the forward pass for every page); this file only
// decodes the embedded weights and adds softmax where a network ends without it (as digits.py).
const NN = () => nn;

// Every layer's output for one image: [z1, z2, ..., probabilities], each a plain array.
export function traceOutputs(layers, x) {
  const steps = NN().trace(layers, Float64Array.from(x));
  const outputs = steps.map((s) => Array.from(s.z));
  if (layers[layers.length - 1].activation !== "softmax") {
    outputs[outputs.length - 1] = Array.from(NN().softmax(steps[steps.length - 1].z));
  }
  return outputs;
}

export function probabilities(layers, x) {
  const outputs = traceOutputs(layers, x);
  return outputs[outputs.length - 1];
}

function decode(b64, Type) {
  const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
  return new Type(bytes.buffer);
}

// Kernels travel as int8 q with one float32 scale per unit: W[i, j] = fround(q[i, j] * scale[j]),
// exactly the float32 numbers of digits.py's dequantize (q * scale is exact in float64; fround
// then rounds as float32 multiplication does).
export function decodeLayers(layers) {
  return layers.map((l) => {
    const q = decode(l.W8, Int8Array), scale = decode(l.scale, Float32Array);
    const W = new Float64Array(q.length);
    for (let k = 0; k < q.length; k++) W[k] = Math.fround(q[k] * scale[k % l.units]);
    return { inputs: l.inputs, units: l.units, activation: l.activation, W, b: Float64Array.from(decode(l.b, Float32Array)) };
  });
}

export function decodeNetworks(config) {
  return config.networks.map((n) => ({ name: n.name, layers: decodeLayers(n.layers) }));
}

// ---------------------------------------------------------------------------------------------
// The user interface: drawing canvas, network input, hidden layers, probability bars, buttons.
function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) node.appendChild(child);
  return node;
}

const fmt = (v, spec) => NN().format(v, spec);
const argmax = (v) => v.reduce((best, x, k) => (x > v[best] ? k : best), 0);
const HIDDEN_COLUMNS = 10;  // hidden neurons are shown 10 to a row: they have no spatial order

// Draws `values` (n numbers) as an image of `columns` columns on a canvas, one canvas pixel each.
function paint(canvas, values, columns, colour) {
  const rows = Math.ceil(values.length / columns);
  canvas.width = columns;
  canvas.height = rows;
  const g = canvas.getContext("2d");
  const img = g.createImageData(columns, rows);
  for (let k = 0; k < rows * columns; k++) {
    const [r, gg, b] = k < values.length ? colour(values[k]) : [255, 255, 255];
    img.data.set([r, gg, b, 255], 4 * k);
  }
  g.putImageData(img, 0, 0);
}

export function mount(root, { id, networks, classify, examples, colors, catalogue }) {
  root.classList.add("nnx-digits");
  root.replaceChildren();
  // the live face in a notebook set to another language brings that language's catalogue (digits.py)
  if (catalogue) root.appendChild(el("script", { type: "application/json", class: "nnlib-i18n", "data-lang": catalogue.lang, text: JSON.stringify(catalogue.messages) }));
  const diverging = colourScale(colors.diverging), sequential = colourScale(colors.sequential);
  const hiddenSizes = networks[0].layers.slice(0, -1).map((l) => l.units);
  const draw = el("canvas", {
    width: SIZE, height: SIZE, class: "nnx-digits-draw", id: `${id}-draw`, role: "img",
    "aria-label": t("Drawing area: draw one digit, 0 to 9, with the mouse, a finger or a pen. Without a pointer, use the Example digit button."),
  });
  const view = el("canvas", {
    width: GRID, height: GRID, class: "nnx-digits-view", id: `${id}-view`, role: "img",
    "aria-label": t("The 28 by 28 pixel image the network reads"),
  });
  const clearButton = el("button", { type: "button", id: `${id}-clear`, text: t("Clear") });
  const exampleButton = el("button", { type: "button", id: `${id}-example`, text: t("Example digit") });
  const mistakeButton = el("button", { type: "button", id: `${id}-mistake`, text: t("Next mistake") });
  const exampleText = el("p", { class: "nnx-digits-example", id: `${id}-label`, "aria-live": "polite",
    text: t("Your drawing has no label.") });
  const status = el("p", { class: "nnx-digits-status", id: `${id}-status`, "aria-live": "polite",
    text: t("Draw a digit in the box.") });

  // Which network reads the drawing: radio buttons, keyboard-operable as a group.
  const choice = el("fieldset", { class: "nnx-digits-choice", id: `${id}-choice` },
    [el("legend", { text: t("Network") })]);
  const radios = networks.map((n, k) => {
    const input = el("input", { type: "radio", name: `${id}-network`, id: `${id}-network-${k}`, value: String(k) });
    if (k === 0) input.checked = true;
    choice.appendChild(el("label", { for: `${id}-network-${k}` }, [input, document.createTextNode(` ${n.name}`)]));
    return input;
  });
  if (networks.length < 2) choice.hidden = true;

  const bars = el("div", { class: "nnx-digits-bars", id: `${id}-bars`, role: "list",
    "aria-label": t("Probability of each digit") });
  const barNodes = [];
  for (let d = 0; d < 10; d++) {
    const value = el("span", { class: "nnx-digits-value", text: "" });
    const fill = el("span", { class: "nnx-digits-fill" });
    const track = el("span", { class: "nnx-digits-track" }, [fill]);
    const label = el("span", { class: "nnx-digits-label", text: String(d) });
    const bar = el("div", { class: "nnx-digits-bar", role: "listitem", id: `${id}-bar-${d}` }, [value, track, label]);
    bars.appendChild(bar);
    barNodes.push({ bar, fill, value });
  }

  // Hidden layers: one grid per layer, a cell per neuron coloured by its output z. Each grid is
  // one tab stop (a listbox); arrow keys, Home and End pick a neuron, as does the pointer.
  const hiddenGrids = hiddenSizes.map((units, layer) => {
    const grid = el("div", { class: "nnx-digits-hidden", id: `${id}-hidden-${layer}`, role: "listbox", tabindex: "0",
      "aria-label": t("Hidden layer {layer}: {units} neurons, coloured by their outputs z from 0 (dark) to 1 (light). Arrow keys pick a neuron to see its weights.", { layer: layer + 1, units }) });
    grid.style.gridTemplateColumns = `repeat(${HIDDEN_COLUMNS}, 1fr)`;
    const cells = [];
    for (let j = 0; j < units; j++) {
      const cell = el("span", { class: "nnx-digits-neuron", role: "option", id: `${id}-h${layer}-${j}`,
        "aria-selected": "false", "aria-label": `z${j}` });
      cell.addEventListener("pointerenter", () => select(layer, j));
      cell.addEventListener("click", () => select(layer, j));
      grid.appendChild(cell);
      cells.push(cell);
    }
    grid.addEventListener("focus", () => select(layer, selected && selected.layer === layer ? selected.unit : 0));
    grid.addEventListener("keydown", (event) => {
      const current = selected && selected.layer === layer ? selected.unit : 0;
      const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: HIDDEN_COLUMNS, ArrowUp: -HIDDEN_COLUMNS };
      let next = null;
      if (event.key in moves) next = Math.min(units - 1, Math.max(0, current + moves[event.key]));
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = units - 1;
      if (next === null) return;
      event.preventDefault();
      event.stopPropagation();  // the notebook front end must not take the key
      select(layer, next);
    });
    return { grid, cells };
  });

  // The selected neuron: its incoming weights as a picture, and what each input added to its sum.
  const weightView = el("canvas", {
    class: "nnx-digits-picture", id: `${id}-weights`, role: "img", width: GRID, height: GRID,
    "aria-label": t("The picked first-layer neuron's 784 weights as a 28 by 28 picture: one colour where ink raises its sum, the other where ink lowers it"),
  });
  const contributionView = el("canvas", {
    class: "nnx-digits-picture", id: `${id}-contribution`, role: "img", width: GRID, height: GRID,
    "aria-label": t("The drawing's pixels times the picked neuron's weights: where this drawing raises and lowers the neuron's sum"),
  });
  const detailTitle = el("p", { class: "nnx-digits-caption", id: `${id}-detail-title`, text: "" });
  const detailText = el("p", { class: "nnx-digits-detail-text", id: `${id}-detail`, "aria-live": "polite",
    text: t("Point at or focus a hidden neuron to see its weights.") });
  const detail = el("div", { class: "nnx-digits-detail", id: `${id}-detail-box` }, [
    detailTitle,
    el("div", { class: "nnx-digits-pictures" }, [
      el("figure", {}, [weightView, el("figcaption", { text: t("its weights") })]),
      el("figure", {}, [contributionView, el("figcaption", { text: t("input \u00d7 weight") })]),
    ]),
    detailText,
  ]);

  root.append(
    el("div", { class: "nnx-digits-col" }, [
      el("p", { class: "nnx-digits-caption", text: t("Your drawing") }), draw,
      el("div", { class: "nnx-digits-buttons" }, [exampleButton, mistakeButton, clearButton]),
      exampleText, choice,
    ]),
    el("div", { class: "nnx-digits-col" }, [
      el("p", { class: "nnx-digits-caption", text: t("Network input (28\u00d728)") }), view,
      ...hiddenGrids.flatMap(({ grid }, layer) => [
        el("p", { class: "nnx-digits-caption", text: t("Hidden layer {layer} ({units})", { layer: layer + 1, units: hiddenSizes[layer] }) }), grid]),
    ]),
    el("div", { class: "nnx-digits-col nnx-digits-wide" }, [
      el("p", { class: "nnx-digits-caption", text: t("Probability of each digit (%)") }), bars, status, detail,
    ]),
  );

  const ctx = draw.getContext("2d", { willReadFrequently: true });
  const vctx = view.getContext("2d");
  let pixels = new Float32Array(GRID * GRID);
  let outputs = null;          // [z1, z2, ..., probabilities] of the current drawing, or null
  let network = 0;
  let exampleIndex = -1;       // the example on the canvas, or -1 for the reader's own drawing
  let selected = null;         // {layer, unit} of the neuron shown in the detail panel
  let pending = 0;

  function showPixels() {
    const img = vctx.createImageData(GRID, GRID);
    for (let k = 0; k < GRID * GRID; k++) {
      const v = Math.round(255 * (1 - pixels[k]));  // dark ink on light paper, like the drawing
      img.data.set([v, v, v, 255], 4 * k);
    }
    vctx.putImageData(img, 0, 0);
  }

  function showHidden() {
    hiddenGrids.forEach(({ cells }, layer) => {
      const z = outputs ? outputs[layer] : null;
      const top = z ? Math.max(1, ...z) : 1;  // sigmoid outputs are in [0, 1]; others are scaled to fit
      cells.forEach((cell, j) => {
        const [r, g, b] = z ? sequential(z[j] / top) : [238, 238, 238];
        cell.style.background = `rgb(${r}, ${g}, ${b})`;
        cell.setAttribute("aria-label", z ? `z${j} = ${fmt(z[j], ".2f")}` : `z${j}`);
      });
    });
  }

  function showProbabilities() {
    const p = outputs ? outputs[outputs.length - 1] : null;
    const best = p ? argmax(p) : -1;
    barNodes.forEach(({ bar, fill, value }, d) => {
      const q = p ? p[d] : 0;
      fill.style.height = `${(100 * q).toFixed(1)}%`;
      value.textContent = p ? `${Math.round(100 * q)}` : "";
      bar.classList.toggle("nnx-digits-best", d === best);
      bar.setAttribute("aria-label", t("digit {d}: {percent} percent", { d, percent: (100 * q).toFixed(1) }));
    });
    status.textContent = p ? t("Top guess: {digit} ({percent} %)", { digit: best, percent: (100 * p[best]).toFixed(1) }) :
      t("Draw a digit in the box.");
  }

  function showExampleText() {
    exampleText.classList.remove("nnx-digits-mistake", "nnx-digits-right");
    if (exampleIndex < 0) { exampleText.textContent = t("Your drawing has no label."); return; }
    const label = examples.labels[exampleIndex];
    const where = examples.indices ? t("test image #{index}", { index: examples.indices[exampleIndex] }) :
      t("example {n}", { n: exampleIndex + 1 });
    let text = t("Example {n} of {count}: {where}, labelled {label}.", { n: exampleIndex + 1, count: examples.labels.length, where, label });
    if (outputs) {
      const read = argmax(outputs[outputs.length - 1]);
      const wrong = read !== label;
      exampleText.classList.add(wrong ? "nnx-digits-mistake" : "nnx-digits-right");
      text = I18N.sentences(text, wrong ? t("\u2717 Misread as {digit}.", { digit: read }) : t("\u2713 Read right."));
    }
    exampleText.textContent = text;
  }

  function showDetail() {
    hiddenGrids.forEach(({ grid, cells }, layer) => cells.forEach((cell, j) => {
      const on = selected !== null && selected.layer === layer && selected.unit === j;
      cell.setAttribute("aria-selected", on ? "true" : "false");
      cell.classList.toggle("nnx-digits-selected", on);
      if (on) grid.setAttribute("aria-activedescendant", cell.id);
    }));
    if (!selected) return;
    const { layer, unit } = selected;
    const L = networks[network].layers[layer];
    const inputs = layer === 0 ? Array.from(pixels) : (outputs ? outputs[layer - 1] : new Array(L.inputs).fill(0));
    const columns = layer === 0 ? GRID : HIDDEN_COLUMNS;
    const w = new Float64Array(L.inputs), contribution = new Float64Array(L.inputs);
    let limitW = 0, limitC = 0, plus = 0, minus = 0;
    for (let i = 0; i < L.inputs; i++) {
      w[i] = L.W[i * L.units + unit];
      contribution[i] = inputs[i] * w[i];
      limitW = Math.max(limitW, Math.abs(w[i]));
      limitC = Math.max(limitC, Math.abs(contribution[i]));
      if (contribution[i] > 0) plus += contribution[i]; else minus += contribution[i];
    }
    paint(weightView, w, columns, (v) => diverging(0.5 + v / (2 * (limitW || 1))));
    paint(contributionView, contribution, columns, (v) => diverging(0.5 + v / (2 * (limitC || 1))));
    const from = layer === 0 ? t("pixel") : t("neuron of hidden layer {layer}", { layer });
    detailTitle.textContent = t("Neuron z{unit} of hidden layer {layer}", { unit, layer: layer + 1 });
    weightView.setAttribute("aria-label", t("The {n} incoming weights of neuron z{unit}, one per {from}: purple where input raises its sum, orange where it lowers it, white where it does not matter.", { n: L.inputs, unit, from }));
    contributionView.setAttribute("aria-label", t("Each {from}'s input times its weight: what it added to the sum of z{unit}.", { from, unit }));
    if (!outputs) {
      detailText.textContent = I18N.sentences(
        t("Its weights: purple where an active {from} raises the sum a, orange where it lowers it.", { from }),
        t("Draw a digit to see what it adds up to."));
      return;
    }
    const a = L.b[unit] + plus + minus, z = outputs[layer][unit];
    detailText.textContent = t("a = {plus} (inputs on positive weights) \u2212 {minus} (on negative weights) {sign} {bias} (bias) = {a}; z = {activation}(a) = {z}.",
      { plus: fmt(plus, ".2f"), minus: fmt(-minus, ".2f"), sign: L.b[unit] < 0 ? "\u2212" : "+", bias: fmt(Math.abs(L.b[unit]), ".2f"),
        a: fmt(a, ".2f").replace("-", "\u2212"), activation: L.activation, z: fmt(z, ".3f") });
  }

  function select(layer, unit) {
    selected = { layer, unit };
    showDetail();
  }

  function showAll() {
    showPixels();
    showHidden();
    showProbabilities();
    showExampleText();
    showDetail();
  }

  async function run() {
    showPixels();
    const empty = pixels.every((v) => v === 0);
    const ticket = ++pending;
    if (empty) { outputs = null; showAll(); root.removeAttribute("aria-busy"); return null; }
    // busy until the answer for this drawing shows (the live face waits for the kernel): a screen reader waits
    // for it, and so can a test
    root.setAttribute("aria-busy", "true");
    const result = await classify(Array.from(pixels), network);
    if (ticket === pending) { outputs = result; showAll(); root.removeAttribute("aria-busy"); }  // else a newer drawing overtook this one
    return result ? result[result.length - 1] : null;
  }

  function rawGray() {
    const data = ctx.getImageData(0, 0, SIZE, SIZE).data;
    const gray = new Float64Array(SIZE * SIZE);
    for (let k = 0; k < SIZE * SIZE; k++) gray[k] = data[4 * k + 3] / 255;
    return gray;
  }

  function fromDrawing() {
    exampleIndex = -1;
    pixels = preprocess(rawGray(), SIZE, SIZE);
    return run();
  }

  function clear() {
    ctx.clearRect(0, 0, SIZE, SIZE);
    pixels = new Float32Array(GRID * GRID);
    exampleIndex = -1;
    pending++;
    outputs = null;
    showAll();
    root.removeAttribute("aria-busy");
  }

  function stroke(points) {
    ctx.lineWidth = BRUSH;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#000";
    ctx.fillStyle = "#000";
    ctx.beginPath();
    if (points.length === 1) {
      ctx.arc(points[0][0], points[0][1], BRUSH / 2, 0, 2 * Math.PI);
      ctx.fill();
      return;
    }
    ctx.moveTo(points[0][0], points[0][1]);
    for (const [x, y] of points.slice(1)) ctx.lineTo(x, y);
    ctx.stroke();
  }

  // An MNIST-style image (784 values in [0, 1]) shown as-is: it is already pre-processed.
  function loadDigit(values, index = -1) {
    if (values.length !== GRID * GRID) throw new Error(`loadDigit needs 784 values, got ${values.length}`);
    ctx.clearRect(0, 0, SIZE, SIZE);
    const img = ctx.createImageData(SIZE, SIZE);
    const cell = SIZE / GRID;
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        const v = values[Math.floor(r / cell) * GRID + Math.floor(c / cell)];
        img.data[4 * (r * SIZE + c) + 3] = Math.round(255 * v);
      }
    }
    ctx.putImageData(img, 0, 0);
    pixels = Float32Array.from(values);
    exampleIndex = index;
    return run();
  }

  const exampleCount = examples ? examples.labels.length : 0;
  const examplePixels = (k) => Array.from(examples.pixels.slice(k * GRID * GRID, (k + 1) * GRID * GRID), (v) => v / 255);

  function loadExample(k) {
    if (!exampleCount) return null;
    const index = k === undefined ? (exampleIndex + 1) % exampleCount : k;
    return loadDigit(examplePixels(index), index);
  }

  // The next example (after the one shown) that the chosen network misreads; null if it reads all right.
  async function nextMistake() {
    for (let step = 1; step <= exampleCount; step++) {
      const k = (Math.max(exampleIndex, -1) + step) % exampleCount;
      const result = await classify(examplePixels(k), network);
      if (result && argmax(result[result.length - 1]) !== examples.labels[k]) {
        await loadExample(k);
        return k;
      }
    }
    exampleText.textContent = t("{network} reads all {count} examples right.", { network: networks[network].name, count: exampleCount });
    return null;
  }

  function setNetwork(k) {
    network = k;
    radios[k].checked = true;
    return run();
  }

  // Pointer events cover mouse, touch and pen alike.
  let path = null;
  let frame = 0;
  function point(event) {
    const rect = draw.getBoundingClientRect();
    return [(event.clientX - rect.left) * (SIZE / rect.width), (event.clientY - rect.top) * (SIZE / rect.height)];
  }
  draw.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    draw.setPointerCapture(event.pointerId);
    path = [point(event)];
    stroke(path);
    scheduleUpdate();
  });
  draw.addEventListener("pointermove", (event) => {
    if (!path) return;
    const p = point(event);
    stroke([path[path.length - 1], p]);
    path.push(p);
    scheduleUpdate();
  });
  const end = () => { if (path) { path = null; fromDrawing(); } };
  draw.addEventListener("pointerup", end);
  draw.addEventListener("pointercancel", end);
  function scheduleUpdate() {
    if (frame) return;
    frame = requestAnimationFrame(() => { frame = 0; fromDrawing(); });
  }
  clearButton.addEventListener("click", clear);
  exampleButton.addEventListener("click", () => loadExample());
  mistakeButton.addEventListener("click", () => nextMistake());
  radios.forEach((input, k) => input.addEventListener("change", () => { if (input.checked) setNetwork(k); }));
  if (!exampleCount) { exampleButton.disabled = true; mistakeButton.disabled = true; }

  clear();
  const api = {
    id,
    clear,
    // strokes: a list of strokes, each a list of [x, y] points in canvas pixels (0 .. 280).
    drawStrokes(strokes) { for (const s of strokes) stroke(s); return fromDrawing(); },
    loadDigit,
    loadExample,
    nextMistake,
    setNetwork,
    select,
    network: () => network,
    example: () => exampleIndex,
    exampleText: () => exampleText.textContent,
    detailText: () => detailText.textContent,
    raw: () => Array.from(rawGray()),
    pixels: () => Array.from(pixels),
    hidden: () => (outputs ? outputs.slice(0, -1) : null),
    probabilities: () => (outputs ? outputs[outputs.length - 1] : null),
    prediction: () => (outputs ? argmax(outputs[outputs.length - 1]) : null),
    size: SIZE,
  };
  window.nnlibDigits = window.nnlibDigits || {};
  window.nnlibDigits[id] = api;
  return api;
}

function decodeExamples(config) {
  if (!config.examples) return null;
  return { labels: config.examples.labels, indices: config.examples.indices || null,
    pixels: decode(config.examples.pixels, Uint8Array) };
}

// Static face: everything runs in this page, with nn.js.
export function mountStatic(root, config) {
  const networks = decodeNetworks(config);
  return mount(root, {
    id: root.id,
    networks,
    classify: (x, k) => traceOutputs(networks[k].layers, x),
    examples: decodeExamples(config),
    colors: config.colors,
  });
}

// Live face: anywidget calls render(); Python traces with nnlib.
function render({ model, el: root }) {
  const config = JSON.parse(model.get("_config"));
  // Each drawing is a numbered request; Python answers with the same number, so an answer is
  // never mistaken for that of an older drawing, and an unchanged drawing still gets one.
  let counter = 0;
  const waiting = new Map();
  const onResult = () => {
    const { n, outputs } = model.get("result");
    for (const [k, resolve] of waiting) {
      if (k <= n) { waiting.delete(k); resolve(k === n && outputs && outputs.length ? outputs : null); }
    }
  };
  model.on("change:result", onResult);
  mount(root, {
    id: `${model.get("_key")}-live`,
    networks: decodeNetworks(config),
    classify: (x, k) => new Promise((resolve) => {
      counter += 1;
      waiting.set(counter, resolve);
      model.set("request", { n: counter, pixels: x, network: k });
      model.save_changes();
    }),
    examples: decodeExamples(config),
    colors: config.colors,
    catalogue: config.catalogue,
  });
  return () => model.off("change:result", onResult);
}

export default { render };
export { render };
