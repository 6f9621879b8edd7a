// The book's playground: window.nnlibPlayground (module.exports in Node, where playground.py pre-renders the
// starting state and the tests drive the page's trainer).
export { boot, renderSVG, runOf, taskOf, initialLayers, codeValues, fillCode, pageTrainer, readout, instances }
  from "./playground.js";
export { default as NN } from "../nn.js";
