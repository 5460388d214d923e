"""The arithmetic of a result (store.arithmetic): exact, pure, and careful with odd contests."""

from fractions import Fraction

import pytest

from store import arithmetic
from store.arithmetic import Candidate, ContestFigures
from store.numbers import decimal, points


def figures(*candidates, valid=None, electorate=None, rejected=None):
    """A contest from (name, party, votes[, elected]) tuples; valid votes default to the sum."""
    people = tuple(Candidate(*c) for c in candidates)
    if valid is None and all(p.votes is not None for p in people):
        valid = sum(p.votes for p in people)
    return ContestFigures(electorate=electorate, valid_votes=valid, rejected=rejected, candidates=people)


# Copeland, 23 Feb 2017 by-election, as published (the Library's by-election files).
COPELAND = figures(
    ("Trudy Harrison", "Con", 13748),
    ("Gillian Troughton", "Lab", 11601),
    ("Rebecca Hanson", "LD", 2252),
    ("Fiona Mills", "UKIP", 2025),
    ("Michael Guest", "Ind", 811),
    ("Jack Lenox", "Green", 515),
    ("Roy Ivinson", "Ind", 116),
    valid=31068,
    electorate=60602,
    rejected=40,
)


# --- shares and majority ------------------------------------------------------------------------


def test_share_is_an_exact_fraction_of_valid_votes():
    value = arithmetic.share(13748, 31068)
    assert isinstance(value, Fraction)
    assert value == Fraction(13748, 31068)
    assert arithmetic.percent(value) == Fraction(1374800, 31068)
    assert decimal(arithmetic.percent(value)) == "44.3"


def test_party_shares_add_up_to_exactly_one_when_votes_add_up():
    shares = arithmetic.party_shares(COPELAND)
    assert all(isinstance(v, Fraction) for v in shares.values())
    assert sum(shares.values()) == 1


def test_majority_is_winner_minus_runner_up_in_votes_and_share_of_valid_votes():
    result = arithmetic.outcome(COPELAND)
    assert result.winner.name == "Trudy Harrison"
    assert result.runner_up.name == "Gillian Troughton"
    assert result.majority.votes == 13748 - 11601 == 2147
    assert result.majority.share == Fraction(2147, 31068)
    assert decimal(arithmetic.percent(result.majority.share)) == "6.9"
    assert result.notes == ()


def test_winner_is_the_top_vote_even_when_the_source_lists_them_later():
    shuffled = figures(("B", "Lab", 400), ("A", "Con", 500), ("C", "LD", 100))
    result = arithmetic.outcome(shuffled)
    assert (result.winner.name, result.runner_up.name, result.majority.votes) == ("A", "B", 100)


# --- turnout ---------------------------------------------------------------------------------------


def test_turnout_is_valid_votes_over_electorate_and_the_other_figure_counts_rejected_ballots():
    assert arithmetic.turnout(COPELAND) == Fraction(31068, 60602)
    assert arithmetic.turnout_including_rejected(COPELAND) == Fraction(31068 + 40, 60602)
    assert decimal(arithmetic.percent(arithmetic.turnout_including_rejected(COPELAND))) == "51.3"


def test_the_two_turnout_definitions_differ_when_many_ballots_are_rejected():
    contest = figures(("A", "Con", 300), ("B", "Lab", 200), electorate=1000, rejected=10)
    assert decimal(arithmetic.percent(arithmetic.turnout(contest))) == "50.0"
    assert decimal(arithmetic.percent(arithmetic.turnout_including_rejected(contest))) == "51.0"


def test_turnout_including_rejected_is_unknown_rather_than_guessed_when_rejected_is_unknown():
    contest = figures(("A", "Con", 300), ("B", "Lab", 200), electorate=1000, rejected=None)
    assert arithmetic.turnout(contest) == Fraction(1, 2)
    assert arithmetic.turnout_including_rejected(contest) is None


