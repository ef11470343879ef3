"""Every PDF the repository holds, read into a comparable record: the loader's regression expectation.

`tests/fixtures/pdf_expected/<file>.json` was written by the pdfplumber loader before the switch to
pypdfium2 (`python -m tests.pdf_documents` rewrites it from the current loader); `test_pdf_documents.py`
proves the current loader still gives the same documents.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from auditor.load import LoadError, load
from auditor.text.segment import segment

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "fixtures" / "pdf_expected"
PASSWORDS = {"encrypted.pdf": "secret"}


def repository_pdfs() -> list[Path]:
    """The sample contracts' and the test fixtures' PDFs."""
    folders = (ROOT / "sample_contracts", ROOT / "tests" / "fixtures" / "files")
    return sorted(path for folder in folders for path in folder.glob("*.pdf"))


def document_record(path: Path) -> dict[str, Any]:
    """What the rest of the pipeline sees of a PDF: blocks with pages, warnings, and the clauses (with
    their offsets, which every evidence quote indexes), or the one-line error.
    """
    try:
        doc = load(path, password=PASSWORDS.get(path.name))
    except LoadError as err:
        return {"error": str(err)}
    return {
        "pages": doc.pages,
        "ocr_pages": list(doc.ocr_pages),
        "warnings": list(doc.warnings),
        "blocks": [[b.kind, b.page, b.level, b.text] for b in doc.blocks],
        "clauses": [[c.number, c.title, c.level, c.page, c.start, c.end, c.kind] for c in segment(doc)],
    }


def expected_path(path: Path) -> Path:
    """Where the expectation of one PDF lives."""
    return EXPECTED / f"{path.parent.name}__{path.name}.json"


def _dumps(record: dict[str, Any]) -> str:
    """JSON with one block or clause a line, so a difference shows as a readable diff."""
    fields = []
    for key, value in record.items():
        if isinstance(value, list) and value and isinstance(value[0], list):
            rows = ",\n  ".join(json.dumps(row, ensure_ascii=False) for row in value)
            fields.append(f'"{key}": [\n  {rows}\n ]')
        else:
            fields.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n " + ",\n ".join(fields) + "\n}\n"


def main() -> None:
    """Write the expectation of every repository PDF from the current loader."""
    EXPECTED.mkdir(exist_ok=True)
    for path in repository_pdfs():
        expected_path(path).write_text(_dumps(document_record(path)), encoding="utf-8")
        sys.stdout.write(f"{expected_path(path).name}\n")


if __name__ == "__main__":
    main()
