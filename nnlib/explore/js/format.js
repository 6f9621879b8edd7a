// Numbers as the explorers print them: one formatter for every readout, tick and label.

// Python's f"{v:.{d}f}" with a true minus sign and no "-0".
export function fmt(v, d) {
  let t = v.toFixed(d);
  const full = Math.abs(v).toFixed(d + 30), cut = full.length - 30;
  // An exact tie (the binary value ends in 5): toFixed rounds away from zero, Python to even.
  if (/^50*$/.test(full.slice(cut)) && +full.charAt(cut - (d ? 1 : 2)) % 2 === 0) {
    t = (v < 0 ? "-" : "") + full.slice(0, d ? cut : cut - 1);
  }
  if (/^-0\.?0*$/.test(t)) t = t.slice(1);
  return t.replace("-", "\u2212");
}

// A later term of a sum: "+ 2.6" or "\u2212 4.1", signed as printed.
export function term(v, d) {
  const t = fmt(v, d);
  return t.charAt(0) === "\u2212" ? "\u2212 " + t.slice(1) : "+ " + t;
}

// As numpy's linspace: lo + i * step, the last point exactly hi.
export function linspace(lo, hi, n) {
  const step = (hi - lo) / (n - 1), out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + i * step;
  out[n - 1] = hi;
  return out;
}

// "1 point", "3 points".
export function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
