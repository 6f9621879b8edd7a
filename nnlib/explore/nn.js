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
  // Every nnlib activation, written as nnlib writes it (Keras 3's definitions and defaults), so that the two agree
  // to the last bits wherever both take the same steps; tests/test_parity_nn.py searches for inputs where they don't.
  function sigmoid(a) { var e = Math.exp(-Math.abs(a)); return (a >= 0 ? 1 : e) / (1 + e); }
  function softplus(a) { return Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))); }
  // x * factor, 0 where the factor is 0: a * f(a) with f -> 0 at -inf tends to 0 there, but -inf * 0 is NaN
  function times(x, factor) { return factor !== 0 ? x * factor : 0; }
  // erfc(x) = 1 - erf(x) to about 1e-14 relative (JavaScript has no erf; nnlib takes Python's math.erfc).
  // Below |x| = 1.25 the series erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1 3 5 ... (2n+1)) (every term
  // positive, so nothing cancels); above, the continued fraction exp(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x +
  // (3/2) / (x + ...)))) by Lentz's method, with x^2 split in two so that exp(-x^2) keeps its precision.
  function erfc(x) {
    var ax = Math.abs(x), r, n, k;
    if (x !== x) return x;
    if (ax < 1.25) {
      var x2 = x * x, term = ax, sum = ax;
      for (n = 1; n < 100 && term > sum * 1e-17; n++) { term *= 2 * x2 / (2 * n + 1); sum += term; }
      r = 2 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum;
      return x < 0 ? 1 + r : 1 - r;
    }
    if (ax > 27.3) return x < 0 ? 2 : 0;  // erfc(27.3) < 5e-326: below the smallest double
    var f = ax, C = ax, D = 0, delta;
    for (k = 1; k < 500; k++) {
      D = 1 / (ax + k / 2 * D);
      C = ax + k / 2 / C;
      delta = C * D;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    var hi = ax * 134217729;  // Dekker's split: hi keeps 26 bits, so hi * hi is exact
    hi = hi - (hi - ax);
    r = Math.exp(-hi * hi) * Math.exp(-(ax - hi) * (ax + hi)) / Math.sqrt(Math.PI) / f;
    return x < 0 ? 2 - r : r;
  }
  // Phi(a) = P(N(0, 1) <= a) = erfc(-a / sqrt(2)) / 2, as nnlib's _normal_cdf
  function normalCdf(a) { return erfc(-a / Math.SQRT2) / 2; }
  function elu(a, alpha) { return a > 0 ? a : alpha * Math.expm1(Math.min(a, 0)); }
  function eluGrad(a, alpha) { return a > 0 ? 1 : alpha * Math.exp(Math.min(a, 0)); }
  // Keras' SELU constants (Klambauer et al., 2017), as nnlib.activations.SELU_ALPHA, SELU_SCALE
  var SELU_ALPHA = 1.6732632423543772, SELU_SCALE = 1.0507009873554805;  // the nearest doubles
  var activations = {
    step: { f: function (a) { return a > 0 ? 1 : 0; }, df: function () { return 0; } },
    sigmoid: { f: sigmoid, df: function (a, z) { return z * (1 - z); } },
    tanh: { f: Math.tanh, df: function (a, z) { return 1 - z * z; } },
    relu: { f: function (a) { return Math.max(a, 0); }, df: function (a) { return a > 0 ? 1 : 0; } },
    softplus: { f: softplus, df: sigmoid },
    mish: {
      f: function (a) { return times(a, Math.tanh(softplus(a))); },
      df: function (a) { var t = Math.tanh(softplus(a)); return t + times(a, (1 - t * t) * sigmoid(a)); }
    },
    identity: { f: function (a) { return a; }, df: function () { return 1; } },
    elu: { f: function (a) { return elu(a, 1); }, df: function (a) { return eluGrad(a, 1); } },
    selu: {
      f: function (a) { return SELU_SCALE * elu(a, SELU_ALPHA); },
      df: function (a) { return SELU_SCALE * eluGrad(a, SELU_ALPHA); }
    },
    gelu: {
      f: function (a) { return times(a, normalCdf(a)); },
      df: function (a) { return normalCdf(a) + times(a, Math.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI)); }
    },
    swish: {
      f: function (a) { return times(a, sigmoid(a)); },
      df: function (a) { var s = sigmoid(a); return s + times(a, s * (1 - s)); }
    },
    leaky_relu: { f: function (a) { return a > 0 ? a : 0.2 * a; }, df: function (a) { return a > 0 ? 1 : 0.2; } },
    hard_sigmoid: {
      f: function (a) { return clip(a + 3, 0, 6) / 6; },
      df: function (a) { return a > -3 && a < 3 ? 1 / 6 : 0; }
    },
    exponential: { f: Math.exp, df: function (a, z) { return z; } }
  };
  function clip(v, lo, hi) { return v < lo ? lo : v > hi ? hi : v; }

  function activation(name) {
    var act = activations[name];
    if (!act && name !== "softmax") throw new Error("nn.js: unknown activation " + JSON.stringify(name));
    return act;
  }

  // softmax(a)_k = exp(a_k - max a) / sum_i exp(a_i - max a): the shift keeps every exponent <= 0.
  // As nnlib: an entry equal to an infinite maximum gets the exponent 0 ([inf, 0] -> [1, 0]; a row of -inf is
  // uniform), and a NaN anywhere makes the maximum, and so the whole row, NaN.
  function softmax(a) {
    var m = -Infinity, i, n = a.length, out = new Float64Array(n), s = 0;
    for (i = 0; i < n; i++) if (a[i] > m || a[i] !== a[i]) m = a[i] !== a[i] || m !== m ? NaN : a[i];
    for (i = 0; i < n; i++) { out[i] = a[i] === m ? 1 : Math.exp(a[i] - m); s += out[i]; }
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
  // toFixed and toExponential round ties away from zero, so the digits are rounded here from the exact value.

  // The exact decimal expansion of a finite v > 0: v = 0.DIGITS x 10^point, DIGITS without leading or trailing
  // zeros. Every double is m 2^e exactly, and m 2^e = m 5^-e / 10^-e for e < 0 (BigInt spells it out).
  function exactDecimal(v) {
    var view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v);
    var hi = view.getUint32(0), e = (hi >>> 20) & 0x7ff, digits, point;
    var m = BigInt(hi & 0xfffff) * BigInt(4294967296) + BigInt(view.getUint32(4));
    if (e === 0) e = 1; else m += BigInt(4503599627370496);  // subnormal, or the implicit leading bit 2^52
    e -= 1075;
    if (e >= 0) { digits = (m << BigInt(e)).toString(); point = digits.length; }
    else { digits = (m * BigInt(5) ** BigInt(-e)).toString(); point = digits.length + e; }
    return { digits: digits.replace(/0+$/, ""), point: point };
  }

  // The first `keep` digits of 0.DIGITS x 10^point, rounded half to even on the exact value (keep may be <= 0).
  function roundDigits(x, keep) {
    var s = x.digits, point = x.point;
    if (keep >= s.length) return x;
    if (keep < 0) return { digits: "", point: point };
    var kept = s.slice(0, keep), next = s.charCodeAt(keep) - 48, rest = /[1-9]/.test(s.slice(keep + 1));
    var odd = keep > 0 && (s.charCodeAt(keep - 1) - 48) % 2 === 1;
    if (next > 5 || (next === 5 && (rest || odd))) {
      var up = (BigInt(kept || "0") + BigInt(1)).toString();
      if (up.length > kept.length) point += 1;  // 99 -> 100 (or nothing kept -> 1): one more digit before the point
      kept = up;
    }
    return { digits: kept.replace(/0+$/, ""), point: point };
  }

  // 0.DIGITS x 10^point written with d decimals (the digits already rounded to them).
  function place(digits, point, d) {
    var whole = point > 0 ? (digits + "0".repeat(Math.max(0, point - digits.length))).slice(0, point) : "0";
    var frac = (point < 0 ? "0".repeat(-point) + digits : digits.slice(Math.max(point, 0))) + "0".repeat(d);
    return whole + (d > 0 ? "." + frac.slice(0, d) : "");
  }

  function fixed(v, d) {
    var x = Math.abs(v);
    if (x === 0) return place("", 0, d);
    var e = exactDecimal(x), r = roundDigits(e, e.point + d);
    return place(r.digits, r.point, d);
  }

  function format(v, spec) {
    var m = /^(\+?)(?:\.(\d+))?([fg%])$/.exec(spec);
    if (!m) throw new Error("nn.js: format spec " + JSON.stringify(spec) + " is not supported");
    var plus = m[1] === "+", p = m[2] === undefined ? 6 : +m[2], kind = m[3], s;
    var pct = kind === "%" ? "%" : "";
    if (kind === "%") v *= 100;  // first, as Python: 1.8e306 prints as "inf%"
    if (isNaN(v)) return (plus ? "+" : "") + "nan" + pct;
    if (!isFinite(v)) return (v < 0 ? "-" : plus ? "+" : "") + "inf" + pct;
    var neg = v < 0 || (v === 0 && 1 / v < 0);
    if (kind === "f") s = fixed(v, p);
    else if (kind === "%") s = fixed(v, p) + "%";
    else s = general(Math.abs(v), p === 0 ? 1 : p);
    return (neg ? "-" : plus ? "+" : "") + s;
  }

  // Python's "g": p significant digits; scientific if the exponent X (after rounding) is < -4 or >= p, else fixed;
  // trailing zeros dropped.
  function general(v, p) {
    if (v === 0) return "0";
    var r = roundDigits(exactDecimal(v), p), X = r.point - 1, s;
    if (X < -4 || X >= p) {
      s = r.digits.charAt(0) + "." + r.digits.slice(1);
      s = s.replace(/\.$/, "");
      return s + "e" + (X < 0 ? "-" : "+") + (Math.abs(X) < 10 ? "0" : "") + Math.abs(X);
    }
    s = place(r.digits, r.point, p - 1 - X);
    if (s.indexOf(".") >= 0) s = s.replace(/0+$/, "").replace(/\.$/, "");
    return s;
  }

  // <training> (pages inline this section only where something trains: _base.script_text("nn.js#training"))
  // ==== training: nnlib's fit in float64 (nnlib/losses.py, optimizers.py, training.py, Dense.backward_from_sums) ====
  // A batch is flat and row-major: X (batch * inputs), T and Z (batch * outputs). Every step below is written in the
  // order nnlib computes it, so that tests/test_train_js.py can hold the weights after 20 epochs to nnlib's at 1e-9.

  // Keras' fuzz factor: probabilities are clipped to [EPSILON, 1 - EPSILON] before a log (losses.EPSILON).
  var EPSILON = 1e-7;

  function argmaxRow(v, row, k) {
    var best = 0;
    for (var j = 1; j < k; j++) if (v[row * k + j] > v[row * k + best]) best = j;
    return best;
  }
  // Accuracy never counts a sample whose output holds NaN as right (nnlib's losses._fraction_right): a diverged
  // network scores 0. Elementwise rules count outputs; the argmax rule counts rows, a row with a NaN is wrong.
  function binaryAccuracy(z, t, threshold) {
    var ok = 0;
    for (var i = 0; i < z.length; i++) if (z[i] === z[i] && (z[i] > threshold) === (t[i] > threshold)) ok++;
    return ok / z.length;
  }
  function argmaxAccuracy(z, t, batch, k) {
    var ok = 0, r, j, finite;
    for (r = 0; r < batch; r++) {
      for (finite = true, j = 0; j < k; j++) if (z[r * k + j] !== z[r * k + j]) finite = false;
      if (finite && argmaxRow(z, r, k) === argmaxRow(t, r, k)) ok++;
    }
    return ok / batch;
  }

  // Each loss: value(z, t, batch) the batch mean; gradient dL/dz; accuracy by the loss's own rule; and, for a
  // loss with an exact shortcut at its natural output activation, outputGradient dL/da (losses.output_gradient).
  // A loss is built from its name and options (makeLoss); `losses` holds the ones without options, by name.
  var LOSS_OPTIONS = { binary_crossentropy: ["from_logits"], categorical_crossentropy: ["from_logits"] };
  // Accuracy rules (nnlib's Loss.accuracy): an output is right when (z > threshold) === (t > threshold) (the
  // logits' threshold with from_logits), or, for several outputs, when argmax z === argmax t; NaN is never right.
  var ACCURACY = {
    mean_squared_error: { threshold: 0.5, several_outputs: "argmax" },
    mean_absolute_error: { threshold: 0.5, several_outputs: "argmax" },
    binary_crossentropy: { threshold: 0.5, from_logits_threshold: 0 },
    hinge: { threshold: 0 },
    categorical_crossentropy: { several_outputs: "argmax" }
  };
  var LOSS_ALIASES = { mse: "mean_squared_error", mae: "mean_absolute_error", bce: "binary_crossentropy",
    cce: "categorical_crossentropy", cross_entropy_error: "categorical_crossentropy",
    sparse_categorical_crossentropy: "categorical_crossentropy" };
  function makeLoss(key, fromLogits) {
    var mse = {
      // L = mean (z - t)^2;  dL/dz = 2 (z - t) / (batch * outputs)
      value: function (z, t) {
        var s = 0;
        for (var i = 0; i < z.length; i++) s += (z[i] - t[i]) * (z[i] - t[i]);
        return s / z.length;
      },
      gradient: function (z, t) {
        var g = new Float64Array(z.length);
        for (var i = 0; i < z.length; i++) g[i] = 2 * (z[i] - t[i]) / z.length;
        return g;
      },
      // one output: z > 0.5 against t > 0.5; several: argmax against argmax
      accuracy: function (z, t, batch) {
        var k = z.length / batch;
        return k === 1 ? binaryAccuracy(z, t, ACCURACY[key].threshold) : argmaxAccuracy(z, t, batch, k);
      }
    };
    if (key === "mean_squared_error") return mse;
    if (key === "mean_absolute_error") {
      // L = mean |z - t|;  dL/dz = sign(z - t) / (batch * outputs); accuracy as the mean squared error's
      return {
        value: function (z, t) {
          var s = 0;
          for (var i = 0; i < z.length; i++) s += Math.abs(z[i] - t[i]);
          return s / z.length;
        },
        gradient: function (z, t) {
          var g = new Float64Array(z.length);
          for (var i = 0; i < z.length; i++) g[i] = Math.sign(z[i] - t[i]) / z.length;
          return g;
        },
        accuracy: mse.accuracy
      };
    }
    if (key === "binary_crossentropy" && fromLogits) {
      // z the logits a: L = mean max(a, 0) - a t + log(1 + exp(-|a|)); dL/da = (sigmoid(a) - t) / size;
      // accuracy a > 0 against t > 0 (nnlib's rule, the same as p > 0.5)
      return {
        value: function (z, t) {
          var s = 0;
          for (var i = 0; i < z.length; i++) s += Math.max(z[i], 0) - z[i] * t[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
          return s / z.length;
        },
        gradient: function (z, t) {
          var g = new Float64Array(z.length);
          for (var i = 0; i < z.length; i++) g[i] = (sigmoid(z[i]) - t[i]) / z.length;
          return g;
        },
        accuracy: function (z, t) { return binaryAccuracy(z, t, ACCURACY[key].from_logits_threshold); }
      };
    }
    if (key === "binary_crossentropy") {
      // L = mean -[t log p + (1 - t) log(1 - p)], p = clip(z); dL/dz = (p - t) / (p (1 - p)) / size inside the clip
      return {
        value: function (z, t) {
          var s = 0, p;
          for (var i = 0; i < z.length; i++) {
            p = clip(z[i], EPSILON, 1 - EPSILON);
            s += t[i] * Math.log(p) + (1 - t[i]) * Math.log1p(-p);
          }
          return -(s / z.length);
        },
        gradient: function (z, t) {
          var g = new Float64Array(z.length), p;
          for (var i = 0; i < z.length; i++) {
            p = clip(z[i], EPSILON, 1 - EPSILON);
            g[i] = (z[i] === p ? 1 : 0) * (p - t[i]) / (p * (1 - p)) / z.length;
          }
          return g;
        },
        // after a sigmoid: dL/da = (z - t) / size
        outputGradient: function (a, z, t, act) {
          if (act !== "sigmoid") return null;
          var g = new Float64Array(z.length);
          for (var i = 0; i < z.length; i++) g[i] = (z[i] - t[i]) / z.length;
          return g;
        },
        accuracy: function (z, t) { return binaryAccuracy(z, t, ACCURACY[key].threshold); }
      };
    }
    if (key === "hinge") {
      // L = mean max(0, 1 - t z), t = -1/+1;  dL/dz = -t / size where t z < 1, else 0; accuracy by signs
      return {
        value: function (z, t) {
          var s = 0;
          for (var i = 0; i < z.length; i++) s += Math.max(0, 1 - t[i] * z[i]);
          return s / z.length;
        },
        gradient: function (z, t) {
          var g = new Float64Array(z.length);
          for (var i = 0; i < z.length; i++) g[i] = (t[i] * z[i] < 1 ? -t[i] : 0) / z.length;
          return g;
        },
        accuracy: function (z, t) { return binaryAccuracy(z, t, ACCURACY[key].threshold); }
      };
    }
    // categorical cross-entropy, per row of k outputs; accuracy: argmax against the true class
    var accuracy = function (z, t, batch) { return argmaxAccuracy(z, t, batch, z.length / batch); };
    if (fromLogits) {
      // z the logits a: L = mean over rows of log sum_k exp(a_k) - sum_k t_k a_k, with the row maximum m taken out
      // first (log-sum-exp); dL/da = (softmax(a) sum_k t_k - t) / batch
      return {
        value: function (z, t, batch) {
          var k = z.length / batch, s = 0, r, j, m, e, o;
          for (r = 0; r < batch; r++) {
            o = r * k;
            for (m = -Infinity, j = 0; j < k; j++) if (z[o + j] > m || z[o + j] !== z[o + j]) m = z[o + j] !== z[o + j] || m !== m ? NaN : z[o + j];
            for (e = 0, j = 0; j < k; j++) e += Math.exp(z[o + j] - m);
            for (e = Math.log(e), j = 0; j < k; j++) s += t[o + j] * (z[o + j] - m - e);
          }
          return -s / batch;
        },
        gradient: function (z, t, batch) {
          var k = z.length / batch, g = new Float64Array(z.length), r, j, o, ts, p;
          for (r = 0; r < batch; r++) {
            o = r * k;
            p = softmax(z.slice(o, o + k));
            for (ts = 0, j = 0; j < k; j++) ts += t[o + j];
            for (j = 0; j < k; j++) g[o + j] = (p[j] * ts - t[o + j]) / batch;
          }
          return g;
        },
        accuracy: accuracy
      };
    }
    // z read as proportions: p = clip(z / sum_k z_k, EPSILON, 1 - EPSILON) (as Keras); L = mean over rows of
    // -sum_k t_k log p_k. With s the row sum, r = z / s and g = t / p inside the clip (else 0):
    // dL/dz_j = (sum_k g_k r_k - g_j) / s / batch; after a softmax, dL/da = (z - t) / batch
    return {
      value: function (z, t, batch) {
        var k = z.length / batch, s = 0, r, j, o, sum;
        for (r = 0; r < batch; r++) {
          o = r * k;
          for (sum = 0, j = 0; j < k; j++) sum += z[o + j];
          for (j = 0; j < k; j++) s += t[o + j] * Math.log(clip(z[o + j] / sum, EPSILON, 1 - EPSILON));
        }
        return -s / batch;
      },
      gradient: function (z, t, batch) {
        var k = z.length / batch, g = new Float64Array(z.length), r, j, o, sum, gr, q, p;
        for (r = 0; r < batch; r++) {
          o = r * k;
          for (sum = 0, j = 0; j < k; j++) sum += z[o + j];
          for (gr = 0, j = 0; j < k; j++) {
            q = z[o + j] / sum;
            p = clip(q, EPSILON, 1 - EPSILON);
            g[o + j] = t[o + j] * (q === p ? 1 : 0) / p;
            gr += g[o + j] * q;
          }
          for (j = 0; j < k; j++) g[o + j] = (gr - g[o + j]) / sum / batch;
        }
        return g;
      },
      outputGradient: function (a, z, t, act, batch) {
        if (act !== "softmax") return null;
        var g = new Float64Array(z.length);
        for (var i = 0; i < z.length; i++) g[i] = (z[i] - t[i]) / batch;
        return g;
      },
      accuracy: accuracy
    };
  }
  var losses = {};
  ["mean_squared_error", "mean_absolute_error", "binary_crossentropy", "hinge", "categorical_crossentropy"].forEach(
    function (key) { losses[key] = makeLoss(key, false); });
  // loss(spec): spec a name ("hinge", Keras' aliases) or {name, from_logits} as TrainingExplorer sends it.
  var lossCache = {};
  function loss(spec) {
    var o = typeof spec === "string" ? { name: spec } : spec || {}, name = String(o.name), cacheKey = JSON.stringify(o);
    if (lossCache[cacheKey]) return lossCache[cacheKey];
    var key = LOSS_ALIASES[name] || name;
    if (!losses[key]) throw new Error("nn.js: unknown loss " + JSON.stringify(name) + "; choose one of " + Object.keys(losses).join(", "));
    for (var option in o) {
      if (option !== "name" && (LOSS_OPTIONS[key] || []).indexOf(option) < 0) {
        throw new Error("nn.js: loss " + key + " has no option " + JSON.stringify(option) + "; its options: " + ((LOSS_OPTIONS[key] || []).join(", ") || "none"));
      }
    }
    return (lossCache[cacheKey] = makeLoss(key, !!o.from_logits));
  }

  // dL/da of a layer from dL/dz: h'(a) dL/dz elementwise; softmax by its Jacobian, z * (dz - <dz, z>) per row.
  function activationBackward(name, a, z, dz, units) {
    var da = new Float64Array(dz.length), i;
    if (name === "softmax") {
      for (var r = 0; r < dz.length / units; r++) {
        var dot = 0, o = r * units;
        for (i = 0; i < units; i++) dot += dz[o + i] * z[o + i];
        for (i = 0; i < units; i++) da[o + i] = z[o + i] * (dz[o + i] - dot);
      }
      return da;
    }
    var df = activation(name).df;
    for (i = 0; i < dz.length; i++) da[i] = dz[i] * df(a[i], z[i]);
    return da;
  }

  // The forward pass of a batch X (batch * inputs), keeping each layer's input x, sums a and outputs z.
  // reuse (optional): an array that keeps each layer's a and z buffers from call to call, so that a page redrawing
  // the same grid every frame allocates nothing (fewer garbage-collection pauses in the middle of a frame).
  function traceBatch(layers, X, batch, reuse) {
    var steps = [], x = X;
    for (var k = 0; k < layers.length; k++) {
      var L = layers[k], size = batch * L.units, kept = reuse && reuse[k] && reuse[k].a.length === size ? reuse[k] : null;
      var a = kept ? kept.a : new Float64Array(size), z, r, i, j, xi, row, o;
      for (r = 0; r < batch; r++) {
        o = r * L.units;
        for (j = 0; j < L.units; j++) a[o + j] = 0;
        for (i = 0; i < L.inputs; i++) {
          xi = x[r * L.inputs + i];
          row = i * L.units;
          for (j = 0; j < L.units; j++) a[o + j] += xi * L.W[row + j];
        }
        for (j = 0; j < L.units; j++) a[o + j] += L.b[j];
      }
      z = kept ? kept.z : new Float64Array(a.length);
      if (L.activation === "softmax") {
        for (r = 0; r < batch; r++) z.set(softmax(a.subarray(r * L.units, (r + 1) * L.units)), r * L.units);
      } else {
        var f = activation(L.activation).f;
        for (i = 0; i < a.length; i++) z[i] = f(a[i]);
      }
      if (reuse) reuse[k] = { a: a, z: z };
      steps.push({ x: x, a: a, z: z });
      x = z;
    }
    return steps;
  }

  // The loss of the batch and its gradients [dW1, db1, dW2, db2, ...] by back-propagation (training.gradients):
  //   last layer  dL/da from the loss;  below it  dL/da = h'(a) dL/dz
  //   dW = x^T da (inputs, units),  db = sum of da over the batch,  dL/dx = da W^T (the next layer down's dL/dz)
  function gradients(layers, X, T, batch, lossName) {
    var lf = loss(lossName), steps = traceBatch(layers, X, batch), n = layers.length, last = steps[n - 1];
    var value = lf.value(last.z, T, batch);
    var da = lf.outputGradient ? lf.outputGradient(last.a, last.z, T, layers[n - 1].activation, batch) : null;
    if (!da) da = activationBackward(layers[n - 1].activation, last.a, last.z, lf.gradient(last.z, T, batch), layers[n - 1].units);
    var grads = new Array(2 * n), dz = null;
    for (var k = n - 1; k >= 0; k--) {
      var L = layers[k], s = steps[k], i, j, r;
      if (k < n - 1) da = activationBackward(L.activation, s.a, s.z, dz, L.units);
      var dW = new Float64Array(L.inputs * L.units), db = new Float64Array(L.units);
      for (r = 0; r < batch; r++) {
        for (i = 0; i < L.inputs; i++) {
          var xi = s.x[r * L.inputs + i];
          for (j = 0; j < L.units; j++) dW[i * L.units + j] += xi * da[r * L.units + j];
        }
        for (j = 0; j < L.units; j++) db[j] += da[r * L.units + j];
      }
      if (k > 0) {
        dz = new Float64Array(batch * L.inputs);
        for (r = 0; r < batch; r++) {
          for (i = 0; i < L.inputs; i++) {
            var sum = 0;
            for (j = 0; j < L.units; j++) sum += da[r * L.units + j] * L.W[i * L.units + j];
            dz[r * L.inputs + i] = sum;
          }
        }
      }
      grads[2 * k] = dW;
      grads[2 * k + 1] = db;
    }
    return { value: value, z: last.z, grads: grads };
  }

  // ---- optimisers (nnlib/optimizers.py, Keras 3's definitions and defaults); update changes params in place ----
  //   SGD            w <- w - lr g;   with momentum mu: v <- mu v - lr g, w <- w + v
  //   Adam, step k   m <- m + (1 - beta_1)(g - m);  v <- v + (1 - beta_2)(g^2 - v)
  //                  w <- w - alpha m / (sqrt(v) + epsilon),  alpha = lr sqrt(1 - beta_2^k) / (1 - beta_1^k)
  //   RMSprop        v <- rho v + (1 - rho) g^2;  w <- w - lr g / sqrt(v + epsilon)  (centered: minus mean(g)^2
  //                  inside the root; momentum mu: s <- mu s + that step, w <- w - s)
  // Each hyper-parameter: [default, low, high, low included]; values must be finite, low < (or <=) v < high, as
  // nnlib's _check_rate; "centered" is a switch.
  var OPTIMIZERS = {
    sgd: { title: "SGD", hyper: { learning_rate: [0.01, 0, Infinity, false], momentum: [0, 0, 1, true] } },
    rmsprop: { title: "RMSprop", hyper: { learning_rate: [0.001, 0, Infinity, false], rho: [0.9, 0, 1, true],
      momentum: [0, 0, 1, true], epsilon: [1e-7, 0, Infinity, false], centered: [false] } },
    adam: { title: "Adam", hyper: { learning_rate: [0.001, 0, Infinity, false], beta_1: [0.9, 0, 1, true],
      beta_2: [0.999, 0, 1, true], epsilon: [1e-7, 0, Infinity, false] } }
  };
  function optimizer(name, options) {
    var o = options || {}, kind = String(name).toLowerCase(), spec = OPTIMIZERS[kind], key;
    if (!spec) throw new Error("nn.js: unknown optimizer " + JSON.stringify(name) + "; choose one of " + Object.keys(OPTIMIZERS).join(", "));
    var opt = { name: kind, iterations: 0, state: [] };
    for (key in o) {
      if (!(key in spec.hyper)) {
        throw new Error("nn.js: " + spec.title + " has no hyper-parameter " + JSON.stringify(key) + "; its hyper-parameters: " + Object.keys(spec.hyper).join(", "));
      }
    }
    for (key in spec.hyper) {
      var h = spec.hyper[key], v = o[key] === undefined ? h[0] : o[key];
      if (typeof h[0] === "boolean") { opt[key] = !!v; continue; }
      if (typeof v !== "number" || !isFinite(v) || !(h[3] ? v >= h[1] : v > h[1]) || !(v < h[2])) {
        throw new Error("nn.js: " + spec.title + " " + key + " must be a finite number in " + (h[3] ? "[" : "(") + h[1] + ", " + h[2] + "), got " + v);
      }
      opt[key] = v;
    }
    if (kind === "sgd") {
      opt.step = function (i, p, g) {
        var j;
        if (opt.momentum === 0) { for (j = 0; j < p.length; j++) p[j] -= opt.learning_rate * g[j]; return; }
        var v = opt.state[i] || (opt.state[i] = new Float64Array(p.length));
        for (j = 0; j < p.length; j++) { v[j] *= opt.momentum; v[j] -= opt.learning_rate * g[j]; p[j] += v[j]; }
      };
    } else if (kind === "adam") {
      opt.step = function (i, p, g) {
        var st = opt.state[i] || (opt.state[i] = { m: new Float64Array(p.length), v: new Float64Array(p.length) });
        var k = opt.iterations, m = st.m, v = st.v;
        var alpha = opt.learning_rate * Math.sqrt(1 - Math.pow(opt.beta_2, k)) / (1 - Math.pow(opt.beta_1, k));
        for (var j = 0; j < p.length; j++) {
          m[j] += (1 - opt.beta_1) * (g[j] - m[j]);
          v[j] += (1 - opt.beta_2) * (g[j] * g[j] - v[j]);
          p[j] -= alpha * m[j] / (Math.sqrt(v[j]) + opt.epsilon);
        }
      };
    } else {
      opt.step = function (i, p, g) {
        var n = p.length, st = opt.state[i] ||
          (opt.state[i] = { v: new Float64Array(n), meanG: new Float64Array(n), s: new Float64Array(n) });
        var v = st.v, meanG = st.meanG, s = st.s, denominator, step;
        for (var j = 0; j < n; j++) {
          v[j] *= opt.rho;
          v[j] += (1 - opt.rho) * g[j] * g[j];
          denominator = v[j] + opt.epsilon;
          if (opt.centered) {
            meanG[j] *= opt.rho;
            meanG[j] += (1 - opt.rho) * g[j];
            denominator -= meanG[j] * meanG[j];
          }
          step = opt.learning_rate * g[j] / Math.sqrt(denominator);
          if (opt.momentum > 0) { s[j] *= opt.momentum; s[j] += step; step = s[j]; }
          p[j] -= step;
        }
      };
    }
    opt.update = function (params, grads) {
      opt.iterations += 1;
      for (var i = 0; i < params.length; i++) opt.step(i, params[i], grads[i]);
    };
    return opt;
  }

  // {name, ...hyper-parameters} -> the hyper-parameters alone
  function hyperParameters(config) {
    var out = {};
    for (var k in config || {}) if (k !== "name") out[k] = config[k];
    return out;
  }

  function parameters(layers) {
    var out = [];
    layers.forEach(function (L) { out.push(L.W, L.b); });
    return out;
  }

  // Rows `rows` of a flat (n * width) array, as a new flat batch.
  function gather(M, width, rows, from, to) {
    var out = new Float64Array((to - from) * width);
    for (var r = from; r < to; r++) out.set(M.subarray(rows[r] * width, (rows[r] + 1) * width), (r - from) * width);
    return out;
  }

  // A training set {x, t, n, inputs, outputs} with flat float64 arrays, from nested rows x (n, inputs), t (n, outputs).
  function dataset(x, t) {
    var X = flat(x, "x"), Tt = flat(t, "t"), n = x.length;
    if (!n || X.length % n || Tt.length % n) throw new Error("nn.js: x and t need the same number of rows (got " + n + " and " + (t && t.length) + ")");
    return { x: X, t: Tt, n: n, inputs: X.length / n, outputs: Tt.length / n };
  }

  // One gradient step on the rows order[start:end] (one mini-batch of training.fit); params = parameters(layers).
  // Returns the batch's loss, accuracy and size, for the epoch's running means.
  function trainBatch(layers, params, data, order, start, end, lossName, opt) {
    var rows = end - start;
    var xb = gather(data.x, data.inputs, order, start, end), tb = gather(data.t, data.outputs, order, start, end);
    var step = gradients(layers, xb, tb, rows, lossName);
    opt.update(params, step.grads);
    return { loss: step.value, accuracy: loss(lossName).accuracy(step.z, tb, rows), rows: rows };
  }

  // One epoch of mini-batch training (the inner loop of training.fit): the rows `order` in batches of batchSize,
  // one gradient step per batch. Returns the epoch's mean loss and accuracy as nnlib reports them (each batch's
  // value weighted by its size, taken while the weights were still changing).
  function trainEpoch(layers, data, order, batchSize, lossName, opt) {
    var params = parameters(layers), lossSum = 0, correct = 0;
    for (var start = 0; start < order.length; start += batchSize) {
      var r = trainBatch(layers, params, data, order, start, Math.min(start + batchSize, order.length), lossName, opt);
      lossSum += r.loss * r.rows;
      correct += r.accuracy * r.rows;
    }
    return { loss: lossSum / order.length, accuracy: correct / order.length };
  }

  // (mean loss, accuracy) of the network on a data set (training.evaluate).
  function evaluate(layers, data, lossName) {
    var lf = loss(lossName), z = traceBatch(layers, data.x, data.n)[layers.length - 1].z;
    return { loss: lf.value(z, data.t, data.n), accuracy: lf.accuracy(z, data.t, data.n) };
  }

  // A seeded generator of uniform numbers in [0, 1) (mulberry32) and a Fisher-Yates shuffle drawn from it: the page's
  // own batch order for live training (nnlib draws its order from numpy; the parity tests pass that order in).
  function random(seed) {
    var s = seed >>> 0;
    return function () {
      s = (s + 0x6D2B79F5) >>> 0;
      var q = Math.imul(s ^ (s >>> 15), 1 | s);
      q = (q + Math.imul(q ^ (q >>> 7), 61 | q)) ^ q;
      return ((q ^ (q >>> 14)) >>> 0) / 4294967296;
    };
  }
  function permutation(n, rand) {
    var order = new Array(n), i, j, tmp;
    for (i = 0; i < n; i++) order[i] = i;
    for (i = n - 1; i > 0; i--) { j = Math.floor(rand() * (i + 1)); tmp = order[i]; order[i] = order[j]; order[j] = tmp; }
    return order;
  }

  // fit(layers, train, options): training.fit's loop with the batch orders given, one per epoch (options.orders),
  // or drawn from options.seed. options: loss, optimizer (an optimizer object, or {name, ...hyper-parameters}),
  // batchSize (32), epochs (= orders.length), validation (a dataset). Returns nnlib's History keys.
  function fit(layers, train, options) {
    var o = options || {}, orders = o.orders, epochs = orders ? orders.length : o.epochs;
    var opt = o.optimizer && o.optimizer.update ? o.optimizer : optimizer((o.optimizer || {}).name || "adam", hyperParameters(o.optimizer));
    var rand = random(o.seed || 0), history = { loss: [], accuracy: [] };
    if (o.validation) { history.val_loss = []; history.val_accuracy = []; }
    for (var e = 0; e < epochs; e++) {
      var r = trainEpoch(layers, train, orders ? orders[e] : permutation(train.n, rand), o.batchSize || 32, o.loss, opt);
      history.loss.push(r.loss);
      history.accuracy.push(r.accuracy);
      if (o.validation) {
        var v = evaluate(layers, o.validation, o.loss);
        history.val_loss.push(v.loss);
        history.val_accuracy.push(v.accuracy);
      }
    }
    return history;
  }

  // What this file computes, as data: the contract nnlib/explore/contract.json writes down (tests/test_parity_nn.py
  // holds the two equal) and TrainingExplorer checks a model, loss and optimiser against before it builds a page.
  function contract() {
    var out = { activations: Object.keys(activations).concat(["softmax"]).sort(), losses: {}, loss_aliases: LOSS_ALIASES,
      optimizers: {}, accuracy_nan: "never right" };
    Object.keys(losses).sort().forEach(function (key) {
      var options = {};
      (LOSS_OPTIONS[key] || []).forEach(function (option) { options[option] = [false, true]; });
      // the batch's loss is the mean over samples (Keras' reduction "sum_over_batch_size")
      out.losses[key] = { options: options, reduction: "sum_over_batch_size", accuracy: ACCURACY[key] };
    });
    Object.keys(OPTIMIZERS).sort().forEach(function (kind) {
      var hyper = OPTIMIZERS[kind].hyper, described = {};
      Object.keys(hyper).forEach(function (key) {
        var h = hyper[key];
        described[key] = h.length === 1 ? { default: h[0] } :
          { default: h[0], low: h[1], high: h[2] === Infinity ? "inf" : h[2], low_included: h[3] };
      });
      out.optimizers[kind] = { title: OPTIMIZERS[kind].title, hyper_parameters: described };
    });
    return out;
  }

  var TRAINING = {
    contract: contract, makeLoss: makeLoss,
    losses: losses, loss: loss, activationBackward: activationBackward, traceBatch: traceBatch, gradients: gradients,
    optimizer: optimizer, parameters: parameters, dataset: dataset, trainBatch: trainBatch, trainEpoch: trainEpoch,
    evaluate: evaluate, random: random, permutation: permutation, fit: fit
  };
  // </training>

  var NN = {
    activations: activations, activation: activation, sigmoid: sigmoid, softplus: softplus, softmax: softmax, erfc: erfc,
    layer: layer, sums: sums, dense: dense, trace: trace, forward: forward, format: format
  };
  if (typeof TRAINING === "object") for (var name in TRAINING) NN[name] = TRAINING[name];
  return NN;
});
