/* nn.js: nnlib's mathematics, once, for the browser.
 *
 * Every page face that computes (explorers, the digit canvas, exercise checkers, trainers) takes its numbers from
 * here, so each formula the browser mirrors has one JavaScript definition, and tests/test_nn_js.py holds it
 * against nnlib in Node and in headless Chromium. Same conventions as nnlib:
 *   a = x W + b   (x: (inputs,), W: (inputs, units) stored row-major, b: (units,))
 *   z = h(a)      h the layer's activation, by nnlib's name
 * Computed in float64 (JavaScript numbers). Works as a browser global (nnlibNN) and as a Node module.
 * Written so that no line starts inside a string or regex: pages inline it with comment lines dropped.
 */
(function (root, factory) {
  var NN = factory();
  if (typeof module === "object" && module.exports) { module.exports = NN; } else { root.nnlibNN = NN; }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // ---- activations h(a) and their derivatives dh/da, given a and z = h(a) (nnlib/activations.py) ----
  function sigmoid(a) { var e = Math.exp(-Math.abs(a)); return (a >= 0 ? 1 : e) / (1 + e); }
  function softplus(a) { return Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))); }
  var activations = {
    step: { f: function (a) { return a > 0 ? 1 : 0; }, df: function () { return 0; } },
    sigmoid: { f: sigmoid, df: function (a, z) { return z * (1 - z); } },
    tanh: { f: Math.tanh, df: function (a, z) { return 1 - z * z; } },
    relu: { f: function (a) { return a > 0 ? a : 0; }, df: function (a) { return a > 0 ? 1 : 0; } },
    softplus: { f: softplus, df: sigmoid },
    mish: {
      f: function (a) { return a * Math.tanh(softplus(a)); },
      df: function (a) { var t = Math.tanh(softplus(a)); return t + a * (1 - t * t) * sigmoid(a); }
    },
    identity: { f: function (a) { return a; }, df: function () { return 1; } }
  };

  function activation(name) {
    var act = activations[name];
    if (!act && name !== "softmax") throw new Error("nn.js: unknown activation " + JSON.stringify(name));
    return act;
  }

  // softmax(a)_k = exp(a_k - max a) / sum_i exp(a_i - max a): the shift keeps every exponent <= 0.
  // A +inf entry takes all the mass (nnlib gives the same: [1, 0] for [inf, 0]).
  function softmax(a) {
    var m = -Infinity, i, n = a.length, out = new Float64Array(n), s = 0;
    for (i = 0; i < n; i++) if (a[i] > m) m = a[i];
    if (m === Infinity) {
      for (i = 0; i < n; i++) out[i] = a[i] === Infinity ? 1 : 0;
      for (i = 0; i < n; i++) s += out[i];
    } else {
      for (i = 0; i < n; i++) { out[i] = Math.exp(a[i] - m); s += out[i]; }
    }
    for (i = 0; i < n; i++) out[i] /= s;
    return out;
  }

  // ---- layers: a Dense layer is {inputs, units, W (row-major Float64Array), b, activation} ----
  function flat(values, what) {
    var out = [];
    (function walk(v) {
      if (typeof v === "number") out.push(v);
      else if (v && typeof v.length === "number") for (var i = 0; i < v.length; i++) walk(v[i]);
      else throw new Error("nn.js: " + what + " must hold numbers");
    })(values);
    return Float64Array.from(out);
  }

  // layer(W, b, activation): W as nested rows [[...], ...] (inputs x units) or flat with units given.
  function layer(W, b, activationName, units) {
    var bias = flat(b, "b"), kernel = flat(W, "W");
    var n = units || bias.length;
    if (kernel.length % n !== 0) throw new Error("nn.js: W has " + kernel.length + " numbers, not a multiple of " + n + " units");
    activation(activationName || "identity");
    return { inputs: kernel.length / n, units: n, W: kernel, b: bias, activation: activationName || "identity" };
  }

  // The weighted sums a = x W + b of one sample x: (inputs,) -> (units,).
  function sums(L, x) {
    var a = Float64Array.from(L.b), i, j, xi, row;
    if (x.length !== L.inputs) throw new Error("nn.js: layer expects " + L.inputs + " inputs, got " + x.length);
    for (i = 0; i < L.inputs; i++) {
      xi = x[i];
      if (xi === 0) continue;
      row = i * L.units;
      for (j = 0; j < L.units; j++) a[j] += xi * L.W[row + j];
    }
    return a;
  }

  function apply(name, a) {
    if (name === "softmax") return softmax(a);
    var f = activation(name).f, z = new Float64Array(a.length);
    for (var j = 0; j < a.length; j++) z[j] = f(a[j]);
    return z;
  }

  // dense(L, x) -> {x, a, z}: one layer on one sample.
  function dense(L, x) { var a = sums(L, x); return { x: x, a: a, z: apply(L.activation, a) }; }

  // trace(layers, x) -> [{x, a, z}, ...]: every layer's input, sums and output (nnlib's Sequential.trace).
  function trace(layers, x) {
    var steps = [], z = x;
    for (var k = 0; k < layers.length; k++) { var s = dense(layers[k], z); steps.push(s); z = s.z; }
    return steps;
  }

  // forward(layers, x) -> z of the last layer (nnlib's Sequential.predict for one sample).
  function forward(layers, x) {
    var z = x;
    for (var k = 0; k < layers.length; k++) z = apply(layers[k].activation, sums(layers[k], z));
    return z;
  }

  // ---- numbers as Python prints them: format(v, spec) == Python's f"{v:{spec}}" ----
  // Specs: [+][.N](f|g|%), e.g. ".4f", "+.3f", ".4g", ".1%". Python rounds the exact binary value half to even;
  // toFixed rounds exact ties away from zero, so a tie (digits after the last kept one "5000...") is
  // corrected here.
  function fixed(v, d) {
    // toFixed switches to exponents from 1e21 on; such doubles are whole numbers, which BigInt spells out.
    if (Math.abs(v) >= 1e21) return BigInt(Math.abs(v)).toString() + (d > 0 ? "." + "0".repeat(d) : "");
    var s = Math.abs(v).toFixed(d), exact = Math.abs(v).toFixed(Math.min(100, d + 60));
    var rest = exact.slice(exact.length - (Math.min(100, d + 60) - d));
    if (/^50*$/.test(rest)) {
      var down = exact.slice(0, exact.length - rest.length).replace(/\.$/, "");
      var last = down.replace(".", "").slice(-1);
      if ("02468".indexOf(last) >= 0) s = down;
    }
    return s;
  }

  function format(v, spec) {
    var m = /^(\+?)(?:\.(\d+))?([fg%])$/.exec(spec);
    if (!m) throw new Error("nn.js: format spec " + JSON.stringify(spec) + " is not supported");
    var plus = m[1] === "+", p = m[2] === undefined ? 6 : +m[2], kind = m[3], s;
    var pct = kind === "%" ? "%" : "";
    if (isNaN(v)) return (plus ? "+" : "") + "nan" + pct;
    if (!isFinite(v)) return (v < 0 ? "-" : plus ? "+" : "") + "inf" + pct;
    var neg = v < 0 || (v === 0 && 1 / v < 0);
    if (kind === "f") s = fixed(v, p);
    else if (kind === "%") s = fixed(v * 100, p) + "%";
    else s = general(Math.abs(v), p === 0 ? 1 : p);
    return (neg ? "-" : plus ? "+" : "") + s;
  }

  // Python's "g": scientific if the exponent X < -4 or X >= precision, else fixed; trailing zeros dropped.
  function general(v, p) {
    if (v === 0) return "0";
    var e = v.toExponential(p - 1), X = +e.slice(e.indexOf("e") + 1);
    if (X < -4 || X >= p) {
      var mant = e.slice(0, e.indexOf("e"));
      if (mant.indexOf(".") >= 0) mant = mant.replace(/0+$/, "").replace(/\.$/, "");
      return mant + "e" + (X < 0 ? "-" : "+") + (Math.abs(X) < 10 ? "0" : "") + Math.abs(X);
    }
    var s = fixed(v, p - 1 - X);
    if (s.indexOf(".") >= 0) s = s.replace(/0+$/, "").replace(/\.$/, "");
    return s;
  }

  return {
    activations: activations, activation: activation, sigmoid: sigmoid, softplus: softplus, softmax: softmax,
    layer: layer, sums: sums, dense: dense, trace: trace, forward: forward, format: format
  };
});
