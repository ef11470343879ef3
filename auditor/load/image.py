"""Photos and scans of a page (PNG/JPEG), read by OCR and laid out like a PDF page."""

from __future__ import annotations

import io

from PIL import Image, ImageOps

from auditor.load import ocr
from auditor.load.limits import check_photo_pixels
from auditor.load.pdf import OCR_CAVEAT, report_progress
from auditor.load.pdf_layout import drop_furniture, ocr_line, pdf_blocks
from auditor.load.source import LoadError, Source
from auditor.model import RawDocument

_PHOTO_WIDTH = 595.0  # a photo is measured as if it were an A4 page this many points wide


def read_photo(src: Source) -> RawDocument:
    """A photo or scan of one contract page (PNG/JPEG), read by OCR."""
    try:
        with Image.open(io.BytesIO(src.data)) as opened:
            check_photo_pixels(src, opened.width, opened.height)
            unavailable = ocr.missing()
            if unavailable:
                raise LoadError(f"{src.name}: an image needs OCR to be read; {unavailable}")
            image = ImageOps.exif_transpose(opened)  # phone photos are often stored turned
    except Image.DecompressionBombError as exc:
        raise LoadError(f"{src.name}: the image is too large to read; scale it down") from exc
    scale = image.width / _PHOTO_WIDTH
    report_progress(src, 0, 1)
    rows = ocr.read_image(image, scale=scale)
    report_progress(src, 1, 1)
    lines = [ocr_line(row, 1, _PHOTO_WIDTH, image.height / scale) for row in rows]
    blocks = pdf_blocks(drop_furniture([lines]))
    if not blocks:
        raise LoadError(f"{src.name}: no text could be recognised in the image")
    return RawDocument(
        name=src.name,
        format="image",
        blocks=tuple(blocks),
        pages=1,
        warnings=(f"The image was read by OCR. {OCR_CAVEAT}",),
        ocr_pages=(1,),
    )
