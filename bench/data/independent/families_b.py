"""Families B: demonstrations (declarations, organisers, itineraries, bilans...)."""

from common import (
    CARS,
    FUNCTIONS,
    Builder,
    P,
    add_name,
    add_phone,
    dob,
    email,
    event_date,
    first,
    handle,
    home_address,
    ip,
    name,
    phone,
    pick,
    style,
    surname,
)
from lookalikes import (
    ASSOS,
    CAPS,
    COMMEMORATIONS,
    NAMED_SITES,
    ORGS,
    PERSON_STREETS,
    PLACES,
    TITLES,
    arrete_no,
    count,
    crowd,
    fake_birth,
    hashtag,
    hour,
    place_address,
    pv_no,
    radio,
    rna,
    siret,
    slot,
    ticket,
    transit,
    version,
)

CAUSES = [
    "contre la réforme des retraites",
    "pour le climat",
    "en soutien aux sans-papiers",
    "contre la fermeture de l'hôpital",
    "pour le logement digne",
    "contre la vie chère",
    "en soutien au peuple palestinien",
    "pour les droits des femmes",
    "contre les violences policières",
    "pour la défense des services publics",
    "contre le projet de tunnel",
    "marche blanche",
]
KINDS = [
    "rassemblement statique",
    "manifestation",
    "marche",
    "cortège",
    "défilé",
    "chaîne humaine",
    "sit-in",
    "rassemblement",
]


def _route(rng, n=None):
    n = n or rng.randint(2, 4)
    stops = rng.sample(PLACES + PERSON_STREETS, n)
    return pick(rng, " > ", " - ", ", ", " puis ").join(stops)


def declaration_manif(rng, pii):
    b = Builder(rng, 0.02)
    b.t(
        pick(
            rng,
            "DÉCLARATION DE MANIFESTATION\n",
            "Déclaration préalable (art. L211-1 CSI) - ",
            "Décl. manif. reçue en préfecture le " + event_date(rng) + ". ",
        )
    )
    b.t("Organisateur : ", rng.choice(ASSOS))
    if pii:
        b.t(pick(rng, ", représenté par ", ", déclarant : ", " / signataire "))
        add_name(b, rng, civil=0.6)
    b.t(". Objet : ", rng.choice(KINDS), " ", rng.choice(CAUSES), ". ")
    b.t(f"Date : {event_date(rng)}, {slot(rng)}. ")
    b.t(pick(rng, "Parcours : ", "Itinéraire : ", "Lieu : "), _route(rng), ". ")
    b.t(f"Participants attendus : {crowd(rng)}. ")
    if pii and P(rng, 0.6):
        b.t(pick(rng, "Domicile du déclarant : ", "Adresse du signataire : ", "Adresse perso : "))
        b.s(home_address(rng), "home_address")
        b.t(". ")
    else:
        b.t("Siège : ", place_address(rng), ". ")
    if pii and P(rng, 0.6):
        add_phone(b, rng, True)
        b.t(pick(rng, " / ", ", ", " - mail "))
        b.s(email(rng), "email")
        b.t(". ")
    else:
        b.t(pick(rng, "Contact : formulaire en ligne. ", f"{siret(rng)}. ", f"{rna(rng)}. "))
    b.t(
        pick(
            rng,
            "Sono : 1 camion. ",
            "Pas de véhicule. ",
            f"Véhicule : {rng.choice(CARS)} sono. ",
            "Service d'ordre : 15 personnes en chasuble. ",
        )
    )
    b.t(pick(rng, "Avis favorable sous réserve.", "Transmis DOPC.", "Pour attribution CSU et PM.", ""))
    return b.done("declaration_manif", style(rng))


