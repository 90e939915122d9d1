"""Numbers on the self-assessment pages, written the Vietnamese way (decimal comma)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

from django import template
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from chiso import format as fmt

register = template.Library()


@register.filter
def number(value: object) -> str:
    """An exact number as typed back into a field: "12.5" → "12,5"; text stays as it is."""
    if value is None or value == "":
        return ""
    try:
        decimal = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return fmt.plain(decimal, get_format("DECIMAL_SEPARATOR"))


@register.filter
def points(value: Decimal | None, decimals: int = 2) -> str:
    """Points rounded half up to at most ``decimals`` places: 3.75 → "3,75", 13 → "13"."""
    return _pts(value, get_format("DECIMAL_SEPARATOR"), decimals)


@register.simple_tag
def score(item: Any, oob: bool = False) -> str:
    """A criterion's or group's live points: "3,75 / 5", "–" under a group declared not
    applicable, "N/A" before the points of one declared so; ``oob``: to be swapped in out of
    band after a save."""
    return mark_safe(_Scores().span(item, oob))


@register.simple_tag
def scores_oob(page: Any) -> str:
    """Every item's points of the page, swapped in out of band after a save: a save can change
    the points of its groups and parts, and of the criteria that read it. Written here rather
    than by including a template per item: the form of a national framework has hundreds."""
    scores = _Scores()
    return mark_safe("\n".join(scores.span(item, True) for item in page.items.values()))


class _Scores:
    """The points' spans of one page, in the page's language (the words escaped once)."""

    def __init__(self) -> None:
        self.separator = get_format("DECIMAL_SEPARATOR")
        # the words outside the f-strings, where `make messages` finds them
        no_points, not_applicable = escape(_("no points")), escape(_("N/A"))
        self.no_points = f'<em class="muted">{no_points}</em>'
        self.not_applicable = f'<em class="muted">{not_applicable}</em> '

    def span(self, item: Any, oob: bool) -> str:
        if item.covered:
            inner = "–"
        elif item.kind == "info":
            inner = self.no_points
        elif item.result:
            declared = self.not_applicable if item.declared_na else ""
            score = _pts(item.result.score, self.separator)
            inner = f"{declared}<strong>{score}</strong> / {_pts(item.result.max, self.separator)}"
        else:
            inner = ""
        swap = ' hx-swap-oob="true"' if oob else ""
        return f'<span class="score" id="score-{escape(item.dom_id)}"{swap}>{inner}</span>'


def _pts(value: Decimal | None, separator: str, decimals: int = 2) -> str:
    """Digits, a sign and the separator: nothing to escape."""
    return "–" if value is None else fmt.points(value, decimals, separator)
