"""A real SMTP server for tests (aiosmtpd on a free port), and the queue's worker run in place.

def test_x(smtp_server): ...   # mail goes to it; smtp_server.messages are what arrived
(the fixture is available in every test module through tests/conftest.py)
smtp_server.refuse("a@example.org", "450 4.2.0 Mailbox busy", times=2)
"""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from ministry.mail import smtp


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    """Accepts every message and keeps it, except recipients told to refuse for a while."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = 0
        self.messages: list[EmailMessage] = []
        self.replies: dict[str, list[str]] = {}

    def refuse(self, address: str, reply: str, times: int = 1) -> None:
        self.replies.setdefault(address.lower(), []).extend([reply] * times)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        replies = self.replies.get(address.lower())
        if replies:
            return replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages addressed to address."""
        return [m for m in self.messages if address in m.get_all("To", [])]


def text_of(message: EmailMessage, subtype: str = "plain") -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()


@pytest.fixture
def smtp_server(settings):
    """A listening SMTP server; Django's mail goes to it for the test."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    settings.MAILERS = {"default": smtp("127.0.0.1", controller.port)}
    try:
        yield handler
    finally:
        controller.stop()


def run_worker() -> None:
    """What `manage.py db_worker` does, until no task is due: the real worker, in place."""
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval=0", verbosity=0
    )
