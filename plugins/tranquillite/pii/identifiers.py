"""Formatted personal data: e-mail, phone, NIR, IBAN/RIB, card, plate, IP, handles, dates of birth.

Each finder takes candidates permissively (any grouping, separators, line breaks,
lower case, the obfuscations people use against scrapers) and then lets a check
raise or lower its confidence: phonenumbers for phones, the NIR key, IBAN mod 97,
the RIB key, Luhn. A failed check never throws a candidate out on its own where a
person could still dial, pay or be identified with it: it lowers the confidence,
and the gate's threshold keeps what is plausible.
"""

from __future__ import annotations

import ipaddress
import re

import phonenumbers
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.fr import nir as std_nir

from tranquillite.pii.finding import Finding
from tranquillite.pii.lexicon import MONTHS

SEP = r"[ \t\u00a0\u2009\u202f\u200b\u200c\u200d\u2060.\-/]"  # what people put between digit groups
# ... up to three of them, a line break included, where a number wraps. One character class
# repeated: a run of separators can be matched one way only, so no pattern built on it backtracks
# exponentially on hostile input ("1  1  1  1 ...")
GAP = r"(?:[ \t\u00a0\u2009\u202f\u200b\u200c\u200d\u2060.\-/\r\n]{1,3})"

# --- e-mail ---------------------------------------------------------------------------

_AT = (
    r"(?:\s*@\s*|\s*[(\[{<]\s*(?:at|a|@|arobase|arrobase|arob)\s*[)\]}>]\s*"
    r"|\s+(?:at|arobase|arrobase|chez)\s+|\s*\bAT\b\s*)"
)
_DOT = r"(?:\.|\s*[(\[{<]\s*(?:dot|point|pt|\.)\s*[)\]}>]\s*|\s+(?:dot|point)\s+)"
# "free . fr": a dot between spaces, only before a common top-level domain that ends the address
_LAST_DOT = rf"(?:{_DOT}|\s+\.\s+(?=(?:fr|com|net|org|eu|be|ch|de|es|it|uk|io)\b(?![@\w]|\.\w)))"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = re.compile(
    rf"(?<![\w.+\-])[\w][\w.+\-]*{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_LAST_DOT}(?P<tld>[A-Za-z]{{2,12}})\b",
    re.IGNORECASE,
)
# where "at", "chez" or "point" stand for @ and ".", the top-level domain has to be a real one
TLDS = frozenset(
    "fr com net org eu info biz io me be ch lu ca de es it pt uk co ma dz tn sn re gp mq gf yt nc pf pm "
    "gouv edu gov us ru pl nl tv app email online mail".split()
)


def emails(text: str) -> list[Finding]:
    out = []
    for m in EMAIL.finditer(text):
        value = m.group()
        if "@" not in value and m.group("tld").lower() not in TLDS:
            continue
        out.append(Finding(m.start(), m.end(), "email", 0.99 if "@" in value else 0.9))
    return out


# --- phone ----------------------------------------------------------------------------

# a French national number: 0 then nine digits, however grouped (and wrapped)
# not followed by more digits, unless they start another number ("06 12 34 56 78 06 98 ...")
PHONE_NATIONAL = re.compile(rf"(?<![\w+])[0O]{GAP}?[1-9](?:{GAP}?\d){{8}}(?!\d)(?!{SEP}(?!0[1-9])\d)")
# international: +CC or 00CC, an optional (0), then 6 to 13 digits
PHONE_INTERNATIONAL = re.compile(
    rf"(?<![\w+])(?:\+|\b00){GAP}?[1-9]\d{{0,2}}(?:{GAP}?\(0\))?(?:{GAP}?\d){{6,13}}(?!\d)(?!{SEP}\d)"
)
# the same, with letters typed for digits ("O6 I2 34 56 78")
PHONE_LOOKALIKE = re.compile(rf"(?<![\w+])[0Oo]{GAP}?[1-9Il](?:{GAP}?[\dOoIl]){{8}}(?![\w])")
LOOKALIKE_DIGITS = str.maketrans("OoIl", "0011")
DATE_TIME = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
DIGITS = re.compile(r"\d")


def _digits(s: str) -> str:
    return "".join(DIGITS.findall(s.replace("O", "0")))


