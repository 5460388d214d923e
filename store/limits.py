"""How large a count and how long a name may be: one table read by the entry's validation
(`store.contest_input.check`) and by the schema's columns (`store.models`), so nothing passes the
check that the database would refuse (PostgreSQL refuses an over-long value; SQLite would store it)."""

from __future__ import annotations

# Votes, electorates, rejected ballots and majorities must be below this. No UK constituency has had
# an electorate of even 200,000, so anything near it is a typo or a broken feed; it also keeps every
# count far inside the 32-bit integer columns that hold it.
MAX_COUNT = 10_000_000

# Candidates in one contest. A real ballot has fewer than 50 (the record is 15); a result of thousands is
# a broken feed, and would hold a server thread and the store while Slack waits for its acks.
MAX_CANDIDATES = 200

# Identifiers that are not counts (MNIS party IDs) must be below this: one past the largest value a
# 32-bit Integer column holds.
INTEGER_ID_CEILING = 2**31

# Text columns, in characters.
ONS_ID_LENGTH = 16
SEAT_NAME_LENGTH = 120
REGION_LENGTH = 80
COUNTRY_LENGTH = 40
COUNTY_LENGTH = 80
SEAT_KIND_LENGTH = 16
PARTY_ABBREVIATION_LENGTH = 24
PARTY_NAME_LENGTH = 160  # a party's full name, and a candidate's ballot description
EC_ID_LENGTH = 16
CANDIDATE_NAME_LENGTH = 160
SOURCE_LENGTH = 300
STATED_RESULT_LENGTH = 80
ENTERED_BY_LENGTH = 80
