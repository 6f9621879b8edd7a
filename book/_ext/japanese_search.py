"""The Japanese edition's search splitter: Sphinx's own (TinySegmenter, no dictionary, works offline) plus every run of
kanji or katakana as one word, so that a reader's term is found as typed.

Japanese has no spaces: the index holds the words a splitter finds, and the page's search box splits the query only
at spaces. Sphinx's TinySegmenter cuts compounds into parts (活性化関数 -> 活性 / 化 / 関数), so the term a reader
types, 活性化関数, 全結合層 or 損失関数, was in no page's index. Indexing each run of kanji or katakana as well
(and the parts, for partial queries) finds it. Used by book/_ext/edition.py (html_search_options) for language ja.
"""

import re

from sphinx.search.ja import DefaultSplitter

# Runs of kanji (with 々 and the kana-like ヶ) or of katakana (with the long-vowel mark), two characters or more.
RUN = re.compile(r"[一-龠々〆ヵヶ]{2,}|[ァ-ヴー]{2,}")


class RunsAndWords(DefaultSplitter):
    def split(self, input: str) -> list[str]:
        words = super().split(input)
        return words + RUN.findall(input)
