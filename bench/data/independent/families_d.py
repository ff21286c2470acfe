"""Families D: IT tickets, logs, payments, calls, missing persons, found objects, HR..."""

from common import (
    CARS,
    COLORS,
    FUNCTIONS,
    Builder,
    P,
    add_name,
    card,
    civ,
    dob,
    email,
    event_date,
    handle,
    home_address,
    iban,
    ip,
    ipv4,
    ipv6,
    name,
    nir,
    phone,
    pick,
    plate,
    rib,
    style,
)
from lookalikes import (
    ASSOS,
    BRANDS,
    CAPS,
    NAMED_SITES,
    PERSON_STREETS,
    PLACES,
    WORDS,
    amount,
    arrete_no,
    count,
    hour,
    pv_no,
    radio,
    siret,
    ticket,
    transit,
    version,
)

APPS = [
    "appli Préfecture-Événements",
    "flux SIG Manifs",
    "portail Allô Mairie",
    "logiciel MC-Web",
    "export CSV DOPC",
    "GLPI",
    "VPN Ville",
    "messagerie Zimbra",
    "appli PM mobile",
]


def ticket_support(rng, pii):
    b = Builder(rng, 0.02)
    b.t(
        f"[{ticket(rng)}] ",
        pick(rng, "Incident : ", "Demande : ", "Anomalie "),
        rng.choice(
            [
                "échec de synchronisation",
                "import du flux bloqué",
                "doublons dans les événements",
                "impossible de se connecter",
                "champ adresse tronqué",
            ]
        ),
        " - ",
        rng.choice(APPS),
        f" {version(rng)}. ",
    )
    b.t(pick(rng, "Signalé par ", "Demandeur : ", "Ouvert par "))
    if pii:
        add_name(b, rng, civil=0.3)
        if P(rng, 0.45):
            b.t(" (").s(email(rng, obf=False), "email").t(")")
    else:
        b.t(rng.choice(FUNCTIONS), " (", rng.choice(["DSN", "DOPC", "CSU", "cabinet"]), ")")
    b.t(f", {event_date(rng)} {hour(rng)}. ")
    if pii and P(rng, 0.75):
        b.t(pick(rng, "Poste utilisateur ", "IP source : ", "Connexion depuis ", "adresse IP ")).s(
            ip(rng), "ip_address"
        )
        b.t(". ")
    else:
        b.t(
            pick(rng, "Serveur ", "Passerelle "), f"srv-{rng.choice(['app', 'sig', 'db'])}{rng.randint(1, 9):02d}", ". "
        )
    b.t(
        pick(rng, "Erreur HTTP 504 ", "Code retour 0x80070005 ", "Timeout > 30 s ", "Erreur SSL "),
        pick(rng, "depuis la mise à jour ", "après le redémarrage "),
        version(rng),
        ". ",
    )
    if pii and P(rng, 0.3):
        b.t("Rappeler l'utilisateur ").s(phone(rng, rng.choice(["fixe", "mob"])), "phone").t(". ")
    b.t(pick(rng, "Priorité P2.", "URGENT.", "Résolu : purge du cache.", "Escaladé niveau 2.", "En attente éditeur."))
    return b.done("ticket_support", style(rng, 0.1, 0.0))


