"""One party, one history: no party in the Library's files loses its share change and swing to a second
abbreviation. Every pair `store.party_audit` suspects is either folded in `arithmetic.PARTY_SUCCESSORS`
or explained below as two different parties."""

from __future__ import annotations

from fractions import Fraction

from store.party_audit import PartyPair, suspected_pairs
from tests.unit.library import library_contests, summary_of

# Pairs that look alike in the data but are two parties. Each says why; a pair the audit no longer
# finds must leave the list (see the second test), so the list only ever explains what is there.
DIFFERENT_PARTIES: dict[PartyPair, str] = {
    ("AGS", "Green"): "the Alliance for Green Socialism, a socialist party of its own; both stood in 2010",
    ("BNP", "ED"): "Ian Sutton left the BNP (Barnsley Central 2010) for the English Democrats (2015)",
    ("BRX", "UKIP"): "UKIP candidates who stood for the Brexit Party in 2019, a new party; both stood in 2019",
    ("CHP", "CPA"): "the Christian Party and the Christian Peoples Alliance; both stood in 2010 and since",
    ("CPA", "RFCS"): "John Allman stood for Restore the Family For Children's Sake (2015), then for the CPA (2017)",
    (
        "Cam",
        "Comm L",
    ): "'Campaign' (2015) shares a word with the Communist League Election Campaign; both stood in 2015",
    ("ED", "UKIP"): "Cliff Dixon left the English Democrats (Hayes and Harlington 2010) for UKIP (2015)",
    ("EI", "EIP"): "English Independence (PP4231, 2016) and the English Independence Party (PP5, 2010): two "
    "registrations six years apart with one candidate each; nothing in the files joins them",
    ("EI", "UKIP"): "an English independence party, not the UK Independence Party",
    ("Green", "ISGB"): "Independent Save Our Green Belt, a local campaign in Castle Point",
    ("ISP", "UKIP"): "the Independence for Scotland Party, not the UK Independence Party",
    ("LPUK", "UKIP"): "Glenville Gogerly left UKIP (Stroud 2017) for the Libertarian Party (2019)",
    (
        "Lab",
        "Spk",
    ): "Lindsay Hoyle, elected Speaker, stood as the Speaker in 2019; the Library counts it a Speaker's seat",
    ("MCCP", "MCP"): "the Magna Carta Conservation Party Great Britain (PP491) and the Magna Carta Party (PP863); "
    "both stood in 2010",
    ("NEP", "NEPF"): "the North East Party (PP2303) and the North of England Community Alliance (PP5297); "
    "both stood in 2017",
    ("OBP", "UKIP"): "Harjinder Singh left UKIP (Birmingham Perry Barr 2015) for the Open Borders Party (2017)",
    ("RUK", "TCRP"): "the Constitution and Reform Party, not Reform UK; both stood in 2019",
    ("S Alt", "TUSC"): "Socialist Alternative (PP108) and the Trade Unionist and Socialist Coalition (PP804), an "
    "electoral coalition of several groups; both stood in 2010",
    ("SDP", "UKIP"): "Ian McLean left UKIP (Cynon Valley 2017) for the SDP (2019)",
    ("SRef", "UKIP"): "Scotland's Independence Referendum Party, not the UK Independence Party",
    (
        "WPB",
        "WRP",
    ): "the Workers Party of Britain (2019) and the Workers Revolutionary Party (1973); both stood in 2024",
}


def test_no_party_goes_under_two_abbreviations_unexplained():
    found = suspected_pairs(library_contests())
    unexplained = [
        f"{pair}: {s.reason}; e.g. {s.example}" for pair, s in found.items() if pair not in DIFFERENT_PARTIES
    ]
    assert unexplained == [], "fold these in arithmetic.PARTY_SUCCESSORS or explain them:\n" + "\n".join(unexplained)


def test_every_explained_pair_is_still_in_the_data():
    stale = set(DIFFERENT_PARTIES) - set(suspected_pairs(library_contests()))
    assert stale == set()


def test_belfast_west_2024_people_before_profit_keeps_its_history():
    """Gerry Carroll stood for People Before Profit (PBPA); the 2019 notional result files the party's
    6,059 votes as PBP. The Library's 2024 file gives his change as -0.014223 (-1.4 points)."""
    summary = summary_of("Belfast West", "2024 general election")
    carroll = next(line for line in summary.candidates if line.party == "PBPA")
    assert carroll.votes == 5_048
    assert carroll.share_change == 100 * (Fraction(5_048, 39_743) - Fraction(6_059, 42_899))
    assert round(float(carroll.share_change), 4) == -1.4223
    assert summary.swing is not None
    assert (summary.swing.from_party, summary.swing.to_party) == ("PBPA", "SF")
    sinn_fein = 100 * (Fraction(21_009, 39_743) - Fraction(20_786, 42_899))
    assert summary.swing.points == (sinn_fein - carroll.share_change) / 2
    assert "No two-party swing" not in " ".join(summary.notes)


def test_advance_together_is_not_filed_as_tusc_in_the_2019_notional_result():
    """The 2019 notional file gives Advance Together's votes TUSC's MNIS ID (157); its own name is what
    the Library meant (Hitchin: 101 votes, as in the 2019 result for Hitchin and Harpenden)."""
    summary = summary_of("Hitchin", "2019 general election (notional, 2024 boundaries)")
    (advance,) = [line for line in summary.candidates if line.party_name == "Advance Together"]
    assert (advance.party, advance.votes) == ("Adv", 101)
    assert not any(line.party == "TUSC" for line in summary.candidates)
