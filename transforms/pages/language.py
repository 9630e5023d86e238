"""The language of a text, detected offline with py3langid (langid.py's model, 97 languages).

``detect_language`` returns an ISO 639-1 code (``en``, ``de``, ``ru``...) or None when the text
has too few letters to tell; ``is_extracted`` says whether claim extraction reads a language
(English only: the extractor's rules are English). The model loads on first use (about 0.5 s), then one text takes
about 1 ms (its first ``SAMPLE`` characters are enough).
"""

from __future__ import annotations

SAMPLE = 3000  # characters classified: the start of a main text is enough and bounds the cost
MIN_LETTERS = 20  # fewer letters than this: no language is told
EXTRACTED = frozenset({"en"})  # the languages claim extraction's rules are written for


def is_extracted(language: str | None) -> bool:
    """Whether claims are extracted from a text in ``language`` (``EXTRACTED``; a text too short
    to tell, None, is read too)."""
    return language is None or language in EXTRACTED


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of the language ``text`` is written in, or None when it holds
    fewer than ``MIN_LETTERS`` letters."""
    sample = text[:SAMPLE]
    if sum(char.isalpha() for char in sample) < MIN_LETTERS:
        return None
    from py3langid import classify  # type: ignore[import-untyped]  # loads its model on first use

    language, _ = classify(sample)
    return str(language)
