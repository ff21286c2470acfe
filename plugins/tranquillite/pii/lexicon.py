"""Word lists the detectors need: first names, and the words that make a name a place."""

from __future__ import annotations

# Common first names in France (and in Marseille), capitalised as written.
FIRST_NAMES = frozenset(
    """
    Adam Adèle Adrien Agathe Agnès Ahmed Aïcha Alain Albert Alexandre Alexandra Alexis Alice Aline
    Amandine Amélie Amina Amine Anaïs André Andrée Anne Annie Anthony Antoine Arnaud Arthur Audrey
    Aurélie Aurélien Axel Aya Baptiste Bastien Béatrice Benjamin Benoît Bernard Bertrand Brigitte Bruno
    Camille Carine Carole Caroline Catherine Cécile Céline Chantal Charles Charlotte Chloé Christian
    Christine Christophe Claire Claude Clément Colette Corinne Cyril Damien Daniel Danielle David
    Delphine Denis Denise Didier Dominique Dylan Edouard Édouard Élise Élodie Elsa Emma Emmanuel
    Emmanuelle Enzo Éric Estelle Ethan Étienne Eva Fabien Fabienne Fabrice Farid Fatima Fatiha Florence
    Florent Florian Francis Franck François Françoise Frédéric Gabriel Gaël Gaëlle Georges Gérard
    Gilbert Gilles Ginette Grégory Guillaume Guy Hakim Hamid Hassan Hélène Henri Hervé Hugo Hugues
    Ibrahim Inès Isabelle Jacqueline Jacques Jade Jean Jeanne Jérémy Jérôme Jessica Joël Jonathan Jordan
    Joseph Josiane Julie Julien Juliette Justine Karim Karima Kévin Khadija Lætitia Laetitia Laura
    Laurence Laurent Léa Léna Léo Léon Léonie Lina Line Lionel Lisa Loïc Louis Louise Luc Lucas Lucie
    Lucien Ludovic Lydie Madeleine Malik Manon Marc Marcel Margaux Marguerite Maria Marie Marine Mariam
    Marion Martine Mathieu Mathilde Matthieu Maurice Maxime Mehdi Mélanie Michel Michèle Mickaël Mohamed
    Mohammed Monique Morgane Mourad Myriam Nabil Nadia Nadine Naïma Nathalie Nathan Nicolas Nicole Noah
    Noémie Norbert Océane Olivier Omar Pascal Pascale Patrice Patricia Patrick Paul Pauline Philippe
    Pierre Quentin Rachid Raphaël Raymond Rémi Rémy Renée René Richard Robert Roger Romain Rose Sabine
    Sabrina Salim Samia Samir Samuel Sandrine Sarah Sébastien Serge Simone Sofiane Sonia Sophie Stéphane
    Stéphanie Suzanne Sylvain Sylvie Thérèse Thierry Thomas Timothée Tom Valentin Valérie Vanessa
    Véronique Victor Vincent Virginie Yacine Yann Yannick Yasmina Yassine Youssef Yves Yvette Zoé Zohra
    """.split()
)

# A name right after one of these is a place, a building or an institution named
# after someone ("place Jean Jaurès", "boulevard Michelet", "lycée Victor Hugo").
PLACE_WORDS = frozenset(
    """
    rue avenue av av. boulevard bd bd. place pl pl. cours quai quais allée allées square impasse
    traverse chemin montée passage esplanade parvis rond-point rocade autoroute tunnel pont port plage
    anse calanque corniche promenade parc jardin jardins stade gymnase piscine lycée collège école
    groupe université faculté hôpital clinique centre salle espace résidence cité foyer fondation
    institut musée théâtre opéra église basilique cathédrale chapelle mosquée synagogue temple gare
    station métro tramway arrêt halle marché fort palais hôtel caserne bibliothèque médiathèque mairie
    quartier village domaine bastide saint sainte st ste pôle complexe square rond
    """.split()
)

# Titles and functions: "M. le Préfet" names a function, not a person.
FUNCTIONS = frozenset(
    """
    Préfet Préfète Maire Ministre Président Présidente Directeur Directrice Commissaire Procureur
    Procureure Juge Député Députée Sénateur Sénatrice Adjoint Adjointe Conseiller Conseillère Secrétaire
    Délégué Déléguée Général Générale Commandant Capitaine Lieutenant Colonel Brigadier Gardien Chef
    Cheffe Consul Ambassadeur Ambassadrice Recteur Rectrice Évêque Archevêque Officier
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
    DGSI PJ PM PN OQTF ZSP ZAC ZFU HLM CHU APHM AP-HM ONU UE USA OM PSG TGV TER CAF CPAM URSSAF MDPH
    """.split()
)
