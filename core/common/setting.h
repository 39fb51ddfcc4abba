// SPDX-License-Identifier: MIT
#pragma once

// Setting<T>: one persisted user setting, declared once with its key and default (see
// workbench_settings.h), read and written through QSettings with its type attached.

#include <QSettings>
#include <QString>
#include <QVariant>

namespace mlwb {

template <typename T> class Setting {
public:
    Setting(const char *key, T defaultValue)
        : m_key(QLatin1String(key))
        , m_default(std::move(defaultValue))
    {
    }

    const QString &key() const { return m_key; }
    const T &defaultValue() const { return m_default; }

    T value() const
    {
        const QVariant v = QSettings().value(m_key);
        if (!v.isValid() || !v.canConvert<T>())
            return m_default;
        return v.value<T>();
    }
    void setValue(const T &value) const { QSettings().setValue(m_key, QVariant::fromValue(value)); }
    void reset() const { QSettings().remove(m_key); }

private:
    QString m_key;
    T m_default;
};

} // namespace mlwb
