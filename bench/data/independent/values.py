"""Value makers for the PII corpus (standard library only)."""

import string

from names import first, surname

_ACC = str.maketrans("éèêëàâäîïôöùûüçÉÈÊËÀÂÄÎÏÔÖÙÛÜÇ", "eeeeaaaiioouuucEEEEAAAIIOOUUUC")


def noaccent(s):
    return s.translate(_ACC)


# ---------------------------------------------------------------- phones


def _digits(rng, n):
    return "".join(rng.choice(string.digits) for _ in range(n))


def _fmt10(rng, d):
    p = [d[i : i + 2] for i in range(0, 10, 2)]
    k = rng.choice(["sp", "sp", "sp", "none", "dot", "dash", "p33", "p33o", "0033", "p33c", "irr", "slash"])
    if k == "sp":
        return " ".join(p)
    if k == "none":
        return d
    if k == "dot":
        return ".".join(p)
    if k == "dash":
        return "-".join(p)
    if k == "slash":
        return "/".join(p)
    if k == "irr":
        return rng.choice(
            [
                f"{d[:3]} {d[3:6]} {d[6:8]} {d[8:]}",
                f"{d[:4]} {d[4:7]} {d[7:]}",
                f"{d[:2]} {d[2:6]} {d[6:]}",
                f"{d[0]} {d[1]} {' '.join(p[1:])}",
            ]
        )
    rest = " ".join([d[1]] + p[1:])
    if k == "p33":
        return "+33 " + rest
    if k == "p33o":
        return "+33 (0)" + rest
    if k == "0033":
        return "0033 " + rest
    return "+33" + d[1] + " " + " ".join(p[1:])


def phone(rng, kind=None):
    kind = kind or rng.choice(["mob"] * 6 + ["fixe"] * 2 + ["dom", "intl"])
    if kind == "mob":
        return _fmt10(rng, "0" + rng.choice("667") + _digits(rng, 8))
    if kind == "fixe":
        return _fmt10(rng, "04" + rng.choice(["91", "91", "96", "86", "88", "42", "13", "84"]) + _digits(rng, 6))
    if kind == "dom":
        pre = rng.choice(["0590", "0594", "0596", "0262", "0269", "0639", "0690", "0692", "0694", "0696"])
        d = pre + _digits(rng, 6)
        if rng.random() < 0.3:
            cc = {"059": "+590", "069": "+596", "026": "+262", "063": "+262"}.get(pre[:3], "+594")
            return f"{cc} {d[1:4]} {d[4:6]} {d[6:8]} {d[8:]}"
        return _fmt10(rng, d)
    c = rng.choice(["212", "213", "262", "44", "32", "39", "269", "216", "221", "40", "374"])
    f = {
        "212": lambda: f"+212 6{_digits(rng, 2)}-{_digits(rng, 6)}",
        "213": lambda: f"+213 5 {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
        "262": lambda: f"+262 692 {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
        "44": lambda: f"+44 7700 {_digits(rng, 6)}",
        "32": lambda: f"+32 4{_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
        "39": lambda: f"+39 3{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 4)}",
        "269": lambda: f"+269 3{_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
        "216": lambda: f"00216 {_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}",
        "221": lambda: f"+221 77 {_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}",
        "40": lambda: f"+40 7{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}",
        "374": lambda: f"+374 {_digits(rng, 2)} {_digits(rng, 6)}",
    }[c]
    return f()


TEL = [
    "tél. ",
    "tel ",
    "Tél : ",
    "tel: ",
    "port. ",
    "mob. ",
    "Portable : ",
    "GSM ",
    "Tél.",
    "joignable au ",
    "n° ",
    "TEL ",
    "port ",
    "mob: ",
    "☎ ",
]

# ---------------------------------------------------------------- e-mails

DOMAINS = [
    "gmail.com",
    "gmail.com",
    "hotmail.fr",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "yahoo.fr",
    "outlook.fr",
    "sfr.fr",
    "wanadoo.fr",
    "icloud.com",
    "protonmail.com",
    "live.fr",
    "neuf.fr",
]


