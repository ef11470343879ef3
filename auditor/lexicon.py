"""Lexicons: the vocabulary, patterns, reasons and suggested wording of each check, as TOML data.

A check never holds a literal keyword or sentence: it names keys (`cue("vague_court")`,
`reason("vague_court")`) and the lexicon supplies zh and en. Every file is validated when it is first
loaded (each version of it once, see `load_lexicon`), so a broken regex fails at start-up, not in the middle
of an audit.

Shape of `lexicons/<id>.toml`:
    [meta]        title = {zh, en}
    [cues.<key>]  zh = [regex, ...], en = [regex, ...]   literal words are valid regexes
    [reasons]     <key> = {zh, en}     short sentences; may use {placeholders}
    [suggestion]  zh, en (or [suggestion.<variant>] tables)
    [values]      numbers a check compares against (thresholds)
    [claims.<reason>]  what a reason asserts about the contract, checked before it is shown (rules/claims.py)

Regexes run on normalised text (normalise.py: half-width, Simplified, lower-case). A regex may use
`{client}` / `{provider}`: they are replaced by the contract's own party aliases (甲方, the Company…).
"""

from __future__ import annotations

import contextlib
import marshal
import re
import sys
import tomllib
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from auditor.model import KeyFacts, Lang
from auditor.resources import cache_dir, lexicon_dir, write_atomically

LEXICON_DIR: Traversable = lexicon_dir()
LANGS: tuple[Lang, ...] = ("zh", "en")

# Default aliases when a contract's own are unknown: what role words may stand for each side.
_DEFAULT_ROLE = {
    "client": {"zh": "甲方|委托方|客户|需求方", "en": "client|customer|company|advertiser|buyer"},
    "provider": {
        "zh": "乙方|受托方|服务方|服务商|代运营方|运营方",
        "en": "agency|provider|service provider|contractor|consultant|vendor|supplier|developer",
    },
}


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and key."""


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One check's vocabulary, validated."""

    name: str
    title: dict[str, str]
    cues: dict[str, dict[str, tuple[str, ...]]]
    reasons: dict[str, dict[str, str]]
    suggestion: dict[str, dict[str, str]]  # variant -> lang -> template ("default" is the plain one)
    values: dict[str, Any] = field(default_factory=dict)
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)

    def reason(self, key: str, lang: Lang, **values: object) -> str:
        """The reason sentence for `key` in `lang`, with placeholders filled."""
        template = self.reasons[key][lang]
        return template.format(**values) if values else template

    def template(self, lang: Lang, variant: str = "default") -> str:
        """The suggested-wording template for `lang`."""
        return self.suggestion.get(variant, self.suggestion["default"])[lang]

    def cue(self, key: str, lang: Lang, client: str | None = None, provider: str | None = None) -> re.Pattern[str]:
        """The compiled alternation of a cue's regexes, with the party aliases put in."""
        if key not in self.cues:
            raise LexiconError(f"{self.name}: no cue named {key!r}")
        return _compile(
            self.name, key, self.cues[key][lang], _role(client, "client", lang), _role(provider, "provider", lang)
        )

    def each(self, key: str, lang: Lang) -> tuple[re.Pattern[str], ...]:
        """A cue's regexes compiled one by one: for cues whose alternatives share group names."""
        if key not in self.cues:
            raise LexiconError(f"{self.name}: no cue named {key!r}")
        return tuple(_compile(self.name, key, (p,), "", "") for p in self.cues[key][lang])


def _role(alias: str | None, role: str, lang: Lang) -> str:
    if alias:
        return re.escape(alias.lower())
    return _DEFAULT_ROLE[role][lang]


@lru_cache(maxsize=4096)
def _compile(name: str, key: str, patterns: tuple[str, ...], client: str, provider: str) -> re.Pattern[str]:
    if not patterns:
        return re.compile(r"(?!x)x")  # matches nothing: this cue has no wording in this language
    body = patterns[0] if len(patterns) == 1 else "|".join(f"(?:{p})" for p in patterns)
    body = body.replace("{client}", f"(?:{client})").replace("{provider}", f"(?:{provider})")
    try:
        return re.compile(body)
    except re.error as err:
        raise LexiconError(f"{name}: cue {key!r} does not compile: {err}") from err


def _both_langs(where: str, value: object) -> dict[str, Any]:
    if not isinstance(value, dict) or any(lang not in value for lang in LANGS):
        raise LexiconError(f"{where}: needs both 'zh' and 'en'")
    return value


