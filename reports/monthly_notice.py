"""The duty desk's monthly notice to the linkage units (the "five 100%" rates) as a Word document."""
from __future__ import annotations

import pandas as pd

from reports import word


def notice_docx(title: str, paragraphs: list[str], tables: list[tuple[str, pd.DataFrame]]) -> bytes:
    """A plain notice (the linkage units' monthly "five 100%" notice): title, paragraphs, titled tables."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = word.new_document()
    doc.add_heading(title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in paragraphs:
        doc.add_paragraph(text)
    for heading, frame in tables:
        doc.add_heading(heading, level=2)
        word.add_table(doc, frame)
    return word.to_bytes(doc)
