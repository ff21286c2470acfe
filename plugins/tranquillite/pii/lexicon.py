"""Word lists the detectors need: the words that make a name a place, a function or an
organisation. First names and surnames come from names-dataset (`names.py`), not from here."""

from __future__ import annotations

# A name right after one of these is a place, a building or an institution named
# after someone ("place Jean Jaurès", "boulevard Michelet", "lycée Victor Hugo").
PLACE_WORDS = frozenset(
    """
    rue avenue av av. boulevard bd bd. place pl pl. cours quai quais allée allées square impasse
    traverse chemin montée passage esplanade parvis rond-point rocade autoroute tunnel pont port plage
    anse calanque corniche promenade parc jardin jardins stade gymnase piscine lycée collège école
    groupe université faculté hôpital clinique centre salle espace résidence cité foyer fondation
    conservatoire crèche creche ehpad iut lycee college ecole hopital friche
    institut musée théâtre opéra église basilique cathédrale chapelle mosquée synagogue temple gare
    station métro tramway arrêt halle marché fort palais hôtel caserne bibliothèque médiathèque mairie
    quartier village domaine bastide saint sainte st ste pôle complexe square rond
    statue monument buste stèle stele fontaine mémorial memorial plaque obélisque arc porte tour phare
    """.split()
)

# Titles and functions: "M. le Préfet" names a function, not a person.
FUNCTIONS = frozenset(
    """
    Préfet Préfète Maire Ministre Président Présidente Directeur Directrice Commissaire Procureur
    Procureure Juge Député Députée Sénateur Sénatrice Adjoint Adjointe Conseiller Conseillère Secrétaire
    Délégué Déléguée Général Générale Commandant Capitaine Lieutenant Colonel Brigadier Gardien Chef
    Cheffe Consul Ambassadeur Ambassadrice Recteur Rectrice Évêque Archevêque Officier Sous Vice
    Divisionnaire Principal Principale Central Centrale Départemental Départementale Régional Régionale
    Maréchal Marechal Amiral Inspecteur Inspectrice Major Adjudant Gendarme Agent Agente Élu Élue
    Chargé Chargée Attaché Attachée
    """.split()
)

MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"

# People whose names Marseille's streets, squares and schools carry: said alone
# ("hommage à Jean Jaurès"), they name the public figure or the place.
EPONYMS = frozenset(
    name.strip().lower()
    for name in """
    Jean Jaurès|Jean Moulin|Victor Hugo|Léon Blum|Charles de Gaulle|Marcel Pagnol|Edmond Rostand|Pierre Puget|
    Félix Baret|Léon Gambetta|Sadi Carnot|Charles Livon|Camille Pelletan|Jules Guesde|Louis Pasteur|
    Marcel Paul|Francis Davso|Robert Schuman|Jean Bouin|Pierre Delort|Albert Londres|Henri Barbusse|
    Camille Flammarion|Gaston Crémieux|Jean Giono|Émile Zola|Emile Zola|Georges Clemenceau|Jean Médecin|
    Simone Veil|Louise Michel|Gabriel Péri|Jean Vilar|Alexandre Dumas|Paul Cézanne|Frédéric Mistral|
    Marie Curie|Pierre Curie|Albert Camus|Jules Ferry|Jean Monnet|Aristide Briand|Honoré Daumier
    """.replace("\n", "").split("|")
)

# Capitals that are organisations, not surnames.
ACRONYMS = frozenset(
    """
    CGT CFDT CFTC CGC UNSA FSU SUD CNT RTM SNCF RATP CODAF PSQ QRR MIN SAMU SMUR CRS BAC GIGN RAID DDSP
    PACA HT TTC IRIS IDF QPV ANRU NPNRU ZUP DOM TOM CIQ PC VL PL MC BST TPH DOPC DGAVE UNEF SSIAP SIM
    NIR NSS CNI IBAN RIB BIC RAS SMS MMS PV GAV OPJ APJ TGI TJ SIRET SIREN INSEE GPS URL PDF NB PS CV RDV TEL TÉL FAX
    DGSI PJ PM PN OQTF ZSP ZAC ZFU HLM CHU APHM AP-HM ONU UE USA OM PSG TGV TER CAF CPAM URSSAF MDPH
    """.split()
)

# A name right after one of these (walking back over the name's own words) is an
# organisation's, a business's or a work's: "collectif Marius Jacob", "café Louis".
ORG_WORDS = frozenset(
    """
    collectif association asso assoc fondation compagnie cie comité comite amicale club société societe entreprise
    cabinet fédération federation union syndicat confédération mouvement parti coordination coopérative scop
    café cafe restaurant brasserie bar snack boulangerie pharmacie librairie garage agence boutique magasin
    cinéma cinema galerie festival prix trophée trophee coupe opération operation plan dispositif programme
    film chanson album livre spectacle exposition navire bateau ferry paquebot association. résidence
    éditions editions radio journal magazine chaîne chaine groupe orchestre chorale ensemble troupe équipe
    team studio maison fondations institut
    """.split()
)

# Capitalised words of Marseille's prose that are no one's name: places, bodies, days.
KNOWN_PROPER = frozenset(
    """
    marseille canebière canebiere vieux-port castellane prado préfecture prefecture police municipale nationale
    rtm sncf cgt fo cfdt unsa fsu sud solidaires cnt snes intersyndicale ville mairie france europe république
    état etat ministère ministre préfet maire conseil région département bouches-du-rhône provence métropole
    noailles belsunce joliette longchamp réformés libération athènes rome paradis michelet vélodrome timone
    baumettes estaque pharo mucem major départ arrivée dispersion rassemblement manifestation marche cortège
    service ordre retraites salaires climat intérieur lundi mardi mercredi jeudi vendredi samedi dimanche
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre aix aubagne toulon
    nice lyon paris montpellier avignon vitrolles marignane martigues cassis ciotat allauch plan-de-cuques
    septèmes gardanne istres marseillais marseillaise provençal français française algérie maroc tunisie
    comores arménie italie espagne portugal sénégal cameroun renault peugeot citroën dacia toyota volkswagen
    fiat tesla mercedes audi bmw opel ford kia hyundai nissan skoda seat uber bolt heetch airbnb facebook
    instagram twitter tiktok snapchat whatsapp telegram google apple amazon orange sfr bouygues free
    noël noel pâques paques ramadan aïd aid toussaint pentecôte ascension assomption olympique om
    covid samu smur pompiers marins-pompiers bmpm crs bac gendarmerie douane douanes
    évêché eveche acropol ciq
    """.split()
)

# A capitalised word right after one of these is a make or a model ("scooter Yamaha T-Max"), no one.
VEHICLE_WORDS = frozenset(
    """
    scooter scooters moto motos voiture voitures véhicule vehicule véhicules vl pl camion camions camionnette
    fourgon fourgonnette utilitaire berline citadine quad bus autocar car van truck motorbike vélo velo trottinette
    """.split()
)
