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

import contextlib
import hashlib
import json
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
from auditor.resources import cache_dir

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
WHERE r.engine = :engine AND r.lexicon = :lexicon AND json_valid(r.report)
  AND (:status IS NULL OR EXISTS (
        SELECT 1 FROM json_each(r.report, '$.checks') c
        WHERE json_extract(c.value, '$.status') = :status
          AND (:check IS NULL OR json_extract(c.value, '$.id') = :check)))
  AND (:flag IS NULL OR EXISTS (
        SELECT 1 FROM json_each(r.report, '$.red_flags') x WHERE json_extract(x.value, '$.id') = :flag))
ORDER BY f.path
"""


def default_path() -> Path | None:
    """`audits.sqlite` in the package's cache folder (`resources.cache_dir`); None for a user without a
    home folder: a store in the current folder would surprise.
    """
    folder = cache_dir()
    return folder / "audits.sqlite" if folder else None


def content_hash(path: Path, limit: int = MAX_BYTES) -> str | None:
    """SHA-256 of the file, or None when the audit will refuse it anyway and say why: unreadable, over
    `limit` bytes, or not a regular file (a FIFO would block this read forever, /dev/zero never end it).
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
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


SCHEMA_VERSION = 1  # PRAGMA user_version; 0 is a store from before the schema was versioned
_TABLES = {
    "reports": ["sha256", "suffix", "lang", "engine", "lexicon", "report"],
    "files": ["path", "sha256", "suffix", "lang"],
}


def open_store(path: Path | None) -> tuple[Store | None, str | None]:
    """The store at `path`, or None and the one line saying why the batch goes on without it.

    The store is a cache: whatever is wrong with it (no home folder, a folder or a read-only place, a
    foreign or newer database) never stops a batch. A damaged one (garbage, truncated) is moved aside to
    `NAME.damaged` and a new one started.
    """
    if path is None:
        return None, "no home folder for the result store; results are not kept (pass --db FILE to keep them)"
    try:
        return Store(path), None
    except sqlite3.DatabaseError as err:
        if isinstance(err, sqlite3.OperationalError) or not path.is_file():
            return None, _unusable(path, err)
        damaged = path.with_name(path.name + ".damaged")
        try:
            path.replace(damaged)
            return Store(path), f"the result store {path} was damaged ({err}); moved it to {damaged.name}, started anew"
        except (sqlite3.Error, OSError) as again:
            return None, _unusable(path, again)
    except (StoreError, OSError) as err:
        return None, _unusable(path, err)


def _unusable(path: Path, err: BaseException) -> str:
    why = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    return f"the result store {path} cannot be used ({why}); results are not kept this time"


class StoreError(Exception):
    """A database that is not ours to change: another program's, or a newer version's."""


class Store:
    """An open result database. Only the batch's parent process writes to it, one result at a time.

    After opening, a failure (a full disk, a file removed or made read-only) never raises: the store
    stops being used and `warning` says so once.
    """

    def __init__(self, path: Path) -> None:
        if path.is_dir():
            raise StoreError("it is a folder")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.warning: str | None = None
        self.path = path
        self._db = sqlite3.connect(path, timeout=30)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")  # readers (the `report` command) never block a batch
            self._db.execute("PRAGMA synchronous=NORMAL")  # a commit per result stays cheap
            if self._db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("database disk image is malformed")
            self._migrate()
        except BaseException:
            self._db.close()
            raise
        self.engine = engine_fingerprint()
        self.lexicon = lexicon.lexicon_fingerprint()

    def _migrate(self) -> None:
        """Bring the schema to SCHEMA_VERSION. Before it was versioned (0), the same tables with other
        columns were an older layout: those tables are dropped and made again (their results re-audited).
        A database holding other tables, or a newer version, is left alone.
        """
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"it was made by a newer version of this tool (schema {version})")
        if version == SCHEMA_VERSION:
            return
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables - set(_TABLES):
            raise StoreError("it is another program's database")
        for table, columns in _TABLES.items():
            found = [row[1] for row in self._db.execute(f"PRAGMA table_info({table})")]
            if found and found != columns:
                self._db.execute(f"DROP TABLE {table}")
        self._db.executescript(_SCHEMA)
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._db.commit()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def get(self, path: Path, digest: str, lang: str) -> dict[str, Any] | None:
        """The stored report for this content, named after `path`, if the current engine made it and it
        still reads as a report (stored JSON edited by hand is a miss: the file is audited again).
        """
        try:
            report = self._readable_report(path, digest, lang)
            if report is None:
                return None
            self._remember(path, digest, lang)
            self._db.commit()
        except sqlite3.Error as err:
            self._give_up(err)
            return None
        return {**report, "file": path.name}

    def has(self, path: Path, digest: str, lang: str) -> bool:
        """Whether `get` would find a report for this content; nothing is kept or written."""
        try:
            return self._readable_report(path, digest, lang) is not None
        except sqlite3.Error as err:
            self._give_up(err)
            return False

    def _readable_report(self, path: Path, digest: str, lang: str) -> dict[str, Any] | None:
        if self.warning:
            return None
        row = self._db.execute(
            "SELECT report FROM reports WHERE sha256=? AND suffix=? AND lang=? AND engine=? AND lexicon=?",
            (digest, path.suffix.lower(), lang, self.engine, self.lexicon),
        ).fetchone()
        return _readable(row[0]) if row else None

    def put(self, path: Path, digest: str, lang: str, report: dict[str, Any]) -> None:
        """Store a fresh report, replacing whatever an older engine or lexicon produced for this content."""
        if self.warning:
            return
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO reports VALUES (?, ?, ?, ?, ?, ?)",
                (digest, path.suffix.lower(), lang, self.engine, self.lexicon, json.dumps(report, ensure_ascii=False)),
            )
            self._remember(path, digest, lang)
            self._db.commit()
        except sqlite3.Error as err:
            self._give_up(err)

    def _give_up(self, err: sqlite3.Error) -> None:
        """Stop using the store for the rest of the run (the disk is full, the file went away…)."""
        with contextlib.suppress(sqlite3.Error):
            self._db.rollback()
        self.warning = f"the result store {self.path} failed ({err}); the remaining results are not kept"

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
        reports = [(path, _readable(report)) for path, report in rows]
        return [replace(from_dict(report), file=path) for path, report in reports if report is not None]

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
        if not self.warning:
            try:
                self._db.execute(
                    "DELETE FROM reports WHERE (sha256, suffix, lang) NOT IN (SELECT sha256, suffix, lang FROM files)"
                )
                self._db.commit()
            except sqlite3.Error as err:
                self._give_up(err)
        self._db.close()


def _readable(stored: str) -> dict[str, Any] | None:
    """A stored report's dict, or None when the JSON was damaged or edited into something `from_dict`
    cannot rebuild.
    """
    try:
        report = json.loads(stored)
        from_dict(report)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return report  # type: ignore[no-any-return]


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
