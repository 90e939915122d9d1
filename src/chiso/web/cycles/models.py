from __future__ import annotations

import hashlib
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chiso.core import Framework, parse_framework
from chiso.io.cells import has_control_characters


def no_control_characters(value: str) -> None:
    """A name is printed in documents and workbooks, which cannot hold control characters."""
    if has_control_characters(value):
        raise ValidationError(_("Enter the text without control characters."))


class Organisation(models.Model):
    """The assessor: the provincial Department that runs the assessment."""

    name = models.CharField(
        _("name"), max_length=200, unique=True, validators=[no_control_characters]
    )
    parent_name = models.CharField(
        _("parent body"),
        max_length=200,
        blank=True,
        help_text=_("e.g. UBND TỈNH BÌNH ĐỊNH"),
        validators=[no_control_characters],
    )
    place = models.CharField(
        _("place"),
        max_length=100,
        blank=True,
        help_text=_("for the date line, e.g. Quy Nhơn"),
        validators=[no_control_characters],
    )
    report_template = models.TextField(
        _("wording of the published document (YAML)"),
        blank=True,
        help_text=_(
            "The assessor's template of the published decision or report (docs/reports.md); "
            "empty: the shipped template named after the framework, else the generic one."
        ),
    )

    class Meta:
        verbose_name = _("assessor")
        verbose_name_plural = _("assessors")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An assessed unit; it persists across cycles, so that years can be compared. Its
    assessor owns it (its name, its people); other assessors it is listed to may also include
    it in their cycles (a province's department, assessed by the province and the Ministry)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="units"
    )
    also_assessed_by = models.ManyToManyField(
        Organisation,
        verbose_name=_("also assessed by"),
        blank=True,
        related_name="listed_units",
        help_text=_("Other assessors that may include the unit in their cycles."),
    )
    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    short_name = models.CharField(
        _("short name"), max_length=80, blank=True, validators=[no_control_characters]
    )
    block = models.CharField(
        _("default block"),
        max_length=40,
        blank=True,
        help_text=_(
            "The block code proposed when the unit first joins a cycle (afterwards, its block "
            "in its latest cycle)."
        ),
        validators=[no_control_characters],
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        short = self.short_name.strip()
        if short and self.organisation_id:
            others = Unit.objects.filter(organisation_id=self.organisation_id)
            taken = others.exclude(pk=self.pk).filter(short_name__iexact=short).first()
            if taken is not None:
                # the review's assignment finds a unit by its short name: two alike would
                # each be refused as ambiguous
                raise ValidationError(
                    {"short_name": _("The short name “%(short)s” is already %(unit)s's.")
                     % {"short": short, "unit": taken.name}}
                )  # fmt: skip

    def may_join(self, organisation_id: int) -> bool:
        """Whether the assessor ``organisation_id`` may include the unit in its cycles."""
        if self.organisation_id == organisation_id:
            return True
        return self.also_assessed_by.filter(pk=organisation_id).exists()


class FrameworkVersionQuerySet(models.QuerySet["FrameworkVersion"]):
    def latest_of(self, framework_id: str) -> FrameworkVersion | None:
        return self.filter(framework_id=framework_id).order_by("-version").first()


class FrameworkVersion(models.Model):
    """One version of a framework file, stored as its YAML text.

    A version that a cycle uses is frozen: a change is a new version, so that a past result
    can always be recomputed with the criteria it was computed with.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="frameworks",
    )
    framework_id = models.CharField(_("framework id"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=300)
    year = models.PositiveIntegerField(_("year"))
    source = models.TextField(_("framework file (YAML)"))
    source_name = models.CharField(_("file name"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        ordering = ["framework_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "framework_id", "version"], name="framework_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.framework_id} v{self.version}"

    @property
    def framework(self) -> Framework:
        """The parsed framework (parsed once per process and file content)."""
        return _parse(self.source, self.source_name or self.framework_id)

    @property
    def is_frozen(self) -> bool:
        return self.cycles.exists()

    @staticmethod
    def digest(source: str) -> str:
        return hashlib.sha256(source.encode()).hexdigest()


@lru_cache(maxsize=64)
def _parse(source: str, name: str) -> Framework:
    return parse_framework(source, name)


class MergePolicy(models.TextChoices):
    """A merged unit's earlier result (chiso.core.lineage.MergePolicy, the CLI's choices)."""

    BEST = "best", _("the predecessors' best result")
    MEAN = "mean", _("the predecessors' mean score")
    LARGEST = "largest", _("the result of the largest predecessor (by weight)")


class CycleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for self-assessment")
    UNDER_REVIEW = "under_review", _("Under review")
    PUBLISHED = "published", _("Published")


class Cycle(models.Model):
    """One year's assessment: a framework version, the participating units, a deadline."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="cycles"
    )
    name = models.CharField(_("name"), max_length=300)
    year = models.PositiveIntegerField(_("year"))
    framework = models.ForeignKey(
        FrameworkVersion,
        verbose_name=_("framework"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=CycleState.choices, default=CycleState.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    public_scorecards = models.BooleanField(
        _("public scorecards"),
        default=False,
        help_text=_(
            "Once the results are published, every unit's scorecard is public too, without login."
        ),
    )
    merge_policy = models.CharField(
        _("merged units' earlier result"),
        max_length=8,
        choices=MergePolicy.choices,
        default=MergePolicy.BEST,
    )

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        chosen = self.framework_id and self.organisation_id
        if chosen and self.framework.organisation_id != self.organisation_id:
            raise ValidationError({"framework": _("The framework version is another assessor's.")})

    @property
    def is_open(self) -> bool:
        return self.state == CycleState.OPEN

    @property
    def is_published(self) -> bool:
        return self.state == CycleState.PUBLISHED

    @property
    def scorecards_are_public(self) -> bool:
        """Every unit's scorecard is shown to anyone: published, and the assessor chose so."""
        return self.is_published and self.public_scorecards

    def audit_place(self) -> tuple[Cycle, None]:
        """Where the audit trail files the entries of this record and those below it."""
        return self, None


class Participation(models.Model):
    """A unit taking part in a cycle, in one block of the framework."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="participations"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="participations"
    )
    block = models.CharField(_("block"), max_length=40)
    voluntary = models.BooleanField(
        _("voluntary"), default=False, help_text=_("Scored and listed, not ranked.")
    )

    class Meta:
        verbose_name = _("participating unit")
        verbose_name_plural = _("participating units")
        ordering = ["block", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="participation_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.cycle}"

    def clean(self) -> None:
        super().clean()
        if self.unit_id and self.cycle_id and not self.unit.may_join(self.cycle.organisation_id):
            raise ValidationError(
                {"unit": _("The unit is neither the assessor's nor listed to the assessor.")}
            )

    def audit_place(self) -> tuple[Cycle, Unit]:
        """Where the audit trail files the entries of this record and those below it."""
        return self.cycle, self.unit


class UnitLink(models.Model):
    """From ``year`` on, ``unit`` continues the earlier unit named ``earlier`` (one line of
    the lineage file, docs/frameworks.md section 13): renamed, merged (several links into
    the unit) or split (several units continuing one). The earlier unit is a name, as the
    earlier year's results have it: it may be no unit of the site any more."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="lineage"
    )
    year = models.PositiveIntegerField(_("year"))
    earlier = models.CharField(
        _("earlier unit"), max_length=200, validators=[no_control_characters]
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("The earlier unit's size (population, area …), for the 'largest' policy."),
    )

    class Meta:
        verbose_name = _("unit lineage link")
        verbose_name_plural = _("unit lineage")
        ordering = ["unit__name", "year", "earlier"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "earlier"], name="unitlink_unique_earlier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.year}) ← {self.earlier}"


class CycleCrosswalk(models.Model):
    """The criteria crosswalk of a cycle against an earlier cycle of its assessor scored on
    another framework (the file of ``chiso report --crosswalk``, docs/frameworks.md): which
    earlier criterion or group each of this year's continues. Its rows are kept as read, each
    ``[code, earlier_code]``, checked against both cycles' frameworks when attached."""

    cycle = models.OneToOneField(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="crosswalk"
    )
    earlier = models.ForeignKey(
        Cycle, verbose_name=_("earlier cycle"), on_delete=models.CASCADE, related_name="+"
    )
    pairs = models.JSONField(_("rows"), default=list)
    source_name = models.CharField(_("file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("criteria crosswalk")
        verbose_name_plural = _("criteria crosswalks")

    def __str__(self) -> str:
        return f"{self.cycle} ↔ {self.earlier} ({self.source_name})"

    def audit_place(self) -> tuple[Cycle, None]:
        return self.cycle, None
