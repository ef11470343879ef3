"""The audit pipeline, in one place: load → normalise → segment → analyse → checks → red flags → report."""

from __future__ import annotations

import os
from collections.abc import Sequence

from auditor.analyse import analyse
from auditor.checks import CHECKS
from auditor.checks._base import Check, CheckInput
from auditor.load import Progress, load, load_text
from auditor.model import AuditReport, Lang, RawDocument
from auditor.normalise import detect_language
from auditor.red_flags import find_red_flags
from auditor.segment import segment

Source = str | os.PathLike[str] | bytes | RawDocument


def audit(
    source: Source,
    *,
    filename: str | None = None,
    lang: Lang | None = None,
    checks: Sequence[Check] = CHECKS,
    password: str | None = None,
    progress: Progress | None = None,
) -> AuditReport:
    """Audit one contract: a path, raw bytes (with `filename`), or an already loaded document.

    `progress(done, total)` is called as scanned pages are read by OCR. Raises `auditor.load.LoadError`
    with a one-line message when the file cannot be read.
    """
    doc = source if isinstance(source, RawDocument) else load(source, filename, password=password,
                                                                 progress=progress)
    return audit_document(doc, lang=lang, checks=checks)


def audit_text(text: str, *, name: str = "pasted.txt", lang: Lang | None = None) -> AuditReport:
    """Audit pasted text."""
    return audit_document(load_text(text, name), lang=lang)


def audit_document(doc: RawDocument, *, lang: Lang | None = None, checks: Sequence[Check] = CHECKS) -> AuditReport:
    """The stages after loading."""
    text = doc.text
    language: Lang = lang or ("zh" if detect_language(text) == "zh" else "en")
    clauses = segment(doc)
    analysis = analyse(clauses, language)
    inp = CheckInput(text, clauses, analysis.facts, analysis.sentences, language, analysis.parties,
                     analysis.contract_value, checks[0].lexicon if checks else CHECKS[0].lexicon)
    findings = tuple(check.run(inp.bind(check.lexicon)) for check in checks)
    return AuditReport(
        file=doc.name,
        language=language,
        format=doc.format,
        pages=doc.pages,
        parties=analysis.parties,
        findings=findings,
        red_flags=find_red_flags(inp),
        text=text,
        clauses=clauses,
        facts=analysis.facts,
        warnings=doc.warnings,
        contract_value=analysis.contract_value,
    )
