// nnlib digit canvas: draw a digit, see the 28x28 image the network reads and its 10 probabilities.
//
// One file, two faces (see digits.py):
// - live face: the anywidget module (`export default { render }`); the browser draws and
//   pre-processes, Python predicts with nnlib and sends the probabilities back;
// - static face (the published book): `mountStatic` runs the same forward pass here, with the
//   weights embedded in the page as base64 float32.
// The pre-processing below is the one in digits.py, step for step; tests compare the two.

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
// The forward pass z = h(x W + b), layer after layer; W is row-major (inputs, units) as in nnlib.
const ACTIVATIONS = {
  sigmoid: (a) => (a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a))),
  relu: (a) => (a > 0 ? a : 0),
  tanh: Math.tanh,
  identity: (a) => a,
};

export function softmax(a) {
  let m = -Infinity;
  for (const v of a) if (v > m) m = v;
  const e = Array.from(a, (v) => Math.exp(v - m));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((v) => v / s);
}

export function forward(layers, x) {
  let z = Float64Array.from(x);
  for (const { inputs, units, W, b, activation } of layers) {
    const a = new Float64Array(units);
    for (let j = 0; j < units; j++) a[j] = b[j];
    for (let i = 0; i < inputs; i++) {
      const xi = z[i];
      if (xi === 0) continue;  // most MNIST pixels are 0
      const row = i * units;
      for (let j = 0; j < units; j++) a[j] += xi * W[row + j];
    }
    z = activation === "softmax" ? Float64Array.from(softmax(a)) : a.map(ACTIVATIONS[activation]);
  }
  return Array.from(z);
}

// The 10 outputs shown as probabilities: softmax is applied unless the network ends with it
// (it keeps the order, so the top guess is the same either way); digits.py does the same.
export function probabilities(layers, x) {
  const y = forward(layers, x);
  return layers[layers.length - 1].activation === "softmax" ? y : softmax(y);
}

function decode(b64, Type) {
  const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
  return new Type(bytes.buffer);
}

export function decodeLayers(config) {
  return config.layers.map((l) => ({
    inputs: l.inputs, units: l.units, activation: l.activation,
    W: decode(l.W, Float32Array), b: decode(l.b, Float32Array),
  }));
}

// ---------------------------------------------------------------------------------------------
// The user interface: drawing canvas, "what the network sees", probability bars, buttons.
function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) node.appendChild(child);
  return node;
}

