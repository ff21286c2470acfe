"""Families A: police operational writing (interpellations, main courante, CRS...)."""

from common import (
    CARS,
    COLORS,
    Builder,
    P,
    add_agent,
    add_name,
    add_phone,
    dob,
    event_date,
    first,
    home_address,
    maybe,
    name,
    nir,
    phone,
    pick,
    plate,
    style,
)
from lookalikes import (
    NAMED_SITES,
    ORGS,
    PERSON_STREETS,
    PLACES,
    WORDS,
    arrete_no,
    count,
    gps,
    hashtag,
    hour,
    pv_no,
    radio,
    slot,
    transit,
    version,
)

UNITS = [
    "BAC Nord",
    "BAC Sud",
    "BST 3e",
    "TV 21",
    "PS Noailles",
    "CSP Nord",
    "UPS 13",
    "BMU",
    "CDI 13",
    "BTM",
    "section CRS 54",
    "GSO",
]
FACTS = [
    "vol à l'arraché",
    "dégradation de mobilier urbain",
    "refus d'obtempérer",
    "port d'arme prohibée",
    "outrage à agent",
    "vol à l'étalage",
    "rodéo urbain",
    "usage de stupéfiants",
    "violences volontaires",
    "recel",
    "vente à la sauvette",
]
NOT_DOB = [
    "âgé d'environ 30 ans",
    "majeur",
    "mineur de 16 ans",
    "se disant majeur",
    "âge inconnu",
    "âgée de 42 ans",
    "né en Algérie selon ses dires",
]


def cr_interpellation(rng, pii):
    b = Builder(rng, 0.02)
    b.t(
        pick(
            rng, "CR INTERPELLATION - ", "Compte rendu d'interpellation\n", "OBJET : interpellation. ", "C/R interpel. "
        ),
        f"{event_date(rng)} {slot(rng)}. ",
    )
    b.t(pick(rng, "L'équipage ", "Patrouille ", "La ", ""), rng.choice(UNITS), " ")
    b.t(pick(rng, "procède à l'interpellation de ", "interpelle ", "contrôle puis interpelle "))
    if pii and P(rng, 0.85):
        sx = add_name(b, rng, civil=0.5)
    else:
        sx = "M"
        b.t(pick(rng, "un individu", "un mineur", "deux individus", "une femme majeure"))
    if pii and P(rng, 0.6):
        b.t(pick(rng, ", né le ", " (DN ", ", ddn : ", ", né(e) le ", " - DN: "))
        b.s(dob(rng)[0], "date_of_birth")
    else:
        b.t(", ", rng.choice(NOT_DOB))
    if pii and P(rng, 0.12):
        b.t(pick(rng, ", NIR ", ", n° SS ", ", sécu : ")).s(nir(rng), "nir")
    if pii and P(rng, 0.45):
        b.t(pick(rng, ", demeurant ", ", domicilié ", ", dmt ", ", adresse déclarée : "))
        b.s(home_address(rng), "home_address")
    else:
        b.t(pick(rng, ", SDF", ", sans domicile connu", ", hébergé au foyer Forbin", ""))
    b.t(
        f". Faits : {rng.choice(FACTS)} ",
        pick(rng, "sur ", "à hauteur de ", "vers "),
        rng.choice(PLACES + PERSON_STREETS),
        ". ",
    )
    if P(rng, 0.5):
        b.t(f"Individu circulant à bord d'un{maybe(rng, 0.5, 'e')} {rng.choice(CARS)} {rng.choice(COLORS)} ")
        if pii:
            b.t(pick(rng, "immatriculé ", "immat. ", "plaque ")).s(plate(rng), "plate")
        else:
            b.t(pick(rng, "sans plaques", "immatriculation illisible", "(fausses plaques, en cours)"))
        b.t(". ")
    if pii and P(rng, 0.35):
        b.t(pick(rng, "Famille avisée ", "Mère prévenue ", "Avis à l'épouse "))
        add_phone(b, rng, True)
        b.t(". ")
    b.t(
        pick(rng, "Conduit ", "Transporté ", "Présenté à l'OPJ "),
        pick(
            rng, "au commissariat de Noailles", "au CSP Nord", "à l'Hôtel de police (Evêché)", "au commissariat du 8e"
        ),
        f", {pv_no(rng)}. ",
    )
    if P(rng, 0.4):
        b.t(pick(rng, "Avis OPJ : ", "CR fait à : ", "Info transmise - "))
        add_agent(b, rng, pii and P(rng, 0.5))
        b.t(". ")
    b.t(pick(rng, "RAS par ailleurs.", "Fin de rapport.", f"Canal utilisé : {radio(rng)}.", ""))
    return b.done("cr_interpellation", style(rng))


