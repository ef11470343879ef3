"""How a consumer reads the contract through one lexicon: `CheckInput` turns lexicon keys into hits,
evidence, reasons and filled wording, so each check, red flag and brief stays small.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz

from auditor.analyse.match import Hit, Sentences, dedupe, evidence_for, find, heading_matches
from auditor.lexicon import Lexicon, load_lexicon
from auditor.model import Clause, Contract, Evidence, Fact, Finding, Lang, Parties, Status
from auditor.rules.wording import blanks, fill, format_date, format_money, in_script, place_city
from auditor.text.normalise import normalise

_PHRASE_END = re.compile("[，,；;并及]")  # where a phrase of a sentence ends
_ADVICE_MARKS = 2  # a template's advice to the drafter says so more than once in a clause


@dataclass
class _Shared:
    """What every reading of one contract shares, whichever lexicon it is bound to, worked out once: a
    contract is read through a dozen lexicons (each check, the red flags), and a long one spent most of its
    audit finding the same operative clauses and the same cue's matches again for each.
    """

    operative: tuple[Clause, ...] | None = None
    aliases: dict[str, str | None] = field(default_factory=dict)
    cues: dict[tuple[str, ...], re.Pattern[str]] = field(default_factory=dict)  # a cue's regexes -> compiled
    found: dict[tuple[re.Pattern[str], str, bool], tuple[Hit, ...]] = field(default_factory=dict)
    spans: dict[tuple[int, int], str] = field(default_factory=dict)
    annexes: dict[str, frozenset[int]] = field(default_factory=dict)
    sentences: Sentences | None = None
    facts_by_kind: dict[str, tuple[list[int] | None, list[Fact]]] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckInput:
    """The analysed contract as a check sees it, bound to one lexicon."""

    contract: Contract
    lexicon: Lexicon
    shared: _Shared = field(default_factory=_Shared, compare=False, repr=False)

    def bind(self, lexicon: Lexicon) -> CheckInput:
        """The same contract read with another lexicon (red flags, shared cues)."""
        return CheckInput(self.contract, lexicon, self.shared)

    @property
    def text(self) -> str:
        """The document text every offset refers to."""
        return self.contract.text

    @property
    def clauses(self) -> tuple[Clause, ...]:
        """The contract's clauses, in order."""
        return self.contract.clauses

    @property
    def facts(self) -> tuple[Fact, ...]:
        """The values recognised in the contract."""
        return self.contract.facts

    @property
    def sentence_spans(self) -> tuple[tuple[int, int], ...]:
        """Where each sentence starts and ends."""
        return self.contract.sentence_spans

    @property
    def lang(self) -> Lang:
        """The contract's language."""
        return self.contract.lang

    @property
    def parties(self) -> Parties:
        """Who is the client and who the provider."""
        return self.contract.parties

    @property
    def contract_value(self) -> float | None:
        """The contract price, when stated."""
        return self.contract.value

    @cached_property
    def common(self) -> Lexicon:
        """Shared vocabulary: negation, definitions headings, blanks, redactions."""
        return load_lexicon("_common")

    @property
    def sentences(self) -> Sentences:
        """Sentence spans, for quoting."""
        if self.shared.sentences is None:
            self.shared.sentences = Sentences(self.sentence_spans)
        return self.shared.sentences

    @property
    def operative(self) -> tuple[Clause, ...]:
        """Clauses that bind: definitions, filling notes, a template's advice and signature blocks left out."""
        if self.shared.operative is None:
            skip = self.common.values["non_operative_headings"][self.lang]
            sig = self.common.cue("signature_line", self.lang)
            advice = self.common.cue("drafting_advice", self.lang)
            unchosen = _unchosen_options(self.clauses, self.common.cue("option_opener", self.lang))
            self.shared.operative = tuple(
                c
                for c in self.clauses
                if not heading_matches(c, skip)
                and not sig.search(c.norm)
                and c.index not in unchosen
                and len(advice.findall(c.norm)) < _ADVICE_MARKS
            )
        return self.shared.operative

    def rx(self, key: str, lexicon: Lexicon | None = None) -> re.Pattern[str]:
        """A cue compiled for this contract's party aliases (asked for thousands of times an audit)."""
        lex = lexicon or self.lexicon
        memo = lex.cues[key][self.lang] if key in lex.cues else None  # by its regexes: lexicons share names
        rx = self.shared.cues.get(memo) if memo is not None else None
        if rx is None:
            rx = lex.cue(key, self.lang, self._alias("client"), self._alias("provider"))
            if memo is not None:
                self.shared.cues[memo] = rx
        return rx

    def _alias(self, role: str) -> str | None:
        """The party's alias as the normalised text spells it (cues run on it: lower-case, Simplified)."""
        if role not in self.shared.aliases:
            alias = self.parties.client_alias if role == "client" else self.parties.provider_alias
            self.shared.aliases[role] = normalise(alias) if alias else None
        return self.shared.aliases[role]

    def hits(self, key: str, clauses: Iterable[Clause] | None = None, *, negatable: bool = True) -> tuple[Hit, ...]:
        """Non-negated matches of a cue in operative clauses (or in `clauses`)."""
        if clauses is None:
            found = self._operative_hits(key, negatable)
        else:
            negation = self.rx("negation", self.common) if negatable else None
            found = find(clauses, self.rx(key), key, negation, self.sentences)
        return tuple(h for h in found if not h.negated)

    def _operative_hits(self, key: str, negatable: bool) -> tuple[Hit, ...]:
        """Every match of a cue in the operative clauses, negated or not, found once per contract (several
        checks and flags ask for the same cue, and a whole-text scan is the cost of asking).
        """
        rx = self.rx(key)
        memo = (rx, key, negatable)
        found = self.shared.found.get(memo)
        if found is None:
            negation = self.rx("negation", self.common) if negatable else None
            found = self.shared.found[memo] = find(self.operative, rx, key, negation, self.sentences)
        return found

    def substantive(self, hits: Iterable[Hit]) -> tuple[Hit, ...]:
        """Hits outside bare headings: "COMPENSATION." or "违约责任" as a title promises nothing by itself."""
        return tuple(h for h in hits if not (h.clause.title and h.clause.text.strip().endswith(h.clause.title)))

    def negated_hits(self, key: str) -> tuple[Hit, ...]:
        """Matches of a cue that a negation turns around ("不设违约金")."""
        return tuple(h for h in self._operative_hits(key, negatable=True) if h.negated)

    def in_sentence(self, hit: Hit, key: str) -> bool:
        """True when cue `key` also matches in the sentence around `hit`."""
        start, end = self.sentences.around(hit.start, hit.end)
        return bool(self.rx(key).search(self.norm_span(start, end)))

    @cached_property
    def _clause_starts(self) -> list[int]:
        return [c.start for c in self.clauses]

    def norm_span(self, start: int, end: int) -> str:
        """Normalised text of a document span (normalisation keeps offsets), memoised: checks ask for the
        same sentence many times.
        """
        key = (start, end)
        cached = self.shared.spans.get(key)
        if cached is not None:
            return cached
        i = bisect.bisect_right(self._clause_starts, start) - 1
        clause = self.clauses[i] if i >= 0 else None
        text = ""
        if clause is not None and start < clause.end:
            text = clause.norm[start - clause.start : min(end, clause.end) - clause.start]
        self.shared.spans[key] = text
        return text

    def sentence_hits(self, key: str, *also: str, clauses: Iterable[Clause] | None = None) -> tuple[Hit, ...]:
        """Hits of `key` whose sentence also matches every cue in `also`."""
        return tuple(h for h in self.hits(key, clauses) if all(self.in_sentence(h, k) for k in also))

    def facts_of(self, kind: str, clauses: Iterable[Clause] | None = None) -> tuple[Fact, ...]:
        """Facts of one kind, in the given (default: operative) clauses."""
        pool = {c.index for c in (clauses if clauses is not None else self.operative)}
        return tuple(f for f in self.facts if f.kind == kind and f.clause in pool)

    def facts_near(self, hit: Hit, kind: str) -> tuple[Fact, ...]:
        """Facts of one kind in the sentence around a hit."""
        start, end = self.sentences.around(hit.start, hit.end)
        if kind not in self.shared.facts_by_kind:  # a bisect per hit, not a scan of every fact
            of_kind = [f for f in self.facts if f.kind == kind]
            offsets = [f.start for f in of_kind]
            # facts come in document order; in any other order they are scanned as they are
            self.shared.facts_by_kind[kind] = (offsets if offsets == sorted(offsets) else None, of_kind)
        starts, of_kind = self.shared.facts_by_kind[kind]
        if starts is None:
            return tuple(f for f in of_kind if start <= f.start < end)
        return tuple(of_kind[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)])

    def hits_at(self, facts: Iterable[Fact]) -> tuple[Hit, ...]:
        """Facts seen as hits, so evidence can quote the sentence a value sits in."""
        return tuple(
            Hit(self.clauses[f.clause], f.start, f.end, f.label or f.kind) for f in facts if f.clause is not None
        )

    def missing_references(self, hits: Iterable[Hit]) -> tuple[Hit, ...]:
        """References ("详见《服务清单》", "per Exhibit A") in the hits' sentences to annexes the document lacks."""
        rx = self.rx("annex_ref", self.common)
        missing: list[Hit] = []
        for hit in hits:
            start, end = self.sentences.around(hit.start, hit.end)
            for m in rx.finditer(self.norm_span(start, end)):
                ref = Hit(hit.clause, start + m.start(), start + m.end(), "annex_ref")
                if not self._annex_present(self.ref_name(ref), hit.clause.index):
                    missing.append(ref)
        return tuple(missing)

    def ref_name(self, hit: Hit) -> str:
        """The annex a reference points to: "服务清单", "exhibit a"."""
        m = self.rx("annex_ref", self.common).search(hit.matched)
        name = m.group("ref") if m else hit.matched
        return name.strip("《》 ")

    def _annex_present(self, name: str, cited_in: int) -> bool:
        """An annex is present when another clause opens with its name or is titled by it."""
        return bool(self._annex_holders(name.replace(" ", "")) - {cited_in})

    def _annex_holders(self, compact: str) -> frozenset[int]:
        """The clauses that open with or are titled by an annex name, memoised per name: a long contract
        cites the same few annexes in hundreds of sentences, and each search reads every clause.
        """
        cached = self.shared.annexes.get(compact)
        if cached is not None:
            return cached
        # a heading run into the text after a rule ("…convenience only. ***** EXHIBIT A A. PURPOSE")
        ruled = re.compile(r"(?:^|[*=_~\-]{3,})\s*" + r"\s*".join(map(re.escape, compact)) + r"(?![a-z0-9])")
        holders = set()
        for clause in self.clauses:
            head = clause.norm[:40].replace(" ", "").lstrip("《").lstrip("#")
            if (
                head.startswith(compact)
                or (clause.title and compact in clause.title.replace(" ", "").lower())
                or (head.startswith(("附件", "附表", "exhibit", "schedule", "annex", "appendix")) and compact in head)
                or ruled.search(clause.norm)
            ):
                holders.add(clause.index)
        cached = self.shared.annexes[compact] = frozenset(holders)
        return cached

    def section(self, key: str) -> tuple[Clause, ...]:
        """Operative clauses under a heading named by `values.headings.<key>` (tolerant match), memoised:
        checks ask once per hit, which rescanned every clause per hit of a long contract.
        """
        cached = self._sections.get(key)
        if cached is None:
            headings = self.lexicon.values["headings"][key][self.lang]
            cached = self._sections[key] = tuple(c for c in self.operative if heading_matches(c, headings))
        return cached

    @cached_property
    def _sections(self) -> dict[str, tuple[Clause, ...]]:
        return {}

    def titled_clauses(self) -> tuple[Clause, ...]:
        """Operative clauses whose own title is one of this check's headings (`values.headings`), closely:
        "违约责任", "争议的解决办法", "Termination." — not a longer title that merely contains the word.
        """
        headings = [h for group in self.lexicon.values.get("headings", {}).values() for h in group[self.lang]]
        return tuple(c for c in self.operative if c.title and any(_is_title(c.title, h) for h in headings))

    def evidence(self, hits: Iterable[Hit], limit: int = 4) -> tuple[Evidence, ...]:
        """Sentences quoted for hits, deduplicated."""
        return dedupe((evidence_for(h, self.text, self.sentences) for h in hits), limit)

    def has_blank(self, hit: Hit) -> bool:
        """True when the sentence around `hit` holds an unfilled blank (not a redaction)."""
        start, end = self.sentences.around(hit.start, hit.end)
        return bool(self.rx("blank", self.common).search(self.norm_span(start, end)))

    def phrases(self, hit: Hit) -> tuple[list[str], int, int]:
        """The phrases (between commas) of the sentence around `hit`, which one holds it, and where the hit
        starts inside that phrase.
        """
        start, end = self.sentences.around(hit.start, hit.end)
        sentence = self.norm_span(start, end)
        cuts = [m.start() for m in _PHRASE_END.finditer(sentence)]
        phrases = _PHRASE_END.split(sentence)
        index = bisect.bisect_left(cuts, hit.start - start)
        return phrases, index, hit.start - start - (cuts[index - 1] + 1 if index else 0)

    def in_phrase(self, hit: Hit, key: str) -> bool:
        """True when cue `key` matches in the phrase (between commas) that holds `hit`."""
        phrases, index, _ = self.phrases(hit)
        return bool(self.rx(key).search(phrases[index]))

    def blank_outside(self, hit: Hit, key: str) -> bool:
        """True when a phrase (between commas) of the sentence around `hit` holds a blank, other than a
        phrase about cue `key`: in "逾期超过＿日的，甲方有权解除" the trigger is open, while in "退还剩余费用，并支付
        ＿%的违约金" only the penalty is, and the refund stands; a blank deadline ("＿日内退费") leaves the duty.
        """
        about = self.rx(key)
        return any(self.open_blank(p) and not about.search(p) for p in self.phrases(hit)[0])

    def open_blank(self, text: str) -> bool:
        """A blank in `text` that leaves a term open: not one only in a time limit ("于＿个工作日内退费")."""
        return bool(self.rx("blank", self.common).search(text)) and not self.rx("blank_deadline", self.common).search(
            text
        )

    def reason(self, key: str, **values: object) -> str:
        """A reason sentence from this check's lexicon."""
        return self.lexicon.reason(key, self.lang, **values)

    def wording_facts(self) -> dict[str, str | None]:
        """Values a suggested wording may use: the parties as the contract names them, and its key facts."""
        p, key = self.parties, self.contract.key_facts
        amount = format_money(self.contract_value, self.lang, key.currency)
        start, end = format_date(key.start, self.lang), format_date(key.end, self.lang)
        city = place_city(p.client_place) if self.lang == "zh" else None
        return {
            # the clause is pasted into this contract, so it names the parties as the contract does
            "client": p.client_alias or p.client,
            "provider": p.provider_alias or p.provider,
            "client_name": p.client,
            "provider_name": p.provider,
            "client_alias": p.client_alias,
            "provider_alias": p.provider_alias,
            "amount": in_script(amount, key) if amount else None,
            "start_date": start,
            "end_date": end,
            "term": self.lexicon_word("term_span", start=start, end=end) if start and end else None,
            "city": city,
            "commission": self.lexicon_word("commission", city=city)
            if city and key.governing_law in (None, "CN")
            else None,
        }

    def lexicon_word(self, key: str, **values: object) -> str:
        """A phrase of the wording lexicon in the contract's script ("自2024年3月1日至…", "上海仲裁委员会")."""
        return in_script(load_lexicon("wording").reason(key, self.lang, **values), self.contract.key_facts)

    def suggestion(self, variant: str = "default", **extra: str | None) -> str:
        """This check's suggested wording, filled with the contract's own facts, in its script."""
        template = self.lexicon.template(self.lang, variant)
        return fill(template, {**self.wording_facts(), **extra}, self.lang, self.contract.key_facts)

    def finding(
        self,
        status: Status,
        reasons: Iterable[str] = (),
        evidence: Iterable[Evidence] = (),
        *,
        variant: str = "default",
        notes: Iterable[str] = (),
    ) -> Finding:
        """A finding with this check's title; wording suggested whenever the status is not pass.

        One rule for every check: "missing" with nothing found, in a contract that has a clause titled as
        the check's subject (违约责任：按法律规定执行, 争议的解决办法：＿＿), is `weak` — something is there,
        it is just not specific — with the heading quoted.
        """
        evidence = dedupe(evidence)
        if status is Status.MISSING and not evidence:
            titled = self.titled_clauses()
            if titled:
                status, evidence = Status.WEAK, self.evidence(Hit(c, c.start, c.end, "heading_only") for c in titled)
                title = re.sub(r"[\s_＿:：.。]+$", "", titled[0].title or "")
                reasons = [self.common.reason("heading_only", self.lang, title=title)]
        suggestion = None if status is Status.PASS else self.suggestion(variant)
        return Finding(
            check_id=self.lexicon.name,
            status=status,
            reasons=tuple(dict.fromkeys(reasons)),
            evidence=evidence,
            suggestion=suggestion,
            title=self.lexicon.title[self.lang],
            notes=tuple(dict.fromkeys(notes)),
            to_fill=blanks(suggestion),
        )


