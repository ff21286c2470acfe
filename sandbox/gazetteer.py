"""A hand-made gazetteer of Marseille: real places and streets, WGS 84 (lon, lat).

Coordinates were read off a map by hand, to a few tens of metres; streets are
polylines through their main crossings, so that generated routes follow real
streets as far as such a list allows.
"""

from __future__ import annotations

# name -> (address label as an agent would type it, lon, lat)
PLACES: dict[str, tuple[str, float, float]] = {
    "vieux_port": ("Vieux-Port, Quai des Belges, 13001 Marseille", 5.3743, 43.2951),
    "hotel_de_ville": ("Hôtel de Ville, Quai du Port, 13002 Marseille", 5.3697, 43.2966),
    "noailles": ("La Canebière, angle rue de Rome, 13001 Marseille", 5.3787, 43.2962),
    "reformes": ("Église des Réformés, haut de la Canebière, 13001 Marseille", 5.3857, 43.2993),
    "belsunce": ("Cours Belsunce, 13001 Marseille", 5.3766, 43.2988),
    "porte_d_aix": ("Porte d'Aix, Place Jules Guesde, 13003 Marseille", 5.3741, 43.3051),
    "saint_charles": ("Gare Saint-Charles, Square Narvik, 13001 Marseille", 5.3806, 43.3026),
    "athenes": ("Boulevard d'Athènes, 13001 Marseille", 5.3805, 43.2998),
    "longchamp": ("Palais Longchamp, Boulevard Jardin Zoologique, 13004 Marseille", 5.3946, 43.3046),
    "cinq_avenues": ("Place des Cinq-Avenues, 13004 Marseille", 5.4003, 43.3031),
    "la_plaine": ("Place Jean Jaurès, 13005 Marseille", 5.3880, 43.2935),
    "cours_julien": ("Cours Julien, 13006 Marseille", 5.3836, 43.2942),
    "prefecture": ("Préfecture des Bouches-du-Rhône, Place Félix-Baret, 13006 Marseille", 5.3797, 43.2899),
    "castellane": ("Place Castellane, 13006 Marseille", 5.3833, 43.2856),
    "perier": ("Avenue du Prado, métro Périer, 13008 Marseille", 5.3866, 43.2786),
    "rond_point_prado": ("Rond-point du Prado, 13008 Marseille", 5.3893, 43.2727),
    "velodrome": ("Stade Vélodrome, Boulevard Michelet, 13008 Marseille", 5.3959, 43.2699),
    "borely": ("Parc Borély, Avenue du Prado, 13008 Marseille", 5.3775, 43.2595),
    "plage_prado": ("Plages du Prado, statue de David, 13008 Marseille", 5.3728, 43.2617),
    "joliette": ("Place de la Joliette, 13002 Marseille", 5.3665, 43.3040),
    "sadi_carnot": ("Place Sadi-Carnot, rue de la République, 13002 Marseille", 5.3735, 43.2992),
    "mucem": ("MuCEM, Esplanade du J4, 13002 Marseille", 5.3608, 43.2966),
    "major": ("Cathédrale de la Major, Place de la Major, 13002 Marseille", 5.3656, 43.2996),
    "pharo": ("Palais du Pharo, Boulevard Charles Livon, 13007 Marseille", 5.3606, 43.2930),
    "notre_dame_garde": ("Basilique Notre-Dame de la Garde, 13006 Marseille", 5.3713, 43.2840),
    "palais_justice": ("Palais de Justice, Place Monthyon, 13006 Marseille", 5.3782, 43.2922),
    "opera": ("Opéra de Marseille, Place Ernest Reyer, 13001 Marseille", 5.3763, 43.2949),
    "sebastopol": ("Place Sébastopol, 13004 Marseille", 5.4000, 43.2968),
    "timone": ("Hôpital de la Timone, Rue Saint-Pierre, 13005 Marseille", 5.4008, 43.2892),
    "arenc": ("Euroméditerranée, Boulevard de Dunkerque, 13002 Marseille", 5.3680, 43.3085),
    "marche_puces": ("Marché aux Puces, Chemin de la Madrague-Ville, 13015 Marseille", 5.3665, 43.3355),
    "min_arnavaux": ("MIN des Arnavaux, Avenue Paul Brémond, 13014 Marseille", 5.3905, 43.3350),
    "national": ("Boulevard National, 13003 Marseille", 5.3858, 43.3070),
    "notre_dame_du_mont": ("Place Notre-Dame-du-Mont, 13006 Marseille", 5.3855, 43.2911),
    "rive_neuve": ("Quai de Rive-Neuve, 13007 Marseille", 5.3700, 43.2935),
    "capelette": ("Place de la Capelette, 13010 Marseille", 5.4060, 43.2810),
    "estaque": ("Port de l'Estaque, 13016 Marseille", 5.3140, 43.3620),
}

