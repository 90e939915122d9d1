"""Render the first pages of the demo's publication to the PNGs shown in docs/reports.md.

    .venv/bin/python docs/images/render_pages.py

Writes the Bình Định 2021 decision and appendix (PDF) and a scorecard into a temporary folder,
then pages 1, 3, 4, 5 and the scorecard as small PNGs beside this file (pypdfium2, a dev
dependency, rasterizes them).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pypdfium2

from chiso.cli import main
from chiso.demo import demo_file

HERE = Path(__file__).resolve().parent
PAGES = {
    0: "decision-page-1.png",
    2: "appendix-page-1.png",
    4: "appendix-bang-1.png",
    5: "appendix-charts.png",
}


def save(pdf: Path, index: int, name: str) -> None:
    image = pypdfium2.PdfDocument(pdf)[index].render(scale=1.0).to_pil()
    image.convert("RGB").quantize(colors=48).save(HERE / name, optimize=True)


def render() -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        data = [
            "-f",
            "binh-dinh-2021",
            "-d",
            str(demo_file("binh-dinh-2021.csv")),
            "-p",
            str(demo_file("binh-dinh-2020-ranks.csv")),
        ]
        assert main(["report", *data, "-o", str(out / "ket-qua.pdf")]) == 0
        assert main(["report", *data, "-u", "Sở Y tế", "-o", str(out / "so-y-te.pdf")]) == 0
        for index, name in PAGES.items():
            save(out / "ket-qua.pdf", index, name)
        save(out / "so-y-te.pdf", 0, "scorecard.png")


if __name__ == "__main__":
    render()