def phones(text: str) -> list[Finding]:
    """Anything a person could dial: allocated or not, overseas or abroad."""
    out: list[Finding] = []
    for m in PHONE_NATIONAL.finditer(text):
        digits = _digits(m.group())
        if DATE_TIME.match(m.group()):
            continue  # a date, then a time: "09/10/2024 15:21"
        if len(digits) == 10:
            out.append(Finding(m.start(), m.end(), "phone", 0.95 if _valid(digits, "FR") else 0.8))
    if any(c in text for c in "OoIl"):
        for m in PHONE_LOOKALIKE.finditer(text):
            value = m.group()
            if sum(c.isdigit() for c in value) >= 7 and not value.isdigit() and not DATE_TIME.match(value):
                digits = _digits(value.translate(LOOKALIKE_DIGITS))
                if len(digits) == 10:
                    out.append(Finding(m.start(), m.end(), "phone", 0.7))
    for m in PHONE_INTERNATIONAL.finditer(text):
        digits = _digits(m.group())
        if not 8 <= len(digits) <= 15:
            continue
        out.append(Finding(m.start(), m.end(), "phone", 0.95 if _valid("+" + digits.lstrip("0"), None) else 0.8))
    return out


def _valid(number: str, region: str | None) -> bool:
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(number, region))
    except phonenumbers.NumberParseException:
        return False


# --- NIR (numéro de sécurité sociale) -----------------------------------------------------

NIR = re.compile(
    # department and commune: 2 + 3 digits (2A, 2B for Corsica), or 3 + 2 overseas ("974 11")
    rf"(?<![\w])[1-478]{GAP}?\d{{2}}{GAP}?(?:0[1-9]|1[0-2]|[2-9]\d){GAP}?"
    rf"(?:(?:\d{{2}}|2[ABab]){GAP}?\d{{3}}|9[78]\d{GAP}?\d{{2}}){GAP}?\d{{3}}"
    rf"(?:{GAP}?\d{{2}})?(?![\w])"
)


def nirs(text: str) -> list[Finding]:
    out = []
    for m in NIR.finditer(text):
        compact = re.sub(r"[^0-9ABab]", "", m.group()).upper()
        if len(compact) == 15:
            out.append(Finding(m.start(), m.end(), "nir", 0.99 if std_nir.is_valid(compact) else 0.8))
        elif len(compact) == 13:
            # without its key, a NIR is told from a reference number by its grouping
            nir_grouped = re.fullmatch(r"\w{13}|\w\W\d\d\W\w\w\W\w\w\W\d{3}\W\d{3}", m.group())
            out.append(Finding(m.start(), m.end(), "nir", 0.75 if nir_grouped else 0.4))
    return out


# --- IBAN and RIB -------------------------------------------------------------------------

IBAN = re.compile(
    rf"(?<![A-Za-z0-9])[A-Z]{{2}}\d{{2}}(?:{GAP}?[A-Z0-9]{{4}}){{2,7}}(?:{GAP}?[A-Z0-9]{{1,3}})?(?![A-Za-z0-9])"
    rf"|(?<![A-Za-z0-9])[A-Z]{{2}}\d{{2}}[A-Z0-9]{{10,30}}(?![A-Za-z0-9])",
    re.IGNORECASE,
)
IBAN_COUNTRIES = frozenset("FR MC DE ES IT BE LU CH GB PT NL AT IE MA TN DZ SN CI CM GR PL RO".split())
RIB = re.compile(rf"(?<![\w])\d{{5}}{GAP}?\d{{5}}{GAP}?[0-9A-Z]{{11}}{GAP}?\d{{2}}(?![\w])")
_RIB_LETTERS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789")


def rib_key_ok(bank: str, branch: str, account: str, key: str) -> bool:
    account = account.upper().translate(_RIB_LETTERS)
    return (89 * int(bank) + 15 * int(branch) + 3 * int(account) + int(key)) % 97 == 0


def ibans(text: str) -> list[Finding]:
    out = []
    for m in IBAN.finditer(text):
        value = re.sub(r"[^A-Za-z0-9]", "", m.group()).upper()
        if not any(c.isdigit() for c in value[4:]):
            continue
        if std_iban.is_valid(value):
            out.append(Finding(m.start(), m.end(), "iban", 0.99))
        elif value[:2] in IBAN_COUNTRIES and len(value) >= 14 and sum(c.isdigit() for c in value) >= 10:
            out.append(Finding(m.start(), m.end(), "iban", 0.7))
    for m in RIB.finditer(text):
        compact = re.sub(r"[^0-9A-Z]", "", m.group())
        if len(compact) != 23:
            continue
        ok = rib_key_ok(compact[:5], compact[5:10], compact[10:21], compact[21:])
        out.append(Finding(m.start(), m.end(), "iban", 0.99 if ok else 0.7))
    return out


