# SPDX-License-Identifier: MIT
"""What a PyTorch user does with `mlwb model export`: load the file with torch.jit.load, read the
preprocessing it carries (mlwb/preprocessing.json), apply it in Python to the raw CSV rows, run
the model. Compared row by row with what `mlwb eval --predictions` wrote for the same rows.

usage: /usr/bin/python3 check_export.py model.pt data.csv predictions.csv

data.csv is the file the data set was imported from, with no row dropped at import (so the
predictions' `row` is the CSV's data row). Prints one JSON object; exits non-zero on any error.
Nothing here calls the workbench: the preprocessing is reimplemented from the JSON alone."""

import csv
import json
import sys

import torch

MISSING = {"", "?", "na", "n/a", "nan", "null"}
BOOLEAN = {"false": 0, "true": 1, "no": 0, "yes": 1, "f": 0, "t": 1, "n": 0, "y": 1, "0": 0, "1": 1}


def cell_value(feature, text):
    """A raw cell as the stored value: a number or a category code; None when missing."""
    t = text.strip()
    if t.lower() in MISSING:
        return None
    encoding = feature["encoding"]
    if encoding == "standardize":
        return float(t)
    if encoding == "binary":
        return float(BOOLEAN[t.lower()])
    if encoding != "one-hot":
        raise ValueError("unknown encoding %r" % encoding)
    categories = feature["categories"]
    if t not in categories:  # a number in a categorical column is labelled in its shortest form
        v = float(t)
        t = str(int(v)) if v.is_integer() else repr(v)
    return float(categories.index(t))


def transform(pre, header, rows):
    """rows (lists of raw cells) -> float32 model inputs, as preprocessing.json describes."""
    width = pre["input"]["featureCount"]
    out = []
    for row in rows:
        x = [0.0] * width
        for f in pre["features"]:
            v = cell_value(f, row[header.index(f["name"])])
            encoding = f["encoding"]
            if v is None:
                # The fitted fill, or what a missing cell has always become: the training mean
                # (0 after standardising), or an all-zero one-hot block.
                v = f.get("fill", -1.0 if encoding == "one-hot" else f.get("mean", 0.0))
            if encoding == "standardize":
                x[f["offset"]] = (v - f["mean"]) * (1.0 / f["std"])
            elif encoding == "binary":
                x[f["offset"]] = v
            elif 0 <= v < f["width"]:
                x[f["offset"] + int(v)] = 1.0
        out.append(x)
    t = torch.tensor(out, dtype=torch.float64).to(torch.float32)
    return t.reshape([len(rows)] + pre["input"]["shape"])


def main(model_path, data_path, predictions_path):
    extra = {"mlwb/preprocessing.json": ""}
    model = torch.jit.load(model_path, _extra_files=extra)
    model.eval()
    pre = json.loads(extra["mlwb/preprocessing.json"])
    if pre.get("format") != "mlwb.preprocessing" or pre.get("version") != 1:
        raise SystemExit("unexpected preprocessing.json: %r" % pre.get("format"))

    with open(data_path, newline="") as f:
        data = list(csv.reader(f))
    header, raw = data[0], data[1:]
    with open(predictions_path, newline="") as f:
        ours = list(csv.DictReader(f))
    rows = [int(r["row"]) for r in ours]
    selected = [raw[i] for i in rows]
    target = [row[header.index(pre["target"]["name"])].strip() for row in selected]

    with torch.no_grad():
        out = model(transform(pre, header, selected))

    result = {"task": pre["task"], "rows": len(rows), "features": len(pre["features"]),
              "encodings": sorted({f["encoding"] for f in pre["features"]}),
              "fills": sum(1 for f in pre["features"] if "fill" in f)}
    if pre["task"] == "classification":
        classes = pre["target"]["classes"]
        probabilities = torch.softmax(out, 1)
        predicted = [classes[i] for i in probabilities.argmax(1).tolist()]
        logits = out.tolist()
        worst = 0.0
        for r, mine in zip(ours, logits):
            for c, v in zip(classes, mine):
                worst = max(worst, abs(v - float(r["logit_" + c])))
        result["max_logit_diff"] = worst
        result["prediction_mismatches"] = [i for i, r, p in zip(rows, ours, predicted)
                                           if r["predicted"] != p]
        result["target_mismatches"] = [i for i, r, t in zip(rows, ours, target) if r["target"] != t]
        result["accuracy"] = sum(p == t for p, t in zip(predicted, target)) / len(rows)
    else:
        mean, std = pre["target"]["mean"], pre["target"]["std"]
        predicted = [v * std + mean for v in out.reshape(-1).tolist()]
        truth = [float(t) for t in target]
        result["max_prediction_diff"] = max(
            abs(p - float(r["predicted"])) / max(1.0, abs(float(r["predicted"])))
            for p, r in zip(predicted, ours))
        result["target_mismatches"] = [i for i, r, t in zip(rows, ours, truth)
                                       if float(r["target"]) != t]
        mean_truth = sum(truth) / len(truth)
        ss_res = sum((t - p) ** 2 for t, p in zip(truth, predicted))
        ss_tot = sum((t - mean_truth) ** 2 for t in truth)
        result["r2"] = 1.0 - ss_res / ss_tot if ss_tot > 0 else None
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
