"""Families C: official visits and municipal feeds (arrêtés, chantiers, events...)."""

from common import (
    FUNCTIONS,
    Builder,
    P,
    add_name,
    email,
    event_date,
    home_address,
    iban,
    name,
    phone,
    pick,
    plate,
    rib,
    style,
)
from lookalikes import (
    ASSOS,
    COMMEMORATIONS,
    NAMED_SITES,
    PERSON_STREETS,
    PLACES,
    TITLES,
    amount,
    arrete_no,
    crowd,
    gps,
    hour,
    insee,
    place_address,
    pv_no,
    radio,
    rna,
    siret,
    slot,
    ticket,
    transit,
)

VIP = [
    "le ministre de l'Intérieur",
    "la ministre des Sports",
    "le Président de la République",
    "la secrétaire d'État à la Ville",
    "le préfet de région",
    "l'ambassadeur d'Italie",
    "une délégation du Sénat",
    "le président du Conseil départemental",
]
COMPANIES = [
    "EIFFAGE Route",
    "COLAS Méditerranée",
    "SERAMM",
    "ENEDIS",
    "GRDF",
    "Orange",
    "Bouygues Énergies",
    "Guintoli",
    "Sogea Sud",
    "Razel-Bec",
    "SNEF",
]


def planning_visite(rng, pii):
    b = Builder(rng, 0.01)
    b.t(
        pick(rng, "PLANNING VISITE OFFICIELLE - ", "Programme prévisionnel - visite de ", "Déroulé - "),
        rng.choice(VIP),
        f" - {event_date(rng)}\n",
    )
    h = rng.randint(8, 11)
    for i in range(rng.randint(2, 4)):
        b.t(
            f"{h + i}h{rng.choice(['00', '15', '30', '45'])} ",
            rng.choice(["Arrivée ", "Accueil ", "Visite ", "Échange ", "Déjeuner ", "Départ "]),
            rng.choice(NAMED_SITES + PLACES),
            " : ",
        )
        if pii and P(rng, 0.6):
            b.t(
                pick(rng, "accueil par ", "en présence de ", "avec "), pick(rng, "le Dr ", "la directrice ", "", "", "")
            )
            add_name(b, rng, civil=0.6, form=rng.choice(["l", "fl", "L", "fL"]))
            b.t(pick(rng, ", adjointe au maire", ", proviseur", ", directeur", ", présidente du CIQ", ""))
        else:
            b.t(pick(rng, "accueil par ", "en présence de "), rng.choice(FUNCTIONS))
        b.t(".\n")
    b.t("Cortège : ", rng.choice(["3 VL + 2 motards", "2 VL banalisés", "VL préfecture + escorte CRS"]))
    if pii and P(rng, 0.4):
        b.t(", véhicule VIP ").s(plate(rng), "plate")
    b.t(". ")
    if pii and P(rng, 0.5):
        b.t(pick(rng, "Contact protocole : ", "Officier de sécurité : ", "Chauffeur : "))
        add_name(b, rng, civil=0.5)
        b.t(" ").s(phone(rng, "mob"), "phone").t(". ")
    else:
        b.t("Contact : cabinet du préfet, ", radio(rng), ". ")
    b.t(pick(rng, "Presse accréditée.", "Pas de presse.", "Dress code : tenue de ville.", "Diffusion restreinte."))
    return b.done("planning_visite", style(rng, 0.1, 0.1))


