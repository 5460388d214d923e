"""Who may enter results: the desk's editors, named in settings or members of a Slack user group."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from slack_sdk import WebClient

log = logging.getLogger(__name__)

REFUSAL = (
    "Sorry, only the results desk can enter results. Ask an editor to add you to RESULTSBOT_EDITORS "
    "(or to the desk's Slack user group) if you need to."
)
LOOKUP_FAILED = " (I couldn't check the editors' user group just now, so try again in a minute if you are on it.)"
GROUP_CACHE_SECONDS = 60.0

EditorStatus = Literal["editor", "not_editor", "unknown"]


class GroupMembers:
    """Members of Slack user groups, remembered briefly: a modal's open and submit would otherwise
    each cost an API call, and Slack rate-limits usergroups.users.list (tier 2)."""

    def __init__(self, ttl_seconds: float = GROUP_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl_seconds
        self.clock = clock
        self._members: dict[tuple[str, str], tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def members(self, client: WebClient, group_id: str) -> frozenset[str]:
        """The group's user IDs; raises SlackApiError (or a connection error) when Slack cannot say."""
        # Keyed by API URL too, so tests pointing clients at different fakes never share answers.
        key = (str(client.base_url), group_id)
        now = self.clock()
        with self._lock:
            cached = self._members.get(key)
            if cached is not None and now - cached[0] < self.ttl:
                return cached[1]
        # This runs before a form submission is acked (3 s), so: one quick try, no retries.
        quick = WebClient(token=client.token, base_url=client.base_url, timeout=2, retry_handlers=[])
        response = quick.usergroups_users_list(usergroup=group_id)
        users = frozenset(str(u) for u in response.get("users") or ())
        with self._lock:
            self._members[key] = (self.clock(), users)
        return users


@dataclass
class Editors:
    """The desk: user IDs named in RESULTSBOT_EDITORS, and members of RESULTSBOT_EDITOR_GROUP."""

    users: tuple[str, ...] = ()
    group: str | None = None
    members: GroupMembers = field(default_factory=GroupMembers)

    def status(self, user_id: str, client: WebClient) -> EditorStatus:
        """Whether `user_id` may enter results: "unknown" when the group could not be read, which
        denies too."""
        if user_id and user_id in self.users:
            return "editor"
        if not user_id or not self.group:
            return "not_editor"
        try:
            members = self.members.members(client, self.group)
        except Exception as error:  # an API error, a timeout: deny, but say why in the log
            log.warning("could not read editor group %s to check user %s: %s", self.group, user_id, error)
            return "unknown"
        return "editor" if user_id in members else "not_editor"


def refusal(status: EditorStatus) -> str:
    return REFUSAL + (LOOKUP_FAILED if status == "unknown" else "")
