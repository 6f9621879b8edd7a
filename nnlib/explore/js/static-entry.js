// The book's static face of the slider explorers: window.nnlibExplore (and module.exports in Node, where
// Python pre-renders the first picture).
import * as NX from "./explorer.js";
import { serializeSVG } from "./svg.js";
import { followRange } from "./plot.js";
import { decompose } from "./kinds/affine.js";
import { fmt } from "./format.js";

export { serializeSVG, followRange, decompose, fmt };
export const { boot, renderSVG, renderReadout, instances, KINDS } = NX;
