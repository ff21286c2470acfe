"""Hand-written name lists (first names by sex, surnames).

Written from general knowledge of names common in Marseille; no external list used.
"""

FIRST_M = """Jean Pierre Christophe Stéphane Julien Nicolas Thomas Hugo Lucas Franck
Olivier Patrick Michel Bernard Mathieu Loïc Yannick Jean-Marc Jean-Baptiste Aurélien
Benoît Clément Thierry Maxime Romain Jérôme Pascal Dominique Gilles Frédéric Sébastien
Karim Mohamed Youssef Rachid Mehdi Sofiane Nordine Farid Abdelkader Bilal Amine Walid
Hakim Ilyes Nassim Djamel Rayan Yanis Mourad Said Fahardine Soilihi Chamsidine Ibrahim
Ansoufouddine Garo Haïk Sevan Tigran Nareg Vartan Arménag Minh Tuan Quang Thanh Duc
Giuseppe Antonio Marco Salvatore Paolo Luigi Alessandro José Manuel Javier Alejandro
Rafael João Fernando Rui Joaquim Tiago Moussa Mamadou Ousmane Cheikh Boubacar Ibrahima
Seydou Souleymane Andreï Bogdan Piotr Dmitri Mihai Vasile Tomasz Oleksandr Kevin Enzo""".split()

FIRST_F = """Marie Sophie Nathalie Isabelle Camille Léa Manon Chloé Émilie Céline Sandrine
Josiane Gisèle Hélène Gaëlle Marie-Claire Anne-Sophie Margaux Inès Élodie Valérie Sylvie
Brigitte Océane Françoise Laurence Martine Coralie Nadia Samira Fatima Yasmina Malika
Leïla Khadija Soraya Zineb Houria Aïcha Sabrina Zohra Anziza Moinecha Nasma Echati
Zaïnaba Anahide Araxie Lousine Siranouche Huong Linh Phuong Mai Lan Francesca Lucia
Giulia Rosa Carmela Carmen Pilar Dolores Raquel Inmaculada Conceição Fátima Ana Paula
Aminata Fatoumata Awa Aïssatou Kadiatou Mariam Coumba Mariama Adama Olena Ioana
Agnieszka Svetlana Katarzyna Irina Nadejda Milena Jessica Laetitia Noémie Maëlys""".split()
FIRST_F = [n.replace("Ana Paula", "Ana") for n in FIRST_F] + ["Ana Paula", "Maria José", "Thi Lan"]

SURNAMES = """Martin Bernard Dubois Thomas Robert Richard Durand Lefebvre Moreau Laurent Simon
Michel Roux Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Faure Mercier
Blanc Guérin Boyer Garnier Chevalier Legrand Gauthier Perrin Morin Masson Marchand Duval
Dumont Lemaire Dufour Meunier Brun Blanchard Giraud Joly Rivière Brunet Gaillard Barbier
Arnaud Roche Renard Colin Vidal Caron Picard Fabre Aubert Lemoine Renaud Dumas Lacroix
Bourgeois Rey Leclerc Rolland Guillot Hubert Berger Carpentier Dupuis Moulin Deschamps
Huet Boucher Fleury Royer Jacquet Poirier Marty Aubry Carré Ménard Maillard Baron
Bertin Bailly Hervé Bouvier Prévost Perrot Breton Besson Langlois Pelletier Lévêque
Leblanc Lebrun Mallet Boulanger Michaud Guichard Gillet Chauvin Lemaître Maréchal
Reynaud Barthélemy Cordier Lejeune Pasquier Laporte Petit Fort Lenoir Sauvage Bastide
Olive Pellegrin Audibert Bonifay Castagnier Isnard Maurel Reboul Rougier Taurel Payet
Hoarau Grondin Benali Haddad Belkacem Bouzid Mansouri Cherif Amrani Saïdi Zeroual
Boudjema Hamidi Khelifi Larbi Meziane Rahmani Slimani Ouali Brahimi Djebbar Benmoussa
Chaouch Ferhat Belhadj Kaci Lounès Touati Zitouni Ahamada Abdallah Mdahoma Youssouf
Madi Boina Attoumani Mzé Papazian Kasparian Manoukian Hagopian Kevorkian Arakelian
Baghdassarian Tchakmakian Mardirossian Gasparian Avédikian Nguyen Tran Pham Hoang
Huynh Dang Bui Truong Ngo Rossi Esposito Russo Bianchi Romano Ricci Marino Greco Bruno
Gallo Conti Mancini Giordano Lombardi Moretti Caruso Santoro Grimaldi Scotto Carbone
Cacciaguerra Garcia Fernandez Lopez Martinez Sanchez Perez Gomez Ruiz Hernandez Jimenez
Moreno Alvarez Romero Navarro Torres Ortega Castillo Ferreira Pereira Oliveira Costa
Rodrigues Martins Sousa Gonçalves Carvalho Almeida Teixeira Moreira Diallo Traoré Koné
Camara Diop Ndiaye Sow Cissé Touré Sylla Keïta Coulibaly Diarra Faye Mbaye Sarr Fofana
Konaté Dembélé Gueye Sissoko Kowalski Nowak Popescu Ionescu Petrov Ivanova Kovalenko
Shevchenko Horvath Dimitrov Wiśniewski Lewandowska Marinescu Volkov Bondarenko""".split()
SURNAMES += [
    "Ben Salem",
    "Ben Youssef",
    "Ben Amor",
    "El Amrani",
    "El Idrissi",
    "El Khoury",
    "El Mansouri",
    "de La Roche",
    "de Villeneuve",
    "d'Albertas",
    "d'Estienne",
    "de Sousa",
    "Van der Meulen",
    "Van Hoof",
    "Van Acker",
    "Da Silva",
    "Dos Santos",
    "De Luca",
    "Di Meglio",
    "Le Gall",
    "Le Goff",
    "Der Sarkissian",
    "Aït Ahmed",
    "Ali Mchangama",
    "Martin-Grimaldi",
    "Lefèvre-Benali",
]

