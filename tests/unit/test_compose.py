"""compose.yaml, the production layout, agrees with the code it runs: commands the CLI has, settings the
bot reads, one port for serve, its health check and the proxy, and every variable documented."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import make_url

from bot.cli import build_parser
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_TEXT = (ROOT / "compose.yaml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES: dict[str, Any] = COMPOSE["services"]
RESULTSBOT = {name: service for name, service in SERVICES.items() if "build" in service}
PROXY_CONF = (ROOT / "deploy" / "proxy.conf").read_text()
PASSWORD = "example0password"


def settings_of(service: str) -> Settings:
    """The bot's settings in that service, POSTGRES_PASSWORD interpolated as compose does."""
    environment = {
        name: re.sub(r"\$\{POSTGRES_PASSWORD:\?[^}]*\}", PASSWORD, str(value))
        for name, value in RESULTSBOT[service]["environment"].items()
    }
    return Settings.from_env(environment, dotenv=False)


def test_each_bot_service_runs_a_command_the_cli_has() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert set(RESULTSBOT) == {"serve", "dispatch"}
    for name, service in RESULTSBOT.items():
        program, *arguments = service["command"]
        assert program in scripts
        assert build_parser().parse_args(arguments).command == name


def test_serve_replicas_leave_posting_to_the_dispatch_service_and_share_its_postgresql() -> None:
    serve, dispatch = settings_of("serve"), settings_of("dispatch")
    assert not serve.serve_dispatches
    assert serve.database_url == dispatch.database_url
    url = make_url(serve.database_url)
    assert url.get_backend_name() == "postgresql" and url.host in SERVICES and url.password == PASSWORD
    database = SERVICES[url.host]
    assert url.username == database["environment"]["POSTGRES_USER"]
    assert url.database == database["environment"]["POSTGRES_DB"]
    assert "healthcheck" in database and any(v.endswith(":/var/lib/postgresql/data") for v in database["volumes"])
    for service in RESULTSBOT.values():
        assert service["depends_on"][url.host]["condition"] == "service_healthy"
    assert SERVICES["serve"]["deploy"]["replicas"] >= 2


def test_the_proxy_and_the_health_check_reach_serve_on_its_port() -> None:
    port = settings_of("serve").port
    (target,) = re.findall(r"set \$serve http://([\w-]+):(\d+);", PROXY_CONF)
    assert target == ("serve", str(port))
    assert f"http://127.0.0.1:{port}/healthz" in " ".join(SERVICES["serve"]["healthcheck"]["test"])
    (listen,) = re.findall(r"listen (\d+);", PROXY_CONF)
    (published,) = SERVICES["proxy"]["ports"]
    assert published.endswith(f":{listen}")
    assert SERVICES["proxy"]["depends_on"]["serve"]["condition"] == "service_healthy"


def test_every_variable_compose_reads_from_env_is_in_env_example() -> None:
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert set(re.findall(r"\$\{([A-Z_]+)", COMPOSE_TEXT)) <= documented
