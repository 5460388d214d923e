"""Names as the store compares them: one folding rule for seats, parties and people, and the ONS code."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

APOSTROPHES = "'’‘`´ʼ′"
# Deleted rather than turned into a space, so "Queen's" == "Queens" and "Labour's" == "Labours".
_APOSTROPHE_RE = re.compile(f"[{APOSTROPHES}]")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")

# An ONS constituency code: E14000647 (England), S14…, W07…, N06…
ONS_ID = re.compile(r"^[ENSW]\d{8}$")


@lru_cache(maxsize=65_536)  # an import folds every candidate's name several times
def fold(text: str) -> str:
    """Comparison form of a name: ASCII lower-case words one space apart; accents, case, punctuation
    and apostrophes ignored, "&" read as "and". Two names that fold alike are the same to a reader."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = folded.replace("&", " and ")
    folded = _APOSTROPHE_RE.sub("", folded)
    return " ".join(_NON_ALNUM_RE.sub(" ", folded).split())


# Joining words the Library has written in lower case since 2024 ("Stoke-on-Trent", "Newcastle upon
# Tyne", "Isle of Wight", "Weston-super-Mare", "Na h-Eileanan an Iar"); its older files capitalise
# them ("Stoke-On-Trent"). "The" is left as given: the 2024 files themselves write "and The Wolds".
_JOINING_WORD = re.compile(r"(?<=[\s-])(On|Upon|Under|Of|An|Super)(?=[\s-])")


def house_style(seat_name: str) -> str:
    """A seat name as the Library now writes it: joining words after the first in lower case."""
    return _JOINING_WORD.sub(lambda found: found.group(0).lower(), seat_name)


class SeatSpellings:
    """One spelling for every seat that bears a name: the newest general election's, in house style.

    A seat redrawn in a boundary review keeps its name under a new ONS ID, and the Library's files
    of different years spell it differently ("Stoke-On-Trent Central" in 2010–2019, "Stoke-on-Trent
    Central" from 2024; "Birmingham, Edgbaston" then "Birmingham Edgbaston"). Names that fold alike are
    one seat to a reader, so each is shown one way everywhere.
    """

    def __init__(self) -> None:
        self._spelt: dict[str, tuple[dt.date | None, str]] = {}  # fold(name) -> (spelt at, spelling)

    def spell(self, name: str, general_election: dt.date | None = None) -> str:
        """The spelling of `name`, learning it as a general election of that date spelt it (None: a
        source that is no authority on spelling, which only names a seat not seen before)."""
        key = fold(name)
        known = self._spelt.get(key)
        if known is None or (general_election is not None and (known[0] is None or general_election >= known[0])):
            self._spelt[key] = (general_election, house_style(name))
        return self._spelt[key][1]
