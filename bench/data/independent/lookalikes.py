"""Lookalike makers: things that resemble personal data but are not.

Every function returns a string that must NOT be labelled.
"""

from values import MONTHS, _digits, event_date

PERSON_STREETS = [
    "rue Jean Jaurès",
    "place Jean Jaurès",
    "boulevard Charles Nédelec",
    "avenue Robert Schuman",
    "cours Franklin Roosevelt",
    "quai Marcel Pagnol",
    "boulevard Jacques Saadé",
    "rue Henri Barbusse",
    "square Léon Blum",
    "place Charles de Gaulle",
    "rue Francis de Pressensé",
    "avenue Alexandre Dumas",
    "boulevard Jean Moulin",
    "rue Edmond Rostand",
    "avenue Jules Cantini",
    "place Gabriel Péri",
    "rue Colbert",
    "cours Belsunce",
    "place Félix Baret",
    "boulevard Camille Flammarion",
    "rue Jean-Baptiste Reboul",
    "allée Léon Gambetta",
    "boulevard Michelet",
    "place du Général de Gaulle",
    "avenue Pierre Mendès France",
    "rue Saint-Ferréol",
    "place Sadi Carnot",
    "boulevard Sakakini",
    "rue Émile Zola",
]
PLACES = [
    "Vieux-Port",
    "quai des Belges",
    "la Canebière",
    "Porte d'Aix",
    "place Castellane",
    "parvis de la gare Saint-Charles",
    "palais Longchamp",
    "cours Julien",
    "la Plaine",
    "esplanade du J4",
    "Mucem",
    "Orange Vélodrome",
    "parc Borély",
    "plage du Prado",
    "Joliette",
    "Noailles",
    "rond-point du Prado",
    "place de la Joliette",
    "Estaque",
    "Notre-Dame-de-la-Garde",
    "Hôtel de Ville",
    "palais du Pharo",
    "Dôme",
    "Friche Belle de Mai",
]
NAMED_SITES = [
    "lycée Thiers",
    "collège Edgar Quinet",
    "lycée Victor Hugo",
    "école Jules Ferry",
    "hôpital de la Timone",
    "Institut Paoli-Calmettes",
    "stade Pierre Delort",
    "gymnase Jean Bouin",
    "parc Henri Fabre",
    "bibliothèque de l'Alcazar",
    "centre social Frais Vallon",
    "collège Jean-Claude Izzo",
    "lycée Saint-Exupéry",
    "piscine Vallier",
    "stade Jean Bouin",
    "espace Julien",
    "salle Gaveau",
    "Fondation Abbé Pierre",
    "Maison Jean Vilar",
    "théâtre Silvain",
    "CHU Nord",
    "hôpital Édouard Toulouse",
    "école Marie Curie",
    "crèche Louise Michel",
]
COMMEMORATIONS = [
    "hommage à Jean Moulin",
    "commémoration Missak et Mélinée Manouchian",
    "cérémonie en mémoire de Lucie Aubrac",
    "journée Simone Veil",
    "dépôt de gerbe devant la stèle du Général de Gaulle",
    "lecture de textes de Victor Hugo",
    "anniversaire de la naissance de Marcel Pagnol",
    "hommage à Gaston Defferre",
    "commémoration de l'appel du 18 juin",
]
ORGS = [
    "CGT",
    "FO",
    "CFDT",
    "FSU 13",
    "SUD Éducation",
    "Solidaires 13",
    "UNEF",
    "Attac",
    "LDH",
    "Collectif du 5 novembre",
    "Alternatiba",
    "Extinction Rebellion",
    "Secours populaire",
    "Restos du Coeur",
    "Emmaüs",
    "Croix-Rouge",
    "CIQ Saint-Barnabé",
    "RTM",
    "Métropole Aix-Marseille-Provence",
    "SNCF",
    "ENEDIS",
    "GRDF",
    "BMPM",
    "DDSP 13",
    "DOPC",
    "CSU",
    "SGAMI Sud",
    "SDIS 13",
    "Union locale CGT Nord",
    "Amicale des locataires",
    "association Les Amis du Panier",
    "Collectif Gilets jaunes 13",
    "intersyndicale",
    "Assemblée des quartiers",
    "Comité des fêtes de Mazargues",
    "SOS Méditerranée",
]
CAPS = [
    "RAS",
    "URGENT",
    "NB",
    "PJ",
    "RDV",
    "BAC",
    "CRS",
    "GMR",
    "TPH",
    "ATTENTION",
    "CONFIDENTIEL",
    "VL",
    "PL",
    "VSAV",
    "SAMU",
    "IMPORTANT",
    "A TRAITER",
    "OK",
    "FIN",
]
WORDS = [
    "le boulanger de la place",
    "un marchand de journaux",
    "un petit groupe",
    "drapeau blanc",
    "un jeune aux cheveux roux",
    "vent fort",
    "bonnets rouges",
    "un berger allemand",
    "la boucherie du coin",
    "l'huile d'olive",
    "le vin rosé",
    "un chien noir",
    "un temps sauvage",
    "bonnet noir",
    "le Petit Marseillais",
    "la marchande de fleurs",
    "brun foncé",
    "un meunier",
    "Fort Saint-Jean",
]
TITLES = [
    "Marius et Jeanne",
    "La Haine",
    "Le Château de ma mère",
    "Taxi",
    "Borsalino",
    "French Connection",
    "Marius et Fanny",
    "La Gloire de mon père",
    "Bella ciao",
    "Le Chant des partisans",
    "La Marseillaise",
    "On lâche rien",
    "Je danse le Mia",
    "Bande organisée",
    "Le Comte de Monte-Cristo",
    "Plus belle la vie",
]
BRANDS = [
    "Renault Kangoo",
    "Peugeot Partner",
    "Citroën Jumpy",
    "Decathlon",
    "Carrefour",
    "Orange",
    "SFR",
    "Free",
    "Bouygues",
    "Google Maps",
    "Waze",
    "Motorola TPH700",
    "Samsung Galaxy",
    "iPhone 15",
    "WhatsApp",
    "Signal",
    "Uber Eats",
    "Deliveroo",
]


