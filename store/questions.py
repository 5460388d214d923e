"""Turn what a reporter types in a mention or DM into a :class:`Question` the reply code can act on.

Pure: no database, no Slack client, no I/O. :func:`parse_question` never raises.

How a text is read, in this order (the first rule that applies wins):

1. **Clean-up.** Slack markup goes (user mentions, channel refs, ``<!here>``; a link becomes its
   label), Slack's HTML escapes are undone, formatting marks, emoji shortcodes and control
   characters become spaces, and greetings/politeness ("hey", "can you tell me", "please",
   "thanks") are stripped from either end. Years and election kinds ("2019", "by-election",
   "general election", "GE") are taken out and remembered, so the rules below never see them.
2. **help** – nothing left, or a help phrase ("help", "what can you do").
3. **unknown** – an obviously off-topic word or phrase (weather, joke, "what time"...).
4. **ranking** – a ranking word next to "turnout" or "majority" ("lowest turnout", "where was turnout
   highest", "biggest majorities", "smallest majority", "safest seats"; "by votes" ranks majorities in
   votes rather than share), with any "top N" and "in NATION/REGION". Read before any seat rule, so
   "lowest turnout" is never Lowestoft.
   **closest** – "closest", "most marginal", "marginals", "tightest"...
   **election** (a general election as a whole; not for by-elections) – **parties**: "state of the
   parties", "national vote share"; **seats**: "how many seats did PARTY win", "PARTY seats";
   **election_winner**: "who won" with a year, an election word or a nation/region ("who won the
   election", "who won in 2019", "who won in Scotland").
5. **party** – a *party pattern* whose party part is a known party: "how did X do in SEAT",
   "X vote/share/votes in SEAT", "how many votes did X get in SEAT", "X in SEAT". This is the only
   place a party word is read as a party, so "Bethnal Green and Bow" stays a seat. Without a seat
   ("how did the SNP do in 2024"), or with a nation or region in its place ("... in Scotland",
   ``scope``), it asks about the party across the election.
6. **by_elections** – by-elections and nothing else but list words, a year or a Parliament ("by-elections
   in 2021", "by-elections 2019-2024 parliament", "this parliament", "since 2019"); "hartlepool
   by-election" names a seat, so it is not one.
   **gains / losses / holds** – "gains", "losses"/"lost", "holds"/"held", or "changing hands" (every
   gain): the party is the first party named, or the one after "by"; one after "from" (gains) or "to"
   (losses) is ``other_party``; "in NATION/REGION" is the ``scope``. "did Labour gain Hartlepool", "who
   lost Copeland" name a seat, so they are **winner** questions instead.
7. **majority / turnout / winner / result** – a keyword ("majority", "turnout", "won", "MP for",
   "result"...); the seat is what is left either side of it once question words, connectors and
   a leading party name ("Labour majority in ...") are trimmed from the edges.
8. **Fallback.** A short text (≤ :data:`MAX_FALLBACK_WORDS` words) that does not open like a
   question is taken to be a seat name: **result**. Anything else is **unknown**. A text that is
   not a seat still reaches the store as a lookup; the caller then says what the bot can answer.

Seat intents (result, winner, majority, turnout, party) carry ``seat_query``: the seat words as
typed, then the year and kind in a canonical form ("hartlepool 2021 by-election"), which is what
``ResultsService.ask`` parses. It is None when no seat was named ("who won in 2019"), and the
intent is "unknown" when the would-be seat is longer than :data:`MAX_SEAT_QUERY_CHARS`.
``scope`` is a nation or region as typed, for the reply to resolve against the election's data;
``measure`` and ``order`` say what a ranking ranks by and which end comes first; ``other_party``,
``parliament`` and ``since`` narrow a list.
``year`` and ``kind`` are filled for every intent that mentions them. ``kind`` is "general" or
"by-election" when the text says so; for closest/gains a bare "election" also means general,
because a list of seats comes from a general election.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from store.elections import BY_ELECTION, GENERAL, kind_words
from store.lookup import NOT_AFTER, NOT_BEFORE, Filters, take_filters
from store.names import APOSTROPHES as _APOSTROPHES
from store.names import fold as _fold
from store.parties import PARTIES, PARTY_ALIASES
from store.scoreboard import find_nation

__all__ = [
    "INTENTS",
    "MAX_FALLBACK_WORDS",
    "MAX_LIMIT",
    "MAX_SEAT_QUERY_CHARS",
    "PARTIES",
    "PARTY_ALIASES",
    "Question",
    "clean_text",
    "parse_question",
    "resolve_party",
]

logger = logging.getLogger(__name__)

INTENTS = frozenset(
    {
        "result", "winner", "majority", "turnout", "party", "closest", "gains", "help", "unknown",
        "seats", "election_winner", "parties", "ranking", "person", "mp", "standing", "losses", "holds",
        "by_elections",
    }
)  # fmt: skip
#: What a "ranking" question ranks seats by, and which end of the list it wants.
RANKING_MEASURES = frozenset({"turnout", "majority", "majority_votes"})
LOWEST, HIGHEST = "lowest", "highest"

#: Slack allows 40k characters; nobody asks about a seat in more than a few hundred, and capping
#: first keeps every regex below cheap however hostile the input.
MAX_RAW_CHARS = 4000
#: A cleaned question longer than this is a pasted document, not a question.
MAX_TEXT_CHARS = 300
#: The longest constituency name is ~45 characters; this leaves room for year/kind words.
MAX_SEAT_QUERY_CHARS = 200
#: A bare text of more words than this is a sentence, not a seat (the longest name has 7 words).
MAX_FALLBACK_WORDS = 10
#: There are 650 seats, so no list can be longer.
MAX_LIMIT = 650


@dataclass(frozen=True)
class Question:
    intent: str  # one of INTENTS
    seat_query: str | None = None  # for ResultsService.ask: seat words, then year and kind; None if no seat named
    party: str | None = None  # canonical abbreviation ("Con", "LD", "RUK"...), for "party" and "gains"
    year: int | None = None
    kind: str | None = None  # "general" or "by-election"
    limit: int | None = None  # "top 5 closest" -> 5
    measure: str | None = None  # for "ranking": one of RANKING_MEASURES
    order: str | None = None  # for "ranking": LOWEST or HIGHEST first
    # For the election-wide intents (seats, election_winner, parties, ranking, and party without a
    # seat): a nation or region as typed ("scotland", "north east"), for the reply to resolve.
    scope: str | None = None
    # For "person" ("where did Nigel Farage stand"): the name as typed.
    person: str | None = None
    # For "gains" and "losses": the party on the other side ("Lab gains from Con": "Con"; "Con losses to
    # LD": "LD"), canonical like ``party``.
    other_party: str | None = None
    # For "by_elections": the Parliament, by the year of the general election that elected it; or the year
    # they are listed since ("by-elections since 2019": every one after that year's general election).
    parliament: int | None = None
    since: int | None = None


_HELP = Question("help")
_UNKNOWN = Question("unknown")

# --- parties --------------------------------------------------------------------------------


# Typo tolerance only for long names: short ones ("con", "lab") are too close to ordinary words.
_FUZZY_MIN_LEN = 6
_FUZZY_MIN_SCORE = 88.0
_FUZZY_KEYS = [key for key in PARTY_ALIASES if len(key) >= _FUZZY_MIN_LEN]
_MAX_PARTY_WORDS = max(len(key.split()) for key in PARTY_ALIASES)
_PARTY_SUFFIXES = ("party", "parties", "candidate", "candidates", "mp", "mps")
_ARTICLES = ("the", "a", "an")


def resolve_party(text: str, *, fuzzy: bool = True) -> str | None:
    """The canonical abbreviation ``text`` names as a whole ("the Lib Dems" -> "LD"), else None.

    The whole text must be a party name, so "labourers" or "Congleton" never are. With ``fuzzy``,
    a small typo in a long name ("conservaitve") is tolerated; callers that are only guessing
    whether some words are a party turn it off, since "Wells Labour" is close to "Welsh Labour".
    """
    words = _fold(text[:200]).split()
    while words and words[0] in _ARTICLES:
        words = words[1:]
    while words:
        key = " ".join(words)
        found = PARTY_ALIASES.get(key)
        if found is None and len(key) > 3 and key.endswith("s"):
            found = PARTY_ALIASES.get(key[:-1])  # possessive once the apostrophe is gone: "labours"
        if found is not None:
            return found
        if words[-1] not in _PARTY_SUFFIXES:
            break
        words = words[:-1]
    if not words:
        return None
    key = " ".join(words)
    if not fuzzy or len(key) < _FUZZY_MIN_LEN:
        return None
    best = process.extractOne(key, _FUZZY_KEYS, scorer=fuzz.ratio, score_cutoff=_FUZZY_MIN_SCORE)
    return PARTY_ALIASES[best[0]] if best else None


def _parties_in(words: list[str]) -> list[tuple[int, str]]:
    """(position, abbreviation) of every party named in folded ``words``, longest names first."""
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(words):
        for size in range(min(_MAX_PARTY_WORDS, len(words) - i), 0, -1):
            abbreviation = PARTY_ALIASES.get(" ".join(words[i : i + size]))
            if abbreviation is not None:
                found.append((i, abbreviation))
                i += size
                break
        else:
            i += 1
    return found


# --- clean-up ---------------------------------------------------------------------------------

# [^<>] rather than [^>]: a run of "<" without ">" must not make each match scan to the end.
_SLACK_USER = re.compile(r"<@[^<>]*>")
_SLACK_CHANNEL = re.compile(r"<#[^<>]*>")
_SLACK_SPECIAL = re.compile(r"<![^<>]*>")  # <!here>, <!channel>, <!subteam^...|@team>, <!date...>
_SLACK_LABELLED = re.compile(r"<[^<>|]*\|([^<>]*)>")
_SLACK_BARE = re.compile(r"<[^<>]*>")
_SLACK_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITY_CHARS = {"amp": "&", "lt": "<", "gt": ">"}
_EMOJI_CODE = re.compile(r":[a-z0-9_+'-]+:", re.IGNORECASE)
_FORMATTING = re.compile(r"[*_~`]+")
_QUOTE_MARKER = re.compile(r"(?m)^\s*>+")
_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """``text`` without Slack markup, escapes, formatting or control characters, on one line."""
    text = text[:MAX_RAW_CHARS]
    text = _SLACK_USER.sub(" ", text)
    text = _SLACK_CHANNEL.sub(" ", text)
    text = _SLACK_SPECIAL.sub(" ", text)
    text = _SLACK_LABELLED.sub(r" \1 ", text)
    text = _SLACK_BARE.sub(" ", text)
    # One pass, so an escaped escape ("&amp;lt;") stays the literal text the user typed.
    text = _SLACK_ENTITY.sub(lambda m: _ENTITY_CHARS[m.group(1)], text)
    text = _QUOTE_MARKER.sub(" ", text)
    text = _EMOJI_CODE.sub(" ", text)
    text = _FORMATTING.sub(" ", text)
    chars = []
    for ch in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(ch)
        if category == "Cc":
            chars.append(" ")
        elif category[0] == "C":  # zero-width joiners, soft hyphens, surrogates, unassigned
            continue
        elif ch in _APOSTROPHES:
            chars.append("'")
        else:
            chars.append(ch)
    return _SPACES.sub(" ", "".join(chars)).strip()


def _words_re(words: Iterable[str]) -> str:
    # Longest first so "thank you" is tried before "thank".
    return "|".join(sorted(words, key=len, reverse=True))


_LEAD_FILLER = re.compile(
    r"^(?:(?:"
    + _words_re(
        [
            r"@[\w.-]+", "hey", "hi", "hiya", "hello", "yo", "oi", "howdy", "morning", "afternoon", "evening",
            r"good\s+(?:morning|afternoon|evening)", "ok", "okay", "so", "and", "also", "right", "well", "just",
            "um+", "u+m+", "e+r+m*", "hm+", "please", "pls", "plz", "bot", "resultsbot", r"results\s*bot",
            r"quick\s+(?:one|question|q)", "question", r"(?:can|could|would|will)\s+(?:you|u|ya)",
            r"tell\s+(?:me|us)(?:\s+about)?", r"let\s+(?:me|us)\s+know", r"show(?:\s+(?:me|us))?",
            r"give\s+(?:me|us)", r"get\s+(?:me|us)", r"do\s+(?:you|u)\s+know", r"does\s+any\s*(?:one|body)\s+know",
            r"any\s*(?:one|body)\s+know", r"any\s+idea", r"i\s+(?:want|need|would\s+like)\s+to\s+know",
            r"i'?d\s+like\s+to\s+know", r"i\s+(?:want|need|would\s+like)", r"i'?d\s+like", r"what\s+about",
            r"how\s+about", r"look\s+up", "lookup", "find", "check", r"remind\s+(?:me|us)(?:\s+of)?",
            "in", "at", "for", "on", "during",
        ]
    )
    + r")\b[\s,;:.!-]*)+",
    re.IGNORECASE,
)  # fmt: skip
_TRAIL_FILLER = re.compile(
    r"(?:(?:^|[\s,;:.!?-])(?:"
    + _words_re(
        [
            "please", "pls", "plz", "thanks", r"thank\s+(?:you|u)", "thx", "ty", "cheers", "ta", "mate", "bot",
            r"for\s+(?:me|us)", "again", "then", "now", "quickly", "asap", "like",
            r"if\s+(?:you\s+)?(?:can|could|possible|poss)", "in", "at", "for", "on", "of", "during", "from", "the",
        ]
    )
    + r")[\s,;:.!?-]*)+$",
    re.IGNORECASE,
)  # fmt: skip
_EDGE_LEFT = re.compile(r"^[^\w(]+")
_EDGE_RIGHT = re.compile(r"[^\w)]+$")


def _trim_edges(text: str) -> str:
    text = _EDGE_LEFT.sub("", text)
    text = _EDGE_RIGHT.sub("", text)
    if text.endswith(")") and "(" not in text:
        text = _EDGE_RIGHT.sub("", text[:-1])
    if text.startswith("(") and ")" not in text:
        text = _EDGE_LEFT.sub("", text[1:])
    return text


def _strip_filler(text: str) -> str:
    previous = None
    while text != previous:
        previous = text
        text = _trim_edges(text)
        text = _LEAD_FILLER.sub("", text)
        text = _TRAIL_FILLER.sub("", text)
    return text


# --- year and kind ------------------------------------------------------------------------------

# The same spellings store.lookup.parse_query accepts (its patterns), so nothing it would read as a
# filter is left in the seat words and nothing it would not is taken out.
_ELECTION_RE = re.compile(rf"{NOT_BEFORE}elections?{NOT_AFTER}", re.IGNORECASE)


# --- intents ------------------------------------------------------------------------------------

_HELP_RE = re.compile(
    r"(?:help\b.*|h|\?+|commands?|usage|menu|options|about|info|instructions|examples?|start"
    r"|what\s+(?:can|could)\s+(?:you|u|i)\s+(?:do|ask|tell)\b.*|what\s+do\s+you\s+do"
    r"|what\s+(?:are|do)\s+you\s+(?:for|know)|what\s+are\s+you|who\s+are\s+you|what\s+is\s+this"
    r"|how\s+do\s+(?:i|you|we)\s+(?:use|work|ask)\b.*|how\s+does\s+(?:this|it)\s+work)",
    re.IGNORECASE,
)
# Off-topic wording; none of it occurs in a constituency name (the tests check every bundled name).
_OFF_TOPIC_RE = re.compile(
    r"\b(?:weather|forecast|temperature|raining|snowing|jokes?|riddles?|poems?|songs?|lyrics|recipes?"
    r"|football|soccer|cricket|tennis|golf|premier\s+league|bitcoin|crypto|horoscopes?|lottery|traffic"
    r"|lunch|dinner|breakfast|coffee|movies?|films?|meaning\s+of\s+life|what\s+time|the\s+time"
    r"|time\s+is\s+it|what\s+day|what\s+date|today'?s\s+date|translate|stock\s+market|share\s+price"
    r"|capital\s+of)\b",
    re.IGNORECASE,
)
_CLOSEST_RE = re.compile(
    r"\b(?:closest|close[\s-]+(?:results|races|contests|seats|fights|calls)|most\s+marginal|marginals"
    r"|marginal\s+(?:seats|constituencies|results)|tightest|narrowest|(?:smallest|lowest)\s+majorit(?:y|ies))\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
_NUMBER = rf"(\d{{1,3}}|{_words_re(_NUMBER_WORDS)})"
_RANKED = (
    r"(?:closest|close|tightest|narrowest|most|smallest|lowest|marginals?|highest|biggest|largest|greatest|safest"
    r"|least)"
)
_LIMIT_RES = (
    re.compile(rf"\btop\s+(?:a\s+)?{_NUMBER}\b", re.IGNORECASE),
    re.compile(rf"\b{_NUMBER}\s+(?:of\s+the\s+)?{_RANKED}\b", re.IGNORECASE),
    re.compile(rf"\b{_RANKED}\s+{_NUMBER}\b", re.IGNORECASE),
)


def _limit(text: str) -> int | None:
    for regex in _LIMIT_RES:
        m = regex.search(text)
        if m:
            word = m.group(1).casefold()
            number = int(word) if word.isdigit() else _NUMBER_WORDS[word]
            return min(number, MAX_LIMIT) if number > 0 else None
    return None


# Words that frame a seat name in a question. Stripped only at the edges of what is left around
# a keyword, so they may occur inside a name ("Isle of Wight", "Bridlington and The Wolds").
_QUESTION_EDGE = _words_re(
    [
        r"what'?s?", r"who'?s?", "which", "when", "where", "why", r"how'?s?",
        r"how\s+(?:big|large|high|low|close|much|many|good|bad|tight)",
        "was", "were", "is", "are", "be", "been", "did", "does", "do", "has", "had", "have", "will", "would",
        "the", "a", "an", "in", "at", "for", "of", "on", "from", "during", "it", "there", "and", "party",
        "candidate", "vote", "votes", "voting", "poll", "race", "contest", "seat", "constituency", "like", "by",
        "mp", "mps", "most",
    ]
)  # fmt: skip
_QUESTION_LEAD = re.compile(rf"^(?:(?:{_QUESTION_EDGE})\b[\W_]*)+", re.IGNORECASE)
_QUESTION_TAIL = re.compile(rf"(?:(?:^|[\W_])(?:{_QUESTION_EDGE})[\W_]*)+$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|s')$", re.IGNORECASE)
_PARTY_THEN_PLACE = re.compile(r"^(.+?)\s+(?:in|at|for)\s+(.+)$", re.IGNORECASE)


def _tidy_seat(fragment: str, *, keep_lead: bool = False) -> str:
    """``fragment`` without question words, connectors or a possessive at its edges.

    ``keep_lead`` keeps words at the start that only frame a name inside a question, so a bare
    "The Wrekin" is passed on as typed.
    """
    previous = None
    text = fragment
    while text != previous:
        previous = text
        text = _strip_filler(text)
        if not keep_lead:
            text = _QUESTION_LEAD.sub("", text)
        text = _QUESTION_TAIL.sub("", text)
        text = _POSSESSIVE.sub("", text)
    # "the majority for Labour in Copeland": the party is not part of the seat.
    m = _PARTY_THEN_PLACE.match(text)
    if m and resolve_party(m.group(1), fuzzy=False):
        text = _tidy_seat(m.group(2))
    return _SPACES.sub(" ", text).strip()


_SEAT_KEYWORDS_RE = re.compile(
    r"\b(?:"
    r"(?P<majority>(?:winning\s+)?majorit(?:y|ies)|how\s+close\s+(?:was|is|were)(?:\s+it)?"
    r"|(?:winning\s+)?margin(?:\s+of\s+victory)?)"
    r"|(?P<turnout>turn[\s-]?out|how\s+many\s+(?:people\s+|voters\s+)?(?:voted|turned\s+out))"
    r"|(?P<winner>won|wins?|winners?|winning\s+(?:party|candidate)|victor|victorious|(?:got\s+|was\s+|were\s+)?elected"
    r"|(?:who|which\s+(?:party|candidate))\s+(?:took|takes|holds?|held)|topped\s+the\s+poll|came\s+(?:first|top)"
    r"|(?:sitting|current|new|local)\s+mp"
    r"|(?:the\s+)?mp\s+(?:for|of|in)|mps?|member\s+of\s+parliament)"
    r"|(?P<result>results?|outcome|what\s+happened|declar(?:ation|ed|e)|vote\s+shares?|share\s+of\s+the\s+vote"
    r"|votes|vote\s+count|candidates|breakdown|figures|numbers|swing|runners?[\s-]up"
    r"|came\s+(?:second|third|last)|second\s+place)"
    r")\b",
    re.IGNORECASE,
)
# Highest first: "who won and by what majority" is a majority question.
_SEAT_PRIORITY = ("majority", "turnout", "winner", "result")
_HOW_DID_SEAT_VOTE = re.compile(r"^how\s+did\s+(?P<seat>.+?)\s+vote$", re.IGNORECASE)
# A bare text opening like this is a question the bot has no pattern for, not a seat name.
_QUESTION_START = re.compile(
    r"^(?:what|whats|what's|who|whos|who's|why|when|where|which|how|hows|how's|can|could|would|should|is|are"
    r"|was|were|do|does|did|will|shall|may|might|has|have|explain|define|write|make|list|tell|give)\b",
    re.IGNORECASE,
)
_PRONOUNS = frozenset({"it", "they", "we", "you", "things", "everyone", "everybody", "people", "that", "this"})

_PARTY_VERBS = (
    r"(?:do|done|doing|did|get\s+on|got\s+on|getting\s+on|fare|fared|faring|perform|performed|performing"
    r"|poll|polled|go|gone|going|get|got)"
)
_HOW_DID_PARTY = re.compile(
    rf"^how\s+(?:did|does|do|has|have|is|are|was|were)\s+(?P<party>.+?)\s+{_PARTY_VERBS}"
    r"(?:\s+(?:in|at|for|on)\s+(?P<seat>.+))?$",
    re.IGNORECASE,
)
_PARTY_SHARE = re.compile(
    r"^(?P<pre>.+?)(?:'s|s')?\s+(?:share\s+of\s+(?:the\s+)?(?:vote|poll)|vote\s+shares?|shares?|votes?"
    r"|vote\s+count|tally|performance|percentage|per\s*cent|%|results?)(?:\s+(?:in|at|for|on)\s+(?P<seat>.+))?$",
    re.IGNORECASE,
)
_PARTY_GOT = re.compile(
    r"^(?:how\s+many\s+votes|what(?:\s+(?:share|percentage|vote\s+share|proportion|per\s*cent|%)"
    r"(?:\s+of\s+the\s+vote)?)?)\s+(?:did|does|has|have)\s+(?P<party>.+?)\s+"
    r"(?:get|got|gotten|win|won|receive|received|poll|polled|take|took|gain|gained|have)"
    r"(?:\s+(?:in|at|for)\s+(?P<seat>.+))?$",
    re.IGNORECASE,
)
_PARTY_IN = re.compile(r"^(?P<party>.+?)\s+(?:in|at)\s+(?P<seat>.+)$", re.IGNORECASE)
# "green" ends two real seat names ("Southgate and Wood Green"), so "... green vote" stays a seat.
_NOT_A_SUFFIX_PARTY = frozenset({"green"})

# Which list of seats a question asks for: the first of these words it uses decides.
_CHANGE_RE = re.compile(
    r"\b(?:(?P<gains>gain(?:s|ed|ing)?)|(?P<losses>loss(?:es)?|lost|los(?:e|es|ing))"
    r"|(?P<holds>holds?|held|holding|retained|retains?|kept)"
    r"|(?P<hands>chang(?:ed|ing|es?)\s+hands|switched\s+(?:hands|sides|parties)|flipped))\b",
    re.IGNORECASE,
)
# "did Labour gain Hartlepool", "who lost Copeland", "did the SNP hold Dundee": a seat, so a winner question.
_CHANGED_SEAT = re.compile(
    r"^(?:did|has|have|who|which\s+(?:party|candidate))\b.*?"
    r"\b(?:gain(?:s|ed)?|los[et]|loses|holds?|held|kept|keep|retain(?:ed|s)?)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
# What list questions say besides the parties: "how many seats did they gain overall".
_GAIN_NOISE = frozenset(
    {
        "gain", "gains", "gained", "gaining", "seat", "seats", "constituencies", "constituency", "any", "many", "much",
        "most", "the", "all", "list", "show", "me", "us", "by", "for", "made", "make", "makes", "did", "do", "does",
        "has", "have", "had", "were", "was", "are", "is", "what", "which", "where", "who", "how", "their", "its", "net",
        "new", "so", "far", "in", "at", "of", "from", "on", "during", "total", "number", "a", "an", "overall", "party",
        "parties", "there", "biggest", "big", "overnight", "last", "night", "this", "year", "loss", "losses", "lost",
        "lose", "loses", "losing", "hold", "holds", "held", "holding", "retained", "retain", "retains", "kept", "keep",
        "changed", "changing", "change", "changes", "hands", "switched", "sides", "flipped", "to", "that", "every",
        "full", "whole",
    }
)  # fmt: skip
_CHANGE_INTENTS = {"gains": "gains", "losses": "losses", "holds": "holds", "hands": "gains"}

# A Parliament named by the general election that elected it: "the 2019-2024 parliament", "the 2019
# parliament", "the parliament elected in 2019", "this parliament".
_PARLIAMENT_RE = re.compile(
    r"\b(?:(?P<first>(?:19|20)\d{2})(?:\s*(?:-|–|—|to|/)\s*(?:(?:19|20)?\d{2}))?\s+parliament"
    r"|parliament\s+(?:elected\s+)?(?:of|from|in|since)\s+(?P<of>(?:19|20)\d{2})"
    r"|since\s+(?:the\s+)?(?P<since>(?:19|20)\d{2})(?:\s+general\s+election)?"
    r"|(?P<current>this|current|present|latest)\s+parliament)\b",
    re.IGNORECASE,
)
# What a request for a list of by-elections says besides the year or Parliament.
_BY_ELECTION_LIST_NOISE = frozenset(
    {
        "parliament", "recent", "latest", "held", "list", "lists", "when", "results", "result", "each",
        "every", "all", "the", "of", "in", "at", "during", "for", "on", "which", "what", "where", "how", "many", "were",
        "was", "there", "have", "has", "had", "been", "did", "happened", "show", "me", "us", "a", "an", "and", "so",
        "far", "this", "year", "s", "any", "number", "total", "full", "whole",
    }
)  # fmt: skip

# --- questions about a whole election --------------------------------------------------------------

# The regions of the Library's files (store.scoreboard reads the exact spelling from the data); a seat
# question whose "seat" is one of these, or a nation, asks about the election there instead.
_REGIONS = frozenset(
    {
        "east", "east of england", "east midlands", "london", "north east", "north west", "south east",
        "south west", "west midlands", "yorkshire and the humber", "yorkshire and humber",
    }
)  # fmt: skip


def _scope_of(text: str | None) -> str | None:
    """``text`` tidied, when it is a nation or a region ("scotland", "the north east"); else None."""
    if not text:
        return None
    words = _fold(_tidy_seat(text)).split()
    while words and words[0] in _ARTICLES:
        words = words[1:]
    scope = " ".join(words)
    if not scope:
        return None
    return scope if find_nation(scope) is not None or scope in _REGIONS or scope in {"uk", "gb"} else None


_IN_SCOPE = r"(?:\s+(?:in|across|for)\s+(?P<scope>.+))?"
# A ranking word next to "turnout" or "majority": never a seat ("lowest turnout" is not Lowestoft).
_TURNOUT_RANK_RE = re.compile(
    r"\b(?:(?P<low>lowest|smallest|worst|poorest|least)|(?P<high>highest|biggest|largest|best|greatest))"
    r"(?:\s+\w+){0,2}?\s+turn[\s-]?outs?\b"
    r"|\bturn[\s-]?outs?\s+(?:was\s+|is\s+|were\s+)?(?:the\s+)?(?:(?P<low2>lowest|worst)|(?P<high2>highest|best))\b",
    re.IGNORECASE,
)
_MAJORITY_RANK_RE = re.compile(
    r"\b(?:(?P<low>smallest|lowest|narrowest|slimmest|thinnest)|(?P<high>biggest|largest|highest|greatest|widest))"
    r"(?:\s+\w+){0,2}?\s+majorit(?:y|ies)\b"
    r"|\b(?P<safe>safest|safe)\s+(?:seats?|constituenc(?:y|ies))\b",
    re.IGNORECASE,
)
_IN_VOTES_RE = re.compile(r"\b(?:in|by)\s+(?:raw\s+|number\s+of\s+)?votes\b|\bvotes\s+majorit", re.IGNORECASE)
_SCOPE_AFTER_RE = re.compile(r"\b(?:in|across)\s+(?P<scope>.+)$", re.IGNORECASE)
_ELECTION_WINNER_RE = re.compile(
    rf"^(?:who|which\s+party)\s+(?:won|wins|win|has\s+won|is\s+winning|came\s+(?:first|top)){_IN_SCOPE}$",
    re.IGNORECASE,
)
_PARTIES_RE = re.compile(
    r"^(?:state\s+of\s+(?:the\s+)?parties|party\s+(?:standings|state|totals|positions)"
    r"|(?:national|overall|total|uk|nationwide|popular)\s+(?:vote\s+)?(?:shares?|votes?)"
    r"|(?:vote\s+)?shares?\s+by\s+party|seats\s+by\s+party|seat\s+totals?|(?:overall|national)\s+results?"
    rf"|how\s+(?:did|do|does)\s+(?:the\s+)?parties\s+(?:do|fare|perform)){_IN_SCOPE}$",
    re.IGNORECASE,
)
_HOW_MANY_SEATS_RE = re.compile(
    r"^(?:how\s+many\s+(?:seats|mps|constituencies)\s+(?:did|does|do|has|have|will|is|are)\s+(?P<party>.+?)"
    r"(?:\s+(?:win|won|get|got|take|took|hold|held|have|had|gain|gained|end\s+up\s+with))?"
    r"|(?P<party2>.+?)(?:'s|s')?\s+(?:seats|seat\s+(?:total|count|tally)|number\s+of\s+seats|mps)"
    rf"){_IN_SCOPE}$",
    re.IGNORECASE,
)


def _ranking_question(text: str, filters: Filters) -> Question | None:
    turnout = _TURNOUT_RANK_RE.search(text)
    majority = _MAJORITY_RANK_RE.search(text)
    m = turnout or majority
    if m is None:
        return None
    if turnout is not None:
        measure = "turnout"
        low = bool(turnout.group("low") or turnout.group("low2"))
    else:
        assert majority is not None
        measure = "majority_votes" if _IN_VOTES_RE.search(text) else "majority"
        low = bool(majority.group("low"))
    after = _SCOPE_AFTER_RE.search(text[m.end() :])
    scope = _tidy_seat(after.group("scope")) if after else None
    return Question(
        "ranking",
        year=filters.year,
        kind=_list_kind(filters) or (GENERAL if filters.kind is None else filters.kind),
        limit=_limit(text),
        measure=measure,
        order=LOWEST if low else HIGHEST,
        scope=scope or None,
    )


def _election_question(text: str, filters: Filters) -> Question | None:
    """Seats, the winner or the state of the parties at a whole general election, or None."""
    if filters.kind not in (None, GENERAL):
        return None
    m = _PARTIES_RE.match(text)
    if m:
        return Question("parties", year=filters.year, kind=GENERAL, scope=_scope(m.group("scope")))
    m = _HOW_MANY_SEATS_RE.match(text)
    if m:
        party_text = m.group("party") or m.group("party2")
        party = resolve_party(party_text) if party_text else None
        if party is not None:
            return Question("seats", party=party, year=filters.year, kind=GENERAL, scope=_scope(m.group("scope")))
        if m.group("party") and _fold(party_text) in {"each party", "the parties", "parties", "all parties"}:
            return Question("parties", year=filters.year, kind=GENERAL, scope=_scope(m.group("scope")))
        return None
    m = _ELECTION_WINNER_RE.match(text)
    if m and (filters.year is not None or filters.kind is not None or filters.extra or m.group("scope")):
        scope = m.group("scope")
        if scope and _scope_of(scope) is None:
            return None  # "who won in Hartlepool": a seat
        return Question("election_winner", year=filters.year, kind=GENERAL, scope=_scope(scope))
    return None


# --- people and seats' MPs --------------------------------------------------------------------------------

_MP_RE = re.compile(
    r"^(?:(?:who\s+(?:is|was)|who'?s|whos)\s+)?(?:the\s+)?(?:current\s+|sitting\s+|present\s+|local\s+)?"
    r"(?:mp|member\s+of\s+parliament)\s+(?:for|of|in)\s+(?P<seat>.+)$",
    re.IGNORECASE,
)
_STANDING_RE = re.compile(
    r"^(?:(?:who\s+(?:is|are|was|were)|who'?s|whos)\s+(?:standing|running)"
    r"|(?:the\s+|which\s+)?candidates\s+(?:standing|running))\s+(?:in|for|at)\s+(?P<seat>.+)$",
    re.IGNORECASE,
)
_PERSON_RE = re.compile(
    r"^where\s+(?:did|does|has|have|is|was)\s+(?P<name>.+?)\s+(?:stand|stood|standing|run|ran|running"
    r"|contest|contested)(?:\s+(?:for\s+)?(?:election|parliament))?$",
    re.IGNORECASE,
)
_WHO_IS_RE = re.compile(r"^(?:who\s+(?:is|was)|who'?s|whos)\s+(?P<name>.+)$", re.IGNORECASE)
#: A name of more words than this is not a person's.
MAX_PERSON_WORDS = 6


def _person_name(text: str) -> str | None:
    name = _tidy_seat(text, keep_lead=True)
    words = name.split()
    if not words or len(words) > MAX_PERSON_WORDS or name.casefold() in _PRONOUNS:
        return None
    return name


def _people_question(text: str, filters: Filters) -> Question | None:
    """Who a seat's MP is, who is standing in it, or where a person stood; else None."""
    m = _MP_RE.match(text)
    if m:
        return _seat_question("mp", m.group("seat"), filters)
    m = _STANDING_RE.match(text)
    if m:
        return _seat_question("standing", m.group("seat"), filters)
    m = _PERSON_RE.match(text)
    if m:
        name = _person_name(m.group("name"))
        if name is not None:
            return Question("person", person=name, year=filters.year, kind=filters.kind)
    return None


