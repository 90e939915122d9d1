"""What publishing a cycle's results, or a correction of them, does, sentence by sentence, for
their confirmation pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chiso.web.results.services import CorrectionFacts, PublicationFacts
from chiso.web.reviews.models import Stage
from chiso.web.reviews.pages import Consequence

__all__ = ["correction_consequences", "publication_consequences"]


def publication_consequences(facts: PublicationFacts) -> list[Consequence]:
    out = [_stage(facts.stage)]
    text = ngettext("%(n)s unit is ranked.", "%(n)s units are ranked.", facts.ranked) % {
        "n": facts.ranked
    }
    out.append(Consequence(text))
    if facts.not_ranked:
        text = ngettext(
            "%(n)s unit has results but is not ranked.",
            "%(n)s units have results but are not ranked.",
            facts.not_ranked,
        ) % {"n": facts.not_ranked}
        out.append(Consequence(text))
    if facts.no_data:
        text = ngettext(
            "%(n)s unit did not submit: it is listed without results.",
            "%(n)s units did not submit: they are listed without results.",
            facts.no_data,
        ) % {"n": facts.no_data}
        out.append(Consequence(text, warn=True))
    text = _(
        "Publishing is final: the public page, the API and the documents show these results "
        "from now on, and the cycle does not change any more; a later change is a correction "
        "with its reason, published beside them."
    )
    return [*out, Consequence(text)]


def _stage(stage: str) -> Consequence:
    if stage == Stage.FINAL:
        return Consequence(_("The review is final: the results count its verified answers."))
    if not stage:
        return Consequence(
            _("No review took place: the results count the submitted answers as they are."),
            warn=True,
        )
    text = _(
        "The review is at “%(stage)s”, not final: the results count only the rounds that are "
        "closed."
    ) % {"stage": Stage(stage).label}
    return Consequence(text, warn=True)


def correction_consequences(facts: CorrectionFacts) -> list[Consequence]:
    number = {"new": facts.revision + 1, "old": facts.revision}
    text = (
        _(
            "Revision %(new)s is published with its reason and replaces revision %(old)s on the "
            "public page, in the API and the documents; revision %(old)s stays listed."
        )
        % number
    )
    out = [Consequence(text)]
    totals = ngettext("%(n)s unit's total changes.", "%(n)s units' totals change.", facts.totals)
    ranks = ngettext("%(n)s unit's rank changes.", "%(n)s units' ranks change.", facts.ranks)
    tiers = ngettext("%(n)s unit's tier changes.", "%(n)s units' tiers change.", facts.tiers)
    changes = [(facts.totals, totals), (facts.ranks, ranks), (facts.tiers, tiers)]
    out += [Consequence(text % {"n": count}) for count, text in changes if count]
    if not any(count for count, _text in changes):
        text = _("No total, rank or tier changes against revision %(old)s.") % number
        out.append(Consequence(text, warn=True))
    return out
