"""Private home addresses: an address said to be where someone lives.

The address where a demonstration gathers is public and stays; the one where a
person lives is personal data. What tells them apart is the wording around it
(domicilié, demeurant, habitant, devant le domicile de, adresse personnelle) or
where it stands (in an e-mail's signature). The address itself is taken
permissively: a residence, a building, a number with bis/ter, a street of any
kind, a postcode and a town.
"""

from __future__ import annotations

import re

from tranquillite.pii.finding import Finding

STREET = (
    r"(?:rue|r\.|avenue|av\.?|ave|bd\.?|boulevard|blvd|bvd|bld|chemin|ch\.|chem\.?|traverse|trav\.?|impasse|imp\.?|"
    r"allée|allee|allées|all\.|place|pl\.|cours|quai|montée|montee|route|rte|lotissement|lot\.|résidence|residence|"
    r"rés\.?|res\.|cité|cite|square|sq\.|passage|parc|domaine|hameau|villa|corniche|esplanade|promenade|"
    r"rond-point|vallon|draille|street|st\.?|road|rd\.?)"
)
NUMBER = r"\d{1,4}(?:\s?(?:bis|ter|quater|b|t|[A-D]))?\b,?"
_RESIDENCE = r"(?:résidence|residence|rés\.?|res\.|cité|cite|lotissement|lot\.|domaine|villa|immeuble|imm\.?|hameau)"
_UNIT = r"(?:bât(?:iment)?\.?|bat(?:iment)?\.?|batiment|escalier|esc\.?|appartement|appt?\.?|apt\.?|étage|etage|villa)"
BUILDING = rf"(?:{_RESIDENCE}\s+[^,;\n]{{2,40}},?\s*)?(?:{_UNIT}\s*[\w-]{{1,6}},?\s*){{0,3}}"
POSTCODE_TOWN = r"(?:,?\s*(?:\d{5}|13\d{3})(?:\s+[A-ZÀ-Ý][\w'-]+(?:[\s-][\w'-]+){0,2})?)"
ADDRESS = (
    rf"{BUILDING}(?:{NUMBER}\s*{STREET}\s+[^,;.\n()]{{2,60}}|{STREET}\s+[^,;.\n()\d]{{2,50}}(?=,?\s*\d{{5}}))"
    rf"{POSTCODE_TOWN}?"
    # a residence and its building, with no street: "Résidence Les Oliviers, bât. C, 13014"
    rf"|(?:{_RESIDENCE}\s+)?[A-ZÀ-Ýa-zà-ÿ][\w'’ -]{{1,40}}?,?\s*(?:{_UNIT}\s*[\w-]{{1,5}},?\s*){{1,3}}{POSTCODE_TOWN}"
    # an English one: "1423 Maple Ave, Evanston"
    r"|\d{1,5}\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?\s+(?:Ave|Avenue|St|Street|Road|Rd|Blvd|Boulevard|Lane|Ln|Drive|Dr|Way|Place|Square)\b"
    r"[^.;\n]{0,40}"
)
CUE = re.compile(
    r"(?i)\b(?:domicili[ée]e?s?(?:\s*\(e\))?|domicile(?:\s+(?:situé|sis|familial|conjugal|de\s+[^,:;\n]{1,60}?))?|"
    r"demeurant|dmt|dom\.|domic\.|(?:adresse|ardesse|adrese|addresse)\s+(?:d[ée]clar[ée]e|du\s+\w+(?:\s+\w+)?|"
    r"de\s+l[a']\s*\w+|pe\w{2,4}|actuelle|\w+\s*:)|"
    r"adresse\s*\t|adresse\s*-|ancien(?:ne)?\s+adresse|nouvelle\s+adresse|relog[ée]e?\s+(?:chez\s+[^,.;\n]{1,30}?\s+)?au|"
    r"(?:voisine?|riveraine?|propri[ée]taire|locataire)s?\s+(?:au|du)|"
    r"demeure|résidant|residant|réside|reside|habitant|habite|habitent|vivant|vit|logée?|logeant|hébergée?|"
    r"hebergee?|sis|adresse\s+(?:perso(?:nnelle)?|privée|privee|postale|du\s+domicile|de\s+domicile)|"
    r"adresse\s*:|adr\.?\s*:|lives\s+at|living\s+at|home\s+address|address\s*:|chez\s+(?:lui|elle|eux|ses\s+parents))"
    r"\s*(?:[:,-]|au|à|a|aux|en|dans|chez|at)?\s*"
)
ADDRESS_AT = re.compile(ADDRESS, re.IGNORECASE)
# a full stop that ends a sentence, not the one of "M." or "bât."
SENTENCE_END = re.compile(r"(?<![\s(][A-Za-z])(?<![\s(][A-Za-z]{2})(?<![\s(][A-Za-z]{3})[.!?]\s+[A-ZÀ-Ý]")
SIGNATURE = re.compile(r"(?im)^(?:--\s*$|cordialement|bien (?:à|a) vous|salutations|best regards|regards|envoyé de)")


