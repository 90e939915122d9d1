"""The self-assessment's autosave fuzzed with generated values (hypothesis), on the docs'
example framework (every rule type), as the unit's editor and head and as people of no or
another unit. No answer is a 500 or shows a traceback, and a refused save changes no row."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.fuzzing import fuzz
from tests.web.conftest import Cast
from tests.web.selfassessment.conftest import HTMX, Mau
from tests.web.snapshot import changed, snapshot

WHO = ["editor", "head", "admin", "viewer", "editor_a"]
CODES = ["A.1", "A.2", "A.3", "B.1", "B.2", "C.1", "C.3", "D.1", "D.2", "E.1", "E.2", "F"]
TEXTS = st.sampled_from(
    ["1", "0", "có", "không", "45/60", "75%", "12,5", "1e-200000000", "1e-1000", "1e309",
     "1e199", "1e20", "-1", "NaN", "9" * 200, "0." + "0" * 30 + "1", "=1+1", "\x00", ""]
) | st.text(max_size=40)  # fmt: skip
POST = st.fixed_dictionaries(
    {"code": st.sampled_from(CODES) | st.sampled_from(["A", "Z", "", "x" * 100])},
    optional={
        "value": TEXTS, "denominator": TEXTS, "comment": TEXTS | st.just("x" * 3000),
        "not_applicable": st.sampled_from(["on", "off", ""]),
        "revision": st.sampled_from(["", "0", "1", "2", "-1", "²", "9" * 30, "x"]),
    },
)  # fmt: skip


def user(cast: Cast, mau: Mau, who: str) -> Any:
    return getattr(mau, who) if who in ("editor", "head") else getattr(cast, who)


@pytest.mark.parametrize("who", WHO)
@fuzz(60)
@given(data=POST, htmx=st.booleans())
def test_autosave_never_fails(
    cast: Cast, mau: Mau, who: str, data: dict[str, Any], htmx: bool
) -> None:
    client = cast.client(user(cast, mau, who))
    before = snapshot()
    response = client.post(f"/submissions/{mau.part.pk}/answer/", data, **(HTMX if htmx else {}))
    assert response.status_code < 500, data
    assert b"Traceback" not in response.content
    if response.status_code >= 400:
        assert changed(before) == [], (response.status_code, data)
