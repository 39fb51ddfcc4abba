// SPDX-License-Identifier: MIT
#pragma once

// What the harnesses share: a broken promise of the code under test aborts, so libFuzzer
// saves the input as a crash like any sanitizer finding.

#include <QString>

#include <cstdio>
#include <cstdlib>

#define MLWB_FUZZ_CHECK(cond, what)                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "%s:%d: broken promise: %s (%s)\n", __FILE__, __LINE__, #cond,    \
                         QString(what).toLocal8Bit().constData());                                 \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)
