// The exercise forms' script (nnlib/exercises/form.py inlines it): nn.js and exercises.js, minified, as the
// globals the forms' boot code calls (window.nnlibNN, window.nnlibExercises). Every form of a page carries this
// bundle (a notebook output cannot rely on another's), so a later copy reuses the page's first instance: its
// per-page state (one reset per chapter, progress) must exist once. esbuild's require() runs a module only when
// called, so a short-circuited require costs nothing.
globalThis.nnlibNN = globalThis.nnlibNN || require("../nn.js");
globalThis.nnlibI18n = globalThis.nnlibI18n || require("../../i18n/i18n.js");
globalThis.nnlibExercises = globalThis.nnlibExercises || require("../../exercises/exercises.js");
