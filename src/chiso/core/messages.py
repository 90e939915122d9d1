"""Sentences for people, written in English and said in another language from chiso's own
gettext catalogue (``locale/<language>/LC_MESSAGES/chiso.mo``), without Django.

A :class:`Message` is the English text itself (a ``str``), so code and tests that read an
error's text keep reading English; it also keeps its template and values, so
``message.in_language("vi")`` gives the Vietnamese sentence with the same values.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any

__all__ = ["LANGUAGES", "Message", "message_of", "say"]

LANGUAGES = ("en", "vi")
"""The languages chiso's own messages are written in; English is the source."""

LOCALE = Path(__file__).parent / "locale"
DOMAIN = "chiso"


class Message(str):
    """An English sentence made from ``template`` (``str.format`` fields) and its values; the
    template is the msgid of the catalogue. A value that is itself a Message is said in the
    same language."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Message:
        self = super().__new__(cls, template.format(**params) if params else template)
        self.template = template
        self.params = params
        return self

    def in_language(self, language: str) -> str:
        """This sentence in ``language`` (``"vi"``); English when it has no translation."""
        if language == "en":
            return str(self)
        template = _catalogue(language).gettext(self.template)
        # a number the English groups ({count:,}) is grouped the language's way
        grouped = {
            field for _text, field, spec, _c in Formatter().parse(self.template) if spec == ","
        }
        plain = {field for _text, field, spec, _c in Formatter().parse(template) if not spec}
        values = {
            name: _grouped(value, language) if name in grouped & plain else say(value, language)
            for name, value in self.params.items()
        }
        return template.format(**values) if values else template


def _grouped(value: Any, language: str) -> Any:
    """A whole number with its thousands grouped as ``language`` writes them (5.000 in
    Vietnamese); any other value as :func:`say` gives it."""
    if isinstance(value, int) and not isinstance(value, bool) and language == "vi":
        return f"{value:,}".replace(",", ".")
    return say(value, language)


def say(text: Any, language: str) -> Any:
    """``text`` in ``language`` when it is a :class:`Message`; other values unchanged."""
    return text.in_language(language) if isinstance(text, Message) else text


def message_of(error: BaseException) -> str:
    """The sentence an exception was raised with: its :class:`Message` when it was given one
    (``str(error)`` is only its English), else its text."""
    if len(error.args) == 1 and isinstance(error.args[0], Message):
        return error.args[0]
    return str(error)


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE, languages=[language], fallback=True)