# --- payment card -------------------------------------------------------------------------

CARD = re.compile(rf"(?<![\w+])[1-9](?:{GAP}?\d){{12,18}}(?![\w])")  # no card number starts with 0
CARD_CONTEXT = re.compile(r"(?i)\b(carte|cb|visa|mastercard|master card|amex|american express|paiement|bancaire)\b")


def cards(text: str) -> list[Finding]:
    out = []
    for m in CARD.finditer(text):
        digits = _digits(m.group())
        if not 13 <= len(digits) <= 19 or len(digits) == 14 or len(set(digits)) <= 2:
            continue  # 14 digits: a SIRET (Luhn too), no card's length
        grouped = re.fullmatch(r"\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,4})?|\d{4}[ -]\d{6}[ -]\d{5}|\d{13,19}", m.group())
        if luhn.is_valid(digits) and (grouped or _near(CARD_CONTEXT, text, m)):
            out.append(Finding(m.start(), m.end(), "card", 0.9))
        elif len(digits) == 16 and (re.fullmatch(r"\d{4}(?:[ -]\d{4}){3}", m.group()) or _near(CARD_CONTEXT, text, m)):
            out.append(Finding(m.start(), m.end(), "card", 0.6))
    return out


def _near(pattern: re.Pattern, text: str, m: re.Match, before: int = 60) -> bool:
    return pattern.search(text, max(0, m.start() - before), m.start()) is not None


# --- licence plates ---------------------------------------------------------------------

PLATE_SIV = re.compile(r"(?<![\w])[A-HJ-NP-TV-Z]{2}(?P<s1>[\s-]?)\d{3}(?P<s2>[\s-]?)[A-HJ-NP-TV-Z]{2}(?![\w])", re.I)
PLATE_FNI = re.compile(r"(?<![\w])\d{1,4}[\s-]?(?!H\d)[A-Z]{1,3}[\s-]?(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])(?![\w])")
PLATE_CONTEXT = re.compile(
    r"(?i)\b(immat\w*|plaques?|v[ée]hicules?|voitures?|scooters?|motos?|camions?|utilitaires?|fourgons?|"
    r"camionnettes?|véh\.?|veh\.?|vl|pl|auto|berline|citadine|twingo|clio|golf|peugeot|renault|citro[eë]n|"
    r"fiat|bmw|audi|mercedes|volkswagen|vw|toyota|dacia|car|van|truck|plate)\b"
)


# a foreign plate (D "M-KS 4471", B "1-GKT-452", NL "12-GZK-7", PL "WGM 4471E"): groups of
# letters and digits, taken only right after a word that says a plate comes
PLATE_FOREIGN = re.compile(r"(?<![\w-])(?:[A-Z]{1,3}|\d{1,3})(?:[\s-](?:[A-Z]{1,4}|\d{1,4}[A-Z]?)){1,3}(?![\w-])")
ROAD = re.compile(r"(?:RD|RN|CD|VC|RM|[ADNME])\d+$")
PLATE_CUE = re.compile(
    r"(?i)\b(?:immat\w*|plaques?|plates?|kennzeichen|tablica|kenteken|(?:vl|pl|véhicule|voiture|camion|car|coach|"
    r"tracteur|remorque|van|truck|moto)\s+(?:[\wàâéèêëîïôùûüç()]+\s+){0,2})\s*[:=]?\s*$"
)


def plates(text: str) -> list[Finding]:
    out = []
    for m in PLATE_FOREIGN.finditer(text):
        alnum = re.sub(r"[\s-]", "", m.group())
        if ROAD.match(alnum):
            continue  # "RD 559", "A 7": a road
        mixed = 5 <= len(alnum) <= 9 and re.search(r"\d", alnum) and re.search(r"[A-Z]", alnum)
        if mixed and PLATE_CUE.search(text[max(0, m.start() - 40) : m.start()]):
            out.append(Finding(m.start(), m.end(), "plate", 0.7))
    for m in PLATE_SIV.finditer(text):
        value = m.group()
        tight = m.group("s1") in ("-", "") and m.group("s2") in ("-", "")
        # "au 123 bd" is French prose, "AB-123-CD", "ab123cd" and "AB 123 CD" are plates
        if value.isupper() or tight or _near(PLATE_CONTEXT, text, m, 80):
            out.append(Finding(m.start(), m.end(), "plate", 0.9))
    for m in PLATE_FNI.finditer(text):
        if _near(PLATE_CONTEXT, text, m, 80) and not m.group().isdigit():
            out.append(Finding(m.start(), m.end(), "plate", 0.8))
    return out