def _ascii(s):
    return noaccent(s).lower().replace(" ", "").replace("'", "").replace("-", "")


def email(rng, fn=None, ln=None, obf=None):
    fn = _ascii(fn or first(rng))
    ln = _ascii(ln or surname(rng))
    loc = rng.choice(
        [
            f"{fn}.{ln}",
            f"{fn[0]}{ln}",
            f"{fn}_{ln}{rng.randint(1, 99)}",
            f"{fn}.{ln[0]}",
            f"{ln}.{fn}",
            f"{fn}{rng.randint(60, 2009)}",
            f"{ln}{fn[0]}13",
        ]
    )
    dom = rng.choice(DOMAINS)
    if obf is None:
        obf = rng.random() < 0.2
    if not obf:
        return f"{loc}@{dom}"
    host, tld = dom.rsplit(".", 1)
    return rng.choice(
        [
            f"{loc} (at) {dom}",
            f"{loc} [at] {host} [dot] {tld}",
            f"{loc} arobase {host} point {tld}",
            f"{loc} at {host} dot {tld}",
            f"{loc}(a){dom}",
            f"{loc} @ {host} . {tld}",
        ]
    )


# ---------------------------------------------------------------- NIR / IBAN / cards


def nir(rng, sex=None, year=None, month=None, spaced=None, key=None):
    sx = {"M": "1", "F": "2"}.get(sex, rng.choice("12"))
    yy = f"{(year or rng.randint(1945, 2006)) % 100:02d}"
    mm = f"{month or rng.randint(1, 12):02d}"
    r = rng.random()
    if r < 0.1:
        dep, com = rng.choice(["2A", "2B"]), f"{rng.randint(1, 360):03d}"
    elif r < 0.2:
        dep, com = rng.choice(["971", "972", "973", "974", "976"]), f"{rng.randint(1, 30):02d}"
    elif r < 0.3:
        dep, com = "99", f"{rng.choice([350, 352, 351, 134, 139, 109, 127]):03d}"
    else:
        dep = rng.choice(["13"] * 5 + ["75", "83", "84", "06", "30", "69", "59", "93"])
        com = f"{rng.choice([55, 201, 205, 210, 213, 215, 1, 4, 103, 117]):03d}"
    order = f"{rng.randint(1, 999):03d}"
    body = sx + yy + mm + dep + com + order
    num = int(body.replace("2A", "19").replace("2B", "18"))
    k = 97 - num % 97
    if rng.random() < 0.07:
        k = (k + rng.randint(1, 90)) % 97 + 1
    ks = f"{k:02d}"
    key = rng.random() > 0.1 if key is None else key
    spaced = rng.random() < 0.6 if spaced is None else spaced
    if spaced:
        parts = [sx, yy, mm, dep, com, order]
        s = " ".join(parts) if len(dep) == 2 else f"{sx} {yy} {mm} {dep}{com} {order}"
        return s + (f" {ks}" if key else "")
    return body + (ks if key else "")


def _mod97(s):
    n = "".join(str(int(c, 36)) for c in s)
    return int(n) % 97


def rib_key(bank, branch, account):
    return 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97


def _iban(cc, bban):
    return cc + f"{98 - _mod97(bban + cc + '00'):02d}" + bban


def iban(rng, cc=None, grouped=None):
    cc = cc or rng.choice(["FR"] * 6 + ["DE", "ES", "IT", "BE", "PT", "GB", "MA", "TN", "LU"])
    D = lambda n: _digits(rng, n)
    if cc == "FR":
        bk, br, ac = (
            rng.choice(["30004", "30003", "10278", "11315", "20041", "13825", "30066", "16275", "12506"]),
            D(5),
            D(11),
        )
        bban = bk + br + ac + f"{rib_key(bk, br, ac):02d}"
    else:
        bban = {
            "DE": lambda: D(18),
            "ES": lambda: D(20),
            "BE": lambda: D(12),
            "IT": lambda: rng.choice("ABCXYZ") + D(22),
            "PT": lambda: D(21),
            "GB": lambda: rng.choice(["NWBK", "BARC", "LOYD"]) + D(14),
            "MA": lambda: D(24),
            "TN": lambda: D(20),
            "LU": lambda: D(16),
        }[cc]()
    s = _iban(cc, bban)
    if rng.random() < 0.06:
        s = s[:2] + f"{(int(s[2:4]) + 3) % 97 + 2:02d}" + s[4:]
    grouped = rng.random() < 0.65 if grouped is None else grouped
    if grouped:
        s = " ".join(s[i : i + 4] for i in range(0, len(s), 4))
    return s.lower() if rng.random() < 0.04 else s


