// The activations h(a) by nnlib's name, from nn.js (nnlib's formulas, once, for the browser).
import NN from "../nn.js";

export const ACT = {};
Object.keys(NN.activations).forEach(function (name) { ACT[name] = NN.activations[name].f; });

// The weighted input's bias term: w x - b (bias_sign "-", seed 002) or w x + b (Keras).
export function sgn(cfg, b) { return cfg.bias_sign === "+" ? b : -b; }