def _scope(text: str | None) -> str | None:
    if not text:
        return None
    return _tidy_seat(text) or None


def _with_filters(seat: str, year: int | None, kind: str | None) -> str:
    parts = [seat]
    if year is not None:
        parts.append(str(year))
    if kind is not None:
        parts.append(kind_words(kind))
    return " ".join(parts)


def _seat_question(
    intent: str, seat_text: str | None, filters: Filters, party: str | None = None, *, keep_lead: bool = False
) -> Question:
    seat = _tidy_seat(seat_text, keep_lead=keep_lead) if seat_text else ""
    if seat and seat.casefold() in _PRONOUNS:
        seat = ""
    query = _with_filters(seat, filters.year, filters.kind) if seat else None
    if query is not None and len(query) > MAX_SEAT_QUERY_CHARS:
        return _UNKNOWN
    return Question(intent, seat_query=query, party=party, year=filters.year, kind=filters.kind)


def _list_kind(filters: Filters) -> str | None:
    if filters.kind is None and filters.extra:
        return GENERAL
    return filters.kind


def _party_question(text: str, filters: Filters) -> Question | None:
    """A "party" question, or the seat question it turns out to be; None when ``text`` is neither."""
    m = _HOW_DID_PARTY.match(text)
    if m:
        party = resolve_party(m.group("party"))
        if party is not None:
            scope = _scope_of(m.group("seat"))
            if scope is not None:
                # "how did the SNP do in Scotland": the party across a nation or region, not a seat.
                return Question("party", party=party, year=filters.year, kind=filters.kind, scope=scope)
            return _seat_question("party", m.group("seat"), filters, party)
        # "how did it go in Copeland", "how did Jo Bloggs do in Copeland": the full result answers.
        subject = m.group("seat") or m.group("party")
        if _tidy_seat(subject).casefold() in _PRONOUNS:
            return None
        return _seat_question("result", subject, filters)

    m = _PARTY_GOT.match(text)
    if m:
        party = resolve_party(m.group("party"))
        if party is not None:
            return _seat_question("party", m.group("seat"), filters, party)
        if m.group("seat"):
            return _seat_question("result", m.group("seat"), filters)
        return None

    m = _PARTY_SHARE.match(text)
    if m:
        pre = _QUESTION_LEAD.sub("", m.group("pre"))
        # Without "in SEAT" the words before "vote" may be a seat ("Wells Labour" ~ "Welsh Labour").
        party = resolve_party(pre, fuzzy=m.group("seat") is not None)
        if party is not None:
            return _seat_question("party", m.group("seat"), filters, party)
        if not m.group("seat"):
            # "Copeland Labour vote": the party is the last few words.
            words = pre.split()
            for size in range(min(_MAX_PARTY_WORDS, len(words) - 1), 0, -1):
                tail = " ".join(words[-size:])
                if _fold(tail) in _NOT_A_SUFFIX_PARTY:
                    continue
                party = resolve_party(tail, fuzzy=False)
                if party is not None:
                    return _seat_question("party", " ".join(words[:-size]), filters, party)

    m = _PARTY_IN.match(text)
    if m:
        party = resolve_party(m.group("party"), fuzzy=False)
        if party is not None:
            return _seat_question("party", m.group("seat"), filters, party)
    return None