def main_courante(rng, pii):
    b = Builder(rng, 0.03)
    b.t(
        pick(rng, "MAIN COURANTE n° ", "MC ", "Main courante - réf. "),
        f"{rng.randint(2025, 2026)}/{rng.randint(1, 9999):04d} - {slot(rng)}\n",
    )
    frame = rng.randrange(3)
    if frame == 0:
        b.t(pick(rng, "Se présente ", "Se présente au poste ", "Vient déclarer "))
        if pii:
            add_name(b, rng, civil=0.7)
        else:
            b.t(pick(rng, "une habitante du quartier", "un riverain", "le gérant du tabac", "une commerçante"))
        b.t(
            pick(rng, " qui déclare ", " qui signale ", ", déclare "),
            rng.choice(
                [
                    "des nuisances sonores récurrentes",
                    "le départ de son conjoint du domicile",
                    "la perte de ses papiers",
                    "un différend avec son voisin de palier",
                    "des menaces reçues par messages",
                ]
            ),
            ". ",
        )
    elif frame == 1:
        b.t("Appel reçu de ")
        if pii:
            add_name(b, rng, civil=0.6)
        else:
            b.t("la centrale d'alarme")
        b.t(
            " signalant ",
            rng.choice(
                ["un attroupement", "un véhicule ventouse", "un feu de poubelle", "une porte d'immeuble forcée"]
            ),
            f" {rng.choice(['rue ', 'vers '])}",
            rng.choice(PERSON_STREETS + PLACES),
            ". ",
        )
    else:
        b.t(f"{rng.choice(WORDS).capitalize()} signalé par ")
        b.t(rng.choice(["un passant", "la RTM", "le gardien d'immeuble", "un agent ENEDIS"]), ". ")
        pii = pii and P(rng, 0.9)
        if pii:
            b.t("Témoin : ")
            add_name(b, rng, civil=0.4)
            b.t(". ")
    if pii and P(rng, 0.6):
        b.t(pick(rng, "Domicile : ", "Réside ", "Adresse : ", "dmt "))
        b.s(home_address(rng), "home_address")
        b.t(". ")
    if pii and P(rng, 0.6):
        add_phone(b, rng, True)
        b.t(". ")
    b.t(
        pick(
            rng,
            "Pas de plainte déposée. ",
            "Orienté(e) vers le dépôt de plainte. ",
            "Conseils donnés. ",
            "Renvoyé(e) vers le 3919. ",
            "Information au parquet. ",
        )
    )
    b.t(pick(rng, "RAS.", f"Voir {pv_no(rng)}.", "", f"Rédacteur : {rng.choice(['GPX', 'BC', 'ADS'])} de service."))
    return b.done("main_courante", style(rng))