def rib(rng):
    bk, br, ac = rng.choice(["30004", "30002", "10207", "11315", "20041", "13507"]), _digits(rng, 5), _digits(rng, 11)
    k = f"{rib_key(bk, br, ac):02d}"
    sep = rng.choice([" ", " ", "-", "", " / "])
    return sep.join([bk, br, ac, k])


def luhn_ok(d):
    tot = 0
    for i, c in enumerate(reversed(d)):
        x = int(c) * (2 if i % 2 else 1)
        tot += x - 9 if x > 9 else x
    return tot % 10 == 0


def card(rng):
    kind = rng.choice(["visa"] * 4 + ["mc"] * 3 + ["amex"])
    if kind == "amex":
        body = rng.choice(["34", "37"]) + _digits(rng, 12)
    elif kind == "mc":
        body = rng.choice(["51", "53", "55", "2221"]) + ""
        body += _digits(rng, 15 - len(body))
    else:
        body = "4" + _digits(rng, 14)
    ck = next(str(c) for c in range(10) if luhn_ok(body + str(c)))
    if rng.random() < 0.05:
        ck = str((int(ck) + 5) % 10)
    d = body + ck
    sep = rng.choice([" ", " ", "-", "", "."])
    if len(d) == 15:
        return sep.join([d[:4], d[4:10], d[10:]]) if sep else d
    return sep.join(d[i : i + 4] for i in range(0, 16, 4))


# ---------------------------------------------------------------- plates

_PL = "ABCDEFGHJKLMNPQRSTVWXYZ"


def plate(rng):
    if rng.random() < 0.78:
        a = rng.choice(_PL) + rng.choice(_PL)
        c = rng.choice(_PL) + rng.choice(_PL)
        n = f"{rng.randint(1, 999):03d}"
        sep = rng.choice(["-", "-", "-", " ", ""])
        s = f"{a}{sep}{n}{sep}{c}"
        return s.lower() if rng.random() < 0.15 else s
    dep = rng.choice(["13", "13", "13", "83", "84", "04", "06", "2A", "75"])
    let = "".join(rng.choice(_PL) for _ in range(rng.choice([2, 2, 3])))
    num = str(rng.randint(1, 9999 if len(let) == 2 else 999))
    sep = rng.choice([" ", " ", "", "-"])
    return f"{num}{sep}{let}{sep}{dep}"


CARS = [
    "Renault Clio",
    "Peugeot 208",
    "Citroën C3",
    "VW Golf",
    "Fiat 500",
    "Dacia Sandero",
    "Peugeot 3008",
    "Renault Kangoo",
    "Toyota Yaris",
    "scooter Yamaha T-Max",
    "Mercedes Classe A",
    "BMW Série 1",
    "Ford Fiesta",
    "Citroën Berlingo",
    "Renault Master",
    "Peugeot Partner",
    "moto Kawasaki Z900",
    "Seat Ibiza",
]
COLORS = ["blanche", "noire", "grise", "bleue", "rouge", "gris foncé", "blanc", "noir"]

# ---------------------------------------------------------------- dates of birth

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