def mail_organisateur(rng, pii):
    b = Builder(rng, 0.02)
    sx = rng.choice("MF")
    fn, ln = first(rng, sx), surname(rng)
    b.t(pick(rng, "---------- Message transféré ---------\n", "-----Message d'origine-----\n", "TR:\n"))
    b.t("De : ")
    if pii:
        b.s(f"{fn} {ln}", "person").t(" <").s(email(rng, fn, ln, obf=False), "email").t(">\n")
    else:
        b.t(rng.choice(ASSOS), " <formulaire-contact>\n")
    if pii and P(rng, 0.3):
        b.t("X-Originating-IP: [").s(ip(rng), "ip_address").t("]\n")
    b.t(
        f"Date : {event_date(rng)} {hour(rng)}\nObjet : ",
        pick(rng, "RE: ", "Fwd: ", ""),
        rng.choice(KINDS),
        " ",
        rng.choice(PLACES),
        "\n\n",
    )
    b.t(pick(rng, "Bonjour,\n", "Madame, Monsieur,\n", "Bonjour à tous,\n", "Bjr,\n"))
    b.t(
        pick(rng, "Nous confirmons le ", "Je vous informe du maintien du ", "Suite à notre échange, le "),
        rng.choice(KINDS),
        " ",
        rng.choice(CAUSES),
        f" prévu le {event_date(rng)} à {hour(rng)}. ",
    )
    b.t(
        pick(rng, "Départ ", "Rendez-vous "),
        rng.choice(PLACES),
        ", ",
        pick(rng, "dispersion ", "arrivée "),
        rng.choice(PLACES + NAMED_SITES),
        ". ",
    )
    if P(rng, 0.5):
        b.t(f"Nous serons {crowd(rng)}. ")
    if pii and P(rng, 0.5):
        b.t(pick(rng, "Le jour J, joindre ", "En cas de souci appelez ", "Référent terrain : "))
        sx2 = add_name(b, rng, civil=0.4)
        b.t(pick(rng, " au ", " : ", ", ")).s(phone(rng, "mob"), "phone").t(". ")
    b.t(pick(rng, "\nCordialement,\n", "\nBien à vous,\n", "\nSalutations militantes,\n"))
    if pii and P(rng, 0.7):
        b.s(pick(rng, f"{fn} {ln}", f"{fn}", f"{ln.upper()} {fn}"), "person")
        b.t("\n", rng.choice(["Secrétaire", "Co-président", "Trésorière", "Porte-parole"]), " - ", rng.choice(ASSOS))
        if P(rng, 0.5):
            b.t("\n", pick(rng, "Tél. ", "Port : ", "")).s(phone(rng), "phone")
    else:
        b.t("Le bureau - ", rng.choice(ASSOS), f"\n{rna(rng)}")
    return b.done("mail_organisateur", style(rng, 0.2, 0.0))


def titre_evenement(rng, pii):
    b = Builder(rng, 0.0)
    k = rng.randrange(5)
    if pii:
        if k <= 1:
            b.t(pick(rng, "Marche blanche pour ", "Hommage à ", "Rassemblement en mémoire de ", "Soutien à "))
            b.s(name(rng, None, rng.choice(["f", "fl", "fl", "f"])), "person")
            b.t(pick(rng, f" - {rng.choice(PLACES)}", f" {event_date(rng)}", f" ({hour(rng)})", ""))
        elif k == 2:
            b.t(rng.choice(KINDS).capitalize(), " ", rng.choice(PLACES), " - contact ")
            b.s(name(rng, None, "L"), "person")
        elif k == 3:
            b.t("Visite de ", pick(rng, "M. le ministre ", "Mme la ministre ", "la secrétaire d'État "))
            b.s(name(rng, None, "l"), "person")
            b.t(" - ", rng.choice(NAMED_SITES))
        else:
            b.t("Rassemblement soutien famille ")
            b.s(name(rng, None, rng.choice(["L", "l"])), "person")
            b.t(" devant ", rng.choice(NAMED_SITES))
    else:
        b.t(
            rng.choice(
                [
                    rng.choice(KINDS).capitalize() + " " + rng.choice(ASSOS) + " " + rng.choice(PLACES),
                    rng.choice(COMMEMORATIONS).capitalize(),
                    "Projection « " + rng.choice(TITLES) + " » " + rng.choice(NAMED_SITES),
                    "Marche blanche " + rng.choice(["quartier Félix Pyat", "Saint-Barthélémy", "La Busserine"]),
                    rng.choice(CAPS) + " - " + rng.choice(KINDS) + " " + rng.choice(PERSON_STREETS),
                    "Visite ministérielle - " + rng.choice(NAMED_SITES),
                    rng.choice(ASSOS) + " : " + rng.choice(CAUSES),
                ]
            )
        )
        b.t(pick(rng, f" {event_date(rng)}", f" {hour(rng)}", f" - {count(rng)}", ""))
    return b.done("titre_evenement", style(rng, 0.2, 0.25))