def note_service_crs(rng, pii):
    b = Builder(rng, 0.01)
    b.t(
        pick(rng, "NOTE DE SERVICE", "Note de service n°", "NDS"),
        f" {rng.randint(10, 999)}/",
        rng.choice(["CRS 54", "CRS 55", "EGM 27/6", "CRS Autoroutière Sud", "CDSF 13"]),
        "\n",
    )
    b.t(
        "Objet : ",
        rng.choice(["sécurisation ", "dispositif d'ordre public ", "renfort "]),
        rng.choice(
            [
                "match OM - PSG",
                "manifestation intersyndicale",
                "visite ministérielle",
                "marché de Noël du Vieux-Port",
                "Fête de la musique",
            ]
        ),
        f" du {event_date(rng)}.\n",
    )
    b.t(
        f"Effectif : {rng.randint(2, 6)} sections ({rng.randint(40, 160)} fonctionnaires). Mise en place {slot(rng)}, ",
        rng.choice(PLACES),
        ". ",
    )
    b.t(f"Liaison {radio(rng)}. ")
    n = rng.randint(1, 3)
    for i in range(n):
        b.t(pick(rng, "Section ", "Groupe ", "Sous-groupement "), str(i + 1), " : ")
        if pii and P(rng, 0.8):
            b.t(pick(rng, "cne ", "lt ", "BC ", "major ", "CDT "))
            b.s(name(rng, None, rng.choice(["L", "l", "Lf", "if"])), "person")
            if P(rng, 0.35):
                b.t(" (").s(phone(rng, "mob"), "phone").t(")")
        else:
            b.t(pick(rng, "chef de section", "officier adjoint", "chef de groupe désigné"))
        b.t(", ", rng.choice(PERSON_STREETS + PLACES), ". ")
    b.t(pick(rng, "Tenue de maintien de l'ordre. ", "Tenue n°2, casques. ", "Port du gilet obligatoire. "))
    if P(rng, 0.5):
        b.t("Référence : ", arrete_no(rng), ". ")
    b.t(pick(rng, "Le commandant de compagnie.", "P/O le commandant, l'officier adjoint.", "FIN."))
    return b.done("note_service_crs", style(rng, 0.15, 0.15))


def pv_constat(rng, pii):
    b = Builder(rng, 0.02)
    b.t(pick(rng, "PV DE CONSTAT", "Procès-verbal de constat", "CONSTAT"), f" - {pv_no(rng)}\n")
    b.t(f"Le {event_date(rng)} à {hour(rng)}, nous, ")
    add_agent(b, rng, pii and P(rng, 0.4))
    b.t(
        ", constatons ",
        rng.choice(
            [
                "un accrochage entre deux véhicules",
                "des dégradations sur un abribus",
                "un stationnement gênant",
                "un dépôt sauvage d'encombrants",
                "une collision VL / trottinette",
            ]
        ),
        f" {pick(rng, 'à hauteur du', 'au niveau du', 'face au')} {rng.randint(2, 150)} ",
        rng.choice(PERSON_STREETS),
        ". ",
    )
    for k in range(rng.choice([1, 2])):
        b.t(f"Véhicule {'AB'[k]} : {rng.choice(CARS)} {rng.choice(COLORS)}")
        if pii and P(rng, 0.7):
            b.t(pick(rng, " immatriculé ", ", immat ", " ")).s(plate(rng), "plate")
        else:
            b.t(pick(rng, ", WW provisoire en cours", ", plaque arrachée", ", véhicule de service"))
        if pii and P(rng, 0.5):
            b.t(pick(rng, ", conducteur ", ", conduit par ", ", propriétaire "))
            add_name(b, rng, civil=0.5)
        else:
            b.t(", conducteur ", pick(rng, "absent", "non identifié", "parti sans laisser ses coordonnées"))
        b.t(". ")
    b.t(
        pick(rng, "Assurance : ", "Assureur : "),
        rng.choice(["MAAF", "MACIF", "AXA", "Matmut", "GMF"]),
        f", contrat n° {rng.randint(10**7, 10**8)}. ",
    )
    b.t(pick(rng, "Photos jointes. ", "Croquis en annexe. ", "Pas de blessé. ", f"Relevé {gps(rng)}. "))
    return b.done("pv_constat", style(rng))


