"""Settings from the environment and a local .env file (what `make run` writes): the README's
commands work after `make run`, and production's environment always wins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
READ_SETTINGS = (
    "import json, ministry.settings as s; "
    "print(json.dumps({'DEBUG': s.DEBUG, 'SECRET_KEY': s.SECRET_KEY, 'SITE_URL': s.SITE_URL}))"
)
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "production-key-" + "x" * 50,
    "ALLOWED_HOSTS": "press.example.gov.by",
    "SITE_URL": "https://press.example.gov.by",
}


def settings_with(env: dict[str, str], env_file: Path | None) -> subprocess.CompletedProcess:
    """Import the settings in a fresh process with only env (and the .env file) to read."""
    clean = {name: value for name, value in os.environ.items() if name in ("PATH", "HOME")}
    clean.update(env, ENV_FILE=str(env_file) if env_file else "")
    return subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def read(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def dev_env_file(tmp_path) -> Path:
    path = tmp_path / ".env"
    path.write_text(
        "# Written by make run\n"
        "DEBUG=1\n"
        "SECRET_KEY='local-development-key'\n"
        "\n"
        'export SITE_URL="http://127.0.0.1:8000"\n'
    )
    return path


def test_the_env_file_is_read_when_the_environment_says_nothing(dev_env_file):
    settings = read(settings_with({}, dev_env_file))

    assert settings == {
        "DEBUG": True,
        "SECRET_KEY": "local-development-key",
        "SITE_URL": "http://127.0.0.1:8000",
    }


def test_the_production_environment_wins_over_the_env_file(dev_env_file):
    settings = read(settings_with(PRODUCTION, dev_env_file))

    assert settings["DEBUG"] is False
    assert settings["SECRET_KEY"] == PRODUCTION["SECRET_KEY"]
    assert settings["SITE_URL"] == "https://press.example.gov.by"


def test_without_an_env_file_debug_off_still_needs_a_secret_key(tmp_path):
    result = settings_with({}, tmp_path / "missing.env")

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is required when DEBUG is off." in result.stderr


def test_a_bad_boolean_in_the_env_file_is_an_error(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=maybe\n")

    result = settings_with({}, env_file)

    assert "ImproperlyConfigured: DEBUG='maybe' is not a boolean" in result.stderr


def test_a_line_that_is_not_name_equals_value_is_an_error(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSECRET_KEY local\n")

    result = settings_with({}, env_file)

    assert f"ImproperlyConfigured: {env_file}:2: expected NAME=value" in result.stderr


def test_check_deploy_refuses_debug_and_the_development_key(dev_env_file):
    """The production environment without DEBUG=0 and a key: .env's development values show."""
    env = {**PRODUCTION, "DATABASE_URL": "sqlite:////tmp/unused.sqlite3"}
    del env["DEBUG"], env["SECRET_KEY"]
    clean = {name: value for name, value in os.environ.items() if name in ("PATH", "HOME")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env, "ENV_FILE": str(dev_env_file)},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on
    assert "security.W009" in result.stderr  # a weak SECRET_KEY