WORD_SURNAMES = [
    "Boulanger",
    "Marchand",
    "Petit",
    "Blanc",
    "Roux",
    "Fort",
    "Bonnet",
    "Brun",
    "Meunier",
    "Lenoir",
    "Sauvage",
    "Berger",
    "Boucher",
    "Olive",
    "Baron",
    "Rey",
]


def first(rng, sex=None):
    sex = sex or rng.choice("MF")
    return rng.choice(FIRST_M if sex == "M" else FIRST_F)


def surname(rng):
    if rng.random() < 0.12:
        return rng.choice(WORD_SURNAMES)
    return rng.choice(SURNAMES)


def caps(s):
    return s.upper()


def name(rng, sex=None, form=None, fn=None, ln=None):
    """A person name in one of many renderings (no civility)."""
    sex = sex or rng.choice("MF")
    fn, ln = fn or first(rng, sex), ln or surname(rng)
    form = form or rng.choice(["fl", "fl", "Lf", "Lf", "fL", "l", "L", "if", "f", "low", "lowL"])
    return {
        "fl": f"{fn} {ln}",
        "Lf": f"{caps(ln)} {fn}",
        "fL": f"{fn} {caps(ln)}",
        "l": ln,
        "L": caps(ln),
        "if": f"{fn[0]}. {ln}" if fn[0] != "M" else f"{fn[:2]}. {ln}",
        "f": fn,
        "low": f"{fn.lower()} {ln.lower()}",
        "lowL": f"{ln.lower()} {fn.lower()}",
    }[form]


def civ(rng, sex):
    if sex == "M":
        return rng.choice(["M. ", "M. ", "Mr ", "Monsieur ", "MR ", "M "])
    return rng.choice(["Mme ", "Mme ", "Madame ", "MME ", "Mlle ", "Mme. "])


GRADES = [
    "le commissaire ",
    "le commandant ",
    "le capitaine ",
    "le lieutenant ",
    "le brigadier-chef ",
    "le brigadier ",
    "le gardien de la paix ",
    "l'adjoint ",
    "le major ",
    "le gpx ",
    "le BC ",
    "le cne ",
    "le cdt ",
    "la commissaire ",
    "le chef de poste ",
    "l'ADS ",
    "le policier municipal ",
]

FUNCTIONS = [
    "le commissaire divisionnaire",
    "le chef de salle",
    "l'officier de permanence",
    "le directeur de cabinet",
    "le préfet de police",
    "l'adjoint au maire délégué",
    "le chef de la police municipale",
    "le responsable du CSU",
    "le chef de quart",
    "le régulateur",
    "la cheffe de service",
    "le délégué du préfet",
    "le conseiller sécurité",
    "le sous-préfet",
    "le chargé de mission événements",
    "le référent sûreté",
    "le coordinateur voirie",
    "le chef d'équipe",
]
