// SPDX-License-Identifier: MIT
#pragma once

// PackageBuilder: makes a sealed package of a finished run: its model.pt, the manifest (with
// the lineage: project, run, model version, data set SHA-256 and the test split's metrics),
// baseline.json of the training split, an Open Inference Protocol v2 input example from the
// test split, checks.json (not run yet), sealed and, given a key, signed.

#include "common/result.h"
#include "package/package_manifest.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace mlwb {

class Database;
class JobFeedback;
class SigningKey;

class PackageBuilder {
public:
    struct Request {
        qint64 runId = 0;
        QString name;
        QString version;
        QString description;
        QString author;      // empty: KeyStore::userAtHost()
        QString projectName; // the project file's name, for the lineage
    };
    struct Built {
        QByteArray archive;
        PackageManifest manifest;
        QString keyId; // empty when unsigned
    };

    explicit PackageBuilder(Database &db) : m_db(db) {}

    Result<Built> build(const Request &request, const SigningKey *key, JobFeedback *feedback = nullptr);

    // The OIP v2 request of raw rows, as input_example.json holds it.
    static QJsonObject inferRequest(const QString &id, const QString &inputName, const std::vector<float> &raw,
                                    qint64 rows, qint64 features);

private:
    Database &m_db;
};

} // namespace mlwb
