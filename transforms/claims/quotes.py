"""Quotations in a document: which sentences lie in one, and which quote real speech.

``quote_groups`` groups the sentences of a quotation that runs over several sentences and
paragraphs (for ``attribution.attribute_sentences``: they share one speaker); ``speaks`` tells
a quotation from scare quotes around a word or four ("“honest”"). Pure.
"""

from __future__ import annotations

import re

OPEN_QUOTES = "“‘«"
QUOTE_CHARS = '“”"«»'
QUOTE_MARK = re.compile(f"[{QUOTE_CHARS}]")
SCARE_QUOTES = re.compile(r"[“\"‘]\S+(?:\s\S+){0,3}[”\"’]")  # “honest”: a word or four quoted, no speech


def quote_groups(texts: list[str], paragraphs: list[int]) -> list[int | None]:
    """For each sentence, the id of the quotation it lies (at least partly) in, or None.

    Consecutive quoted sentences of a paragraph ("“X,” he said. “Y.”") form one quotation.
    Curly quotes open and close; straight double quotes toggle. A paragraph break ends it,
    except the journalistic convention: a paragraph that ends inside a quote and a next
    paragraph that opens with a quote mark continue the same quotation.
    """
    groups: list[int | None] = []
    depth, paragraph, current, next_id = 0, None, None, 0
    for text, par in zip(texts, paragraphs):
        if par != paragraph:
            if not (depth > 0 and text.lstrip()[:1] in OPEN_QUOTES + '"'):
                current = None
            depth, paragraph = 0, par
        quoted = depth > 0 or any(c in text for c in QUOTE_CHARS)
        if not quoted:
            current = None
        elif current is None:
            current, next_id = next_id, next_id + 1
        depth = depth_after(text, depth)
        groups.append(current if quoted else None)
    return groups


def depth_after(text: str, depth: int) -> int:
    """Quote depth after reading ``text`` from ``depth``."""
    for char in QUOTE_MARK.findall(text):
        if char in "“«":
            depth += 1
        elif char in "”»":
            depth = max(0, depth - 1)
        elif char == '"':
            depth = 0 if depth else 1
    return depth


def speaks(text: str) -> bool:
    """True when ``text`` holds a quote mark once scare quotes (a word or four) are left out."""
    return bool(QUOTE_MARK.search(SCARE_QUOTES.sub("", text)))