# --- IP addresses -------------------------------------------------------------------------

IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.(?:[ \t]*\n[ \t]*)?){3}\d{1,3}(?![\w]|\.\d)")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
# "firmware 10.2.0.14 → 10.2.1.3", "art. 2.6.3.1": a version or an article's number, no address
VERSION_CONTEXT = re.compile(
    r"(?i)(?:(?:\bv|version|firmware|build|release|logiciel|appli\w*|maj|mise à jour|update|\bart|article|"
    r"section|chapitre|paragraphe|§)\W{0,3}|(?:\d+\.){2,}\d+\s*(?:→|->|=>|vers|to)\s*)$"
)


def ips(text: str) -> list[Finding]:
    out = []
    for m in IPV4.finditer(text):
        try:
            ipaddress.IPv4Address(re.sub(r"\s", "", m.group()))
        except ValueError:
            continue
        if VERSION_CONTEXT.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        out.append(Finding(m.start(), m.end(), "ip_address", 0.9))
    if "::" in text or text.count(":") >= 3:
        for m in IPV6.finditer(text):
            if m.group().count(":") < 2:
                continue
            try:
                ipaddress.IPv6Address(m.group())
            except ValueError:
                continue
            if re.fullmatch(r"[\d:]+", m.group()) and m.group().count(":") < 4:
                continue  # "12:30:45" is a time
            out.append(Finding(m.start(), m.end(), "ip_address", 0.9))
    return out


# --- social handles and profile URLs ---------------------------------------------------------

SOCIAL_URL = re.compile(
    r"(?i)\b(?:https?://)?(?:www\.|m\.|fr\.)?(?:facebook\.com|fb\.com|fb\.me|twitter\.com|x\.com|instagram\.com|"
    r"instagr\.am|tiktok\.com|linkedin\.com/in|youtube\.com|youtu\.be|snapchat\.com/add|t\.me|threads\.net|"
    r"twitch\.tv|discord\.gg|bsky\.app/profile|mastodon\.\w+|vm\.tiktok\.com)/[^\s,;)\]]+"
)
# "page officielle @VilleDeMarseille_Info", "compte institutionnel @prefpolice13": a body's account
OFFICIAL = re.compile(r"(?i)\b(?:officiel(?:le)?|institutionnel(?:le)?|de\s+la\s+(?:ville|pr[ée]fecture|mairie))\W+$")
GAMER_TAG = re.compile(r"(?<![\w#])[A-Za-z][\w.]{1,31}#\d{4}(?!\w)")  # Discord's "name#1234"
HANDLE = re.compile(r"(?<![\w.@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.\-]{0,28}[A-Za-z0-9_])?(?![\w@])(?!\.[A-Za-z]{2,}\b)")
_NETWORK = (
    r"(?:snap(?:chat)?|insta(?:gram)?|tik\s?tok|twitter|x|facebook|fb|telegram|discord|twitch|threads|bluesky|"
    r"signal|whatsapp|mastodon|youtube|linkedin|twitch)"
)
HANDLE_CUE = re.compile(
    rf"(?i)\b(?:(?:pseudo|pseudonyme|handle|alias)(?:\s+{_NETWORK})?"
    rf"|(?:compte|profil|page|chaîne|chaine)\s+(?:perso(?:nnel)?\s+)?{_NETWORK}|{_NETWORK}"
    r"|compte(?:\s+li[ée])?(?=\s*:)|relay[ée]e?s?\s+par|partag[ée]e?\s+par|post[ée]e?\s+par)\b"
    r"(?:\s*[:=]\s*|\s+est\s+|\s+)(?P<handle>@?[A-Za-z0-9_][A-Za-z0-9_.\-]{2,30})"
)


NETWORK_HINTS = (
    "snap",
    "insta",
    "tik",
    "twit",
    "face",
    "fb",
    "telegram",
    "discord",
    "twitch",
    "threads",
    "bluesky",
    "signal",
    "whatsapp",
    "mastodon",
    "youtube",
    "linkedin",
    "pseudo",
    "handle",
    "alias",
    "x ",
    "page",
    "chaîne",
    "chaine",
)


