"""Deterministic, realistic Marseille content for the three municipal feeds' sandboxes.

The same seed gives the same records, so tests can assert exact counts. Places and
streets come from the hand-made gazetteer; the geocoder sandbox knows the same
labels, so an event published without coordinates can be geocoded.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sandbox.gazetteer import PLACES, STREETS

PARIS = ZoneInfo("Europe/Paris")

ODS_CATEGORIES = {
    "culture": ["Festival de musique", "Concert en plein air", "Exposition photographique", "Cinéma en plein air"],
    "sport": ["Semi-marathon", "Course solidaire", "Tournoi de pétanque", "Randonnée urbaine à vélo"],
    "marche": ["Marché de producteurs", "Marché aux livres", "Brocante de quartier", "Marché de Noël"],
    "tournage": ["Tournage d'un long métrage", "Tournage d'une série télévisée", "Tournage publicitaire"],
    "fete": ["Fête de quartier", "Bal populaire", "Fête de la musique", "Carnaval"],
    "autre": ["Animation commerciale", "Collecte de sang", "Village associatif"],
}
ODS_PLACES = [
    "vieux_port",
    "cours_julien",
    "la_plaine",
    "borely",
    "joliette",
    "longchamp",
    "castellane",
    "plage_prado",
    "mucem",
    "notre_dame_du_mont",
    "belsunce",
    "reformes",
    "capelette",
    "estaque",
]
SPORT_ROUTES = ["prado_mer", "prado", "rive_neuve", "canebiere_bas", "michelet"]


def _street_line(name: str) -> list[list[float]]:
    points = []
    for step in STREETS[name][1]:
        lon, lat = (PLACES[step][1], PLACES[step][2]) if isinstance(step, str) else step
        points.append([lon, lat])
    return points


def _iso(moment: datetime) -> str:
    return moment.astimezone(PARIS).isoformat(timespec="seconds")


def ods_records(count: int, *, seed: int = 13, start: date = date(2026, 11, 1)) -> list[dict]:
    """`count` authorised events; about one in seven has no coordinates, only its `lieu`."""
    rng = random.Random(seed)
    out = []
    modified = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    for n in range(count):
        category = rng.choice(list(ODS_CATEGORIES))
        place = rng.choice(ODS_PLACES)
        label, lon, lat = PLACES[place]
        day = start + timedelta(days=rng.randrange(0, 60))
        begin = datetime(day.year, day.month, day.day, rng.choice([8, 9, 10, 14, 18, 20]), tzinfo=PARIS)
        hours = {"tournage": 10, "marche": 6, "sport": 4}.get(category, rng.choice([3, 5, 8]))
        modified += timedelta(seconds=rng.randrange(30, 600))
        record = {
            "id_evenement": f"EVT-2026-{n + 1:06d}",
            "titre": f"{rng.choice(ODS_CATEGORIES[category])} — {label.split(',')[0]}",
            "categorie": category,
            "date_debut": _iso(begin),
            "date_fin": _iso(begin + timedelta(hours=hours)),
            "lieu": label,
            "geo_point_2d": {"lon": lon, "lat": lat},
            "geo_shape": None,
            "affluence_prevue": rng.choice([None, 50, 200, 500, 1500, 5000, 20000]),
            "date_modification": modified.isoformat().replace("+00:00", "Z"),
        }
        if category == "sport" and rng.random() < 0.5:
            record["geo_shape"] = {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": _street_line(rng.choice(SPORT_ROUTES))},
                "properties": {},
            }
        elif rng.random() < 0.15:
            record["geo_point_2d"] = None  # published with its address only: geocoded by the platform
        out.append(record)
    return out


PM_CATEGORIES = {
    "tranquillite": ["Regroupement dans un hall", "Occupation de l'espace public", "Différend de voisinage"],
    "circulation": ["Feux tricolores en panne", "Accident matériel", "Véhicule en panne sur la chaussée"],
    "stationnement": ["Stationnement gênant", "Stationnement sur passage piéton", "Véhicule ventouse"],
    "environnement": ["Dépôt sauvage", "Encombrants sur trottoir", "Affichage sauvage"],
    "rixe": ["Rixe sur la voie publique", "Bagarre à la sortie d'un établissement"],
    "nuisance_sonore": ["Tapage nocturne", "Musique amplifiée", "Chantier hors horaires"],
    "autre": ["Animal errant", "Objet trouvé", "Assistance à personne"],
}
PM_OUTCOMES = [
    "Rappel à la règle",
    "Verbalisation",
    "Sans suite",
    "Orientation vers les services compétents",
    "Mise en fourrière",
    "Intervention terminée",
]
ARRONDISSEMENT_POINTS = {
    1: (5.381, 43.299),
    2: (5.366, 43.307),
    3: (5.381, 43.311),
    4: (5.400, 43.306),
    5: (5.397, 43.292),
    6: (5.381, 43.287),
    7: (5.362, 43.283),
    8: (5.385, 43.255),
    9: (5.430, 43.243),
    10: (5.422, 43.276),
    11: (5.470, 43.290),
    12: (5.444, 43.307),
    13: (5.428, 43.350),
    14: (5.392, 43.345),
    15: (5.364, 43.358),
    16: (5.316, 43.360),
}
PM_HEADER = "id_intervention;date_heure;categorie;sous_categorie;arrondissement;longitude;latitude;suite_donnee"


def _fr_decimal(value: float) -> str:
    return f"{value:.3f}".replace(".", ",")


def pm_rows(day: date, count: int, *, seed: int = 7) -> list[tuple[str, datetime, str]]:
    """(id, instant, CSV line) of one day's interventions, in time order."""
    rng = random.Random(f"{seed}-{day.isoformat()}")
    start = datetime(day.year, day.month, day.day, tzinfo=PARIS).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=PARIS).astimezone(UTC)
    span = int((end - start).total_seconds() // 60)  # 1380, 1440 or 1500 minutes (DST days)
    minutes = sorted(rng.sample(range(span), count))
    rows = []
    for n, minute in enumerate(minutes, start=1):
        moment = start + timedelta(minutes=minute)
        category = rng.choice(list(PM_CATEGORIES))
        arr = rng.randint(1, 16)
        lon, lat = ARRONDISSEMENT_POINTS[arr]
        lon, lat = lon + rng.uniform(-0.01, 0.01), lat + rng.uniform(-0.008, 0.008)
        ident = f"PM-{day:%Y%m%d}-{n:04d}"
        local = moment.astimezone(PARIS)
        line = ";".join(
            [
                ident,
                local.strftime("%d/%m/%Y %H:%M"),
                category,
                rng.choice(PM_CATEGORIES[category]),
                str(arr),
                _fr_decimal(lon),
                _fr_decimal(lat),
                rng.choice(PM_OUTCOMES),
            ]
        )
        rows.append((ident, moment, line))
    return rows


def pm_csv(day: date, count: int, *, seed: int = 7, extra_lines: list[str] | None = None) -> bytes:
    """One day's file as the City's office software writes it: BOM, `;`, CRLF."""
    lines = [PM_HEADER] + [line for _, _, line in pm_rows(day, count, seed=seed)] + (extra_lines or [])
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


TRAVAUX_NATURES = [
    "Réfection de chaussée",
    "Renouvellement du réseau d'eau",
    "Pose de fibre optique",
    "Travaux sur réseau de gaz",
    "Aménagement cyclable",
    "Élagage",
    "Réparation de trottoir",
]
TRAVAUX_STREETS = [
    "rome",
    "prado",
    "canebiere_haut",
    "belsunce",
    "athenes",
    "republique",
    "longchamp",
    "liberation",
    "lodi",
    "national",
    "quai_du_port",
    "michelet",
]


def travaux_collection(day: date, *, count: int = 24, seed: int = 5, bowtie: bool = True) -> dict:
    """The road-works file as published on `day`: sites open for a few weeks each, so
    successive days share most sites, add some and drop others."""
    rng = random.Random(seed)
    features = []
    for n in range(count * 3):
        opens = date(2026, 10, 1) + timedelta(days=rng.randrange(0, 75))
        closes = opens + timedelta(days=rng.choice([3, 7, 14, 30]))
        street = rng.choice(TRAVAUX_STREETS)
        if not opens <= day <= closes:
            continue
        line = _street_line(street)
        if rng.random() < 0.3:
            lon, lat = line[0]
            geometry = {
                "type": "Polygon",
                "coordinates": [
                    [[lon, lat], [lon + 0.0008, lat], [lon + 0.0008, lat + 0.0005], [lon, lat + 0.0005], [lon, lat]]
                ],
            }
        else:
            geometry = {"type": "LineString", "coordinates": line[:2]}
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "id_chantier": f"CH-2026-{n + 1:05d}",
                    "nature": rng.choice(TRAVAUX_NATURES),
                    "date_debut": opens.isoformat(),
                    "date_fin": closes.isoformat(),
                    "impact": rng.choice(["restriction", "restriction", "fermeture", "deviation"]),
                    "adresse": STREETS[street][0],
                },
            }
        )
    if bowtie and features:
        # a self-intersecting footprint, as drawing tools let through: PostGIS repairs it
        lon, lat = PLACES["castellane"][1:]
        features[0] = {
            **features[0],
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[lon, lat], [lon + 0.001, lat + 0.001], [lon + 0.001, lat], [lon, lat + 0.001], [lon, lat]]
                ],
            },
        }
    return {"type": "FeatureCollection", "name": "travaux-voirie", "features": features}


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def dumps(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
