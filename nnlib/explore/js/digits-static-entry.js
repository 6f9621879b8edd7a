// The book's digit canvas: window.nnlibDigits.mountStatic(root, config); Node require()s the same file in tests.
export { mountStatic, preprocess, traceOutputs, probabilities, decodeLayers, decodeNetworks } from "./digits.js";
