// SPDX-License-Identifier: MIT
#pragma once

// AgentState: what an agent must remember across a restart, kept under its --state directory:
//   state.json                     the models, their versions in upload order, the active one,
//                                  the canary and its share (written whole, atomically)
//   packages/NAME/VERSION.mlwbpkg  every version's package, as uploaded
//   history.jsonl                  one event per line: deploy, canary, promote, rollback, refused
// A kill -9 at any point leaves either the state before a change or the one after it.

#include "common/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <map>

namespace mlwb {

class AgentState {
public:
    struct Model {
        QStringList versions;      // upload order
        QString active;            // empty: none yet
        QStringList activeBefore;  // earlier active versions, most recent last (rollback)
        QString canary;            // empty: no canary
        int canaryPercent = 0;
        std::map<QString, QString> deployedBy; // version -> user
    };
    struct Event {
        QDateTime time;
        QString model;
        QString version;
        QString action; // deploy, canary, promote, rollback, refused
        QString by;
        QString detail;
        QJsonObject toJson() const;
    };

    // Reads the state of `directory` (made when missing); a damaged state.json is an error, not
    // an empty agent.
    static Result<AgentState> open(const QString &directory);

    const QString &directory() const { return m_dir; }
    std::map<QString, Model> &models() { return m_models; }
    const std::map<QString, Model> &models() const { return m_models; }
    QString packagePath(const QString &model, const QString &version) const;

    // Writes state.json (temporary file, fsync, rename).
    Status save() const;
    // Writes a package's bytes to packagePath() the same way.
    Status savePackage(const QString &model, const QString &version, const QByteArray &bytes) const;
    // Appends one line to history.jsonl and syncs it.
    Status append(const Event &event) const;
    // The events, oldest first (a damaged line is skipped with its number in `problems`).
    QList<Event> history(QStringList *problems = nullptr) const;

private:
    QString m_dir;
    std::map<QString, Model> m_models;
};

} // namespace mlwb