def dob(rng, year=None, month=None):
    """Return (string, year, month)."""
    y = year or rng.randint(1938, 2009)
    m = month or rng.randint(1, 12)
    d = rng.randint(1, 28)
    k = rng.choice(["slash"] * 4 + ["slash2", "dot", "dash", "long", "long", "iso", "LONG", "nopad", "dot2"])
    s = {
        "slash": f"{d:02d}/{m:02d}/{y}",
        "slash2": f"{d:02d}/{m:02d}/{y % 100:02d}",
        "dot": f"{d:02d}.{m:02d}.{y}",
        "dash": f"{d:02d}-{m:02d}-{y}",
        "long": f"{'1er' if d == 1 else d} {MONTHS[m - 1]} {y}",
        "iso": f"{y}-{m:02d}-{d:02d}",
        "LONG": f"{d} {MONTHS[m - 1].upper()} {y}",
        "nopad": f"{d}/{m}/{y % 100:02d}",
        "dot2": f"{d:02d}.{m:02d}.{y % 100:02d}",
    }[k]
    return s, y, m


def event_date(rng):
    """A non-birth date (event, deadline), as a lookalike."""
    d, m = rng.randint(1, 28), rng.randint(1, 12)
    y = rng.choice([2025, 2026, 2026, 2027])
    return rng.choice(
        [
            f"{d:02d}/{m:02d}/{y}",
            f"{d} {MONTHS[m - 1]} {y}",
            f"{rng.choice(['samedi', 'dimanche', 'mardi', 'jeudi'])} {d} {MONTHS[m - 1]}",
            f"{d:02d}.{m:02d}.{y % 100}",
            f"{y}-{m:02d}-{d:02d}",
        ]
    )


# ---------------------------------------------------------------- addresses

STREETS = [
    "rue Paradis",
    "rue de Rome",
    "boulevard Baille",
    "avenue du Prado",
    "rue Sainte",
    "boulevard Longchamp",
    "rue d'Aubagne",
    "boulevard National",
    "rue Breteuil",
    "avenue de la Capelette",
    "chemin du Roucas Blanc",
    "boulevard Michelet",
    "boulevard Chave",
    "rue Consolat",
    "rue Curiol",
    "traverse de la Martine",
    "chemin de Château-Gombert",
    "avenue de Saint-Barnabé",
    "boulevard de la Blancarde",
    "rue Jean Mermoz",
    "avenue Jules Cantini",
    "boulevard Rabatau",
    "rue Edmond Rostand",
    "rue Sylvabelle",
    "boulevard Jean Moulin",
    "avenue Roger Salengro",
    "rue Loubon",
    "rue Léon Bourgeois",
    "boulevard Camille Flammarion",
    "rue Jobin",
    "avenue de la Rose",
    "boulevard de Plombières",
    "chemin de la Madrague-Ville",
    "rue Abbé de l'Épée",
    "boulevard Mireille Lauze",
    "traverse des Caillols",
    "chemin des Bessons",
    "impasse des Mûriers",
    "allée des Pins",
    "rue Marx Dormoy",
    "rue Félix Pyat",
    "avenue Fernandel",
    "boulevard Henri Barnier",
    "chemin du Littoral",
    "rue d'Isly",
    "boulevard de la Valbarelle",
    "rue du Docteur Escat",
    "rue Nationale",
    "rue Horace Bertin",
]
ABBR = {
    "rue": ["r.", "rue", "RUE"],
    "boulevard": ["bd", "bd.", "Bd", "boulevard", "BLD"],
    "avenue": ["av.", "avenue", "Av", "AV."],
    "chemin": ["ch.", "chemin", "chem."],
    "traverse": ["trav.", "traverse"],
    "impasse": ["imp.", "impasse"],
    "allée": ["allée", "all."],
}
RESID = [
    "Résidence Les Lauriers",
    "Rés. Le Mistral",
    "résidence Les Oliviers",
    "Cité Font-Vert",
    "Les Jardins de Sormiou",
    "Résidence Le Parc Corot",
    "Parc Kalliste",
    "Le Clos des Pins",
    "Cité des Néréides",
    "Rés. Bel Ombre",
]
CITIES = [
    ("13001", "Marseille"),
    ("13002", "Marseille"),
    ("13003", "Marseille"),
    ("13004", "Marseille"),
    ("13005", "Marseille"),
    ("13006", "Marseille"),
    ("13007", "Marseille"),
    ("13008", "Marseille"),
    ("13009", "Marseille"),
    ("13010", "Marseille"),
    ("13011", "Marseille"),
    ("13012", "Marseille"),
    ("13013", "Marseille"),
    ("13014", "Marseille"),
    ("13015", "Marseille"),
    ("13016", "Marseille"),
    ("13400", "Aubagne"),
    ("13600", "La Ciotat"),
    ("13127", "Vitrolles"),
    ("13190", "Allauch"),
    ("13380", "Plan-de-Cuques"),
    ("13240", "Septèmes-les-Vallons"),
    ("13100", "Aix-en-Provence"),
]


