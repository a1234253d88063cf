"""E-mail for notices, over SMTP (smtplib). A notice is stored before it is mailed, and a failed
send is recorded on the notice (``mail_state``/``mail_error``), so no notice is ever lost to a
mail server that is down; ``carbonpeak notices send-due`` tries the failed ones again."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from carbonpeak.settings import Settings

__all__ = ["Mail", "SmtpSettings", "send_mail", "smtp_settings"]

TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def smtp_settings(environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
    """The SMTP server of the settings table (CARBONPEAK_SMTP_HOST, _PORT, _SENDER, _USER,
    _PASSWORD, _STARTTLS; ``environ`` instead of the process's, for tests); None when no host is
    set (notices then stay in the inbox only). The port is checked here, when a mail is to be
    sent, so a wrong one fails the mail and not every other reader of the settings."""
    table = Settings.from_env(None if environ is None else dict(environ))
    host = (table.smtp_host or "").strip()
    if not host:
        return None
    port_text = table.smtp_port.strip() or "25"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"CARBONPEAK_SMTP_PORT: expected a port number, found {port_text!r}")
    return SmtpSettings(
        host=host,
        port=int(port_text),
        sender=(table.smtp_sender or "").strip() or "carbonpeak@localhost",
        user=table.smtp_user or None,
        password=table.smtp_password or None,
        starttls=table.smtp_starttls,
    )


def send_mail(settings: SmtpSettings, mail: Mail) -> str | None:
    """Send ``mail``; None when the server took it, else the error as text."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="carbonpeak")
    message.set_content(mail.body, charset="utf-8")
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None
