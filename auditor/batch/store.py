"""The result store: audit reports kept in SQLite by content hash, so a re-run skips unchanged contracts.

What is stored is `AuditReport.to_dict()` as JSON, and `from_dict` rebuilds the report from it. We store
the dict rather than rendered text because one stored form then serves every output (text, Markdown,
JSON, CSV, the xlsx summary and the heatmap, with or without --brief), the `report` command can filter
on it inside SQLite, and formats added later work on old results. The contract text, clauses and facts
are not in the dict and are not stored: no renderer needs them, and a cache should not keep copies of
confidential contracts.

A result is keyed by the file's SHA-256, its suffix (.md and .txt read differently) and the --lang
option; it is only used while the engine and the lexicons are the ones that produced it. The file name is
not in the key: a renamed contract is not audited again, its report just takes the new name.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any

import auditor
from auditor import lexicon
from auditor.load.limits import MAX_BYTES
from auditor.model import AuditReport, ContractType, Evidence, Finding, KeyFacts, Parties, RedFlag, Status

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    sha256  TEXT NOT NULL,
    suffix  TEXT NOT NULL,
    lang    TEXT NOT NULL,
    engine  TEXT NOT NULL,
    lexicon TEXT NOT NULL,
    report  TEXT NOT NULL,  -- AuditReport.to_dict() as JSON
    PRIMARY KEY (sha256, suffix, lang)
);
CREATE TABLE IF NOT EXISTS files (
    path   TEXT PRIMARY KEY,  -- absolute path of the file last seen with this content
    sha256 TEXT NOT NULL,
    suffix TEXT NOT NULL,
    lang   TEXT NOT NULL
);
"""

# Current results of every known file, optionally filtered by a check's status and by a red flag.
_SELECT = """
SELECT f.path, r.report FROM files f JOIN reports r USING (sha256, suffix, lang)
WHERE r.engine = :engine AND r.lexicon = :lexicon
  AND (:status IS NULL OR EXISTS (
        SELECT 1 FROM json_each(r.report, '$.checks') c
        WHERE json_extract(c.value, '$.status') = :status
          AND (:check IS NULL OR json_extract(c.value, '$.id') = :check)))
  AND (:flag IS NULL OR EXISTS (
        SELECT 1 FROM json_each(r.report, '$.red_flags') x WHERE json_extract(x.value, '$.id') = :flag))
ORDER BY f.path
"""


def default_path() -> Path:
    """`$XDG_CACHE_HOME/contract-auditor/audits.sqlite`, else under `~/.cache`."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "contract-auditor" / "audits.sqlite"


def content_hash(path: Path) -> str | None:
    """SHA-256 of the file, or None when the audit will refuse it anyway and say why: unreadable, too
    large, or not a regular file (a FIFO would block this read forever, /dev/zero never end it).
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def engine_fingerprint() -> str:
    """`auditor.__version__` plus a hash of the engine's source.

    The version alone would keep serving old results while the checks are edited between releases;
    hashing the package's `.py` files makes any code change a miss (at worst an unneeded re-audit).
    """
    h = hashlib.sha256()
    package = Path(auditor.__file__).parent
    for p in sorted(package.rglob("*.py")):
        h.update(p.relative_to(package).as_posix().encode())
        h.update(p.read_bytes())
    return f"{auditor.__version__}+{h.hexdigest()[:12]}"


class Store:
    """An open result database. Only the batch's parent process writes to it, one result at a time."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")  # readers (the `report` command) never block a batch
        self._db.execute("PRAGMA synchronous=NORMAL")  # a commit per result stays cheap
        self._db.executescript(_SCHEMA)
        self.engine = engine_fingerprint()
        self.lexicon = lexicon.lexicon_fingerprint()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def get(self, path: Path, digest: str, lang: str) -> dict[str, Any] | None:
        """The stored report for this content, named after `path`, if the current engine made it."""
        row = self._db.execute(
            "SELECT report FROM reports WHERE sha256=? AND suffix=? AND lang=? AND engine=? AND lexicon=?",
            (digest, path.suffix.lower(), lang, self.engine, self.lexicon),
        ).fetchone()
        if row is None:
            return None
        self._remember(path, digest, lang)
        self._db.commit()
        return {**json.loads(row[0]), "file": path.name}

    def put(self, path: Path, digest: str, lang: str, report: dict[str, Any]) -> None:
        """Store a fresh report, replacing whatever an older engine or lexicon produced for this content."""
        self._db.execute(
            "INSERT OR REPLACE INTO reports VALUES (?, ?, ?, ?, ?, ?)",
            (digest, path.suffix.lower(), lang, self.engine, self.lexicon, json.dumps(report, ensure_ascii=False)),
        )
        self._remember(path, digest, lang)
        self._db.commit()

    def _remember(self, path: Path, digest: str, lang: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", (str(path.resolve()), digest, path.suffix.lower(), lang)
        )

    def select(
        self, *, check: str | None = None, status: str | None = None, flag: str | None = None
    ) -> list[AuditReport]:
        """Current reports of every known file, by path, each named by its full path.

        `status` alone matches a contract where any check has it; with `check`, only that check.
        """
        rows = self._db.execute(
            _SELECT, {"engine": self.engine, "lexicon": self.lexicon, "check": check, "status": status, "flag": flag}
        )
        return [replace(from_dict(json.loads(report)), file=path) for path, report in rows]

    def stale(self) -> int:
        """Known files whose stored report an older engine or lexicon made: re-audit them to refresh."""
        return int(
            self._db.execute(
                "SELECT count(*) FROM files f JOIN reports r USING (sha256, suffix, lang) "
                "WHERE r.engine != ? OR r.lexicon != ?",
                (self.engine, self.lexicon),
            ).fetchone()[0]
        )

    def close(self) -> None:
        """Drop reports no known file points to any more (edited contracts), then close."""
        self._db.execute(
            "DELETE FROM reports WHERE (sha256, suffix, lang) NOT IN (SELECT sha256, suffix, lang FROM files)"
        )
        self._db.commit()
        self._db.close()


def from_dict(data: dict[str, Any]) -> AuditReport:
    """Rebuild an AuditReport from `AuditReport.to_dict()`: everything the renderers use survives."""
    return AuditReport(
        file=data["file"],
        language=data["language"],
        format=data["format"],
        pages=data["pages"],
        parties=Parties(**data["parties"]),
        findings=tuple(
            Finding(
                check_id=f["id"],
                status=Status(f["status"]),
                reasons=tuple(f["reasons"]),
                evidence=_evidence(f["evidence"]),
                suggestion=f["suggestion"],
                title=f["title"],
                notes=tuple(f["notes"]),
                severity=f.get("severity"),
                to_fill=tuple(f.get("to_fill", ())),
            )
            for f in data["checks"]
        ),
        red_flags=tuple(
            RedFlag(flag_id=r["id"], message=r["message"], evidence=_evidence(r["evidence"]), severity=r["severity"])
            for r in data["red_flags"]
        ),
        warnings=tuple(data["warnings"]),
        contract_value=data["contract_value"],
        playbook=data.get("playbook"),
        perspective=data.get("perspective", "client"),
        contract_type=ContractType(**{**data["contract_type"], "cues": tuple(data["contract_type"]["cues"])})
        if data.get("contract_type")
        else None,
        key_facts=KeyFacts(**data["facts"]) if data.get("facts") else None,
    )


def _evidence(items: list[dict[str, Any]]) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(
            clause=e["clause"], start=e["start"], end=e["end"], text=e["text"], page=e["page"], matched=e["matched"]
        )
        for e in items
    )