def log_export(rng, pii):
    b = Builder(rng, 0.0)
    lines = rng.randint(2, 4)
    labelled = 0
    for i in range(lines):
        b.t(
            f"{rng.choice([2025, 2026])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:"
            f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z ",
            rng.choice(["INFO", "WARN", "ERROR", "DEBUG"]),
            " ",
        )
        k = rng.randrange(3)
        if k == 0:
            b.t("login ok user=")
            if pii and P(rng, 0.6):
                b.s(email(rng, obf=False), "email")
                labelled += 1
            else:
                b.t(rng.choice(["svc_import", "admin-dopc", "batch01", "pm_sector7"]))
            b.t(" src=")
            if pii and P(rng, 0.7):
                b.s(ip(rng), "ip_address")
                labelled += 1
            else:
                b.t("localhost")
        elif k == 1:
            b.t(f'import event id={rng.randint(10000, 99999)} title="')
            if pii and P(rng, 0.4):
                b.t("Rassemblement soutien ").s(name(rng, None, "fl"), "person")
                labelled += 1
            else:
                b.t(rng.choice(ASSOS), " ", rng.choice(PLACES))
            b.t(f'" lat={43.25 + rng.random() / 10:.5f} lon={5.33 + rng.random() / 8:.5f} status=OK')
        else:
            b.t(
                f"client {pick(rng, 'appli', 'agent')} {version(rng)} sync {rng.randint(1, 900)} rows in {rng.randint(10, 999)} ms"
            )
        b.t("\n")
    if pii and not labelled:
        b.t("WARN rejected request from ").s(ipv4(rng) if P(rng, 0.7) else ipv6(rng), "ip_address").t("\n")
    return b.done("log_export")


def fraude_paiement(rng, pii):
    b = Builder(rng, 0.02)
    b.t(
        pick(rng, "Signalement fraude", "PLAINTE escroquerie", "Usage frauduleux de CB", "Signalement PERCEVAL"),
        f" - {pv_no(rng)}. ",
    )
    if pii:
        add_name(b, rng, civil=0.7)
        b.t(pick(rng, " déclare ", " signale ", " constate "))
    else:
        b.t(pick(rng, "La victime ", "Le plaignant ", "Une commerçante "), pick(rng, "déclare ", "signale "))
    b.t(
        rng.choice(
            [
                "des débits non autorisés",
                "un achat en ligne qu'elle n'a pas fait",
                "un faux conseiller bancaire",
                "le vol de sa carte au distributeur",
            ]
        ),
        f" pour {amount(rng)}. ",
    )
    if pii:
        k = rng.random()
        if k < 0.75:
            b.t(pick(rng, "Carte n° ", "CB ", "numéro de carte : ", "carte ")).s(card(rng), "card")
            b.t(f", exp. {rng.randint(1, 12):02d}/{rng.randint(26, 30)}. ")
            if P(rng, 0.2):
                b.t("Seconde carte du foyer également débitée : ").s(card(rng), "card").t(". ")
        if k > 0.4:
            b.t(pick(rng, "Virement vers ", "IBAN bénéficiaire : ", "Compte destinataire ")).s(iban(rng), "iban").t(
                ". "
            )
        if P(rng, 0.35):
            b.t("Transaction depuis l'IP ").s(ip(rng), "ip_address").t(". ")
        if P(rng, 0.3):
            b.t("Appel reçu du faux conseiller : ").s(phone(rng), "phone").t(". ")
    else:
        b.t(
            pick(
                rng,
                "Carte opposée, n° non communiqué. ",
                "Numéro masqué sur le ticket (**** 4421). ",
                "Marchand : " + rng.choice(BRANDS) + ". ",
                f"Réf. opération {rng.randint(10**9, 10**10)}. ",
            )
        )
    b.t(pick(rng, "Orientation vers la plateforme PERCEVAL.", "Banque informée.", "Plainte enregistrée.", ""))
    return b.done("fraude_paiement", style(rng))