def socials(text: str, common_word) -> list[Finding]:
    out = [Finding(m.start(), m.end(), "social_handle", 0.9) for m in SOCIAL_URL.finditer(text)] if "/" in text else []
    if "@" in text:
        out += [
            Finding(m.start(), m.end(), "social_handle", 0.85)
            for m in HANDLE.finditer(text)
            if not OFFICIAL.search(text, max(0, m.start() - 30), m.start())
        ]
    if "#" in text:
        out += [Finding(m.start(), m.end(), "social_handle", 0.8) for m in GAMER_TAG.finditer(text)]
    low = text.lower()
    if not any(h in low for h in NETWORK_HINTS):
        return out
    for m in HANDLE_CUE.finditer(text):
        handle = m.group("handle").rstrip(".")
        bare = handle.lstrip("@")
        if bare[:1].isupper() and not re.search(r"[\d_]", bare):
            continue  # "Snap Inc.", "Instagram Stories": a word, not a handle
        # a handle looks like one: digits, underscores, dots, or a word that is no French word
        looks_like_one = handle.startswith("@") or re.search(r"[\d_.]", bare) or not common_word(bare)
        if looks_like_one and not bare.isdigit():
            start = m.start("handle")
            out.append(Finding(start, start + len(handle), "social_handle", 0.8))
    return out


# --- dates of birth -------------------------------------------------------------------------

_MONTH = rf"(?:{MONTHS}|janv|févr|fevr|avr|juil|sept|oct|nov|déc|dec|jan|feb|apr|jun|jul|aug|sep|"
_MONTH += r"january|february|march|april|may|june|july|august|september|october|november|december)\.?"
DATE = (
    rf"(?:\d{{1,2}}\s?[/.\-]\s?\d{{1,2}}\s?[/.\-]\s?(?:19|20)?\d{{2}}|(?:19|20)\d{{2}}[/.\-]\d{{1,2}}[/.\-]\d{{1,2}}"
    rf"|\d{{1,2}}(?:er|st|nd|rd|th)?\s+{_MONTH}\s+(?:19|20)?\d{{2}}|{_MONTH}\s+\d{{1,2}},?\s+(?:19|20)\d{{2}})"
)
DOB = re.compile(
    rf"(?i)(?P<cue>\bn[ée]e?s?\b(?:\s*\(e\))?(?:\s+(?:à|a)\s+[^,;.\d]{{1,40}}?)?\s*(?:le\s*:?|en|:)?\s*"
    rf"|\bborn\s+(?:on\s+)?|\b(?:date\s+de\s+naissance|date\s+naiss\.?|date\s+of\s+birth|birth\s*date|"
    rf"ddn|dn|d\.n\.|d\.?\s?o\.?\s?b\.?|naissance|"
    rf"née?\s+en)\s*:?\s*"
    rf"|\(\s*°\s*|(?<![nN])°\s*)(?P<date>{DATE})"
)
# "mouvement né le 17/11/2018": what was born is not a person
NOT_BORN = re.compile(
    r"(?i)\b(mouvement|collectif|association|asso|projet|festival|événement|evenement|groupe|syndicat|idée|idee|"
    r"site|journal|parti|marché|marche|club|réseau|reseau|compte|page|appel|initiative|manifestation|cortège|"
    r"campagne|fête|fete|tradition|concept|label|quartier|édition|edition|structure|comité|comite)\b[^.;:\n]{0,45}$"
)


DOB_HINTS = ("né", "ne ", "nee", "ne(", "born", "birth", "naiss", "dn", "d.n", "°", "dob", "d.o.b")


def dobs(text: str) -> list[Finding]:
    out: list[Finding] = []
    low = text.lower()
    if not any(h in low for h in DOB_HINTS):
        return out
    for m in DOB.finditer(text):
        if NOT_BORN.search(text[max(0, m.start() - 70) : m.start()]):
            continue
        out.append(Finding(m.start("date"), m.end("date"), "date_of_birth", 0.9))
    return out


BARE_DATE = re.compile(rf"(?P<date>{DATE})", re.IGNORECASE)
BESIDE = re.compile(r"(?i)(?:\s*[(,;|\-–]\s*|\s/\s|\t+\s*|\s+)(?:°\s*|du\s+|n[ée]e?\s+le\s+)?")


def dates_beside(text: str, persons: list[Finding]) -> list[Finding]:
    """A date written right after a person's name, "DUPONT Jean (03/04/1987)" or
    "DUPONT Jean, 03/04/1987", is that person's date of birth."""
    out = []
    for p in persons:
        m = BESIDE.match(text, p.end)
        if not m:
            continue
        d = BARE_DATE.match(text, m.end())
        if d:
            year = re.findall(r"\d{2,4}", d.group())
            y = int(max(year, key=len))
            if y < 100 or 1900 <= y <= 2020:
                out.append(Finding(d.start(), d.end(), "date_of_birth", 0.7))
    return out
