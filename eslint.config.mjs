// `make lint` (part of `make test`): the browser code, checked with ESLint's recommended rules.
// Sources only: the bundles in nnlib/explore/dist/ are esbuild's output (tests/test_explore_bundles.py holds
// them to these sources). build/ is setuptools' staging folder (make colab installs nnlib while make test lints).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["nnlib/explore/dist/**", "node_modules/**", "_build/**", "build/**", ".venv*/**"] },
  js.configs.recommended,
  {
    // ES modules of the explorers, the trainer and the digit canvas (bundled by esbuild)
    files: ["nnlib/explore/js/**/*.js", "nnlib/explore/js/**/*.mjs"],
    languageOptions: { sourceType: "module", ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
  },
  {
    // plain scripts: nn.js and the exercise interpreter run as <script> in the page and under require() in Node
    files: ["nnlib/explore/nn.js", "nnlib/exercises/exercises.js", "nnlib/i18n/i18n.js", "book/_ext/*.js"],
    languageOptions: { sourceType: "script", ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
  },
];
