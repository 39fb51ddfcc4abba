#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# check_plurals.py LUPDATE SOURCE_DIR TS_FILE
# Fails when
#  - a tr() text with %n (ui/, app/, core/) has no finished English forms in TS_FILE: lupdate,
#    run on a copy, would add it unfinished (a new or changed text), or keeps an entry the sources
#    no longer have;
#  - a translatable text spells a plural as "(s)" ("run(s)"): write the plural and let %n pick.
# Run by ctest (english_plurals).
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

lupdate, root, ts = sys.argv[1:4]
problems = []

with tempfile.TemporaryDirectory() as tmp:
    copy = os.path.join(tmp, "copy.ts")
    shutil.copy(ts, copy)
    run = subprocess.run([lupdate, "-pluralonly", "-locations", "none", "-no-obsolete",
                          "-target-language", "en", "ui", "app", "core", "-ts", copy],
                         cwd=root, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit("lupdate failed: " + run.stdout + run.stderr)
    updated = ET.parse(copy).getroot()
    original = ET.parse(ts).getroot()

def entries(tree):
    out = {}
    for context in tree.iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            out[(name, message.findtext("source"))] = message
    return out

now, before = entries(updated), entries(original)
for key, message in sorted(now.items()):
    translation = message.find("translation")
    forms = [f.text or "" for f in translation.iter("numerusform")] if translation is not None else []
    if key not in before or translation.get("type") in ("unfinished", "vanished", "obsolete") \
            or len(forms) != 2 or not all(f.strip() for f in forms):
        problems.append("%s: \"%s\" has no English singular and plural in %s" % (key[0], key[1], ts))
for key in sorted(set(before) - set(now)):
    problems.append("%s: \"%s\" is in %s but no longer in the sources" % (key[0], key[1], ts))

literal = re.compile(r'"(?:[^"\\\n]|\\.)*"')
plural = re.compile(r'[A-Za-z]\(s\)')
checked = 0
for area in ("ui", "app", "core"):
    for dirpath, _, files in os.walk(os.path.join(root, area)):
        for f in files:
            if not f.endswith((".cpp", ".h")):
                continue
            path = os.path.join(dirpath, f)
            checked += 1
            text = open(path, encoding="utf-8").read()
            for m in literal.finditer(text):
                if not plural.search(m.group(0)):
                    continue
                line = text.count("\n", 0, m.start()) + 1
                problems.append("%s:%d: a plural spelt \"(s)\"; use %%n and the plural" % (os.path.relpath(path, root), line))

if problems:
    print("\n".join(problems))
    sys.exit(1)
print("english_plurals: %d %%n texts with both forms, %d files without \"(s)\"" % (len(now), checked))
