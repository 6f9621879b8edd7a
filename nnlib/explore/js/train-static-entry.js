// The book's training explorer: window.nnlibTrain (module.exports in Node, where tests drive the Trainer).
export { boot, Trainer, contour, instances } from "./train.js";