def arrete_circulation(rng, pii):
    b = Builder(rng, 0.0)
    b.t(pick(rng, "ARRÊTÉ ", "Arrêté "), arrete_no(rng).replace("arrêté ", ""), "\n")
    b.t(
        pick(rng, "Réglementant provisoirement la circulation ", "Portant interdiction de stationner "),
        rng.choice(PERSON_STREETS),
        ".\nLe Maire de Marseille,\nVu le Code de la route, ",
    )
    b.t("Considérant ", pick(rng, "la demande ", "qu'il y a lieu, suite à la demande "))
    if pii and P(rng, 0.85):
        b.t("de ")
        add_name(b, rng, civil=0.9)
        if P(rng, 0.6):
            b.t(pick(rng, ", demeurant ", " domicilié ")).s(home_address(rng), "home_address")
        b.t(
            pick(
                rng,
                ", en vue d'un déménagement",
                ", pour une livraison de mobilier",
                ", pour la pose d'un monte-meubles",
            )
        )
    else:
        b.t(
            "de l'entreprise ",
            rng.choice(COMPANIES),
            f" ({siret(rng)}) pour ",
            rng.choice(["travaux de branchement", "réfection de chaussée", "levage grue"]),
        )
    b.t(
        ",\nArrête :\nArticle 1 : ",
        pick(rng, "Le stationnement est interdit ", "La circulation est interdite "),
        f"du n° {rng.randint(1, 40)} au n° {rng.randint(41, 120)} {rng.choice(PERSON_STREETS)}, ",
        f"le {event_date(rng)} {slot(rng)}.\n",
    )
    b.t("Article 2 : ")
    if pii and P(rng, 0.5):
        b.t("Le véhicule ", rng.choice(["Renault Master", "camion 20 m3", "Iveco Daily"]), " immatriculé ")
        b.s(plate(rng), "plate").t(" est autorisé à stationner sur l'emprise.\n")
    else:
        b.t(f"La signalisation est à la charge du demandeur ({transit(rng)} dévié).\n")
    b.t("Article 3 : Le présent arrêté sera affiché", pick(rng, ".", " et publié au RAA.", " 48h avant."))
    return b.done("arrete_circulation", style(rng, 0.1, 0.05))


def cr_chantier(rng, pii):
    b = Builder(rng, 0.02)
    b.t(
        pick(rng, "CR CHANTIER n°", "Compte rendu de chantier n°", "Réunion de chantier "),
        f"{rng.randint(1, 40)} - ",
        rng.choice(
            ["réfection chaussée ", "renouvellement réseau eau ", "aménagement piste cyclable ", "extension tram "]
        ),
        rng.choice(PERSON_STREETS),
        f" ({event_date(rng)})\n",
    )
    b.t("Présents : ", rng.choice(COMPANIES))
    if pii and P(rng, 0.6):
        b.t(pick(rng, " (conducteur de travaux ", " - chef de chantier "))
        add_name(b, rng, civil=0.5)
        if P(rng, 0.6):
            b.t(", ").s(phone(rng, "mob"), "phone")
        b.t(")")
    b.t(", Métropole AMP (", rng.choice(["chef de projet", "MOE", "coordinateur voirie"]), "), PM secteur.\n")
    b.t(
        f"Avancement : {rng.randint(5, 95)} %. ",
        rng.choice(
            [
                "Enrobés prévus semaine 12",
                "Retard lié aux intempéries",
                "Découverte d'un réseau non cartographié",
                "Livraison des bordures",
            ]
        ),
        ". ",
    )
    b.t(pick(rng, "Accès riverains maintenu. ", f"Arrêt de bus déplacé ({transit(rng)}). ", f"Base vie : {gps(rng)}. "))
    if pii and P(rng, 0.55):
        b.t(pick(rng, "Réclamation de ", "Plainte riveraine : ", "Doléance de "))
        add_name(b, rng, civil=0.8)
        if P(rng, 0.5):
            b.t(" (").s(home_address(rng, city=False), "home_address").t(") : accès garage bloqué. ")
        else:
            b.t(", domicile ").s(home_address(rng, city=False), "home_address").t(", bruit avant 7h. ")
    else:
        b.t(
            "Réclamations : ",
            pick(
                rng,
                "néant. ",
                "commerçants (boulangerie au n° 45) : accès livraisons. ",
                f"1 via Allô Mairie, {ticket(rng)}. ",
            ),
        )
    b.t(pick(rng, "Prochaine réunion : ", "Prochain point : "), event_date(rng), f" {hour(rng)}.")
    return b.done("cr_chantier", style(rng))