def arrete_no(rng):
    y = rng.choice([2025, 2026, 2026])
    return rng.choice(
        [
            f"arrêté n° {y}/{rng.randint(100, 9999):04d}/DGAVE",
            f"AP n° 13-{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}-{rng.randint(1, 999):05d}",
            f"arrêté T{y}-{rng.randint(100, 3999)}",
            f"arrêté municipal n°{y}_{rng.randint(1000, 9999)}_VDM",
        ]
    )


def pv_no(rng):
    y = rng.choice([2025, 2026])
    return rng.choice(
        [
            f"PV n° {y}/{_digits(rng, 6)}",
            f"procédure {y}/{_digits(rng, 6)}",
            f"MC n° {y}/{_digits(rng, 4)}",
            f"n° PV {_digits(rng, 5)}/{y}/SD",
            f"P.V. {_digits(rng, 3)}-{y}",
        ]
    )


def ticket(rng):
    return rng.choice(
        [
            f"ticket INC{_digits(rng, 7)}",
            f"GLPI #{_digits(rng, 5)}",
            f"réf. DEM-{rng.choice([2025, 2026])}-{_digits(rng, 4)}",
            f"dossier {rng.choice([2025, 2026])}-MAN-{_digits(rng, 4)}",
            f"demande n° {_digits(rng, 8)}",
            f"bon n° {_digits(rng, 6)}",
        ]
    )


def siret(rng):
    while True:
        d = rng.choice(["8", "7", "4", "5", "3"]) + _digits(rng, 13)
        tot = sum(
            (int(c) * 2 - 9 if int(c) * 2 > 9 else int(c) * 2) if i % 2 else int(c) for i, c in enumerate(reversed(d))
        )
        if tot % 10 == 0:
            break
    return rng.choice(
        [
            f"SIRET {d[:3]} {d[3:6]} {d[6:9]} {d[9:]}",
            f"SIRET : {d}",
            f"siret {d[:9]} {d[9:]}",
            f"SIREN {d[:3]} {d[3:6]} {d[6:9]}",
        ]
    )