def _is_title(title: str, heading: str) -> bool:
    """True when a clause title reads as the heading itself, give or take a few characters."""
    probe = "".join(ch for ch in title.lower() if ch.isalnum() or ch == " ").strip()
    return len(heading) - 1 <= len(probe) <= len(heading) + 4 and fuzz.partial_ratio(heading, probe) >= 90


_OPTION_NUMBER = re.compile(r"^[（(]?\s*[\d一二三四五六七八九十]{1,2}\s*[)）.、．]?$")
_OPTION_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _option_number(text: str) -> int | None:
    """The number of an option ("1", "（2）", "三"), or None when it has none or is blank."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits:
        return int(digits)
    return next((n for ch, n in _OPTION_DIGITS.items() if ch in text), None)


def _unchosen_options(clauses: tuple[Clause, ...], opener: re.Pattern[str]) -> frozenset[int]:
    """Clauses that are options the parties did not choose ("按以下第 1 种方式处理：1. … 2. …").

    A clause that opens a choice is followed by its options, one level deeper; the option whose number
    fills the choice is kept, the others (with their own items) are not terms of the contract. When the
    choice is left blank, no option was agreed: none of them is kept, and the opener's blank is what the
    contract says.
    """
    dropped: set[int] = set()
    for i, clause in enumerate(clauses):
        m = opener.search(clause.norm)
        if m is None:
            continue
        chosen = _option_number(m.group("n"))
        depth: int | None = None
        keep = False
        for option in clauses[i + 1 :]:
            beside = option.level == clause.level and option.number != clause.number
            if option.level < clause.level or (option.level == clause.level and not beside):
                break
            if beside and not _OPTION_NUMBER.match(option.number or ""):
                break
            if depth is None or option.level <= depth:
                depth = option.level
                keep = chosen is not None and _option_number(option.number or "") == chosen
            if not keep:
                dropped.add(option.index)
    return frozenset(dropped)