ADDRESS_HERE = re.compile(ADDRESS, re.IGNORECASE)
# the end of a clause: a ";", a line break, or a full stop that no abbreviation ("r.", "bât.") explains
CLAUSE_END = re.compile(r"[;\n]|(?<![\s(][A-Za-zâ])(?<![\s(][A-Za-zâ]{2})(?<![\s(][A-Za-zâ]{3})\.\s")
AFTER_PERSON = re.compile(r"\s*(?:[,–—:\-]|\(|\s)\s*(?:(?:au|du|chez\s+\w+\s+au|demeurant|dmt)\s+)?")


def after_persons(text: str, persons: list) -> list[Finding]:
    """An address written right after a person's name ("DA COSTA Manuel – 63 rue Saint-Pierre",
    "Mme Rahmani et ses 3 enfants – 28 bd de Plombières") is where that person lives."""
    out = []
    for p in persons:
        gap = AFTER_PERSON.match(text, p.end)
        pos = gap.end() if gap else p.end
        # a few words may come between: "et ses 3 enfants", "(la requérante)", "2e étage"
        window = text[pos : pos + 40]
        stop = CLAUSE_END.search(window)
        a = ADDRESS_HERE.search(text, pos, pos + (stop.start() if stop else 40) + 1)
        if a and a.start() - pos <= 40 and re.search(r"\d", a.group()):
            out.append(Finding(a.start(), a.end(), "home_address", 0.75))
    return out


CUE_HINTS = (
    "domic",
    "demeur",
    "dmt",
    "dom.",
    "adresse",
    "adr",
    "résid",
    "resid",
    "habit",
    "vivant",
    "vit ",
    "log",
    "héberg",
    "heberg",
    "sis ",
    "lives",
    "living",
    "home",
    "address",
    "chez",
    "voisin",
    "rivera",
    "propri",
    "locataire",
    "relog",
)


# what only a dwelling has: a staircase, a flat's number, a floor and a door, a villa's number
PRIVATE_UNIT = re.compile(
    r"(?i)(?<!\w)(?:escalier|esc\.|appt?\.?\s*\w{0,4}\d|appartement|apt\.?\s*\d|porte\s+(?:droite|gauche|\d+)|"
    r"villa\s+(?:\d+|les?\s|la\s|l['’])|\d{1,2}\s?(?:e|è|ème|eme|er)\s+(?:étage|etage|ét\.?|et\.))"
)
UNIT_HINTS = ("esc", "app", "apt", "porte", "villa", "tage", "ét.", "et.")


def home_addresses(text: str) -> list[Finding]:
    out: list[Finding] = []
    low = text.lower()
    if any(h in low for h in CUE_HINTS):
        out += _after_cues(text)
    if any(h in low for h in UNIT_HINTS) and PRIVATE_UNIT.search(text):
        out += _with_private_units(text)
    if "\n" in text or "--" in text or any(h in low for h in ("cordialement", "salutations", "regards", "à vous")):
        out += _in_signature(text)
    return out


def _with_private_units(text: str) -> list[Finding]:
    """A street address beside a staircase, a flat, a floor or a villa's number is where
    someone lives, whatever words come before it: public buildings are not written so."""
    out = []
    for a in ADDRESS_AT.finditer(text):
        if not re.search(r"\d", a.group()):
            continue
        before = text[max(0, a.start() - 60) : a.start()]
        after = text[a.end() : a.end() + 60]
        before = re.split(r"[;\n]|\.\s", before)[-1]
        after = re.split(r"[;\n]|\.\s", after)[0]
        if INSTITUTION.search(before) or INSTITUTION.search(after):
            continue  # "2e étage de la mairie": a public building's floor
        if PRIVATE_UNIT.search(a.group()) or PRIVATE_UNIT.search(before) or PRIVATE_UNIT.search(after):
            out.append(Finding(a.start(), a.end(), "home_address", 0.8))
    return out


def _after_cues(text: str) -> list[Finding]:
    out = []
    for m in CUE.finditer(text):
        a = ADDRESS_AT.search(text, m.end(), min(len(text), m.end() + 120))
        if a and not SENTENCE_END.search(text, m.end(), a.start()):
            out.append(Finding(a.start(), a.end(), "home_address", 0.9))
    return out


INSTITUTION = re.compile(
    r"(?i)\b(?:mairie|pr[ée]fecture|h[ôo]tel\s+de\s+(?:police|ville)|commissariat|service|direction|division|bureau|"
    r"accueil|secr[ée]tariat|cabinet|association|si[èe]ge|agence|d[ée]l[ée]gation|conseil|m[ée]tropole|r[ée]gion|"
    r"d[ée]partement|minist[èe]re|soci[ée]t[ée]|sas|sarl|entreprise|police|gendarmerie|consulat|ambassade)\b"
)


def _in_signature(text: str) -> list[Finding]:
    out = []
    sig = SIGNATURE.search(text)
    if sig:
        for a in ADDRESS_AT.finditer(text, sig.end()):
            if INSTITUTION.search(text, max(sig.end(), a.start() - 80), a.start()):
                continue  # a service's address in its signature is no one's home
            if re.search(r"\d", a.group()):
                out.append(Finding(a.start(), a.end(), "home_address", 0.75))
    return out