def appel_17(rng, pii):
    b = Builder(rng, 0.05)
    b.t(pick(rng, "Appel 17 - ", "Retranscription appel CIC ", "APPEL "), f"{hour(rng)} : ")
    b.t(pick(rng, "« Allô, ", '"oui bonjour ', "- Allo la police ? "))
    if pii and P(rng, 0.7):
        b.t(pick(rng, "je m'appelle ", "c'est ", "ici "))
        b.s(name(rng, None, rng.choice(["fl", "f", "low", "l"])), "person")
        b.t(", ")
    b.t(
        pick(rng, "y'a ", "il y a ", "je vois "),
        rng.choice(
            [
                "une bagarre devant le snack",
                "un homme qui frappe une voiture",
                "des jeunes sur le toit de l'école",
                "un incendie de scooter",
                "une femme qui crie au 2e",
            ]
        ),
        " ",
    )
    if pii and P(rng, 0.5):
        b.t(pick(rng, "en bas de chez moi au ", "juste devant chez moi, ", "j'habite ")).s(
            home_address(rng), "home_address"
        )
    else:
        b.t(pick(rng, "vers ", "à côté de ", "devant "), rng.choice(NAMED_SITES + PLACES))
    b.t(" ». ")
    if pii and P(rng, 0.5):
        b.t(pick(rng, "Rappel possible ", "Numéro appelant : ", "N° présenté ")).s(phone(rng), "phone").t(". ")
    else:
        b.t(pick(rng, "Numéro masqué. ", "Appelant anonyme. ", "Appel depuis cabine. "))
    if pii and P(rng, 0.3):
        b.t("Véhicule en fuite : ").s(plate(rng), "plate").t(". ")
    b.t(
        "Engagement ",
        pick(rng, "TV 21", "BAC Sud", "patrouille PM", "BMPM (18)"),
        pick(rng, ".", f", {radio(rng)}.", ", délai 8 min."),
    )
    return b.done("appel_17", style(rng, 0.3, 0.05))


def personne_disparue(rng, pii):
    b = Builder(rng, 0.01)
    sx = rng.choice("MF")
    b.t(pick(rng, "AVIS DE RECHERCHE - disparition inquiétante", "Disparition de mineur", "FICHE DISPARITION"), "\n")
    if pii:
        b.s(name(rng, sx, rng.choice(["Lf", "fl", "fL"])), "person")
        if P(rng, 0.7):
            b.t(pick(rng, ", né le ", ", née le ", " - DN ", ", ddn ")).s(dob(rng)[0], "date_of_birth")
    else:
        b.t(pick(rng, "Mineure de 15 ans", "Homme âgé de 78 ans, désorienté", "Adolescent de 13 ans"))
    b.t(
        pick(rng, ". Vu(e) pour la dernière fois ", ". Dernière localisation : ", ". Aperçu "),
        f"le {event_date(rng)} vers {hour(rng)}, ",
        rng.choice(PLACES + NAMED_SITES),
        ". ",
    )
    b.t(
        f"Signalement : {rng.randint(150, 185)} cm, ",
        rng.choice(["cheveux bruns", "cheveux roux", "chauve", "tresses"]),
        ", ",
        rng.choice(["sweat gris", "bonnet noir", "maillot de l'OM", "doudoune bleue"]),
        ". ",
    )
    if pii and P(rng, 0.4):
        lab, h = handle(rng)
        b.t("Dernière activité ", lab).s(h, "social_handle").t(". ")
    if pii and P(rng, 0.5):
        b.t(pick(rng, "Domicile familial : ", "Réside ")).s(home_address(rng), "home_address").t(". ")
    if pii and P(rng, 0.5):
        b.t(pick(rng, "Contact famille ", "Mère : ", "Père joignable "))
        if P(rng, 0.5):
            b.s(name(rng, None, "f"), "person").t(" ")
        b.s(phone(rng), "phone").t(". ")
    b.t(pick(rng, "Diffusion FPR.", "Tout renseignement au 17.", "Transmis BPF.", "Ne pas diffuser sur les réseaux."))
    return b.done("personne_disparue", style(rng, 0.15, 0.05))


