"""Characters that hide inside numbers: the Unicode format characters (category Cf: zero-width
space and joiners, direction marks and overrides, the soft hyphen, the byte-order mark...).

"7\\u200b00,000 troops" reads as one number only once they are gone. ``strip_hidden(text)``
removes them and keeps, for every character left, where it stood, so that offsets found in the
stripped text map back into the stored one (``Stripped.restore``). Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from claimtrack.transforms.model import Quantity

# Category Cf as of Unicode 15.1 (the running Python may know fewer: unassigned code points
# never occur in real text). tests/faults/test_hidden_characters.py checks it against unicodedata.
FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


@dataclass(frozen=True)
class Stripped:
    """``text`` without format characters; ``kept[i]`` is where its character ``i`` stood in
    the original."""

    text: str
    kept: tuple[int, ...]

    def start(self, offset: int) -> int:
        """The original offset of a start offset in ``text``."""
        return self.kept[offset] if offset < len(self.kept) else self.kept[-1] + 1 if self.kept else 0

    def end(self, offset: int) -> int:
        """The original offset of an end offset in ``text`` (just past its last character, so
        that format characters after it stay outside)."""
        return self.kept[offset - 1] + 1 if offset > 0 else self.start(0)

    def restore(self, q: Quantity) -> Quantity:
        """``q`` with its offsets in the original text."""
        number_end = self.end(q.number_end) if q.number_end >= 0 else q.number_end
        return replace(q, start=self.start(q.start), end=self.end(q.end), number_end=number_end)


def strip_hidden(text: str) -> Stripped | None:
    """``text`` without its format characters, or None when it holds none (the common case)."""
    if text.isascii() or FORMAT.search(text) is None:  # every format character lies above U+00AC
        return None
    kept: list[int] = []
    parts: list[str] = []
    position = 0
    for match in FORMAT.finditer(text):
        parts.append(text[position : match.start()])
        kept.extend(range(position, match.start()))
        position = match.end()
    parts.append(text[position:])
    kept.extend(range(position, len(text)))
    return Stripped("".join(parts), tuple(kept))
