"""The colour each party is drawn in: one table for every picture (result cards, scoreboards).

Keyed by the House of Commons Library abbreviations that `store.parties` names, so a party the parser
knows and a party the pictures colour are the same list. A party not listed is drawn in a neutral grey
rather than borrowing another party's colour.
"""

from __future__ import annotations

from store.arithmetic import party_key

# Each party's own colour, as the parties and the broadcasters use them.
PARTY_COLOURS: dict[str, str] = {
    "Con": "#0087DC",
    "Lab": "#E4003B",
    "LD": "#FAA61A",
    "RUK": "#12B6CF",
    "BRX": "#12B6CF",
    "Green": "#02A95B",
    "SNP": "#FDF38E",
    "PC": "#005B54",
    "UKIP": "#6D3177",
    "DUP": "#D46A4C",
    "SF": "#326760",
    "SDLP": "#2AA82C",
    "UUP": "#48A5EE",
    "APNI": "#F6CB2F",
    "WPB": "#A01F28",
    "Ind": "#A0A0A0",
    "Spk": "#404040",
    "SDP": "#004A77",
    "TUSC": "#EC008C",
    "Alba": "#005EB8",
    "TUV": "#0C3A6A",
    "AONT": "#44532A",
    "MRLP": "#FFF000",
    "BNP": "#2E3B74",
    "ED": "#915F6D",
    "Yrks": "#00AEEF",
    "HPUK": "#0D0080",
    "REU": "#003399",
    "WEP": "#7C3B92",
    "CPA": "#813887",
    "Lib": "#EB7A43",
}
OTHER_COLOUR = "#C8C8C8"


def colour_of(party: str) -> str:
    """The colour of a party as a candidate line or a scoreboard names it ("Lab Co-op" is Labour's)."""
    return PARTY_COLOURS.get(party) or PARTY_COLOURS.get(party_key(party)) or OTHER_COLOUR
