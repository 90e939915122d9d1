"""The role predicates of ``accounts/roles.py`` for templates: ``{% if user|is_assessor %}``.

A page rendered without a person (an error page's own context) answers no to each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template

from chiso.web.accounts import roles

register = template.Library()


def _filter(predicate: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def answer(user: Any) -> bool:
        return hasattr(user, "is_authenticated") and predicate(user)

    return answer


for _predicate in (
    roles.is_assessor,
    roles.is_reviewer,
    roles.is_viewer,
    roles.is_unit_member,
    roles.oversees,
    roles.follows_every_unit,
    roles.reads_files,
):
    register.filter(_predicate.__name__, _filter(_predicate))