# street -> (label, ordered waypoints as place names or raw (lon, lat) points)
STREETS: dict[str, tuple[str, list]] = {
    "canebiere_bas": ("La Canebière, 13001 Marseille", ["vieux_port", (5.3765, 43.2957), "noailles"]),
    "canebiere_haut": ("La Canebière, 13001 Marseille", ["noailles", (5.3812, 43.2972), "reformes"]),
    "rome": (
        "Rue de Rome, 13006 Marseille",
        ["noailles", (5.3792, 43.2935), "prefecture", (5.3815, 43.2878), "castellane"],
    ),
    "prado": ("Avenue du Prado, 13008 Marseille", ["castellane", "perier", "rond_point_prado"]),
    "prado_mer": ("Avenue du Prado, 13008 Marseille", ["rond_point_prado", (5.3820, 43.2680), "borely", "plage_prado"]),
    "michelet": ("Boulevard Michelet, 13008 Marseille", ["rond_point_prado", "velodrome"]),
    "belsunce": ("Cours Belsunce, 13001 Marseille", [(5.3770, 43.2966), "belsunce", (5.3756, 43.3020), "porte_d_aix"]),
    "athenes": ("Boulevard d'Athènes, 13001 Marseille", [(5.3812, 43.2972), "athenes", "saint_charles"]),
    "longchamp": ("Boulevard Longchamp, 13001 Marseille", ["reformes", (5.3900, 43.3018), "longchamp"]),
    "liberation": ("Boulevard de la Libération, 13004 Marseille", ["reformes", (5.3930, 43.3010), "cinq_avenues"]),
    "republique": (
        "Rue de la République, 13002 Marseille",
        [(5.3741, 43.2962), "sadi_carnot", (5.3700, 43.3020), "joliette"],
    ),
    "quai_du_port": ("Quai du Port, 13002 Marseille", ["vieux_port", "hotel_de_ville", (5.3630, 43.2958)]),
    "rive_neuve": ("Quai de Rive-Neuve, 13007 Marseille", ["vieux_port", "rive_neuve", "pharo"]),
    "lodi": ("Rue de Lodi, 13006 Marseille", ["castellane", "notre_dame_du_mont", "la_plaine"]),
    "national": ("Boulevard National, 13003 Marseille", ["saint_charles", (5.3840, 43.3048), "national"]),
}

# Marches: streets walked in order; a leading "-" walks a street backwards.
MARCH_ROUTES: list[list[str]] = [
    ["canebiere_bas", "canebiere_haut"],
    ["-canebiere_haut", "-canebiere_bas"],
    ["canebiere_bas", "canebiere_haut", "liberation"],
    ["-longchamp", "-canebiere_haut", "-canebiere_bas"],
    ["canebiere_bas", "rome", "prado"],
    ["-prado", "-rome", "-canebiere_bas"],
    ["-belsunce"],
    ["athenes", "national"],
    ["-athenes"],
    ["republique"],
    ["-republique"],
    ["rive_neuve"],
    ["quai_du_port"],
    ["lodi"],
    ["michelet"],
    ["prado", "prado_mer"],
]

# Static gatherings, operations and visits happen at places.
GATHERING_PLACES = [
    "vieux_port",
    "prefecture",
    "castellane",
    "la_plaine",
    "cours_julien",
    "reformes",
    "hotel_de_ville",
    "palais_justice",
    "porte_d_aix",
    "timone",
    "saint_charles",
    "joliette",
]
OPERATION_PLACES = {
    "psq_transports": ["saint_charles", "noailles", "castellane", "joliette", "rond_point_prado"],
    "psq_qrr": ["belsunce", "noailles", "porte_d_aix", "national"],
    "securite_routiere": ["perier", "rond_point_prado", "velodrome", "cinq_avenues", "capelette"],
    "codaf": ["belsunce", "noailles", "national", "sebastopol"],
    "marche_aux_puces": ["marche_puces"],
    "min": ["min_arnavaux"],
}
VISIT_PLACES = [
    "hotel_de_ville",
    "prefecture",
    "pharo",
    "mucem",
    "major",
    "notre_dame_garde",
    "arenc",
    "velodrome",
    "timone",
    "estaque",
    "saint_charles",
    "opera",
]