def fiche_vehicule(rng, pii):
    b = Builder(rng, 0.0)
    sep = pick(rng, " : ", ": ", " - ", "\t")
    nl = pick(rng, "\n", " | ", "; ")
    b.t(pick(rng, "FICHE VEHICULE", "Fiche véhicule signalé", "FICHE VL"), nl)
    b.t("Marque/modèle", sep, rng.choice(CARS), nl, "Couleur", sep, rng.choice(COLORS), nl)
    b.t("Immatriculation", sep)
    b.v(plate(rng), "plate", pii) if pii and P(rng, 0.8) else b.t(pick(rng, "NC", "illisible", "W garage", "néant"))
    b.t(nl, "Titulaire CG", sep)
    if pii and P(rng, 0.7):
        sx = rng.choice("MF")
        b.s(name(rng, sx, rng.choice(["Lf", "Lf", "fl", "L"])), "person")
        if P(rng, 0.5):
            b.t(nl, "Né(e) le", sep).s(dob(rng)[0], "date_of_birth")
        if P(rng, 0.5):
            b.t(nl, "Adresse", sep).s(home_address(rng), "home_address")
    else:
        b.t(
            pick(
                rng,
                "société de location (Ucar, agence Prado)",
                "loueur - contrat à demander",
                "Parc auto Ville de Marseille",
                "inconnu au SIV",
            )
        )
    b.t(
        nl,
        "Motif",
        sep,
        rng.choice(
            [
                "stationnement très gênant",
                "véhicule volé",
                "rodéo signalé",
                "défaut d'assurance",
                "participation cortège",
            ]
        ),
    )
    b.t(nl, "Lieu", sep, rng.choice(PERSON_STREETS + PLACES), f" ({pick(rng, 'relevé', 'vu')} à {hour(rng)})")
    if P(rng, 0.4):
        b.t(nl, "Observations", sep, rng.choice(["RAS", "pneu crevé", f"ticket {pv_no(rng)}", "vitre brisée"]))
    return b.done("fiche_vehicule", style(rng, 0.2, 0.2))


def fiche_intervention_pm(rng, pii):
    b = Builder(rng, 0.02)
    b.t(
        pick(rng, "PM Marseille - fiche intervention ", "FICHE INTERVENTION PM n°", "Intervention PM "),
        f"{rng.randint(1000, 99999)}\n",
    )
    b.t(f"Patrouille {rng.choice(['PM 12', 'PM 7', 'brigade cynophile', 'brigade VTT', 'UMI'])} - {hour(rng)}. ")
    b.t(
        "Motif : ",
        rng.choice(
            [
                "tapage diurne",
                "occupation illicite du domaine public",
                "épave",
                "divagation d'animal",
                "déchets",
                "stationnement sur trottoir",
            ]
        ),
        ". ",
    )
    b.t("Lieu : ", rng.choice(PERSON_STREETS), f" {insee_like(rng)}. ")
    if pii and P(rng, 0.75):
        b.t(pick(rng, "Mis en cause : ", "Personne contrôlée : ", "Requérant : "))
        add_name(b, rng, civil=0.6)
        if P(rng, 0.4):
            b.t(pick(rng, " né le ", ", DDN ")).s(dob(rng)[0], "date_of_birth")
        if P(rng, 0.4):
            b.t(pick(rng, ", habitant ", ", demeurant au ")).s(home_address(rng, city=False), "home_address")
        b.t(". ")
    else:
        b.t(pick(rng, "Contrevenant parti à l'arrivée. ", "Personne non identifiée. ", "Gérant absent. "))
    if pii and P(rng, 0.35):
        b.t("Rappel demandé ")
        add_phone(b, rng, True)
        b.t(". ")
    b.t(
        pick(rng, "Suite : ", "Action : "),
        rng.choice(["avertissement", "FPS dressé", "enlèvement demandé", "rapport transmis au CSU", "rappel à la loi"]),
        ". ",
    )
    b.t(pick(rng, "RAS.", "Fin d'intervention " + hour(rng) + ".", f"Saisie appli PM {version(rng)}.", ""))
    return b.done("fiche_intervention_pm", style(rng))