def test_turnout_without_an_electorate_is_unknown():
    contest = figures(("A", "Con", 300), ("B", "Lab", 200), electorate=None, rejected=3)
    assert arithmetic.turnout(contest) is None
    assert arithmetic.turnout_including_rejected(contest) is None
    assert arithmetic.turnout(figures(("A", "Con", 3), ("B", "Lab", 2), electorate=0)) is None


# --- Butler swing ---------------------------------------------------------------------------------

BEFORE = figures(("a", "Lab", 50), ("b", "Con", 30), ("c", "LD", 20))


def test_swing_runs_from_the_runner_up_to_the_winner_when_the_winner_gained_ground():
    now = figures(("a", "Lab", 40), ("b", "Con", 45), ("c", "LD", 15))
    swing = arithmetic.butler_swing(now, BEFORE)
    # ((45 - 30) - (40 - 50)) / 2 = 12.5 points, Lab to Con
    assert (swing.from_party, swing.to_party, swing.points) == ("Lab", "Con", Fraction(25, 2))


def test_swing_direction_is_reported_as_positive_points_from_a_to_b_even_against_the_winner():
    now = figures(("a", "Lab", 52), ("b", "Con", 48))
    swing = arithmetic.butler_swing(now, BEFORE)
    # Lab held the seat but Con gained more: ((48 - 30) - (52 - 50)) / 2 = 8 points Lab to Con.
    assert (swing.from_party, swing.to_party, swing.points) == ("Lab", "Con", Fraction(8))
    assert swing.points > 0


def test_copeland_swing_is_6_7_points_lab_to_con():
    copeland_2015 = figures(
        ("Jamie Reed", "Lab", 16750),
        ("Stephen Haraldsen", "Con", 14186),
        ("Michael Pye", "UKIP", 6148),
        ("Danny Gallagher", "LD", 1368),
        ("Allan Todd", "Green", 1179),
        valid=39631,
    )
    swing = arithmetic.butler_swing(COPELAND, copeland_2015)
    assert (swing.from_party, swing.to_party, decimal(swing.points)) == ("Lab", "Con", "6.7")


def test_a_named_pair_is_measured_in_that_order_whoever_came_top():
    now = figures(("a", "Lab", 40), ("b", "Con", 45), ("c", "LD", 15))
    lab_ld = arithmetic.butler_swing(now, BEFORE, pair=("LD", "Lab"))
    # towards Lab = ((40 - 50) - (15 - 20)) / 2 = -2.5, so 2.5 points Lab to LD
    assert (lab_ld.from_party, lab_ld.to_party, lab_ld.points) == ("Lab", "LD", Fraction(5, 2))
    assert arithmetic.butler_swing(now, BEFORE, pair=("Lab", "LD")) == lab_ld


def test_a_named_pair_follows_party_successors():
    before = figures(("a", "Con", 60), ("b", "BRX", 40))
    now = figures(("a", "Con", 50), ("b", "RUK", 50))
    swing = arithmetic.butler_swing(now, before, pair=("Con", "BRX"))
    assert (swing.from_party, swing.to_party, swing.points) == ("Con", "RUK", Fraction(10))


def test_no_swing_when_a_party_of_the_pair_did_not_stand_both_times():
    now = figures(("a", "Lab", 40), ("g", "Green", 45), ("c", "LD", 15))
    assert arithmetic.butler_swing(now, BEFORE) is None
    assert arithmetic.butler_swing(now, BEFORE, pair=("Lab", "Green")) is None


def test_no_swing_when_valid_votes_are_unknown():
    now = figures(("a", "Lab", 40), ("b", "Con", 45), valid=None)
    now = ContestFigures(None, None, None, now.candidates)
    assert arithmetic.butler_swing(now, BEFORE) is None


# --- GAIN / HOLD --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("winner", "previous", "label"),
    [
        ("Con", "Lab", "Con GAIN from Lab"),
        ("Lab", "Lab", "Lab HOLD"),
        ("RUK", "BRX", "RUK HOLD"),  # the Brexit Party became Reform UK
        ("Spk", "Speaker", "Spk HOLD"),
        ("Spk", "Con", "Spk GAIN from Con"),  # Buckingham 2010: Bercow, Con in 2005, stood as Speaker
        ("Con", "Spk", "Con GAIN from Spk"),  # Buckingham 2019
    ],
)
def test_result_label_compares_parties_through_their_successors(winner, previous, label):
    assert arithmetic.result_label(Candidate("x", winner, 2), Candidate("y", previous, 1)) == label