def libelle_adresse(rng, pii):
    b = Builder(rng, 0.0)
    if pii:
        k = rng.randrange(4)
        if k == 0:
            b.s(home_address(rng), "home_address")
            b.t(pick(rng, " (domicile)", " - dom. victime", " (chez l'organisateur)", ""))
        elif k == 1:
            b.t(pick(rng, "Domicile ", "DOMICILE ", "Chez "))
            add_name(b, rng, civil=0.7)
            b.t(pick(rng, " - ", ", ", " : ")).s(home_address(rng), "home_address")
        elif k == 2:
            b.t(pick(rng, "RDV ", "Départ "), rng.choice(PLACES), " / repli domicile du déclarant ")
            b.s(home_address(rng, city=False), "home_address")
        else:
            b.s(home_address(rng), "home_address")
            b.t(f" {pick(rng, 'bât.', 'esc.', 'porte')} {rng.choice('ABCD')} - interphone ")
            b.s(name(rng, None, "L"), "person")
    else:
        b.t(
            rng.choice(
                [
                    place_address(rng),
                    f"{rng.choice(PLACES)} ({rng.choice(NAMED_SITES)})",
                    f"angle {rng.choice(PERSON_STREETS)} / {rng.choice(PERSON_STREETS)}",
                    f"{rng.choice(NAMED_SITES)}, {rng.choice(PERSON_STREETS)} 130{rng.randint(10, 16)}",
                    f"Parvis {rng.choice(NAMED_SITES)} - {gps(rng)}",
                    f"{rng.choice(PERSON_STREETS)} {insee(rng)}",
                ]
            )
        )
    return b.done("libelle_adresse", style(rng, 0.2, 0.3))


def evenement_public(rng, pii):
    b = Builder(rng, 0.02)
    kind = rng.choice(
        [
            "Vide-grenier",
            "Fête de quartier",
            "Marché de producteurs",
            "Concert en plein air",
            "Loto géant",
            "Tournoi de pétanque",
            "Projection plein air",
            "Bal du 14 juillet",
        ]
    )
    b.t(kind, pick(rng, " - ", " : ", " "), rng.choice(PLACES + PERSON_STREETS), f", {event_date(rng)}, {slot(rng)}. ")
    b.t("Organisé par ", rng.choice(ASSOS + ["la mairie de secteur", "le comité des fêtes"]), ". ")
    if "Projection" in kind:
        b.t(f"Film : « {rng.choice(TITLES)} ». ")
    b.t(
        f"Public attendu : {crowd(rng).replace('manifestants selon la police', 'visiteurs')}. ",
        pick(
            rng,
            "Buvette et petite restauration. ",
            "Sono jusqu'à 23h. ",
            f"{rng.randint(20, 150)} exposants. ",
            "Gratuit. ",
        ),
    )
    b.t(pick(rng, "Accès ", "Venir en "), transit(rng), ". ")
    if pii:
        b.t(pick(rng, "Inscriptions exposants auprès de ", "Renseignements : ", "Contact président : "))
        add_name(b, rng, civil=0.5)
        if P(rng, 0.6):
            b.t(pick(rng, ", ", " - ")).s(phone(rng), "phone")
        if P(rng, 0.5):
            b.t(pick(rng, ", ", " ou par mail ")).s(email(rng), "email")
        b.t(". ")
    else:
        b.t(pick(rng, "Inscriptions sur place. ", f"Association {rna(rng)}. ", "Renseignements en mairie de secteur. "))
    b.t(pick(rng, f"Arrêté {arrete_no(rng)}.", "Avis PM favorable.", "Plan Vigipirate : fouille à l'entrée.", ""))
    return b.done("evenement_public", style(rng))