def _change_question(text: str, filters: Filters, which: str) -> Question:
    """Gains, losses or holds of a party (or every seat that changed hands), or the winner question
    it turns out to be when a seat is named ("did Labour gain Hartlepool")."""
    m = _CHANGED_SEAT.match(text)
    if m:
        rest = _tidy_seat(m.group("rest"))
        if any(word not in _GAIN_NOISE for word in _fold(rest).split()) and _scope_of(rest) is None:
            return _seat_question("winner", rest, filters)

    scope = None
    place = _SCOPE_AFTER_RE.search(text)
    while place is not None:
        scope = _scope_of(place.group("scope"))
        if scope is not None:
            text = text[: place.start()]
            break
        place = _SCOPE_AFTER_RE.search(text, place.start() + 1)

    words = _fold(text).split()
    found = _parties_in(words)

    def after(position: int, *markers: str) -> bool:
        before = words[max(0, position - 2) : position]
        return bool(before) and (before[-1] in markers or (len(before) == 2 and before[0] in markers))

    # "seats gained by Labour from the SNP": the subject follows "by"; the party after "from" lost (a gain)
    # or "to" won (a loss) the seat, so it is the other side.
    other_marker = "to" if which == "losses" else "from"
    by = [party for position, party in found if after(position, "by")]
    others = [party for position, party in found if after(position, other_marker)]
    subjects = [party for position, party in found if not after(position, "from", "to")]
    party = by[0] if by else subjects[0] if subjects else None
    if party is None and not found:
        residual = [w for w in words if w not in _GAIN_NOISE]
        if residual:
            party = resolve_party(" ".join(residual))
    other = next((p for p in others if p != party), None)
    return Question(
        which,
        party=party,
        year=filters.year,
        kind=_list_kind(filters),
        limit=_limit(text),
        scope=scope,
        other_party=other if which != "holds" else None,
    )


