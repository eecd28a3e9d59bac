"""What reads as the name of a concept, and where the names of a list lie.

A name is a short noun phrase: its last word can be a noun, its other words can modify one
("blurred vision", "type 2 diabetes"), with no verb, adverb or clause in it; parts of speech
come from the SPECIALIST lexicon (through lemminflect). A list's items lie between commas and
"and"/"or" outside parentheses, a class before its members ("triptans such as sumatriptan");
its items share the head of the first ("sensitivity to light and sound") or of the last
("breast, lung and prostate cancer"). A name a vocabulary knows only the head of is made as
specific as the text gives it (:func:`specific`), and advice is named as the doing it asks
for (:func:`as_doing`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

from lemminflect import getAllLemmas, getInflection

from medkg.article import Span, sentences
from medkg.drugs import drug_names
from medkg.terminology import Concept, Mention, normalise

__all__ = [
    "GENERIC",
    "MAX_NAME_WORDS",
    "PARENTHESIS",
    "as_doing",
    "bare_list",
    "continues_name",
    "doing_of",
    "is_gerund",
    "is_name",
    "items",
    "last_name",
    "listed",
    "parts_of_speech",
    "shared_heads",
    "specific",
    "split_list",
    "without_parenthesis",
]

MAX_NAME_WORDS = 6

# words a list item may open with that are no part of the name
_LEADING = re.compile(
    r"^(?:(?:a|an|the|some|any|your|their|its|his|her|our|this|these|those|certain|many|"
    r"with|by|from|in|on|for|to|after|during|of|"
    r"other|several|various|most|all|more|less|much|very|also|often|usually|sometimes|"
    r"rarely|especially|particularly|mainly|mostly|commonly|typically|occasionally|"
    r"possibly|even|just|only|and|or|such\s+as|including|like|e\.g\.|for\s+example|"
    r"sudden|severe|mild|moderate|intense|constant|persistent|occasional|new|worsening|"
    r"unexplained|unusual|excessive|extreme|slight|significant|sharp|dull|typical|"
    r"strict|lifelong|life-long|temporary),?\s+)+",
    re.IGNORECASE,
)
# where a list item stops being a name: a clause, a verb, a comparison
_ITEM_END = re.compile(
    r"\s(?:that|which|who|whose|when|where|while|if|because|so|than|but|although|"
    r"can|could|may|might|will|would|should|must|is|are|was|were|be|been|has|have|had|do|"
    r"does|did|until|since|as (?:well|a|an|the|it|they)|during|after|before|over (?:a|the|\d)"
    r"|within)\b.*$",
    re.IGNORECASE | re.DOTALL,
)
_LIST_CUE = re.compile(
    r"\b(?:include|includes|including|such as|like|e\.g\.|for example|especially)\s*:?\s+",
    re.IGNORECASE,
)
_PREPOSITION = re.compile(r"\s*(?:in|on|at|from|with|by|for|to|after|during|of)\b", re.I)
_OPENING_CUE = re.compile(r"(?:such as|including|e\.g\.|for example|like)\s+", re.IGNORECASE)
_MEMBERS_CUE = re.compile(r",?\s+(?:such as|including|like|especially|e\.g\.)\s+", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"\s*(?:,\s*(?:(?:and|or|and/or)\b)?|;|\band\b|\bor\b|\band/or\b|/)\s*", re.IGNORECASE
)
PARENTHESIS = re.compile(r"\s*\(([^()]{1,60})\)")
_NUMBER = re.compile(r"\d")


# what follows a verb that gives advice: "eat smaller meals", "cut down on alcohol"
_ADVICE_OBJECT = frozenset(
    {"enough", "plenty", "more", "less", "fewer", "regular", "loose", "down", "up", "off"}
)


# verbs whose bare form opens advice whatever follows: "avoid trigger foods"
_ADVICE_VERBS = frozenset(
    {"avoid", "take", "drink", "eat", "wear", "stop", "limit", "lose", "quit"}
)


def _is_advice(phrase: str) -> bool:
    """Whether ``phrase`` is an instruction whose doing is a name ("Eat smaller meals")."""
    doing = as_doing(phrase)
    return doing is not None and is_name(doing)


def as_doing(phrase: str) -> str | None:
    """An instruction named as the doing it asks for ("eat smaller meals" → "eating smaller
    meals", "stop smoking" → "stopping smoking"), or None if ``phrase`` is no instruction
    (a noun phrase: "blood tests", "heat packs")."""
    words = phrase.split()
    if len(words) < 2:
        return None
    verb, following = words[0].lower(), words[1].lower()
    if "VERB" not in _kinds(verb) or verb.endswith(("ing", "ed")) or _verb_form(verb):
        return None
    if verb in _PARTICLES or verb in GENERIC or verb in _CLAUSE_WORDS:
        return None  # "down the back of the throat": a place; "is a medical emergency"
    advice = following in _DETERMINERS or following in _INNER or following in _ADVICE_OBJECT
    advice = advice or verb in _ADVICE_VERBS
    comparative = following.endswith("er") and "ADJ" in _kinds(following)
    if not (advice or comparative or is_gerund(following, _kinds(following))):
        return None
    doing = doing_of(verb)
    return " ".join((doing, *words[1:])) if doing != verb else None


def doing_of(verb: str) -> str:
    """A verb's -ing form ("control" → "controlling"), or the verb if it has none."""
    return (getInflection(verb, "VBG") or (verb,))[0]


# "sensitivity to light, sound and smells", "swelling of the face and hands"
_HEAD_PHRASE = re.compile(r"^(?P<head>.+?\s(?:of|to|in|on|around|behind|from)\s(?:the\s)?)\S")


def shared_heads(names: list[Span], known: Callable[[str], Concept | None]) -> list[Span]:
    """The items of a list with the head they share: "sensitivity to light, sound and smells"
    names sensitivity to sound and to smells; "thoughts of death or suicide", thoughts of
    suicide; "breast, lung and prostate cancer", breast cancer and lung cancer. An item that
    is a concept of its own ("loss of appetite, nausea and vomiting": nausea) ends the
    sharing."""
    if len(names) < 2:
        return names
    tail = _shared_tail(names, known)
    if tail is not None:
        return tail
    if (head := _HEAD_PHRASE.match(names[0].text)) is None:
        return names
    shared = [names[0]]
    for item in names[1:]:
        word = item.text.lower().removeprefix("the ")
        concept = known(item.text)
        alone = concept is not None and not concept.is_a("AnatomicalStructure")
        if alone or " " in word or "NOUN" not in _kinds(word) or word in GENERIC:
            return names
        shared.append(Span(head.group("head") + item.text, item.start, item.end))
    return shared


def _shared_tail(names: list[Span], known: Callable[[str], Concept | None]) -> list[Span] | None:
    """ "breast, lung and prostate cancer": body parts that share the last item's head, if
    every item but the last is one, and the last opens with one."""
    last = names[-1].text.split(" ", 1)
    parts = [*(n.text for n in names[:-1]), last[0]]
    if len(last) < 2 or not all(_body_part(part, known) for part in parts):
        return None
    return [Span(f"{n.text} {last[1]}", n.start, n.end) for n in names[:-1]] + names[-1:]


def _body_part(name: str, known: Callable[[str], Concept | None]) -> bool:
    concept = known(name)
    return concept is not None and concept.is_a("AnatomicalStructure")


def continues_name(word: str) -> bool:
    """Whether ``word``, after a name, makes it part of a longer one: a noun that is no
    verb's inflection and no word that joins or opens a clause."""
    return word not in _NO_MODIFIER and "NOUN" in _kinds(word) and not _verb_form(word)


def without_parenthesis(text: str) -> tuple[str, tuple[str, ...]]:
    """ "Diuretics (water pills)" → ("Diuretics", ("water pills",))."""
    synonyms = tuple(m.group(1).strip() for m in PARENTHESIS.finditer(text))
    bare = " ".join(PARENTHESIS.sub(" ", text).split())
    return bare, tuple(s for s in synonyms if s and not _NUMBER.search(s))


def bare_list(description: Span | None) -> list[Span]:
    """The items of a description that is a list and nothing more ("Red meat, organ meats
    and some seafood"), else nothing."""
    if description is None:
        return []
    first = sentences(description)[0]
    cue = _OPENING_CUE.match(first.text)  # "Such as brain tumors, stroke and …"
    if cue:
        first = Span(first.text[cue.end() :], first.start + cue.end(), first.end)
    if _ITEM_END.search(" " + first.text) or _PREPOSITION.match(first.text):
        return []  # a sentence about the term ("In men, from damage to nerves"), not a list
    listed = list(items(first, whole=True, split=True))
    return listed if len(listed) >= 2 else []


def listed(sentence: Span) -> list[Span]:
    """The items of the list a sentence gives after a cue ("include", "such as", ":")."""
    cue = _LIST_CUE.search(sentence.text)
    if cue is None:
        return []
    rest = Span(sentence.text[cue.end() :], sentence.start + cue.end(), sentence.end)
    listed = list(items(rest, whole=True, split=True))
    opened = cue.group().strip().lower() in ("such as", "including")
    return listed if len(listed) >= 2 or opened else []


# a place no name holds: "weakness in the affected area" is weakness
_VAGUE_PLACE = re.compile(
    r"\s+(?:in|on|at|around|of)\s+(?:the|that|this|your|their)\s+(?:\w+\s+)?"
    r"(?:area|part|region|side|spot|place)$",
    re.IGNORECASE,
)


def items(span: Span, whole: bool = False, split: bool = True) -> Iterator[Span]:
    """The names in ``span``: the pieces between commas and "and"/"or" (outside
    parentheses), a class and its members in each ("organ meats such as liver"), each
    trimmed of what opens it ("some", "severe") and of what follows the name (a clause, a
    verb: "… that lasts more than a day"). With ``whole``, the list ends at the first piece
    a clause ends."""
    text = span.text.rstrip(". ") if whole else span.text
    for start, end in split_list(text) if split else [(0, len(text))]:
        piece = text[start:end]
        clause = _ITEM_END.search(piece)
        if clause is not None:
            piece = piece[: clause.start()]
        ends = clause is not None  # the list ends with this piece
        found_name = False
        for member_start, member_end in _members(piece):
            item = piece[member_start:member_end]
            lead = _LEADING.match(item.lstrip())
            member_start += len(item) - len(item.lstrip())
            item = item.lstrip()
            skip = lead.end() if lead else 0
            name = _VAGUE_PLACE.sub("", item[skip:].strip(" .,;:"))
            drug = _drug_and_form(name)
            if drug != name:  # a verb after a drug starts a clause: the list ends there
                name, ends = drug, True
            if is_name(name) or _is_advice(name):
                found_name = True
                offset = span.start + start + member_start + skip
                yield Span(name, offset, offset + len(name))
        if whole and (ends or (not found_name and len(piece.split()) > 2)):
            return  # the list ends where a clause, or words that are no name, start


# the forms a drug comes in, the only words that go on with its name ("permethrin cream")
_DOSAGE_FORMS = frozenset(
    {
        *("tablet", "tablets", "pill", "pills", "capsule", "capsules", "cream", "creams"),
        *("ointment", "ointments", "gel", "gels", "drops", "spray", "sprays", "inhaler"),
        *("inhalers", "injection", "injections", "patch", "patches", "syrup", "solution"),
        *("lotion", "lotions", "shampoo", "suppositories", "infusion", "liquid", "granules"),
    }
)


def _drug_and_form(name: str) -> str:
    """A drug's name and the form it comes in, without the verb or purpose that follows in
    a sentence: "naproxen work best", "permethrin cream for scabies", "ibuprofen ease fever"
    name naproxen, permethrin cream, ibuprofen."""
    words = name.split()
    if len(words) < 2 or drug_names().lookup(name) is not None:
        return name
    drug = next(
        (
            n
            for n in range(min(3, len(words) - 1), 0, -1)
            if drug_names().lookup(" ".join(words[:n]))
        ),
        0,
    )
    if not drug:
        return name
    end = drug
    while end < len(words) and words[end].lower() in _DOSAGE_FORMS:
        end += 1
    if end == len(words):
        return name
    after = words[end].lower()
    # a verb with what it says after it ("work best", "ease pain"), or a purpose ("for …");
    # a noun that ends the name goes on with it ("vitamin B12 deficiency", "hormone test")
    plural = after.endswith("s") and "NOUN" in _kinds(after)  # "vitamin B12 levels to …"
    verb = "VERB" in _kinds(after) and not plural and end + 1 < len(words)
    return " ".join(words[:end]) if verb or after == "for" else name


# words a name holds between its words ("base of the big toe", "drinks sweetened with sugar")
_INNER = frozenset({"of", "in", "on", "to", "with", "from", "the", "for", "at"})
# words that open a phrase no name opens: "down the back of the throat"
_PARTICLES = frozenset(
    {
        "down",
        "up",
        "out",
        "off",
        "away",
        "back",
        "over",
        "into",
        "onto",
        "through",
        "around",
        "among",
    }
)
_DETERMINERS = frozenset({"a", "an", "the", "your", "his", "her", "their", "its", "this", "that"})
# words that name no concept of their own: stand-ins for what a list names
GENERIC = frozenset(
    {
        *("such", "other", "others", "etc", "thing", "things", "problem", "problems"),
        *("condition", "conditions", "disease", "diseases", "illness", "illnesses"),
        *("medicine", "medicines", "medication", "medications", "drug", "drugs"),
        *("treatment", "treatments", "test", "tests", "symptom", "symptoms", "sign", "signs"),
        *("cause", "causes", "factor", "factors", "option", "options", "type", "types"),
        *("lifestyle change", "lifestyle changes", "change", "changes", "procedure"),
        *("procedures", "therapy", "therapies", "imaging", "imaging test", "imaging tests"),
        *("common", "rare", "people", "person", "someone", "adult", "adults", "child"),
        *("children", "men", "women", "patient", "patients", "area", "part", "body"),
        *("mother", "father", "parent", "parents", "sister", "brother", "sibling", "siblings"),
        *("daughter", "son", "relative", "relatives", "doctor", "doctors", "surgeon", "nurse"),
        *("one", "ones", "it", "they", "them", "this", "that", "these", "those", "both"),
        *("anything", "something", "everything", "nothing", "way", "ways", "kind", "kinds"),
        *("day", "days", "night", "nights", "evening", "morning", "week", "weeks", "month"),
        *("months", "year", "years", "time", "times", "hour", "hours", "minute", "minutes"),
        *("side effect", "side effects", "complication", "complications", "risk", "risks"),
        *("emergency", "emergencies", "case", "cases", "situation", "situations", "setting"),
        *("diagnosis", "diagnoses", "result", "results", "finding", "findings", "outcome"),
        # forms a medicine comes in, and episodes of a condition: no concept alone
        *("tablet", "tablets", "pill", "pills", "capsule", "capsules", "cream", "creams"),
        *("supplement", "supplements", "drop", "drops", "attack", "attacks", "episode"),
        *("episodes", "flare", "flares", "aches"),
    }
)


def last_name(text: str) -> Span | None:
    """The longest name that ends ``text`` ("… to drain excess amniotic fluid" → "excess
    amniotic fluid"), if any."""
    for word in re.finditer(r"\S+", text):
        if re.search(r"\bto\s+$", text[: word.start()], re.IGNORECASE) or word.group() == "to":
            continue  # "to drain …": a verb, not the start of a name
        candidate = text[word.start() :].strip(" .,;:")
        lead = _LEADING.match(candidate)
        name = candidate[lead.end() :] if lead else candidate
        bare, _ = without_parenthesis(name)
        if is_name(bare):
            start = len(text) - len(text[word.start() :].lstrip()) + (lead.end() if lead else 0)
            return Span(name, start, start + len(name))
    return None


# heads of a category a list's members fill, not of a concept: "brain conditions"
_CATEGORIES = frozenset(
    {
        *("condition", "conditions", "problem", "problems", "issue", "issues", "factor"),
        *("factors", "cause", "causes", "option", "options", "type", "types", "thing"),
        *("things", "change", "changes", "reason", "reasons", "symptoms", "signs"),
        *("complications", "effects", "medicines", "medications", "drugs", "treatments"),
    }
)


_TROUBLES = frozenset({"problem", "problems", "issue", "issues", "changes"})  # "nail changes"
# words alone that are a verb where a plural noun could stand: "smells" and "cramps" are names
_VERBS_ALONE = frozenset(
    {"leads", "means", "helps", "needs", "makes", "takes", "gives", "shows", "works", "lasts"}
)


def is_name(name: str) -> bool:
    """Whether ``name`` reads as the name of a concept: a short noun phrase whose last word
    can be a noun, whose other words can modify one (or a gerund opens it: "losing
    weight"), with no verb, adverb or clause in it.

    Parts of speech come from the SPECIALIST lexicon, which lists every part a word can
    have; a word it does not know (a drug, an abbreviation, a Latin name) is taken as a noun.
    """
    words = [word.lower().strip("'\u2019") for word in name.split()]
    if not words or len(words) > MAX_NAME_WORDS or not name[0].isalnum():
        return False
    if len(words) == 1 and (words[0] in _DETERMINERS or len(words[0]) < 2):
        return False  # "a", "the": what is left of a phrase, no name
    if not all(_WORD.fullmatch(word) for word in words) or set(words) & _CLAUSE_WORDS:
        return False  # markup left over ("metastasis:**"), or a verb ("can cause weight loss")
    if len(words) > 1 and words[1] in _INNER and _kinds(words[0]) == frozenset({"ADJ"}):
        return False  # "common in depression", "worse at night": said of something
    verb = "VERB" in _kinds(words[0]) and not is_gerund(words[0], _kinds(words[0]))
    if len(words) > 2 and words[1] in _DETERMINERS and verb:
        return False  # "help a cough", "block an airway": a verb and its object
    # "sleep problems", "heart rhythm problems" name a trouble; "brain conditions" a class
    category = words[-1] in _CATEGORIES and not (len(words) > 1 and words[-1] in _TROUBLES)
    if name.lower() in GENERIC or category or words[-1] in _INNER:
        return False
    # a particle opens a phrase ("down the back of the throat"), not a name ("Down syndrome")
    phrase = len(words) == 1 or words[1] in _INNER or words[1] in _DETERMINERS
    phrase = phrase or words[-1] in GENERIC or words[1] in GENERIC  # "over time (RA)"
    if (words[0] in _PARTICLES and phrase) or words[0] in _INNER:
        return False  # "Medicines", "Brain conditions": a class the list's members fill
    for index, word in enumerate(words):
        last = index == len(words) - 1
        if index and not last and word in _INNER:
            continue
        kinds = _kinds(word)
        if not kinds:  # unknown to the lexicon: a drug, a Latin name, an abbreviation
            continue
        # "staying hydrated": what a gerund opens may end in an adjective
        doing = index > 0 and is_gerund(words[0], _kinds(words[0]))
        complement = doing and ("ADJ" in kinds or _participle(word))
        if last and "NOUN" not in kinds and not is_gerund(word, kinds) and not complement:
            return False  # "sudden", "often", "worse": no noun heads the phrase
        following = "" if last else words[index + 1]
        if following and "VERB" in kinds and _participle(word) and following not in _AFTER_VERB:
            continue  # "blurred vision", "raised eye pressure": a participle modifies
        if not kinds & {"NOUN", "ADJ", "NUM"}:
            if index == 0 and is_gerund(word, kinds):
                continue  # "shaking", "losing weight", "cutting down on alcohol"
            if (
                last
                and index
                and is_gerund(word, kinds)
                and _kinds(words[index - 1]) & {"NOUN", "ADJ"}
            ):
                continue  # "kidney scarring", "difficulty sleeping", "watchful waiting"
            return False
        plural = len(words) == 1 and "NOUN" in kinds and word not in _VERBS_ALONE
        if "VERB" in kinds and _verb_form(word) and (not last or len(words) == 1) and not plural:
            return False  # "raises calcium levels", "leads", "comes": a verb, not a name
    return True


_WORD = re.compile(r"[\w'\u2019-]+|\(\S+\)?|\S+\)")
_CLAUSE_WORDS = frozenset(
    {"can", "cannot", "may", "might", "could", "would", "should", "will", "must", "is", "are"}
    | {"was", "won't", "can't", "don't", "doesn't", "isn't", "aren't"}
    | {"were", "be", "been", "does", "do", "did", "has", "have", "had", "which", "that"}
    # pronouns and the words that open a clause: "children it", "because the early stages"
    | {"it", "they", "them", "he", "she", "we", "you", "i", "because", "if", "when", "whether"}
    | {"so", "then", "thus", "therefore", "although", "though", "unless", "but", "than"}
    | {"there"}  # "is there a vaccine against …"
)


# what follows a verb, never a noun it modifies: "rubbed into the skin", "offered to"
_AFTER_VERB = _INNER | _PARTICLES | {"by", "as", "if", "when", "for"}


def _participle(word: str) -> bool:
    """A past participle that can stand before a noun as an adjective ("blurred", "raised"),
    not one that links a clause ("caused by", "called", "used to")."""
    return word.endswith("ed") and word not in _CLAUSE_PARTICIPLES


_CLAUSE_PARTICIPLES = frozenset(
    {
        *("caused", "called", "used", "based", "linked", "related", "associated", "followed"),
        *("needed", "required", "recommended", "considered", "named", "termed", "described"),
        *("involved", "compared", "combined", "placed", "passed", "inserted", "performed"),
    }
)


def is_gerund(word: str, kinds: frozenset[str]) -> bool:
    """ "shaking", "wheezing": a verb's -ing form, which names the doing of it (not one that
    links clauses: "leading to", "causing", "including")."""
    return word.endswith("ing") and "VERB" in kinds and word not in _LINKING


_LINKING = frozenset(
    {
        *("leading", "causing", "resulting", "making", "including", "affecting", "involving"),
        *("following", "using", "taking", "having", "being", "becoming", "getting"),
        *("allowing", "helping", "giving", "keeping", "bringing", "showing", "needing"),
    }
)


def _verb_form(word: str) -> bool:
    """An inflected form that a verb takes and a modifier rarely does: "-s", "-ed"."""
    return (word.endswith("s") and not word.endswith(("ss", "us", "is"))) or word.endswith("ed")


def parts_of_speech(word: str) -> frozenset[str]:
    """The parts of speech a word can have ("NOUN", "VERB", "ADJ", …); none if unknown."""
    return _kinds(word.lower())


@functools.lru_cache(maxsize=65536)
def _kinds(word: str) -> frozenset[str]:
    """The parts of speech the SPECIALIST lexicon (through lemminflect) gives a word."""
    if "-" in word:
        return _kinds(word.rsplit("-", 1)[-1])
    return frozenset(getAllLemmas(word))


def _members(piece: str) -> list[tuple[int, int]]:
    """A class and its members: "organ meats such as liver" → organ meats, liver."""
    cue = _MEMBERS_CUE.search(piece)
    if cue is None:
        return [(0, len(piece))]
    return [(0, cue.start()), (cue.end(), len(piece))]


def split_list(text: str) -> list[tuple[int, int]]:
    """Where the items of a list lie: between separators outside parentheses."""
    bounds: list[tuple[int, int]] = []
    depth, start = 0, 0
    position = 0
    while position < len(text):
        char = text[position]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            match = _SEPARATOR.match(text, position)
            if match and match.end() > position and _at_word_edge(text, position, match):
                bounds.append((start, position))
                start = position = match.end()
                continue
        position += 1
    bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def _at_word_edge(text: str, position: int, match: re.Match[str]) -> bool:
    """A separator word ("and") only between words, never inside one ("band")."""
    word = match.group().strip().lower()
    if word in ("and", "or", "and/or"):
        before = text[position - 1] if position else " "
        return before.isspace() or before == ","
    return True


# modifiers that grade or time a concept rather than name a narrower one ("severe pain")
_GRADING = frozenset(word.lower() for word in re.findall(r"[a-z]+", _LEADING.pattern)) | {
    *("high", "low", "fast", "slow", "small", "large", "big", "long", "short", "early", "late"),
    *("first", "second", "third", "further", "repeated", "recurrent", "chronic", "acute"),
    *("possible", "serious", "rapid", "main", "major", "minor", "general", "frequent"),
    *("whole", "entire", "nearby", "underlying", "little", "enough", "extra", "same"),
    *("total", "partial", "complete", "full", "standard", "usual", "normal", "high-dose"),
    *("low-dose", "certain", "specific", "different", "affected", "surrounding", "regular"),
    *("long-term", "long-standing", "long-lasting", "widespread", "steady", "simple"),
    *("routine", "urgent", "good", "ordinary", "painful", "permanent", "plain", "strict"),
    *("gradual", "complex", "healing", "useful", "single", "helpful", "reliable"),
    *("lifelong", "life-long", "daily", "ongoing", "temporary", "short-term", "occasional"),
}
# words that join or open clauses, which SPECIALIST also lists as nouns ("a while")
_FUNCTION = frozenset(
    {
        *("while", "once", "so", "whether", "whose", "although", "though", "but", "because"),
        *("about", "how", "than", "if", "when", "where", "what", "which", "who", "and"),
        *("or", "nor", "yet", "unless", "whereas", "since", "as", "at", "not", "no"),
        *("against", "by", "without", "within", "into", "through", "after", "before"),
        *("during", "between", "among", "around", "across", "via", "per", "like", "near"),
    }
)
# words after which the next word is a verb ("to treat", "may notice", "you feel")
_BEFORE_VERB = _CLAUSE_WORDS | {
    *("to", "can", "may", "might", "could", "will", "would", "should", "must", "you"),
    *("they", "we", "i", "it", "doctors", "doctor", "often", "usually", "also", "not"),
    *("people", "patients", "women", "men", "children", "adults", "someone", "who"),
}


def specific(mentions: list[Mention], text: str, topic: Concept) -> list[Mention]:
    """Each mention made as specific as the text names it: a vocabulary that knows only the
    head of a name ("arthritis" in "psoriatic arthritis", "biopsy" in "skin biopsy") gives
    the whole name its own concept, of the head's types. Words that grade or time it
    ("severe pain") are not part of the name, and the article's own concept (``topic``)
    stays itself ("complex fractures" in an article on fractures)."""
    # another concept's name before it makes a list or a pair, unless it is a body part
    # that says where ("skin biopsy", "kidney infection")
    taken = [(m.start, m.end) for m in mentions if _narrows(m.concept)]
    result = []
    for mention in mentions:
        start = mention.start
        narrows = mention.concept != topic and _narrows(mention.concept)
        narrows = narrows and _names(mention)  # not "this cancer" read as the bullet's term
        words = list(re.finditer(r"\S+", text[:start])) if narrows else []
        for index in range(len(words) - 1, -1, -1):
            word = words[index]
            if text[word.end() : start].strip() or not _modifies(word.group()):
                break
            before = words[index - 1].group().lower() if index else ""
            if before in _BEFORE_VERB:
                break  # "to treat pneumonia", "you may notice bone pain": a verb
            if _verb_after_noun(word.group().lower(), before):
                break  # "fluids given through a drip correct dehydration": the clause's verb
            if any(s <= word.start() < e for s, e in taken):
                break
            start = word.start()
        if start == mention.start:
            result.append(mention)
            continue
        name = text[start : mention.end]
        label = name if name.isupper() else name.lower()
        concept = Concept(label, mention.concept.types)
        result.append(Mention(concept, start, mention.end, name))
    return result


# verbs SPECIALIST also lists as nouns, which open an instruction ("take levothyroxine")
_INSTRUCTIONS = frozenset({"take", "use", "avoid", "try", "keep", "get"})
_NO_MODIFIER = (
    _GRADING | _FUNCTION | _INSTRUCTIONS | GENERIC | _INNER | _PARTICLES | _CLAUSE_WORDS | _LINKING
)


def _names(mention: Mention) -> bool:
    """Whether the mention's text is a name of its concept (not a reference resolved to it)."""
    concept = mention.concept
    names = (concept.label, *concept.synonyms, *concept.abbreviations)
    return normalise(mention.text) in {normalise(name) for name in names}


def _verb_after_noun(word: str, before: str) -> bool:
    """A word that can be a verb or an adjective but not a noun, after a noun: the verb of
    the clause ("a drip correct dehydration"), not a modifier ("a dry cough")."""
    kinds = _kinds(word)
    return "VERB" in kinds and "NOUN" not in kinds and "NOUN" in _kinds(before)


def _narrows(concept: Concept) -> bool:
    """Whether a modifier before the concept's name names a narrower concept: of a disease,
    a symptom, a test or a treatment, yes; of a body part, mostly where it is ("lower spine")."""
    return not concept.is_a("AnatomicalStructure")


def headed(sentence: Span, head: Callable[[str], bool]) -> list[Span]:
    """The names in running prose whose last word is a ``head``, each reaching back over
    the words that say what kind it is ("you may need magnetic resonance
    cholangiopancreatography (MRCP)", "a neck X-ray"), with a parenthesis after it."""
    text = sentence.text
    words = list(re.finditer(r"[\w'-]+", text))
    found = []
    for index, word in enumerate(words):
        if not head(word.group()):
            continue
        start = word.start()
        for before in reversed(words[:index]):
            if text[before.end() : start].strip() or not _modifies(before.group()):
                break
            start = before.start()
        brackets = PARENTHESIS.match(text, word.end())
        end = brackets.end() if brackets else word.end()
        name = text[start:end]
        if is_name(without_parenthesis(name)[0]) and len(name.split()) > 1:
            found.append(Span(name, sentence.start + start, sentence.start + end))
    return found


def _modifies(word: str) -> bool:
    """Whether ``word`` can name what kind of thing the next word is: a noun or adjective
    that does not grade it, or a number ("type 2")."""
    lowered = word.lower()
    if lowered == "type":
        return True  # "type 2 diabetes"
    if not re.fullmatch(r"[\w'-]+", lowered):
        return False  # punctuation: the name starts after it
    if lowered in _NO_MODIFIER:
        return False
    if lowered.isdigit():
        return True
    kinds = _kinds(lowered)
    if not kinds:  # unknown to the lexicon: an abbreviation, an eponym ("HPV infection")
        return lowered.isalpha()
    if "ADV" in kinds and "NOUN" not in kinds:
        return False
    if lowered.endswith("ing") and "VERB" in kinds and "ADJ" not in kinds:
        return False  # "for finding bone metastasis": a verb's -ing form, not a kind
    return bool(kinds & {"NOUN", "ADJ"}) and not _verb_form(lowered)
