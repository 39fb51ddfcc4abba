# SPDX-License-Identifier: MIT
"""The reference side of the metric checks: scikit-learn computes every metric the workbench
reports from a predictions file (the format of `mlwb eval --predictions`) and the true labels or
values read from the raw CSV the data set was imported from.

usage: /usr/bin/python3 sklearn_metrics.py predictions.csv data.csv TARGET_COLUMN

Prints one JSON object (null where sklearn leaves a metric undefined). The calls are the ones a
notebook would make, with sklearn's defaults unless noted: macro and weighted averages without
`labels=` (so over the classes present in y_true or y_pred), per-class values and the confusion
matrix over all classes in the model's order."""

import csv
import json
import sys
import warnings

import numpy as np
from sklearn import metrics
from sklearn.preprocessing import label_binarize

warnings.simplefilter("ignore")  # UndefinedMetricWarning for zero divisions: values are still 0


def clean(value):
    """Plain JSON: numpy scalars as Python numbers, NaN as null."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def classification(ours, classes, truth):
    k = len(classes)
    y = np.array([classes.index(t) for t in truth])
    y_pred = np.array([classes.index(r["predicted"]) for r in ours])
    # Exactly the numbers the workbench scored: the file holds each float's exact decimal value.
    p = np.array([[float(r["p_" + c]) for c in classes] for r in ours], dtype=np.float64)
    everything = list(range(k))
    out = {
        "argmax_mismatches": int(np.sum(p.argmax(1) != y_pred)),
        "accuracy": metrics.accuracy_score(y, y_pred),
        "balanced_accuracy": metrics.balanced_accuracy_score(y, y_pred),
        "log_loss": metrics.log_loss(y, p, labels=everything),
        "confusion_matrix": metrics.confusion_matrix(y, y_pred, labels=everything).tolist(),
    }
    for average in ("macro", "weighted"):
        out["precision_" + average] = metrics.precision_score(y, y_pred, average=average)
        out["recall_" + average] = metrics.recall_score(y, y_pred, average=average)
        out["f1_" + average] = metrics.f1_score(y, y_pred, average=average)
    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        y, y_pred, labels=everything, zero_division=0)
    per_class = []
    for c in range(k):
        positive = y == c
        defined = positive.any() and not positive.all()
        per_class.append({
            "name": classes[c],
            "precision": precision[c], "recall": recall[c], "f1": f1[c], "support": int(support[c]),
            "roc_auc": metrics.roc_auc_score(positive, p[:, c]) if defined else None,
            "average_precision":
                metrics.average_precision_score(positive, p[:, c]) if positive.any() else None,
        })
    out["per_class"] = per_class
    all_present = len(np.unique(y)) == k
    if k == 2:
        out["roc_auc"] = metrics.roc_auc_score(y, p[:, 1])
        out["average_precision"] = metrics.average_precision_score(y, p[:, 1])
    elif all_present:
        out["roc_auc"] = metrics.roc_auc_score(y, p, multi_class="ovr", average="macro")
        out["average_precision"] = metrics.average_precision_score(
            label_binarize(y, classes=everything), p, average="macro")
    else:  # sklearn refuses multiclass ROC AUC when a class is absent from y_true
        out["roc_auc"] = None
        out["average_precision"] = None
    return out


def regression(ours, truth):
    y = np.array([float(t) for t in truth])
    y_pred = np.array([float(r["predicted"]) for r in ours])
    return {
        "target_mismatches": int(np.sum(y != np.array([float(r["target"]) for r in ours]))),
        "mse": metrics.mean_squared_error(y, y_pred),
        "rmse": metrics.mean_squared_error(y, y_pred, squared=False),
        "mae": metrics.mean_absolute_error(y, y_pred),
        "r2": metrics.r2_score(y, y_pred),
        "max_error": metrics.max_error(y, y_pred),
    }


def main(predictions_path, data_path, target_column):
    with open(predictions_path, newline="") as f:
        reader = csv.DictReader(f)
        ours = list(reader)
        classes = [c[2:] for c in reader.fieldnames if c.startswith("p_")]
    with open(data_path, newline="") as f:
        data = list(csv.reader(f))
    column = data[0].index(target_column)
    truth = [data[1 + int(r["row"])][column].strip() for r in ours]
    if classes:
        out = classification(ours, classes, truth)
        out["target_mismatches"] = sum(r["target"] != t for r, t in zip(ours, truth))
    else:
        out = regression(ours, truth)
    out["rows"] = len(ours)
    out["sklearn"] = __import__("sklearn").__version__
    print(json.dumps(clean(out), allow_nan=False))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