def objet_trouve(rng, pii):
    b = Builder(rng, 0.02)
    b.t(
        pick(rng, "OBJET TROUVÉ", "Objets trouvés - dépôt", "Remise d'objet trouvé"),
        f" n° {rng.randint(1000, 99999)} - ",
    )
    b.t(
        pick(rng, "trouvé ", "ramassé ", "déposé par un usager "),
        rng.choice(["dans le bus ", "sur un banc ", "au guichet "]),
        pick(rng, "", transit(rng) + " ", rng.choice(PLACES) + " "),
        f"le {event_date(rng)}. ",
    )
    b.t("Contenu : ", rng.choice(["portefeuille noir", "sac à main", "pochette", "sacoche Decathlon"]), ", ")
    if pii:
        k = rng.sample(["cni", "vitale", "cb", "permis", "courrier", "vitale2", "cb2"], rng.randint(1, 3))
        k = [x.rstrip("2") for x in k]
        parts = []
        for x in k:
            if x == "cni":
                b.t("CNI au nom de ").s(name(rng, None, rng.choice(["Lf", "fL"])), "person")
                if P(rng, 0.5):
                    b.t(" née le ").s(dob(rng)[0], "date_of_birth")
            elif x == "vitale":
                b.t(pick(rng, "carte Vitale n° ", "carte vitale ", "attestation CPAM NIR ")).s(nir(rng), "nir")
            elif x == "cb":
                b.t(pick(rng, "CB ", "carte bancaire ", "carte Visa ")).s(card(rng), "card")
            elif x == "permis":
                b.t("permis de conduire ").s(name(rng, None, "L"), "person")
            else:
                b.t("courrier adressé au ").s(home_address(rng), "home_address")
            b.t(", ")
    else:
        b.t(pick(rng, "clés (porte-clés OM), ", "lunettes, ", "ticket RTM, ", "carte de fidélité Carrefour, "))
    b.t(
        pick(
            rng,
            "sans argent liquide",
            f"{amount(rng)} en espèces",
            "téléphone " + pick(rng, "Samsung Galaxy", "iPhone 15", "Xiaomi"),
        ),
        ". ",
    )
    b.t(
        pick(rng, "Propriétaire avisé. ", "Conservé au poste. ", "Transmis au service des objets trouvés. "),
        pick(rng, "RAS.", "", f"Réf. {ticket(rng)}."),
    )
    return b.done("objet_trouve", style(rng))


def rapport_videoprotection(rng, pii):
    b = Builder(rng, 0.02)
    b.t(
        pick(rng, "CSU - rapport vidéoprotection", "RAPPORT CSU", "Extraction vidéo"),
        f" - {event_date(rng)} {hour(rng)}\n",
    )
    cam = rng.randint(100, 1999)
    b.t(
        f"Caméra {cam}",
        pick(rng, f" / {cam + 1}", "", f" (dôme {rng.randint(1, 9)})"),
        " - ",
        rng.choice(PERSON_STREETS + PLACES),
        ". ",
    )
    b.t(
        pick(rng, "L'opérateur repère ", "Détection de ", "Visionnage : "),
        rng.choice(
            ["un rodéo motorisé", "un vol à la portière", "un dépôt sauvage", "une rixe", "un véhicule à contresens"]
        ),
        ". ",
    )
    for i in range(rng.randint(1, 2)):
        b.t(f"{rng.choice(CARS)} {rng.choice(COLORS)}")
        if pii and P(rng, 0.8):
            b.t(pick(rng, " immat. ", " ", " plaque lue : ")).s(plate(rng), "plate")
        else:
            b.t(pick(rng, ", plaque non lisible", ", plaque masquée", " (lecture LAPI impossible)"))
        b.t(". ")
    if pii and P(rng, 0.3):
        b.t("Conducteur identifié : ")
        add_name(b, rng, civil=0.2, form=rng.choice(["L", "Lf"]))
        b.t(". ")
    b.t(
        f"Images conservées 30 jours, réquisition {pv_no(rng)}. ",
        pick(rng, "Opérateur : ", "Visa : "),
        pick(rng, "chef de salle", f"poste {rng.randint(1, 24)}", "superviseur"),
        ".",
    )
    return b.done("rapport_videoprotection", style(rng, 0.15, 0.2))


