"""Candidates by name: every contest a person stood in, for "where did Keir Starmer stand".

The index is read once from the store (like the seat `Directory` in `store.answers`) and kept until
results are entered. Names are compared by `store.names.fold`; a typo is forgiven only above a clear
score, and a text that fits several names is a question back, never a guess.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.elections import NOTIONAL
from store.models import Candidacy, Constituency, Contest, Election
from store.names import fold

#: A typed name must score at least this (rapidfuzz's ratio of the folded names, 0-100) to stand for a
#: candidate it does not spell exactly: "kier starmer" (92) fits, "keir smith" does not.
FUZZY_MIN_SCORE = 90.0
#: Names scoring within this of the best are all offered: the reader chooses, the bot does not guess.
FUZZY_TIE_MARGIN = 3.0
#: A person is named by at least this many words ("starmer" alone is not asked about here).
MIN_NAME_WORDS = 2
MAX_OFFERED = 8


@dataclass(frozen=True)
class Stand:
    """One candidacy of a person: the contest, and the name as that contest's file spells it."""

    contest_id: int
    candidate_name: str
    seat_name: str
    election_kind: str
    election_date: dt.date
    election_name: str


@dataclass
class People:
    """Every named candidate of every current (non-notional) contest, by folded name."""

    stands_by_key: dict[str, list[Stand]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> People:
        rows = session.execute(
            select(
                Contest.id,
                Candidacy.candidate_name,
                Constituency.name,
                Election.kind,
                Election.date,
                Election.name,
            )
            .join(Candidacy.contest)
            .join(Contest.constituency)
            .join(Contest.election)
            .where(Contest.is_current.is_(True), Candidacy.candidate_name.is_not(None), Election.kind != NOTIONAL)
            .order_by(Election.date, Contest.id)
        ).all()
        return cls.from_stands(
            Stand(contest_id, name or "", seat, kind, date, election)
            for contest_id, name, seat, kind, date, election in rows
        )

    @classmethod
    def from_stands(cls, stands: Iterable[Stand]) -> People:
        grouped: dict[str, list[Stand]] = defaultdict(list)
        for stand in stands:
            key = fold(stand.candidate_name)
            if key:
                grouped[key].append(stand)
        return cls(dict(grouped))

    def find(self, text: str) -> list[str]:
        """The folded names `text` means: its exact fold, else the names close enough to it, best first
        (empty when none is: the caller then treats the text as it did before)."""
        key = fold(text[:200])
        if key in self.stands_by_key:
            return [key]
        if len(key.split()) < MIN_NAME_WORDS:
            return []
        found = process.extract(
            key, self.stands_by_key.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE, limit=MAX_OFFERED
        )
        if not found:
            return []
        best = found[0][1]
        return [name for name, score, _ in found if score >= best - FUZZY_TIE_MARGIN]

    def stands(self, key: str) -> list[Stand]:
        return self.stands_by_key.get(key, [])

    def display_name(self, key: str) -> str:
        """The name as the latest contest spelt it."""
        stands = self.stands(key)
        return stands[-1].candidate_name if stands else key