export function mount(root, { id, classify, examples }) {
  root.classList.add("nnx-digits");
  root.replaceChildren();
  const draw = el("canvas", {
    width: SIZE, height: SIZE, class: "nnx-digits-draw", id: `${id}-draw`, role: "img",
    "aria-label": "Drawing area: draw one digit, 0 to 9, with the mouse, a finger or a pen. "
      + "Without a pointer, use the Example digit button.",
  });
  const view = el("canvas", {
    width: GRID, height: GRID, class: "nnx-digits-view", id: `${id}-view`, role: "img",
    "aria-label": "The 28 by 28 pixel image the network reads",
  });
  const clearButton = el("button", { type: "button", id: `${id}-clear`, text: "Clear" });
  const exampleButton = el("button", { type: "button", id: `${id}-example`, text: "Example digit" });
  const status = el("p", { class: "nnx-digits-status", id: `${id}-status`, "aria-live": "polite",
    text: "Draw a digit in the box." });
  const bars = el("div", { class: "nnx-digits-bars", id: `${id}-bars`, role: "list",
    "aria-label": "Probability of each digit" });
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
  root.append(
    el("div", { class: "nnx-digits-col" }, [
      el("p", { class: "nnx-digits-caption", text: "Your drawing" }), draw,
      el("div", { class: "nnx-digits-buttons" }, [exampleButton, clearButton]),
    ]),
    el("div", { class: "nnx-digits-col" }, [
      el("p", { class: "nnx-digits-caption", text: "Network input (28\u00d728)" }), view,
    ]),
    el("div", { class: "nnx-digits-col nnx-digits-wide" }, [
      el("p", { class: "nnx-digits-caption", text: "Probability of each digit (%)" }), bars, status,
    ]),
  );

  const ctx = draw.getContext("2d", { willReadFrequently: true });
  const vctx = view.getContext("2d");
  let pixels = new Float32Array(GRID * GRID);
  let probabilities = null;
  let exampleIndex = -1;
  let pending = 0;

  function showPixels() {
    const img = vctx.createImageData(GRID, GRID);
    for (let k = 0; k < GRID * GRID; k++) {
      const v = Math.round(255 * (1 - pixels[k]));  // dark ink on light paper, like the drawing
      img.data.set([v, v, v, 255], 4 * k);
    }
    vctx.putImageData(img, 0, 0);
  }

  function showProbabilities(p) {
    probabilities = p ? Array.from(p) : null;
    let best = -1;
    if (probabilities) best = probabilities.indexOf(Math.max(...probabilities));
    barNodes.forEach(({ bar, fill, value }, d) => {
      const q = probabilities ? probabilities[d] : 0;
      fill.style.height = `${(100 * q).toFixed(1)}%`;
      value.textContent = probabilities ? `${Math.round(100 * q)}` : "";
      bar.classList.toggle("nnx-digits-best", d === best);
      bar.setAttribute("aria-label", `digit ${d}: ${(100 * q).toFixed(1)} percent`);
    });
    status.textContent = probabilities
      ? `Top guess: ${best} (${(100 * probabilities[best]).toFixed(1)} %)`
      : "Draw a digit in the box.";
  }

  async function run() {
    showPixels();
    const empty = pixels.every((v) => v === 0);
    if (empty) { showProbabilities(null); return null; }
    const ticket = ++pending;
    const p = await classify(Array.from(pixels));
    if (ticket === pending) showProbabilities(p);  // a newer drawing may have overtaken this one
    return p;
  }

  function rawGray() {
    const data = ctx.getImageData(0, 0, SIZE, SIZE).data;
    const gray = new Float64Array(SIZE * SIZE);
    for (let k = 0; k < SIZE * SIZE; k++) gray[k] = data[4 * k + 3] / 255;
    return gray;
  }

  function fromDrawing() {
    pixels = preprocess(rawGray(), SIZE, SIZE);
    return run();
  }

  function clear() {
    ctx.clearRect(0, 0, SIZE, SIZE);
    pixels = new Float32Array(GRID * GRID);
    pending++;
    showPixels();
    showProbabilities(null);
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
  function loadDigit(values) {
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
    return run();
  }

  function loadExample(k) {
    if (!examples || examples.labels.length === 0) return null;
    exampleIndex = k === undefined ? (exampleIndex + 1) % examples.labels.length : k;
    const start = exampleIndex * GRID * GRID;
    const values = Array.from(examples.pixels.slice(start, start + GRID * GRID), (v) => v / 255);
    return loadDigit(values);
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
  if (!examples || examples.labels.length === 0) exampleButton.disabled = true;

  clear();
  const api = {
    id,
    clear,
    // strokes: a list of strokes, each a list of [x, y] points in canvas pixels (0 .. 280).
    drawStrokes(strokes) { for (const s of strokes) stroke(s); return fromDrawing(); },
    loadDigit,
    loadExample,
    raw: () => Array.from(rawGray()),
    pixels: () => Array.from(pixels),
    probabilities: () => probabilities,
    prediction: () => (probabilities ? probabilities.indexOf(Math.max(...probabilities)) : null),
    size: SIZE,
  };
  window.nnlibDigits = window.nnlibDigits || {};
  window.nnlibDigits[id] = api;
  return api;
}

function decodeExamples(config) {
  if (!config.examples) return null;
  return { labels: config.examples.labels, pixels: decode(config.examples.pixels, Uint8Array) };
}

// Static face: everything runs in this page.
export function mountStatic(root, config) {
  const layers = decodeLayers(config);
  return mount(root, {
    id: root.id,
    classify: (x) => probabilities(layers, x),
    examples: decodeExamples(config),
  });
}

// Live face: anywidget calls render(); Python predicts with nnlib.
function render({ model, el: root }) {
  const config = JSON.parse(model.get("_config"));
  // Each drawing is a numbered request; Python answers with the same number, so an answer is
  // never mistaken for that of an older drawing, and an unchanged drawing still gets one.
  let counter = 0;
  const waiting = new Map();
  const onResult = () => {
    const { n, probabilities: p } = model.get("result");
    for (const [k, resolve] of waiting) {
      if (k <= n) { waiting.delete(k); resolve(k === n && p && p.length ? p : null); }
    }
  };
  model.on("change:result", onResult);
  mount(root, {
    id: `${model.get("_key")}-live`,
    classify: (x) => new Promise((resolve) => {
      counter += 1;
      waiting.set(counter, resolve);
      model.set("request", { n: counter, pixels: x });
      model.save_changes();
    }),
    examples: decodeExamples(config),
  });
  return () => model.off("change:result", onResult);
}

export default { render };