def itineraire_cortege(rng, pii):
    b = Builder(rng, 0.01)
    b.t(pick(rng, "Itinéraire du cortège : ", "PARCOURS : ", "Trajet validé : "), _route(rng, rng.randint(3, 5)), ". ")
    b.t(pick(rng, "Regroupement ", "Départ "), slot(rng), f" au pied de la statue, {rng.choice(PLACES)}. ")
    b.t(pick(rng, "Coupure ", "Déviation "), transit(rng), f" et {transit(rng)} pendant le passage. ")
    if P(rng, 0.5):
        b.t("Halte prévue devant le ", rng.choice(NAMED_SITES), f" ({rng.choice(COMMEMORATIONS)}). ")
    if P(rng, 0.4):
        b.t(f"Point presse {hour(rng)} {rng.choice(PERSON_STREETS)}. ")
    if pii:
        b.t(pick(rng, "Référent parcours : ", "Contact tête de cortège : ", "Responsable : "))
        add_name(b, rng, civil=0.5)
        if P(rng, 0.7):
            b.t(", ").s(phone(rng), "phone")
        b.t(". ")
        if P(rng, 0.25):
            b.t("Départ du camion sono depuis le domicile de l'organisateur, ")
            b.s(home_address(rng), "home_address").t(". ")
    else:
        b.t(pick(rng, "Référent : ", "Contact : "), rng.choice(FUNCTIONS), " (", radio(rng), "). ")
    b.t(pick(rng, "Dispersion ", "Fin "), slot(rng), pick(rng, " sur le ", " au "), rng.choice(PLACES), ".")
    return b.done("itineraire_cortege", style(rng))


def recepisse_declaration(rng, pii):
    b = Builder(rng, 0.0)
    b.t(
        pick(rng, "RÉCÉPISSÉ DE DÉCLARATION", "Récépissé n°", "RECEPISSE"),
        f" {rng.randint(2025, 2026)}-{rng.randint(1, 999):03d}\n",
    )
    b.t(
        "Le préfet de police des Bouches-du-Rhône donne récépissé de la déclaration déposée le ",
        event_date(rng),
        " par ",
    )
    if pii:
        sx = add_name(b, rng, civil=0.9)
        if P(rng, 0.6):
            b.t(pick(rng, ", né le ", ", née le ", " (né(e) le ")).s(dob(rng)[0], "date_of_birth")
            b.t(pick(rng, ")", ""))
        if P(rng, 0.6):
            b.t(pick(rng, ", demeurant ", ", domicilié(e) ")).s(home_address(rng), "home_address")
        b.t(", agissant pour ", rng.choice(ASSOS))
    else:
        b.t("le représentant légal de ", rng.choice(ASSOS), f" ({fake_birth(rng)}, {siret(rng)})")
    b.t(", relative à un(e) ", rng.choice(KINDS), " ", rng.choice(CAUSES), f" le {event_date(rng)}, {slot(rng)}, ")
    b.t("entre ", rng.choice(PLACES), " et ", rng.choice(PLACES), ". ")
    b.t(
        pick(
            rng,
            "Le présent récépissé ne vaut pas autorisation.",
            f"Réf. {arrete_no(rng)}.",
            "Prescriptions jointes en annexe.",
            "Copie : DOPC, Ville de Marseille (DGAVE).",
        )
    )
    return b.done("recepisse_declaration", style(rng, 0.15, 0.05))