def _by_elections_question(text: str, cleaned: str, filters: Filters) -> Question | None:
    """The by-elections of a year or a Parliament, when ``text`` asks for nothing but them."""
    if filters.kind != BY_ELECTION:
        return None
    parliament = _PARLIAMENT_RE.search(cleaned)
    rest = _PARLIAMENT_RE.sub(" ", text)
    # The year was taken out of ``text`` with the other filters, which leaves "since" of "since 2019".
    allowed = _BY_ELECTION_LIST_NOISE | ({"since"} if parliament is not None else set())
    if any(word not in allowed for word in _fold(rest).split()):
        return None  # "hartlepool by-election": a seat
    if parliament is None:
        return Question("by_elections", year=filters.year, kind=BY_ELECTION)
    if parliament.group("since"):
        return Question("by_elections", kind=BY_ELECTION, since=int(parliament.group("since")))
    year = parliament.group("first") or parliament.group("of")
    return Question("by_elections", kind=BY_ELECTION, parliament=int(year) if year else None)


def _keyword_question(text: str, filters: Filters) -> Question | None:
    matches = list(_SEAT_KEYWORDS_RE.finditer(text))
    if not matches:
        return None
    said = {m.lastgroup for m in matches}
    intent = next(name for name in _SEAT_PRIORITY if name in said)
    segments: list[str] = []
    start = 0
    for m in matches:
        segments.append(text[start : m.start()])
        start = m.end()
    segments.append(text[start:])
    kept = []
    for segment in segments:
        seat = _tidy_seat(segment)
        # "Labour majority in Copeland": a party on its own next to the keyword is not the seat.
        if seat and resolve_party(seat, fuzzy=False) is None:
            kept.append(seat)
    return _seat_question(intent, " ".join(kept), filters)