def rna(rng):
    return f"RNA W13{_digits(rng, 7)}"


def insee(rng):
    return rng.choice(
        [
            f"code INSEE 13{rng.choice(['055', '201', '204', '207', '211', '215', '216'])}",
            f"INSEE {rng.randint(13201, 13216)}",
            f"code postal 13{rng.randint(1, 16):03d}",
        ]
    )


def gps(rng):
    la, lo = 43.28 + rng.random() * 0.08, 5.34 + rng.random() * 0.1
    return rng.choice(
        [
            f"{la:.5f}, {lo:.5f}",
            f"GPS {la:.4f} / {lo:.4f}",
            f"lat {la:.6f} long {lo:.6f}",
            f"43°{rng.randint(10, 20)}'{rng.randint(10, 59)}\"N 5°{rng.randint(20, 30)}'{rng.randint(10, 59)}\"E",
        ]
    )


def version(rng):
    return rng.choice(
        [
            f"v{rng.randint(1, 5)}.{rng.randint(0, 9)}.{rng.randint(0, 12)}.{rng.randint(0, 9)}",
            f"version {rng.randint(2, 12)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
            f"build {rng.choice([2025, 2026])}.{rng.randint(1, 12)}.{rng.randint(1, 28)}",
            f"firmware {rng.randint(1, 3)}.{rng.randint(10, 40)}.{rng.randint(100, 999)}",
            f"art. {rng.randint(1, 4)}.{rng.randint(1, 9)}.{rng.randint(1, 9)}.{rng.randint(1, 9)}",
        ]
    )


def transit(rng):
    return rng.choice(
        [
            f"ligne {rng.choice([83, 49, 21, 54, 72, 19, 41, 35, 9, 12, 91])}",
            f"bus B{rng.randint(1, 3)}",
            rng.choice(["métro M1", "métro M2"])
            + " arrêt "
            + rng.choice(["Castellane", "Noailles", "Joliette", "Réformés", "Bougainville", "Rond-Point du Prado"]),
            f"tram T{rng.randint(1, 3)}",
            f"navette {rng.choice(['Frioul', 'Estaque', 'Pointe-Rouge'])}",
        ]
    )


def count(rng):
    n = rng.choice([30, 50, 80, 120, 150, 200, 300, 500, 800, 1200, 2500])
    return rng.choice(
        [
            f"environ {n} personnes",
            f"entre {n} et {n * 2} participants",
            f"{rng.randint(2, 20)} véhicules",
            f"{rng.randint(1, 6)} sections de CRS",
            f"{n} manifestants selon la police",
            f"{rng.randint(2, 40)} agents",
        ]
    )


def amount(rng):
    return rng.choice(
        [
            f"{rng.randint(1, 9)} {rng.randint(0, 999):03d},00 €",
            f"{rng.randint(11, 400)} €",
            f"{rng.randint(20, 300)} euros",
            f"{rng.randint(1, 99)},{rng.randint(0, 99):02d} EUR",
        ]
    )


def hour(rng):
    h, m = rng.randint(6, 23), rng.choice([0, 0, 15, 30, 45])
    return rng.choice([f"{h}h{m:02d}" if m else f"{h}h", f"{h:02d}:{m:02d}", f"{h}h{m:02d}", f"{h:02d}H{m:02d}"])


def slot(rng):
    h = rng.randint(6, 21)
    return rng.choice(
        [f"de {h}h à {h + 2}h", f"{h}h-{h + 3}h", f"H-{rng.randint(1, 3)}", f"à partir de {h}h30", hour(rng)]
    )


def room(rng):
    return rng.choice(
        [
            f"salle {rng.randint(100, 450)}",
            f"salle {rng.choice(['Mistral', 'Calanques', 'Frioul', 'Sainte-Victoire'])}",
            f"bureau {rng.randint(1, 5)}.{rng.randint(1, 30):02d}",
            f"porte {rng.randint(1, 9)}{rng.choice('ABC')}",
        ]
    )