def convocation(rng, pii):
    b = Builder(rng, 0.0)
    b.t(pick(rng, "CONVOCATION", "Convocation en audition libre", "Avis de convocation"), f" - {pv_no(rng)}\n")
    if pii:
        sx = rng.choice("MF")
        b.t(civ(rng, sx)).s(name(rng, sx, rng.choice(["L", "Lf", "l", "fL"])), "person")
        if P(rng, 0.6):
            b.t(pick(rng, "\nNé(e) le ", ", né(e) le ", "\nDate de naissance : ")).s(dob(rng)[0], "date_of_birth")
        if P(rng, 0.6):
            b.t(pick(rng, "\n", "\nDemeurant ")).s(home_address(rng, city=True), "home_address")
        if P(rng, 0.45):
            b.t(pick(rng, "\nN° SS : ", "\nNIR ", "\nN° sécu : ")).s(nir(rng, sx), "nir")
        elif P(rng, 0.1):
            b.t("\nIP de connexion (pré-plainte en ligne) : ").s(ip(rng), "ip_address")
    else:
        b.t("Destinataire : voir enveloppe (pli recommandé AR n° ", str(rng.randint(10**11, 10**12)), ")")
    b.t(
        "\nVous êtes prié(e) de vous présenter le ",
        event_date(rng),
        f" à {hour(rng)}, ",
        rng.choice(
            [
                "commissariat de Noailles",
                "Hôtel de police, bureau 3.12",
                "brigade des délégations judiciaires",
                "CSP Sud",
            ]
        ),
        pick(rng, ", muni(e) d'une pièce d'identité.", ", affaire vous concernant.", "."),
    )
    b.t(pick(rng, "\nEn cas d'empêchement, contacter l'enquêteur via le standard.", "\nLe chef de service.", ""))
    return b.done("convocation", style(rng, 0.15, 0.1))


def commentaire_agent(rng, pii):
    b = Builder(rng, 0.07)
    if pii:
        k = rng.randrange(8)
        if k == 5:
            b.t(pick(rng, "CB opposée ", "carte signalée ", "n° carte ")).s(card(rng), "card")
        elif k == 6:
            b.t(pick(rng, "rib perso decl. ", "iban remboursement ", "IBAN ")).s(iban(rng), "iban")
        elif k == 7:
            b.t(pick(rng, "ip connexion ", "IP ", "adr. ip ")).s(ip(rng), "ip_address")
        elif k == 0:
            b.t(pick(rng, "voir avec ", "rappeler ", "cf. ")).s(
                name(rng, None, rng.choice(["l", "L", "fl", "low"])), "person"
            )
            b.t(pick(rng, " ", " au ", " tel ")).s(phone(rng), "phone")
        elif k == 1:
            b.t(pick(rng, "orga = ", "contact : ")).s(email(rng), "email")
        elif k == 2:
            b.t(pick(rng, "vl suspect ", "VL ", "plaque ")).s(plate(rng), "plate").t(
                pick(rng, " a surveiller", " RAS", " vu 2x")
            )
        elif k == 3:
            b.t(pick(rng, "compte qui relaie : ", "insta orga ")).s(handle(rng)[1], "social_handle")
        else:
            b.t(pick(rng, "dom. organisateur ", "adresse perso decl. ")).s(
                home_address(rng, city=False), "home_address"
            )
        b.t(pick(rng, "", " - URGENT", " !!", " (cf mail)", f" {hour(rng)}"))
    else:
        b.t(
            rng.choice(
                [
                    rng.choice(CAPS),
                    f"{rng.choice(CAPS)} - {rng.choice(WORDS)}",
                    f"voir {ticket(rng)}",
                    f"RAS {hour(rng)}",
                    f"cf {arrete_no(rng)}",
                    f"doublon de {pv_no(rng)}",
                    f"{rng.choice(CAPS)} {count(rng)} {rng.choice(PLACES)}",
                    f"passer sur {radio(rng)}",
                    f"maj {version(rng)}",
                    f"contacter {rng.choice(FUNCTIONS)}",
                    f"dossier {rng.choice(ASSOS)} ok",
                ]
            )
        )
    return b.done("commentaire_agent", style(rng, 0.4, 0.2))