def insee_like(rng):
    return f"(13{rng.randint(1, 16):03d})"


def sms_retranscrit(rng, pii):
    b = Builder(rng, 0.06)
    b.t(
        pick(
            rng,
            "SMS retranscrit : ",
            "Message reçu sur le portable de service : ",
            "[SMS] ",
            "Retranscription SMS du " + event_date(rng) + " : ",
        )
    )
    b.t(pick(rng, "« ", '"', ""))
    b.t(pick(rng, "bjr ", "slt ", "bonsoir ", "allo ", ""))
    k = rng.randrange(4)
    if k == 0:
        b.t("c ", pick(rng, "moi ", "encore moi "))
        if pii:
            b.s(name(rng, None, rng.choice(["f", "low", "fl", "f"])), "person")
        else:
            b.t("la voisine du 3eme")
        b.t(
            pick(rng, " ya encore du bruit ", " les jeunes sont revenus ", " ils font un rodeo "),
            pick(rng, "ds la cité ", "devant le tabac ", "en bas du bat "),
            pick(rng, "vs pouvez venir ", "svp venez ", ""),
        )
    elif k == 1:
        b.t("rdv ", hour(rng), " ", rng.choice(PLACES), " pr la manif ", hashtag(rng), " ")
        if pii:
            b.t(pick(rng, "appelle ", "contacte ", "demande "))
            b.s(name(rng, None, rng.choice(["f", "low", "fl"])), "person")
            b.t(" au ").s(phone(rng, "mob"), "phone").t(" ")
        else:
            b.t("ramenez les banderoles ", rng.choice(ORGS), " ")
    elif k == 2:
        b.t(
            "la voiture ",
            pick(rng, "est garée ", "bloque ", "est encore "),
            pick(rng, "devant mon garage ", "sur la place handicapé ", "devant l'école "),
        )
        if pii:
            b.s(plate(rng), "plate").t(" ")
        else:
            b.t(rng.choice(["une clio grise ", "un kangoo blanc ", "un camion ENEDIS "]))
    else:
        b.t("mon fils ")
        if pii:
            b.s(first(rng, "M"), "person")
            b.t(pick(rng, " est pas rentré ", " a disparu ", " a été embarqué "))
            if P(rng, 0.5):
                b.t("il est né le ").s(dob(rng, year=rng.randint(2007, 2012))[0], "date_of_birth").t(" ")
        else:
            b.t("est pas rentré du match au Vélodrome ")
    if pii and P(rng, 0.35):
        b.t(pick(rng, "rappelez moi ", "mon num ", "joignable ")).s(phone(rng), "phone").t(" ")
    if pii and P(rng, 0.2):
        b.t("j'habite ").s(home_address(rng, city=False), "home_address").t(" ")
    b.t(pick(rng, "merci", "mrc", "svp", "stp", "!!", "URGENT"), pick(rng, " »", '"', ""))
    return b.done("sms_retranscrit", style(rng, 0.5, 0.05))


