// A layer moves the plane, stage by stage: V^T (rotate), Sigma (scale), U (rotate), + b, ReLU.
// Column convention of chapter 7: a = W x + b with W (units, inputs), W = U Sigma V^T = R(out) diag(s1, s2) R(in).
import { fmt } from "../format.js";
import { el, clear } from "../svg.js";
import { axes, fitWidth, followRange, marker, moveMarker } from "../plot.js";
import I18N from "../../../i18n/i18n.js";

const t = I18N.t;  // the page's language (nnlib/i18n): English where the page has no catalogue

const RAD = Math.PI / 180;
function wrap180(deg) { let a = deg % 360; if (a > 180) a -= 360; if (a <= -180) a += 360; return a; }

// As nnlib.geometry.compose.
function compose(angleIn, s1, s2, angleOut) {
  const ci = Math.cos(angleIn * RAD), si = Math.sin(angleIn * RAD), co = Math.cos(angleOut * RAD), so = Math.sin(angleOut * RAD);
  const A = [[co * s1, -so * s2], [so * s1, co * s2]];
  return [[A[0][0] * ci + A[0][1] * si, A[0][0] * -si + A[0][1] * ci],
    [A[1][0] * ci + A[1][1] * si, A[1][0] * -si + A[1][1] * ci]];
}

// nnlib.geometry.decompose for a 2 x 2 W, in closed form: W = R(angle_out) diag(s1, s2) R(angle_in) with
// s1 >= |s2|, s2 < 0 exactly when W reflects, angle_in in (-90, 90] (0 when s1 = |s2|), angles in degrees.
export function decompose(W) {
  const a = W[0][0], b = W[0][1], c = W[1][0], d = W[1][1], eps = 2.220446049250313e-16;
  const E = (a + d) / 2, F = (a - d) / 2, G = (c + b) / 2, H = (c - b) / 2;
  const Q = Math.sqrt(E * E + H * H), R = Math.sqrt(F * F + G * G), s1 = Q + R;
  let s2 = Q - R;
  if (s1 === 0) return { angle_in: 0, s1: 0, s2: 0, angle_out: 0 };
  if (Math.abs(s2) <= 4 * eps * s1) s2 = 0;  // rank 1: rounding noise, as numpy's rank tolerance
  if (Math.min(Q, R) <= 4 * eps * s1) {  // s1 = |s2|: a scaled rotation or reflection, no preferred axes
    return { angle_in: 0, s1, s2: Q >= R ? s1 : -s1, angle_out: wrap180(Math.atan2(c, a) / RAD) };
  }
  const a1 = Math.atan2(G, F), a2 = Math.atan2(H, E);
  let tin = (a2 - a1) / 2 / RAD, tout = (a2 + a1) / 2 / RAD;
  if (tin > 90) { tin -= 180; tout -= 180; } else if (tin <= -90) { tin += 180; tout += 180; }
  return { angle_in: tin, s1, s2, angle_out: wrap180(tout) };
}

function affineParts(cfg, s) {
  if (cfg.mode === "matrix") {
    const W = [[s.w00, s.w01], [s.w10, s.w11]], d = decompose(W);
    return { W, parts: [d.angle_in, d.s1, d.s2, d.angle_out] };
  }
  return { W: compose(s.angle_in, s.s1, s.s2, s.angle_out), parts: [s.angle_in, s.s1, s.s2, s.angle_out] };
}

// The cloud at stage position u in [0, 5]: whole stages applied in full, the next one a fraction t of the way
// (turn by t * angle, scale by 1 + t (s - 1), shift by t b, fold a share t of the way to ReLU). The animation
// between two stages draws these in-between clouds.
export function stageCloud(P, parts, b, u) {
  const out = [], t = [0, 1, 2, 3, 4].map((k) => Math.max(0, Math.min(1, u - k)));
  const r1 = t[0] * parts[0] * RAD, r3 = t[2] * parts[3] * RAD, c1 = Math.cos(r1), n1 = Math.sin(r1),
    c3 = Math.cos(r3), n3 = Math.sin(r3), k1 = 1 + t[1] * (parts[1] - 1), k2 = 1 + t[1] * (parts[2] - 1);
  for (let i = 0; i < P.length; i++) {
    const x = P[i][0], y = P[i][1];
    let x1 = c1 * x - n1 * y, y1 = n1 * x + c1 * y;
    x1 *= k1; y1 *= k2;
    const x3 = c3 * x1 - n3 * y1 + t[3] * b[0], y3 = n3 * x1 + c3 * y1 + t[3] * b[1];
    out.push([x3 - t[4] * Math.min(x3, 0), y3 - t[4] * Math.min(y3, 0)]);
  }
  return out;
}