def cr_reunion_securite(rng, pii):
    b = Builder(rng, 0.02)
    b.t(
        pick(rng, "CR réunion de sécurité", "Compte rendu - réunion préparatoire", "REUNION SECURITE"),
        f" du {event_date(rng)}, {rng.choice(['salle 204', 'salle Mistral', 'Evêché', 'visio Teams'])}\n",
    )
    b.t(
        "Objet : ",
        rng.choice(
            [
                "match OM",
                "Fête de la musique",
                "manifestation du 1er mai",
                "marathon",
                "feu d'artifice du 14 juillet",
                "Festival de Marseille",
            ]
        ),
        ".\n",
    )
    b.t("Présents : ")
    n = rng.randint(2, 4)
    for i in range(n):
        if i:
            b.t(", ")
        if pii and P(rng, 0.7):
            b.t(rng.choice(["cne ", "Mme ", "M. ", "cdt ", ""]))
            b.s(name(rng, None, rng.choice(["L", "l", "fl", "if"])), "person")
            b.t(f" ({rng.choice(['DOPC', 'PM', 'BMPM', 'RTM', 'DGAVE', 'CSU', 'SAMU'])})")
        else:
            b.t(rng.choice(["DOPC", "PM", "BMPM", "RTM", "DGAVE", "CSU", "SAMU 13", "organisateur"]))
    b.t(".\n", pick(rng, "Points abordés : ", "Décisions : ", "Relevé : "))
    b.t(
        rng.choice(
            [
                "fermeture du tunnel Prado-Carénage",
                "interdiction de stationner " + rng.choice(PERSON_STREETS),
                "renfort de " + count(rng),
                "barriérage " + rng.choice(PLACES),
            ]
        ),
        "; ",
        rng.choice(
            [
                "vidéoprotection : caméras 112 à 118",
                "poste médical avancé " + rng.choice(NAMED_SITES),
                "navettes " + transit(rng),
                f"levée du dispositif {hour(rng)}",
            ]
        ),
        ". ",
    )
    if pii and P(rng, 0.45):
        b.t("Astreinte organisateur : ").s(phone(rng, "mob"), "phone").t(". ")
    b.t(pick(rng, "Prochaine réunion : ", "Point d'étape : "), event_date(rng), ".")
    return b.done("cr_reunion_securite", style(rng))


def liste_emargement(rng, pii):
    b = Builder(rng, 0.0)
    b.t(
        pick(rng, "LISTE D'ÉMARGEMENT", "Feuille d'émargement", "Emargement réunion"),
        f" - {rng.choice(['réunion CIQ', 'formation SST', 'comité de suivi', 'réunion organisateurs'])} ",
        f"{event_date(rng)}\n",
    )
    sep = pick(rng, " | ", " ; ", "\t", " - ")
    b.t(pick(rng, "NOM Prénom", "Nom", "Participant"), sep, "Structure", sep, "Contact", sep, "Signature\n")
    for i in range(rng.randint(2, 3)):
        if pii and P(rng, 0.75):
            b.s(name(rng, None, rng.choice(["Lf", "Lf", "fl", "L"])), "person")
            b.t(sep, rng.choice(ORGS), sep)
            if P(rng, 0.35):
                b.s(phone(rng), "phone")
            elif P(rng, 0.4):
                b.s(email(rng), "email")
            else:
                b.t("-")
        else:
            b.t(
                rng.choice(["Représentant", "Excusé", "Absent", "Suppléant", "Agent d'accueil"]),
                sep,
                rng.choice(ORGS),
                sep,
                pick(rng, "via secrétariat", "-", "standard"),
            )
        b.t(sep, pick(rng, "signé", "(signature)", "X", "abs."), "\n")
    b.t(
        pick(rng, "Total : ", "Présents : "),
        str(rng.randint(4, 25)),
        pick(rng, " personnes.", "", " / quorum atteint."),
    )
    return b.done("liste_emargement", style(rng, 0.2, 0.1))