def radio(rng):
    return rng.choice(
        [
            f"canal {rng.randint(1, 16)}",
            f"TPH conf {rng.randint(1, 9)}",
            f"Acropol canal {rng.randint(1, 12)}",
            f"indicatif TV {rng.randint(10, 99)}",
            f"conférence {rng.choice(['DOPC', 'OPS', 'SIC'])} {rng.randint(1, 5)}",
        ]
    )


def fake_birth(rng):
    return rng.choice(
        [
            f"Mouvement né le {event_date(rng)}",
            f"collectif né en {rng.randint(2015, 2024)}",
            f"association créée le {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(1980, 2020)}",
            "mouvement né le 17/11/2018",
            f"arrêté du {event_date(rng)}",
            f"échéance au {event_date(rng)}",
        ]
    )


def place_address(rng):
    """Address of an event / public place / shop / institution (not a home)."""
    n = rng.randint(1, 120)
    return rng.choice(
        [
            f"devant le {n} {rng.choice(PERSON_STREETS)} (siège de l'{rng.choice(['UD CGT', 'association', 'agence RTM'])})",
            f"boulangerie au {n} rue d'Aubagne",
            f"au droit du {n} boulevard Baille (chantier)",
            f"mairie de secteur, {n} {rng.choice(PERSON_STREETS)}",
            f"{rng.choice(PLACES)}",
            f"Préfecture, {rng.choice(['place Félix Baret', 'boulevard Paul Peytral'])}",
            f"commerce situé {n} {rng.choice(PERSON_STREETS)}, 13001",
            f"{rng.choice(NAMED_SITES)}",
        ]
    )


def lk(rng, n=3):
    """n assorted lookalike snippets."""
    makers = [
        arrete_no,
        pv_no,
        ticket,
        siret,
        rna,
        insee,
        gps,
        version,
        transit,
        count,
        amount,
        hour,
        slot,
        room,
        radio,
        fake_birth,
        place_address,
        event_date,
        lambda r: r.choice(PERSON_STREETS),
        lambda r: r.choice(NAMED_SITES),
        lambda r: r.choice(COMMEMORATIONS),
        lambda r: r.choice(ORGS),
        lambda r: r.choice(CAPS),
        lambda r: r.choice(WORDS),
        lambda r: r.choice(TITLES),
        lambda r: r.choice(BRANDS),
        lambda r: r.choice(["17", "112", "3919", "le 15", "115", "18"]),
    ]
    return [rng.choice(makers)(rng) for _ in range(n)]


def hashtag(rng):
    return rng.choice(
        [
            "#manif13",
            "#Marseille",
            "#greve",
            "#JO2024",
            "#retraites",
            "#OM",
            "#Canebière",
            "#stopviolences",
            "@ 14h au Vieux-Port",
            "#noussommestous",
        ]
    )


ASSOS = [
    "CGT",
    "FO",
    "CFDT",
    "FSU 13",
    "SUD Éducation",
    "Solidaires 13",
    "UNEF",
    "Attac",
    "LDH",
    "Collectif du 5 novembre",
    "Alternatiba",
    "Extinction Rebellion",
    "Secours populaire",
    "CIQ Saint-Barnabé",
    "Union locale CGT Nord",
    "Amicale des locataires",
    "intersyndicale",
    "association Les Amis du Panier",
    "Collectif Gilets jaunes 13",
    "Assemblée des quartiers",
    "Comité des fêtes de Mazargues",
    "Collectif Soutien Migrants 13",
    "Marseille en commun(s)",
]


def crowd(rng):
    n = rng.choice([30, 50, 80, 120, 150, 200, 300, 500, 800, 1200, 2500, 4000])
    return rng.choice(
        [
            f"environ {n} personnes",
            f"entre {n} et {n * 2} participants",
            f"{n} manifestants selon la police",
            f"{n} pers.",
            f"{n} à {n + 100} personnes",
        ]
    )
