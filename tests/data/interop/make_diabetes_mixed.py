# SPDX-License-Identifier: MIT
# Writes diabetes_mixed.csv from the real diabetes data set (resources/datasets/diabetes.csv):
# a binary target, categorical, boolean and numeric features, and missing cells, so one data set
# exercises every preprocessing step (standardising, one-hot, binary, imputation).
#   python3 make_diabetes_mixed.py ../../../resources/datasets/diabetes.csv > diabetes_mixed.csv
import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1], newline="")))
out = csv.writer(sys.stdout, lineterminator="\n")
numeric = ["bmi", "bp", "s1_tc", "s2_ldl", "s3_hdl", "s4_tch", "s5_ltg", "s6_glu"]
out.writerow(["age", "sex", "age_group"] + numeric[:2] + ["high_bp"] + numeric[2:] + ["risk"])
for i, r in enumerate(rows):
    age = float(r["age"])
    bp = float(r["bp"])
    group = "young" if age < 40 else "middle" if age < 60 else "senior"
    values = {k: r[k] for k in numeric}
    high_bp = "yes" if bp > 100 else "no"
    # Missing cells in a fixed pattern, in numeric, categorical and boolean columns alike.
    if i % 11 == 3:
        values["bmi"] = ""
    if i % 19 == 2:
        values["s5_ltg"] = "?"
    if i % 13 == 5:
        group = "NA"
    if i % 17 == 7:
        high_bp = ""
    risk = "high" if float(r["progression"]) > 140 else "low"
    out.writerow([r["age"], "sex" + r["sex"], group] + [values[k] for k in numeric[:2]] + [high_bp]
                 + [values[k] for k in numeric[2:]] + [risk])
