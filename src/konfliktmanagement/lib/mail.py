"""E-mail over SMTP with the standard library: building a MIME message and handing it to a server.

`send` blocks; callers run it in a worker thread (`domain/outbox/delivery.py`). Errors are described
by `describe_error` as class name and SMTP code only, because server replies may quote addresses.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from konfliktmanagement.lib.settings import Settings

SMTP_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    mime_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = SMTP_TIMEOUT_SECONDS

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig:
        return cls(
            host=settings.mail_host,
            port=settings.mail_port,
            sender=settings.mail_sender,
            username=settings.mail_username,
            password=settings.mail_password,
            starttls=settings.mail_use_tls,
        )


def new_message_id(sender: str) -> str:
    """A globally unique Message-ID in the sender's domain (kept for every attempt of one message)."""
    domain = sender.rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def build_message(
    *,
    sender: str,
    recipients: list[str],
    subject: str,
    text: str,
    html: str | None,
    attachments: list[Attachment],
    message_id: str,
) -> EmailMessage:
    """multipart/mixed( multipart/alternative(text, html), attachments… ) — or less when parts are absent."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for attachment in attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        message.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    return message


def send(config: SmtpConfig, message: EmailMessage, recipients: list[str]) -> dict[str, tuple[int, bytes]]:
    """Hand the message to the server in one SMTP transaction; returns the recipients it refused.

    Raises `smtplib.SMTPException` or `OSError` when the server did not accept the message.
    """
    with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
        if config.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if config.username:
            smtp.login(config.username, config.password)
        return smtp.send_message(message, from_addr=config.sender, to_addrs=recipients)


@dataclass(frozen=True, slots=True)
class MailError:
    code: str  # e.g. "ConnectionRefusedError", "SMTPDataError 554"
    permanent: bool  # retrying cannot help (the server rejected this very message)


def describe_error(exc: BaseException) -> MailError:
    name = type(exc).__name__
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        worst = min(codes) if codes else 0  # a temporary 4xx for anyone makes a retry worthwhile
        return MailError(f"{name} {worst}", permanent=worst >= 500)
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return MailError(f"{name} {exc.smtp_code}", permanent=exc.smtp_code >= 500)
    if isinstance(exc, smtplib.SMTPResponseException):
        # Authentication and other session-level errors are the operator's to fix: keep retrying.
        return MailError(f"{name} {exc.smtp_code}", permanent=False)
    return MailError(name, permanent=False)
