"""Framework files whose error message came out on two lines (found by test_fuzz_loader.py):
a control character in the file, a field name with a line break. Each is one line that names
the file and the line, exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_cli_errors import assert_bad_input, run

HEAD = "id: x\nname: X\nassessor: A\nyear: 2026\nblocks: [{code: so, name: Sở}]\n"


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        (
            "id: x\nname: \x1f\n",
            ["line 2: malformed YAML: control characters are not allowed (#x001f)"],
        ),
        ('id: x\n"a\\nb": 1\n', ["line 2: 'a\\nb': unknown field"]),
        (
            HEAD + 'criteria:\n  - {code: A, name: A, max: 1, "\\t": 1}\n',
            ["line 7: criteria.A.'\\t': unknown field"],
        ),
    ],
    ids=["control-character", "line-break-in-a-field-name", "tab-as-a-field-name"],
)
def test_validate_names_an_odd_character_on_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, fragments: list[str]
) -> None:
    path = tmp_path / "khung.yaml"
    path.write_text(text, encoding="utf-8")
    assert_bad_input(*run(capsys, "validate", path), f"{path}, ", *fragments)
