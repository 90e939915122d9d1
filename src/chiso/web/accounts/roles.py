"""What a person's role lets them be: the one place the roles are read.

Each predicate takes any user, anonymous included, and answers for the role alone; what a
role may do with a given object (a cycle, a unit, a review) is each app's ``access.py``,
which asks these predicates, never the role's name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import translation

from chiso.web.accounts.models import UNIT_ROLES, Role, User

__all__ = [
    "assessor_admins",
    "belongs_to",
    "can_submit",
    "follows_every_unit",
    "is_assessor",
    "is_member_of",
    "is_reviewer",
    "is_site_admin",
    "is_unit_member",
    "is_viewer",
    "organisation_id",
    "oversees",
    "reads_files",
    "review_team",
    "role_has_unit",
    "role_named",
    "role_names",
    "unit_people",
]


def _role(user: Any) -> str | None:
    return getattr(user, "role", None) if user.is_authenticated else None


def is_assessor(user: Any) -> bool:
    """The assessor's administrator (or a superuser): runs the cycles."""
    return bool(user.is_authenticated and (user.is_superuser or _role(user) == Role.ADMIN))


def is_reviewer(user: Any) -> bool:
    return _role(user) == Role.REVIEWER


def is_viewer(user: Any) -> bool:
    """The province's leadership: reads everything, changes nothing."""
    return _role(user) == Role.VIEWER


def is_unit_member(user: Any) -> bool:
    """A unit's editor or head: sees only that unit."""
    return _role(user) in UNIT_ROLES


def is_member_of(user: Any, unit_id: int | None) -> bool:
    """One of the people of the unit ``unit_id``."""
    return is_unit_member(user) and unit_id is not None and user.unit_id == unit_id


def can_submit(user: Any) -> bool:
    """The unit's head, who signs and submits its self-assessment."""
    return _role(user) == Role.HEAD


def oversees(user: Any) -> bool:
    """The assessor and viewers: the cycles' pages, drafts of results, every unit."""
    return is_assessor(user) or is_viewer(user)


def follows_every_unit(user: Any) -> bool:
    """The assessor, viewers and reviewers: every cycle and every unit of it (what each may do
    there is narrowed by the app: a reviewer reviews only their assignments)."""
    return oversees(user) or is_reviewer(user)


def is_site_admin(user: Any) -> bool:
    """A superuser: manages the assessors and acts as the administrator of each of them."""
    return bool(user.is_authenticated and user.is_superuser)


def organisation_id(user: Any) -> int | None:
    """The assessor the person belongs to (a unit's people: their unit's); None for a site
    administrator and for anyone not logged in."""
    return getattr(user, "organisation_id", None) if user.is_authenticated else None


def belongs_to(user: Any, organisation_id: int | None) -> bool:
    """Whether the person is one of the assessor's people (a site administrator is one of
    every assessor's). The assessor's records are shown only to them: to anyone else, as if
    they did not exist (404)."""
    if is_site_admin(user):
        return True
    own = getattr(user, "organisation_id", None) if user.is_authenticated else None
    return own is not None and own == organisation_id


def reads_files(user: Any) -> bool:
    """Whether the user downloads the files of a unit they see (evidence, the signed form,
    review responses): its own people, the assessor and reviewers, not viewers."""
    return is_unit_member(user) or is_assessor(user) or is_reviewer(user)


_ROLE_ALIASES = {  # the short names people write
    "quản trị": Role.ADMIN, "người thẩm định": Role.REVIEWER, "thẩm định": Role.REVIEWER,
    "cán bộ nhập liệu": Role.EDITOR, "nhập liệu": Role.EDITOR,
}  # fmt: skip


def role_names() -> dict[Role, str]:
    """Each role's name in Vietnamese, as a workbook lists them."""
    with translation.override("vi"):
        return {role: str(role.label) for role in Role}


def role_named(text: str) -> Role | None:
    """The role a person wrote (a workbook's cell): its Vietnamese or English name, its value
    (``editor``) or a usual short name (“Quản trị”), without regard to case."""
    folded = text.strip().casefold()
    names = {name.casefold(): role for role, name in role_names().items()}
    with translation.override("en"):
        names |= {str(role.label).casefold(): role for role in Role}
    names |= {role.value: role for role in Role} | _ROLE_ALIASES
    return names.get(folded)


def role_has_unit(role: Role | str) -> bool:
    """Whether a person of ``role`` belongs to a unit (editors and heads), and only they."""
    return role in UNIT_ROLES


def assessor_admins(organisation_id: int) -> QuerySet[User]:
    """The active people who run the assessor's cycles (told of each submission and
    response); site administrators only where they were given the assessor."""
    return User.objects.filter(
        Q(role=Role.ADMIN) | Q(is_superuser=True), organisation_id=organisation_id, is_active=True
    )


def review_team(organisation_id: int) -> QuerySet[User]:
    """The assessor's active reviewers (told when a review round opens or closes)."""
    return User.objects.filter(role=Role.REVIEWER, organisation_id=organisation_id, is_active=True)


def unit_people(unit_ids: Iterable[int]) -> QuerySet[User]:
    """The active editors and heads of these units."""
    return User.objects.filter(role__in=UNIT_ROLES, unit_id__in=list(unit_ids), is_active=True)
