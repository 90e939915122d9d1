"""The demo: the shipped Bình Định 2021 example, validated, scored and audited."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

__all__ = ["demo_file", "run_demo"]


def demo_file(name: str) -> Path:
    return Path(str(resources.files("chiso") / "demo" / name))


def run_demo(run: Callable[[Sequence[str]], int]) -> int:
    """Show the demo's commands and their output, each run by ``run`` (the command line's own
    runner, given by the caller so that the demo does not import the command line back)."""
    data = demo_file("binh-dinh-2021.csv")
    previous = demo_file("binh-dinh-2020-ranks.csv")
    published = demo_file("binh-dinh-2021-bang-1-published.csv")
    steps = [
        ["validate", "binh-dinh-2021"],
        [
            "score",
            "--framework",
            "binh-dinh-2021",
            "--data",
            str(data),
            "--previous",
            str(previous),
        ],
        ["audit", "--framework", "binh-dinh-2021", "--table", str(published)],
    ]
    for argv in steps:
        print(f"$ chiso {' '.join(_short(a) for a in argv)}\n")
        run(argv)
        print()
    print(
        "The audit lists the cells of the published Bảng 1 that its own numbers contradict.\n"
        "Try: chiso score --help, chiso audit --help, docs/cli.md."
    )
    return 0


def _short(arg: str) -> str:
    return Path(arg).name if "/" in arg else arg
