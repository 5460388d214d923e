"""Party names as people write them, and the abbreviation the House of Commons Library uses.

One table for the question parser ("how did the lib dems do") and for entered results ("Green Party",
"lab"), so both read a party the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from store.names import fold

# Abbreviations as the House of Commons Library data spells them, so arithmetic.party_key and the
# candidate lines compare equal. Keys are written naturally and folded by fold when indexed.
PARTY_NAMES: dict[str, tuple[str, ...]] = {
    "Con": (
        "con", "cons", "conservative", "conservatives", "conservative party", "conservative and unionist",
        "conservative and unionist party", "tory", "tories", "tory party", "scottish conservatives",
        "scottish tories", "welsh conservatives", "welsh tories",
    ),
    "Lab": (
        "lab", "labour", "labour party", "labor", "labour and co-operative", "labour and co-operative party",
        "labour co-op", "labour and co-op", "lab co-op", "labcoop", "labour coop", "co-op", "scottish labour",
        "welsh labour",
    ),
    "LD": (
        "ld", "lds", "lib dem", "lib dems", "libdem", "libdems", "liberal democrat", "liberal democrats",
        "liberal democrat party", "liberal democratic party", "liberal", "liberals", "scottish lib dems",
        "scottish liberal democrats", "welsh lib dems", "welsh liberal democrats",
    ),
    "RUK": ("ruk", "reform", "reform uk", "reformuk", "reform party", "reform uk party"),
    "BRX": ("brx", "brexit", "brexit party", "the brexit party"),
    "Green": (
        "green", "greens", "green party", "grn", "scottish greens", "scottish green party",
        "green party of england and wales", "green party northern ireland",
    ),
    "SNP": ("snp", "scottish national party", "scottish nationalists", "nats"),
    "PC": ("pc", "plaid", "plaid cymru"),
    "UKIP": ("ukip", "uk independence party", "uk independence"),
    "DUP": ("dup", "democratic unionist", "democratic unionists", "democratic unionist party"),
    "SF": ("sf", "sinn fein", "sinn féin"),
    "SDLP": ("sdlp", "social democratic and labour party"),
    "UUP": ("uup", "ulster unionist", "ulster unionists", "ulster unionist party"),
    "APNI": ("apni", "alliance", "alliance party", "alliance party of northern ireland"),
    "WPB": ("wpb", "workers party", "workers party of britain"),
    "Ind": ("ind", "inds", "independent", "independents", "independent candidate", "independent candidates"),
    "Spk": ("spk", "speaker", "the speaker", "mr speaker"),
    # Smaller parties that stand widely enough for a newsroom to ask about.
    "SDP": ("sdp", "social democratic party", "social democrats"),
    "TUSC": ("tusc", "trade unionist and socialist coalition"),
    "Alba": ("alba", "alba party"),
    "TUV": ("tuv", "traditional unionist voice"),
    "AONT": ("aontu", "aontú"),
    "MRLP": ("mrlp", "loony", "loonies", "monster raving loony party", "official monster raving loony party"),
    "BNP": ("bnp", "british national party"),
    "ED": ("english democrats",),
    "Yrks": ("yorkshire party",),
    "HPUK": ("heritage party",),
    "REU": ("rejoin eu",),
    "WEP": ("womens equality party", "women's equality party"),
    "CPA": ("cpa", "christian peoples alliance"),
    # "liberal(s)" alone means the Lib Dems to almost everyone; only the full name is the Liberal Party.
    "Lib": ("liberal party",),
}  # fmt: skip

PARTY_ALIASES: Mapping[str, str] = MappingProxyType(
    {fold(alias): abbreviation for abbreviation, aliases in PARTY_NAMES.items() for alias in aliases}
)
PARTIES = frozenset(PARTY_NAMES)


def abbreviation_for(text: str) -> str | None:
    """The Library abbreviation a whole party name or alias stands for ("Green Party" -> "Green")."""
    return PARTY_ALIASES.get(fold(text))


# Abbreviations a results feed writes that nobody types in a question: kept out of PARTY_ALIASES,
# whose every key the question parser looks for among a question's words (a lone "c" is not a party
# there). Matched exactly, case and all, before the aliases above. PA writes "C" for Conservative.
FEED_ABBREVIATIONS: Mapping[str, str] = MappingProxyType({"C": "Con", "Lab Co-op": "Lab", "Speaker": "Spk"})


# Democracy Club's party IDs (the Electoral Commission's, prefixed) for the parties its candidates CSV
# most often names; any other party is read by its name through the aliases above.
DEMOCRACY_CLUB_PARTY_IDS: Mapping[str, str] = MappingProxyType(
    {"PP53": "Lab", "PP52": "Con", "PP90": "LD", "joint-party:53-119": "Lab", "ynmp-party:2": "Ind"}
)


def feed_abbreviation(text: str) -> str | None:
    """The Library abbreviation for a party as a results feed writes it ("C" -> "Con", "Lab Co-op"
    -> "Lab"), else None: the caller keeps the feed's own spelling for a party we do not know."""
    return FEED_ABBREVIATIONS.get(text.strip()) or abbreviation_for(text)
