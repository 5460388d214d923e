"""Block Kit for resultsbot's messages: a pure renderer from a `Summary` (or plain words) to blocks.

No Slack client and no database: every function takes figures or text and returns JSON-ready dicts.
The phrases come from `handlers.summary_words` (written once for the CLI, the console and Slack);
this module only arranges them and keeps every message inside Slack's limits, whatever the data holds:

* 50 blocks a message; a header's plain text at most 150 characters; a section's text at most 3,000;
* a context block at most 10 elements, each kept to 2,000 characters here (Slack's text object allows
  3,000; 2,000 leaves room and matches the section-field limit);
* a button's label at most 75 characters, its value at most 2,000, 25 elements an actions block;
* the `text` fallback kept to 4,000 characters.

Lengths are counted in UTF-16 code units, which is never less than Python's count of code points.

Text from the data (seat and candidate names, parties, notes) and from users is escaped for mrkdwn:
`&`, `<` and `>` become entities (so a name cannot mention `<!channel>` or forge a link), runs of
backticks are broken with a zero-width space (so a name cannot close the table's ``` block), and
control and invisible format characters are dropped from names (so they cannot break a table row).
Plain-text objects (headers, button labels) are not escaped: Slack shows them as given.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from handlers import summary_words
from store.elections import NO_FIGURES_STATUSES
from store.numbers import percent
from store.scoreboard import Scoreboard
from store.summary import CandidateLine, Summary

Block = dict[str, Any]

MAX_BLOCKS = 50
HEADER_LIMIT = 150
SECTION_LIMIT = 3000
CONTEXT_ELEMENTS = 10
CONTEXT_TEXT_LIMIT = 2000
BUTTON_LABEL_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
ACTIONS_ELEMENTS = 25
MAX_CHOICES = 10
TEXT_LIMIT = 4000

# Every button that asks for a result has an action_id starting so: handlers.listeners.actions answers them all.
RESULT_ACTION_PREFIX = "result_choice"
ALSO_ACTION = f"{RESULT_ACTION_PREFIX}_also"

# The candidate table never cuts a name shorter than this (the longest in the Library's data is 53);
# longer names, and party abbreviations over PARTY_WIDTH, end in "…" so no row can swamp a section.
NAME_WIDTH = 60
PARTY_WIDTH = 30
FENCE = "```"
ELLIPSIS = "…"
ZERO_WIDTH_SPACE = "\u200b"

_BACKTICK_PAIR = re.compile(r"`(?=`)")
_WHITESPACE_CONTROLS = re.compile(r"[\t\n\r\v\f\u2028\u2029]+")


# ---------------------------------------------------------------------------------------------------------
# Escaping and lengths


def size(text: str) -> int:
    """Length as Slack may count it: UTF-16 code units (astral characters count twice)."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    """Text for a mrkdwn field: & < > as entities, and no two backticks side by side."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BACKTICK_PAIR.sub("`" + ZERO_WIDTH_SPACE, escaped)


def neutralise(text: str) -> str:
    """A name or label on one line: line breaks and tabs become spaces; control and invisible format
    characters (soft hyphens, bidirectional overrides, zero-width spaces) are dropped."""
    text = _WHITESPACE_CONTROLS.sub(" ", text)
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 units, ending in "…" when cut (never inside a character)."""
    if size(text) <= limit:
        return text
    out = []
    used = size(ELLIPSIS)
    for ch in text:
        used += size(ch)
        if used > limit:
            break
        out.append(ch)
    return "".join(out).rstrip() + ELLIPSIS


def _fit(raw: str, limit: int, transform: Callable[[str], str] = escape) -> str:
    """`transform(raw)`, with `raw` shortened (ending in "…") until the result fits in `limit`.

    Cutting the raw text before escaping means an entity such as `&amp;` is never cut in half."""
    out = transform(raw)
    keep = len(raw)
    while size(out) > limit and keep > 0:
        keep = max(0, keep - max(size(out) - limit, 1))
        out = transform(raw[:keep].rstrip() + ELLIPSIS)
    if size(out) > limit:  # only when even "…" alone cannot fit the transform's fixed parts
        return clip(out, limit)
    return out


def message_text(raw: str) -> str:
    """A message's `text` made of words from data or users (a correction's note, a reply to the desk, a
    notification fallback): escaped like every mrkdwn field, and cut to Slack's limit."""
    return _fit(raw, TEXT_LIMIT)


def _pack(
    lines: Sequence[str],
    *,
    limit: int,
    max_chunks: int,
    join: Callable[[list[str]], str],
    more: Callable[[int], str],
) -> list[str]:
    """Raw `lines` packed in order into at most `max_chunks` texts, each `join(lines)` within `limit`.

    A line too long for a chunk of its own is shortened; lines beyond the last chunk are replaced by
    `more(n)` ("…and n more") at its end."""
    chunks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if current and size(join([*current, line])) <= limit:
            current.append(line)
            continue
        if current:
            chunks.append(current)
        if size(join([line])) > limit:
            line = _fit(line, limit, lambda text: join([text]))
        current = [line]
    if current:
        chunks.append(current)
    if len(chunks) > max_chunks:
        kept = chunks[:max_chunks]
        last = kept[-1]
        shown = sum(len(chunk) for chunk in kept)
        while last and size(join([*last, more(len(lines) - shown)])) > limit:
            last.pop()
            shown -= 1
        last.append(more(len(lines) - shown))
        chunks = kept
    return [join(chunk) for chunk in chunks]


# ---------------------------------------------------------------------------------------------------------
# Block constructors


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _section(text: str) -> Block:
    """A mrkdwn section; `text` is already escaped and within the limit."""
    return {"type": "section", "text": _mrkdwn(text)}


def _header(text: str) -> Block:
    return {"type": "header", "text": _plain(clip(neutralise(text), HEADER_LIMIT) or ELLIPSIS)}


def _context(lines: Sequence[str]) -> Block:
    """A context block of raw `lines` (escaped here), one under another: one element while they fit
    in 2,000 characters, at most 10 in all; the last line (the source) is always kept."""
    *body, last = list(lines) or [ELLIPSIS]

    def join(chunk: list[str]) -> str:
        return "\n".join(escape(line) for line in chunk)

    packed = _pack(
        body,
        limit=CONTEXT_TEXT_LIMIT,
        max_chunks=CONTEXT_ELEMENTS - 1,
        join=join,
        more=lambda n: f"{ELLIPSIS}and {n} more notes",
    )
    source = _fit(last, CONTEXT_TEXT_LIMIT)
    if packed and size(f"{packed[-1]}\n{source}") <= CONTEXT_TEXT_LIMIT:
        packed[-1] = f"{packed[-1]}\n{source}"
    else:
        packed.append(source)
    elements = [_mrkdwn(text) for text in packed if text.strip()]
    return {"type": "context", "elements": elements or [_mrkdwn(ELLIPSIS)]}


# ---------------------------------------------------------------------------------------------------------
# A result


def _display(summary: Summary) -> Summary:
    """The summary with every name and label on one clean line, for display."""

    def line(item: CandidateLine) -> CandidateLine:
        return dataclasses.replace(
            item,
            name=None if item.name is None else neutralise(item.name),
            party=neutralise(item.party),
            party_name=neutralise(item.party_name),
        )

    return dataclasses.replace(
        summary,
        constituency=neutralise(summary.constituency),
        source=neutralise(summary.source),
        winner=None if summary.winner is None else line(summary.winner),
        runner_up=None if summary.runner_up is None else line(summary.runner_up),
        candidates=tuple(line(item) for item in summary.candidates),
        result_label=None if summary.result_label is None else neutralise(summary.result_label),
        also=tuple(
            dataclasses.replace(
                other,
                query=neutralise(other.query),
                result_label=None if other.result_label is None else neutralise(other.result_label),
                winner_party=None if other.winner_party is None else neutralise(other.winner_party),
            )
            for other in summary.also
        ),
    )


def header_text(summary: Summary) -> str:
    """`summary_words.title` within the header limit: a long seat name is shortened so kind and date stay."""
    title = summary_words.title(summary)
    excess = size(title) - HEADER_LIMIT
    if excess > 0:
        seat = summary.constituency
        shorter = clip(seat, max(size(seat) - excess, 1))
        title = summary_words.title(dataclasses.replace(summary, constituency=shorter))
    return clip(title, HEADER_LIMIT)


def table_lines(summary: Summary) -> list[str]:
    """`summary_words.candidate_table` for display: the column headings, then one raw line per candidate."""
    shown = _display(summary)
    shown = dataclasses.replace(
        shown,
        candidates=tuple(dataclasses.replace(item, party=clip(item.party, PARTY_WIDTH)) for item in shown.candidates),
    )
    longest = max((len(summary_words.candidate_name(item)) for item in shown.candidates), default=0)
    return summary_words.candidate_table(shown, name_width=min(max(longest, 1), NAME_WIDTH)).split("\n")


def _fenced(lines: list[str]) -> str:
    return f"{FENCE}\n" + "\n".join(escape(line) for line in lines) + f"\n{FENCE}"


def _table_sections(summary: Summary, max_blocks: int) -> list[Block]:
    lines = table_lines(summary)
    heading, rows = lines[0], lines[1:]
    if not rows:
        return [_section("_No candidates are recorded for this contest._")]
    texts = _pack(
        rows,
        limit=SECTION_LIMIT,
        max_chunks=max_blocks,
        join=lambda chunk: _fenced([heading, *chunk]),
        more=lambda n: f"{ELLIPSIS}and {n} more candidates",
    )
    return [_section(text) for text in texts]


def summary_blocks(summary: Summary, *, corrected_note: str | None = None) -> list[Block]:
    """Block Kit for a result post: header, headline facts, any warning that the source contradicts
    itself, the seat's other contests that year, the candidate table, the small print."""
    shown = _display(summary)
    blocks: list[Block] = [_header(header_text(shown))]
    if summary.status in NO_FIGURES_STATUSES:
        return [*blocks, *_before_the_figures_blocks(shown)]
    if corrected_note:
        blocks.append(_warning(f"Corrected: {neutralise(corrected_note)}"))
    facts = [summary_words.headline(shown)]
    facts += [line for line in (summary_words.winner_line(shown), summary_words.swing_turnout_line(shown)) if line]
    blocks.append(_section(_fit("\n".join(facts), SECTION_LIMIT, _bold_first_line)))
    blocks.extend(_source_warning(summary))
    blocks.extend(seat_change_blocks(summary))
    blocks.extend(also_blocks(summary))
    room = MAX_BLOCKS - len(blocks) - 1  # the context block comes last
    blocks.extend(_table_sections(summary, room))
    blocks.append(_context(summary_words.small_print(shown)))
    return blocks


def _before_the_figures_blocks(shown: Summary) -> list[Block]:
    """A flash, a recount or the nominations: the line itself, who stands, the small print."""
    facts = [summary_words.flash_line(shown), summary_words.awaiting_line(shown) or ""]
    blocks = [_section(_fit("\n".join(facts), SECTION_LIMIT, _bold_first_line))]
    standing = summary_words.standing_lines(shown)
    if standing:
        blocks.extend(_text_sections("\n".join(standing), MAX_BLOCKS - len(blocks) - 2))
    blocks.append(_context(summary_words.small_print(shown)))
    return blocks


def _warning(raw: str) -> Block:
    """ "⚠️ *Label:* text": something a reader must see before using a figure."""
    return _section(_fit(f"⚠️ {raw}", SECTION_LIMIT, _bold_prefix))


def _source_warning(summary: Summary) -> list[Block]:
    warning = summary_words.source_warning(summary)
    return [_warning(warning)] if warning else []


def seat_change_blocks(summary: Summary) -> list[Block]:
    """A seat that no longer exists says so wherever its result is shown."""
    if not summary.seat_change:
        return []
    return [_warning(summary_words.seat_change_line(neutralise(summary.seat_change)))]


def also_blocks(summary: Summary) -> list[Block]:
    """The seat's other contests in the year asked about: a line each, and a button each that posts it
    (handled with the seat choices, by the `result_choice` listener)."""
    if not summary.also:
        return []
    lines = summary_words.also_lines(_display(summary))
    options = [(summary_words.other_contest_label(other), other.query) for other in summary.also]
    return [_section(_fit("\n".join(lines), SECTION_LIMIT)), *_button_rows(options, ALSO_ACTION)]


def sentence_blocks(sentence: str, summary: Summary) -> list[Block]:
    """A one-sentence answer from a result, with what must travel with it: a warning where the source
    contradicts itself, the seat's other contests that year, and the source."""
    after = [*_source_warning(summary), *seat_change_blocks(summary), *also_blocks(summary)]
    sections = _text_sections(sentence, MAX_BLOCKS - len(after) - 1)
    return [*sections, *after, _context([f"{neutralise(summary.source)}."])]


def _bold_first_line(raw: str) -> str:
    first, _, rest = raw.partition("\n")
    bold = f"*{escape(first)}*"
    return f"{bold}\n{escape(rest)}" if rest else bold


def _bold_prefix(raw: str) -> str:
    label, _, rest = raw.partition(": ")
    return f"*{escape(label)}:* {escape(rest)}" if rest else escape(raw)


def summary_text(summary: Summary, *, corrected_note: str | None = None) -> str:
    """The `text` fallback (notifications, screen readers): seat, result and winner on their own."""
    shown = _display(summary)
    if summary.status in NO_FIGURES_STATUSES:
        return _fit(summary_words.flash_line(shown), TEXT_LIMIT)
    lines = [summary_words.notification_text(shown)]
    winner = summary_words.winner_line(shown)
    if winner:
        lines.append(winner)
    if corrected_note:
        lines.append(f"Corrected: {neutralise(corrected_note)}")
    warning = summary_words.source_warning(summary)
    if warning:
        lines.append(warning)
    return _fit("\n".join(lines), TEXT_LIMIT)


def message(summary: Summary, **kw: Any) -> dict[str, Any]:
    """{"text", "blocks"} for chat.postMessage, chat.update or respond. `kw`: see `summary_blocks`."""
    return {"text": summary_text(summary, **kw), "blocks": summary_blocks(summary, **kw)}


def digest_message(summaries: Sequence[Summary]) -> dict[str, Any]:
    """{"text", "blocks"} of a digest: results folded into one post when a channel fell behind. A
    bold "6 results", then one `list_line` per result (seat, GAIN or HOLD, majority, any mark), the
    majority's meaning and the source; the `text` has them all on one line, "; " between results."""
    heading = summary_words.digest_heading(len(summaries))
    lines = [list_line(summary) for summary in summaries]
    blocks = [
        _section(f"*{escape(heading)}*"),
        *_line_sections(lines, max_sections=MAX_BLOCKS - 2),
        _context([LIST_FOOTNOTE, summary_words.SOURCE_LINE]),
    ]
    entries = "; ".join(": ".join(summary_words.list_entry(_display(summary))) for summary in summaries)
    return {"text": _fit(f"{heading}: {entries}", TEXT_LIMIT), "blocks": blocks}


def labelled(message: dict[str, Any], label: str | None) -> dict[str, Any]:
    """`message` ({"text"} and perhaps {"blocks"}) marked with `label` (a rehearsal's "REHEARSAL"): the text
    starts with it and the first block says it, so no post, edit, note or digest of a rehearsal can pass
    for a live one. With no label, `message` as it is."""
    if not label:
        return message
    mark = neutralise(label)
    marked = dict(message)
    marked["text"] = clip(f"{escape(mark)} · {message.get('text', '')}", TEXT_LIMIT)
    if "blocks" in message:
        shown = list(message["blocks"])
        if len(shown) >= MAX_BLOCKS:  # room for the label; the last block (the source) is kept
            shown = [*shown[: MAX_BLOCKS - 2], shown[-1]]
        marked["blocks"] = [_context([f"{mark}: not a live result."]), *shown]
    return marked


def labelled_title(title: str, label: str | None) -> str:
    """A file's plain-text title marked with `label`, within a header's length."""
    return clip(f"{neutralise(label)} · {title}", FILE_TITLE_LIMIT) if label else title


# A file's title and alt text are plain text: Slack shows them as given, so they are cleaned and cut, not
# escaped. Slack takes up to 1,000 characters of alt text; a title is kept to a header's length.
FILE_TITLE_LIMIT = HEADER_LIMIT
ALT_TEXT_LIMIT = 1000
ALT_TEXT_CANDIDATES = 5


class CardFile(NamedTuple):
    filename: str
    title: str
    alt_txt: str


def card_upload_fields(summary: Summary) -> CardFile:
    """The file name, title and alt text for uploading a summary's result card (`handlers.charts`): the
    title says what the post says; the alt text reads the card out for those who cannot see it."""
    shown = _display(summary)
    leading = "; ".join(
        f"{summary_words.candidate_name(line)} ({line.party}) {percent(line.share)}"
        for line in shown.candidates[:ALT_TEXT_CANDIDATES]
    )
    described = [f"Result card: {summary_words.title(shown)}", summary_words.headline(shown), leading]
    day = summary.election_date.isoformat()
    return CardFile(
        filename=f"{_file_stem(shown.constituency)}-{day}.png",
        title=clip(f"{shown.constituency}: {summary_words.headline(shown)}", FILE_TITLE_LIMIT),
        alt_txt=clip(". ".join(part for part in described if part), ALT_TEXT_LIMIT),
    )


def _file_stem(name: str) -> str:
    """A seat's name as a file name: letters (accents kept), digits and hyphens."""
    return "-".join("".join(ch if ch.isalnum() else " " for ch in name).split())[:80] or "result"


# ---------------------------------------------------------------------------------------------------------
# Choices, notices, help


def _button_rows(options: Sequence[tuple[str, str]], action_id: str) -> list[Block]:
    """Actions blocks of one button per option (label, query), at most `MAX_CHOICES`.

    Each button's action_id is `f"{action_id}:{i}"`, unique in the message; listeners match
    `^result_choice`. The value is the query, unchanged (cut only past 2,000 characters)."""
    buttons = []
    for i, (label, value) in enumerate(list(options)[:MAX_CHOICES]):
        shown = clip(neutralise(label), BUTTON_LABEL_LIMIT) or clip(neutralise(value), BUTTON_LABEL_LIMIT) or "?"
        button: Block = {"type": "button", "text": _plain(shown), "action_id": f"{action_id}:{i}"}
        query = value if size(value) <= BUTTON_VALUE_LIMIT else clip(value, BUTTON_VALUE_LIMIT)
        if query:
            button["value"] = query
        buttons.append(button)
    return [
        {"type": "actions", "elements": buttons[start : start + ACTIONS_ELEMENTS]}
        for start in range(0, len(buttons), ACTIONS_ELEMENTS)
    ]


def choice_blocks(
    prompt: str, options: Sequence[tuple[str, str]], action_id: str = RESULT_ACTION_PREFIX
) -> list[Block]:
    """A prompt and one button per option (label, query), best first, at most `MAX_CHOICES`
    (see `_button_rows`)."""
    chosen = list(options)[:MAX_CHOICES]
    blocks: list[Block] = [_section(_fit(prompt, SECTION_LIMIT)), *_button_rows(chosen, action_id)]
    left = len(options) - len(chosen)
    if left > 0:
        blocks.append(_context([f"{left} more not shown: type more of the name to narrow it down."]))
    return blocks


def notice_blocks(text: str, *, context: str | None = None) -> list[Block]:
    """A plain answer, help or error: `text` (escaped; mrkdwn emphasis kept) in a section, split over
    several only if it is longer than one section holds, and an optional small-print line."""
    blocks = _text_sections(text, MAX_BLOCKS - (1 if context else 0))
    if context:
        blocks.append(_context([context]))
    return blocks


def _text_sections(text: str, max_blocks: int) -> list[Block]:
    texts = _pack(
        text.split("\n") or [""],
        limit=SECTION_LIMIT,
        max_chunks=max_blocks,
        join=lambda chunk: "\n".join(escape(line) for line in chunk),
        more=lambda n: f"{ELLIPSIS}and {n} more lines",
    )
    return [_section(chunk if chunk.strip() else ELLIPSIS) for chunk in texts] or [_section(ELLIPSIS)]


HELP = """\
*Ask resultsbot about UK Westminster election results*
*A seat's result* (headline, winner, swing, turnout and every candidate):
• `/result copeland`: the seat's most recent result
• `/result hartlepool 2019`: a given year
• `/result stoke central by-election`: a by-election
*Questions*: mention me in a channel or send me a direct message:
• `@resultsbot who won hartlepool?`
• `@resultsbot what was the majority in copeland`
• `@resultsbot turnout in stoke central`
• `@resultsbot how did the lib dems do in copeland`
*Across an election*:
• `@resultsbot who won the 2024 general election`
• `@resultsbot how many seats did reform win in scotland`
• `@resultsbot how did the snp do in 2024`
• `@resultsbot lowest turnout 2024`
• `@resultsbot closest results of the 2024 election`
• `@resultsbot conservative gains in 2019` · `labour holds` · `snp losses` · `lab gains from con 2024`
• `@resultsbot seats changing hands 2024` · `by-elections in 2021` · `by-elections this parliament`
• `/result scoreboard`, `/result scoreboard 2019 scotland`: seats, gains and votes by party
*Channels*: anyone in a channel may change what it follows:
• `/result follow gains` (or `all`, a seat, a nation or region, a party; a year limits it): those results here
• `/result unfollow gains` stops it; `/result following` lists what this channel follows
*People*:
• `@resultsbot keir starmer`
• `@resultsbot who is the mp for hartlepool`
If a name fits several seats, I offer buttons to pick one. `/result help` shows this again.
_How to read it_: shares are of valid votes; changes are percentage points against the seat's previous \
general election (or the notional result where boundaries changed); "new" means the party did not stand \
then. Turnout is valid votes / electorate. Figures are rounded to one decimal place only when shown.
_Data_: general elections and by-elections from the House of Commons Library, \
under the Open Parliament Licence v3.0."""


# A Slack user ID as Slack sends it with a command ("U…" or, on Enterprise Grid, "W…").
_SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")


def mention(user_id: str) -> str:
    """`<@U123>`, which Slack shows as the person's name: the only live markup the bot writes on purpose,
    and only for a well-formed user ID, so nothing else a request carries can reach Slack unescaped."""
    return f"<@{user_id}>" if _SLACK_USER_ID.fullmatch(user_id) else "Someone"


def announcement_text(user_id: str, text: str) -> str:
    """ "<@U123> made this channel follow gains.": who did what, the what escaped like any data."""
    return f"{mention(user_id)} {_fit(neutralise(text), TEXT_LIMIT - 40)}"


def announcement_blocks(user_id: str, text: str) -> list[Block]:
    return [_section(f"{mention(user_id)} {_fit(neutralise(text), SECTION_LIMIT - 40)}")]


def help_text() -> str:
    """What can be asked, and where the figures come from (mrkdwn, without & < >)."""
    return HELP


# ---------------------------------------------------------------------------------------------------------
# Several seats


LIST_FOOTNOTE = "Majority: the winner's lead over the runner-up, in votes and as a share of valid votes."


def list_line(summary: Summary, figure: str = "") -> str:
    """ "*Hendon*: Lab GAIN from Con · majority 15 (0.0%)": seat, result, majority (with any PROVISIONAL
    or CORRECTED mark), then any `figure` the list is ranked by (" · turnout 45.2%")."""
    seat, result = summary_words.list_entry(_display(summary))
    extra = f" · {figure}" if figure else ""
    return f"*{seat}*: {result}{extra}"


def list_blocks(
    title: str,
    summaries: Sequence[Summary],
    *,
    figure: Callable[[Summary], str] | None = None,
    footnote: str | None = None,
) -> list[Block]:
    """A multi-seat answer (closest results, gains, a ranking): a header, one numbered `list_line` per
    seat (mrkdwn emphasis allowed, & < > escaped here), then `footnote` (what ranks it), the majority's
    meaning and the source."""
    lines = [
        f"{i}. {list_line(summary, figure(summary) if figure else '')}" for i, summary in enumerate(summaries, start=1)
    ]
    blocks: list[Block] = [_header(title)]
    if not lines:
        blocks.append(_section("_No seats to show._"))
    else:
        blocks.extend(_line_sections(lines, max_sections=MAX_BLOCKS - 2))
    blocks.append(_context([*([footnote] if footnote else []), LIST_FOOTNOTE, summary_words.SOURCE_LINE]))
    return blocks


def _line_sections(lines: Sequence[str], *, max_sections: int) -> list[Block]:
    """Raw `list_line`s (mrkdwn emphasis allowed, & < > escaped here) packed into sections."""
    texts = _pack(
        lines,
        limit=SECTION_LIMIT,
        max_chunks=max_sections,
        join=lambda chunk: "\n".join(escape(item) for item in chunk),
        more=lambda n: f"{ELLIPSIS}and {n} more",
    )
    return [_section(text) for text in texts]


def list_text(title: str, summaries: Sequence[Summary], *, figure: Callable[[Summary], str] | None = None) -> str:
    """A `text` fallback for `list_blocks`: the title and the first few seats."""
    shown = []
    for summary in summaries[:5]:
        line = ": ".join(summary_words.list_entry(_display(summary)))
        extra = figure(summary) if figure else ""
        shown.append(f"{line} · {extra}" if extra else line)
    more = [f"…and {len(summaries) - 5} more"] if len(summaries) > 5 else []
    return _fit("\n".join([title, *shown, *more]), TEXT_LIMIT)


def _scoreboard_table_sections(board: Scoreboard, *, max_sections: int) -> list[Block]:
    """The scoreboard's table in code-block sections, its heading repeated atop each."""
    heading, *rows = summary_words.scoreboard_table(board).split("\n")
    texts = _pack(
        rows,
        limit=SECTION_LIMIT,
        max_chunks=max_sections,
        join=lambda chunk: _fenced([heading, *chunk]),
        more=lambda n: f"{ELLIPSIS}and {n} more parties",
    )
    return [_section(text) for text in texts]


def scoreboard_answer_blocks(sentence: str, board: Scoreboard) -> list[Block]:
    """A sentence about an election (who won, a party's seats) over its scoreboard's table and small print."""
    blocks: list[Block] = [_section(_fit(sentence, SECTION_LIMIT))]
    if board.parties:
        blocks.extend(_scoreboard_table_sections(board, max_sections=MAX_BLOCKS - 3))
    blocks.append(_context(summary_words.scoreboard_small_print(board)))
    return blocks


def scoreboard_blocks(board: Scoreboard) -> list[Block]:
    """A scoreboard: a header, the headline, the table in a code block, the latest declarations and the
    small print. Every text from data passes through `escape` (the table inside `_fenced`)."""
    blocks: list[Block] = [_header(summary_words.scoreboard_title(board))]
    blocks.append(_section(_fit(summary_words.scoreboard_headline(board), SECTION_LIMIT)))
    if board.parties:
        blocks.extend(_scoreboard_table_sections(board, max_sections=MAX_BLOCKS - 4))
    else:
        blocks.append(_section("_No results declared yet._"))
    latest = summary_words.latest_lines(board)
    if latest:
        blocks.append(_section(_fit("\n".join(["Latest declarations:", *latest]), SECTION_LIMIT)))
    blocks.append(_context(summary_words.scoreboard_small_print(board)))
    return blocks


def live_scoreboard_message(board: Scoreboard) -> dict[str, Any]:
    """{"text", "blocks"} of a general election's live scoreboard in a results channel: the scoreboard,
    with a line under its headline once a party has won a majority."""
    shown = scoreboard_blocks(board)
    won = summary_words.majority_won(board)
    text = f"{summary_words.scoreboard_title(board)}: {summary_words.scoreboard_headline(board)}"
    if won is not None:
        shown.insert(2, _section(_fit(f"*{won}*", SECTION_LIMIT)))
        text += f" · {won}"
    return {"text": message_text(text), "blocks": shown[:MAX_BLOCKS]}


def scoreboard_text(board: Scoreboard) -> str:
    """A `text` fallback for `scoreboard_blocks`: the title and the headline."""
    return message_text(f"{summary_words.scoreboard_title(board)}: {summary_words.scoreboard_headline(board)}")


__all__ = [
    "also_blocks",
    "choice_blocks",
    "escape",
    "message_text",
    "help_text",
    "labelled",
    "labelled_title",
    "list_blocks",
    "list_line",
    "list_text",
    "live_scoreboard_message",
    "message",
    "digest_message",
    "neutralise",
    "notice_blocks",
    "scoreboard_answer_blocks",
    "scoreboard_blocks",
    "scoreboard_text",
    "sentence_blocks",
    "summary_blocks",
    "summary_text",
]
