"""A real SMTP server on loopback (aiosmtpd) for the outbox tests, and a port where nothing listens."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    """What the server accepted; `reply` lets a test make it reject DATA (e.g. "554 no"), `refused` some recipients."""

    messages: list[Received] = field(default_factory=list)
    delay: float = 0.0
    reply: str = "250 Message accepted for delivery"
    refused: set[str] = field(default_factory=set)  # recipients RCPT TO answers "550" for
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)  # keeps each SMTP transaction open long enough to overlap
        if not self.reply.startswith("250"):
            return self.reply
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return self.reply


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname=HOST, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """Not started: call `.start()` (nothing listens on `.port` before)."""
    # aiosmtpd logs envelopes (addresses) at INFO; that is the test server's log, not the app's.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    server = SmtpServer(free_port())
    yield server
    server.stop()
