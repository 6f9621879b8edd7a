// Typesets the book's TeX at build time with MathJax 3 (npm `mathjax`, the same package the site vendors), so
// that pages carry finished CommonHTML and no MathJax script (about 1.2 MB) is downloaded by readers.
// stdin:  {"fontURL": "../vendor/mathjax/output/chtml/fonts/woff-v2", "items": [{"tex": "...", "display": true}]}
// stdout: {"html": ["<mjx-container ...>", ...], "css": "...", "errors": ["tex: message", ...]}
// Called by offline_book.py once per page (the stylesheet holds only the glyphs that page uses).
"use strict";

const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  require("mathjax").init({
    loader: {load: ["input/tex", "output/chtml", "a11y/assistive-mml"]},
    tex: {packages: {"[+]": ["ams"]}},
    // The browser build would scale math to the text's x-height (about 1.15 here); at build time we say so.
    chtml: {fontURL: request.fontURL, scale: 1.15},
  }).then(async (MathJax) => {
    const adaptor = MathJax.startup.adaptor;
    const errors = [];
    const html = [];
    // One at a time, with the promise form: an expression that needs a TeX extension (\color, ...) waits for it.
    for (const {tex, display} of request.items) {
      const node = await MathJax.tex2chtmlPromise(tex, {display});
      const out = adaptor.outerHTML(node);
      if (out.includes("<mjx-merror")) errors.push(`${tex}: ${adaptor.textContent(node).slice(0, 120)}`);
      html.push(out);
    }
    const css = adaptor.textContent(MathJax.chtmlStylesheet());
    process.stdout.write(JSON.stringify({html, css, errors}));
  }).catch((error) => {
    process.stderr.write(String(error && error.stack || error));
    process.exit(1);
  });
});
