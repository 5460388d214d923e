"""`/result follow …`, `/result unfollow …` and `/result following`: what a channel follows, in words.

Anyone in a channel may change its follows, so a change is said in the channel, naming who made it
("<@U123> made this channel follow gains."); a follow that cannot be read, or changes nothing, is said
only to whoever typed it. Which results a follow brings is `store.follows`.
"""

from __future__ import annotations

from handlers import blocks
from handlers.replies import Reply, notice
from store.channel_follows import FOLLOW_USAGE, ChannelFollows, UnknownTarget
from store.follows import ALL, Follow

FOLLOW, UNFOLLOW, FOLLOWING = "follow", "unfollow", "following"
FOLLOW_WORDS = frozenset({FOLLOW, UNFOLLOW, FOLLOWING})
FOLLOW_OFFLINE = (
    "Follows belong to a Slack channel: typed there, `/result follow gains` (or all, a seat, a nation or "
    "region, a party) posts those results in that channel as they are entered. The console has no channel."
)
# A direct message's ID: the bot may not be able to post there, and a desk follows in its channel.
DIRECT_MESSAGE_PREFIX = "D"
BY_SETTING = "all results, by the bot's RESULTSBOT_RESULTS_CHANNEL setting"


def announcement(user_id: str, text: str) -> Reply:
    """Who did what, for everyone in the channel to see."""
    shown = f"{blocks.mention(user_id)} {text}"
    return Reply(blocks.announcement_text(user_id, text), blocks.announcement_blocks(user_id, text), shown, True)


def reply_to_follow(verb: str, text: str, *, channel: str, user: str, follows: ChannelFollows) -> Reply:
    """`verb` (one of FOLLOW_WORDS) with the rest of the command, `text`, typed in `channel` by `user`."""
    if not channel or channel.startswith(DIRECT_MESSAGE_PREFIX):
        return notice("Follows belong to a channel: type this in the channel that should get the results.")
    if verb == FOLLOWING:
        return following_reply(channel, follows)
    try:
        wanted = follows.understand(channel, text)
    except UnknownTarget as unknown:
        if unknown.options:
            listed = "".join(f"\n• `/result {verb} {name}`" for name in unknown.options)
            return notice(f"{unknown.message}{listed}")
        return notice(unknown.message)
    setting_covers = follows.follows_all_by_setting(channel) and _everything(wanted)
    if verb == FOLLOW:
        if setting_covers or not follows.follow(wanted, user):
            what = BY_SETTING if setting_covers else wanted.describe()
            return notice(f"This channel already follows {what}: nothing changed.")
        return announcement(user, f"made this channel follow {wanted.describe()}.")
    if follows.unfollow(wanted):
        return announcement(user, f"made this channel stop following {wanted.describe()}.")
    if setting_covers:
        return notice(
            f"This channel follows {BY_SETTING}; `/result unfollow` cannot change that. "
            "Whoever runs the bot can take the channel out of the setting."
        )
    return notice(f"This channel does not follow {wanted.describe()}: nothing changed.\n{_listing(channel, follows)}")


def following_reply(channel: str, follows: ChannelFollows) -> Reply:
    return notice(_listing(channel, follows))


def _listing(channel: str, follows: ChannelFollows) -> str:
    lines = [f"• {BY_SETTING}"] if follows.follows_all_by_setting(channel) else []
    for follow, added_by in follows.following(channel):
        by = f" (added by {added_by})" if added_by else ""
        lines.append(f"• {follow.describe()}{by}")
    if not lines:
        return f"This channel follows nothing yet. {FOLLOW_USAGE}"
    return "This channel follows:\n" + "\n".join(lines)


def _everything(follow: Follow) -> bool:
    return follow.kind == ALL and follow.year is None and follow.election_kind is None