def operation_programmee(rng, pii):
    b = Builder(rng, 0.01)
    b.t(
        pick(rng, "Opération programmée : ", "OPÉRATION ", "Programmation opération "),
        rng.choice(
            [
                "contrôle routier",
                "sécurisation transports",
                "lutte contre les rodéos",
                "opération place nette",
                "contrôle des débits de boissons",
                "sécurisation marché",
            ]
        ),
    )
    b.t(f" - {event_date(rng)}, {hour(rng)}.\n")
    b.t(
        "Secteur : ",
        rng.choice(
            [
                "quartiers nord",
                "centre-ville",
                "Belsunce",
                "Noailles",
                "La Castellane",
                "Frais Vallon",
                "La Joliette",
                "Saint-Just",
            ]
        ),
        ", ",
        rng.choice(PERSON_STREETS + [transit(rng)]),
        ".\n",
    )
    b.t(
        f"Moyens : {rng.randint(6, 60)} fonctionnaires, {rng.choice(['2 motos', 'drone', '1 VL banalisé', 'brigade cynophile'])}. "
    )
    b.t("Direction : ")
    add_agent(b, rng, pii and P(rng, 0.7))
    b.t(". ")
    if pii and P(rng, 0.5):
        b.t(pick(rng, "Cible prioritaire : véhicule ", "Véhicule d'intérêt : ", "Surveiller "))
        b.s(plate(rng), "plate")
        b.t(f" ({rng.choice(CARS)}). ")
    if pii and P(rng, 0.35):
        b.t(pick(rng, "Individu recherché : ", "Fiche de recherche : "))
        add_name(b, rng, civil=0.2)
        if P(rng, 0.5):
            b.t(", né le ").s(dob(rng)[0], "date_of_birth")
        b.t(". ")
    b.t(
        f"Coordination {radio(rng)}. ",
        pick(rng, "Bilan à transmettre au DOPC avant 23h.", "Compte rendu au CIC.", "Diffusion restreinte.", ""),
    )
    return b.done("operation_programmee", style(rng, 0.15, 0.1))


def mise_en_fourriere(rng, pii):
    b = Builder(rng, 0.02)
    b.t(
        pick(rng, "Mise en fourrière", "MISE EN FOURRIERE", "Enlèvement fourrière"),
        f" - bon n° {rng.randint(100000, 999999)} - ",
    )
    b.t(rng.choice(CARS), " ", rng.choice(COLORS), ", ")
    if pii:
        b.t(pick(rng, "immatriculé ", "immat. ", "plaque ", "")).s(plate(rng), "plate")
    else:
        b.t(pick(rng, "sans immatriculation", "épave non identifiable", "n° de série illisible"))
    b.t(
        ", ",
        pick(rng, "stationné ", "enlevé ", "relevé "),
        f"{rng.choice(['devant le', 'face au', 'au'])} "
        f"{rng.randint(1, 180)} {rng.choice(PERSON_STREETS)}, {hour(rng)}. ",
    )
    b.t(
        "Motif : ",
        rng.choice(
            [
                "gêne circulation bus " + transit(rng),
                "arrêté de chantier " + arrete_no(rng),
                "stationnement abusif > 7 jours",
                "emplacement livraison",
            ]
        ),
        ". ",
    )
    if pii and P(rng, 0.6):
        b.t(pick(rng, "Propriétaire : ", "Titulaire : ", "Propriétaire avisé : "))
        add_name(b, rng, civil=0.6)
        if P(rng, 0.4):
            b.t(", ").s(home_address(rng), "home_address")
        if P(rng, 0.4):
            b.t(", ").s(phone(rng), "phone")
        b.t(". ")
    else:
        b.t("Propriétaire ", pick(rng, "non joint. ", "à identifier via SIV. ", "informé par courrier. "))
    b.t("Fourrière ", rng.choice(["Arenc", "Saint-Louis", "Capelette"]), f", frais {rng.randint(120, 190)} €.")
    return b.done("mise_en_fourriere", style(rng))


