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

  // <training> (pages inline this section only where something trains: _base.script_text("nn.js#training"))
  // ==== training: nnlib's fit in float64 (nnlib/losses.py, optimizers.py, training.py, Dense.backward_from_sums) ====
  // A batch is flat and row-major: X (batch * inputs), T and Z (batch * outputs). Every step below is written in the
  // order nnlib computes it, so that tests/test_train_js.py can hold the weights after 20 epochs to nnlib's at 1e-9.

  // Keras' fuzz factor: probabilities are clipped to [EPSILON, 1 - EPSILON] before a log (losses.EPSILON).
  var EPSILON = 1e-7;
  function clip(v, lo, hi) { return v < lo ? lo : v > hi ? hi : v; }

  function argmaxRow(v, row, k) {
    var best = 0;
    for (var j = 1; j < k; j++) if (v[row * k + j] > v[row * k + best]) best = j;
    return best;
  }
  function binaryAccuracy(z, t, threshold) {
    var ok = 0;
    for (var i = 0; i < z.length; i++) if ((z[i] > threshold) === (t[i] > threshold)) ok++;
    return ok / z.length;
  }
  function argmaxAccuracy(z, t, batch, k) {
    var ok = 0;
    for (var r = 0; r < batch; r++) if (argmaxRow(z, r, k) === argmaxRow(t, r, k)) ok++;
    return ok / batch;
  }

  // Each loss: value(z, t, batch) the batch mean; gradient dL/dz; accuracy by the loss's own rule; and, for a
  // loss with an exact shortcut at its natural output activation, outputGradient dL/da (losses.output_gradient).
  var losses = {
    // L = mean (z - t)^2;  dL/dz = 2 (z - t) / (batch * outputs)
    mean_squared_error: {
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
      accuracy: function (z, t, batch) {
        var k = z.length / batch;
        return k === 1 ? binaryAccuracy(z, t, 0.5) : argmaxAccuracy(z, t, batch, k);
      }
    },
    // L = mean -[t log p + (1 - t) log(1 - p)], p = clip(z); dL/dz = (p - t) / (p (1 - p)) / size inside the clip
    binary_crossentropy: {
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
      accuracy: function (z, t) { return binaryAccuracy(z, t, 0.5); }
    },
    // L = mean max(0, 1 - t z), t = -1/+1;  dL/dz = -t / size where t z < 1, else 0
    hinge: {
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
      accuracy: function (z, t) {
        var ok = 0;
        for (var i = 0; i < z.length; i++) if ((z[i] > 0) === (t[i] > 0)) ok++;
        return ok / z.length;
      }
    },
    // L = mean over samples of -sum_k t_k log p_k, p = clip(z, EPSILON, 1); after a softmax dL/da = (z - t) / batch
    categorical_crossentropy: {
      value: function (z, t, batch) {
        var s = 0;
        for (var i = 0; i < z.length; i++) s += t[i] * Math.log(clip(z[i], EPSILON, 1));
        return -s / batch;
      },
      gradient: function (z, t, batch) {
        var g = new Float64Array(z.length), p;
        for (var i = 0; i < z.length; i++) {
          p = clip(z[i], EPSILON, 1);
          g[i] = -t[i] * (z[i] === p ? 1 : 0) / p / batch;
        }
        return g;
      },
      outputGradient: function (a, z, t, act, batch) {
        if (act !== "softmax") return null;
        var g = new Float64Array(z.length);
        for (var i = 0; i < z.length; i++) g[i] = (z[i] - t[i]) / batch;
        return g;
      },
      accuracy: function (z, t, batch) { return argmaxAccuracy(z, t, batch, z.length / batch); }
    }
  };
  var LOSS_ALIASES = { mse: "mean_squared_error", bce: "binary_crossentropy", cce: "categorical_crossentropy" };
  function loss(name) {
    var key = LOSS_ALIASES[name] || name;
    if (!losses[key]) throw new Error("nn.js: unknown loss " + JSON.stringify(name) + "; choose one of " + Object.keys(losses).join(", "));
    return losses[key];
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

  // ---- optimisers (nnlib/optimizers.py, Keras' definitions and defaults); update changes params in place ----
  //   SGD            w <- w - lr g;   with momentum mu: v <- mu v - lr g, w <- w + v
  //   Adam, step k   m <- m + (1 - beta_1)(g - m);  v <- v + (1 - beta_2)(g^2 - v)
  //                  w <- w - alpha m / (sqrt(v) + epsilon),  alpha = lr sqrt(1 - beta_2^k) / (1 - beta_1^k)
  function optimizer(name, options) {
    var o = options || {}, kind = String(name).toLowerCase();
    function rate(key, fallback) {
      var v = o[key] === undefined ? fallback : o[key];
      if (typeof v !== "number" || !isFinite(v) || v < 0) throw new Error("nn.js: " + kind + " " + key + " must be a finite number >= 0, got " + v);
      return v;
    }
    var opt = { name: kind, iterations: 0, state: [] };
    if (kind === "sgd") {
      opt.learning_rate = rate("learning_rate", 0.01);
      opt.momentum = rate("momentum", 0.0);
      opt.step = function (i, p, g) {
        var j;
        if (opt.momentum === 0) { for (j = 0; j < p.length; j++) p[j] -= opt.learning_rate * g[j]; return; }
        var v = opt.state[i] || (opt.state[i] = new Float64Array(p.length));
        for (j = 0; j < p.length; j++) { v[j] *= opt.momentum; v[j] -= opt.learning_rate * g[j]; p[j] += v[j]; }
      };
    } else if (kind === "adam") {
      opt.learning_rate = rate("learning_rate", 0.001);
      opt.beta_1 = rate("beta_1", 0.9);
      opt.beta_2 = rate("beta_2", 0.999);
      opt.epsilon = rate("epsilon", 1e-7);
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
      throw new Error("nn.js: unknown optimizer " + JSON.stringify(name) + "; choose sgd or adam");
    }
    opt.update = function (params, grads) {
      opt.iterations += 1;
      for (var i = 0; i < params.length; i++) opt.step(i, params[i], grads[i]);
    };
    return opt;
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
    var opt = o.optimizer && o.optimizer.update ? o.optimizer : optimizer((o.optimizer || {}).name || "adam", o.optimizer);
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

  var TRAINING = {
    losses: losses, loss: loss, activationBackward: activationBackward, traceBatch: traceBatch, gradients: gradients,
    optimizer: optimizer, parameters: parameters, dataset: dataset, trainBatch: trainBatch, trainEpoch: trainEpoch,
    evaluate: evaluate, random: random, permutation: permutation, fit: fit
  };
  // </training>

  var NN = {
    activations: activations, activation: activation, sigmoid: sigmoid, softplus: softplus, softmax: softmax,
    layer: layer, sums: sums, dense: dense, trace: trace, forward: forward, format: format
  };
  if (typeof TRAINING === "object") for (var name in TRAINING) NN[name] = TRAINING[name];
  return NN;
});
