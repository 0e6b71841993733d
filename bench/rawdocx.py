"""python-docx alone building the document pressexport's Word writer made: the benchmarks'
raw side (bench_docx.py in one process, bench_build.py in a Pool)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.shared import Emu


def raw_spec(data: bytes) -> dict:
    """What `data`'s document holds, as plain data: paragraphs (style, runs, picture), header,
    footer and core properties (picklable, for a raw build in another process)."""
    made = docx.Document(io.BytesIO(data))
    paragraphs = []
    pictures = iter([(shape._inline.graphic.graphicData.pic.nvPicPr.cNvPr.name,
                      shape.width, shape.height) for shape in made.inline_shapes])
    for p in made.paragraphs:
        runs = [(r.text, r.bold, r.italic, r.style.name if r.style.name != "Default Paragraph Font"
                 else None) for r in p.iter_inner_content() if hasattr(r, "bold")]
        runs += [(h.text, None, None, "Hyperlink") for h in p.hyperlinks]  # raw: text only
        picture = next(pictures) if p.style.name == "Figure" else None
        paragraphs.append((p.style.name, runs, picture))
    props = made.core_properties
    return {"paragraphs": paragraphs,
            "header": made.sections[0].header.paragraphs[0].text,
            "footer": made.sections[0].footer.paragraphs[0].text,
            "properties": {field: getattr(props, field) for field in PROPERTIES}}


PROPERTIES = ("title", "subject", "keywords", "author", "last_modified_by", "identifier",
              "language", "created", "modified", "revision")


def raw_build(spec: dict, reference: Path, media: Path) -> bytes:
    """The document of `spec` built with python-docx's public API alone."""
    document = docx.Document(str(reference))
    document.element.body.clear_content()
    paragraphs = spec["paragraphs"]
    names = {name for name, _, _ in paragraphs} | {style for _, runs, _ in paragraphs
                                                   for *_, style in runs if style}
    styles = {name: document.styles[name] for name in names}
    for name, runs, picture in paragraphs:
        paragraph = document.add_paragraph(style=styles[name])
        for text, bold, italic, style in runs:
            run = paragraph.add_run(text, styles[style] if style else None)
            run.bold, run.italic = bold, italic
        if picture:
            paragraph.add_run().add_picture(str(media / Path(picture[0]).name),
                                            Emu(picture[1]), Emu(picture[2]))
    section = document.sections[0]
    section.header.paragraphs[0].text = spec["header"]
    section.footer.paragraphs[0].text = spec["footer"]
    section.first_page_footer.paragraphs[0].text = spec["footer"]
    for field, value in spec["properties"].items():
        setattr(document.core_properties, field, value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
