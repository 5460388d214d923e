"""An offline console: type what you would type in Slack and read the bot's reply as text."""

from __future__ import annotations

import re
import sys
from typing import TextIO

from bot.bootstrap import open_store
from bot.config import Settings
from handlers.replies import Reply, reply_to_command, reply_to_question
from store.answers import ResultsService

MENTION = re.compile(r"^@\S+\s*")
BANNER = """resultsbot console — no Slack credentials are set, so replies print here.
Type as you would in Slack:  /result stoke   ·   @resultsbot who won hartlepool?   ·   quit
"""


def reply_for(line: str, service: ResultsService) -> Reply:
    line = line.strip()
    if line.startswith("/result"):
        return reply_to_command(line[len("/result") :], service)
    return reply_to_question(MENTION.sub("", line), service)


def show(reply: Reply, out: TextIO) -> None:
    audience = "" if reply.public else "(only you can see this)\n"
    out.write(f"{audience}{reply.plain}\n\n")
    out.flush()


def run_console(settings: Settings, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    store = open_store(settings)
    interactive = stdin.isatty()
    if interactive:
        stdout.write(BANNER)
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = stdin.readline()
        if not line or line.strip().casefold() in {"quit", "exit", ":q"}:
            return 0
        if line.strip():
            show(reply_for(line, store.results), stdout)
