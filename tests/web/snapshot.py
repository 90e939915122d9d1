"""Every row that chiso stores, to check that a request changed nothing (a read, a refused
write): the project's own tables and the audit trail, without Django's sessions and cache."""

from __future__ import annotations

from django.apps import apps

APPS = {"accounts", "audit", "cycles", "submissions", "reviews", "results"}


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    return {
        model._meta.label: sorted(model._default_manager.order_by().values_list(), key=repr)
        for model in apps.get_models()
        if model._meta.app_label in APPS
    }


def changed(before: dict[str, list[tuple[object, ...]]]) -> list[str]:
    """The tables whose rows differ from ``before``."""
    after = snapshot()
    return [label for label in after if after[label] != before.get(label)]