def accreditation_presse(rng, pii):
    b = Builder(rng, 0.01)
    media = rng.choice(
        ["La Provence", "Marsactu", "France 3 Provence", "BFM Marseille", "Radio Grenouille", "AFP", "pigiste"]
    )
    b.t(
        pick(rng, "Demande d'accréditation presse", "ACCRÉDITATION", "Accréditation média"),
        " - ",
        rng.choice(["visite ministérielle", "match OM", "conférence de presse préfecture", "cérémonie du 8 mai"]),
        f" du {event_date(rng)}\n",
    )
    b.t("Média : ", media, "\n")
    if pii:
        sx = rng.choice("MF")
        b.t(pick(rng, "Journaliste : ", "Nom : ", "Demandeur : ")).s(
            name(rng, sx, rng.choice(["Lf", "fl", "fL"])), "person"
        )
        if P(rng, 0.5):
            b.t(pick(rng, "\nDate de naissance : ", "\nNé(e) le ", "\nDDN ")).s(dob(rng)[0], "date_of_birth")
        if P(rng, 0.5):
            b.t("\nCourriel : ").s(email(rng), "email")
        if P(rng, 0.4):
            b.t("\nMobile : ").s(phone(rng, "mob"), "phone")
        if P(rng, 0.35):
            lab, h = handle(rng)
            b.t("\nRéseaux : ").s(h, "social_handle")
    else:
        b.t("Équipe : ", pick(rng, "1 JRI + 1 rédacteur", "photographe", "2 techniciens"), "\n")
    b.t(
        f"\nCarte de presse n° {rng.randint(100000, 199999)}",
        pick(rng, " (CCIJP)", "", " - valide"),
        ". ",
        pick(
            rng,
            "Accès zone presse " + rng.choice(PLACES) + ".",
            "Badge à retirer salle Mistral.",
            "Refusée : hors délai.",
            "",
        ),
    )
    return b.done("accreditation_presse", style(rng, 0.1, 0.05))


def fiche_vacataire(rng, pii):
    b = Builder(rng, 0.0)
    sep = pick(rng, " : ", ": ", "\t")
    b.t(
        pick(
            rng,
            "FICHE DE RENSEIGNEMENTS - agent vacataire",
            "Recrutement saisonnier (plages)",
            "Fiche agent - renfort été",
        ),
        "\n",
    )
    if pii:
        sx = rng.choice("MF")
        s, y, m = dob(rng, year=rng.randint(1970, 2006))
        b.t("Nom Prénom", sep).s(name(rng, sx, rng.choice(["Lf", "Lf", "fl"])), "person")
        if P(rng, 0.6):
            b.t("\nDate de naissance", sep).s(s, "date_of_birth")
        b.t(pick(rng, "\nN° sécurité sociale", "\nNIR", "\nN° SS"), sep).s(nir(rng, sx, y, m), "nir")
        if P(rng, 0.5):
            b.t("\nAdresse", sep).s(home_address(rng), "home_address")
        if P(rng, 0.5):
            b.t(pick(rng, "\nIBAN", "\nRIB"), sep).s(iban(rng, "FR") if P(rng, 0.7) else rib(rng), "iban")
        elif P(rng, 0.6):
            b.t("\nCoordonnées bancaires", sep).s(iban(rng), "iban")
        if P(rng, 0.3):
            b.t("\nTél", sep).s(phone(rng), "phone")
    else:
        b.t(
            "Poste",
            sep,
            rng.choice(["surveillant de baignade", "agent d'accueil", "médiateur"]),
            "\n",
            "Employeur",
            sep,
            "Ville de Marseille - DRH",
            f" ({siret(rng)})\n",
            "Grille",
            sep,
            f"indice {rng.randint(350, 420)}",
        )
    b.t(
        "\nAffectation",
        sep,
        rng.choice(["plage du Prado", "plage des Catalans", "Pointe-Rouge", "Corbières", "mairie 6/8"]),
        "\nPériode",
        sep,
        f"{event_date(rng)} au {event_date(rng)}",
    )
    return b.done("fiche_vacataire", style(rng, 0.1, 0.1))


FAMILIES = [
    ticket_support,
    log_export,
    fraude_paiement,
    appel_17,
    personne_disparue,
    objet_trouve,
    rapport_videoprotection,
    convocation,
    commentaire_agent,
    accreditation_presse,
    fiche_vacataire,
]
