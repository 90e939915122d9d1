"""Render pages of the publications to the PNGs shown in docs/reports.md.

    .venv/bin/python docs/images/render_pages.py

Writes into a temporary folder the Bình Định 2021 decision and appendix (PDF) and a scorecard
from the demo data, Cao Bằng's 2020 report (Báo cáo) from the repository's test data, and the
DTI 2022 appendix from the synthetic data of the tests (tests/reports/synthetic.py), then some
of their pages as small PNGs beside this file (pypdfium2, a dev dependency, rasterizes them).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pypdfium2

from chiso.cli import main
from chiso.demo import demo_file

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# each image: the first page of the decision that has these words, or a picture
PAGES = {
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": "decision-page-1.png",
    "(Kèm theo Quyết định": "appendix-page-1.png",
    "Tên cơ quan, đơn vị": "appendix-bang-1.png",  # a ranking table's header
    "": "appendix-charts.png",  # the first chart
}


def save(pdf: Path, index: int, name: str) -> None:
    image = pypdfium2.PdfDocument(pdf)[index].render(scale=1.0).to_pil()
    image.convert("RGB").quantize(colors=48).save(HERE / name, optimize=True)


def page_with(pdf: Path, words: str) -> int:
    """The first page whose text has ``words``; with no words, the first with a picture."""
    document = pypdfium2.PdfDocument(pdf)
    for index in range(len(document)):
        page = document[index]
        if not words:
            pictures = page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE])
            if next(iter(pictures), None) is not None:
                return index
        elif words in " ".join(page.get_textpage().get_text_range().split()):
            return index
    raise LookupError(f"{pdf}: no page says {words!r}")


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
        for words, name in PAGES.items():
            save(out / "ket-qua.pdf", page_with(out / "ket-qua.pdf", words), name)
        save(out / "so-y-te.pdf", 0, "scorecard.png")
        cao_bang = ROOT / "tests" / "data" / "cao-bang-2020"
        report = ["report", "-f", "cao-bang-2020", "-d", str(cao_bang / "units.csv")]
        report += ["-p", str(cao_bang / "previous.csv"), "-o", str(out / "bao-cao.pdf")]
        assert main(report) == 0
        save(out / "bao-cao.pdf", 0, "report-page-1.png")
        sys.path.insert(0, str(ROOT / "tests" / "reports"))
        from synthetic import write_units  # the tests' data for a framework without any

        dti = write_units("dti-922-2022", out / "dti.csv")
        assert (
            main(["report", "-f", "dti-922-2022", "-d", str(dti), "-o", str(out / "dti.pdf")]) == 0
        )
        pdf = pypdfium2.PdfDocument(out / "dti.pdf")
        turned = next(i for i in range(len(pdf)) if pdf[i].get_width() > pdf[i].get_height())
        save(out / "dti.pdf", turned, "dti-appendix-bang-1.png")


if __name__ == "__main__":
    render()
