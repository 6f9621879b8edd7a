/* i18n.js: nnlib's messages in the page's language, from the same catalogue as Python (nnlib/i18n/__init__.py).
 * t(msgid, values) returns the translation for the page's <html lang> (English when there is none), with
 * {name} placeholders filled in. The catalogues are nnlib/i18n/<lang>.json, bundled by esbuild (and read by
 * require() in Node).
 */
(function (root, factory) {
  var table = { ja: typeof require === "function" ? require("./ja.json") : {} };
  var I18N = factory(table);
  if (typeof module === "object" && module.exports) { module.exports = I18N; } else { root.nnlibI18n = I18N; }
})(typeof self !== "undefined" ? self : this, function (catalogues) {
  "use strict";
  function pageLanguage(doc) {
    var d = doc || (typeof document !== "undefined" ? document : null);
    var lang = d && d.documentElement ? d.documentElement.lang || "" : "";
    return lang.toLowerCase().split("-")[0] || "en";
  }
  function fill(text, values) {
    if (!values) return text;
    return text.replace(/\{(\w+)\}/g, function (m, k) { return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m; });
  }
  function t(msgid, values, doc) {
    var table = catalogues[pageLanguage(doc)];
    var text = table && Object.prototype.hasOwnProperty.call(table, msgid) ? table[msgid] : msgid;
    return fill(text, values);
  }
  return { t: t, pageLanguage: pageLanguage, fill: fill };
});
