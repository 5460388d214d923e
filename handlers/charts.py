"""Pictures of a result and of a scoreboard, as PNG bytes: a result card and a scoreboard image.

Drawn with matplotlib's Agg canvas directly (no pyplot, so no display, no global figure state, and safe
on the dispatcher's picture thread). Input is the plain `Summary` and `Scoreboard`: no database. Every
phrase on a picture is the one `handlers.summary_words` writes for the text answers, and every number
goes through `store.numbers`, so a picture never says a figure differently from the post beside it.
Names are drawn as the data spells them (DejaVu Sans, bundled with matplotlib, has the accents and
Welsh circumflexes).

Sized for Slack's preview: 1200 pixels wide, few and large words, so the card reads when Slack shrinks
it to a thread's width.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from fractions import Fraction

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from handlers.party_colours import OTHER_COLOUR, colour_of
from handlers.summary_words import (
    candidate_name,
    headline,
    scoreboard_headline,
    scoreboard_title,
    swing_turnout_line,
    title,
)
from store.numbers import percent, points
from store.scoreboard import Scoreboard
from store.summary import SOURCE_NOTE, CandidateLine, Summary

WIDTH_INCHES = 8.0
DPI = 150  # 1200 pixels wide
CARD_HEIGHT_INCHES = 4.5  # 1200 x 675: Slack's preview keeps a 16:9 picture whole
# The most bars a card shows; the rest are one bar, "N others", so the names stay legible.
CARD_BARS = 8
# A scoreboard shows every party with a seat (15 in 2024); beyond this many the rest are "Others".
SCOREBOARD_BARS = 16
LABEL_ROOM = 28  # characters that fit left of the bars at LABEL_SIZE; a longer label is set smaller
LABEL_CHARACTERS = 34  # a label longer than this (set at 13 x 28/34 = 10.7 points) is cut
TITLE_SIZE = 22
TITLE_CHARACTERS = 38  # as many as fit the width in bold at TITLE_SIZE
LABEL_SIZE = 13  # points: about 9 pixels high when Slack shows the card 480 pixels wide
TEXT = "#1A1A1A"
MUTED = "#5A5A5A"
EDGE = "#4A4A4A"  # outlines pale bars (SNP yellow, Independents' grey) against the white page


def result_card(summary: Summary) -> bytes:
    """The result card of `summary` as PNG bytes."""
    return _png(result_card_figure(summary))


def scoreboard_image(board: Scoreboard) -> bytes:
    """The scoreboard image of `board` as PNG bytes."""
    return _png(scoreboard_figure(board))


def result_card_figure(summary: Summary) -> Figure:
    """A contest's candidates as bars of their share in party colours, most votes first; the result,
    majority, swing and turnout under them, and each candidate's change beside their share."""
    figure = Figure(figsize=(WIDTH_INCHES, CARD_HEIGHT_INCHES), dpi=DPI)
    # The longest seat names (43 characters) are set a little smaller so that they fit the width.
    name_size = TITLE_SIZE * min(1.0, TITLE_CHARACTERS / max(len(summary.constituency), 1))
    figure.text(0.03, 0.93, summary.constituency, fontsize=name_size, fontweight="bold", color=TEXT, va="center")
    figure.text(0.03, 0.85, _after_name(title(summary)), fontsize=12.5, color=MUTED, va="center")
    figure.text(0.03, 0.135, headline(summary), fontsize=15, fontweight="bold", color=TEXT, va="center")
    detail = swing_turnout_line(summary)
    if detail:
        figure.text(0.03, 0.075, detail, fontsize=12.5, color=TEXT, va="center")
    figure.text(0.03, 0.025, SOURCE_NOTE, fontsize=7.5, color=MUTED, va="center")

    bars = _card_bars(summary)
    axes = figure.add_axes((0.37, 0.2, 0.43, 0.6))
    winner = _bar_label(summary.winner) if summary.winner is not None else None
    _draw_bars(axes, bars, reach=max([bar.length for bar in bars] + [1.0]) * 1.02, bold=winner)
    return figure