def test_a_labour_and_cooperative_winner_holds_a_labour_seat():
    label = arithmetic.result_label(Candidate("x", "Lab Coop", 2), Candidate("y", "Lab", 1))
    assert "GAIN" not in label
    assert label.endswith("HOLD")


def test_no_label_without_a_winner_on_both_occasions():
    assert arithmetic.result_label(None, Candidate("y", "Lab", 1)) is None
    assert arithmetic.result_label(Candidate("x", "Lab", 1), None) is None


@pytest.mark.parametrize(
    ("stated", "canonical"),
    [
        ("Con gain from Lab", "Con GAIN from Lab"),
        ("SNP gain from Lab Coop", "SNP GAIN from Lab"),
        ("Lab Co-op hold", "Lab HOLD"),
        ("RUK Hold", "RUK HOLD"),
        ("RUK hold", "RUK HOLD"),
        ("RUK gain from Con", "RUK GAIN from Con"),
        ("Lab gain from Spk", "Lab GAIN from Spk"),
    ],
)
def test_stated_labels_are_normalised(stated, canonical):
    assert arithmetic.normalise_label(stated) == canonical


# --- share change ---------------------------------------------------------------------------------


def test_share_change_is_none_for_a_party_that_did_not_stand_before():
    now = figures(("a", "Lab", 40), ("b", "Con", 45), ("g", "Green", 15))
    changes = arithmetic.share_changes(now, BEFORE)
    assert changes["Green"] is None
    assert points(arithmetic.percent(changes["Green"])) == "new"
    assert changes["Con"] == Fraction(45 - 30, 100)
    assert points(arithmetic.percent(changes["Con"])) == "+15.0"
    assert points(arithmetic.percent(changes["Lab"])) == "-10.0"
    assert "LD" not in changes  # did not stand now: not shown as a change


def test_reform_share_change_is_measured_against_the_brexit_party():
    before = figures(("a", "Lab", 40), ("b", "BRX", 25), ("c", "Con", 35))
    now = figures(("a", "Lab", 30), ("b", "RUK", 5), ("c", "Con", 65))
    changes = arithmetic.share_changes(now, before)
    assert changes[arithmetic.comparison_key(Candidate("b", "RUK", 5))] == Fraction(-20, 100)


def test_a_party_with_two_candidates_is_compared_as_one():
    before = figures(("a", "Lab", 60), ("b", "Con", 40))
    now = figures(("a", "Lab", 30), ("a2", "Lab", 20), ("b", "Con", 50))
    assert arithmetic.share_changes(now, before)["Lab"] == Fraction(-10, 100)


def test_each_independent_is_compared_only_with_the_same_named_independent():
    before = figures(("Jane Smith", "Ind", 10), ("x", "Con", 90))
    now = figures(("Jane  SMITH", "Ind", 15), ("Bob Jones", "Ind", 5), ("x", "Con", 80))
    changes = arithmetic.share_changes(now, before)
    jane = arithmetic.comparison_key(Candidate("Jane  SMITH", "Ind", 15))
    bob = arithmetic.comparison_key(Candidate("Bob Jones", "Ind", 5))
    assert jane != bob
    assert changes[jane] == Fraction(5, 100)
    assert changes[bob] is None  # a different Independent is new, not "-5"


def test_an_accented_independent_name_is_the_same_person():
    before = figures(("José Pérez", "Ind", 20), ("x", "Con", 80))
    now = figures(("Jose Perez", "Ind", 30), ("x", "Con", 70))
    key = arithmetic.comparison_key(Candidate("Jose Perez", "Ind", 30))
    assert arithmetic.share_changes(now, before)[key] == Fraction(10, 100)


