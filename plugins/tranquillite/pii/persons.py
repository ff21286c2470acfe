"""People's names in French police and city prose.

A name is recognised by what surrounds it and by what it looks like, each rule
on its own: a civility ("Mme marin", "M. Jules NDIAYE"), a role word
("conducteur", "identité relevée", "au nom de", "le docteur"), the shapes police
write names in ("SURNAME Firstname", "Firstname SURNAME", "T. Boukhris"), and
names that a lexicon of tens of thousands (names-dataset, `names.py`) knows. What
a name in a place, a school or an organisation's name, a function or a public
figure commemorated is, is not a person. Texts in capitals or in lower case
only, where shape says nothing, lean on the lexicons.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from tranquillite.pii.finding import Finding
from tranquillite.pii.lexicon import (
    ACRONYMS,
    EPONYMS,
    FUNCTIONS,
    KNOWN_PROPER,
    ORG_WORDS,
    PLACE_WORDS,
    VEHICLE_WORDS,
)
from tranquillite.pii.names import names

TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")
ELISION = re.compile(r"^(?:[dlDLjJnNsScCmMtT]|qu|Qu|jusqu|lorsqu|puisqu)['’](?=[^\W\d_])")
CLAUSE_BREAK = re.compile(r"[:;!?()\[\]|\n\"«»]|\.\s|,\s")

CIVILITIES = frozenset(
    "m m. mr mr. mrs mrs. ms ms. mme mme. mmes mlle mlle. mlles madame monsieur messieurs mesdames mademoiselle "
    "maître maitre me me. dr dr. docteur docteure pr. professeur professeure sir miss mister lady".split()
)
PARTICLES = frozenset(
    "de du des d' d’ le la van von der den ben bin ibn el al da dos das di del della ould ait".split()
)
STOP = frozenset(
    """
    le la les l un une des du de d au aux à a en et ou où sur sous par pour avec sans chez dans vers entre contre
    ce cet cette ces son sa ses leur leurs notre nos votre vos mon ma mes ton ta tes qui que quoi dont
    il elle ils elles on nous vous je tu lui eux se y ne pas plus est sont été être a ont avait fait
    selon après avant depuis pendant lors dès puis ainsi aussi mais donc car or ni si
    the of and or to in on at for with from by an is are was be this that
    """.split()
)
# Words after which whoever follows is a person.
CUE = re.compile(
    r"(?i)\b(?:d[ée]clarante?s?|d[ée]clar[ée]e?\s+par|t[ée]moins?|plaignante?s?|victimes?|requ[ée]rante?s?|"
    r"mise?s?\s+en\s+cause|suspecte?s?|individus?|interpell(?:ation|ée?s?)(?:\s+de)?|identit[ée]\s+(?:relev[ée]e|contr[ôo]l[ée]e)"
    r"(?:\s+de)?|contr[ôo]le\s+de|signal[ée]e?\s+par|organisat(?:eur|rice)s?|co-?organisat(?:eur|rice)s?|"
    r"contacts?|responsables?|r[ée]f[ée]rente?s?|porte-?parole|(?:vice-?)?pr[ée]sidente?|secr[ée]taire|tr[ée]sori[eè]re?|"
    r"riverains?|riveraines?|voisine?s?|de\s+la\s+part\s+de|pour\s+le\s+compte\s+de|copie\s+à|repr[ée]sent[ée]e?\s+par|"
    r"accompagn[ée]e?s?\s+(?:de|par)|auditionn[ée]e?s?|entendue?s?|conducteur|conductrice|chauffeur|pilote|"
    r"propri[ée]taire|locataire|g[ée]rante?|exploitante?|au\s+nom\s+de|titulaire|b[ée]n[ée]ficiaire|signataire|"
    r"sign[ée]|nomm[ée]e?|d[ée]nomm[ée]e?|prénommée?|alias|dite?|surnomm[ée]e?|se\s+fait\s+appeler|"
    r"s['’ ]\s?app?ell?e(?:r|nt)?|demander|chez\s+les|[ée]pou(?:x|se)|fils|fille|"
    r"m[èe]re|p[èe]re|fr[èe]re|s(?:œ|oe)ur|oncle|tante|cousine?|agents?|gardien(?:ne)?\s+de\s+la\s+paix|brigadier(?:-chef)?|"
    r"capitaine|lieutenant|commandant|major|adjudant|gendarme|commissaire|inspect(?:eur|rice)|officier|"
    r"docteur|professeur|ma[îi]tre|avocate?|journaliste|photographe|reporter|accr[ée]ditation(?:\s+presse)?|"
    r"[ée]lue?|adjointe?|conseill[eè]re?|d[ée]put[ée]e?|s[ée]nat(?:eur|rice)|pr[ée]f[eè]te?|maire|"
    r"cordialement|bien\s+à\s+vous|salutations|sinc[eè]rement|regards|best|thanks|merci|"
    r"de\s*:|from\s*:|to\s*:|cc\s*:|à\s*:|exp[ée]diteur\s*:|envoy[ée]\s+par|[ée]crit\s+par|r[ée]dig[ée]\s+par|"
    r"nom\s*:|pr[ée]nom\s*:|nom\s+et\s+pr[ée]nom\s*:|identit[ée]\s*:|name\s*:|famille|mr\.?|mrs\.?|"
    r"identit[ée]\s+suppos[ée]e|serait|interpelle|interpellent|contr[ôo]lent?|hommage\s+à|marche\s+blanche\s+pour|"
    r"en\s+m[ée]moire\s+de|ministre|proviseure?|policier(?:\s+municipal)?|polici[èe]re(?:\s+municipale)?|"
    r"chef\s+de\s+(?:poste|salle|bord|groupe|service)|directeur|directrice|cdt|cne|ltn|lt|brig|bgdr|bgp|gpx|adj|"
    r"maj|cpt|capt|insp|cdo|ads|appel\s+re[çc]u\s+de|"
    r"(?:passage|consultation|interrogation)\s+(?:fpr|taj|fichiers?|foves|siv)(?:\s+(?:pour|sur|de))?|"
    r"(?:fpr|taj)\s+(?:pour|sur|de)|fiche\s+de\s+recherche(?:\s+(?:pour|sur|de))?|contacts?\s+[a-zé]+(?=\s*:)|"
    r"se\s+pr[ée]sente(?:\s+au\s+poste)?|vient\s+d[ée]clarer|"
    r"en\s+lien\s+avec|bless[ée]e?s?(?:\s+l[ée]g[eè]re?s?)?|individu\s+recherch[ée]|auteur|autrice|"
    r"mandataire|requ[ée]rante?|demandeu(?:r|se)|b[ée]n[ée]ficiaire|astreinte|joignable|contacter|appeler|rappeler)"
    r"(?=\W|$)\s*[:\-–]?\s*"
)


def _shape_of(t: str) -> str:
    if t[0].islower():
        return "lower"
    if len(t) == 1 and t.isupper():
        return "initial"
    letters = t.replace("-", "").replace("'", "").replace("’", "")
    if letters.isupper() and len(letters) >= 2:
        return "upper"
    if t[0].isupper():
        return "title"
    return "lower"


class Token:
    """One word of a text, with what the rules ask of it computed once."""

    __slots__ = ("start", "end", "text", "dot", "coded", "low", "shape")

    def __init__(self, start: int, end: int, text: str, dot: bool, coded: bool = False) -> None:
        self.start, self.end, self.text, self.dot = start, end, text, dot
        self.coded = coded  # part of a reference code: "DEM-2026-7024", "2025-MAN-0179"
        self.low = text.lower()
        self.shape = _shape_of(text)


def tokenize(text: str) -> list[Token]:
    out = []
    for m in TOKEN.finditer(text):
        word, start = m.group(), m.start()
        if "'" in word or "’" in word:
            e = ELISION.match(word)
            if e:
                word, start = word[e.end() :], start + e.end()
        dot = word.endswith(".")
        if dot:
            word = word.rstrip(".")
        if word:
            end = start + len(word)
            after, before = text[end : end + 2], text[max(0, start - 2) : start]
            coded = (
                (after[:1].isdigit() or before[-1:].isdigit())  # "FR76", "13A"
                or (len(after) == 2 and after[0] in "-/_" and after[1].isdigit())
                or (len(before) == 2 and before[1] in "-/_" and before[0].isdigit())
            )
            out.append(Token(start, end, word, dot, coded))
    return out


@lru_cache(maxsize=1)
def _zipf() -> dict[str, float]:
    """French word frequencies (wordfreq), looked up as written and without accents, since
    police notes often drop them ("securite", "vehicule")."""
    import wordfreq

    out: dict[str, float] = {}
    for w, f in wordfreq.get_frequency_dict("fr").items():
        if f < 1e-8:
            continue
        z = math.log10(f * 1e9)
        out[w] = max(z, out.get(w, 0.0))
        bare = _unaccented(w)
        if bare != w:
            out[bare] = max(z, out.get(bare, 0.0))
    return out


def zipf(word: str) -> float:
    return _zipf().get(word.lower(), 0.0)


def common_word(word: str, threshold: float = 3.3) -> bool:
    """A word French prose uses often (wordfreq's Zipf scale: 3.3 is about once in 500,000 words)."""
    return zipf(word) >= threshold


def first_rank(word: str) -> int | None:
    return names().first.get(word.lower())


def last_rank(word: str) -> int | None:
    return names().last.get(word.lower())


def _first_name(tok: Token, limit: int = 6000) -> bool:
    return _first(tok.low, limit)


@lru_cache(maxsize=65536)
def _first(low: str, limit: int) -> bool:
    return all((r := first_rank(p)) is not None and r <= limit for p in low.split("-") if p)


def _known_name(tok: Token, limit: int = 8000) -> bool:
    return _known(tok.low, limit)


@lru_cache(maxsize=65536)
def _known(low: str, limit: int) -> bool:
    r1, r2 = first_rank(low), last_rank(low)
    return (r1 is not None and r1 <= limit) or (r2 is not None and r2 <= limit)


def _top_in_france(tok: Token, limit: int) -> bool:
    n = names()
    return min(n.first_fr.get(tok.low, 10**9), n.last_fr.get(tok.low, 10**9)) <= limit


def _plain_word(tok: Token) -> bool:
    """A word that is no name: common in French and not among the most carried names."""
    return _plain(tok.low)


@lru_cache(maxsize=65536)
def _plain(low: str) -> bool:
    if low in STOP or low in CIVILITIES or low.capitalize() in FUNCTIONS:
        return True
    if "-" in low and not common_word(low):
        parts = [p for p in low.split("-") if p]
        return bool(parts) and all(_plain(p) for p in parts)
    if not common_word(low):
        return False
    n = names()
    r1, r2 = n.first_fr.get(low), n.last_fr.get(low)
    # a very common word is a word, unless it is also among the names most carried in France
    # ("Martin", "Pierre"); another country's name that is a French word ("Semi") is a word
    z = zipf(low)
    best = min(r for r in (r1, r2, 10**9) if r is not None)
    return best > (300 if z >= 4.5 else 3000)


def _excluded(tok: Token) -> bool:
    return tok.coded or _excluded_word(tok.low, tok.shape == "upper" and tok.text in ACRONYMS)


def _body_or_function(tok: Token) -> bool:
    return (
        tok.coded
        or (tok.shape == "upper" and tok.text in ACRONYMS)
        or tok.low in STOP
        or tok.low in CIVILITIES
        or any(p.capitalize() in FUNCTIONS for p in tok.low.split("-"))
    )


@lru_cache(maxsize=65536)
def _excluded_word(low: str, acronym: bool) -> bool:
    return (
        acronym
        or low in STOP
        or _place_or_org(low)
        or any(p.capitalize() in FUNCTIONS for p in low.split("-"))
        or low in KNOWN_PROPER
        or low in CIVILITIES
    )


def _nameish(tok: Token, register: str) -> bool:
    """Could this token be part of a name, by its shape and the register of the text?"""
    if _excluded(tok):
        return False
    shape = tok.shape
    if register == "mixed":
        if shape == "initial":
            return tok.dot
        if shape == "upper":
            return not _acronym(tok)
        return shape == "title"
    return not _plain_word(tok) or _known_name(tok, 3000)


def _acronym(tok: Token) -> bool:
    t = tok.text
    if t in ACRONYMS or not re.search(r"[AEIOUYÀÂÉÈÊËÎÏÔÙÛÜ]", t):
        return True
    n = names()
    if len(t) <= 4 and t.isascii() and n.last_fr.get(tok.low, 10**9) > 5000 and n.first_fr.get(tok.low, 10**9) > 2000:
        return True  # "UNEF", "CIQ", "RAA": a short word in capitals is a body unless it is a name
    # a word in capitals for emphasis ("URGENT", "ATTENTION") is no surname
    return _plain_word(tok) and last_rank(t) is None


def register_of(text: str) -> str:
    letters = sum(map(str.isalpha, text))
    if letters < 12:
        return "mixed"
    upper = sum(map(str.isupper, text)) / letters
    if upper > 0.6:
        return "upper"
    if upper < 0.015:
        return "lower"
    return "mixed"


# the full stop of these ends no clause: "l'av. Roger Salengro", "bd. Baille", "Pl. Castellane"
# a place's word cut short: "l'av. Roger Salengro", "bd. Baille", "St. Barnabé"
STREET_ABBREVIATIONS = frozenset("st ste bd av pl ch rte imp sq all bat bât".split())
_ABBREVIATED = re.compile(
    rf"(?i)(?<![\w])(?:{'|'.join(sorted(STREET_ABBREVIATIONS | {'r', 'mgr', 'cdt', 'cne', 'lt', 'gal'}))})$"
)


def _clause_start(text: str, pos: int) -> int:
    window_start = max(0, pos - 80)
    last = window_start
    for m in CLAUSE_BREAK.finditer(text, window_start, pos):
        if m.group().startswith(".") and _ABBREVIATED.search(text, max(0, m.start() - 4), m.start()):
            continue
        last = m.end()
    return last


WALK_OVER = frozenset("de la le les l d à a au aux".split())
# between a place's word and its name: "école élémentaire Jean Perrin", "lycée professionnel Le Chatelier"
PLACE_ADJECTIVES = frozenset(
    """
    élémentaire elementaire maternelle primaire municipal municipale municipaux professionnel professionnelle
    polyvalent polyvalente universitaire intercommunal intercommunale sportif sportive culturel culturelle
    """.split()
)
_PARTICLE_OR_WALK = PARTICLES | WALK_OVER


def _in_named_thing(tokens: list[Token], i: int, text: str, caseless: bool | None = None) -> bool:
    """Is token i part of a place's, a building's or an organisation's name? Walk back over
    the name's own words and particles; a place or organisation word there decides."""
    if caseless is None:
        caseless = register_of(text) != "mixed"
    floor = _clause_start(text, tokens[i].start)
    j = i - 1
    steps = 0
    while j >= 0 and tokens[j].start >= floor and steps < 6:
        t = tokens[j]
        low = t.low
        if _place_or_org(low):
            return True
        if low in WORK_WORDS and steps > 0:
            return True
        if low in STOP and low not in _PARTICLE_OR_WALK and low != "et":
            return False  # "marche blanche pour Sofiane": a word like "pour" ends a place's name
        name_word = t.shape in ("title", "upper", "initial") if caseless is False else _known_name(t, 20000)
        if low in PARTICLES or low in WALK_OVER or low in PLACE_ADJECTIVES or name_word:
            j -= 1
            steps += 1
            continue
        if low in CIVILITIES or t.text in FUNCTIONS or low.capitalize() in FUNCTIONS:
            j -= 1
            steps += 1
            continue
        return False
    return False


def _unaccented(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii")


_PLACE_OR_ORG = frozenset(PLACE_WORDS | ORG_WORDS | {_unaccented(w) for w in PLACE_WORDS | ORG_WORDS})
# "textes de Lucie Aubrac", "hommage à Jean Moulin": whoever follows is a public figure or a work
WORK_WORDS = frozenset(
    """
    textes texte poème poèmes poeme poemes œuvre œuvres oeuvre oeuvres chanson chansons film films roman
    romans livre livres statue buste honneur commémoration commemoration rétrospective citation
    citations lecture portrait biographie style époque epoque prix trophée
    """.split()
)


def _place_or_org(low: str) -> bool:
    return (
        low in _PLACE_OR_ORG
        or low.startswith(("saint-", "sainte-", "st-", "ste-"))
        or (low.endswith("s") and low[:-1] in _PLACE_OR_ORG)
    )


SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|^\s*[-•*]\s*)$")


def _sentence_initial(text: str, start: int) -> bool:
    """Does the word at `start` open a sentence, a line or a list item?"""
    return start == 0 or SENTENCE_START.search(text[max(0, start - 6) : start]) is not None


def _take_name(tokens: list[Token], i: int, text: str, register: str, *, first_free: bool, weak: bool = False) -> int:
    """How many tokens from i form a name (0 if none): up to four words and particles.
    `first_free`: a civility or a role word said a name comes, so the first word needs no
    capital; `weak`: a role word, not a civility, said it, so a plain word is no name
    ("contacter l'ENQUÊTEUR") unless it is a known one."""
    n = 0
    j = i
    while j < len(tokens) and n < 4:
        t = tokens[j]
        if j > i and text[tokens[j - 1].end : t.start].strip(" \t\u00a0-") not in ("", "."):
            break  # punctuation between the words: the name ended
        if j > i and "\n" in text[tokens[j - 1].end : t.start]:
            break
        low = t.low
        if (
            low in PARTICLES
            and j + 1 < len(tokens)
            and (tokens[j + 1].shape == "title" or (first_free and tokens[j + 1].shape == "upper"))
            and (n > 0 or _known_name(tokens[j + 1], 20000))
        ):
            j += 1  # "de Sousa", "famille Ben Ali", "Karim El Amrani"
            continue
        if n == 0 and first_free:
            # after a civility a place's or a thing's word is a surname too ("Mme Fontaine")
            ok = (
                low not in STOP
                and low not in CIVILITIES
                and not _function(t)
                and not t.coded
                # after a civility, any word is a surname ("mme marin"); after a role word, a
                # lower-case or plain word must be a known name
                and (
                    not weak
                    or (t.shape != "lower" or (not _plain_word(t) and (_known_name(t, 20000) or zipf(low) < 2.5)))
                    and not (_plain_word(t) and not (_top_in_france(t, 1000) and zipf(low) < 4.5))
                )
            )
        else:
            ok = _nameish(t, register) and (register != "mixed" or t.shape != "lower")
            # "Cordialement, Direction de la voirie": a capitalised common word is no name
            ok = ok and (t.shape == "initial" or not _plain_word(t) or _known_name(t))
            # "ROZI Kaka": short capitals followed by a capitalised name are a surname, no body
            nxt = tokens[j + 1] if j + 1 < len(tokens) else None
            if not ok and n == 0 and t.shape == "upper" and not _excluded(t) and not _plain_word(t):
                ok = nxt is not None and nxt.shape == "title" and _adjacent(text, t, nxt) and not _plain_word(nxt)
        if not ok:
            break
        n = j - i + 1
        j += 1
        if t.shape == "initial" and not t.dot:
            break
    return n


def persons(text: str) -> list[Finding]:
    tokens = tokenize(text)
    if not tokens:
        return []
    register = register_of(text)
    by_start = {t.start: k for k, t in enumerate(tokens)}
    out: list[Finding] = []

    def add(
        i: int,
        n: int,
        confidence: float,
        *,
        check_place: bool = True,
        place_from: int | None = None,
        quoted=True,
        civility: bool = False,
    ) -> None:
        if n <= 0:
            return
        span = tokens[i : i + n]
        if check_place and _in_named_thing(tokens, i if place_from is None else place_from, text, register != "mixed"):
            return
        # after a civility a place's, a thing's or a town's word is a surname ("MME FORT",
        # "Mr Rose"): only a body's acronym or a function is no one
        excluded = _body_or_function if civility else _excluded
        if _eponym(tokens, i, n) or (quoted and all(excluded(t) for t in span)):
            return
        if quoted and _in_quotes(text, span[0].start, span[-1].end):
            return  # « Marius et Jeannette », « Chez Lenoir »: a title or a sign, not a person
        if ORG_NUMBER_AFTER.match(text, span[-1].end):
            return  # "Alternatiba (SIREN 870 221 847)": what has a company number is a body
        if i > 0 and tokens[i - 1].low in VEHICLE_WORDS:
            return  # "scooter Yamaha T-Max", "moto Kawasaki": a make, not a person
        out.append(Finding(span[0].start, span[-1].end, "person", confidence))

    def nxt_of(k: int) -> Token | None:
        return tokens[k + 1] if k + 1 < len(tokens) and _adjacent(text, tokens[k], tokens[k + 1]) else None

    # 1. a civility, then a name in any case: "Mme marin", "M. Jules NDIAYE", "Dr Kaci"
    for k, t in enumerate(tokens):
        if t.low not in CIVILITIES and not (t.dot and t.low + "." in CIVILITIES):
            continue
        if t.low == "me" and t.text != "Me":
            continue
        # "à 150 m. Arrêté", "pr harcèlement": in lower case these are metres and "pour"
        if t.low in ("m", "mr", "pr") and t.shape == "lower" and register != "lower":
            continue
        if t.low == "m" and not (t.dot or t.text == "M"):
            continue
        if t.low == "pr" and t.shape == "lower":
            continue
        if k + 1 < len(tokens) and not text[t.end : tokens[k + 1].start].strip(" .\t\u00a0"):
            # "rue du Docteur Escat" is a street; "cabinet Me Haddad" is a person
            named_thing = k > 0 and tokens[k - 1].low in PARTICLES | WALK_OVER
            n = _take_name(tokens, k + 1, text, register, first_free=True)
            add(k + 1, n, 0.95, check_place=named_thing, place_from=k, civility=True)
    # 2. a role word, then a name
    # (tried at each word's start only: the alternation is long, and a cue starts a word)
    for m in filter(None, (CUE.match(text, t.start) for t in tokens)):
        k = by_start.get(_next_token_start(text, m.end()))
        if k is None or tokens[k].low in CIVILITIES:
            continue  # rule 1 has it
        n = _take_name(tokens, k, text, register, first_free=register != "mixed", weak=True)
        if n == 0 and register == "mixed" and tokens[k].shape == "lower" and _known_name(tokens[k], 20000):
            n = _take_name(tokens, k, text, register, first_free=True, weak=True)
        add(k, n, 0.85)
    # 3. a name, then its function: "Durand, commissaire", "Petit, capitaine"
    for m in FUNCTION_AFTER.finditer(text) if "," in text else ():
        k = by_start.get(m.start("name"))
        if k is not None and tokens[k].shape in ("title", "upper") and not _excluded(tokens[k]):
            add(
                k,
                1 + (1 if (n2 := nxt_of(k)) and n2.shape in ("title", "upper") and _nameish(n2, register) else 0),
                0.8,
            )
    # 3b. a name, then what people do in a report: "Le Gall déclare", "DIALLO reconnaît"
    for m in VERB_AFTER.finditer(text) if register == "mixed" else ():
        k = by_start.get(m.start("name"))
        if k is None:
            continue
        if k > 0 and tokens[k - 1].low in ("le", "la") and tokens[k - 1].end == m.start("name") - 1:
            k -= 1  # "Le Gall", "La Rosa": the article is the surname's
        span = tokens[k : by_start[m.start("name")] + 1]
        last = span[-1]
        if (
            last.shape in ("title", "upper")
            and not _excluded(last)
            and not _plain_word(last)
            and not (last.shape == "upper" and _acronym(last))
        ):
            add(k, len(span), 0.75)
    # 3c. who signs a message: its last line, a first name and maybe a surname ("… est mort. Kader",
    # "--\nJP Hoarau"), or a first name alone after the last full stop of a message
    sign = SIGN_OFF.search(text[-60:]) if register != "upper" else None
    if sign:
        start = len(text) - len(text[-60:]) + sign.start("who")
        k = by_start.get(start)
        if k is not None:
            run = tokens[k:]
            first = run[0]
            initials = first.shape == "upper" and len(first.text) <= 2 and len(run) > 1
            named = _first_name(first, 5000) and not _plain_word(first)
            if (named or initials) and not any(_excluded(t) for t in run) and len(run) <= 3:
                add(k, len(run), 0.7)
    # 3e. a duty roster: "MARDI - BENALI", "Vendredi\tTAUREL", "Samedi : Siranouche Sow"
    for m in ROSTER_LINE.finditer(text) if ROSTER_HINT.search(text) else ():
        run = _tokens_of(tokens, by_start, m.start("who"), m.end("who"))
        if _capitalised(run) and not all(_plain_word(t) and not _known_name(t, 3000) for t in run):
            add(by_start[run[0].start], len(run), 0.7)
    # 3f. whoever a date of birth follows: "QUANG BONNET, NÉ LE 14 DÉCEMBRE 1939", "Lucas Ferri (né en 2001)"
    for m in BORN_AFTER.finditer(text) if BORN_HINT.search(text) else ():
        run = _tokens_of(tokens, by_start, m.start("name"), m.end("name"))
        while run and (_excluded(run[0]) or run[0].shape not in ("title", "upper")):
            run = run[1:]
        if _capitalised(run) and not all(_plain_word(t) and not _known_name(t, 5000) for t in run):
            add(by_start[run[0].start], len(run), 0.75)
    # 3d. the line that follows a letter's closing ("Cordialement / Ia ora na\n\nTeiki Tehaamoana")
    for m in SIGNATURE_LINE.finditer(text) if register == "mixed" else ():
        run = _tokens_of(tokens, by_start, m.start("who"), m.end("who"))
        if 2 <= len(run) <= 3 and _capitalised(run) and not all(_plain_word(t) for t in run):
            add(by_start[run[0].start], len(run), 0.7)
    # 4. a nickname in quotes: dit « Bébé », alias "Coco"
    for m in NICKNAME.finditer(text) if ("«" in text or '"' in text or "“" in text) else ():
        out.append(Finding(m.start("nick"), m.end("nick"), "person", 0.8))
    # 4b. initials: "J.-P. M.", "A. B.-K."
    for m in INITIALS.finditer(text) if "." in text else ():
        k = by_start.get(m.start())
        if k is not None:
            out.append(Finding(m.start(), m.end() - (1 if m.group().endswith(".") else 0), "person", 0.75))
    # 5. table rows: "Traoré;Awa;présidente", "PETROV | Ivan | service d'ordre"
    for line in _table_lines(text) if ("\t" in text or ";" in text or "|" in text) else ():
        for k, t in enumerate(tokens):
            if line[0] <= t.start < line[1] and _cell_start(text, t.start, line[0]) and _cell_name(t):
                add(k, 1, 0.7)
    # 6. shapes and lexicons
    for k, t in enumerate(tokens):
        if register == "mixed":
            if t.shape != "lower":
                _mixed_shapes(tokens, k, t, nxt_of(k), text, register, add)
            elif (nxt := nxt_of(k)) is not None and nxt.shape == "lower" and _lower_pair(t, nxt):
                add(k, 2, 0.7)  # "yasmina lebrun", "kaci brigitte": a name typed in lower case
        else:
            _caseless_shapes(tokens, k, t, nxt_of(k), text, add)
    # 7. names listed or joined to a name: "Léo, Jade, Karim B.", "Bonnet et Chevalier"
    if out and ("," in text or " et " in text or " and " in text):
        by_end = {t.end: k for k, t in enumerate(tokens)}
        covered = {k for f in out for k in _within(tokens, by_start, f)}
        queue = list(out)
        while queue:  # each finding is joined once: a list grows name by name, never quadratically
            f = queue.pop()
            before = len(out)
            _coordinated(tokens, by_start, by_end, f, covered, text, register, add)
            for g in out[before:]:
                covered.update(_within(tokens, by_start, g))
                queue.append(g)
    return out


def _within(tokens: list[Token], by_start: dict[int, int], f: Finding) -> list[int]:
    """The indices of the tokens a finding covers."""
    out, k = [], by_start.get(f.start)
    while k is not None and k < len(tokens) and tokens[k].end <= f.end:
        out.append(k)
        k += 1
    return out


JOIN_AFTER = re.compile(r"\s*(?:,|;|\bet\b|\band\b|&)\s*")
JOIN_BEFORE = re.compile(r"(?:,|;|\bet\b|\band\b|&)\s*$")


def _coordinated(tokens, by_start, by_end, f: Finding, covered: set[int], text: str, register: str, add) -> None:
    """A name beside a found one, joined by a comma or "et", is a name too."""

    def name_like(t: Token) -> bool:
        if _excluded(t) or (register == "mixed" and t.shape not in ("title", "upper")):
            return False
        return _name_in_context(t) or (not _plain_word(t) and t.shape == "upper" and not _acronym(t))

    m = JOIN_AFTER.match(text, f.end)
    if m and m.end() > f.end:
        k = by_start.get(m.end())
        if k is not None and name_like(tokens[k]) and k not in covered:
            n = 1
            while k + n < len(tokens) and n < 3 and _adjacent(text, tokens[k + n - 1], tokens[k + n]):
                nxt = tokens[k + n]
                if not (nxt.shape == "initial" or name_like(nxt) or (nxt.shape == "title" and not _plain_word(nxt))):
                    break
                n += 1
            add(k, n, 0.7)
    head = text[max(0, f.start - 6) : f.start]
    b = JOIN_BEFORE.search(head)
    if b:
        k = by_end.get(f.start - len(head) + len(head[: b.start()].rstrip()))
        if k is not None and name_like(tokens[k]) and k not in covered:
            add(k, 1, 0.7)


# Two or three letters and a dot that shorten a place's or a thing's word, not a first name
ABBREVIATIONS = STREET_ABBREVIATIONS | frozenset("qu mr me dr pr mme mm ex no nb cf ca vs tel fax".split())


def _mixed_shapes(tokens, k, t, nxt, text, register, add) -> None:
    """Where capitals mean something: the shapes names are written in."""
    if (
        t.dot
        and t.shape == "title"
        and len(t.text) in (2, 3)
        and t.low not in ABBREVIATIONS
        and nxt
        and nxt.shape in ("title", "upper")
        and _nameish(nxt, register)
        and (not _plain_word(nxt) or _known_name(nxt))
    ):
        add(k, 2, 0.8)  # a first name cut short: "Ma. Fofana", "Th. Roux"
        return
    if t.shape == "initial" and t.dot and t.text != "M" and nxt and nxt.shape in ("title", "upper"):
        if _nameish(nxt, register) and (not _plain_word(nxt) or _known_name(nxt)):
            add(k, 2, 0.85)
        return
    if t.shape == "title" and _first_name(t) and not _excluded(t):
        if nxt and nxt.shape == "initial" and nxt.dot:
            add(k, 2, 0.8)  # "Moussa K."
        elif nxt and _nameish(nxt, register) and (not _plain_word(nxt) or _known_name(nxt)):
            add(k, 1 + _take_name(tokens, k + 1, text, register, first_free=False), 0.85)
        elif _lone_first_name(tokens, k, text):
            add(k, 1, 0.6)
        return
    if t.shape == "upper" and not _acronym(t):
        if nxt and nxt.shape == "title" and _first_name(nxt):
            add(k, 1 + _take_name(tokens, k + 1, text, register, first_free=False), 0.85)
        elif nxt and nxt.shape == "title" and not _excluded(nxt) and not _plain_word(nxt) and not _plain_word(t):
            add(k, 2, 0.75)  # "HOVHANNISYAN Armen": a surname in capitals, then a capitalised word
        elif nxt and nxt.shape == "upper" and not _acronym(nxt) and (_top_first(t) or _top_first(nxt)):
            if not (_plain_word(t) and _plain_word(nxt)):
                add(k, 2, 0.75)
        elif _lone_upper_surname(t):
            add(k, 1, 0.65)
        return
    title_then_upper = t.shape == "title" and nxt and nxt.shape == "upper" and not _acronym(nxt)
    if title_then_upper and not _excluded(t) and not _plain_word(t):
        add(k, 2, 0.8)  # "Ilyes MERCIER"


def _lower_pair(a: Token, b: Token) -> bool:
    """Two lower-case words side by side that are a first name and a name, neither a French word."""
    if _excluded(a) or _excluded(b) or _plain_word(a) or _plain_word(b):
        return False
    return (_first_name(a, 6000) and (_known_name(b, 20000) or zipf(b.low) < 2.0)) or (
        _first_name(b, 6000) and (_known_name(a, 20000) or zipf(a.low) < 2.0)
    )


def _caseless_shapes(tokens, k, t, nxt, text, add) -> None:
    """In capitals or in lower case only, shape says nothing: two names side by side, or one of
    the first names most carried in France that is no French word."""
    if _excluded(t) or _plain_word(t):
        return
    good_next = nxt is not None and not _excluded(nxt) and not _plain_word(nxt)
    if (
        _first_name(t, 4000)
        and good_next
        and _known_name(nxt, 20000)
        or _known_name(t, 4000)
        and good_next
        and _first_name(nxt, 4000)
    ):
        add(k, 2, 0.8)
    elif k > 0 and tokens[k - 1].shape == "initial" and tokens[k - 1].dot and _adjacent(text, tokens[k - 1], t):
        add(k - 1, 2, 0.75)  # "J. FERRANDI"
    elif len(t.text) >= 4 and names().first_fr.get(t.low, 10**9) <= 1000 and zipf(t.low) < 3.0:
        add(k, 1, 0.6)


def _tokens_of(tokens: list[Token], by_start: dict[int, int], start: int, end: int) -> list[Token]:
    """The tokens of text[start:end] when one starts at `start` (a match's group), else none."""
    k = by_start.get(start)
    if k is None:
        return []
    j = k
    while j < len(tokens) and tokens[j].end <= end:
        j += 1
    return tokens[k:j]


def _capitalised(run: list[Token]) -> bool:
    """Words that could all be a name's, by their capitals: none a place's, a body's or a function's."""
    return bool(run) and all(t.shape in ("title", "upper") and not _excluded(t) for t in run)


def _lone_first_name(tokens: list[Token], k: int, text: str) -> bool:
    """A first name alone ("vu avec Karim hier") is a person when it is one France knows well,
    no French word, not a sentence's first word, and no bar's or place's name ("Chez Marius")."""
    t = tokens[k]
    if _sentence_initial(text, t.start) or _plain_word(t) or names().first_fr.get(t.low, 10**9) > 2000:
        return False
    before = text[max(0, t.start - 2) : t.start]
    if "«" in before or '"' in before:
        return False
    return not (k > 0 and tokens[k - 1].low in ("chez", "café", "bar", "arrêt", "station"))


# radio call signs ("ALPHA 22", "indicatif BRAVO"): the NATO alphabet, no one's surname here
CALL_SIGNS = frozenset(
    "alpha bravo charlie delta echo foxtrot golf hotel india juliett juliet kilo lima mike november oscar papa "
    "quebec romeo sierra tango uniform victor whiskey xray yankee zulu mistral".split()
)


def _top_first(t: Token, limit: int = 3000) -> bool:
    return names().first_fr.get(t.low, 10**9) <= limit


def _lone_upper_surname(t: Token) -> bool:
    """A surname in capitals alone, as police write it in a text that is not in capitals: a
    surname France's lexicon knows, even one that is a French word ("FORT", "BERGER"), unless
    the word is far more common than the name."""
    if len(t.text) < 3 or t.low in CALL_SIGNS:
        return False
    z = zipf(t.low)
    rank = names().last_fr.get(t.low, 10**9)
    return rank <= 20000 and (z < 4.5 or rank <= 1000)


FUNCTION_AFTER = re.compile(
    r"(?P<name>(?<![\w.])[A-ZÀ-Ý][\w'’-]+)(?:\s+[A-ZÀ-Ý][\w'’-]+)?,\s+(?:le\s+|la\s+)?(?:commissaire|capitaine|"
    r"lieutenant|commandant|brigadier|major|adjudant|gardien|agent|officier|inspect(?:eur|rice)|directeur|directrice|"
    r"chef|cheffe|pr[ée]sidente?|secr[ée]taire|tr[ée]sori[eè]re?|porte-parole|organisat(?:eur|rice)|responsable|"
    r"d[ée]clarante?|t[ée]moin|avocate?|m[ée]decin|journaliste|[ée]lue?|adjointe?|conseill[eè]re?)\b"
)
ORG_NUMBER_AFTER = re.compile(r"(?i)\s*[(,:\-–]?\s*(?:n°\s*)?(?:siren|siret|rna|tva)\b")
BORN_HINT = re.compile(r"(?i)\bn[ée]e?\s+(?:le|en|à|a)\b")
BORN_AFTER = re.compile(
    r"(?P<name>(?:[A-ZÀ-Ý][\w'’-]+[ \t]){0,2}[A-ZÀ-Ý][\w'’-]+)[ \t]*,?[ \t]*\(?[ \t]*(?i:n[ée]e?)[ \t]+(?i:le|en|à|a)\b"
)
ROSTER_HINT = re.compile(r"(?i)astreinte|permanence|roster|planning|tableau|semaine|on[- ]call|de\s+garde")
ROSTER_LINE = re.compile(
    r"(?im)^[ \t]*(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)[ \t]*(?:[-–—:][ \t]*|\t+)"
    r"(?P<who>[A-ZÀ-Ý][\w'’-]+(?:[ \t][A-ZÀ-Ý][\w'’-]+){0,2})(?=[ \t]*(?:$|[\d(+,]|tel|tél))"
)
SIGNATURE_LINE = re.compile(
    r"(?im)^(?:cordialement|bien (?:à|a) vous|salutations distinguées|best regards|regards|sincères salutations)"
    r"[^\n]{0,30}\n(?:[ \t]*\n){0,2}[ \t]*(?P<who>[A-ZÀ-Ý][\w'’-]+(?:[ \t]+[A-ZÀ-Ý][\w'’-]+){1,2})[ \t]*$"
)
SIGN_OFF = re.compile(
    r"(?:^|\n|[.!?]\s+|--\s*\n)\s*(?P<who>[A-ZÀ-Ý][\w'’-]*(?:[ .-]{1,2}[A-ZÀ-Ý][\w'’-]*){0,2})[\s.!]*$"
)
VERB_AFTER = re.compile(
    r"(?P<name>(?<![\w.])[A-ZÀ-Ý][\w'’-]+)\s+(?:d[ée]clare|indique|affirme|reconna[îi]t|conteste|explique|pr[ée]cise|"
    r"d[ée]pose\s+plainte|porte\s+plainte|refuse|nie|avoue|admet|se\s+pr[ée]sente|est\s+interpell[ée]e?|"
    r"a\s+[ée]t[ée]\s+interpell[ée]e?|est\s+entendue?|a\s+d[ée]clar[ée])\b"
)
INITIALS = re.compile(r"(?<![\w.])[A-Z]\.(?:\s?-?\s?[A-Z]\.)*(?:\s|-)[A-Z]\.(?:-[A-Z]\.?)?(?![\w])")
TABLE_SEPARATORS = re.compile(r"[;|\t]")


def _table_lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        # "OZTURK / Mehmet / 05/05/1970": a slash between spaces separates cells only when
        # it does so twice on the line
        if len(TABLE_SEPARATORS.findall(line)) >= 2 or line.count(" / ") >= 2:
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _cell_start(text: str, start: int, line_start: int) -> bool:
    before = text[line_start:start].rstrip(" ")
    return not before or before[-1] in ";|\t/"


def _cell_name(t: Token) -> bool:
    return t.shape in ("title", "upper") and not _excluded(t) and _name_in_context(t)


def _name_in_context(t: Token) -> bool:
    """Where the context already says a name stands (a table's cell, a list of names), a word
    some country carries among its 3,000 first names or surnames is one, unless French uses it
    very often ("Ivan", "Awa", but not "Bureau")."""
    return _known_name(t, 20000) and (not _plain_word(t) or (_known_name(t, 3000) and zipf(t.low) < 4.5))


NICKNAME = re.compile(
    r"(?i)\b(?:dit|dite|alias|surnomm[ée]e?|se\s+fait\s+appeler|appel[ée]e?|pseudo|un\s+certain|une\s+certaine|"
    r"le\s+nomm[ée]|la\s+nomm[ée]e)\s*:?\s*[«\"“]\s*"
    r"(?P<nick>[^»\"”\n]{1,30}?)\s*[»\"”]"
)
NICKNAME_CUE = re.compile(r"(?i)(?:\bdit|\bdite|alias|surnomm[ée]e?|appeler|pseudo|appel[ée]e?)\s*:?\s*$")


def _in_quotes(text: str, start: int, end: int) -> bool:
    """Is the span inside « » or " " on its line, not as a nickname ("dit « Bébé »")?"""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    for opening, closing in (("«", "»"), ("“", "”"), ('"', '"')):
        o = before.rfind(opening)
        if o == -1 or (closing in before[o + 1 :] and opening != closing):
            continue
        if before[:o].rstrip().endswith(("=", ":")):
            continue  # title="Rassemblement soutien …": a field's value, not a work's title
        if opening == closing and before.count(opening) % 2 == 0:
            continue
        line_end = text.find("\n", end)
        if closing in text[end : line_end if line_end != -1 else len(text)]:
            return not NICKNAME_CUE.search(before[:o])
    return False


def _eponym(tokens: list[Token], i: int, n: int) -> bool:
    """Is the span part of a public figure's name, with up to two words on either side
    ("Jean" of "Hommage à Jean Jaurès", "Moulin" of "salon Jean Moulin")?"""
    lo, hi = max(0, i - 2), min(len(tokens), i + n + 2)
    words = [t.low for t in tokens[lo:hi]]
    first, last = i - lo, i - lo + n
    return any(
        " ".join(words[a:b]) in EPONYMS for a in range(0, first + 1) for b in range(last, len(words) + 1) if b - a >= 1
    )


def _function(tok: Token) -> bool:
    return any(p.capitalize() in FUNCTIONS for p in tok.low.split("-"))


def _adjacent(text: str, a: Token, b: Token) -> bool:
    """Two words of one name: nothing but a space, a dot or an elided particle between them
    ("Mireille d'Ornano")."""
    gap = text[a.end : b.start]
    return len(gap) <= 4 and gap.strip(" \t\u00a0") in ("", ".", "d'", "d’", "D'", "D’")


def _next_token_start(text: str, pos: int) -> int:
    m = TOKEN.search(text, pos)
    if not m or text[pos : m.start()].strip(" \t\u00a0:-–,«»\"“”'"):
        return -1
    e = ELISION.match(m.group())
    return m.start() + (e.end() if e else 0)
