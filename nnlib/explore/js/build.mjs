// Bundles the explorers' ES modules, one file per face, into nnlib/explore/dist/ (committed as package
// data, so `pip install nnlib` needs no Node). `make bundles` runs this; tests/test_explore_bundles.py
// builds into a temporary folder and checks the committed files are what these sources give.
//   node nnlib/explore/js/build.mjs [outdir]
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(process.argv[2] || path.join(here, "..", "dist"));
const common = { bundle: true, minify: true, legalComments: "none", target: "es2019", logLevel: "warning",
  charset: "utf8" };

// Each face: its entry module, how it is loaded, and the file it becomes.
const FACES = [
  // the book: an inline <script> defines window.nnlibExplore; Node require()s the same file to pre-render
  { entry: "static-entry.js", out: "explore-static.js", format: "iife", globalName: "nnlibExplore",
    footer: 'typeof module<"u"&&(module.exports=nnlibExplore);' },
  // nnlib's formulas alone (exercise checkers, the digit canvas' page): window.nnlibNN
  { entry: "nn-entry.js", out: "nn.js", format: "iife", globalName: "nnlibNN",
    footer: 'typeof module<"u"&&(module.exports=nnlibNN);' },
  // the exercise forms: nn.js and exercises.js together (the forms inline the pair; see _face.script_block)
  { entry: "exercises-entry.js", out: "exercises-form.js", format: "iife" },
  // Jupyter: anywidget imports it as an ES module (export default {render})
  { entry: "live-entry.js", out: "explore-live.js", format: "esm" },
  // the training explorer: the book's (window.nnlibTrain) and Jupyter's
  { entry: "train-static-entry.js", out: "train-static.js", format: "iife", globalName: "nnlibTrain",
    footer: 'typeof module<"u"&&(module.exports=nnlibTrain);' },
  { entry: "train-live-entry.js", out: "train-live.js", format: "esm" },
  // the trainer's still pictures, drawn by trainer.py in Node at build time (never shipped in a page)
  { entry: "train-still.js", out: "train-still.js", format: "cjs" },
  // the digit canvas: the book's (window.nnlibDigits) and Jupyter's
  { entry: "digits-static-entry.js", out: "digits-static.js", format: "iife", globalName: "nnlibDigits",
    footer: 'typeof module<"u"&&(module.exports=nnlibDigits);' },
  { entry: "digits.js", out: "digits-live.js", format: "esm" },
  // the playground: the book's (window.nnlibPlayground) and Jupyter's
  { entry: "playground-static-entry.js", out: "playground-static.js", format: "iife", globalName: "nnlibPlayground",
    footer: 'typeof module<"u"&&(module.exports=nnlibPlayground);' },
  { entry: "playground-live-entry.js", out: "playground-live.js", format: "esm" },
];

for (const face of FACES) {
  await build({ ...common, entryPoints: [path.join(here, face.entry)], outfile: path.join(outdir, face.out),
    format: face.format, globalName: face.globalName, footer: face.footer ? { js: face.footer } : undefined });
}
