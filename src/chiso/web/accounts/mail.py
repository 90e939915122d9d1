"""E-mail to people: in Vietnamese (the person's language when the site knows it, later), a
text part and an HTML part, sent through Django's e-mail backend (the console in the demo,
SMTP in production: docs/operation.md).

A message is three templates named after it: ``{name}_subject.txt`` (one line),
``{name}.txt`` and ``{name}.html``; each is given ``context`` with ``site_url`` (the address
links start with, ``CHISO_SITE_URL``) and ``person`` (the recipient).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

__all__ = ["message_for", "send_to", "site_url"]


def site_url() -> str:
    """The site's address, without a trailing slash, for links in e-mails sent outside a
    request (a reminder sent by cron)."""
    return str(settings.CHISO_SITE_URL).rstrip("/")


def message_for(
    person: Any, name: str, context: Mapping[str, Any] | None = None
) -> EmailMultiAlternatives:
    """The e-mail ``name`` to ``person`` (a user with an e-mail address), not sent yet."""
    values = {"site_url": site_url(), "person": person, **(context or {})}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{name}_subject.txt", values).split())
        text = render_to_string(f"{name}.txt", values)
        html = render_to_string(f"{name}.html", values)
    message = EmailMultiAlternatives(subject, text, to=[person.email])
    message.attach_alternative(html, "text/html")
    return message


def send_to(person: Any, name: str, context: Mapping[str, Any] | None = None) -> bool:
    """Send the e-mail ``name`` to ``person``; False when the person has no e-mail address."""
    if not person.email:
        return False
    message_for(person, name, context).send()
    return True
