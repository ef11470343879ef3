"""The audit pipeline, in one place: load → normalise → segment → analyse → checks → red flags → report."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from auditor.analyse.facts import Analysis, analyse
from auditor.analyse.key_facts import corrected, currency_of, script_of, term_dates
from auditor.checks import checks_for
from auditor.checks._base import Check
from auditor.lexicon import load_lexicon
from auditor.load import Limits, Progress, load, load_text
from auditor.model import (
    AuditReport,
    Contract,
    ContractType,
    Finding,
    KeyFacts,
    Lang,
    Perspective,
    RawDocument,
    Status,
)
from auditor.red_flags import find_red_flags
from auditor.review.contract_type import detect_contract_type
from auditor.rules.claims import checked
from auditor.rules.law import named_law
from auditor.rules.reading import CheckInput
from auditor.rules.wording import typed_lexicon
from auditor.text.normalise import detect_language
from auditor.text.segment import segment

if TYPE_CHECKING:  # a playbook's YAML and pydantic are imported only when a playbook is used
    from auditor.review.playbook import Playbook

Source = str | os.PathLike[str] | bytes | RawDocument


def audit(
    source: Source,
    *,
    filename: str | None = None,
    lang: Lang | None = None,
    checks: Sequence[Check] | None = None,
    password: str | None = None,
    progress: Progress | None = None,
    playbook: Playbook | str | None = None,
    perspective: Perspective = "client",
    facts: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> AuditReport:
    """Audit one contract: a path, raw bytes (with `filename`), or an already loaded document.

    `progress(done, total)` is called as scanned pages are read by OCR. Raises `auditor.load.LoadError`
    with a one-line message when the file cannot be read. `playbook` is a Playbook, a bundled name, a
    .yaml path, or "auto" (the one the detected contract type proposes); `perspective` whose side to take;
    `facts` the user's corrections of the key facts (`{"value": "90000"}`, see `analyse.key_facts`);
    `limits` the loader's (`load.Limits`, raised by the CLI's --max-… flags).
    """
    if isinstance(source, RawDocument):
        doc = source
    else:
        doc = load(source, filename, password=password, progress=progress, limits=limits)
    return audit_document(doc, lang=lang, checks=checks, playbook=playbook, perspective=perspective, facts=facts)


def audit_text(text: str, *, name: str = "pasted.txt", lang: Lang | None = None) -> AuditReport:
    """Audit pasted text."""
    return audit_document(load_text(text, name), lang=lang)


def audit_document(
    doc: RawDocument,
    *,
    lang: Lang | None = None,
    checks: Sequence[Check] | None = None,
    playbook: Playbook | str | None = None,
    perspective: Perspective = "client",
    facts: Mapping[str, str] | None = None,
) -> AuditReport:
    """The stages after loading. Without a playbook and for the client, exactly the rubric's report.

    Raises `analyse.key_facts.FactError` when a correction in `facts` cannot be used.
    """
    text = doc.text
    language: Lang = lang or ("zh" if detect_language(text) == "zh" else "en")
    clauses = segment(doc)
    analysis = analyse(clauses, language)
    contract = Contract(
        text, language, clauses, analysis.facts, analysis.sentences, analysis.parties, analysis.contract_value
    )
    inp = CheckInput(contract, load_lexicon("_common"))
    detected = detect_contract_type(inp)
    key_facts, parties = corrected(_key_facts(inp, analysis, detected), analysis.parties, facts or {})
    contract = dataclasses.replace(contract, parties=parties, value=key_facts.value, key_facts=key_facts)
    inp = CheckInput(contract, load_lexicon("_common"))
    contract_type: ContractType | None = None
    if playbook is not None or perspective != "client":
        from auditor.review.perspective import flags_for

        contract_type = detected if key_facts.type == detected.kind else detect_contract_type(inp, key_facts.type)
        if isinstance(playbook, str):
            from auditor.review.playbook import load_playbook

            playbook = load_playbook(contract_type.playbook if playbook == "auto" else playbook)
    rules = None if isinstance(playbook, str) else playbook
    if checks is None:
        checks = checks_for(perspective)
    findings = tuple(_run(check, inp, rules) for check in checks if rules is None or rules.rule(check.id).enabled)
    if rules is not None:
        findings += _required_items(inp, rules)
    red_flags = find_red_flags(inp)
    if contract_type is not None:
        red_flags = flags_for(red_flags, perspective)
    return AuditReport(
        file=doc.name,
        language=language,
        format=doc.format,
        pages=doc.pages,
        parties=parties,
        findings=findings,
        red_flags=red_flags,
        contract=contract,
        warnings=doc.warnings,
        contract_value=key_facts.value,
        playbook=rules.name if rules else None,
        perspective=perspective,
        contract_type=contract_type,
        key_facts=key_facts,
    )


def _key_facts(inp: CheckInput, analysis: Analysis, detected: ContractType) -> KeyFacts:
    """The facts every suggestion and brief is filled with, each read once."""
    start, end = term_dates(inp.operative, inp.lang)
    return KeyFacts(
        value=analysis.contract_value,
        currency=currency_of(inp.clauses, analysis.facts, analysis.contract_value, inp.lang),
        start=start,
        end=end,
        governing_law=named_law(inp),
        type=detected.kind,
        script=script_of(inp.text, inp.lang),
    )


def _run(check: Check, inp: CheckInput, playbook: Playbook | None) -> Finding:
    """One check, read with its contract type's wording and the playbook's thresholds and wording, carrying
    its severity; its reasons checked against the contract before they are shown (rules/claims.py).
    """
    facts = inp.contract.key_facts
    lexicon = typed_lexicon(check.lexicon, facts.type, facts.governing_law)
    if playbook is not None:
        from auditor.review.playbook import effective_lexicon

        lexicon = effective_lexicon(lexicon, playbook)
    bound = inp.bind(lexicon)
    finding = checked(check.run(bound), bound)
    severity = playbook.rule(check.id).severity if playbook else None
    return dataclasses.replace(finding, severity=severity) if severity else finding


def _required_items(inp: CheckInput, playbook: Playbook) -> tuple[Finding, ...]:
    """The playbook's required items: each present (pass, quoting where) or missing (with its wording)."""
    from auditor.review.playbook import required_item_lexicon

    found = []
    for item in playbook.required_items:
        item_inp = inp.bind(required_item_lexicon(item))
        title = item.title.zh if inp.lang == "zh" else item.title.en
        hits = item_inp.hits("present")
        status = Status.PASS if hits else Status.MISSING
        reason = item_inp.reason("present" if hits else "absent", title=title)
        found.append(
            dataclasses.replace(item_inp.finding(status, [reason], item_inp.evidence(hits)), severity=item.severity)
        )
    return tuple(found)