def signalement_reseaux(rng, pii):
    b = Builder(rng, 0.02)
    b.t(
        pick(rng, "SIGNALEMENT RÉSEAUX SOCIAUX", "Veille RS", "Signalement PHAROS transmis"),
        f" - {event_date(rng)} {hour(rng)}\n",
    )
    b.t(
        pick(rng, "Publication appelant à ", "Post viral annonçant ", "Story relayant "),
        rng.choice(
            ["un rassemblement non déclaré", "un rodéo géant", "un blocage du lycée", "une fête sauvage aux calanques"]
        ),
        f" {rng.choice(PLACES)} {hashtag(rng)}. ",
    )
    if pii:
        lab, h = handle(rng)
        b.t("Auteur : ", lab).s(h, "social_handle")
        if P(rng, 0.4):
            b.t(pick(rng, ", identifié comme ", ", serait "))
            add_name(b, rng, civil=0.3)
        b.t(". ")
        if P(rng, 0.35):
            b.t(pick(rng, "Relayé par ", "Repartagé par ")).s(handle(rng)[1], "social_handle").t(". ")
        if P(rng, 0.3):
            b.t(pick(rng, "Adresse IP communiquée par la plateforme : ", "IP de connexion : ")).s(
                ip(rng), "ip_address"
            ).t(". ")
    else:
        b.t(
            pick(
                rng,
                "Auteur : compte anonyme supprimé depuis. ",
                "Source : page officielle @VilleDeMarseille_Info. ",
                "Relayé par plusieurs comptes. ",
                "Vu sur groupe WhatsApp de quartier. ",
            )
        )
    b.t(f"{rng.randint(2, 90)} k vues, {rng.randint(10, 900)} partages. ")
    b.t(
        pick(rng, "Captures jointes. ", f"{ticket(rng)}. ", "Transmis au CIC. ", "Pas de suite. "),
        pick(rng, "Musique : « " + rng.choice(TITLES) + " ».", "", f"Appli {version(rng)}."),
    )
    return b.done("signalement_reseaux", style(rng, 0.1, 0.05))


def service_ordre(rng, pii):
    b = Builder(rng, 0.02)
    b.t(
        pick(rng, "Service d'ordre de l'organisateur", "SO MANIF", "Composition du SO"),
        " - ",
        rng.choice(ASSOS),
        f" - {event_date(rng)}\n",
    )
    b.t(f"Effectif SO : {rng.randint(8, 60)} personnes, chasubles {rng.choice(['orange', 'jaunes', 'rouges'])}. ")
    for role in rng.sample(
        ["Responsable SO", "Adjoint", "Tête de cortège", "Queue de cortège", "Sono"], rng.randint(1, 3)
    ):
        b.t(role, " : ")
        if pii and P(rng, 0.75):
            add_name(b, rng, civil=0.2, form=rng.choice(["fl", "f", "Lf", "if", "low"]))
            if P(rng, 0.5):
                b.t(pick(rng, " ", " - ", " tel ")).s(phone(rng, "mob"), "phone")
        else:
            b.t(pick(rng, "à désigner", "bénévole", "voir organisateur", "camion n° 2"))
        b.t(". ")
    b.t(
        pick(rng, "Liaison avec la police : ", "Interlocuteur DOPC : "),
        pick(rng, "officier de liaison", radio(rng)),
        ". ",
    )
    b.t(pick(rng, "Brassards distribués à ", "Briefing "), f"{hour(rng)} {rng.choice(PLACES)}.")
    return b.done("service_ordre", style(rng, 0.25, 0.1))


