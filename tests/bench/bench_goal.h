// SPDX-License-Identifier: MIT
#pragma once

// BenchGoals: how every benchmark states what it promises. Each goal prints one line
//   goal: <what>  <measured> <unit>  (goal <= or >= <bound>)  PASS|FAIL
// and exitCode() is 1 when any goal failed. In --quick mode (what ctest runs, on small sizes and
// a machine shared with other tests) the lines are printed but the exit code stays 0: quick
// figures only show that the benchmark still works. A figure that could not be measured (NaN,
// e.g. no baseline) fails its goal: a goal nobody measured is not met.

#include <cmath>
#include <cstdio>
#include <string>

namespace mlwb::bench {

class BenchGoals {
public:
    explicit BenchGoals(bool quick) : m_quick(quick) {}

    // Met when value <= bound (times, memory, shares).
    bool atMost(const std::string &what, double value, double bound, const char *unit)
    {
        return report(what, value, bound, unit, "<=", value <= bound);
    }
    // Met when value >= bound (rates, ratios).
    bool atLeast(const std::string &what, double value, double bound, const char *unit)
    {
        return report(what, value, bound, unit, ">=", value >= bound);
    }

    int failed() const { return m_failed; }

    // Prints the tally; 1 if a goal failed outside --quick, else 0.
    int exitCode() const
    {
        std::printf("\ngoals: %d of %d met%s\n", m_total - m_failed, m_total,
                    m_quick ? " (--quick: small sizes, not judged; exit code 0)" : "");
        std::fflush(stdout);
        return !m_quick && m_failed > 0 ? 1 : 0;
    }

private:
    static int decimals(double v)
    {
        const double a = std::fabs(v);
        return a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
    }

    bool report(const std::string &what, double value, double bound, const char *unit,
                const char *op, bool met)
    {
        met = met && !std::isnan(value);
        ++m_total;
        if (!met)
            ++m_failed;
        if (std::isnan(value))
            std::printf("goal: %-52s %12s %-9s (goal %s %.*f)  FAIL\n", what.c_str(), "not measured",
                        unit, op, decimals(bound), bound);
        else
            std::printf("goal: %-52s %12.*f %-9s (goal %s %.*f)  %s\n", what.c_str(), decimals(value),
                        value, unit, op, decimals(bound), bound, met ? "PASS" : "FAIL");
        std::fflush(stdout);
        return met;
    }

    bool m_quick;
    int m_total = 0;
    int m_failed = 0;
};

} // namespace mlwb::bench
