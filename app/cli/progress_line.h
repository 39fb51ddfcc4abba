// SPDX-License-Identifier: MIT
#pragma once

// ProgressLine: the progress of long work on stderr, in the form the reader has.
// On a terminal one line redrawn in place ("\r"), cleared before anything else is printed, so a
// log line never splices into it. Into a pipe or file (CI logs) whole lines only, never "\r" or
// padding: one when the work has advanced 5% since the last one, at most one a second, and one
// every 30 s while the message changes without the progress moving (a long epoch).
// Lines from other threads (log messages, "run 3 started") go through note().

#include <QString>

#include <cstdio>
#include <mutex>

namespace mlwb::cli {

class ProgressLine
{
public:
    ProgressLine(std::FILE *stream, bool interactive);
    ~ProgressLine();
    ProgressLine(const ProgressLine &) = delete;
    ProgressLine &operator=(const ProgressLine &) = delete;

    // Whether `stream` is a terminal.
    static bool isTerminal(std::FILE *stream);
    // The one showing progress now (Qt's log messages are routed through it), or nullptr.
    static ProgressLine *current();
    // Prints a whole line on stderr, through current() when there is one (any thread).
    static void print(const QString &text);
    // Routes Qt's messages through current() while there is one: installed once by main().
    static void installMessageHandler();

    // The state of the work `elapsedMs` after it began; prints if the mode's rules say so.
    void update(const QString &line, double fraction, qint64 elapsedMs);
    // Prints `text` as a whole line of its own (any thread).
    void note(const QString &text);
    // Clears the live line (terminal) at the end of the work.
    void finish();

    int linesPrinted() const { return m_linesPrinted; }

private:
    void writeLocked(const QString &text);
    void clearLocked();

    std::FILE *m_stream;
    bool m_interactive;
    std::mutex m_mutex;
    QString m_shown;       // the live line on a terminal, empty when none is shown
    QString m_lastLine;    // the last line printed (both modes)
    double m_lastFraction = -1;
    qint64 m_lastMs = 0;
    bool m_printedAny = false;
    int m_linesPrinted = 0;
    ProgressLine *m_previous = nullptr;
};

} // namespace mlwb::cli
