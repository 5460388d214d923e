"""The desk's form starts from the figures and election an editor most likely means."""

import datetime as dt

from handlers.entry_form import form_for
from store.elections import BY_ELECTION, GENERAL
from tests.unit.library import summary_of


def test_on_election_night_the_form_names_that_nights_election_not_today():
    summary = summary_of("Copeland", "2015 general election")
    friday = dt.date(2024, 7, 5)  # declarations run past midnight into Friday
    form = form_for(summary, channel_id="C1", response_url="u", today=friday, election=(dt.date(2024, 7, 4), GENERAL))
    assert (form.election_date, form.election_kind) == (dt.date(2024, 7, 4), GENERAL)
    assert form.candidates == []  # the 2015 candidates are not tonight's


def test_with_no_election_under_way_the_form_starts_today_as_a_by_election():
    summary = summary_of("Copeland", "2015 general election")
    form = form_for(summary, channel_id="C1", response_url="u", today=dt.date(2026, 11, 25))
    assert (form.election_date, form.election_kind) == (dt.date(2026, 11, 25), BY_ELECTION)


def test_asking_for_a_past_contest_prefills_it_for_correction():
    summary = summary_of("Copeland", "23 February 2017 by-election")
    form = form_for(summary, channel_id="C1", response_url="u", today=dt.date(2026, 11, 25), prefill=True)
    assert form.election_date == dt.date(2017, 2, 23) and form.election_kind == BY_ELECTION
    assert [(c.name, c.votes) for c in form.candidates][0] == ("Trudy Harrison", 13_748)
    assert form.valid_votes == 31_068