def scoreboard_figure(board: Scoreboard) -> Figure:
    """Seats per party as bars in party colours, most first, against the majority line when the whole
    House is counted; each bar says its seats and net change."""
    rows = [row for row in board.parties if row.seats]
    shown = rows[: SCOREBOARD_BARS - 1] if len(rows) > SCOREBOARD_BARS else rows
    rest = rows[len(shown) :]
    bars = [_Bar(row.party, colour_of(row.party), row.seats, f"{row.seats}  {_net(row.net)}") for row in shown]
    if rest:
        seats = sum(row.seats for row in rest)
        bars.append(_Bar(f"{len(rest)} others", OTHER_COLOUR, seats, str(seats)))
    height = 2.2 + 0.34 * max(len(bars), 3)
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    top = 1 - 0.32 / height
    figure.text(0.03, top, scoreboard_title(board), fontsize=TITLE_SIZE, fontweight="bold", color=TEXT, va="center")
    figure.text(0.03, top - 0.32 / height, scoreboard_headline(board), fontsize=12.5, color=MUTED, va="center")
    if board.previous_election:
        net_note = f"Net change in seats against the {board.previous_election}"
        figure.text(0.03, 0.47 / height, net_note, fontsize=10, color=MUTED, va="center")
    figure.text(0.03, 0.22 / height, SOURCE_NOTE, fontsize=7.5, color=MUTED, va="center")

    axes = figure.add_axes((0.14, 0.75 / height, 0.68, 1 - 1.75 / height))
    _draw_bars(axes, bars, reach=max([bar.length for bar in bars] + [board.majority_line or 0, 1]) * 1.04)
    if board.majority_line is not None:
        axes.axvline(board.majority_line, color=TEXT, linestyle=(0, (4, 3)), linewidth=1.2)
        axes.annotate(
            f"{board.majority_line} for a majority",
            (board.majority_line, -0.5),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=11,
            color=TEXT,
            va="bottom",
            annotation_clip=False,
        )
    return figure


@dataclass(frozen=True)
class _Bar:
    label: str  # left of the bar
    colour: str
    length: float
    words: str  # the figures at the bar's end


def _card_bars(summary: Summary) -> list[_Bar]:
    """A bar per leading candidate (share, and change where there is a baseline), then the rest added up."""
    lines = summary.candidates
    shown = lines if len(lines) <= CARD_BARS else lines[: CARD_BARS - 1]
    rest = lines[len(shown) :]

    def bar(label: str, colour: str, share: Fraction | None, change: str | None) -> _Bar:
        words = percent(share) if change is None else f"{percent(share)}  {change}"
        return _Bar(label, colour, float(share or 0), words)

    has_change = summary.baseline is not None
    bars = [
        bar(_bar_label(line), colour_of(line.party), line.share, points(line.share_change) if has_change else None)
        for line in shown
    ]
    if rest:
        shares = [line.share for line in rest if line.share is not None]
        bars.append(bar(f"{len(rest)} others", OTHER_COLOUR, sum(shares, Fraction(0)) if shares else None, None))
    return bars


def _draw_bars(axes: Axes, bars: list[_Bar], *, reach: float, bold: str | None = None) -> None:
    """Bars in their colours, first at the top, each named on its left and with its figures at its end."""
    _bare(axes)
    positions = list(range(len(bars)))
    axes.barh(
        positions, [bar.length for bar in bars], color=[bar.colour for bar in bars], edgecolor=EDGE, linewidth=0.6
    )
    _label_bars(axes, [bar.label for bar in bars], bold=bold)
    axes.set_xlim(0, reach)
    for position, bar in zip(positions, bars, strict=True):
        axes.annotate(
            bar.words,
            (bar.length, position),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=LABEL_SIZE,
            color=TEXT,
            annotation_clip=False,
        )


def _bar_label(line: CandidateLine) -> str:
    """ "Keir Starmer (Lab)": a name too long for the space left of the bars is cut, keeping the party."""
    party = f" ({line.party})" if line.name else ""
    name = candidate_name(line)
    room = max(LABEL_CHARACTERS - len(party), 8)
    if len(name) > room:
        name = name[: room - 1].rstrip() + "…"
    return name + party


def _after_name(card_title: str) -> str:
    """The title without the seat's name, which the card shows larger above it."""
    return card_title.split(" · ", 1)[1] if " · " in card_title else card_title


def _net(number: int) -> str:
    return f"(+{number})" if number > 0 else f"({number})" if number < 0 else "(no change)"


def _bare(axes: Axes) -> None:
    """Bars without a frame or axes: every bar carries its own name and number. (Drawn as plain text
    rather than tick labels: matplotlib's tick machinery costs more than the bars themselves.)"""
    axes.set_axis_off()
    axes.axvline(0, color=EDGE, linewidth=0.8)


def _label_bars(axes: Axes, labels: list[str], *, bold: str | None = None) -> None:
    """Each bar's name to the left of it, the first bar at the top."""
    for position, label in enumerate(labels):
        axes.annotate(
            label,
            (0, position),
            xytext=(-6, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=LABEL_SIZE * min(1.0, LABEL_ROOM / max(len(label), 1)),
            color=TEXT,
            fontweight="bold" if label == bold else "normal",
            annotation_clip=False,
        )
    axes.set_ylim(len(labels) - 0.4, -0.6)


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    # No creation time or software stamp: the same result draws the same bytes.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    return buffer.getvalue()
