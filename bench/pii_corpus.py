"""The labelled evaluation corpus of the personal-data detectors.

`python -m bench.pii_corpus` writes bench/data/pii_corpus.jsonl: French
prefecture- and police-style texts, each with its gold spans (start, end, type).
Records of kind "pii" carry personal data (fictitious, generated); records of
kind "clean" carry none but are full of lookalikes: street numbers, event dates
and times, counts, reference numbers, places named after people, functions.
About a fifth of the names use first names outside the detectors' lexicon, so
that recall is not measured on the rules' own word list.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import phonenumbers
from stdnum import iban as std_iban
from stdnum import luhn

OUT = Path(__file__).resolve().parent / "data" / "pii_corpus.jsonl"

SURNAMES = """
    Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel
    Garcia Bertrand Roux Vincent Fournier Morel Girard Mercier Dupont Lambert Bonnet Martinez Benali
    Haddad Bensaïd Rossi Ferrari Romano Nguyen Diallo Traoré Cohen Amrani Belkacem Mansouri Chaouch
    Ouali Fabre Blanc Guerin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clement Gauthier Dumont
    Lopez Fontaine Chevalier Robin Masson Sanchez Gerard Nguyen Boyer Denis Lemaire Duval Joly Gautier
    Roger Roche Roy Noel Meyer Lucas Gomez Barbier Giraud Brun Rey Arnaud Marchand Colin Aubert Caron
    Benhamou Zerrouki Kaci Meziane Saidi
    """.split()
KNOWN_FIRST = """
    Jean Marie Nadia Karim Sophie Pierre Fatima Mohamed Julie Nicolas Sarah Thomas Leila Yacine Claire
    Mehdi Camille Inès Rachid Hélène Samir Laura Sofiane Amina Julien Céline Omar Lucie Farid Manon
    """.split()
OTHER_FIRST = """
    Anouk Wassim Maëlys Ilyes Soraya Kylian Nawel Bilel Ornella Tiago Lyna Rayan Sirine Eliott Maïwenn
    Anissa Younes Capucine Gaspard Mattéo
    """.split()
DOMAINS = """
    gmail.com orange.fr free.fr hotmail.fr laposte.net yahoo.fr sfr.fr outlook.com
    """.split()
STREETS = [
    "rue de la République",
    "boulevard National",
    "rue d'Aubagne",
    "avenue de la Capelette",
    "chemin du Littoral",
    "rue Consolat",
    "boulevard Baille",
    "traverse de la Martine",
    "rue Sainte",
    "avenue des Chartreux",
    "rue Breteuil",
    "boulevard de la Blancarde",
]
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
PLACES_AFTER_PEOPLE = [
    "place Jean Jaurès",
    "boulevard Michelet",
    "rue Paradis",
    "avenue Jean Moulin",
    "lycée Victor Hugo",
    "rue Edmond Rostand",
    "boulevard Rabatau",
    "place Félix Baret",
    "square Léon Blum",
    "stade Pierre Delort",
    "rue Francis Davso",
    "avenue Robert Schuman",
    "boulevard Charles Livon",
    "rue Saint-Ferréol",
    "place Sadi Carnot",
    "cours Pierre Puget",
    "allées Léon Gambetta",
    "collège Jean Moulin",
    "rond-point Marcel Pagnol",
    "boulevard Camille Flammarion",
    "rue Henri Barbusse",
    "place Marcel Paul",
]
PLACES = [
    "la Canebière",
    "le Vieux-Port",
    "la place Castellane",
    "la gare Saint-Charles",
    "le rond-point du Prado",
    "la Porte d'Aix",
    "le cours Julien",
    "la place de la Joliette",
    "le stade Vélodrome",
    "la préfecture",
]
FUNCTIONS = [
    "M. le Préfet",
    "Mme la Maire",
    "le commissaire divisionnaire",
    "M. le Directeur départemental",
    "Mme la Procureure",
    "le ministre de l'Intérieur",
    "M. le Sous-Préfet",
    "le Président du Conseil",
]
UNIONS = ["la CGT", "FO", "la CFDT", "Solidaires 13", "la FSU", "l'UNSA", "SUD Santé", "le collectif Droit au logement"]


class Builder:
    """Concatenates pieces of text and records the gold span of each slot."""

    def __init__(self) -> None:
        self.text = ""
        self.spans: list[dict] = []

    def add(self, piece: str) -> Builder:
        self.text += piece
        return self

    def slot(self, value: str, kind: str) -> Builder:
        self.spans.append({"start": len(self.text), "end": len(self.text) + len(value), "type": kind})
        self.text += value
        return self


def first_name(rng: random.Random) -> str:
    return rng.choice(OTHER_FIRST) if rng.random() < 0.2 else rng.choice(KNOWN_FIRST)


def person(rng: random.Random, b: Builder) -> None:
    style = rng.randrange(6)
    if style == 0:
        b.add(rng.choice(["M. ", "Monsieur ", "Mme ", "Madame ", "Mlle "])).slot(rng.choice(SURNAMES), "person")
    elif style == 1:
        b.add(rng.choice(["Mme ", "M. ", "Madame "])).slot(f"{first_name(rng)} {rng.choice(SURNAMES)}", "person")
    elif style == 2:
        b.add(rng.choice(["Maître ", "Me ", "le Dr ", "Docteur "])).slot(rng.choice(SURNAMES), "person")
    elif style == 3:
        b.slot(f"{first_name(rng)} {rng.choice(SURNAMES).upper()}", "person")
    else:
        b.slot(f"{first_name(rng)} {rng.choice(SURNAMES)}", "person")


def valid_phone(rng: random.Random) -> str:
    while True:
        kind = rng.randrange(8)
        if kind < 3:
            digits = "0" + rng.choice("67") + "".join(rng.choice("0123456789") for _ in range(8))
            region = "FR"
        elif kind < 5:
            digits = "04" + rng.choice(["91", "86", "84", "95"]) + "".join(rng.choice("0123456789") for _ in range(6))
            region = "FR"
        else:
            region, prefix = rng.choice([("GP", "0690"), ("RE", "0692"), ("MQ", "0696"), ("GF", "0694")])
            digits = prefix + "".join(rng.choice("0123456789") for _ in range(6))
        number = phonenumbers.parse(digits, region)
        if not phonenumbers.is_valid_number(number):
            continue
        style = rng.randrange(6)
        pairs = " ".join(digits[i : i + 2] for i in range(0, 10, 2))
        if style == 0:
            return pairs
        if style == 1:
            return pairs.replace(" ", ".")
        if style == 2:
            return digits
        if style == 3:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        if style == 4:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return pairs.replace(" ", "-")


def nir(rng: random.Random) -> str:
    body = (
        rng.choice("12")
        + f"{rng.randint(40, 99):02d}"
        + f"{rng.randint(1, 12):02d}"
        + "13"
        + f"{rng.randint(1, 999):03d}"
        + f"{rng.randint(1, 999):03d}"
    )
    key = 97 - int(body) % 97
    if rng.random() < 0.15:
        key = (key + rng.randint(1, 50)) % 97 or 1  # a wrong key: still NIR-shaped, still flagged
    full = body + f"{key:02d}"
    if rng.random() < 0.5:
        return f"{full[0]} {full[1:3]} {full[3:5]} {full[5:7]} {full[7:10]} {full[10:13]} {full[13:]}"
    return full


def iban(rng: random.Random) -> str:
    while True:
        bank, branch = f"{rng.randint(10000, 39999)}", f"{rng.randint(0, 99999):05d}"
        account = "".join(rng.choice("0123456789") for _ in range(11))
        rib_key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
        bban = f"{bank}{branch}{account}{rib_key:02d}"
        check = std_iban.calc_check_digits("FR00" + bban)
        value = f"FR{check}{bban}"
        if std_iban.is_valid(value):
            return " ".join(value[i : i + 4] for i in range(0, len(value), 4)) if rng.random() < 0.7 else value


def card(rng: random.Random) -> str:
    body = rng.choice("45") + "".join(rng.choice("0123456789") for _ in range(14))
    digits = body + luhn.calc_check_digit(body)
    sep = rng.choice([" ", "", "-"])
    return sep.join(digits[i : i + 4] for i in range(0, 16, 4))


LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"


def plate(rng: random.Random, b: Builder) -> None:
    b.add(rng.choice(["véhicule immatriculé ", "plaque ", "une voiture immatriculée ", "scooter "]))
    if rng.random() < 0.8:
        a = rng.choice(
            [x for x in (rng.choice(LETTERS) + rng.choice(LETTERS) for _ in range(5)) if x not in ("SS", "WW")]
        )
        z = rng.choice(LETTERS) + rng.choice(LETTERS)
        n = f"{rng.randint(1, 999):03d}"
        sep = rng.choice(["-", " ", ""])
        b.slot(f"{a}{sep}{n}{sep}{z}", "plate")
    else:
        b.slot(f"{rng.randint(1, 9999)} {rng.choice(LETTERS)}{rng.choice(LETTERS)} 13", "plate")


def dob(rng: random.Random, b: Builder) -> None:
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1950, 2008)
    style = rng.randrange(4)
    if style == 0:
        b.add(rng.choice(["né le ", "née le "])).slot(f"{d:02d}/{m:02d}/{y}", "date_of_birth")
    elif style == 1:
        b.add(rng.choice(["né le ", "née le "])).slot(f"{d} {MONTHS[m - 1]} {y}", "date_of_birth")
    elif style == 2:
        b.add("date de naissance : ").slot(f"{d:02d}.{m:02d}.{y}", "date_of_birth")
    else:
        b.add("DDN ").slot(f"{d:02d}/{m:02d}/{y}", "date_of_birth")


def home(rng: random.Random, b: Builder) -> None:
    b.add(rng.choice(["domicilié au ", "domiciliée au ", "demeurant ", "résidant au "]))
    b.slot(f"{rng.randint(1, 180)} {rng.choice(STREETS)}, 130{rng.randint(1, 16):02d} Marseille", "home_address")


def social(rng: random.Random, b: Builder) -> None:
    handle = f"{rng.choice(KNOWN_FIRST + OTHER_FIRST).lower()}_{rng.choice(SURNAMES).lower()}{rng.randint(1, 99)}"
    handle = handle.encode("ascii", "ignore").decode()
    style = rng.randrange(3)
    if style == 0:
        b.add("compte ").slot(f"@{handle}", "social_handle")
    elif style == 1:
        b.add("profil ").slot(f"https://www.facebook.com/{handle.replace('_', '.')}", "social_handle")
    else:
        b.add("sur Instagram ").slot(f"instagram.com/{handle}", "social_handle")


def ip(rng: random.Random) -> str:
    if rng.random() < 0.8:
        return ".".join(str(rng.randint(1, 254)) for _ in range(4))
    return f"2a01:cb1d:{rng.randint(0, 65535):x}:{rng.randint(0, 65535):x}::{rng.randint(1, 255):x}"


SENTENCES = [
    lambda r, b: (
        b.add("Déclarant : "),
        person(r, b),
        b.add(", joignable au "),
        b.slot(valid_phone(r), "phone"),
        b.add(". "),
    ),
    lambda r, b: (
        b.add("Contact organisateur "),
        person(r, b),
        b.add(" ("),
        b.slot(
            f"{r.choice(KNOWN_FIRST).lower()}.{r.choice(SURNAMES).lower()}@{r.choice(DOMAINS)}".encode(
                "ascii", "ignore"
            ).decode(),
            "email",
        ),
        b.add("). "),
    ),
    lambda r, b: (
        b.add("Interpellation de "),
        person(r, b),
        b.add(", "),
        dob(r, b),
        b.add(", "),
        home(r, b),
        b.add(". "),
    ),
    lambda r, b: (
        b.add("Signalé par "),
        person(r, b),
        b.add(" au "),
        b.slot(valid_phone(r), "phone"),
        b.add(" à 14h20. "),
    ),
    lambda r, b: (b.add("Numéro de sécurité sociale du plaignant : "), b.slot(nir(r), "nir"), b.add(". ")),
    lambda r, b: (
        b.add("Remboursement sur le compte "),
        b.slot(iban(r), "iban"),
        b.add(" de "),
        person(r, b),
        b.add(". "),
    ),
    lambda r, b: (b.add("Paiement refusé, carte "), b.slot(card(r), "card"), b.add(". ")),
    lambda r, b: (
        b.add("Stationnement gênant d'un "),
        plate(r, b),
        b.add(" devant le "),
        b.add(f"{r.randint(2, 120)} rue de Rome. "),
    ),
    lambda r, b: (b.add("Appel à manifester relayé par le "), social(r, b), b.add(". ")),
    lambda r, b: (b.add("Connexion suspecte depuis l'adresse "), b.slot(ip(r), "ip_address"), b.add(". ")),
    lambda r, b: (
        b.add("Responsable du service d'ordre : "),
        person(r, b),
        b.add(", tél. "),
        b.slot(valid_phone(r), "phone"),
        b.add(". "),
    ),
    lambda r, b: (b.add("Le riverain, "), person(r, b), b.add(", "), home(r, b), b.add(", se plaint du bruit. ")),
    lambda r, b: (b.add("Témoin : "), person(r, b), b.add(", "), dob(r, b), b.add(". ")),
    lambda r, b: (
        b.add("Copie à "),
        b.slot(
            f"{r.choice(SURNAMES).lower()}.{r.randint(10, 99)}@{r.choice(DOMAINS)}".encode("ascii", "ignore").decode(),
            "email",
        ),
        b.add(". "),
    ),
]


def clean_sentence(rng: random.Random, b: Builder) -> None:
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    choice = rng.randrange(12)
    if choice == 0:
        b.add(
            f"Départ {rng.choice(PLACES_AFTER_PEOPLE)} à {rng.randint(9, 18)}h{rng.choice(['', '30', '15'])}, "
            f"arrivée {rng.choice(PLACES_AFTER_PEOPLE)}. "
        )
    elif choice == 1:
        b.add(
            f"Le {day:02d}/{month:02d}/2026 de {rng.randint(8, 14)}h à {rng.randint(15, 20)}h30, "
            f"{rng.randint(2, 60) * 100} personnes attendues. "
        )
    elif choice == 2:
        b.add(
            f"Arrêté préfectoral n° 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 9999):04d} du {day} "
            f"{MONTHS[month - 1]} 2026. "
        )
    elif choice == 3:
        b.add(f"Présence de {rng.choice(FUNCTIONS)} et de {rng.choice(FUNCTIONS)}. ")
    elif choice == 4:
        b.add(f"Appel de {rng.choice(UNIONS)} et de {rng.choice(UNIONS)}, {rng.randint(2, 40)} véhicules déclarés. ")
    elif choice == 5:
        b.add(
            f"Rassemblement au {rng.randint(1, 150)} {rng.choice(PLACES_AFTER_PEOPLE)}, 130{rng.randint(1, 16):02d} "
            "Marseille. "
        )
    elif choice == 6:
        b.add(f"Dossier 13-2026-{rng.randint(10000, 99999)}, main courante {rng.randint(100000, 999999)}. ")
    elif choice == 7:
        b.add(
            f"Déviation des lignes {rng.randint(1, 99)} et {rng.randint(1, 99)} de la RTM entre "
            f"{rng.choice(PLACES)} et {rng.choice(PLACES)}. "
        )
    elif choice == 8:
        b.add(
            f"Dispersion prévue {rng.choice(PLACES_AFTER_PEOPLE)} vers {rng.randint(17, 19)}h45, "
            f"secteur {rng.randint(1, 8)}. "
        )
    elif choice == 9:
        b.add(
            f"Réunion de coordination le {day} {MONTHS[month - 1]} à {rng.randint(9, 17)}h en préfecture, "
            f"salle {rng.randint(1, 12)}. "
        )
    elif choice == 10:
        b.add(f"Hommage à Jean Jaurès devant la statue, {rng.randint(50, 500)} participants. ")
    else:
        b.add(f"Fermeture de {rng.choice(PLACES)} du n° {rng.randint(1, 60)} au n° {rng.randint(61, 140)}. ")


def build(n_pii: int = 520, n_clean: int = 520, seed: int = 2026) -> list[dict]:
    rng = random.Random(seed)
    records = []
    for i in range(n_pii):
        b = Builder()
        sentences = rng.sample(SENTENCES, k=rng.randint(2, 4))
        for j, sentence in enumerate(sentences):
            if rng.random() < 0.5:
                clean_sentence(rng, b)
            sentence(rng, b)
            if j == len(sentences) - 1 and rng.random() < 0.5:
                clean_sentence(rng, b)
        records.append({"id": f"pii-{i:04d}", "kind": "pii", "text": b.text.strip(), "spans": b.spans})
    for i in range(n_clean):
        b = Builder()
        for _ in range(rng.randint(2, 4)):
            clean_sentence(rng, b)
        records.append({"id": f"clean-{i:04d}", "kind": "clean", "text": b.text.strip(), "spans": []})
    rng.shuffle(records)
    return records


def main() -> None:
    records = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    spans = sum(len(r["spans"]) for r in records)
    print(f"{OUT}: {len(records)} records, {spans} personal-data spans")


if __name__ == "__main__":
    main()