function plotLimit(cfg, r, cur) {
  if (cfg.lim) return cfg.lim;
  let m = 0;
  r.stages.forEach((pts) => pts.forEach((p) => { m = Math.max(m, Math.abs(p[0]), Math.abs(p[1])); }));
  return followRange(cur ? [-cur, cur] : null, -m, m, 2)[1];
}

export function compute(cfg, s) {
  const wp = affineParts(cfg, s), W = wp.W, b = [s.b0, s.b1], n = cfg.P.length / 2, P = [], counts = [0, 0, 0];
  for (let i = 0; i < n; i++) P.push([cfg.P[2 * i], cfg.P[2 * i + 1]]);
  const stages = [0, 1, 2, 3, 4, 5].map((k) => stageCloud(P, wp.parts, b, k));
  stages[4].forEach((a) => { counts[(a[0] < 0 ? 1 : 0) + (a[1] < 0 ? 1 : 0)]++; });
  return { points: P, stages, W, b, parts: wp.parts, det: W[0][0] * W[1][1] - W[0][1] * W[1][0], counts };
}

export function readout(cfg, s, r) {
  const W = r.W, f = (v) => fmt(v, 2), det = r.det;
  const kind = det < -1e-12 ? t("turns the plane over (a reflection)") : Math.abs(det) <= 1e-12 ?
    t("collapses the plane onto a line or a point") : t("keeps the orientation");
  const matrix = "[[" + f(W[0][0]) + ", " + f(W[0][1]) + "], [" + f(W[1][0]) + ", " + f(W[1][1]) + "]]";
  const relu = { n: r.counts[0], m: r.counts[1], k: r.counts[2] };
  return I18N.sentences(
    t("W = {W}, b = ({b}); det W = {det}: it {kind}.", { W: matrix, b: f(r.b[0]) + ", " + f(r.b[1]), det: f(det), kind }),
    r.counts[0] === 1 ? t("ReLU leaves {n} point, drops {m} onto an axis and {k} onto the origin.", relu) :
      t("ReLU leaves {n} points, drops {m} onto an axis and {k} onto the origin.", relu),
    t("Stage {stage} of 5: {name}.", { stage: s.stage, name: t(cfg.stage_names[s.stage]) }));
}

// What stage k does, with its numbers (short enough for the column beside the plot).
function stageText(k, r) {
  const p = r.parts;
  return [t("the points x"), t("turn by V\u1d40: {angle}\u00b0", { angle: fmt(p[0], 0) }),
    t("scale by \u03a3: {s0}, {s1}", { s0: fmt(p[1], 2), s1: fmt(p[2], 2) }),
    t("turn by U: {angle}\u00b0", { angle: fmt(p[3], 0) }),
    t("shift by b = ({b0}, {b1})", { b0: fmt(r.b[0], 1), b1: fmt(r.b[1], 1) }), t("ReLU: negatives to 0")][k];
}

// A play button after the stage slider, and the animation from the stage shown to the new one.
export function controls(inst, host) {
  const s = inst.state, stage = inst.inputs.stage;
  if (!stage) return;
  if (!inst.play) {  // runs the cloud through every stage
    const doc = stage.ownerDocument;
    inst.play = doc.createElement("button");
    inst.play.type = "button";
    inst.play.className = "nnx-play";
    // The spoken name holds the visible word (WCAG 2.5.3), in the page's language.
    const show = function (playing) {
      inst.playing = playing;
      inst.play.textContent = playing ? t("\u275a\u275a pause") : t("\u25b6 play");
      inst.play.setAttribute("aria-label", playing ? t("pause the stages") : t("play the stages from the input to ReLU"));
    };
    show(false);
    stage.parentNode.appendChild(inst.play);
    inst.play.addEventListener("click", function () {
      if (inst.playing) { show(false); return; }
      show(true);
      if (+stage.value >= 5) inst.set("stage", 0);
      (function next() {
        if (!inst.playing) return;
        if (+stage.value >= 5) { show(false); return; }
        inst.set("stage", +stage.value + 1);
        inst.playTimer = setTimeout(next, 1100);
      })();
    });
  }
  // animate from where the cloud is shown to the new stage (a jump when the reader asks for less motion)
  const from = inst.u !== undefined && inst.u !== null ? inst.u : inst.shownStage;
  inst.shownStage = s.stage;
  const still = !host.matchMedia || host.matchMedia("(prefers-reduced-motion: reduce)").matches;
  if (from === undefined || from === s.stage || still || !host.requestAnimationFrame) { inst.u = null; return; }
  const to = s.stage, ms = 350 + 250 * Math.abs(to - from), token = inst.animToken = {};
  let t0 = null;
  inst.u = from;
  host.requestAnimationFrame(function frame(now) {
    if (inst.animToken !== token) return;
    if (t0 === null) t0 = now;
    const t = Math.min(1, (now - t0) / ms), e = t * t * (3 - 2 * t);
    inst.u = t >= 1 ? null : from + (to - from) * e;
    draw(inst, inst.data);
    if (t < 1) host.requestAnimationFrame(frame);
  });
}

