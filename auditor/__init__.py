"""Contract Auditor (合同条款审计): offline, explainable review of service contracts.

The public surface is small: `audit()` for a file or bytes, `audit_text()` for pasted text, the report
types, and `CHECKS`. Heavy libraries (spaCy, jieba, pypdfium2) load lazily on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.checks._base import Check
    from auditor.model import AuditReport, Evidence, Finding, RedFlag, Status

__all__ = ["CHECKS", "AuditReport", "Evidence", "Finding", "RedFlag", "Status", "audit", "audit_text"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """Import the pipeline only when `audit`, `audit_text` or `CHECKS` is first used, and the report types
    when one is (`contract-audit --help` needs none of them).
    """
    if name in {"audit", "audit_text"}:
        from auditor import pipeline

        return getattr(pipeline, name)
    if name == "CHECKS":
        from auditor.checks import CHECKS

        return CHECKS
    if name in {"AuditReport", "Evidence", "Finding", "RedFlag", "Status"}:
        from auditor import model

        return getattr(model, name)
    raise AttributeError(name)


CHECKS: tuple[Check, ...]
