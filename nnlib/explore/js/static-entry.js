// The book's static face of the slider explorers: window.nnlibExplore (and module.exports in Node, where
// Python pre-renders the first picture).
import * as NX from "./explorer.js";
import { serializeSVG } from "./svg.js";
import { followRange } from "./plot.js";
import { decompose } from "./kinds/affine.js";
import { fmt } from "./format.js";
import { wake } from "./wake.js";

export { serializeSVG, followRange, decompose, fmt, wake };
export const { renderSVG, renderReadout, instances, KINDS } = NX;
// the still picture, disabled controls and run note give way to the live face first
export function boot(root) { return NX.boot(wake(root)); }