def plainte_voisinage(rng, pii):
    b = Builder(rng, 0.04)
    b.t(pick(rng, "Plainte de voisinage", "OBJET : nuisances", "Signalement voisinage", "Plainte riverain"), ". ")
    if pii:
        sx = rng.choice("MF")
        b.t(pick(rng, "Je soussigné", "Je soussignée", "La requérante,", "Le plaignant,"), " ")
        add_name(b, rng, sx, civil=0.5, form=rng.choice(["fl", "Lf", "fL"]))
        if P(rng, 0.7):
            b.t(pick(rng, ", demeurant ", ", habitant au ", ", locataire au ")).s(home_address(rng), "home_address")
        b.t(", ")
    else:
        b.t(pick(rng, "Un collectif de riverains ", "Le conseil syndical de la copropriété ", "Le CIQ "))
    b.t(
        pick(rng, "se plaint de ", "signale ", "dénonce "),
        rng.choice(
            [
                "musique forte toutes les nuits",
                "aboiements incessants d'un berger allemand",
                "travaux le dimanche",
                "fuites d'eau depuis l'étage supérieur",
                "fêtes sur le toit-terrasse",
                "odeurs de barbecue",
                "deux-roues stationnés dans le hall",
            ]
        ),
        " ",
    )
    if pii and P(rng, 0.6):
        b.t(pick(rng, "de la part de son voisin ", "imputables à ", "provenant de chez "))
        add_name(b, rng, civil=0.8, form=rng.choice(["l", "L", "fl"]))
        b.t(pick(rng, " (3e gauche)", " (appartement du dessus)", ", bât. B", ""))
    else:
        b.t(
            pick(
                rng,
                "provenant du bar Le Petit Nice",
                "en provenance du chantier voisin",
                "côté cour",
                "depuis le local associatif",
            )
        )
    b.t(
        ". ",
        pick(rng, "Médiation proposée ", "Courrier du bailleur ", "Plusieurs passages PM "),
        pick(rng, "sans effet", "resté sans réponse", "en cours"),
        ". ",
    )
    if pii and P(rng, 0.45):
        b.t(pick(rng, "Joignable ", "Me contacter ", "Contact : ")).s(phone(rng), "phone")
        if P(rng, 0.4):
            b.t(" / ").s(email(rng), "email")
        b.t(". ")
    b.t(
        pick(
            rng,
            "Demande intervention après 22h.",
            "RAS depuis le " + event_date(rng) + ".",
            f"Réf. Allô Mairie {ticket(rng)}.",
            "Merci de faire le nécessaire.",
        )
    )
    return b.done("plainte_voisinage", style(rng, 0.35, 0.05))


def demande_remboursement(rng, pii):
    b = Builder(rng, 0.02)
    b.t(
        pick(rng, "DEMANDE DE REMBOURSEMENT", "Demande de remboursement", "Objet : remboursement"),
        " - ",
        rng.choice(
            [
                "frais de fourrière",
                "emplacement marché annulé",
                "inscription vide-grenier",
                "caution salle municipale",
                "FPS contesté",
            ]
        ),
        f" ({amount(rng)})\n",
    )
    if pii:
        b.t(pick(rng, "Demandeur : ", "Nom : ", "Bénéficiaire : "))
        add_name(b, rng, civil=0.6)
        if P(rng, 0.45):
            b.t(pick(rng, "\nAdresse : ", ", ")).s(home_address(rng), "home_address")
        k = rng.random()
        if k < 0.55:
            b.t(pick(rng, "\nIBAN : ", "\nIBAN ", "\nCoordonnées bancaires : IBAN ")).s(iban(rng), "iban")
            b.t(pick(rng, " BIC CEPAFRPP131", " - BIC BNPAFRPPXXX", ""))
        elif k < 0.8:
            b.t(pick(rng, "\nRIB : ", "\nRIB ", "\nBanque/guichet/compte/clé : ")).s(rib(rng), "iban")
        else:
            b.t("\nPaiement initial par carte ").s(card_masked_or_full(rng), "card")
        if P(rng, 0.4):
            b.t(pick(rng, "\nMail : ", "\nCourriel : ")).s(email(rng), "email")
    else:
        b.t(
            "Demandeur : ",
            rng.choice(ASSOS),
            f" ({siret(rng)})\n",
            pick(
                rng,
                "RIB de l'association joint en PJ.",
                "Virement sur le compte déjà connu des services.",
                "Remboursement par mandat administratif.",
                "Carte bancaire terminant par **** (non communiquée).",
            ),
        )
    b.t(
        f"\nRéf. : {ticket(rng)}, quittance {pv_no(rng)}. ",
        pick(rng, "Avis service : favorable.", "À instruire.", "Pièces manquantes.", ""),
    )
    return b.done("demande_remboursement", style(rng, 0.15, 0.05))


