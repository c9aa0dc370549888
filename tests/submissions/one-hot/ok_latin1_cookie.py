# -*- coding: latin-1 -*-
"""Codage « one-hot »: une seule valeur 1 par ligne, à la colonne y[i]."""
import numpy as np

DÉJÀ_VU = "Ça marche même pour une étiquette répétée."


def one_hot(y, n_classes):
    étiquettes = np.asarray(y, dtype=np.intp)
    matrice = np.zeros((étiquettes.size, n_classes))
    matrice[np.arange(étiquettes.size), étiquettes] = 1.0
    return matrice
