"""Property tests: identifiers and names generated at random, planted in random contexts, are
found; a masked text has nothing left to find; no input makes the detectors fail.

The names here are made of random syllables, so no lexicon can know them: what finds them
is the context (a civility, a role word) or the shape police write them in.
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tranquillite.pii.detectors import GATE_THRESHOLD, detect, mask

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BEFORE = [
    "",
    "RAS. ",
    "Rassemblement prévu devant la préfecture à 14h. ",
    "Départ place Castellane vers 10h30, 300 personnes attendues. ",
    "Arrêté n° 2026-04-117 du 3 mars. ",
    "SIGNALEMENT URGENT : ",
    "suite appel de la CGT,\n",
    "Note: the delegation arrives at 9am. ",
]
AFTER = ["", ".", " ce matin.", ", merci de rappeler.", " (voir PV 2026/118).", "\nCordialement", " ; RAS"]
SEPARATORS = [" ", ".", "-", "", "  ", " \n"]


def planted(value: str, before: str, cue: str, after: str) -> tuple[str, int, int]:
    text = before + cue + value + after
    start = len(before) + len(cue)
    return text, start, start + len(value)


def found(text: str, start: int, end: int, kind: str) -> bool:
    return any(
        f.type == kind and f.start < end and start < f.end and f.confidence >= GATE_THRESHOLD for f in detect(text)
    )


digits = st.text(alphabet=string.digits, min_size=1, max_size=1)


@st.composite
def french_phone(draw) -> str:
    first = draw(st.sampled_from("1234567869"))
    rest = "".join(draw(digits) for _ in range(8))
    number = "0" + first + rest
    style = draw(st.sampled_from(["pairs", "plain", "intl", "intl0", "0033", "irregular"]))
    sep = draw(st.sampled_from(SEPARATORS))
    pairs = [number[i : i + 2] for i in range(0, 10, 2)]
    if style == "pairs":
        return sep.join(pairs)
    if style == "plain":
        return number
    if style == "intl":
        return "+33 " + number[1] + " " + " ".join(pairs[1:])
    if style == "intl0":
        return "+33 (0)" + number[1] + " " + " ".join(pairs[1:])
    if style == "0033":
        return "0033 " + number[1:]
    return number[:4] + sep + number[4:7] + sep + number[7:]


@given(
    french_phone(),
    st.sampled_from(BEFORE),
    st.sampled_from(["tél. ", "", "joignable au ", "Portable : "]),
    st.sampled_from(AFTER),
)
@SETTINGS
def test_any_dialable_french_number_is_found(value: str, before: str, cue: str, after: str) -> None:
    assert found(*planted(value, before, cue, after), "phone")


def _iban_fr(bban: str) -> str:
    moved = bban + "FR00"
    numeric = "".join(str(int(c, 36)) for c in moved)
    check = 98 - int(numeric) % 97
    return f"FR{check:02d}{bban}"


@given(
    st.text(alphabet=string.digits, min_size=23, max_size=23),
    st.sampled_from(BEFORE),
    st.sampled_from(AFTER),
    st.sampled_from([" ", "", "\n", "-"]),
)
@SETTINGS
def test_a_french_iban_grouped_any_way_is_found(bban: str, before: str, after: str, sep: str) -> None:
    iban = _iban_fr(bban)
    grouped = sep.join(iban[i : i + 4] for i in range(0, len(iban), 4))
    assert found(*planted(grouped, before, "IBAN ", after), "iban")


def _nir(body: str) -> str:
    key = 97 - int(body) % 97
    return body + f"{key:02d}"


@given(
    st.sampled_from("12"),
    st.integers(40, 99),
    st.integers(1, 12),
    st.integers(1, 95),
    st.integers(1, 999),
    st.integers(1, 999),
    st.sampled_from(BEFORE),
    st.sampled_from(AFTER),
    st.sampled_from([" ", ""]),
)
@SETTINGS
def test_a_nir_is_found(sex, year, month, dept, commune, order, before, after, sep) -> None:
    body = f"{sex}{year:02d}{month:02d}{dept:02d}{commune:03d}{order:03d}"
    nir = _nir(body)
    value = sep.join([nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]])
    assert found(*planted(value, before, "n° SS ", after), "nir")


def _luhn_complete(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial + "0")):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return partial + str((10 - total % 10) % 10)


@given(
    st.text(alphabet=string.digits, min_size=15, max_size=15).filter(lambda s: len(set(s)) > 3),
    st.sampled_from(BEFORE),
    st.sampled_from(AFTER),
    st.sampled_from([" ", "", "-"]),
)
@SETTINGS
def test_a_card_number_is_found(partial: str, before: str, after: str, sep: str) -> None:
    card = _luhn_complete("4" + partial[1:])
    value = sep.join(card[i : i + 4] for i in range(0, 16, 4))
    assert found(*planted(value, before, "carte bancaire ", after), "card")


plate_letters = st.text(alphabet="ABCDEFGHJKLMNPQRSTVWXYZ", min_size=2, max_size=2)


@given(
    plate_letters,
    st.integers(1, 999),
    plate_letters,
    st.sampled_from(["-", "", " "]),
    st.booleans(),
    st.sampled_from(BEFORE),
    st.sampled_from(AFTER),
)
@SETTINGS
def test_a_plate_in_any_case_is_found(a, n, b, sep, lower, before, after) -> None:
    value = f"{a}{sep}{n:03d}{sep}{b}"
    value = value.lower() if lower else value
    assert found(*planted(value, before, "véhicule immatriculé ", after), "plate")


local = st.text(alphabet=string.ascii_lowercase + string.digits + "._", min_size=2, max_size=15).filter(
    lambda s: s[0].isalnum() and s[-1].isalnum() and ".." not in s
)
domain = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=10)


@given(
    local,
    domain,
    st.sampled_from(["fr", "com", "net", "org"]),
    st.sampled_from([("@", "."), (" (at) ", "."), (" [at] ", " [dot] "), (" arobase ", " point "), ("@", " [.] ")]),
    st.sampled_from(BEFORE),
    st.sampled_from(AFTER),
)
@SETTINGS
def test_an_email_however_disguised_is_found(user, host, tld, marks, before, after) -> None:
    at, dot = marks
    value = f"{user}{at}{host}{dot}{tld}"
    assert found(*planted(value, before, "écrire à ", after), "email")


@given(st.tuples(*[st.integers(1, 254)] * 4), st.sampled_from(BEFORE), st.sampled_from(AFTER))
@SETTINGS
def test_an_ip_address_is_found(octets, before, after) -> None:
    value = ".".join(map(str, octets))
    assert found(*planted(value, before, "connexion depuis ", after), "ip_address")


SYLLABLES = ["ka", "ro", "lin", "vé", "dou", "mar", "zi", "ben", "tal", "sou", "gha", "ril", "pon", "né", "tcha"]


@st.composite
def invented_name(draw) -> str:
    n = draw(st.integers(2, 4))
    return "".join(draw(st.sampled_from(SYLLABLES)) for _ in range(n))


@given(
    invented_name(),
    invented_name(),
    st.sampled_from(["M. ", "Mme ", "Madame ", "Dr ", "Maître "]),
    st.sampled_from(BEFORE),
    st.sampled_from(AFTER),
    st.sampled_from(["title", "upper", "lower_surname_only"]),
)
@SETTINGS
def test_a_name_nobody_knows_after_a_civility_is_found(first, last, civility, before, after, shape) -> None:
    if shape == "title":
        value = f"{first.capitalize()} {last.capitalize()}"
    elif shape == "upper":
        value = f"{last.upper()} {first.capitalize()}"
    else:
        value = last
    assert found(*planted(value, before, civility, after), "person")


@given(
    invented_name(),
    invented_name(),
    st.sampled_from(
        [
            "Conducteur : ",
            "Identité relevée : ",
            "Interpellation de ",
            "Témoin : ",
            "Déclarant : ",
            "Organisatrice : ",
            "au nom de ",
        ]
    ),
    st.sampled_from(BEFORE),
    st.sampled_from(AFTER),
)
@SETTINGS
def test_a_name_nobody_knows_after_a_role_word_is_found(first, last, cue, before, after) -> None:
    value = f"{last.upper()} {first.capitalize()}"
    assert found(*planted(value, before, cue, after), "person")


FILLER = st.lists(
    st.sampled_from(
        BEFORE
        + AFTER
        + [
            "Mme Nadia Kaci",
            "06 12 34 56 78",
            "jean.dupont@gmail.com",
            "AB-123-CD",
            "né le 03/04/1987",
            "domicilié 12 rue des Lilas 13005 Marseille",
            "Conducteur : BOUKHRIS Yanis",
            "@yass_13",
            "FR76 3000 6000 0112 3456 7890 189",
            "place Jean Jaurès",
            "M. le Préfet",
        ]
    ),
    min_size=1,
    max_size=8,
).map(" ".join)


@given(FILLER)
@SETTINGS
def test_a_masked_text_has_nothing_left_to_find(text: str) -> None:
    once = mask(text, [f for f in detect(text) if f.confidence >= GATE_THRESHOLD])
    assert [f for f in detect(once) if f.confidence >= GATE_THRESHOLD] == []


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_no_text_makes_the_detectors_fail(text: str) -> None:
    for f in detect(text):
        assert 0 <= f.start < f.end <= len(text)