def card_masked_or_full(rng):
    from common import card

    return card(rng)


def occupation_domaine_public(rng, pii):
    b = Builder(rng, 0.02)
    shop = rng.choice(
        [
            "SARL Le Bar des Amis",
            "Snack Chez Momo",
            "Boulangerie Marchand & Fils",
            "Pizzeria Da Gino",
            "Café Le Petit Marseillais",
            "Épicerie Bonnet Frères",
            "Glacier Le Roux",
        ]
    )
    b.t(
        pick(rng, "Demande AOT terrasse", "Occupation du domaine public", "Demande d'autorisation d'étalage"),
        " - ",
        shop,
        ", ",
        f"{rng.randint(1, 120)} {rng.choice(PERSON_STREETS + ['cours Julien', 'rue de Rome'])}",
        f" ({siret(rng)}). ",
    )
    b.t(
        f"Surface demandée : {rng.randint(4, 40)} m², {rng.randint(2, 12)} tables, du {event_date(rng)} au {event_date(rng)}. "
    )
    if pii:
        b.t(pick(rng, "Gérant : ", "Exploitant : ", "Demande signée par "))
        add_name(b, rng, civil=0.6)
        if P(rng, 0.5):
            b.t(pick(rng, ", ", " - ")).s(phone(rng), "phone")
        if P(rng, 0.4):
            b.t(pick(rng, ", ", " - ")).s(email(rng), "email")
        if P(rng, 0.25):
            b.t(", domicilié personnellement ").s(home_address(rng), "home_address")
        b.t(". ")
    else:
        b.t(
            pick(
                rng,
                "Gérant : voir Kbis joint. ",
                "Exploitant : la société précitée. ",
                "Dossier déposé au guichet unique. ",
            )
        )
    b.t(
        f"Redevance : {amount(rng)}. ",
        pick(rng, "Avis PM : RAS.", "Avis défavorable (passage PMR).", "À régulariser.", ""),
    )
    return b.done("occupation_domaine_public", style(rng))


def note_protocole(rng, pii):
    b = Builder(rng, 0.01)
    b.t(
        pick(rng, "NOTE PROTOCOLE", "Note à l'attention du cabinet", "Protocole - cérémonie"), f" - {event_date(rng)}\n"
    )
    b.t("Cérémonie : ", rng.choice(COMMEMORATIONS), ", ", rng.choice(PLACES + NAMED_SITES), f", {hour(rng)}.\n")
    b.t("Ordre des discours : ")
    for i in range(rng.randint(2, 3)):
        if i:
            b.t(", puis ")
        if pii and P(rng, 0.6):
            b.t(pick(rng, "le sénateur ", "la députée ", "le maire de secteur ", "", ""))
            add_name(b, rng, civil=0.7, form=rng.choice(["l", "fl", "L"]))
        else:
            b.t(
                rng.choice(
                    [
                        "le maire de secteur",
                        "le préfet",
                        "le président de l'ONACVG",
                        "un élève du lycée Thiers",
                        "la présidente du Conseil départemental",
                    ]
                )
            )
    b.t(".\nDépôt de gerbes, minute de silence, ", rng.choice(["La Marseillaise", "Le Chant des partisans"]), ". ")
    b.t("Porte-drapeaux : ", rng.choice(["8", "12", "une quinzaine"]), ". ")
    if pii and P(rng, 0.5):
        b.t(pick(rng, "Contact protocole Ville : ", "Référent : "))
        add_name(b, rng, civil=0.7)
        b.t(pick(rng, " ", ", ")).s(phone(rng, rng.choice(["mob", "fixe"])), "phone").t(". ")
    b.t(pick(rng, "Stationnement officiels : ", "Véhicules : "), rng.choice(PERSON_STREETS), ".")
    return b.done("note_protocole", style(rng, 0.1, 0.1))