const DESIGN_W = 640;
// The square plot for a figure `W` units wide with the stages beside it (the design, 640 x 460), or on a
// narrow screen (one unit a pixel) with the stages in a column under it.
function plotBox(W) {
  return W === DESIGN_W ? { x: 56, y: 34, w: 380, h: 380 } : { x: 56, y: 34, w: W - 68, h: W - 68 };
}
// Where the stages' column starts: [x, y of its heading, y of stage 0, step between stages].
function stageColumn(W) {
  const b = plotBox(W);
  return W === DESIGN_W ? [456, 52, 84, 50] : [b.x - 40, b.y + b.h + 56, b.y + b.h + 84, 38];
}

export function draw(inst, r) {
  const cfg = inst.cfg, s = inst.state, u = inst.u !== undefined && inst.u !== null ? inst.u : s.stage;
  const L = plotLimit(cfg, r, inst.lim);
  const relaid = fitWidth(inst, DESIGN_W, (W) => { const c = stageColumn(W); return c[2] + c[3] * cfg.stage_names.length; });
  if (relaid || inst.lim !== L) {
    inst.lim = L;
    clear(inst.svg);
    inst.clipCount = 0;
    const narrow = inst.layoutW !== DESIGN_W, col = stageColumn(inst.layoutW);
    const ax = inst.ax = axes(inst, inst.svg, plotBox(inst.layoutW), [-L, L], [-L, L],
      { xlabel: t("coordinate 0"), ylabel: t("coordinate 1"), nx: narrow ? 4 : 6, ny: narrow ? 4 : 6 });
    inst.quadrant = el("rect", { x: ax.sx(0), y: ax.sy(L), width: ax.sx(L) - ax.sx(0), height: ax.sy(0) - ax.sy(L),
      fill: "#009E73", "fill-opacity": 0.1 }, ax.plot);
    el("line", { x1: ax.sx(-L), x2: ax.sx(L), y1: ax.sy(0), y2: ax.sy(0), stroke: "#555", "stroke-width": 0.9 }, ax.plot);
    el("line", { x1: ax.sx(0), x2: ax.sx(0), y1: ax.sy(-L), y2: ax.sy(L), stroke: "#555", "stroke-width": 0.9 }, ax.plot);
    const ghost = el("g", { fill: "#999", "fill-opacity": 0.45 }, ax.plot);  // the input cloud, as a faint reference
    r.points.forEach((p) => el("circle", { cx: ax.sx(p[0]).toFixed(2), cy: ax.sy(p[1]).toFixed(2), r: 2 }, ghost));
    inst.marks = r.points.map((p, j) => marker(ax.plot, cfg.markers[j], 0, 0, 3.6, cfg.colors[j], null));
    const lg = el("g", { "font-size": 12, "aria-hidden": "true" }, inst.svg);
    el("text", { x: col[0], y: col[1], "font-size": 13, "font-weight": 600 }, lg, t("stages of the layer"));
    inst.stageRows = cfg.stage_names.map(function (name, k) {
      const row = el("g", { transform: "translate(" + col[0] + "," + (col[2] + col[3] * k) + ")" }, lg);
      row.dot = el("circle", { cx: 5, cy: -4, r: 5, fill: "#fff", stroke: "#333", "stroke-width": 1 }, row);
      // the name in a <tspan> of its own: a still picture drawn in Node is translated name by name (nnlib/i18n)
      el("tspan", {}, el("text", { x: 16, y: 0 }, row, k + " "), t(name));
      row.detail = el("text", { x: 16, y: 16, "font-size": 12, fill: "#555" }, row, "");
      return row;
    });
  }
  const a = inst.ax, k = Math.round(u);
  // at rest, the clouds computed (by nnlib in Jupyter, by compute() in the page); between stages, the animation's
  const pts = Number.isInteger(u) ? r.stages[u] : stageCloud(r.points, r.parts, r.b, u);
  inst.marks.forEach((m, j) => moveMarker(m, cfg.markers[j], a.sx(pts[j][0]), a.sy(pts[j][1]), 3.6));
  inst.quadrant.setAttribute("fill-opacity", u >= 4 ? 0.1 + 0.08 * Math.min(1, u - 4) : 0.04);
  inst.stageRows.forEach(function (row, i) {
    row.dot.setAttribute("fill", i === s.stage ? "#333" : i < s.stage ? "#999" : "#fff");
    row.setAttribute("font-weight", i === s.stage ? 700 : 400);
    row.detail.textContent = stageText(i, r);
  });
  a.title.textContent = t("stage {k}: {name} (det W {det})", { k, name: t(cfg.stage_names[k]), det: fmt(r.det, 2) });
}
