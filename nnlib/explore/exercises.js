/* exercises.js: the book's answer forms, checked in the page with the exercise's own rules.
 *
 * Each exercise is defined once, in Python (nnlib/exercises/chNN.py, with nnlib/exercises/rules.py). Python
 * parses its conditions and messages into small JSON trees; this script walks the same trees, so the verdict
 * here is the verdict of the chapter's Python checker (tests/test_exercises_forms.py holds the two against
 * each other in Node and in headless Chromium). Numbers are float64 in both; sums and matrix products add in
 * index order, as rules.py does; numbers in messages go through nnlibNN.format (Python's format specs).
 * Works as a browser global (nnlibExercises) and as a Node module. Progress is kept in localStorage only.
 * Written so that no line starts inside a string or regex: pages inline it with comment lines dropped.
 */
(function (root, factory) {
  if (root.nnlibExercises && typeof module === "undefined") { root.nnlibExercises.boot(); return; }
  var NN = root.nnlibNN || (typeof require === "function" ? require("./nn.js") : null);
  var EX = factory(NN);
  if (typeof module === "object" && module.exports) { module.exports = EX; } else { root.nnlibExercises = EX; }
})(typeof self !== "undefined" ? self : this, function (NN) {
  "use strict";

  function fail(message) { throw new Error("exercise rules: " + message); }

  // ---- values: numbers, strings, (nested) arrays of numbers; booleans act as 1 / 0 in arithmetic ----
  function isArr(v) { return Array.isArray(v); }
  function depth(v) { var d = 0; while (isArr(v)) { d++; v = v[0]; } return d; }
  function num(v) { return typeof v === "boolean" ? (v ? 1 : 0) : v; }
  function shape(v) { var s = []; while (isArr(v)) { s.push(v.length); v = v[0]; } return s; }
  function flat(v, out) {
    out = out || [];
    if (isArr(v)) { for (var i = 0; i < v.length; i++) flat(v[i], out); } else { out.push(num(v)); }
    return out;
  }
  function map(v, f) { return isArr(v) ? v.map(function (x) { return map(x, f); }) : f(num(v)); }

  // numpy broadcasting for scalars, vectors and matrices: trailing lengths must agree.
  function broadcast(a, b, f, op) {
    if (typeof a === "string" || typeof b === "string") fail("cannot compute with a string and " + op);
    if (!isArr(a) && !isArr(b)) return f(num(a), num(b));
    if (!isArr(a)) return map(b, function (y) { return f(num(a), y); });
    if (!isArr(b)) return map(a, function (x) { return f(x, num(b)); });
    var sa = shape(a), sb = shape(b);
    if (sa[sa.length - 1] !== sb[sb.length - 1]) fail("shapes (" + sa + ") and (" + sb + ") do not fit for " + op);
    var da = depth(a), db = depth(b);
    if (da > db) return a.map(function (row) { return broadcast(row, b, f, op); });
    if (db > da) return b.map(function (row) { return broadcast(a, row, f, op); });
    if (a.length !== b.length) fail("shapes (" + sa + ") and (" + sb + ") do not fit for " + op);
    return a.map(function (x, i) { return broadcast(x, b[i], f, op); });
  }

  var ARITH = {
    "+": function (x, y) { return x + y; }, "-": function (x, y) { return x - y; },
    "*": function (x, y) { return x * y; }, "/": function (x, y) { return x / y; },
    "**": function (x, y) { return Math.pow(x, y); }
  };
  var COMPARE = {
    "<": function (x, y) { return x < y; }, "<=": function (x, y) { return x <= y; },
    ">": function (x, y) { return x > y; }, ">=": function (x, y) { return x >= y; },
    "==": function (x, y) { return x === y; }, "!=": function (x, y) { return x !== y; }
  };

  function matmul(a, b) {
    var da = depth(a), db = depth(b);
    if (!da || !db || da > 2 || db > 2) fail("@ needs vectors or matrices");
    var A = da === 2 ? a : [a], k, i, j, n = b.length;
    if (A[0].length !== n) fail("@ needs shapes (.., k) and (k, ..), got (" + shape(a) + ") and (" + shape(b) + ")");
    var out = A.map(function (row) {
      if (db === 1) { var s = 0; for (k = 0; k < n; k++) s += num(row[k]) * num(b[k]); return s; }
      var r = [];
      for (j = 0; j < b[0].length; j++) { var t = 0; for (k = 0; k < n; k++) t += num(row[k]) * num(b[k][j]); r.push(t); }
      return r;
    });
    return da === 2 ? out : out[0];
  }

  function det(m) {
    var s = shape(m);
    if (s.length !== 2 || s[0] !== s[1] || s[0] < 1 || s[0] > 3) fail("det() takes a square matrix of size 1..3");
    if (s[0] === 1) return m[0][0];
    if (s[0] === 2) return m[0][0] * m[1][1] - m[0][1] * m[1][0];
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
      m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  }

  function truth(v) {
    if (isArr(v)) fail("a condition on an array is ambiguous: use any(...) or all(...)");
    if (typeof v === "string") return v !== "";
    return !!num(v);
  }

  function index(v, i) {
    i = num(i);
    if (isArr(i) || !Number.isInteger(i)) fail("an index must be a whole number");
    if (!isArr(v)) fail("only arrays can be indexed");
    if (i < 0 || i >= v.length) fail("index " + i + " is out of range for length " + v.length);
    return v[i];
  }

  function sigmoid(x) { return NN.sigmoid(x); }
  var ELEMENTWISE = {
    abs: Math.abs, sqrt: Math.sqrt, exp: Math.exp, log: Math.log, tanh: Math.tanh, sigmoid: sigmoid,
    relu: function (x) { return x > 0 ? x : 0; }
  };

  function sum(values) { var s = 0; for (var i = 0; i < values.length; i++) s += values[i]; return s; }

  function call(name, args) {
    if (ELEMENTWISE[name]) return map(args[0], ELEMENTWISE[name]);
    if ((name === "min" || name === "max") && args.length > 1) {
      var xs = args.map(num);
      return name === "min" ? Math.min.apply(null, xs) : Math.max.apply(null, xs);
    }
    var x = args[0], f, i;
    if (name === "len") return isArr(x) ? x.length : 1;
    if (name === "dot") return matmul(args[0], args[1]);
    if (name === "det") return det(x);
    if (name === "outer") {
      var u = flat(args[0]), v = flat(args[1]);
      return u.map(function (p) { return v.map(function (q) { return p * q; }); });
    }
    if (name === "col") {
      if (depth(x) !== 2) fail("col() takes a matrix");
      index(x[0], args[1]);
      return x.map(function (row) { return row[num(args[1])]; });
    }
    if (name === "T") {
      if (depth(x) !== 2) fail("T() takes a matrix");
      return x[0].map(function (_, c) { return x.map(function (row) { return row[c]; }); });
    }
    if (name === "where") return where(args[0], args[1], args[2]);
    if (name === "linspace") {
      var start = num(args[0]), stop = num(args[1]), n = num(args[2]), step = (stop - start) / (n - 1), out = [];
      for (i = 0; i < n; i++) out.push(i * step + start);
      out[n - 1] = stop;
      return out;
    }
    if (name === "round") return parseFloat(NN.format(num(x), "." + num(args[1]) + "f"));
    if (name === "pick") {
      var mask = flat(x), options = args[1], picked = [];
      for (i = 0; i < mask.length && i < options.length; i++) if (mask[i]) picked.push(String(options[i]));
      return picked.join(", ");
    }
    f = flat(x);
    if (name === "sum") return sum(f);
    if (name === "mean") return sum(f) / f.length;
    if (name === "all") return f.every(function (y) { return y !== 0; });
    if (name === "any") return f.some(function (y) { return y !== 0; });
    if (name === "min" || name === "max" || name === "argmax") {
      if (!f.length) fail(name + "() of an empty array");
      var best = 0;
      for (i = 1; i < f.length; i++) {
        if (name === "min" ? f[i] < f[best] : f[i] > f[best]) best = i;
        else if (isNaN(f[best])) break;
      }
      if (name === "argmax") return best;
      for (i = 0; i < f.length; i++) if (isNaN(f[i])) return NaN;
      return f[best];
    }
    fail("unknown function " + name);
  }

  function where(c, a, b) {
    if (isArr(c)) return c.map(function (ci, i) { return where(ci, isArr(a) && depth(a) >= depth(c) ? a[i] : a, isArr(b) && depth(b) >= depth(c) ? b[i] : b); });
    return num(c) ? a : b;
  }

  function evaluate(tree, env) {
    var kind = tree[0], i, v;
    if (kind === "num" || kind === "str") return tree[1];
    if (kind === "name") return env(tree[1]);
    if (kind === "bin") {
      var a = evaluate(tree[2], env), b = evaluate(tree[3], env);
      return tree[1] === "@" ? matmul(a, b) : broadcast(a, b, ARITH[tree[1]], tree[1]);
    }
    if (kind === "neg") {
      v = evaluate(tree[1], env);
      return map(v, function (x) { return -x; });
    }
    if (kind === "not") return !truth(evaluate(tree[1], env));
    if (kind === "and" || kind === "or") {
      for (i = 0; i < tree[1].length; i++) {
        v = truth(evaluate(tree[1][i], env));
        if (v === (kind === "or")) return v;
      }
      return kind === "and";
    }
    if (kind === "cmp") {
      var ops = tree[1], operands = tree[2], left = evaluate(operands[0], env);
      for (i = 0; i < ops.length; i++) {
        var right = evaluate(operands[i + 1], env), op = ops[i], step;
        if (typeof left === "string" || typeof right === "string") {
          if (op !== "==" && op !== "!=") fail("strings can only be compared with == and !=");
          step = (left === right) === (op === "==");
        } else if (isArr(left) || isArr(right)) {
          if (ops.length > 1) fail("chained comparisons work on numbers, not arrays");
          return broadcast(left, right, function (x, y) { return COMPARE[op](x, y) ? 1 : 0; }, op);
        } else {
          step = COMPARE[op](num(left), num(right));
        }
        if (!step) return false;
        left = right;
      }
      return true;
    }
    if (kind === "if") return truth(evaluate(tree[1], env)) ? evaluate(tree[2], env) : evaluate(tree[3], env);
    if (kind === "list") {
      return tree[1].map(function (t) {
        var item = evaluate(t, env);
        if (typeof item === "string") fail("lists hold numbers");
        return map(item, function (x) { return x; });
      });
    }
    if (kind === "index") {
      v = evaluate(tree[1], env);
      for (i = 0; i < tree[2].length; i++) v = index(v, evaluate(tree[2][i], env));
      return v;
    }
    if (kind === "call") return call(tree[1], tree[2].map(function (t) { return evaluate(t, env); }));
    fail("unknown node " + kind);
  }

  function formatValue(v, spec) {
    if (typeof v === "string") return v;
    if (isArr(v)) return "[" + v.map(function (x) { return formatValue(x, spec); }).join(", ") + "]";
    return NN.format(num(v), spec || "g");
  }

  function render(template, env) {
    return template.map(function (part) {
      return typeof part === "string" ? part : formatValue(evaluate(part[0], env), part[1]);
    }).join("");
  }

  // ---- fields: what the reader typed -> values (the same rules and messages as rules.py) ----
  var NUMBER = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
  function parseNumber(text) {
    text = String(text).trim().replace(/\u2212/g, "-");
    return NUMBER.test(text) ? parseFloat(text) : null;
  }

  function parseField(field, raw) {
    var i, c, key, label, text, number;
    if (field.kind === "choice") {
      var value = raw[field.name] || "";
      if (value === "" && field.optional) return { value: "" };
      var ok = field.options.some(function (o) { return o[0] === value; });
      return ok ? { value: value } : { problem: field.label + ": choose one of the options." };
    }
    if (field.kind === "checks") {
      var picked = raw[field.name] || [];
      return { value: field.options.map(function (o) { return picked.indexOf(o[0]) >= 0 ? 1 : 0; }) };
    }
    if (field.kind === "shape") {
      text = String(raw[field.name] || "").trim();
      var inner = text.replace(/^[(\[]\s*|\s*[)\]]$/g, "");
      var parts = inner.split(/[,\s]+/).map(function (p) { return p.trim(); }).filter(function (p) { return p !== ""; });
      if (!text || !parts.length || !parts.every(function (p) { return /^[0-9]+$/.test(p); })) {
        return { problem: field.label + ": write a shape as whole numbers in brackets, like (2, 7) or (7,)." };
      }
      return { value: parts.map(Number) };
    }
    if (field.kind === "table") {
      var rows = [];
      for (i = 0; i < field.rows; i++) {
        var row = [];
        for (c = 0; c < field.columns.length; c++) {
          key = field.name + "[" + i + "]." + field.columns[c];
          label = field.row_label + " " + i + ": " + field.columns[c];
          text = String(raw[key] || "").trim();
          if (text === "") { row.push(null); continue; }
          number = parseNumber(text);
          if (number === null) return { problem: label + ": \u201c" + text + "\u201d is not a number; write it like 1.5 or -2." };
          row.push(number);
        }
        if (row.every(function (x) { return x === null; })) continue;
        var gap = row.indexOf(null);
        if (gap >= 0) return { problem: field.row_label + " " + i + ": " + field.columns[gap] + " is empty; fill in the whole row or none of it." };
        rows.push(row);
      }
      if (!rows.length) return { problem: "fill in at least one " + field.row_label + "." };
      return { value: rows };
    }
    var values = [], blank = [];
    for (i = 0; i < field.inputs.length; i++) {
      key = field.inputs[i][0];
      label = field.inputs[i][1];
      text = String(raw[key] || "").trim();
      if (text === "") { values.push(null); blank.push(label); continue; }
      number = parseNumber(text);
      if (number === null) return { problem: label + ": \u201c" + text + "\u201d is not a number; write it like 1.5 or -2." };
      values.push(number);
    }
    if (blank.length && field.optional && blank.length === values.length) return { value: [] };
    if (blank.length) {
      return { problem: blank[0] + " is empty" + (values.length > 1 ? ": fill in every box of " + field.label + "." : ".") };
    }
    if (field.kind === "number") {
      if (field.integer && !Number.isInteger(values[0])) return { problem: field.label + ": give a whole number." };
      return { value: values[0] };
    }
    if (field.kind === "matrix") {
      var m = [];
      for (i = 0; i < field.rows; i++) m.push(values.slice(i * field.cols, (i + 1) * field.cols));
      return { value: m };
    }
    return { value: values };
  }

  // ---- checking: the first rule whose condition holds gives the verdict ----
  function makeEnv(spec, answers) {
    var cache = {}, busy = {};
    return function env(name) {
      if (Object.prototype.hasOwnProperty.call(answers, name)) return answers[name];
      if (spec.params && Object.prototype.hasOwnProperty.call(spec.params, name)) return spec.params[name];
      if (Object.prototype.hasOwnProperty.call(spec.constants, name)) return spec.constants[name];
      if (name === "inf") return Infinity;
      if (Object.prototype.hasOwnProperty.call(spec.values, name)) {
        if (busy[name]) fail("value " + name + " depends on itself");
        if (!Object.prototype.hasOwnProperty.call(cache, name)) {
          busy[name] = true;
          cache[name] = evaluate(spec.values[name], env);
          busy[name] = false;
        }
        return cache[name];
      }
      fail("unknown name " + name);
    };
  }

  function check(spec, answers) {
    var env = makeEnv(spec, answers);
    for (var i = 0; i < spec.rules.length; i++) {
      var rule = spec.rules[i];
      if (rule.when === null || truth(evaluate(rule.when, env))) return { ok: rule.ok, message: render(rule.message, env) };
    }
    fail("no rule fired");
  }

  function checkForm(spec, raw) {
    var answers = {};
    for (var i = 0; i < spec.fields.length; i++) {
      var parsed = parseField(spec.fields[i], raw);
      if (parsed.problem !== undefined) return { ok: false, message: parsed.problem };
      answers[spec.fields[i].name] = parsed.value;
    }
    return check(spec, answers);
  }

  function verdictLine(result) { return (result.ok ? "\u2713 Right: " : "\u2717 Not yet: ") + result.message; }

  // ---- progress, per chapter, in this browser only ----
  var STORE = "forward-pass-exercises:";
  function loadProgress(chapter) {
    try { return JSON.parse(root().localStorage.getItem(STORE + chapter) || "{}") || {}; } catch (e) { return {}; }
  }
  function saveProgress(chapter, solved) {
    try { root().localStorage.setItem(STORE + chapter, JSON.stringify(solved)); } catch (e) { /* storage off: progress lasts this visit */ }
  }
  function root() { return typeof window !== "undefined" ? window : {}; }

  // ---- the form ----
  var memory = {};
  function readRaw(form) {
    var raw = {}, inputs = form.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.type === "radio") { if (el.checked) raw[el.name] = el.value; } else if (el.type === "checkbox") {
        raw[el.name] = raw[el.name] || [];
        if (el.checked) raw[el.name].push(el.value);
      } else { raw[el.name] = el.value; }
    }
    return raw;
  }

  function showProgress(section, spec) {
    var doc = section.ownerDocument, solved = memory[spec.chapter] || loadProgress(spec.chapter);
    memory[spec.chapter] = solved;
    var sections = doc.querySelectorAll('section.nnx-ex[data-chapter="' + spec.chapter + '"]');
    for (var i = 0; i < sections.length; i++) {
      var s = sections[i], line = s.querySelector(".nnx-ex-progress");
      if (!line || !s.nnxReady || !line.firstChild) continue;
      var done = Object.keys(solved).length, total = s.nnxSpec && s.nnxSpec.total ? s.nnxSpec.total : sections.length;
      var mine = solved[s.getAttribute("data-exercise")] ? "solved \u2713" : "not solved yet";
      line.hidden = false;
      line.firstChild.textContent = "This exercise: " + mine + ". This chapter: " + Math.min(done, total) + " of " + total + " solved (kept in this browser only).";
    }
  }

  function setUp(section) {
    if (section.nnxReady) return;
    section.nnxReady = true;
    var spec = JSON.parse(section.querySelector("script.nnx-ex-spec").textContent);
    section.nnxSpec = spec;
    var form = section.querySelector("form"), verdict = section.querySelector(".nnx-ex-verdict");
    var after = section.querySelector(".nnx-ex-after"), reveal = section.querySelector(".nnx-ex-reveal");
    var solution = section.querySelector(".nnx-ex-solution"), note = section.querySelector(".nnx-ex-nojs");
    var progress = section.querySelector(".nnx-ex-progress"), wrong = 0;
    if (note) note.hidden = true;
    var text = section.ownerDocument.createElement("span"), reset = section.ownerDocument.createElement("button");
    reset.type = "button";
    reset.textContent = "Reset this chapter's progress";
    progress.appendChild(text);
    progress.appendChild(reset);
    showProgress(section, spec);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var result;
      try { result = checkForm(spec, readRaw(form)); } catch (err) {
        result = { ok: false, message: "this answer could not be checked (" + err.message + ")." };
      }
      verdict.textContent = verdictLine(result);
      verdict.className = "nnx-ex-verdict " + (result.ok ? "ok" : "no");
      if (result.ok) {
        var solved = memory[spec.chapter] || loadProgress(spec.chapter);
        solved[spec.id] = 1;
        memory[spec.chapter] = solved;
        saveProgress(spec.chapter, solved);
        showProgress(section, spec);
      } else { wrong += 1; }
      if (result.ok || wrong >= 2) after.hidden = false;
    });
    reveal.addEventListener("click", function () {
      var template = section.querySelector("template.nnx-ex-solution-text");
      solution.innerHTML = template.innerHTML;
      reveal.hidden = true;
      solution.focus();
    });
    reset.addEventListener("click", function () {
      memory[spec.chapter] = {};
      saveProgress(spec.chapter, {});
      showProgress(section, spec);
    });
  }

  function boot() {
    if (typeof document === "undefined") return;
    var sections = document.querySelectorAll("section.nnx-ex");
    for (var i = 0; i < sections.length; i++) setUp(sections[i]);
  }

  return {
    evaluate: evaluate, render: render, formatValue: formatValue, parseNumber: parseNumber, parseField: parseField,
    check: check, checkForm: checkForm, verdictLine: verdictLine, boot: boot
  };
});