def street(rng, abbr=True):
    s = rng.choice(STREETS)
    t, rest = s.split(" ", 1)
    if abbr and rng.random() < 0.4:
        t = rng.choice(ABBR.get(t, [t]))
    return f"{t} {rest}"


def home_address(rng, city=None):
    num = str(rng.randint(1, 240)) + rng.choice([""] * 6 + [" bis", " ter", "B", " bis"])
    core = f"{num}{rng.choice([' ', ', ', ' '])}{street(rng)}"
    r = rng.random()
    if r < 0.18:
        core = f"{rng.choice(RESID)}, bât. {rng.choice('ABCDEFG')}, {core}"
    elif r < 0.28:
        core = f"{core}, {rng.choice(RESID)} bât {rng.choice('ABCDE')}{rng.randint(1, 9)}"
    elif r < 0.36:
        core = f"{core}, {rng.randint(1, 9)}e étage"
    city = rng.random() < 0.65 if city is None else city
    if city:
        pc, c = rng.choice(CITIES)
        if rng.random() < 0.2:
            c = c.upper()
        core += rng.choice([f" {pc} {c}", f", {pc} {c}", f" - {pc} {c}", f" {pc}"])
    return core


# ---------------------------------------------------------------- handles / IP


def handle(rng, fn=None, ln=None):
    """Return (platform label, handle or profile URL)."""
    fn, ln = _ascii(fn or first(rng)), _ascii(ln or surname(rng))
    base = rng.choice(
        [
            f"{fn}_{ln}",
            f"{fn}.mrs",
            f"{fn}{rng.randint(1, 99)}_13",
            f"{ln}.{fn[0]}",
            f"le_{fn}_du13",
            f"{fn}{ln[:3]}",
            f"{fn}.off",
        ]
    )
    k = rng.choice(["at", "at", "ig", "fb", "x", "tt", "snap", "url"])
    if k == "at":
        return rng.choice(["compte ", "pseudo ", "sur X ", "insta ", "compte TikTok "]), "@" + base
    if k == "ig":
        return "profil ", rng.choice(["instagram.com/", "https://www.instagram.com/"]) + base
    if k == "fb":
        return "page FB ", f"https://www.facebook.com/{fn}.{ln}.{rng.randint(1, 999)}"
    if k == "x":
        return "compte X ", rng.choice(["https://x.com/", "twitter.com/"]) + base
    if k == "tt":
        return "TikTok ", "tiktok.com/@" + base
    if k == "snap":
        return "snap : ", base
    return "lien ", f"https://www.instagram.com/{base}/"


def ipv4(rng):
    a = rng.choice([82, 90, 86, 109, 176, 92, 78, 37, 88, 193, 212, 10, 192])
    if a == 192:
        return f"192.168.{rng.randint(0, 5)}.{rng.randint(2, 254)}"
    return f"{a}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ipv6(rng):
    h = lambda: f"{rng.randint(0, 0xFFFF):x}"
    pre = rng.choice(["2a01:cb1c", "2a01:e0a", "2001:861", "2a02:8428", "2a04:cec0"])
    if rng.random() < 0.5:
        return f"{pre}:{h()}:{h()}::{h()}"
    return ":".join([pre] + [h() for _ in range(6 - pre.count(":"))] + [h()])


def ip(rng):
    return ipv6(rng) if rng.random() < 0.25 else ipv4(rng)
