"""Families E: seizure inventories, social-media watch sheets, operator requisitions."""

from common import Builder, P, add_name, card, dob, email, event_date, handle, iban, ip, nir, phone, pick, rib, style
from lookalikes import TITLES, amount, hashtag, hour, pv_no, ticket, version

PLATFORMS = ["Instagram", "TikTok", "Snapchat", "X (ex-Twitter)", "Facebook", "Telegram"]


def inventaire_scelles(rng, pii):
    b = Builder(rng, 0.0)
    b.t(
        pick(rng, "INVENTAIRE DES SCELLÉS", "Inventaire - fouille à corps", "Liste des objets saisis"),
        f" - {pv_no(rng)}\n",
    )
    n = rng.randint(2, 4)
    for i in range(n):
        b.t(f"Scellé n° {i + 1}{pick(rng, '', 'bis', '/A')} : ")
        k = rng.choice(["cb", "cb", "rib", "tel", "vitale", "cash", "misc"])
        if k == "cb" and pii:
            b.t(
                pick(rng, "carte bancaire ", "CB ", "carte "), rng.choice(["Visa ", "Mastercard ", "Amex ", ""]), "n° "
            ).s(card(rng), "card")
        elif k == "rib" and pii:
            b.t(pick(rng, "RIB manuscrit ", "chéquier + RIB ", "relevé bancaire, IBAN ")).s(
                iban(rng) if P(rng, 0.6) else rib(rng), "iban"
            )
        elif k == "tel" and pii:
            b.t(f"téléphone {pick(rng, 'Samsung', 'iPhone', 'Xiaomi')}, ligne ").s(phone(rng, "mob"), "phone")
        elif k == "vitale" and pii:
            b.t("carte Vitale ").s(nir(rng), "nir")
        elif k == "cash":
            b.t(f"numéraire {amount(rng)} (billets de 20 et 50)")
        else:
            b.t(
                rng.choice(
                    [
                        f"téléphone {pick(rng, 'Samsung', 'iPhone')} sans carte SIM (IMEI relevé au PV)",
                        "carte bancaire au nom d'un tiers, n° illisible",
                        "carte cadeau Decathlon",
                        "clé USB 32 Go",
                        "carnet de tickets RTM",
                        "ticket de caisse Carrefour n° " + str(rng.randint(10**5, 10**6)),
                    ]
                )
            )
        b.t("\n")
    if pii and P(rng, 0.4):
        b.t("Propriétaire déclaré : ")
        add_name(b, rng, civil=0.5)
        b.t("\n")
    b.t(
        pick(
            rng,
            "Placés sous main de justice.",
            "Restitution à l'issue de la GAV.",
            "Transmis au greffe.",
            "Signature de l'OPJ.",
        )
    )
    return b.done("inventaire_scelles", style(rng, 0.1, 0.15))


def veille_compte_rs(rng, pii):
    b = Builder(rng, 0.02)
    plat = rng.choice(PLATFORMS)
    b.t(pick(rng, "FICHE COMPTE RS", "Veille numérique - fiche compte", "Signalement compte"), f" ({plat})\n")
    if pii:
        lab, h = handle(rng)
        b.t("Compte : ").s(h, "social_handle").t("\n")
        if P(rng, 0.4):
            b.t("Identité supposée : ")
            add_name(b, rng, civil=0.2, form=rng.choice(["fl", "Lf", "f"]))
            b.t("\n")
        if P(rng, 0.4):
            b.t(pick(rng, "Compte lié : ", "Second compte : ")).s(handle(rng)[1], "social_handle").t("\n")
        if P(rng, 0.35):
            b.t("Mail de récupération : ").s(email(rng), "email").t("\n")
        if P(rng, 0.4):
            b.t("Dernières IP (réponse plateforme) : ").s(ip(rng), "ip_address")
            if P(rng, 0.5):
                b.t(", ").s(ip(rng), "ip_address")
            b.t("\n")
    else:
        b.t(
            "Compte : ",
            rng.choice(
                [
                    "page officielle d'un club de supporters",
                    "compte collectif de l'intersyndicale",
                    "compte d'un média local",
                    "compte supprimé avant capture",
                ]
            ),
            "\n",
        )
    b.t(
        f"Abonnés : {rng.randint(1, 90)} k. Contenus : ",
        rng.choice(["appels à rassemblement", "vidéos de rodéos", "annonces de fêtes sauvages", "clips"]),
        f" {hashtag(rng)}, musique « {rng.choice(TITLES)} ».\n",
    )
    b.t(pick(rng, "Pas d'infraction caractérisée.", f"Réquisition {ticket(rng)}.", "Transmis PHAROS.", "Suivi hebdo."))
    return b.done("veille_compte_rs", style(rng, 0.1, 0.05))


def requisition_operateur(rng, pii):
    b = Builder(rng, 0.0)
    op = rng.choice(["Orange", "SFR", "Bouygues Telecom", "Free Mobile", "Meta Platforms", "Google", "Snap Inc."])
    b.t(
        pick(rng, "RÉQUISITION JUDICIAIRE", "Réquisition (art. 77-1-1 CPP)", "Demande d'identification"),
        f" - destinataire : {op} - {pv_no(rng)}\n",
    )
    b.t(
        "Objet : ",
        pick(
            rng,
            "identification du titulaire",
            "fadettes sur 3 mois",
            "données de connexion",
            "géolocalisation de la ligne",
        ),
        " ",
    )
    if pii:
        k = rng.randrange(4)
        if k == 0:
            b.t("de la ligne ").s(phone(rng), "phone")
        elif k == 1:
            b.t("de l'adresse IP ").s(ip(rng), "ip_address").t(f" le {event_date(rng)} à {hour(rng)}")
        elif k == 2:
            b.t("du compte ").s(email(rng, obf=False), "email")
        else:
            b.t("du profil ").s(handle(rng)[1], "social_handle")
        if P(rng, 0.35):
            b.t(", en lien avec ")
            add_name(b, rng, civil=0.5)
            if P(rng, 0.4):
                b.t(pick(rng, " né le ", ", DN ")).s(dob(rng)[0], "date_of_birth")
    else:
        b.t(pick(rng, "(identifiants en annexe scellée)", "(voir liste jointe, 3 lignes)", "(réf. dossier parquet)"))
    b.t(
        f".\nRéponse attendue sous {rng.randint(2, 15)} jours. ",
        pick(rng, f"Plateforme PNIJ {version(rng)}.", "Frais de justice : " + amount(rng) + ".", ""),
    )
    return b.done("requisition_operateur", style(rng, 0.1, 0.05))


FAMILIES = [inventaire_scelles, veille_compte_rs, requisition_operateur]
