"""Realistic, deterministic Cortège entries over Marseille.

Every entry has a history of versions (edits, sometimes a cancellation), times
in Europe/Paris across the DST changes, French text without personal data, and
addresses from the gazetteer, some picked on the map (lon/lat), some typed only.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sandbox import gazetteer as gz

PARIS = ZoneInfo("Europe/Paris")
# Fixed so that the generated set is the same on every machine and every day.
REFERENCE_TIME = datetime(2026, 11, 15, 12, 0, tzinfo=PARIS)
# The two DST changes of 2026 in France, where timestamps are easy to get wrong.
DST_DAYS = [datetime(2026, 3, 29, tzinfo=PARIS), datetime(2026, 10, 25, tzinfo=PARIS)]

MARCH_SUBJECTS = [
    ("Retraites : marche intersyndicale", "syndicat"),
    ("Mobilisation pour les salaires et l'emploi", "syndicat"),
    ("Défense de l'hôpital public", "syndicat"),
    ("Marche pour le climat", "association"),
    ("Journée internationale des droits des femmes", "association"),
    ("Marche des fiertés", "association"),
    ("Fête du Travail - défilé du 1er mai", "syndicat"),
    ("Marche contre l'habitat indigne", "association"),
    ("Manifestation des enseignants contre la réforme", "syndicat"),
    ("Marche de soutien aux commerçants du centre-ville", "autres"),
    ("Rassemblement cycliste pour des pistes sécurisées", "association"),
    ("Marche pour la paix", "parti_politique"),
    ("Défilé des étudiants contre la précarité", "syndicat"),
]
STATIC_SUBJECTS = [
    ("Rassemblement devant la préfecture", "syndicat"),
    ("Rassemblement pour le logement", "association"),
    ("Soutien aux soignants", "syndicat"),
    ("Rassemblement contre les violences faites aux femmes", "association"),
    ("Veillée en hommage aux victimes", "autres"),
    ("Rassemblement pour les transports publics", "parti_politique"),
    ("Piquet de grève des agents territoriaux", "syndicat"),
    ("Rassemblement des chauffeurs de taxi", "autres"),
]
OPERATION_SUBJECTS = {
    "psq_transports": ["Sécurisation des transports en commun", "Présence renforcée aux stations de métro"],
    "psq_qrr": ["Opération de reconquête républicaine", "Patrouilles coordonnées en soirée"],
    "securite_routiere": ["Contrôles de vitesse", "Contrôle des deux-roues motorisés", "Opération alcoolémie"],
    "codaf": ["Contrôle coordonné des commerces (CODAF)", "Lutte contre le travail dissimulé"],
    "marche_aux_puces": ["Sécurisation du marché aux puces"],
    "min": ["Contrôle au marché d'intérêt national"],
}
VISIT_SUBJECTS = [
    "Visite ministérielle",
    "Déplacement du ministre de l'Intérieur",
    "Visite d'une délégation étrangère",
    "Inauguration en présence du Préfet",
    "Déplacement présidentiel",
    "Visite officielle du Premier ministre",
    "Commémoration officielle",
]
DESCRIPTIONS = [
    "Départ prévu 14h, dispersion vers 17h30. Service d'ordre syndical.",
    "Parcours déclaré en préfecture. Sonorisation mobile, un camion en tête de cortège.",
    "Rassemblement pacifique, prises de parole prévues sur place.",
    "Circulation à interrompre sur le parcours. Coordination avec la RTM.",
    "Dispositif allégé, participation attendue en baisse par rapport à la précédente édition.",
    "Stationnement interdit le long du parcours à partir de 12h.",
    "Fermeture temporaire des stations de métro à proximité à prévoir.",
    None,
    "Point presse prévu à l'arrivée.",
    "Présence de la police municipale demandée aux intersections principales.",
]


def _point(ref: object) -> tuple[float, float]:
    if isinstance(ref, tuple):
        return ref
    _, lon, lat = gz.PLACES[ref]
    return lon, lat


def _street_points(key: str) -> list[tuple[float, float]]:
    backwards = key.startswith("-")
    _, waypoints = gz.STREETS[key.lstrip("-")]
    pts = [_point(w) for w in waypoints]
    return pts[::-1] if backwards else pts


def _end_place(key: str, first: bool) -> object:
    _, waypoints = gz.STREETS[key.lstrip("-")]
    backwards = key.startswith("-")
    return waypoints[0] if (first != backwards) else waypoints[-1]


def _address(rng: random.Random, ref: object, fallback_label: str, pick_rate: float = 0.7) -> dict:
    if isinstance(ref, str):
        label, lon, lat = gz.PLACES[ref]
    else:
        label, (lon, lat) = fallback_label, ref
    if rng.random() < pick_rate:
        return {"libelle": label, "lon": round(lon, 5), "lat": round(lat, 5)}
    return {"libelle": label, "lon": None, "lat": None}


def _iso(moment: datetime) -> str:
    return moment.astimezone(PARIS).isoformat(timespec="seconds")


def _schedule(rng: random.Random, index: int) -> tuple[datetime, datetime]:
    if index % 25 == 7:  # some around the DST changes, overnight
        day = DST_DAYS[(index // 25) % 2]
        start = (day - timedelta(days=1)).replace(hour=22, minute=0)
        return start, start + timedelta(hours=6)
    day = datetime(2026, 1, 5, tzinfo=PARIS) + timedelta(days=rng.randrange(0, 360))
    start = day.replace(hour=rng.choice([8, 9, 10, 11, 14, 15, 17, 18, 20]), minute=rng.choice([0, 0, 30]))
    # wall-clock arithmetic in Europe/Paris: the offset follows the date
    return start, (start + timedelta(minutes=rng.choice([60, 90, 120, 180, 240, 300]))).astimezone(PARIS)


def _counts(rng: random.Random, scale: int) -> dict:
    expected = rng.randrange(scale // 10, scale) if scale > 10 else rng.randrange(0, 50)
    return {
        "nb_personnes_attendues": expected,
        "nb_personnes_declarees": rng.choice([None, int(expected * rng.uniform(0.4, 1.2))]),
        "nb_voitures_attendues": rng.choice([None, 0, 1, 2, 3, 5]),
        "nb_voitures_declarees": rng.choice([None, 0, 1, 2]),
    }


def _march(rng: random.Random) -> dict:
    subject, organizer = rng.choice(MARCH_SUBJECTS)
    route = rng.choice(gz.MARCH_ROUTES)
    line: list[tuple[float, float]] = []
    for key in route:
        pts = _street_points(key)
        line.extend(pts if not line or line[-1] != pts[0] else pts[1:])
    start_ref, end_ref = _end_place(route[0], True), _end_place(route[-1], False)
    passages = []
    for key in route:
        label, waypoints = gz.STREETS[key.lstrip("-")]
        mid = _point(waypoints[len(waypoints) // 2])
        passages.append(_address(rng, mid, label, pick_rate=0.4))
    entry = {
        "objet": subject,
        "adresse_depart": _address(rng, start_ref, gz.STREETS[route[0].lstrip("-")][0]),
        "points_de_passage": passages,
        "adresse_arrivee": _address(rng, end_ref, gz.STREETS[route[-1].lstrip("-")][0]),
        **_counts(rng, 12000),
        "statut_organisateur": organizer,
        "trace": (
            {"type": "LineString", "coordinates": [[round(x, 5), round(y, 5)] for x, y in line]}
            if rng.random() < 0.6
            else None
        ),
    }
    return entry


def _square(lon: float, lat: float, half: float) -> dict:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring]]}


def _gathering(rng: random.Random) -> dict:
    subject, organizer = rng.choice(STATIC_SUBJECTS)
    place = rng.choice(gz.GATHERING_PLACES)
    _, lon, lat = gz.PLACES[place]
    return {
        "objet": subject,
        "adresse": _address(rng, place, ""),
        **_counts(rng, 3000),
        "statut_organisateur": organizer,
        "emprise": _square(lon, lat, 0.0004) if rng.random() < 0.5 else None,
    }


def _operation(rng: random.Random) -> dict:
    theme = rng.choice(list(gz.OPERATION_PLACES))
    places = rng.sample(gz.OPERATION_PLACES[theme], k=min(len(gz.OPERATION_PLACES[theme]), rng.randint(1, 3)))
    return {
        "objet": rng.choice(OPERATION_SUBJECTS[theme]),
        "adresses": [_address(rng, p, "") for p in places],
        "theme": theme,
    }


def _visit(rng: random.Random) -> dict:
    places = rng.sample(gz.VISIT_PLACES, k=rng.randint(1, 3))
    return {"objet": rng.choice(VISIT_SUBJECTS), "adresses": [_address(rng, p, "") for p in places]}


BUILDERS = {
    "manifestation_deambulatoire": (_march, 0.40),
    "manifestation_statique": (_gathering, 0.25),
    "operation_programmee": (_operation, 0.22),
    "visite_officielle": (_visit, 0.13),
}


def generate_histories(count: int = 240, seed: int = 13) -> list[list[dict]]:
    """`count` entries, each the list of its versions (oldest first)."""
    rng = random.Random(seed)
    types = list(BUILDERS)
    weights = [BUILDERS[t][1] for t in types]
    histories: list[list[dict]] = []
    for index in range(count):
        entry_type = rng.choices(types, weights)[0]
        body = BUILDERS[entry_type][0](rng)
        debut, fin = _schedule(rng, index)
        created = min(
            debut - timedelta(days=rng.randint(2, 40), minutes=rng.randint(0, 600)),
            REFERENCE_TIME - timedelta(days=rng.randint(1, 30)),
        )
        entry = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "version": 1,
            "type": entry_type,
            "etat": "active",
            "created_at": _iso(created),
            "updated_at": _iso(created),
            "objet": body.pop("objet"),
            "description": rng.choice(DESCRIPTIONS),
            "debut": _iso(debut),
            "fin": _iso(fin),
            **body,
        }
        versions = [entry]
        edits = rng.choices([0, 1, 2], [0.6, 0.3, 0.1])[0]
        updated = created
        for _ in range(edits):
            updated = updated + timedelta(hours=rng.randint(1, 72), minutes=rng.randint(0, 59))
            if updated >= REFERENCE_TIME:
                break
            new = dict(versions[-1], version=versions[-1]["version"] + 1, updated_at=_iso(updated))
            if "nb_personnes_attendues" in new and new["nb_personnes_attendues"] is not None:
                new["nb_personnes_attendues"] = int(new["nb_personnes_attendues"] * rng.uniform(0.8, 1.3))
            new["description"] = rng.choice(DESCRIPTIONS)
            versions.append(new)
        if rng.random() < 0.08:
            updated = min(updated + timedelta(hours=rng.randint(2, 48)), REFERENCE_TIME - timedelta(minutes=5))
            versions.append(
                dict(versions[-1], version=versions[-1]["version"] + 1, etat="annulee", updated_at=_iso(updated))
            )
        histories.append(versions)
    return histories
