// SPDX-License-Identifier: MIT
#include "progress_line.h"

#include <QtGlobal>

#include <atomic>

#include <unistd.h>

namespace mlwb::cli {

namespace {

constexpr int kWidth = 79;
constexpr double kStep = 0.05;
constexpr qint64 kMinIntervalMs = 1000;
constexpr qint64 kQuietIntervalMs = 30000;

std::atomic<ProgressLine *> g_current{nullptr};
QtMessageHandler g_previousHandler = nullptr;

void routeMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (ProgressLine *line = g_current.load()) {
        line->note(qFormatLogMessage(type, context, message));
        if (type == QtFatalMsg)
            std::abort();
        return;
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

ProgressLine::ProgressLine(std::FILE *stream, bool interactive)
    : m_stream(stream), m_interactive(interactive), m_previous(g_current.exchange(this))
{
}

ProgressLine::~ProgressLine()
{
    finish();
    g_current.store(m_previous);
}

bool ProgressLine::isTerminal(std::FILE *stream)
{
    return ::isatty(::fileno(stream)) == 1;
}

ProgressLine *ProgressLine::current()
{
    return g_current.load();
}

void ProgressLine::print(const QString &text)
{
    if (ProgressLine *line = g_current.load()) {
        line->note(text);
        return;
    }
    QByteArray bytes = text.toLocal8Bit();
    if (!bytes.endsWith('\n'))
        bytes += '\n';
    std::fputs(bytes.constData(), stderr);
    std::fflush(stderr);
}

void ProgressLine::installMessageHandler()
{
    static std::once_flag once;
    std::call_once(once, [] { g_previousHandler = qInstallMessageHandler(routeMessage); });
}

void ProgressLine::update(const QString &line, double fraction, qint64 elapsedMs)
{
    std::lock_guard lock(m_mutex);
    if (line == m_lastLine)
        return;
    if (m_interactive) {
        clearLocked();
        const QString shown = line.left(kWidth);
        std::fputs(shown.toLocal8Bit().constData(), m_stream);
        std::fflush(m_stream);
        m_shown = shown;
    } else {
        const qint64 since = elapsedMs - m_lastMs;
        const bool first = !m_printedAny;
        const bool advanced = fraction + 1e-9 >= m_lastFraction + kStep || (fraction >= 1.0 && m_lastFraction < 1.0);
        if (!first && since < kMinIntervalMs)
            return;
        if (!first && !advanced && since < kQuietIntervalMs)
            return;
        writeLocked(line);
    }
    m_lastLine = line;
    m_lastFraction = fraction;
    m_lastMs = elapsedMs;
    m_printedAny = true;
    ++m_linesPrinted;
}

void ProgressLine::note(const QString &text)
{
    std::lock_guard lock(m_mutex);
    clearLocked();
    writeLocked(text);
    // On a terminal the live line comes back with the next update.
    if (m_interactive)
        m_lastLine.clear();
}

void ProgressLine::finish()
{
    std::lock_guard lock(m_mutex);
    clearLocked();
}

void ProgressLine::writeLocked(const QString &text)
{
    QByteArray bytes = text.toLocal8Bit();
    if (!bytes.endsWith('\n'))
        bytes += '\n';
    std::fputs(bytes.constData(), m_stream);
    std::fflush(m_stream);
}

void ProgressLine::clearLocked()
{
    if (m_shown.isEmpty())
        return;
    // Back to the start, blank what was shown, back again: the next text starts on a clean line.
    const QByteArray blank(m_shown.size(), ' ');
    std::fputs(("\r" + blank + "\r").constData(), m_stream);
    std::fflush(m_stream);
    m_shown.clear();
}

} // namespace mlwb::cli
