"""Schema migrations on a store that already holds results, on each database backend."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from store import db
from store.models import Constituency, Contest, Election
from tests.conftest import _drop_postgres_schema, make_test_engine


def test_seats_that_share_a_name_take_the_newest_general_elections_spelling(backend, tmp_path):
    """A store loaded before one spelling per seat name: the 2010-boundary rows kept the 2019 files'
    "Stoke-On-Trent Central" and "Birmingham, Edgbaston"; 0004 respells them as 2024 does."""
    engine, schema = make_test_engine(backend, tmp_path)
    try:
        db.upgrade(engine, "0002")
        sessions = db.session_factory(engine)
        with db.transaction(sessions) as session:
            ge_2019 = Election(
                kind="general", date=dt.date(2019, 12, 12), name="2019 general election", boundary_set="2010"
            )
            ge_2024 = Election(
                kind="general", date=dt.date(2024, 7, 4), name="2024 general election", boundary_set="2024"
            )
            seats = {
                "E14000972": ("Stoke-On-Trent Central", ge_2019),
                "E14001520": ("Stoke-on-Trent Central", ge_2024),
                "E14000560": ("Birmingham, Edgbaston", ge_2019),
                "E14001092": ("Birmingham Edgbaston", ge_2024),
                "E14000762": ("Isle Of Wight", ge_2019),
                "E14000562": ("Birmingham, Hall Green", ge_2019),
            }
            for ons_id, (name, election) in seats.items():
                seat = Constituency(ons_id=ons_id, name=name)
                session.add(Contest(election=election, constituency=seat, source="test"))
        db.upgrade(engine)
        with sessions() as session:
            names = {ons_id: name for ons_id, name in session.execute(select(Constituency.ons_id, Constituency.name))}
        assert names == {
            "E14000972": "Stoke-on-Trent Central",
            "E14001520": "Stoke-on-Trent Central",
            "E14000560": "Birmingham Edgbaston",
            "E14001092": "Birmingham Edgbaston",
            "E14000762": "Isle of Wight",
            "E14000562": "Birmingham, Hall Green",  # no 2024 seat of that name: the newest spelling stands
        }
    finally:
        engine.dispose()
        if schema:
            _drop_postgres_schema(schema)