def astreinte_planning(rng, pii):
    b = Builder(rng, 0.0)
    b.t(
        pick(rng, "PLANNING ASTREINTE", "Astreinte", "Tableau d'astreinte"),
        f" semaine {rng.randint(1, 52)} - ",
        rng.choice(["PM", "DOPC", "voirie", "CSU", "cabinet"]),
        "\n",
    )
    sep = pick(rng, " : ", " - ", "\t")
    for d in rng.sample(["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"], rng.randint(2, 3)):
        b.t(d, sep)
        if pii and P(rng, 0.75):
            b.s(name(rng, None, rng.choice(["L", "Lf", "if", "fl"])), "person")
            if P(rng, 0.55):
                b.t(pick(rng, " ", " / ", " tel ")).s(phone(rng, "mob"), "phone")
        else:
            b.t(pick(rng, "équipe A", "équipe B", "cadre de permanence", "voir chef de salle"), f" ({radio(rng)})")
        b.t("\n")
    b.t(
        pick(
            rng,
            "Numéro unique astreinte : via CIC.",
            "En cas d'urgence : 17 / 112.",
            f"Mise à jour {event_date(rng)}.",
            "",
        )
    )
    return b.done("astreinte_planning", style(rng, 0.2, 0.1))


def courrier_riverain(rng, pii):
    b = Builder(rng, 0.03)
    b.t(pick(rng, "Monsieur le Maire,\n", "Madame, Monsieur,\n", "A l'attention du service voirie,\n"))
    b.t(
        pick(rng, "Je me permets de vous écrire au sujet ", "Nous souhaitons attirer votre attention au sujet "),
        rng.choice(
            [
                "du stationnement anarchique ",
                "de l'éclairage défaillant ",
                "des dépôts sauvages ",
                "de la vitesse excessive des véhicules ",
            ]
        ),
        rng.choice(PERSON_STREETS),
        ". ",
    )
    b.t(pick(rng, "Depuis le ", "Malgré nos signalements du "), event_date(rng), ", rien n'a changé. ")
    if P(rng, 0.4):
        b.t(f"Le {transit(rng)} ne peut plus passer. ")
    b.t(
        pick(rng, "Veuillez agréer", "Je vous prie d'agréer", "Recevez"),
        ", l'expression de mes salutations distinguées.\n",
    )
    if pii:
        add_name(b, rng, civil=0.4, form=rng.choice(["fl", "fL", "Lf"]))
        if P(rng, 0.6):
            b.t("\n").s(home_address(rng), "home_address")
        if P(rng, 0.5):
            b.t(pick(rng, "\n", "\nTél : ", "\nPortable ")).s(phone(rng), "phone")
        if P(rng, 0.4):
            b.t("\n").s(email(rng), "email")
    else:
        b.t(
            pick(rng, "Le bureau du CIQ", "Pour l'Amicale des locataires, le président", "Les riverains de l'impasse"),
            "\n",
            pick(rng, "Maison de quartier, ", "Siège : "),
            rng.choice(NAMED_SITES),
        )
    return b.done("courrier_riverain", style(rng, 0.3, 0.05))


FAMILIES = [
    planning_visite,
    arrete_circulation,
    cr_chantier,
    libelle_adresse,
    evenement_public,
    plainte_voisinage,
    demande_remboursement,
    occupation_domaine_public,
    note_protocole,
    astreinte_planning,
    courrier_riverain,
]