def bilan_manif(rng, pii):
    b = Builder(rng, 0.02)
    b.t(
        pick(rng, "BILAN ", "Bilan de la ", "Point de situation - "),
        rng.choice(KINDS),
        " ",
        rng.choice(CAUSES),
        f" du {event_date(rng)}. ",
    )
    b.t(f"Participation : {crowd(rng)} (organisateurs : {rng.randint(2, 30)} 000). ")
    b.t(pick(rng, "Départ effectif ", "Début "), hour(rng), ", dispersion ", hour(rng), ". ")
    b.t(
        pick(rng, "Incidents : ", "Faits notables : "),
        rng.choice(
            [
                "jets de projectiles " + rng.choice(PERSON_STREETS),
                "vitrines dégradées la Canebière",
                "aucun",
                "feux de poubelles cours Lieutaud",
                "tags sur le " + rng.choice(NAMED_SITES),
            ]
        ),
        ". ",
    )
    ni = rng.randint(0, 4)
    b.t(f"{ni} interpellation{'s' if ni > 1 else ''}")
    if pii and ni:
        b.t(" : ")
        for i in range(min(ni, 2)):
            if i:
                b.t("; ")
            b.s(name(rng, None, rng.choice(["Lf", "L", "fl"])), "person")
            if P(rng, 0.5):
                b.t(pick(rng, " (", " né le ", ", DN ")).s(dob(rng, year=rng.randint(1975, 2008))[0], "date_of_birth")
                b.t(pick(rng, ")", ""))
    b.t(". ")
    if pii and P(rng, 0.3):
        b.t(pick(rng, "Blessé léger : ", "Évacué par BMPM : "))
        add_name(b, rng, civil=0.7)
        b.t(". ")
    b.t(
        f"{rng.randint(0, 6)} FDO blessés. ",
        pick(rng, f"Réf. {pv_no(rng)}.", "RAS par ailleurs.", "Fin de dispositif " + hour(rng) + "."),
    )
    return b.done("bilan_manif", style(rng))


def appel_relaye(rng, pii):
    b = Builder(rng, 0.04)
    b.t(pick(rng, "Appel relayé : ", "Texte de l'appel (copié depuis le tract) : ", "TRACT : ", ""))
    b.t(pick(rng, "TOUS ET TOUTES ", "Rendez-vous ", "Mobilisons-nous "), rng.choice(CAUSES), " ! ")
    b.t(f"{event_date(rng)} {hour(rng)} {rng.choice(PLACES)}. ", rng.choice(ASSOS), ", ", rng.choice(ASSOS), ". ")
    b.t(pick(rng, "Venez nombreux ", "On lâche rien ", "Ensemble "), hashtag(rng), " ")
    if pii:
        k = rng.randrange(3)
        if k == 0:
            b.t(pick(rng, "Infos : ", "Contact : ")).s(email(rng), "email")
        elif k == 1:
            lab, h = handle(rng)
            b.t("Suivez ", lab).s(h, "social_handle")
        else:
            b.t("Covoiturage : ").s(name(rng, None, "f"), "person").t(" ").s(phone(rng, "mob"), "phone")
    else:
        b.t(
            pick(
                rng,
                "Infos sur le site de l'union locale.",
                "Tract imprimé par nos soins, ne pas jeter sur la voie publique.",
                fake_birth(rng) + ", toujours debout !",
                "Ligne de bus gratuite : " + transit(rng),
            )
        )
    return b.done("appel_relaye", style(rng, 0.3, 0.1))


FAMILIES = [
    declaration_manif,
    mail_organisateur,
    titre_evenement,
    itineraire_cortege,
    recepisse_declaration,
    cr_reunion_securite,
    liste_emargement,
    signalement_reseaux,
    service_ordre,
    bilan_manif,
    appel_relaye,
]
