/* global __dirname, process */
// JupyterLab's own HTML sanitizer (@jupyterlab/apputils, from node_modules), as it treats the outputs of an
// untrusted notebook: reads a JSON list of HTML strings on stdin, writes the sanitized list on stdout.
// Used by tests/browser/test_nojs_faces.py.
const path = require("path");
const { Sanitizer } = require(path.join(__dirname, "..", "node_modules", "@jupyterlab", "apputils", "lib", "sanitizer.js"));
const sanitizer = new Sanitizer();
const dirty = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(dirty.map((html) => sanitizer.sanitize(html))));
