"""The only place spaCy pipelines and jieba are built; each once per process.

Chinese: spaCy `zh` with jieba as the segmenter, jieba taught the legal vocabulary in
`lexicons/legal_words.txt` so terms such as 仲裁委员会 or 违约金 stay whole tokens. English: a blank `en`
pipeline. Both get a sentencizer (Chinese splits on 。；！？ as well) and an EntityRuler whose ORG patterns
(arbitration institutions, courts) come from `lexicons/analysis.toml`. No model download is needed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from auditor.lexicon import LEXICON_DIR, load_lexicon
from auditor.model import Lang

if TYPE_CHECKING:
    from spacy.language import Language

_ZH_PUNCT = ["。", "；", ";", "！", "!", "？", "?", "\n"]


def _entity_patterns(lang: Lang) -> list[dict[str, object]]:
    values = load_lexicon("analysis").values
    patterns: list[dict[str, object]] = [
        {"label": "ORG", "pattern": phrase, "id": "institution"} for phrase in values["org_phrases"][lang]
    ]
    for token_regex in values["org_token_patterns"][lang]:
        patterns.append(
            {"label": "ORG", "pattern": [{"LOWER": {"REGEX": r}} for r in token_regex], "id": "institution_pattern"}
        )
    return patterns


@lru_cache(maxsize=1)
def _jieba_ready() -> None:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    with (LEXICON_DIR / "legal_words.txt").open("rb") as words:
        jieba.load_userdict(words)


@lru_cache(maxsize=2)
def get_nlp(lang: Lang) -> Language:
    """The pipeline for `lang`, built once."""
    import spacy

    if lang == "zh":
        _jieba_ready()
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        nlp.add_pipe("sentencizer", config={"punct_chars": _ZH_PUNCT})
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(_entity_patterns(lang))  # type: ignore[attr-defined]
    return nlp
