"""The settings of the fuzzing tests (hypothesis): the same examples on every run, so that CI
is reproducible, and few enough for ``make test``. ``CHISO_FUZZ_EXAMPLES=5000 make test``
(or pytest with that variable) tries more, e.g. overnight; docs/operation.md says so.

No deadline: the machine is shared, and a test must not fail because it was slow. Each
input's work is bounded by the limits under test instead (docs/operation.md).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["fuzz"]


def fuzz(examples: int) -> settings:
    """``examples`` examples, or ``CHISO_FUZZ_EXAMPLES`` when it is set."""
    return settings(
        max_examples=int(os.environ.get("CHISO_FUZZ_EXAMPLES") or examples),
        derandomize=True,
        database=None,
        deadline=None,
        # the web tests share one database (the cast) across a test's examples: each example
        # counts the rows it may change before and after its own request
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
