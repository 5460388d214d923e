"""What the listeners need, in one bundle that `bot.app` builds and hands to each `register`.

Listeners are module-level functions, as in Bolt's starter template; each listener is registered with
a middleware that puts the bundle in Bolt's `context`, so a test can call a listener directly with a
mock `ack`/`respond` and `context={"services": services}`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from handlers.editors import Editors
from store.answers import ResultsService
from store.contest_input import ContestInput
from store.enter_result import Entered

CONTEXT_KEY = "services"


@dataclass(frozen=True)
class Services:
    results: ResultsService
    # The desk's one door: validates, stores and queues the posts (see store.enter_result), then
    # tells the answer cache and the dispatcher.
    enter: Callable[[ContestInput], Entered]
    editors: Editors = field(default_factory=Editors)


def with_services(services: Services) -> Callable[..., Any]:
    """A listener middleware that hands `services` to the listener through Bolt's context."""

    def middleware(context: dict[str, Any], next: Callable[[], Any]) -> Any:
        context[CONTEXT_KEY] = services
        return next()

    return middleware


def services_of(context: Mapping[str, Any]) -> Services:
    services = context[CONTEXT_KEY]
    assert isinstance(services, Services)
    return services