def _parse(name: str, data: dict[str, Any], *, validate: bool = True) -> Lexicon:
    meta = data.get("meta", {})
    title = _both_langs(f"{name}: meta.title", meta.get("title", {"zh": name, "en": name}))
    cues: dict[str, dict[str, tuple[str, ...]]] = {}
    for key, entry in data.get("cues", {}).items():
        entry = _both_langs(f"{name}: cues.{key}", entry)
        cues[key] = {lang: tuple(entry[lang]) if isinstance(entry[lang], list) else (entry[lang],) for lang in LANGS}
        for lang in LANGS if validate else ():
            for pattern in cues[key][lang]:
                _compile(name, key, (pattern,), "a", "b")
            if not any("(?P<" in p for p in cues[key][lang]):
                _compile(name, key, cues[key][lang], "a", "b")
    reasons = {key: _both_langs(f"{name}: reasons.{key}", v) for key, v in data.get("reasons", {}).items()}
    raw_sugg = data.get("suggestion", {})
    if all(lang in raw_sugg for lang in LANGS):
        suggestion = {"default": dict(raw_sugg)}
    else:
        suggestion = {k: _both_langs(f"{name}: suggestion.{k}", v) for k, v in raw_sugg.items()}
    claims = {key: _claim(name, key, entry, cues, reasons) for key, entry in data.get("claims", {}).items()}
    return Lexicon(
        name=name,
        title=title,
        cues=cues,
        reasons=reasons,
        suggestion=suggestion,
        values=dict(data.get("values", {})),
        claims=claims,
    )


_FACT_NAMES = {f.name for f in fields(KeyFacts)}
_CLAIM_KEYS = {"absent": "cues", "foreign": "cues", "unless": "reasons", "instead": "reasons", "known": "facts"}


def _claim(name: str, key: str, entry: Any, cues: dict[str, Any], reasons: dict[str, Any]) -> dict[str, Any]:
    """One `[claims.<key>]` table, its cues and reasons named as they are in this lexicon."""
    where = f"{name}: claims.{key}"
    if key != "evidence" and key not in reasons:
        raise LexiconError(f"{where}: no reason named {key!r}")
    if not isinstance(entry, dict) or not set(entry) <= set(_CLAIM_KEYS):
        raise LexiconError(f"{where}: use only {', '.join(_CLAIM_KEYS)}")
    for field_name, names in entry.items():
        known = {"cues": cues, "reasons": reasons, "facts": _FACT_NAMES}[_CLAIM_KEYS[field_name]]
        listed = [names] if isinstance(names, str) else names
        unknown = [n for n in listed if n not in known]
        if unknown:
            raise LexiconError(f"{where}.{field_name}: no {_CLAIM_KEYS[field_name][:-1]} named {unknown[0]!r}")
    return dict(entry)


@lru_cache(maxsize=64)
def load_lexicon(name: str) -> Lexicon:
    """Read and validate `lexicons/<name>.toml` (cached for the process).

    Compiling every regex of both languages to validate a file costs more than the audit itself, and
    parsing the TOML a tenth of a short audit, so a file's text, once found valid, is remembered in the
    cache folder with its parsed data: a later process reads that instead, until the text changes, and
    an audit compiles only the cues it reads, in its own language.
    """
    path = LEXICON_DIR / f"{name}.toml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise LexiconError(f"no lexicon file {path.name}") from err
    copy = _validated_copy(text)
    data = _read_copy(copy)
    if data is not None:
        return _parse(name, data, validate=False)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise LexiconError(f"{path.name}: {err}") from err
    lexicon = _parse(name, data, validate=True)
    if copy is not None:
        with contextlib.suppress(OSError, ValueError):  # a read-only cache only means parsing again next time
            write_atomically(copy, lambda temporary: temporary.write_bytes(marshal.dumps(data)))
    return lexicon


def _validated_copy(text: str) -> Path | None:
    """Where the parsed data of this lexicon text is kept once it validated; None without a cache folder.
    marshal's format is the interpreter's, so its version is part of the name.
    """
    import hashlib

    folder = cache_dir()
    digest = hashlib.sha256(f"{sys.version_info[:2]}{text}".encode()).hexdigest()[:24]
    return folder / "lexicons-valid" / f"{digest}.marshal" if folder else None


def _read_copy(copy: Path | None) -> dict[str, Any] | None:
    """The data kept at `copy`, or None when there is none or it is not whole."""
    if copy is None:
        return None
    try:
        data = marshal.loads(copy.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def lexicon_names() -> tuple[str, ...]:
    """Every lexicon file present, by stem."""
    return tuple(sorted(p.name.removesuffix(".toml") for p in _toml_files()))


def lexicon_fingerprint() -> str:
    """A short hash of every lexicon file: stored results are invalid when it changes."""
    import hashlib

    h = hashlib.sha256()
    for p in sorted(_toml_files(), key=lambda f: f.name):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _toml_files() -> list[Traversable]:
    return [p for p in LEXICON_DIR.iterdir() if p.name.endswith(".toml")]