def _parse(text: str) -> Question:
    cleaned = clean_text(text)
    if len(cleaned) > MAX_TEXT_CHARS:
        return _UNKNOWN
    cleaned = _strip_filler(cleaned)
    if not cleaned or _HELP_RE.fullmatch(cleaned):
        return _HELP
    if _OFF_TOPIC_RE.search(cleaned):
        return _UNKNOWN

    filters = take_filters(cleaned, _ELECTION_RE)
    rest = _strip_filler(filters.text)

    ranking = _ranking_question(rest, filters)
    if ranking is not None:
        return ranking

    if _CLOSEST_RE.search(rest):
        return Question("closest", year=filters.year, kind=_list_kind(filters), limit=_limit(rest))

    election_question = _election_question(rest, filters)
    if election_question is not None:
        return election_question

    people_question = _people_question(rest, filters)
    if people_question is not None:
        return people_question

    party_question = _party_question(rest, filters)
    if party_question is not None:
        return party_question

    by_elections = _by_elections_question(rest, cleaned, filters)
    if by_elections is not None:
        return by_elections

    change = _CHANGE_RE.search(rest)
    if change is not None and change.lastgroup is not None:
        return _change_question(rest, filters, _CHANGE_INTENTS[change.lastgroup])

    keyword_question = _keyword_question(rest, filters)
    if keyword_question is not None:
        return keyword_question

    m = _HOW_DID_SEAT_VOTE.match(rest)
    if m:
        return _seat_question("result", m.group("seat"), filters)
    m = _WHO_IS_RE.match(rest)
    if m:
        # "who is Keir Starmer": a person, or nothing the bot can answer.
        name = _person_name(m.group("name"))
        if name is None or len(name.split()) < 2:  # "who is winning": not a name
            return _UNKNOWN
        return Question("person", person=name, year=filters.year, kind=filters.kind)
    if _QUESTION_START.match(rest) or len(rest.split()) > MAX_FALLBACK_WORDS:
        return _UNKNOWN
    if not _tidy_seat(rest):
        # Only a year or kind ("2019 by-election"): a results question with no seat named.
        return _seat_question("result", None, filters) if filters.year or filters.kind else _HELP
    # A bare name is kept as typed ("The Wrekin"), less any trailing "seat", "vote" or "please". It may be
    # a candidate's name ("keir starmer"): the reply tries that when it names no seat exactly.
    return _seat_question("result", rest, filters, keep_lead=True)


def parse_question(text: str) -> Question:
    """What ``text`` (a mention or DM, Slack markup and all) asks. Never raises.

    See the module docstring for the rules. A None ``text`` (an event without one) asks for help.
    """
    if not isinstance(text, str):
        return _HELP
    try:
        return _parse(text)
    except Exception:  # a Slack handler must always be able to reply; the tests keep this path cold
        logger.exception("could not parse question %r", text[:200])
        return _UNKNOWN
