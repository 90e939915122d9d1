"""Matching a printed tier to a classification's tiers (previous results, published tables)."""

from __future__ import annotations

from decimal import Decimal

from chiso.core.framework import BelowLowest, Classification, Tier
from chiso.core.tiers import match_tier, tier_labels

CLASSIFICATION = Classification(
    tiers=[
        Tier(label="Tốt", min=Decimal(80), heading="Mức tốt"),
        Tier(label="Khá", min=Decimal(60)),
        Tier(label="Trung bình", min=Decimal(40)),
    ],
    below_lowest=BelowLowest(label="KXH"),
)


def test_a_label_or_a_heading_in_any_case() -> None:
    assert match_tier(CLASSIFICATION, "tốt") == ("Tốt", "label")
    assert match_tier(CLASSIFICATION, "MỨC TỐT") == ("Tốt", "heading")
    assert match_tier(CLASSIFICATION, "khá") == ("Khá", "label")
    assert match_tier(CLASSIFICATION, "kxh") == ("KXH", "label")
    assert match_tier(CLASSIFICATION, "Giỏi") is None
    assert tier_labels(CLASSIFICATION) == ["Tốt", "Khá", "Trung bình", "KXH"]


def test_a_label_before_another_tiers_heading() -> None:
    classification = Classification(
        tiers=[Tier(label="A", min=Decimal(50), heading="B"), Tier(label="B")]
    )
    assert match_tier(classification, "b") == ("B", "label")
