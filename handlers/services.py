"""What the listeners need, in one bundle that `bot.app` builds and hands to each `register`.

Listeners are module-level functions, as in Bolt's starter template, that take the bundle as the
keyword `services`; `register` binds it, so a test can call a listener directly with a mock
`ack`/`respond` and `services=...`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from handlers.editors import Editors
from store.answers import ResultsService
from store.channel_follows import ChannelFollows
from store.contest_input import ContestInput
from store.enter_result import Entered


@dataclass(frozen=True)
class Services:
    results: ResultsService
    # The desk's one door: validates, stores and queues the posts (see store.enter_result), then
    # tells the answer cache and the dispatcher.
    enter: Callable[[ContestInput], Entered]
    editors: Editors = field(default_factory=Editors)
    # What each channel follows (`/result follow`); None where no store of follows is wired.
    follows: ChannelFollows | None = None


def bound(listener: Callable[..., None], services: Services) -> Callable[..., None]:
    """`listener` with `services` given, for Bolt to call. Bolt passes a listener the arguments it
    names (ack, command, respond, …), and gives lazy listeners a deep copy of its context, which a
    store with its connections and locks cannot be: so the bundle is bound here instead."""
    call = functools.partial(listener, services=services)
    setattr(call, "__name__", listener.__name__)  # noqa: B010  Bolt names listeners in its logs
    return call


def acknowledge(ack: Callable[[], Any]) -> None:
    """The ack of a listener whose work runs after it (Bolt's lazy listeners): Slack is answered from
    the request's own thread at once, however busy the workers answering earlier requests are."""
    ack()
