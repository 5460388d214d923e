"""`/result scoreboard` in Slack and the console, against the whole bundled store."""

from __future__ import annotations

from handlers import blocks
from handlers.replies import reply_to_command


def test_result_scoreboard_is_the_latest_general_election_for_the_channel(loaded_sqlite) -> None:
    reply = reply_to_command("scoreboard", loaded_sqlite.results)
    assert reply.public
    assert reply.plain.startswith("2024 general election\n650 of 650 seats declared · 326 for a majority")
    assert reply.blocks[0]["type"] == "header"
    assert len(reply.blocks) <= blocks.MAX_BLOCKS
    tables = [b["text"]["text"] for b in reply.blocks if b["type"] == "section" and "```" in b["text"]["text"]]
    (labour,) = [line for table in tables for line in table.split("\n") if line.startswith("Lab ")]
    assert labour.split()[:2] == ["Lab", "411"] and "33.7%" in labour


def test_result_scoreboard_with_a_year_and_a_nation(loaded_sqlite) -> None:
    reply = reply_to_command("Scoreboard 2024 scotland", loaded_sqlite.results)
    assert reply.plain.startswith("2024 general election · Scotland\n57 of 57 seats declared\n")
    rows = {line.split()[0]: line.split()[1] for line in reply.plain.split("\n")[3:10] if line[:1].isalpha()}
    assert {party: rows[party] for party in ("Lab", "SNP", "LD", "Con")} == {
        "Lab": "37",
        "SNP": "9",
        "LD": "6",
        "Con": "5",
    }


def test_result_scoreboard_for_a_region_and_for_northern_ireland(loaded_sqlite) -> None:
    assert reply_to_command("scoreboard 2019 north east", loaded_sqlite.results).plain.startswith(
        "2019 general election · North East\n29 of 29 seats declared"
    )
    assert reply_to_command("scoreboard northern ireland", loaded_sqlite.results).plain.startswith(
        "2024 general election · Northern Ireland\n18 of 18 seats declared"
    )


def test_result_scoreboard_says_what_it_cannot_find_only_to_the_asker(loaded_sqlite) -> None:
    unknown = reply_to_command("scoreboard <!channel> land", loaded_sqlite.results)
    assert not unknown.public and "not a nation or region" in unknown.plain
    assert "<!channel>" not in str(unknown.blocks) and "&lt;!channel&gt;" in str(unknown.blocks)
    missing = reply_to_command("scoreboard 1066", loaded_sqlite.results)
    assert not missing.public and "No general election in 1066" in missing.plain
