// SPDX-License-Identifier: MIT
#include "serve/payload_log.h"

#include "common/logging.h"

#include <QDateTime>
#include <QDir>
#include <QFile>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mlwb {

namespace {

// A model name as one path component: its characters kept, but never a way out of DIR.
QString folderName(QString model)
{
    model.replace(QLatin1Char('/'), QLatin1Char('_'));
    if (model.isEmpty() || model.startsWith(QLatin1Char('.')))
        model.prepend(QLatin1Char('_'));
    return model;
}

void number(QByteArray &out, double v)
{
    if (!std::isnan(v))
        out += QByteArray::number(v, 'g', 9);
}

} // namespace

PayloadLog::PayloadLog(Options options, QString model, std::shared_ptr<MetricRegistry::Counter> errors)
    : m_options(std::move(options)), m_folder(m_options.dir + QLatin1Char('/') + folderName(std::move(model))),
      m_errors(std::move(errors))
{
}

PayloadLog::~PayloadLog()
{
    std::lock_guard lock(m_mutex);
    closeLocked();
}

QString PayloadLog::path(int rotated) const
{
    return rotated == 0 ? m_folder + QStringLiteral("/payloads.csv")
                        : m_folder + QStringLiteral("/payloads.%1.csv").arg(rotated);
}

QByteArray PayloadLog::field(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    if (!utf8.contains(',') && !utf8.contains('"') && !utf8.contains('\n') && !utf8.contains('\r'))
        return utf8;
    utf8.replace("\"", "\"\"");
    return '"' + utf8 + '"';
}

QByteArray PayloadLog::header(const std::vector<PackageManifest::Feature> &features)
{
    QByteArray h = "time,request_id,version";
    for (const PackageManifest::Feature &f : features)
        h += ',' + field(f.name);
    return h + ",prediction\n";
}

void PayloadLog::formatRows(QByteArray &out, qint64 timeMs, const QString &id, const QString &version,
                            const std::vector<PackageManifest::Feature> &features, std::span<const float> raw,
                            qint64 rows, const InferenceEngine::Prediction &prediction, const QStringList &labels)
{
    const size_t width = features.size();
    if (raw.size() < size_t(rows) * width)
        return;
    const QByteArray prefix = QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8() +
                              ',' + field(id) + ',' + field(version);
    for (qint64 r = 0; r < rows; ++r) {
        out += prefix;
        const float *row = raw.data() + size_t(r) * width;
        for (size_t k = 0; k < width; ++k) {
            out += ',';
            const double x = row[k];
            const QStringList &names = features[k].categories;
            if (features[k].kind == QLatin1String("numeric") || std::isnan(x))
                number(out, x);
            else if (x >= 0 && x < double(names.size()))
                out += field(names[qsizetype(x)]);
            else
                number(out, x);
        }
        out += ',';
        if (!prediction.classes.empty()) {
            const qint64 c = r < qint64(prediction.classes.size()) ? prediction.classes[size_t(r)] : -1;
            if (c >= 0 && c < labels.size())
                out += field(labels[c]);
        } else if (prediction.width > 0 && size_t(r * prediction.width) < prediction.outputs.size()) {
            number(out, prediction.outputs[size_t(r * prediction.width)]);
        }
        out += '\n';
    }
}

void PayloadLog::closeLocked()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_size = 0;
    m_header.clear();
}

bool PayloadLog::failLocked(const QString &what)
{
    m_errors->inc();
    const auto now = std::chrono::steady_clock::now();
    if (!m_logged || now - m_lastLogged >= std::chrono::minutes(1)) {
        qCWarning(lcServe).noquote() << QStringLiteral("payload log %1: %2 (the requests are answered; further failures are "
                                                       "counted in mlwb_agent_payload_log_errors_total and logged once a minute)")
                                            .arg(path(), what);
        m_logged = true;
        m_lastLogged = now;
    }
    closeLocked(); // the next write opens the file again: the directory may be back
    return false;
}

bool PayloadLog::openLocked(const QByteArray &header)
{
    closeLocked();
    if (!QDir().mkpath(m_folder))
        return failLocked(QStringLiteral("cannot make the folder %1").arg(m_folder));
    const QByteArray file = QFile::encodeName(path());
    for (int attempt = 0; attempt < 2; ++attempt) {
        const int fd = ::open(file.constData(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
        if (fd < 0)
            return failLocked(QString::fromLocal8Bit(std::strerror(errno)));
        struct stat st {};
        if (::fstat(fd, &st) != 0) {
            ::close(fd);
            return failLocked(QString::fromLocal8Bit(std::strerror(errno)));
        }
        if (st.st_size > 0) {
            // A file from before (a restart): appended to when it has the same columns.
            QFile existing(path());
            QByteArray first;
            if (existing.open(QIODevice::ReadOnly))
                first = existing.readLine(header.size() + 2);
            if (first == header) {
                m_fd = fd;
                m_size = qint64(st.st_size);
                m_header = header;
                return true;
            }
            ::close(fd);
            if (attempt > 0 || !rotateLocked())
                return failLocked(QStringLiteral("cannot start a new file"));
            continue;
        }
        if (::write(fd, header.constData(), size_t(header.size())) != ssize_t(header.size())) {
            const QString why = QString::fromLocal8Bit(std::strerror(errno));
            (void)::ftruncate(fd, 0); // a header cut short would be a damaged file; retried next time
            ::close(fd);
            return failLocked(why);
        }
        m_fd = fd;
        m_size = header.size();
        m_header = header;
        return true;
    }
    return failLocked(QStringLiteral("cannot start a new file"));
}

bool PayloadLog::rotateLocked()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    const int keep = std::max(0, m_options.files);
    QFile::remove(path(keep + 1)); // from a run with a larger `files`, or the oldest
    if (keep == 0)
        return QFile::remove(path());
    for (int k = keep - 1; k >= 1; --k)
        if (QFile::exists(path(k)) && ::rename(QFile::encodeName(path(k)).constData(), QFile::encodeName(path(k + 1)).constData()) != 0)
            return false;
    return ::rename(QFile::encodeName(path()).constData(), QFile::encodeName(path(1)).constData()) == 0;
}

bool PayloadLog::write(const QByteArray &header, const QByteArray &lines)
{
    std::lock_guard lock(m_mutex);
    if ((m_fd < 0 || header != m_header) && !openLocked(header))
        return false;
    if (m_size > m_header.size() && m_size + lines.size() > m_options.maxBytes) {
        if (!rotateLocked())
            return failLocked(QStringLiteral("cannot rotate: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        if (!openLocked(header))
            return false;
    }
    qsizetype written = 0;
    while (written < lines.size()) {
        const ssize_t n = ::write(m_fd, lines.constData() + written, size_t(lines.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const QString why = QString::fromLocal8Bit(std::strerror(errno));
            (void)::ftruncate(m_fd, m_size); // no half line left behind
            return failLocked(why);
        }
        written += n;
    }
    m_size += lines.size();
    return true;
}

} // namespace mlwb
