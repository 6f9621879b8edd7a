// The exercise forms' script (nnlib/exercises/form.py inlines it): nn.js and exercises.js, minified, as the
// globals the forms' boot code calls (window.nnlibNN, window.nnlibExercises).
globalThis.nnlibNN = globalThis.nnlibNN || require("../nn.js");
globalThis.nnlibExercises = require("../../exercises/exercises.js");
