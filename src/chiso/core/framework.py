"""The framework model: a province's methodology as data.

A framework is read from YAML (see :mod:`chiso.core.loader` and docs/frameworks.md) and
validated here. Nothing in this module knows about files; every check raises a pydantic
validation error whose location is the field path, which the loader turns into a line number.
A check of a whole part that is about one field or item inside it raises :class:`InvalidAt`,
which says where inside.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)

from chiso.core.messages import Message
from chiso.core.numbers import ZERO, NumberOutOfBounds, bounded, to_decimal

__all__ = [
    "Band",
    "Block",
    "Classification",
    "Display",
    "Framework",
    "InvalidAt",
    "Node",
    "Option",
    "Ranking",
    "Rule",
    "TagDef",
    "Tier",
]


def _decimal(value: Any) -> Any:
    """A number of the file as an exact Decimal, within the bounds of any number read
    (:func:`chiso.core.numbers.bounded`: ``1e-200000000`` is refused, not written out)."""
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        try:
            number = to_decimal(value)
        except NumberOutOfBounds:
            raise
        except ValueError:
            return value  # pydantic reports it as not a number
        return bounded(number) if number.is_finite() else number
    return value


Where = tuple[str | int, ...]
"""A place in a framework: field names and list positions, as in pydantic's error locations."""


class InvalidAt(ValueError):
    """A check of a part that failed at ``loc`` inside it, which the loader appends to
    pydantic's location of the part."""

    def __init__(self, loc: Where, message: str) -> None:
        super().__init__(message)
        self.loc = loc


ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
CODE_PATTERN = r"^[^\s:;,]+$"

