"""An offline console: type what you would type in Slack and read the bot's reply as text."""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path
from typing import TextIO

from platformdirs import user_data_dir

from bot.bootstrap import open_store
from bot.config import Settings
from handlers.follow_replies import FOLLOW_OFFLINE, FOLLOW_WORDS
from handlers.listeners.commands import COMMAND, ENTER_WORD
from handlers.replies import Reply, notice, reply_to_command, reply_to_question
from store.answers import ResultsService

MENTION = re.compile(r"^@\S+\s*")
BULLET = "  • "
BANNER = """resultsbot console — no Slack credentials are set, so replies print here.
Type as you would in Slack:  /result stoke   ·   @resultsbot who won hartlepool?   ·   quit
When I offer seats, type the number of the one you mean.
"""
ENTER_OFFLINE = (
    "The entry form needs Slack. Offline, enter a result from a file: `resultsbot enter result.json` "
    "(or `--csv result.csv`); the README's “Entering results” shows the format."
)
HISTORY_FILE = Path(user_data_dir("resultsbot", appauthor=False)) / "console_history"
QUIT_WORDS = {"quit", "exit", ":q"}


def reply_for(line: str, service: ResultsService) -> Reply:
    line = line.strip()
    if line.startswith(COMMAND):
        # Whoever runs the console holds the store itself: they see what the desk's editors see.
        return reply_to_command(line[len(COMMAND) :], service, is_editor=lambda: True)
    return reply_to_question(MENTION.sub("", line), service)


class Console:
    """One conversation: remembers the seats last offered, so a number picks one."""

    def __init__(self, service: ResultsService) -> None:
        self.service = service
        self.offered: tuple[tuple[str, str], ...] = ()

    def reply_to(self, line: str) -> Reply:
        line = line.strip()
        if line.isdigit() and self.offered:
            chosen = int(line)
            if not 1 <= chosen <= len(self.offered):
                return notice(f"Pick a number from 1 to {len(self.offered)}.")
            line = f"{COMMAND} {self.offered[chosen - 1][1]}"
        words = line[len(COMMAND) :].split() if line.startswith(COMMAND) else []
        if words and words[0].casefold() == ENTER_WORD:
            return notice(ENTER_OFFLINE)
        if words and words[0].casefold() in FOLLOW_WORDS:
            return notice(FOLLOW_OFFLINE)
        reply = reply_for(line, self.service)
        self.offered = reply.followup.options if reply.followup is not None else reply.options
        return reply


def show(reply: Reply, out: TextIO) -> None:
    audience = "" if reply.public else "(only you can see this)\n"
    lines = reply.plain.split("\n")
    if reply.options:
        # The offered seats, numbered in the order they are shown, so a number picks one.
        numbers = iter(range(1, len(reply.options) + 1))
        lines = [f"  {next(numbers)}. {line[len(BULLET) :]}" if line.startswith(BULLET) else line for line in lines]
    out.write(audience + "\n".join(lines) + "\n\n")
    out.flush()
    if reply.followup is not None:
        show(reply.followup, out)


def _with_line_editing() -> bool:
    """Arrow keys and a history kept between sessions, where the platform has readline."""
    try:
        import readline
    except ImportError:
        return False
    with contextlib.suppress(OSError):  # no history yet
        readline.read_history_file(HISTORY_FILE)
    readline.set_history_length(1000)
    return True


def _save_history() -> None:
    import readline

    with contextlib.suppress(OSError):  # a read-only home: the session still worked
        HISTORY_FILE.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(HISTORY_FILE)


def run_console(settings: Settings, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    store = open_store(settings)
    console = Console(store.results)
    interactive = stdin.isatty() and stdin is sys.stdin
    editing = interactive and _with_line_editing()
    if interactive:
        stdout.write(BANNER)
    try:
        while True:
            if interactive:
                try:
                    line = input("> ")
                except EOFError:
                    return 0
            else:
                line = stdin.readline()
                if not line:
                    return 0
            if line.strip().casefold() in QUIT_WORDS:
                return 0
            if line.strip():
                show(console.reply_to(line), stdout)
    except KeyboardInterrupt:
        return 0
    finally:
        if editing:
            _save_history()
