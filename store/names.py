"""Names as the store compares them: one folding rule for seats, parties and people, and the ONS code."""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "'’‘`´ʼ′"
# Deleted rather than turned into a space, so "Queen's" == "Queens" and "Labour's" == "Labours".
_APOSTROPHE_RE = re.compile(f"[{APOSTROPHES}]")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")

# An ONS constituency code: E14000647 (England), S14…, W07…, N06…
ONS_ID = re.compile(r"^[ENSW]\d{8}$")


def fold(text: str) -> str:
    """Comparison form of a name: ASCII lower-case words one space apart; accents, case, punctuation
    and apostrophes ignored, "&" read as "and". Two names that fold alike are the same to a reader."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = folded.replace("&", " and ")
    folded = _APOSTROPHE_RE.sub("", folded)
    return " ".join(_NON_ALNUM_RE.sub(" ", folded).split())