Num = Annotated[Decimal, BeforeValidator(_decimal)]
Code = Annotated[str, Field(min_length=1, max_length=40, pattern=CODE_PATTERN)]
NotApplicablePolicy = Literal["exclude", "full_credit"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- rules -------------------------------------------------------------------------------


class Band(_Model):
    """From ``min`` (inclusive) upwards the criterion is worth ``points``."""

    min: Num
    points: Num = Field(ge=0)


class Option(_Model):
    value: str
    label: str | None = None
    points: Num = Field(ge=0)


def _check_ascending(bands: list[Band], field: str) -> None:
    for index, (lower, upper) in enumerate(pairwise(bands), start=1):
        if upper.min <= lower.min:
            raise InvalidAt(
                (field, index, "min"),
                Message("{field} must be listed by ascending 'min'", field=field),
            )


def _first_repeated(values: list[Any]) -> int | None:
    """The position of the first value that an earlier one repeats."""
    seen = set()
    for index, value in enumerate(values):
        if value in seen:
            return index
        seen.add(value)
    return None


class _Rule(_Model):
    def point_values(self) -> list[tuple[Where, Decimal]]:
        """Fixed point values the rule can give, with where each is in the rule, to check
        against the criterion's maximum."""
        return []


class YesNoRule(_Rule):
    """Yes = the criterion's maximum, no = 0."""

    type: Literal["yes_no"]


class YesNoEvidenceRule(_Rule):
    """Yes counts only when evidence is attached; otherwise 0."""

    type: Literal["yes_no_evidence"]


class BandsRule(_Rule):
    """A ratio (%) scored in bands: Bình Định's 3 steps are 0 / 1 / 2 points."""

    type: Literal["bands"]
    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _ascending_bands(self) -> BandsRule:
        _check_ascending(self.bands, "bands")
        return self

    def point_values(self) -> list[tuple[Where, Decimal]]:
        return [(("bands", i, "points"), band.points) for i, band in enumerate(self.bands)]


class ProportionalRule(_Rule):
    """A ratio scored proportionally: max × ratio / full_at, capped at max."""

    type: Literal["proportional"]
    full_at: Num = Field(default=Decimal(100), gt=0)


class CountRule(_Rule):
    """A count scored by thresholds (like bands) or per item up to the maximum."""

    type: Literal["count"]
    thresholds: list[Band] | None = None
    per_item: Num | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_way(self) -> CountRule:
        if (self.thresholds is None) == (self.per_item is None):
            raise ValueError(
                Message("a count rule needs exactly one of 'thresholds' or 'per_item'")
            )
        if self.thresholds is not None:
            _check_ascending(self.thresholds, "thresholds")
        return self

    def point_values(self) -> list[tuple[Where, Decimal]]:
        return [
            (("thresholds", i, "points"), band.points)
            for i, band in enumerate(self.thresholds or [])
        ]


class ChoiceRule(_Rule):
    """One option among several, each with its points."""

    type: Literal["choice"]
    options: list[Option] = Field(min_length=2)

    @field_validator("options")
    @classmethod
    def _unique(cls, options: list[Option]) -> list[Option]:
        index = _first_repeated([option.value.casefold() for option in options])
        if index is not None:
            raise InvalidAt((index, "value"), Message("option values must be unique"))
        return options

    def point_values(self) -> list[tuple[Where, Decimal]]:
        return [(("options", i, "points"), option.points) for i, option in enumerate(self.options)]


class RelativeRule(_Rule):
    """max × value / best value of the block (the Ministry's older method)."""

    type: Literal["relative"]


class InfoRule(_Rule):
    """Collected but worth 0 points (the national DTI's smart-city index)."""

    type: Literal["info"]


class PointsRule(_Rule):
    """Points entered directly, 0..max, decimals allowed."""

    type: Literal["points"]


_POINTS = PointsRule(type="points")

Rule = Annotated[
    YesNoRule
    | YesNoEvidenceRule
    | BandsRule
    | ProportionalRule
    | CountRule
    | ChoiceRule
    | RelativeRule
    | InfoRule
    | PointsRule,
    Field(discriminator="type"),
]

RATIO_RULES = (BandsRule, ProportionalRule)

# --- classification and ranking ------------------------------------------------------


class Tier(_Model):
    label: str = Field(min_length=1)
    min: Num | None = None
    heading: str | None = None
    """The section row printed above the tier's units, e.g. "Mức tốt"; defaults to the label."""

    @property
    def section(self) -> str:
        return self.heading or self.label


class BelowLowest(_Model):
    """What a unit below the lowest tier gets: Cao Bằng's "KXH – Không xếp hạng"."""

    label: str = Field(min_length=1)
    ranked: bool = False
    """Whether such a unit still gets a rank (Cao Bằng prints a "Thứ tự" for every unit)."""


class Classification(_Model):
    """Tiers, highest first; a unit below the lowest gets ``below_lowest``."""

    basis: Literal["percent", "points"] = "percent"
    precision: int | None = Field(default=None, ge=0, le=6)
    """Classify on the value rounded to this many decimals (display scale); None = exact."""
    tiers: list[Tier] = Field(min_length=1)
    below_lowest: BelowLowest | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Classification:
        mins = [tier.min for tier in self.tiers]
        last = len(mins) - 1
        for index, value in enumerate(mins[:-1]):
            if value is None:
                raise InvalidAt(
                    ("tiers", index),
                    Message(
                        "tier {number} needs a 'min': only the last tier may omit it",
                        number=index + 1,
                    ),
                )
        for index, (higher, lower) in enumerate(pairwise(mins), start=1):
            if higher is not None and lower is not None and lower >= higher:
                raise InvalidAt(
                    ("tiers", index, "min"),
                    Message("tiers must be listed from the highest 'min' to the lowest"),
                )
        if mins[last] is not None and self.below_lowest is None:
            raise InvalidAt(
                ("tiers", last, "min"),
                Message(
                    "the last tier has a 'min': say what a unit below it gets with"
                    " 'below_lowest', or leave out the last tier's 'min'"
                ),
            )
        if mins[last] is None and self.below_lowest is not None:
            raise InvalidAt(
                ("below_lowest",), Message("'below_lowest' needs a 'min' on the last tier")
            )
        repeated = _first_repeated([tier.label.casefold() for tier in self.tiers])
        if repeated is not None:
            raise InvalidAt(("tiers", repeated, "label"), Message("tier labels must be unique"))
        return self

    @property
    def ranks_below_lowest(self) -> bool:
        """Whether a unit below the lowest tier still gets a rank."""
        return self.below_lowest is not None and self.below_lowest.ranked


TieBreaker = Annotated[str, Field(min_length=1)]


class Ranking(_Model):
    by: Literal["percent", "points"] = "percent"
    ties: Literal["competition", "dense", "ordinal"] = "competition"
    precision: int | None = Field(default=None, ge=0, le=6)
    """Decide ties on the value rounded to this many decimals (display scale); None = exact."""
    tie_breakers: list[TieBreaker] = []
    """Node codes (higher score first), or 'points' / 'percent', applied in order."""


class Display(_Model):
    scale: Literal["percent", "ratio"] = "percent"
    """percent: 0–100 (Bình Định's "96 %"); ratio: 0–1 (the national DTI's "0,7412")."""
    percent_decimals: int = Field(default=1, ge=0, le=6)
    score_decimals: int = Field(default=1, ge=0, le=6)
    part_tables: Literal["classified", "all"] = "classified"

    @property
    def share_decimals(self) -> int:
        """The places of a share of a maximum printed as a percentage (0–100): the
        percentage's own, two fewer on the ratio scale (0,7412 is 74,12%)."""
        return max(self.percent_decimals - 2, 0) if self.scale == "ratio" else self.percent_decimals

    """Which parts of a group have a table of their own in the printed documents: those the
    framework classifies (Bình Định's Mục II a) and b)), or all (Cao Bằng's districts). The
    workbook has every part's table."""


# --- the criteria tree --------------------------------------------------------------------


def _max_kind(value: Any) -> str:
    return "per block" if isinstance(value, dict) else "all blocks"


# One number, or one per block: the shape of the value decides which, so that a mistake is
# reported once, against that shape. (The tags, which pydantic puts in an error's location,
# have a space: no block code has one, so the loader's walk through the file skips them.)
MaxPoints = Annotated[
    Annotated[Num, Tag("all blocks")] | Annotated[dict[str, Num], Tag("per block")],
    Discriminator(_max_kind),
]


class Node(_Model):
    code: Code
    name: str = Field(min_length=1)
    name_en: str | None = None
    short_name: str | None = Field(default=None, min_length=1, max_length=24)
    """The label of the criterion's column where a table has no room for its name ("Hạ
    tầng"); a legend under the table gives the name. Default: its code."""
    guidance: str | None = None
    max: MaxPoints | None = None
    """Maximum points: one number for every block, or per block code (a block left out
    does not use the criterion). Inner nodes sum their children; a stated max is checked."""
    rule: Rule | None = None
    children: list[Node] = []
    evidence_required: bool = False
    not_applicable: bool = False
    """Whether a unit may declare the criterion not applicable to it."""
    not_applicable_policy: NotApplicablePolicy | None = None
    tags: list[Code] = []
    classify: bool = False
    """Classify this group's score with the block's (percent) classification."""
    classification: Classification | None = None

    @field_validator("max")
    @classmethod
    def _non_negative(cls, value: Decimal | dict[str, Decimal] | None) -> Any:
        if isinstance(value, dict):
            for block, points in value.items():
                if points < 0:
                    raise InvalidAt((block,), Message("max must not be negative"))
        elif value is not None and value < 0:
            raise ValueError(Message("max must not be negative"))
        return value

    @model_validator(mode="after")
    def _shape(self) -> Node:
        if self.children and self.rule is not None:
            raise InvalidAt(
                ("rule",),
                Message("a criterion with children is the sum of its children: no 'rule'"),
            )
        if not self.children:
            if isinstance(self.rule, InfoRule):
                if self.max not in (None, ZERO) and not (
                    isinstance(self.max, dict) and all(v == 0 for v in self.max.values())
                ):
                    raise InvalidAt(
                        ("max",),
                        Message("an 'info' criterion is worth 0 points: leave out 'max'"),
                    )
            elif self.max is None:
                raise ValueError(Message("a criterion without children needs 'max'"))
        return self

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def effective_rule(self) -> Any:
        return self.rule if self.rule is not None else _POINTS

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


def _stray_part(group: Node, nodes: dict[str, Node]) -> Message | str:
    """A hint when a criterion numbered as a part of ``group`` (II.2 of II) is not inside it:
    its lines are most likely indented as a sibling of the group."""
    inside = {node.code for node in group.walk()}
    for code in nodes:
        if code.startswith(group.code + ".") and code not in inside:
            return Message("; {code} is not one of them: check its indentation", code=code)
    return ""


class Block(_Model):
    code: Code
    name: str = Field(min_length=1)
    name_en: str | None = None
    classification: Classification | None = None
    ranking: Ranking | None = None
    display: Display | None = None


class TagDef(_Model):
    code: Code
    name: str = Field(min_length=1)
    name_en: str | None = None


def _version_text(value: Any) -> Any:
    """A version label is text; a whole number is taken as its digits ("2"), but a number with
    a decimal point is refused: unquoted, YAML reads 1.10 as 1.1."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    shown = (
        Message("a list")
        if isinstance(value, list)
        else Message("a mapping")
        if isinstance(value, dict)
        else repr(value)
    )
    raise ValueError(
        Message(
            'the version must be text, not {shown}: put it in quotes, e.g. version: "1.10"'
            " (unquoted, YAML reads 1.10 as the number 1.1)",
            shown=shown,
        )
    )


class Framework(_Model):
    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]
    name: str = Field(min_length=1)
    name_en: str | None = None
    assessor: str = Field(min_length=1)
    year: int = Field(ge=1990, le=2100)
    version: Annotated[str | None, BeforeValidator(_version_text)] = None
    blocks: list[Block] = Field(min_length=1)
    tags: list[TagDef] = []
    not_applicable_policy: NotApplicablePolicy = "exclude"
    classification: Classification | None = None
    ranking: Ranking = Ranking()
    display: Display = Display()
    criteria: list[Node] = Field(min_length=1)

    _nodes: dict[str, Node] = PrivateAttr(default_factory=dict)
    _parents: dict[str, str | None] = PrivateAttr(default_factory=dict)
    _max: dict[str, dict[str, Decimal]] = PrivateAttr(default_factory=dict)
    _ancestors: dict[str, tuple[str, ...]] = PrivateAttr(default_factory=dict)
    _classified: dict[str, list[tuple[str, Classification]]] = PrivateAttr(default_factory=dict)
    _tagged: list[tuple[str, list[str]]] = PrivateAttr(default_factory=list)
    _derived: dict[Any, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _check_tree(self) -> Framework:
        block_codes = [block.code for block in self.blocks]
        repeated = _first_repeated(block_codes)
        if repeated is not None:
            raise InvalidAt(("blocks", repeated, "code"), Message("block codes must be unique"))
        tag_codes = {tag.code for tag in self.tags}
        for index, block in enumerate(self.blocks):
            if block.display is not None and block.display.scale != self.display.scale:
                raise InvalidAt(
                    ("blocks", index, "display", "scale"),
                    Message(
                        "the display scale is set for the whole framework (display.scale), not"
                        " per block"
                    ),
                )
        nodes: dict[str, Node] = {}
        parents: dict[str, str | None] = {}
        places: dict[str, Where] = {}
        for index, root in enumerate(self.criteria):
            self._index(root, None, ("criteria", index), nodes, parents, places)
        for node in nodes.values():
            if isinstance(node.max, dict):
                for named in node.max:
                    if named not in block_codes:
                        raise InvalidAt(
                            (*places[node.code], "max", named),
                            Message("max names unknown block {block!r}", block=named),
                        )
            for index, tag in enumerate(node.tags):
                if tag not in tag_codes:
                    raise InvalidAt(
                        (*places[node.code], "tags", index),
                        Message("tag {tag!r} is not declared in 'tags'", tag=tag),
                    )
        for place, breaker in self._all_tie_breakers():
            if breaker not in ("points", "percent") and breaker not in nodes:
                raise InvalidAt(
                    place,
                    Message("tie breaker {breaker!r} is not a criterion code", breaker=breaker),
                )
        maxima = {code: self._compute_max(code, nodes, places, block_codes) for code in block_codes}
        for node in nodes.values():
            self._check_node(node, places[node.code], block_codes, maxima, nodes)
        self._check_tags_disjoint(nodes, parents, places)
        object.__setattr__(self, "_nodes", nodes)
        object.__setattr__(self, "_parents", parents)
        object.__setattr__(self, "_max", maxima)
        ancestors = {}
        for code in nodes:
            chain = []
            parent = parents[code]
            while parent is not None:
                chain.append(parent)
                parent = parents[parent]
            ancestors[code] = tuple(chain)
        object.__setattr__(self, "_ancestors", ancestors)
        classified: dict[str, list[tuple[str, Classification]]] = {}
        for block_code in block_codes:
            classified[block_code] = [
                (code, classification)
                for code in maxima[block_code]
                if (classification := self.node_classification(code, block_code)) is not None
            ]
        object.__setattr__(self, "_classified", classified)
        object.__setattr__(
            self, "_tagged", [(code, node.tags) for code, node in nodes.items() if node.tags]
        )
        return self

    # -- validation helpers

    @staticmethod
    def _index(
        node: Node,
        parent: str | None,
        place: Where,
        nodes: dict[str, Node],
        parents: dict[str, str | None],
        places: dict[str, Where],
    ) -> None:
        """Index the tree by code; ``places`` keeps each criterion's location in the file."""
        if node.code in nodes:
            raise InvalidAt(
                (*place, "code"),
                Message("criterion code {code!r} is used twice", code=node.code),
            )
        nodes[node.code] = node
        parents[node.code] = parent
        places[node.code] = place
        for index, child in enumerate(node.children):
            Framework._index(child, node.code, (*place, "children", index), nodes, parents, places)

    def _all_tie_breakers(self) -> list[tuple[Where, str]]:
        """Every tie breaker with its location: the framework's ranking, then the blocks'."""
        rankings: list[tuple[Where, Ranking]] = [(("ranking",), self.ranking)]
        rankings += [
            (("blocks", index, "ranking"), block.ranking)
            for index, block in enumerate(self.blocks)
            if block.ranking is not None
        ]
        return [
            ((*place, "tie_breakers", index), breaker)
            for place, ranking in rankings
            for index, breaker in enumerate(ranking.tie_breakers)
        ]

    def _compute_max(
        self, block: str, nodes: dict[str, Node], places: dict[str, Where], block_codes: list[str]
    ) -> dict[str, Decimal]:
        """Maximum of every node applicable to ``block`` (absent = not applicable)."""
        result: dict[str, Decimal] = {}

        def visit(node: Node) -> Decimal | None:
            if node.is_leaf:
                if isinstance(node.rule, InfoRule):
                    value: Decimal | None = ZERO
                    if isinstance(node.max, dict) and block not in node.max:
                        value = None
                elif isinstance(node.max, dict):
                    value = node.max.get(block)
                else:
                    value = node.max
            else:
                if isinstance(node.max, dict) and block not in node.max:
                    return None  # the whole group, its parts included, is not used
                sums = [visit(child) for child in node.children]
                applicable = [v for v in sums if v is not None]
                value = sum(applicable, ZERO) if applicable else None
                if value is None and isinstance(node.max, dict):
                    raise InvalidAt(
                        (*places[node.code], "max", block),
                        Message(
                            "max is given for block {block!r}, but none of its parts applies"
                            " to that block",
                            block=block,
                        ),
                    )
            if value is not None:
                result[node.code] = value
            return value

        for root in self.criteria:
            visit(root)
        return result

    def _check_node(
        self,
        node: Node,
        place: Where,
        block_codes: list[str],
        maxima: dict[str, dict[str, Decimal]],
        nodes: dict[str, Node],
    ) -> None:
        for block in block_codes:
            computed = maxima[block].get(node.code)
            if computed is None:
                continue
            if isinstance(node.max, dict):
                stated, max_place = node.max.get(block), (*place, "max", block)
            else:
                stated, max_place = node.max, (*place, "max")
            if not node.is_leaf and stated is not None and stated != computed:
                raise InvalidAt(
                    max_place,
                    Message(
                        "max {stated} for block {block!r} is not the sum of its children"
                        " ({computed}){hint}",
                        stated=stated,
                        block=block,
                        computed=computed,
                        hint=_stray_part(node, nodes) if stated > computed else "",
                    ),
                )
            rule = node.rule  # None on a group, or on a leaf scored by points
            if rule is None:
                continue
            for where, points in rule.point_values():
                if points > computed:
                    raise InvalidAt(
                        (*place, "rule", rule.type, *where),  # as pydantic: the rule's type too
                        Message(
                            "{points} points exceed the criterion's max {computed} in block"
                            " {block!r}",
                            points=points,
                            computed=computed,
                            block=block,
                        ),
                    )
        if node.classify and node.classification is None:
            for defined in self.blocks:
                classification = defined.classification or self.classification
                if classification is None:
                    raise InvalidAt(
                        (*place, "classify"),
                        Message(
                            "'classify' needs a classification for block {block!r}",
                            block=defined.code,
                        ),
                    )
                if classification.basis != "percent":
                    raise InvalidAt(
                        (*place, "classify"),
                        Message(
                            "'classify' uses the block's classification, which is by points in"
                            " block {block!r}; give the criterion its own 'classification'",
                            block=defined.code,
                        ),
                    )

    @staticmethod
    def _check_tags_disjoint(
        nodes: dict[str, Node], parents: dict[str, str | None], places: dict[str, Where]
    ) -> None:
        for node in nodes.values():
            parent = parents[node.code]
            while parent is not None:
                for index, tag in enumerate(node.tags):
                    if tag in nodes[parent].tags:
                        raise InvalidAt(
                            (*places[node.code], "tags", index),
                            Message(
                                "tag {tag!r} is already on {parent}, which contains this"
                                " criterion (it would be counted twice)",
                                tag=tag,
                                parent=parent,
                            ),
                        )
                parent = parents[parent]

    # -- queries

    def node(self, code: str) -> Node:
        return self._nodes[code]

    def has_node(self, code: str) -> bool:
        return code in self._nodes

    @property
    def nodes(self) -> dict[str, Node]:
        return self._nodes

    @property
    def order(self) -> dict[str, int]:
        """Each criterion's place in the order of :attr:`nodes` (the file's, depth first)."""
        order: dict[str, int] | None = self._derived.get("order")
        if order is None:
            order = self._derived["order"] = {code: i for i, code in enumerate(self._nodes)}
        return order

    def parent(self, code: str) -> str | None:
        return self._parents[code]

    def ancestors(self, code: str) -> tuple[str, ...]:
        """The groups that contain ``code``, nearest first."""
        return self._ancestors[code]

    @property
    def derived(self) -> dict[Any, Any]:
        """A place for values derived from the framework once and reused (scoring plans)."""
        return self._derived

    @property
    def tagged(self) -> list[tuple[str, list[str]]]:
        """The criteria that carry tags, with their tags."""
        return self._tagged

    def classified(self, block: str) -> list[tuple[str, Classification]]:
        """The criteria classified in ``block``, with their classification."""
        return self._classified[block]

    def block(self, code: str) -> Block:
        for block in self.blocks:
            if block.code == code:
                return block
        raise KeyError(code)

    def has_block(self, code: str) -> bool:
        return any(block.code == code for block in self.blocks)

    def max_for(self, block: str) -> dict[str, Decimal]:
        """Maximum points of every criterion that applies to ``block``."""
        return self._max[block]

    def total_max(self, block: str) -> Decimal:
        maxima = self._max[block]
        return sum((maxima[root.code] for root in self.criteria if root.code in maxima), ZERO)

    def groups(self, block: str, *, parts: bool = False) -> list[str]:
        """The groups a unit of ``block`` is reported on: the top-level criteria that apply
        to it, each followed by its direct parts when ``parts`` (the JSON contract's and the
        scorecard's groups; the report's tables are per top-level group)."""
        maxima = self._max[block]
        codes = []
        for root in self.criteria:
            if root.code in maxima:
                codes.append(root.code)
                if parts:
                    codes += [child.code for child in root.children if child.code in maxima]
        return codes

    def classification_for(self, block: str) -> Classification | None:
        """The block's tiers; None when the framework publishes no tiers (the national DTI)."""
        return self.block(block).classification or self.classification

    def display_for(self, block: str) -> Display:
        display = self.block(block).display or self.display
        return display.model_copy(update={"scale": self.display.scale})

    def ranking_for(self, block: str) -> Ranking:
        return self.block(block).ranking or self.ranking

    def node_classification(self, code: str, block: str) -> Classification | None:
        node = self._nodes[code]
        if node.classification is not None:
            return node.classification
        if node.classify:
            return self.classification_for(block)
        return None

    def na_policy(self, code: str) -> NotApplicablePolicy:
        for candidate in [code, *self.ancestors(code)]:
            policy = self._nodes[candidate].not_applicable_policy
            if policy is not None:
                return policy
        return self.not_applicable_policy
