"""`resultsbot chart` and `resultsbot scoreboard --png`: pictures written offline, run in-process against a
SQLite file as a desk editor would."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from tests.integration import published

# The CLI tests' fixtures (one loaded store); pytest passes them to tests by name, which ruff reads as redefinitions.
# ruff: noqa: F811
from tests.integration.test_cli import cli, database_url  # noqa: F401

pytestmark = pytest.mark.slow

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE) and len(data) < 200_000
    with Image.open(io.BytesIO(data)) as picture:
        picture.load()
        return picture.size


def test_chart_writes_the_card_of_what_ask_answers(cli, tmp_path):
    target = tmp_path / "copeland.png"
    code, out, err = cli("chart", "copeland", "2017", "by-election", "-o", str(target))
    assert code == 0, err
    assert png_size(target.read_bytes()) == (1200, 675)
    assert out.strip() == f"Wrote {target}: the result card of Copeland, 23 February 2017 by-election."


def test_chart_without_a_file_name_names_it_after_the_seat_and_date(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("chart", "Ynys Môn", "2024")
    assert code == 0
    (written,) = tmp_path.iterdir()
    assert written.name == "Ynys-Môn-2024-07-04.png"
    assert png_size(written.read_bytes()) == (1200, 675)


def test_chart_for_an_ambiguous_seat_lists_the_seats_and_exits_1_writing_nothing(cli, tmp_path):
    code, out, err = cli("chart", "newcastle", "-o", str(tmp_path / "x.png"))
    assert code == 1 and out == ""
    assert "Newcastle upon Tyne Central" in err and "Newcastle-under-Lyme" in err
    assert list(tmp_path.iterdir()) == []


def test_chart_refuses_a_file_it_cannot_write_or_that_is_not_png(cli, tmp_path):
    code, _, err = cli("chart", "copeland", "2019", "-o", str(tmp_path / "missing" / "x.png"))
    assert code == 2 and f"Cannot write {tmp_path / 'missing' / 'x.png'}" in err and "Traceback" not in err
    code, _, err = cli("chart", "copeland", "2019", "-o", str(tmp_path / "x.jpg"))
    assert code == 2 and "must end in .png" in err
    assert list(tmp_path.iterdir()) == []


def test_scoreboard_png_writes_the_picture_and_json_stays_pure(cli, tmp_path):
    target = tmp_path / "board.png"
    code, out, err = cli("scoreboard", "2024", "--json", "--png", str(target))
    assert code == 0
    width, height = png_size(target.read_bytes())
    assert width == 1200 and height > 675  # one bar per party with a seat
    assert json.loads(out)["declared"] == len(published.constituencies(59, "general-election"))
    assert f"Wrote {target}" in err


def test_scoreboard_png_for_a_nation_and_its_refusals(cli, tmp_path):
    code, _, _ = cli("scoreboard", "2024", "--nation", "scotland", "--png", str(tmp_path / "scotland.png"))
    assert code == 0 and png_size((tmp_path / "scotland.png").read_bytes())[0] == 1200
    code, _, err = cli("scoreboard", "2024", "--png", str(tmp_path / "nowhere" / "b.png"))
    assert code == 2 and "Cannot write" in err
    code, _, err = cli("scoreboard", "1066", "--png", str(tmp_path / "b.png"))
    assert code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scotland.png"]
