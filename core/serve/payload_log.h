// SPDX-License-Identifier: MIT
#pragma once

// PayloadLog: every answered request's rows of one model appended to DIR/MODEL/payloads.csv
// (docs/monitoring.md), a CSV the workbench imports as a data set:
//   time,request_id,version,FEATURE1,...,FEATUREn,prediction
// categories by name, missing values empty, numbers with 9 significant digits, fields quoted
// when they hold a comma, a quote or a line break. A write that would take the file past
// maxBytes first renames it payloads.1.csv (older ones shift to .2, ..., the one past `files`
// is deleted) and starts a new file with the header; a request's lines are one write, so a
// line is never split between files or lost to a rotation. A failing write (the disk full, the
// directory gone) is counted, logged at most once a minute, and never fails the request.

#include "inference/inference_engine.h"
#include "package/package_manifest.h"
#include "serve/metric_registry.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <memory>
#include <mutex>
#include <span>

namespace mlwb {

class PayloadLog {
public:
    struct Options {
        QString dir;                     // DIR: the model's folder goes under it
        qint64 maxBytes = 64ll << 20;
        int files = 5;                   // rotated files kept
    };

    PayloadLog(Options options, QString model, std::shared_ptr<MetricRegistry::Counter> errors);
    ~PayloadLog();
    PayloadLog(const PayloadLog &) = delete;
    PayloadLog &operator=(const PayloadLog &) = delete;

    // The header line (with its newline) for a version's features.
    static QByteArray header(const std::vector<PackageManifest::Feature> &features);
    // One request's lines, appended to `out`: its time, id (empty without one), the version,
    // each row's raw values as the features name them, and the row's prediction (the class
    // name, or the value).
    static void formatRows(QByteArray &out, qint64 timeMs, const QString &id, const QString &version,
                           const std::vector<PackageManifest::Feature> &features, std::span<const float> raw,
                           qint64 rows, const InferenceEngine::Prediction &prediction, const QStringList &labels);
    // A CSV field, quoted when it must be.
    static QByteArray field(const QString &text);

    // Appends `lines` (whole lines following `header`); a file with another header (the model's
    // features changed with a version) is rotated first. False when the write failed (counted).
    bool write(const QByteArray &header, const QByteArray &lines);

    // DIR/MODEL/payloads.csv; payloads.K.csv for rotated file K.
    QString path(int rotated = 0) const;

private:
    bool openLocked(const QByteArray &header);
    bool rotateLocked();
    void closeLocked();
    bool failLocked(const QString &what);

    Options m_options;
    QString m_folder;
    std::shared_ptr<MetricRegistry::Counter> m_errors;
    std::mutex m_mutex;
    int m_fd = -1;
    qint64 m_size = 0;
    QByteArray m_header;
    std::chrono::steady_clock::time_point m_lastLogged{};
    bool m_logged = false;
};

} // namespace mlwb
