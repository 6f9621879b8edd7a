/* i18n.js: nnlib's messages in the page's language, from the same catalogue as Python (nnlib/i18n/__init__.py).
 * t(msgid, values) returns the translation for the page's <html lang> (English when there is none), with
 * {name} placeholders filled in. The translations are not in this script (every explorer and form inlines its
 * bundle): a page in another language carries its catalogue once, as
 *   <script type="application/json" class="nnlib-i18n" data-lang="ja">{...}</script>
 * (the Japanese book build adds it to every page; a form rendered in Python for Japanese carries it).
 */
(function (root, factory) {
  var I18N = factory();
  if (typeof module === "object" && module.exports) { module.exports = I18N; } else { root.nnlibI18n = I18N; }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var tables = {};
  function pageDocument(doc) { return doc || (typeof document !== "undefined" ? document : null); }
  // <html lang>; where that is English or unset (a notebook in Jupyter) but an output carries a catalogue
  // (nnlib rendered it with set_language("ja")), that catalogue's language.
  function pageLanguage(doc) {
    var d = pageDocument(doc);
    var lang = (d && d.documentElement ? d.documentElement.lang || "" : "").toLowerCase().split("-")[0] || "en";
    if (lang === "en" && d && d.querySelector) {
      var tag = d.querySelector("script.nnlib-i18n[data-lang]");
      if (tag) lang = tag.getAttribute("data-lang");
    }
    return lang;
  }
  function table(lang, doc) {
    if (lang === "en") return null;
    var d = pageDocument(doc);
    if (!tables[lang] && d && d.querySelector) {
      var tag = d.querySelector('script.nnlib-i18n[data-lang="' + lang + '"]');
      if (tag) tables[lang] = JSON.parse(tag.textContent);
    }
    return tables[lang] || null;
  }
  function fill(text, values) {
    if (!values) return text;
    return text.replace(/\{(\w+)\}/g, function (m, k) { return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m; });
  }
  function t(msgid, values, doc) {
    var found = table(pageLanguage(doc), doc);
    var text = found && Object.prototype.hasOwnProperty.call(found, msgid) ? found[msgid] : msgid;
    return fill(text, values);
  }
  // Sentences one after another: a space after an English sentence, none after a Japanese one (its 。 ends it, as
  // Python's translate_text joins translated sentences).
  function sentences() {
    var out = "";
    for (var i = 0; i < arguments.length; i++) {
      if (!arguments[i]) continue;
      out += (out && !/[\u3002\uff01\uff1f\u300d\uff09]$/.test(out) ? " " : "") + arguments[i];
    }
    return out;
  }
  return { t: t, pageLanguage: pageLanguage, fill: fill, sentences: sentences };
});
