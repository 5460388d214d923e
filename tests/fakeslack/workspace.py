"""Who the fake workspace is: the ids and names both the Web API and the Socket Mode side answer with."""

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "A0RESULTS"
TEAM_ID = "T1"
TEAM_NAME = "Newsroom"
TEAM_URL = "https://newsroom.slack.com/"
