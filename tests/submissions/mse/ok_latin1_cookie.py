# -*- coding: latin-1 -*-
# Erreur quadratique moyenne (« MSE »): moyenne sur tous les éléments, pas seulement les lignes.
import numpy as np

UNITÉ = "µ² (carré de l'unité de la cible)"


def mse(y_pred, y_true):
    écart = y_pred - y_true
    return float(np.mean(écart ** 2))


def mse_grad(y_pred, y_true):
    écart = y_pred - y_true
    return 2.0 * écart / écart.size
