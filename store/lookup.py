"""Turn what a reporter types into a constituency name (and election filter).

Pure module: no database, no I/O. Two entry points:

* :func:`parse_query` splits ``"Hartlepool 2021 by-election"`` into the seat
  text, a year and an election kind.
* :class:`SeatIndex` resolves that seat text against a fixed list of display
  names, tolerating punctuation, accents, abbreviations, prefixes and typos.

Matching is tiered, and the first tier that produces anything wins:

1. **Alias** – the normalised query equals a normalised alias key.
2. **Exact** – the query equals a name once both are normalised (case,
   accents, punctuation and spacing ignored, ``&`` = ``and``, ``Saint`` = ``St``,
   ``N``/``S``/``E``/``W``/``C`` = North/South/East/West/Central). Score 100.
3. **Scored** – every name gets ``max(token score, whole-string score)``:

   * the *token score* needs every query word to match a distinct word of the
     name exactly, as a prefix, or (for words of 4+ letters) within a small
     typo distance; it rewards whole-word hits, word order, matching the
     name's first word, and covering more of the name;
   * the *whole-string score* is ``rapidfuzz.fuzz.ratio`` of the normalised
     strings, counted only when it is at least :data:`WHOLE_MIN`.

   Matches are the names scoring at least :data:`MATCH_MIN` and within
   :data:`AMBIGUITY_GAP` points of the best one. A single survivor (or several
   display names that normalise identically) is :attr:`LookupResult.unique`;
   anything else is ambiguous.

When nothing matches, :attr:`LookupResult.suggestions` holds up to five
loosely similar names for a "did you mean" reply.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz import fuzz, process

from store.names import fold

__all__ = [
    "AMBIGUITY_GAP",
    "BY_ELECTION_RE",
    "GENERAL_RE",
    "NOT_AFTER",
    "NOT_BEFORE",
    "YEAR_RE",
    "Filters",
    "take_filters",
    "LookupResult",
    "MATCH_MIN",
    "Match",
    "ParsedQuery",
    "SeatIndex",
    "WHOLE_MIN",
    "normalise",
    "parse_query",
]

# --- tuning -----------------------------------------------------------------

#: Names scoring within this many points of the best are reported together.
#: It is larger than the first-word bonus (so "gorton" still offers both
#: "Gorton and Denton" and "Manchester, Gorton") and smaller than the word-order
#: plus first-word bonuses (so "stoke n" does not drag in "Hackney North and
#: Stoke Newington").
AMBIGUITY_GAP = 6.0

#: Least score that counts as a match at all. Every single-word prefix query
#: clears it (their minimum is ~82); one wrong letter in a short word does
#: not, so "walton" offers Halton as a suggestion instead of asserting it.
MATCH_MIN = 80.0

#: Whole-string similarity needed before a typo'd query counts as a match.
#: Below ~85 unrelated short names start to look alike ("stoke" vs "stone").
WHOLE_MIN = 85.0

#: Per-word similarity needed for a typo'd word to stand in for a name word.
#: 80 admits one slip in a 5-letter word but not in a 4-letter one.
TOKEN_MIN = 80.0

#: Typo tolerance on words shorter than this invites nonsense matches.
FUZZY_TOKEN_MIN_LEN = 4

#: Loose cut-off for "did you mean" suggestions.
SUGGEST_MIN = 45.0
SUGGEST_LIMIT = 5

#: No constituency name is anywhere near this long (the longest is ~45
#: characters); capping keeps pathological input from making rapidfuzz slow.
MAX_QUERY_CHARS = 120
MAX_QUERY_TOKENS = 12

# Weights of the token score; they sum to 100 so a perfect word-for-word
# match of every significant word scores 100.
_W_BASE = 75.0  # mean per-word similarity
_W_WHOLE = 8.0  # share of query words that are whole name words, not prefixes
_W_ORDER = 7.0  # query words appear in the name's order
_W_ANCHOR = 4.0  # first query word hits the name's first significant word
_W_COVER = 6.0  # share of the name's letters the query accounts for

# --- normalisation ----------------------------------------------------------

# Single-letter compass/central abbreviations reporters use ("Stoke N").
_ABBREVIATIONS: dict[str, str] = {
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
    "c": "central",
    "ne": "north east",
    "nw": "north west",
    "se": "south east",
    "sw": "south west",
    "saint": "st",
}

# Joining words that people drop or swap ("Berwick on Tweed",
# "Hampstead Kilburn"). They are optional in queries and do not count towards
# how much of a name a query covers.
_NOISE_WORDS = frozenset({"and", "the", "of", "on", "upon", "under"})


def normalise(text: str) -> str:
    """Comparison form of a name or query: `names.fold`, with common abbreviations spelt out.

    Two display names with the same ``normalise`` value are the same seat as
    far as a reporter is concerned (e.g. "Brighton, Pavilion" and "Brighton
    Pavilion"); callers may use it to group results.
    """
    return " ".join(_ABBREVIATIONS.get(word, word) for word in fold(text).split())


def _compact(key: str) -> str:
    # Spacing is the least reliable thing people type ("westonsupermare").
    return key.replace(" ", "")


# --- query parsing ------------------------------------------------------------

LETTER = r"[^\W\d_]"
# A combining accent after a letter still belongs to the word.
NOT_BEFORE = rf"(?<!{LETTER})"
NOT_AFTER = rf"(?!{LETTER}|[\u0300-\u036f])"

YEAR_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")
BY_ELECTION_RE = re.compile(rf"{NOT_BEFORE}bye?[\s\-‐‑–—_]*elec(?:tions?)?{NOT_AFTER}", re.IGNORECASE)
GENERAL_RE = re.compile(
    rf"{NOT_BEFORE}(?:general(?:[\s\-‐‑–—_]+elections?)?|ge){NOT_AFTER}",
    re.IGNORECASE,
)

# Words that wrap a seat name in chat ("results for the Copeland seat"). Only
# stripped at the ends so "Isle of Wight" and "City of Chester" survive.
_FILLER = r"(?:the|results?|in|for|seat|constituency|elections?|of|at)"
_EDGE_PUNCT = " \t\r\n\f\v,;:!?.-‐‑–—/|\\"
_LEADING_FILLER_RE = re.compile(rf"^{_FILLER}{NOT_AFTER}", re.IGNORECASE)
_TRAILING_FILLER_RE = re.compile(rf"{NOT_BEFORE}{_FILLER}$", re.IGNORECASE)
_EMPTY_BRACKETS_RE = re.compile(r"\(\s*\)|\[\s*\]")
_SPACES_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class ParsedQuery:
    """A reporter's query split into the seat part and the election filter."""

    seat_text: str  # the query minus year/kind/filler words, as typed, trimmed
    year: int | None  # only four-digit years 1900-2099 ("'17" is not a year)
    kind: str | None  # "by-election", "general" or None


@dataclass(frozen=True)
class Filters:
    """A text with its year and election-kind words blanked out, and what they said."""

    text: str  # spaces collapsed, emptied brackets gone; otherwise as typed
    year: int | None  # the first year written
    kind: str | None  # "by-election" or "general": the first written
    extra: bool  # whether the caller's extra pattern matched (and was blanked too)


def take_filters(text: str, extra: re.Pattern[str] | None = None) -> Filters:
    """Year and kind words removed wherever they appear, so the seat query (here) and the question
    parser (store.questions, with "election" as `extra`) read them the same way."""
    spans: list[tuple[int, int]] = []
    year_matches = list(YEAR_RE.finditer(text))
    spans.extend(m.span() for m in year_matches)
    kinds: list[tuple[int, str]] = []
    for regex, kind in ((BY_ELECTION_RE, "by-election"), (GENERAL_RE, "general")):
        for m in regex.finditer(text):
            kinds.append((m.start(), kind))
            spans.append(m.span())
    extras = list(extra.finditer(text)) if extra is not None else []
    spans.extend(m.span() for m in extras)
    # Replace removed parts with a space so words either side do not fuse.
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    rest = _SPACES_RE.sub(" ", _EMPTY_BRACKETS_RE.sub(" ", "".join(chars))).strip()
    return Filters(
        rest,
        int(year_matches[0].group(1)) if year_matches else None,
        min(kinds)[1] if kinds else None,
        bool(extras),
    )


def parse_query(text: str) -> ParsedQuery:
    """Split ``text`` into seat text, year and election kind.

    Year and kind words are removed wherever they appear; filler words
    ("results for the ... seat") only at either end, so names containing
    "of"/"the" are left intact. If several years or kinds are given, the first
    one written wins. The seat text keeps the reporter's spelling, but runs of
    whitespace become one space and stray edge punctuation goes.
    """
    filters = take_filters(text)
    year, kind, seat = filters.year, filters.kind, filters.text

    previous = None
    while seat != previous:
        previous = seat
        seat = seat.strip(_EDGE_PUNCT)
        seat = _LEADING_FILLER_RE.sub("", seat)
        seat = _TRAILING_FILLER_RE.sub("", seat)
    return ParsedQuery(seat_text=seat, year=year, kind=kind)


# --- results --------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """One candidate seat."""

    name: str  # display name exactly as given to the index
    score: float  # 0..100, higher is better


@dataclass(frozen=True)
class LookupResult:
    """Outcome of :meth:`SeatIndex.find`."""

    matches: tuple[Match, ...]  # names that fit, best first; empty when none fits
    suggestions: tuple[Match, ...]  # only when matches is empty: up to 5 near misses
    # Set by SeatIndex.find when ``limit`` cut off other seats, so that a
    # limit of 1 cannot make an ambiguous query look certain.
    _cut_ambiguity: bool = field(default=False, kw_only=True, repr=False)

    @property
    def unique(self) -> Match | None:
        """The single confident match, or None when ambiguous or empty.

        Display names that normalise identically ("Brighton, Pavilion" and
        "Brighton Pavilion", from different boundary sets) are one seat to the
        reader, so when every match shares the first match's normalised name,
        the first is returned and the caller can fetch the rest by name.
        """
        if not self.matches or self._cut_ambiguity:
            return None
        first = _compact(normalise(self.matches[0].name))
        if all(_compact(normalise(m.name)) == first for m in self.matches[1:]):
            return self.matches[0]
        return None


# --- index ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Seat:
    name: str
    key: str
    compact: str
    tokens: tuple[str, ...]
    first_content: int  # index of the first non-noise token
    content_chars: int  # letters in non-noise tokens, the coverage denominator


@dataclass(frozen=True)
class _TokenHit:
    sim: float
    whole: bool


class SeatIndex:
    """Fuzzy lookup over a fixed list of constituency display names.

    Everything that depends only on the names is precomputed here so a
    :meth:`find` costs a handful of rapidfuzz calls plus work proportional to
    the few names that share a word with the query.
    """

    def __init__(self, names: Iterable[str], aliases: Mapping[str, str] | None = None) -> None:
        """Index ``names``; ``aliases`` maps extra texts to one of those names.

        Duplicate names are kept once, in first-seen order, which is also the
        tie-break order of equal scores. Names with no letters or digits are
        ignored because nothing could ever match them.

        Raises:
            ValueError: an alias points at a name not in ``names``, or an alias
                key has no letters or digits.
        """
        seats: list[_Seat] = []
        seen: set[str] = set()
        for name in names:
            key = normalise(name)
            if name in seen or not key:
                continue
            seen.add(name)
            tokens = tuple(key.split())
            content = [i for i, t in enumerate(tokens) if t not in _NOISE_WORDS]
            if not content:  # a name made only of joining words: treat all as content
                content = list(range(len(tokens)))
            seats.append(
                _Seat(
                    name=name,
                    key=key,
                    compact=_compact(key),
                    tokens=tokens,
                    first_content=content[0],
                    content_chars=sum(len(tokens[i]) for i in content),
                )
            )
        self._seats: tuple[_Seat, ...] = tuple(seats)
        self._keys: list[str] = [s.key for s in seats]
        self._compacts: list[str] = [s.compact for s in seats]

        self._by_compact: dict[str, list[int]] = {}
        for i, seat in enumerate(seats):
            self._by_compact.setdefault(seat.compact, []).append(i)

        self._by_token: dict[str, set[int]] = {}
        for i, seat in enumerate(seats):
            for token in seat.tokens:
                self._by_token.setdefault(token, set()).add(i)
        self._vocab: list[str] = sorted(self._by_token)
        self._fuzzy_cache: dict[int, tuple[list[str], list[tuple[str, ...]]]] = {}

        self._aliases: dict[str, int] = {}
        position = {s.name: i for i, s in enumerate(seats)}
        for alias, target in (aliases or {}).items():
            if target not in position:
                raise ValueError(f"alias {alias!r} points at unknown seat {target!r}")
            alias_key = _compact(normalise(alias))
            if not alias_key:
                raise ValueError(f"alias {alias!r} has no letters or digits")
            self._aliases[alias_key] = position[target]

    def __len__(self) -> int:
        return len(self._seats)

    @property
    def names(self) -> tuple[str, ...]:
        """Indexed display names in index order."""
        return tuple(s.name for s in self._seats)

    def find(self, seat_text: str, limit: int = 8) -> LookupResult:
        """Resolve ``seat_text`` (already stripped of year/kind words) to seats.

        At most ``limit`` matches are returned. Never raises on odd input;
        blank input gives an empty result.

        Raises:
            ValueError: ``limit`` is less than 1.
        """
        if limit < 1:
            raise ValueError("limit must be at least 1")
        # Cut before normalising too, so a pasted essay costs no more than a
        # sentence; the slack allows for punctuation that normalising drops.
        key = normalise(seat_text[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS].strip()
        if not key or not self._seats:
            return LookupResult(matches=(), suggestions=())
        compact = _compact(key)

        alias = self._aliases.get(compact)
        if alias is not None:
            return self._result([(alias, 100.0)], limit)

        exact = self._by_compact.get(compact)
        if exact:
            return self._result([(i, 100.0) for i in exact], limit)

        scores = self._token_scores(key.split()[:MAX_QUERY_TOKENS])
        # The whole-string comparison catches typos that break word boundaries
        # ("westonsuper mair"), hence also comparing with spaces removed.
        for whole_key, choices in ((key, self._keys), (compact, self._compacts)):
            for _, score, i in process.extract(
                whole_key, choices, scorer=fuzz.ratio, score_cutoff=WHOLE_MIN, limit=None
            ):
                if score > scores.get(i, 0.0):
                    scores[i] = score

        near_misses = scores
        scores = {i: s for i, s in scores.items() if s >= MATCH_MIN}
        if not scores:
            return LookupResult(matches=(), suggestions=self._suggest(key, near_misses))
        best = max(scores.values())
        kept = [(i, s) for i, s in scores.items() if s >= best - AMBIGUITY_GAP]
        return self._result(self._prefer_leading(kept, key.split()[0]), limit)

    # -- internals --------------------------------------------------------------

    def _prefer_leading(self, kept: list[tuple[int, float]], first_word: str) -> list[tuple[int, float]]:
        """When several seats begin with what was typed, those are the ones meant: "stoke" is the
        Stoke-on-Trent seats, not Filton and Bradley Stoke. With one such seat the others stay, so
        "gorton" still offers Gorton and Denton beside Manchester, Gorton."""
        leading = [
            (i, s) for i, s in kept if self._seats[i].tokens[self._seats[i].first_content].startswith(first_word)
        ]
        distinct = {self._seats[i].compact for i, _ in leading}
        return leading if len(distinct) >= 2 else kept

    def _result(self, scored: list[tuple[int, float]], limit: int) -> LookupResult:
        scored.sort(key=lambda item: (-item[1], item[0]))
        matches = tuple(
            Match(name=self._seats[i].name, score=round(min(max(s, 0.0), 100.0), 2)) for i, s in scored[:limit]
        )
        first = self._seats[scored[0][0]].compact
        cut = any(self._seats[i].compact != first for i, _ in scored[limit:])
        return LookupResult(matches=matches, suggestions=(), _cut_ambiguity=cut)

    def _suggest(self, key: str, near_misses: dict[int, float]) -> tuple[Match, ...]:
        """Up to five names for a "did you mean" reply.

        ``near_misses`` are token scores that fell short of MATCH_MIN; those
        names share every word of the query give or take a typo, so they are
        the best hints ("stke" -> Stoke-on-Trent). token_set_ratio tops the
        list up and shrugs off extra words ("bolsover district"); it is too
        loose for matching, and WRatio, though a little better, costs ~1.5 ms.
        """
        scores = dict(near_misses)
        for _, score, i in process.extract(
            key, self._keys, scorer=fuzz.token_set_ratio, score_cutoff=SUGGEST_MIN, limit=SUGGEST_LIMIT
        ):
            scores[i] = max(score, scores.get(i, 0.0))
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:SUGGEST_LIMIT]
        return tuple(Match(name=self._seats[i].name, score=round(s, 2)) for i, s in ranked)

    def _token_hits(self, word: str, alone: bool) -> dict[str, _TokenHit]:
        """Vocabulary words that ``word`` may stand for, with similarity.

        ``alone`` says ``word`` is the whole query, which makes a one-letter
        prefix too vague ("q" is not Queen's Park) although next to another
        word it is fine ("brighton k").
        """
        hits: dict[str, _TokenHit] = {}
        if word in self._by_token:
            hits[word] = _TokenHit(100.0, whole=True)
        if len(word) >= 2 or not alone:
            lo = bisect.bisect_left(self._vocab, word)
            hi = bisect.bisect_left(self._vocab, word + "\x7f")
            for token in self._vocab[lo:hi]:
                hits.setdefault(token, _TokenHit(100.0, whole=False))
        if len(word) >= FUZZY_TOKEN_MIN_LEN:
            choices, owners = self._fuzzy_choices(len(word))
            for _, sim, j in process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=TOKEN_MIN, limit=None):
                for token in owners[j]:
                    if token not in hits or hits[token].sim < sim:
                        hits[token] = _TokenHit(sim, whole=False)
        return hits

    def _fuzzy_choices(self, length: int) -> tuple[list[str], list[tuple[str, ...]]]:
        """Strings a typo'd word of ``length`` letters is compared with.

        Each vocabulary word contributes itself and its first ``length``
        letters: the latter lets a slip in a truncated word ("birmigh") still
        find "birmingham", since one typo against an equal-length prefix scores
        as well as against the whole word. Deduplicated and cached per length
        because it only depends on the names; two threads racing to fill the
        cache just build the same value twice.
        """
        cached = self._fuzzy_cache.get(length)
        if cached is None:
            owners: dict[str, list[str]] = {}
            for token in self._vocab:
                for text in {token, token[:length]}:
                    owners.setdefault(text, []).append(token)
            cached = (list(owners), [tuple(v) for v in owners.values()])
            self._fuzzy_cache[length] = cached
        return cached

    def _token_scores(self, words: list[str]) -> dict[int, float]:
        """Token score for every seat that has a counterpart for each query word."""
        # Joining words are optional: "berwick on tweed" must still find
        # "Berwick-upon-Tweed". A query of nothing but joining words keeps them.
        required = [w for w in words if w not in _NOISE_WORDS] or words

        required_hits: list[dict[str, _TokenHit]] = []
        candidates: set[int] | None = None
        for word in required:
            hits = self._token_hits(word, alone=len(required) == 1)
            seats: set[int] = set()
            for token in hits:
                seats |= self._by_token[token]
            candidates = seats if candidates is None else candidates & seats
            if not candidates:  # stop before paying for the remaining words
                return {}
            required_hits.append(hits)

        scores: dict[int, float] = {}
        for i in candidates or ():
            score = self._score_seat(self._seats[i], required, required_hits)
            if score is not None:
                scores[i] = score
        return scores

    @staticmethod
    def _score_seat(
        seat: _Seat,
        required: list[str],
        required_hits: list[dict[str, _TokenHit]],
    ) -> float | None:
        used: set[int] = set()
        positions: list[int] = []
        sims: list[float] = []
        wholes = 0
        covered = 0
        for word, hits in zip(required, required_hits, strict=True):
            # Greedy in query order: best similarity, a whole word over a mere
            # prefix, then the earliest position. An optimal assignment would
            # only differ when one query word is a prefix or near-copy of
            # another, which is not how people type seat names.
            best: tuple[float, bool, int] | None = None
            for pos, token in enumerate(seat.tokens):
                hit = hits.get(token)
                if hit is None or pos in used:
                    continue
                if best is None or (hit.sim, hit.whole) > best[:2]:
                    best = (hit.sim, hit.whole, pos)
            if best is None:
                return None
            sim, whole, pos = best
            token = seat.tokens[pos]
            used.add(pos)
            positions.append(pos)
            sims.append(sim)
            wholes += whole
            if token not in _NOISE_WORDS:
                covered += len(token) if whole else min(len(word), len(token))
        n = len(required)
        in_order = all(a < b for a, b in pairwise(positions))
        anchored = positions[0] == seat.first_content
        coverage = min(covered / seat.content_chars, 1.0) if seat.content_chars else 0.0
        return (
            _W_BASE * (sum(sims) / n) / 100.0
            + _W_WHOLE * wholes / n
            + _W_ORDER * in_order
            + _W_ANCHOR * anchored
            + _W_COVER * coverage
        )
