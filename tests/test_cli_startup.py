"""What the ``chiso`` command loads before it works (docs/performance.md, "Where the start-up
goes"): ``chiso score`` imports none of the reports' modules, and pydantic does not search the
installed packages for plugins unless the user asks for them.

Each case runs a fresh interpreter, since this process has long imported everything.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[1] / "src" / "chiso" / "demo"


def fresh(code: str, **env: str) -> str:
    """The standard output of ``code`` run by a new interpreter without PYDANTIC_* settings."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith("PYDANTIC")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_score_imports_no_report_module(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    argv = ["score", "-f", "binh-dinh-2021", "-d", str(DEMO / "binh-dinh-2021.csv"), "-o", str(out)]
    loaded = fresh(
        "import sys\n"
        "from chiso.cli import main\n"
        f"assert main({argv!r} + ['--format', 'json']) == 0\n"
        "print(' '.join(sorted(name for name in sys.modules if name.startswith('chiso.'))))"
    ).split()
    assert out.stat().st_size > 0
    assert "chiso.io.data" in loaded  # the list is the one of a real run
    assert [name for name in loaded if name.startswith("chiso.reports")] == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [({}, "__all__"), ({"PYDANTIC_DISABLE_PLUGINS": "logfire"}, "logfire")],
    ids=["default", "set-by-the-user"],
)
def test_the_command_turns_pydantic_plugins_off(given: dict[str, str], expected: str) -> None:
    code = "import os, chiso.cli; print(os.environ['PYDANTIC_DISABLE_PLUGINS'])"
    assert fresh(code, **given) == expected


def run_console(*argv: str) -> subprocess.CompletedProcess[str]:
    """The installed command's entry point, in a new interpreter, with an exit handler of
    its own that says it ran."""
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('exit handler ran', file=sys.stderr))\n"
        "from chiso.cli import console\n"
        f"sys.argv = ['chiso', *{list(argv)!r}]\n"
        "console()\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_the_command_ends_with_its_output_written_and_its_exit_code(tmp_path: Path) -> None:
    out = tmp_path / "result.csv"
    data = str(DEMO / "binh-dinh-2021.csv")
    done = run_console("score", "-f", "binh-dinh-2021", "-d", data, "--format", "csv")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert len(lines) == 1 + 32  # a header and every unit: all of stdout was written out
    assert "exit handler ran" in done.stderr
    done = run_console(
        "score", "-f", "binh-dinh-2021", "-d", data, "--format", "csv", "-o", str(out)
    )
    assert done.returncode == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1 + 32

    refused = run_console("score", "-f", "binh-dinh-2021", "-d", str(tmp_path / "missing.csv"))
    assert refused.returncode == 2
    assert "missing.csv" in refused.stderr
    assert "exit handler ran" in refused.stderr