def audition_temoin(rng, pii):
    b = Builder(rng, 0.02)
    sx = rng.choice("MF")
    b.t(
        pick(
            rng, "AUDITION DE TÉMOIN\n", "Déclaration de témoin - ", "Témoignage recueilli le " + event_date(rng) + ". "
        )
    )
    if pii and P(rng, 0.8):
        b.t(pick(rng, "Je soussigné ", "Je me nomme ", "Je m'appelle ", "Je suis "))
        b.s(name(rng, sx, rng.choice(["fl", "Lf", "fL"])), "person")
    else:
        b.t(
            pick(rng, "Je soussigné(e), ", "Je suis ", "Le témoin, "),
            pick(rng, "gérant du commerce", "agent de sécurité du centre commercial", "riveraine", "chauffeur RTM"),
        )
    if pii and P(rng, 0.5):
        b.t(pick(rng, ", né le ", ", née le ", ", né(e) le ")).s(dob(rng)[0], "date_of_birth")
    if pii and P(rng, 0.45):
        b.t(pick(rng, ", demeurant ", ", j'habite ", ", domicilié au ")).s(home_address(rng), "home_address")
    b.t(". ", pick(rng, "Je déclare avoir vu ", "J'ai vu ", "J'étais sur mon balcon quand j'ai vu "))
    b.t(
        rng.choice(
            [
                "un scooter monter sur le trottoir",
                "deux hommes casser la vitrine",
                "la voiture griller le feu",
                "un groupe lancer des pétards",
            ]
        ),
        f" vers {hour(rng)}, ",
        pick(rng, "au niveau du ", "près du ", "devant le "),
        rng.choice(NAMED_SITES + PLACES),
        ". ",
    )
    if pii and P(rng, 0.4):
        b.t(pick(rng, "Le conducteur ressemblait à ", "J'ai reconnu ", "C'était peut-être le fils "))
        add_name(b, rng, civil=0.3)
        b.t(". ")
    if pii and P(rng, 0.3):
        b.t("Je reste joignable au ").s(phone(rng), "phone").t(". ")
    b.t(
        pick(
            rng,
            "Lecture faite, persiste et signe.",
            "Je n'ai rien d'autre à déclarer.",
            "Je ne souhaite pas porter plainte.",
            "Fait à Marseille.",
        )
    )
    return b.done("audition_temoin", style(rng))


def message_radio(rng, pii):
    b = Builder(rng, 0.0)
    b.t(
        f"[{hour(rng)}] ",
        pick(rng, "TN ", "TV ", "CIC ", "Indicatif "),
        f"{rng.randint(10, 99)} ",
        pick(rng, "de ", "à "),
        pick(rng, "CIC", "TV 21", "Bravo 3", "PC Evêché"),
        " : ",
    )
    k = rng.randrange(3)
    if k == 0:
        b.t(pick(rng, "contrôle VL ", "interpellons un VL ", "suivons "), rng.choice(CARS), " ")
        if pii:
            b.s(plate(rng), "plate")
        else:
            b.t(pick(rng, "sans plaque", "plaque masquée", "type taxi"))
        b.t(", ", rng.choice(PERSON_STREETS), " direction ", rng.choice(PLACES))
    elif k == 1:
        b.t("demande passage FPR pour ")
        if pii:
            b.s(name(rng, None, rng.choice(["L", "Lf", "L"])), "person")
            if P(rng, 0.6):
                b.t(pick(rng, " né ", " DN ", " du ")).s(dob(rng)[0], "date_of_birth")
        else:
            b.t("un individu sans document")
    else:
        b.t(
            pick(rng, "attroupement ", "début de cortège ", "fin de dispersion "),
            rng.choice(PLACES),
            f", {count(rng)}, {radio(rng)}",
        )
        if pii and True:
            b.t(", requérant ")
            add_name(b, rng, civil=0.6)
            if P(rng, 0.5):
                b.t(" ").s(phone(rng), "phone")
    b.t(pick(rng, ". Parlez.", ". Terminé.", ", j'écoute.", ". RAS.", " - reçu 5/5."))
    return b.done("message_radio", style(rng, 0.3, 0.3))


FAMILIES = [
    cr_interpellation,
    main_courante,
    note_service_crs,
    pv_constat,
    fiche_vehicule,
    fiche_intervention_pm,
    sms_retranscrit,
    operation_programmee,
    mise_en_fourriere,
    audition_temoin,
    message_radio,
]
