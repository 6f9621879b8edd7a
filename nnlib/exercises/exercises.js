/* exercises.js: the book's answer forms, checked in the page with the exercise's own rules.
 *
 * Each exercise is defined once, in Python (nnlib/exercises/chNN.py). Python parses its conditions and
 * messages into small JSON trees; this script walks the same trees, so the verdict here is the verdict of
 * the chapter's Python checker. Both interpreters follow LANGUAGE.md (next to this file):
 * language.py <-> the language section below, fields.py <-> the fields section, exercise.py <-> checking.
 * tests/test_exercises_language.py holds them to each other on random trees (Hypothesis, Node and Chromium),
 * tests/test_exercises_forms.py on every exercise's table of typed answers.
 * Works as a browser global (nnlibExercises) and as a Node module. Progress is kept in localStorage only.
 * Written so that no line starts inside a string or regex: pages inline it with comment lines dropped.
 */
(function (root, factory) {
  if (root.nnlibExercises && typeof module === "undefined") { root.nnlibExercises.boot(); return; }
  var NN = root.nnlibNN || (typeof require === "function" ? require("../explore/nn.js") : null);
  var I18N = root.nnlibI18n || (typeof require === "function" ? require("../i18n/i18n.js") : null);
  var EX = factory(NN, root, I18N);
  if (typeof module === "object" && module.exports) { module.exports = EX; } else { root.nnlibExercises = EX; }
})(typeof self !== "undefined" ? self : this, function (NN, root, I18N) {
  "use strict";
  // The page's words in its language (<html lang>), from nnlib's one catalogue (nnlib/i18n).
  var t = I18N ? I18N.t : function (msgid, values) { return msgid.replace(/\{(\w+)\}/g, function (m, k) { return k in (values || {}) ? values[k] : m; }); };

  function fail(message) { throw new Error("exercise rules: " + message); }

  // ==== the language (language.py) ====
  // Values: a number (booleans count as 1 / 0), a string, a vector (array of numbers), a matrix (array of
  // rows, at least one row and one column), a list of strings (a constant, for pick and indexing).
  var MAX_LINSPACE = 100000, MAX_ROUND_DECIMALS = 15;
  var FUNCTION_NAMES = ["abs", "sqrt", "tanh", "sigmoid", "relu", "sum", "min", "max", "argmax", "all", "any", "len",
    "dot", "det", "outer", "col", "T", "where", "linspace", "round", "pick"];

  function isArr(v) { return Array.isArray(v); }
  function isStrings(v) { return isArr(v) && v.length > 0 && typeof v[0] === "string"; }
  function num(v) { return typeof v === "boolean" ? (v ? 1 : 0) : v; }

  function numeric(v, what) {
    if (typeof v === "string" || isStrings(v)) fail(what + " takes numbers, not " + JSON.stringify(v));
    return v;
  }
  function shapeOf(v) {
    if (!isArr(v)) return [];
    return v.length && isArr(v[0]) ? [v.length, v[0].length] : [v.length];
  }
  function scalar(v, what) {
    numeric(v, what);
    if (isArr(v)) fail(what + " takes a number, not an array of shape (" + shapeOf(v) + ")");
    return num(v);
  }
  function whole(v, what, low, high) {
    var x = scalar(v, what);
    if (!(Number.isInteger(x) && low <= x && x <= high)) fail(what + " needs a whole number from " + low + " to " + high + ", got " + x);
    return x;
  }
  function flat(v, what) {
    numeric(v, what);
    var out = [];
    if (!isArr(v)) return [num(v)];
    for (var i = 0; i < v.length; i++) {
      if (isArr(v[i])) { for (var j = 0; j < v[i].length; j++) out.push(v[i][j]); } else { out.push(num(v[i])); }
    }
    return out;
  }
  function matrixOut(rows) {
    if (!rows.length || !rows[0].length) fail("a matrix needs at least one row and one column");
    return rows;
  }

  // Elementwise shapes: equal shapes, a number with anything, a vector with each row of a matrix.
  function fit(op, shapes) {
    var out = [], i;
    for (i = 0; i < shapes.length; i++) if (shapes[i].length > out.length) out = shapes[i];
    for (i = 0; i < shapes.length; i++) {
      var s = shapes[i];
      if (!s.length || String(s) === String(out)) continue;
      if (!(s.length === 1 && out.length === 2 && s[0] === out[1])) {
        fail("shapes " + shapes.map(function (x) { return "(" + x + ")"; }).join(" and ") + " do not fit for " + op);
      }
    }
    return out;
  }
  function at(v, rank, i, j) {
    if (!isArr(v)) return num(v);
    if (rank === 1) return num(v[i]);
    return isArr(v[0]) ? num(v[i][j]) : num(v[j]);
  }
  // f applied entry by entry to the values (numbers, vectors, matrices) broadcast to one shape.
  function elementwise(op, values, f) {
    var shape = fit(op, values.map(shapeOf)), i, j;
    var entry = function (i, j) { return f.apply(null, values.map(function (v) { return at(v, shape.length, i, j); })); };
    if (!shape.length) return entry(0, 0);
    var out = [];
    for (i = 0; i < shape[0]; i++) {
      if (shape.length === 1) { out.push(entry(i, 0)); continue; }
      var row = [];
      for (j = 0; j < shape[1]; j++) row.push(entry(i, j));
      out.push(row);
    }
    return out;
  }
  function map(v, f) { return isArr(v) ? v.map(function (x) { return map(x, f); }) : f(num(v)); }

  function truth(v) {
    if (typeof v === "string") return v !== "";
    if (isArr(v)) fail("a condition on an array is ambiguous: use any(...) or all(...)");
    return num(v) !== 0;  // NaN is true, as in Python
  }

  // C's pow (numpy's): 1 ** y and (-1) ** +-inf are 1, where Math.pow gives NaN.
  function pow(x, y) {
    if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
    return Math.pow(x, y);
  }
  var ARITH = {
    "+": function (x, y) { return x + y; }, "-": function (x, y) { return x - y; },
    "*": function (x, y) { return x * y; }, "/": function (x, y) { return x / y; }, "**": pow
  };
  var ORDER = {
    "<": function (x, y) { return x < y; }, "<=": function (x, y) { return x <= y; },
    ">": function (x, y) { return x > y; }, ">=": function (x, y) { return x >= y; },
    "==": function (x, y) { return x === y; }, "!=": function (x, y) { return x !== y; }
  };

  function binary(op, a, b) {
    if (op === "@") return matmul(a, b);
    numeric(a, op); numeric(b, op);
    return elementwise(op, [a, b], ARITH[op]);
  }

  // u @ v, summing in index order (as language.py does).
  function matmul(a, b) {
    numeric(a, "@"); numeric(b, "@");
    var sa = shapeOf(a), sb = shapeOf(b), k, j;
    if (!sa.length || !sb.length || sa[sa.length - 1] !== sb[0]) fail("@ needs shapes (.., k) and (k, ..), got (" + sa + ") and (" + sb + ")");
    var rows = sa.length === 2 ? a : [a], n = sb[0];
    var out = rows.map(function (row) {
      if (sb.length === 1) { var s = 0; for (k = 0; k < n; k++) s += row[k] * b[k]; return s; }
      var r = [];
      for (j = 0; j < sb[1]; j++) { var t = 0; for (k = 0; k < n; k++) t += row[k] * b[k][j]; r.push(t); }
      return r;
    });
    return sa.length === 2 ? out : out[0];
  }

  function compare(op, a, b) {
    if (typeof a === "string" || typeof b === "string") {
      if ((op !== "==" && op !== "!=") || isStrings(a) || isStrings(b)) fail("a string can only be compared with == and !=, not " + op);
      return (typeof a === "string" && typeof b === "string" && a === b) === (op === "==");
    }
    numeric(a, op); numeric(b, op);
    if (!isArr(a) && !isArr(b)) return ORDER[op](num(a), num(b));
    return elementwise(op, [a, b], function (x, y) { return ORDER[op](x, y) ? 1 : 0; });
  }

  function sigmoid(x) { return NN.sigmoid(x); }
  var ELEMENTWISE = {
    abs: Math.abs, sqrt: Math.sqrt, tanh: Math.tanh, sigmoid: sigmoid, relu: function (x) { return x > 0 ? x : 0; }
  };

  // The first value no other beats; NaN if there is one (numpy's rule).
  function extreme(values, better) {
    var best = values[0];
    for (var i = 0; i < values.length; i++) {
      if (isNaN(values[i])) return values[i];
      if (better(values[i], best)) best = values[i];
    }
    return best;
  }
  function less(v, b) { return v < b; }
  function greater(v, b) { return v > b; }

  function det(m) {
    var s = shapeOf(m);
    if (s.length !== 2 || s[0] !== s[1] || s[0] > 3) fail("det() takes a square matrix of size 1..3");
    if (s[0] === 1) return m[0][0];
    if (s[0] === 2) return m[0][0] * m[1][1] - m[0][1] * m[1][0];
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
      m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  }

  function call(name, args) {
    var what = name + "()", x = args[0], f, i;
    if (ELEMENTWISE[name]) return map(numeric(x, what), ELEMENTWISE[name]);
    if ((name === "min" || name === "max") && args.length > 1) {
      return extreme(args.map(function (a) { return scalar(a, what); }), name === "min" ? less : greater);
    }
    if (name === "len") {
      if (typeof x === "string" || isStrings(x)) fail("len() takes a number, vector or matrix");
      return isArr(x) ? x.length : 1;
    }
    if (name === "sum" || name === "min" || name === "max" || name === "argmax" || name === "all" || name === "any") {
      f = flat(x, what);
      if (name === "sum") { var s = 0; for (i = 0; i < f.length; i++) s += f[i]; return s; }
      if (name === "all") return f.every(function (y) { return y !== 0; });
      if (name === "any") return f.some(function (y) { return y !== 0; });
      if (!f.length) fail(what + " of an empty vector");
      if (name === "argmax") {
        for (i = 0; i < f.length; i++) if (isNaN(f[i])) return i;
        return f.indexOf(extreme(f, greater));
      }
      return extreme(f, name === "min" ? less : greater);
    }
    if (name === "dot") return matmul(args[0], args[1]);
    if (name === "det") return det(numeric(x, what));
    if (name === "outer") {
      numeric(args[0], what); numeric(args[1], what);
      if (shapeOf(args[0]).length > 1 || shapeOf(args[1]).length > 1) fail("outer() takes numbers or vectors");
      var u = flat(args[0], what), v = flat(args[1], what);
      return matrixOut(u.map(function (p) { return v.map(function (q) { return p * q; }); }));
    }
    if (name === "col" || name === "T") {
      numeric(x, what);
      if (shapeOf(x).length !== 2) fail(what + " takes a matrix");
      if (name === "T") return x[0].map(function (_, c) { return x.map(function (row) { return row[c]; }); });
      var c = whole(args[1], "col()'s column", 0, x[0].length - 1);
      return x.map(function (row) { return row[c]; });
    }
    if (name === "where") {
      args.forEach(function (a) { numeric(a, what); });
      return elementwise(what, args, function (c, a, b) { return c !== 0 ? a : b; });
    }
    if (name === "linspace") {
      var start = scalar(args[0], what), stop = scalar(args[1], what);
      var n = whole(args[2], "linspace()'s count", 2, MAX_LINSPACE), step = (stop - start) / (n - 1), out = [];
      for (i = 0; i < n; i++) out.push(i * step + start);
      out[n - 1] = stop;
      return out;
    }
    if (name === "round") {
      var number = scalar(x, what), decimals = whole(args[1], "round()'s decimals", 0, MAX_ROUND_DECIMALS);
      return isFinite(number) ? writtenWith(number, decimals) : number;
    }
    if (name === "pick") {
      var mask = flat(x, what), options = args[1], picked = [];
      if (!isStrings(options)) fail("pick() takes a mask and a list of strings");
      for (i = 0; i < mask.length && i < options.length; i++) if (mask[i] !== 0) picked.push(options[i]);
      return picked.join(", ");
    }
    fail("unknown function " + name);
  }

  function index(v, i) {
    var position = whole(i, "an index", 0, Infinity);
    if (!isArr(v)) fail("only vectors, matrices and lists of strings can be indexed");
    if (position >= v.length) fail("index " + position + " is out of range for length " + v.length);
    var item = v[position];
    return isArr(item) ? item.slice() : item;
  }

  function list(items) {
    var ranks = {}, lengths = {};
    items.forEach(function (item) {
      if (typeof item === "string" || isStrings(item)) fail("lists hold numbers or vectors, not strings");
      var s = shapeOf(item);
      ranks[s.length] = true;
      if (s.length === 1) lengths[s[0]] = true;
    });
    var kinds = Object.keys(ranks);
    if (!kinds.length || (kinds.length === 1 && kinds[0] === "0")) return items.map(num);
    if (kinds.length === 1 && kinds[0] === "1" && Object.keys(lengths).length === 1) return matrixOut(items.map(function (r) { return r.slice(); }));
    fail("a list holds numbers, or vectors of one length (the rows of a matrix)");
  }

  function evaluate(tree, env) {
    var kind = tree[0], i, v;
    if (kind === "num" || kind === "str") return tree[1];
    if (kind === "name") return env(tree[1]);
    if (kind === "bin") return binary(tree[1], evaluate(tree[2], env), evaluate(tree[3], env));
    if (kind === "neg") return map(numeric(evaluate(tree[1], env), "unary -"), function (x) { return -x; });
    if (kind === "not") return !truth(evaluate(tree[1], env));
    if (kind === "and" || kind === "or") {
      for (i = 0; i < tree[1].length; i++) if (truth(evaluate(tree[1][i], env)) === (kind === "or")) return kind === "or";
      return kind === "and";
    }
    if (kind === "cmp") return compare(tree[1], evaluate(tree[2], env), evaluate(tree[3], env));
    if (kind === "if") return truth(evaluate(tree[1], env)) ? evaluate(tree[2], env) : evaluate(tree[3], env);
    if (kind === "list") return list(tree[1].map(function (t) { return evaluate(t, env); }));
    if (kind === "index") {
      v = evaluate(tree[1], env);
      for (i = 0; i < tree[2].length; i++) v = index(v, evaluate(tree[2][i], env));
      return v;
    }
    if (kind === "call") {
      if (FUNCTION_NAMES.indexOf(tree[1]) < 0) fail("unknown function " + tree[1]);
      return call(tree[1], tree[2].map(function (t) { return evaluate(t, env); }));
    }
    fail("unknown node " + kind);
  }

  function formatValue(v, spec) {
    if (typeof v === "string") return t(v);  // a word a message picks ('rises'), in the page's language
    if (isStrings(v)) fail("a list of strings cannot be shown; pick() some of them");
    if (isArr(v)) return "[" + v.map(function (x) { return formatValue(x, spec); }).join(", ") + "]";
    v = num(v);
    // Python's "%" multiplies first: 1e308 shows as "inf%" (nn.js's format cannot spell an overflowed percentage).
    if (/%$/.test(spec || "") && isFinite(v) && !isFinite(v * 100)) return NN.format(v * 100, spec.replace("%", "f")) + "%";
    return NN.format(v, spec || "g");
  }

  function render(template, env) {
    return template.map(function (part) {
      return typeof part === "string" ? part : formatValue(evaluate(part[0], env), part[1]);
    }).join("");
  }

  // A rule's verdict in the page's language: its English template (`source`) translated through the catalogue,
  // whose {...} parts are the English template's own expressions, in the order the translation needs them.
  var TEMPLATE_PART = /\{\{|\}\}|\{([^{}]+)\}/g;
  function renderRule(rule, env) {
    var translated = rule.source === undefined ? rule.source : t(rule.source);
    if (translated === undefined || translated === rule.source) return render(rule.message, env);
    var parts = rule.message.filter(function (p) { return typeof p !== "string"; }), byBody = {}, k = 0;
    rule.source.replace(TEMPLATE_PART, function (m, body) { if (body !== undefined) byBody[body] = parts[k++]; return m; });
    return translated.replace(TEMPLATE_PART, function (m, body) {
      if (body === undefined) return m.charAt(0);
      var part = byBody[body];
      return part ? formatValue(evaluate(part[0], env), part[1]) : m;
    });
  }

  // ==== fields: what the reader typed -> values (fields.py: the same rules and messages) ====
  var MAX_CHARS = 40, SPACE = " \t\n\r\f\v\u00a0";
  var NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
  var SHAPE_GAP = /[, \t\n\r\f\v\u00a0]+/;
  var NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

  function strip(text) {
    var a = 0, b = text.length;
    while (a < b && SPACE.indexOf(text[a]) >= 0) a++;
    while (b > a && SPACE.indexOf(text[b - 1]) >= 0) b--;
    return text.slice(a, b);
  }
  // Python counts characters (code points); a long paste is counted only as far as it must be.
  function tooLong(text) { return text.length > MAX_CHARS && Array.from(text).length > MAX_CHARS; }

  // A finite number from a typed text, or null; throws (with the reason) for a too long or too large one.
  function parseNumber(text) {
    text = String(text);
    if (tooLong(text)) throw new Error(t("is longer than {n} characters", { n: MAX_CHARS }));
    text = strip(text).replace(/\u2212/g, "-");
    if (!NUMBER.test(text)) return null;
    var value = parseFloat(text);
    if (!isFinite(value)) throw new Error(t("is too large to compute with"));
    return value;
  }
  function typed(raw, key) {
    var text = String(raw[key] || "");
    return { text: text, blank: !tooLong(text) && strip(text) === "" };
  }
  function numberProblem(label, text) {
    try {
      if (parseNumber(text) !== null) return null;
    } catch (err) {
      var shown = tooLong(text) ? t("the text") : "\u201c" + strip(text) + "\u201d";
      return t("{label}: {shown} {problem}; write a number like 1.5 or -2.", { label: t(label), shown: shown, problem: err.message });
    }
    return t("{label}: {text} is not a number; write it like 1.5 or -2.", { label: t(label), text: "\u201c" + strip(text) + "\u201d" });
  }

  function writtenWith(x, decimals) { return parseFloat(NN.format(x, "." + decimals + "f")); }
  function nearMiss(values, targets, decimals) {
    var short = null;
    for (var i = 0; i < values.length && i < targets.length; i++) {
      var x = values[i], t = targets[i], given = null;
      if (!isFinite(x) || !isFinite(t)) return null;
      if (writtenWith(t, decimals) === x) continue;
      for (var d = 1; d < decimals; d++) if (writtenWith(x, d) === x) { given = d; break; }
      if (given === null || writtenWith(t, given) !== x) return null;
      if (short === null) short = given;
    }
    return short;
  }
  function numberWord(n) { return n >= 0 && n < NUMBER_WORDS.length ? NUMBER_WORDS[n] : String(n); }

  function parseField(field, raw) {
    var i, c, key, label, text, cell, problem;
    if (field.kind === "choice") {
      var value = raw[field.name] || "";
      if (value === "" && field.optional) return { value: "" };
      var ok = field.options.some(function (o) { return o[0] === value; });
      return ok ? { value: value } : { problem: t("{label}: choose one of the options.", { label: t(field.label) }) };
    }
    if (field.kind === "checks") {
      var picked = raw[field.name] || [];
      return { value: field.options.map(function (o) { return picked.indexOf(o[0]) >= 0 ? 1 : 0; }) };
    }
    if (field.kind === "shape") {
      text = typed(raw, field.name).text;
      var how = t("write a shape as whole numbers in brackets, like (2, 7) or (7,).");
      if (tooLong(text)) return { problem: t("{label}: the text is longer than {n} characters; {how}", { label: t(field.label), n: MAX_CHARS, how: how }) };
      text = strip(text);
      var inner = text && "([".indexOf(text[0]) >= 0 ? text.slice(1) : text;
      inner = inner && ")]".indexOf(inner[inner.length - 1]) >= 0 ? inner.slice(0, -1) : inner;
      var parts = inner.split(SHAPE_GAP).filter(function (p) { return p !== ""; });
      if (!text || !parts.length || !parts.every(function (p) { return /^[0-9]+$/.test(p); })) return { problem: t("{label}: {how}", { label: t(field.label), how: how }) };
      return { value: parts.map(Number) };
    }
    if (field.kind === "table") {
      var rows = [];
      for (i = 0; i < field.rows; i++) {
        var row = [];
        for (c = 0; c < field.columns.length; c++) {
          cell = typed(raw, field.name + "[" + i + "]." + field.columns[c]);
          if (cell.blank) { row.push(null); continue; }
          problem = numberProblem(t("{row} {i}: {column}", { row: t(field.row_label), i: i, column: t(field.columns[c]) }), cell.text);
          if (problem) return { problem: problem };
          row.push(parseNumber(cell.text));
        }
        if (row.every(function (x) { return x === null; })) continue;
        var gap = row.indexOf(null);
        if (gap >= 0) return { problem: t("{row} {i}: {column} is empty; fill in the whole row or none of it.", { row: t(field.row_label), i: i, column: t(field.columns[gap]) }) };
        rows.push(row);
      }
      if (!rows.length) return { problem: t("fill in at least one {row}.", { row: t(field.row_label) }) };
      return { value: rows };
    }
    var values = [], blank = [];
    for (i = 0; i < field.inputs.length; i++) {
      key = field.inputs[i][0];
      label = field.inputs[i][1];
      cell = typed(raw, key);
      if (cell.blank) { values.push(null); blank.push(label); continue; }
      problem = numberProblem(label, cell.text);
      if (problem) return { problem: problem };
      values.push(parseNumber(cell.text));
    }
    if (blank.length && field.optional && blank.length === values.length) return { value: [] };
    if (blank.length) {
      return { problem: values.length > 1 ? t("{box} is empty: fill in every box of {label}.", { box: t(blank[0]), label: t(field.label) }) :
        t("{box} is empty.", { box: t(blank[0]) }) };
    }
    if (field.kind === "number") {
      if (field.integer && !Number.isInteger(values[0])) return { problem: t("{label}: give a whole number.", { label: t(field.label) }) };
      return { value: values[0] };
    }
    if (field.kind === "matrix") {
      var m = [];
      for (i = 0; i < field.rows; i++) m.push(values.slice(i * field.cols, (i + 1) * field.cols));
      return { value: m };
    }
    return { value: values };
  }

  // ==== checking (exercise.py): the first rule whose condition holds gives the verdict ====
  function own(object, name) { return object && Object.prototype.hasOwnProperty.call(object, name); }
  function makeEnv(spec, answers) {
    var cache = {}, busy = {};
    return function env(name) {
      if (own(answers, name)) return answers[name];
      if (own(spec.params, name)) return spec.params[name];
      if (own(spec.constants, name)) return spec.constants[name];
      if (name === "inf") return Infinity;
      if (own(spec.values, name)) {
        if (busy[name]) fail("value " + name + " depends on itself");
        if (!own(cache, name)) {
          busy[name] = true;
          cache[name] = evaluate(spec.values[name], env);
          busy[name] = false;
        }
        return cache[name];
      }
      fail("unknown name " + name);
    };
  }

  function closeMessage(field, value, decimals, given) {
    if (!isArr(value)) return t("close: give {n} decimals ({typed} is the answer rounded to {given}).", { n: t(numberWord(decimals)), typed: NN.format(value, "g"), given: t(numberWord(given)) });
    return t("close: give {n} decimals in every box of {label}.", { n: t(numberWord(decimals)), label: t(field.label) });
  }
  function nearMissLine(spec, answers, env) {
    for (var i = 0; i < spec.fields.length; i++) {
      var field = spec.fields[i], close = spec.close && own(spec.close, field.name) ? spec.close[field.name] : null;
      if (!close) continue;
      var values = flat(answers[field.name], field.name), target = flat(evaluate(close[0], env), field.name);
      if (!values.length || values.length !== target.length) continue;
      var given = nearMiss(values, target, close[1]);
      if (given) return closeMessage(field, answers[field.name], close[1], given);
    }
    return null;
  }

  function check(spec, answers) {
    Object.keys(answers).forEach(function (name) {
      var v = answers[name];
      if (typeof v !== "string" && !isStrings(v) && !flat(v, name).every(isFinite)) fail(name + " must hold finite numbers");
    });
    var env = makeEnv(spec, answers);
    for (var i = 0; i < spec.rules.length; i++) {
      var rule = spec.rules[i];
      if (rule.when === null || truth(evaluate(rule.when, env))) {
        if (!rule.ok) {
          var near = nearMissLine(spec, answers, env);
          if (near) return { ok: false, message: near };
        }
        return { ok: rule.ok, message: renderRule(rule, env) };
      }
    }
    fail("no rule fired");
  }

  // The verdict, and whether it judged an answer (a form whose boxes could not all be read is not a try).
  function judge(spec, raw) {
    var answers = {};
    for (var i = 0; i < spec.fields.length; i++) {
      var parsed = parseField(spec.fields[i], raw);
      if (parsed.problem !== undefined) return { ok: false, message: parsed.problem, judged: false };
      answers[spec.fields[i].name] = parsed.value;
    }
    var result = check(spec, answers);
    return { ok: result.ok, message: result.message, judged: true };
  }
  function checkForm(spec, raw) {
    var result = judge(spec, raw);
    return { ok: result.ok, message: result.message };
  }

  function verdictLine(result) { return (result.ok ? t("\u2713 Right") : t("\u2717 Not yet")) + ": " + result.message; }

  // ==== progress, per chapter, in this browser only ====
  var STORE = "forward-pass-exercises:";
  function storage() { try { return root.localStorage || null; } catch { return null; } }
  // {exercise id: 1} of one chapter. A stored value that is not such an object (an older format, another
  // program's) is read as no progress, and kept under "<key>:unreadable" before anything overwrites it.
  function loadProgress(chapter) {
    var store = storage(), key = STORE + chapter, text, parsed;
    try { text = store ? store.getItem(key) : null; } catch { text = null; }
    if (text === null) return {};
    try { parsed = JSON.parse(text); } catch { parsed = undefined; }
    if (parsed && typeof parsed === "object" && !isArr(parsed)) return parsed;
    try { store.setItem(key + ":unreadable", text); } catch { /* storage full or off: the value stays in key */ }
    if (typeof console !== "undefined") console.warn("exercises: the progress stored under " + key + " is not a record of solved exercises; starting from none (the old value is kept under " + key + ":unreadable)");
    return {};
  }
  function saveProgress(chapter, solved) {
    var store = storage();
    try { if (store) store.setItem(STORE + chapter, JSON.stringify(solved)); } catch { /* storage off: progress lasts this visit */ }
  }
  function solvedCount(solved) { return Object.keys(solved).filter(function (k) { return solved[k]; }).length; }

  // ==== the form ====
  var memory = {}, resets = {};
  function progressOf(chapter) {
    if (!own(memory, chapter)) memory[chapter] = loadProgress(chapter);
    return memory[chapter];
  }
  function chapterSections(doc, chapter) {
    return Array.prototype.filter.call(doc.querySelectorAll("section.nnx-ex"), function (s) {
      return s.getAttribute("data-chapter") === chapter && s.nnxReady;
    });
  }
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

  function showProgress(doc, chapter) {
    var solved = progressOf(chapter), sections = chapterSections(doc, chapter);
    sections.forEach(function (s) {
      var line = s.querySelector(".nnx-ex-progress"), text = line.querySelector(".nnx-ex-count");
      var total = s.nnxSpec.total || sections.length, mine = solved[s.getAttribute("data-exercise")] ? t("solved \u2713") : t("not solved yet");
      line.hidden = false;
      text.textContent = t("This exercise: {mine}. This chapter: {solved} of {total} solved (kept in this browser only).", { mine: mine, solved: Math.min(solvedCount(solved), total), total: total });
    });
    // One reset per chapter, under the chapter's last form on the page.
    var reset = resetControl(doc, chapter), last = sections[sections.length - 1];
    if (last && reset.parentNode !== last.querySelector(".nnx-ex-progress")) last.querySelector(".nnx-ex-progress").appendChild(reset);
  }

  function button(doc, text, cls) {
    var b = doc.createElement("button");
    b.type = "button";
    b.textContent = text;
    if (cls) b.className = cls;
    return b;
  }
  // "Reset this chapter's progress" asks first; Yes forgets the chapter's progress and clears its verdicts.
  function resetControl(doc, chapter) {
    if (resets[chapter]) return resets[chapter];
    var box = doc.createElement("span"), ask = button(doc, t("Reset this chapter's progress"), "nnx-ex-reset");
    var confirm = doc.createElement("span"), yes = button(doc, t("Yes, reset")), no = button(doc, t("No, keep it"));
    var question = doc.createElement("span");
    box.className = "nnx-ex-reset-box";
    question.textContent = t("Forget which exercises of this chapter you solved, in this browser?") + " ";
    confirm.hidden = true;
    confirm.appendChild(question);
    confirm.appendChild(yes);
    confirm.appendChild(no);
    box.appendChild(ask);
    box.appendChild(confirm);
    ask.addEventListener("click", function () { ask.hidden = true; confirm.hidden = false; no.focus(); });
    no.addEventListener("click", function () { confirm.hidden = true; ask.hidden = false; ask.focus(); });
    yes.addEventListener("click", function () {
      memory[chapter] = {};
      saveProgress(chapter, {});
      chapterSections(doc, chapter).forEach(function (s) { s.nnxClear(); });
      confirm.hidden = true;
      ask.hidden = false;
      showProgress(doc, chapter);
      ask.focus();
    });
    resets[chapter] = box;
    return box;
  }

  function setUp(section) {
    if (section.nnxReady) return;
    var doc = section.ownerDocument, spec = JSON.parse(section.querySelector("script.nnx-ex-spec").textContent);
    var form = section.querySelector("form"), verdict = section.querySelector(".nnx-ex-verdict");
    var after = section.querySelector(".nnx-ex-after"), reveal = section.querySelector(".nnx-ex-reveal");
    var solution = section.querySelector(".nnx-ex-solution"), note = section.querySelector(".nnx-ex-nojs");
    var progress = section.querySelector(".nnx-ex-progress"), wrong = 0, count = doc.createElement("span");
    section.nnxReady = true;
    section.nnxSpec = spec;
    if (note) note.hidden = true;
    count.className = "nnx-ex-count";
    progress.appendChild(count);
    section.nnxClear = function () {
      wrong = 0;
      verdict.textContent = "";
      verdict.className = "nnx-ex-verdict";
      after.hidden = true;
      reveal.hidden = false;
      solution.innerHTML = "";
    };
    showProgress(doc, spec.chapter);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var result;
      try { result = judge(spec, readRaw(form)); } catch (err) {
        result = { ok: false, message: t("this answer could not be checked ({problem}).", { problem: err.message }), judged: true };
      }
      verdict.textContent = verdictLine(result);
      verdict.className = "nnx-ex-verdict " + (result.ok ? "ok" : "no");
      if (result.ok) {
        var solved = progressOf(spec.chapter);
        solved[spec.id] = 1;
        saveProgress(spec.chapter, solved);
        showProgress(doc, spec.chapter);
      } else if (result.judged) { wrong += 1; }  // empty or unreadable boxes are not a try
      if (result.ok || wrong >= 2) after.hidden = false;
    });
    reveal.addEventListener("click", function () {
      var template = section.querySelector("template.nnx-ex-solution-text");
      solution.innerHTML = template.innerHTML;
      reveal.hidden = true;
      solution.focus();
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