def test_swing_to_an_independent_is_shown_as_ind_and_only_against_the_same_person():
    before = figures(("Dai Davies", "Ind", 50), ("x", "Lab", 40), ("y", "Con", 10))
    now = figures(("Dai Davies", "Ind", 45), ("x", "Lab", 50), ("y", "Con", 5))
    swing = arithmetic.butler_swing(now, before)
    assert (swing.from_party, swing.to_party, swing.points) == ("Ind", "Lab", Fraction(15, 2))
    someone_else = figures(("Peter Law", "Ind", 45), ("x", "Lab", 50), ("y", "Con", 5))
    assert arithmetic.butler_swing(someone_else, before) is None


# --- unusual contests -------------------------------------------------------------------------------


def test_a_tie_decided_by_lot_gives_the_marked_candidate_with_a_note():
    contest = figures(("A", "Con", 500), ("B", "Lab", 500, True), ("C", "LD", 100))
    result = arithmetic.outcome(contest)
    assert result.winner.name == "B"
    assert result.runner_up.name == "A"
    assert result.majority.votes == 0
    assert len(result.notes) == 1
    assert "tie" in result.notes[0].casefold() and "lot" in result.notes[0]
    assert "500" in result.notes[0]


def test_a_tie_with_no_one_marked_elected_names_no_winner_and_says_why():
    contest = figures(("A", "Con", 500), ("B", "Lab", 500), ("C", "LD", 100))
    result = arithmetic.outcome(contest)
    assert result.winner is None
    assert result.runner_up is None
    assert result.majority is None
    assert any("tie" in note.casefold() for note in result.notes)
    assert arithmetic.result_label(result.winner, Candidate("x", "Con", 1)) is None


def test_a_single_unopposed_candidate_is_returned_with_no_majority_and_a_note():
    contest = ContestFigures(70000, None, None, (Candidate("John Bercow", "Spk", None),))
    result = arithmetic.outcome(contest)
    assert result.winner.name == "John Bercow"
    assert result.runner_up is None
    assert result.majority is None
    assert any("unopposed" in note for note in result.notes)


def test_missing_votes_give_a_note_not_a_crash():
    contest = figures(("A", "Con", 500), ("B", "Lab", None), ("C", "LD", 100), valid=1000)
    result = arithmetic.outcome(contest)
    assert result.winner is None
    assert result.majority is None
    assert any("missing" in note.casefold() for note in result.notes)
    assert arithmetic.share(None, 1000) is None
    # The known figures still give shares.
    assert arithmetic.party_shares(contest) == {"Con": Fraction(1, 2), "LD": Fraction(1, 10)}


def test_no_candidates_at_all_is_a_note():
    result = arithmetic.outcome(ContestFigures(None, None, None, ()))
    assert result.winner is None and result.notes


@pytest.mark.parametrize("valid", [None, 0])
def test_unknown_or_zero_valid_votes_never_divide_by_zero(valid):
    contest = ContestFigures(1000, valid, 5, (Candidate("A", "Con", 0), Candidate("B", "Lab", 0)))
    contest_with_votes = ContestFigures(1000, valid, 5, (Candidate("A", "Con", 300), Candidate("B", "Lab", 200)))
    assert arithmetic.share(300, valid) is None
    assert arithmetic.party_shares(contest_with_votes) == {}
    assert arithmetic.share_changes(contest_with_votes, BEFORE) == {}
    assert arithmetic.butler_swing(contest_with_votes, BEFORE) is None
    assert arithmetic.butler_swing(BEFORE, contest_with_votes) is None
    result = arithmetic.outcome(contest_with_votes)
    assert result.winner.name == "A"
    assert result.majority is None  # a majority of 100 votes cannot be a share of nothing
    assert any("valid votes" in note.casefold() for note in result.notes)
    arithmetic.outcome(contest)  # a 0-0 tie with no valid votes: no exception
    if valid == 0:
        assert arithmetic.turnout(contest_with_votes) == 0
    else:
        assert arithmetic.turnout(contest_with_votes) is None
