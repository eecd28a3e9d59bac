"""Negation scope as NegEx reads it (Chapman et al., 2001), through negspacy on spaCy's
English tokenizer (no statistical model).

A cue before a concept ("no", "not", "never", "without", "instead of") or after it ("… are
not recommended", "… is not needed") negates it, up to a cue that ends the scope ("but",
"however", "although", "which"); the items of a list share it ("codeine or other opioids are
best avoided"); "cannot take", "not always" and the like negate nothing.
The termset is NegEx's clinical one, fitted to encyclopedia prose: advice against a
treatment or a test is a denial of it, and "does not cause" is a denial here, not the
clinical pseudo-negation it is in discharge notes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import spacy
from negspacy.negation import Negex  # noqa: F401 - registers the "negex" factory
from negspacy.termsets import termset
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["negated"]

_ADVICE = ("recommended", "needed", "helpful", "used", "advised", "necessary")
_FOLLOWING = [
    *(f"{verb} not {what}" for verb in ("is", "are", "usually") for what in _ADVICE),
    *(f"not {what}" for what in _ADVICE),
    *(f"not {how} {what}" for how in ("usually", "generally", "routinely") for what in _ADVICE),
    *("do not help", "does not help", "should not be used", "should be avoided", "best avoided"),
    *(f"{modal} not be {verb}" for modal in ("should", "must") for verb in ("given", "taken")),
    *("no longer recommended", "no longer used"),
    *("is not a cause", "are not a cause", "is not a symptom", "are not symptoms"),
    *(f"{verb} not a {what}" for verb in ("is", "are") for what in ("treatment", "cure")),
    *("is unnecessary", "are unnecessary"),
]
_PRECEDING = [
    *("instead of", "rather than", "no need for", "not caused by", "not a cause of"),
    *("does not cause", "do not cause", "did not cause", "cannot cause", "not linked to"),
]
_PSEUDO = [
    *("cannot take", "can't take", "unable to take", "who cannot", "not always"),
    *("not fully", "not entirely", "not only"),
    # "without treatment, gout can lead to joint damage": a condition, not a denial
    *("without treatment", "with or without", "or without", "without any", "without being"),
    *("without medicine", "without medication", "without surgery", "without antibiotics"),
    *("little or no", "or no", "not always", "not a reliable"),
    *(f"without {word} treatment" for word in ("prompt", "early", "timely", "urgent", "proper")),
]
_NOT_PSEUDO = ["not cause"]  # a clinical pseudo-negation; in an encyclopedia a denial


@functools.cache
def _pipeline() -> Language:
    patterns = termset("en_clinical")
    patterns.remove_patterns({"pseudo_negations": _NOT_PSEUDO})
    patterns.add_patterns(
        {
            "following_negations": _FOLLOWING,
            "preceding_negations": _PRECEDING,
            "pseudo_negations": _PSEUDO,
            "termination": ["whereas", "while", ";"],
        }
    )
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")  # a passage is one sentence or bullet; NegEx asks for them
    nlp.add_pipe("negex", config={"neg_termset": patterns.get_patterns()})
    return nlp


def negated(text: str, spans: Sequence[tuple[int, int]]) -> list[bool]:
    """For each ``(start, end)`` of a concept in ``text``, whether a negation scopes over
    it. Overlapping spans are judged as the longest that holds them. An opening clause
    ("When the heart cannot pump well, …", "Because injuries may not be felt, …") keeps its
    negation to itself."""
    if not _ANY_CUE.search(text):  # most passages deny nothing: no tokenizing then
        return [False] * len(spans)
    return [_negated(text, start, end) for start, end in spans]


_OPENING_CLAUSE = re.compile(
    r"^[^,;]*?\b(?:when|if|because|as|since|although|though|while|unless|once|until)\b[^,;]*,\s*",
    re.IGNORECASE,
)


def _negated(text: str, start: int, end: int) -> bool:
    opening = _OPENING_CLAUSE.match(text)
    if opening is not None and start >= opening.end():
        text, start, end = text[opening.end() :], start - opening.end(), end - opening.end()
    nlp = _pipeline()
    doc = _doc(text)
    span = doc.char_span(start, end, label="CONCEPT", alignment_mode="expand")
    if span is None:
        return False
    doc.ents = [span]
    doc = nlp.get_pipe("negex")(doc)
    if not doc.ents[0]._.negex:
        return False
    # NegEx's own window: a cue within a few words of the concept ("problems that are not
    # cancer, such as a bone infection" denies cancer, not the infection)
    near = doc[max(0, span.start - WINDOW) : span.end + WINDOW]
    if any(_CUE.fullmatch(token.lower_) for token in near):
        return True
    # a list shares its negation: "codeine or other opioids are best avoided"
    joined = _NEXT_ITEM.match(text, end)
    return joined is not None and _negated(text, joined.start(1), joined.end(1))


# the next item of a list a concept ends: ", or other opioids" before the list's verb, or
# ", zinc" before more of it
_NEXT_ITEM = re.compile(
    r"(?:\s*,\s*|(?:\s*,)?\s+(?:or|and|nor)\s+)(?:other\s+|some\s+|any\s+)?"
    r"([A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2}?)"
    r"(?=\s+(?:are|is|were|was|should|must|do|does|can|and|or|nor)\b|\s*[,;.]|\s*$)",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=256)
def _doc(text: str) -> Doc:
    """``text`` tokenized, one sentence: made once for the several concepts it holds."""
    nlp = _pipeline()
    return nlp.get_pipe("sentencizer")(nlp.make_doc(text))


WINDOW = 5  # words, as in NegEx
_CUE = re.compile(r"not|no|never|without|cannot|n't|instead|rather|unnecessary|avoid(?:ed)?|nor")
_ANY_CUE = re.compile(
    r"\b(?:not|no|never|without|cannot|instead|rather|unnecessary|avoid(?:ed)?|nor)\b|n't", re.I
)
