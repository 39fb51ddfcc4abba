// SPDX-License-Identifier: MIT
#pragma once

// Result<T>: a value or a human-readable error message. Core reports every failure this way
// (naming the file, line, layer or field) and leaves it to the caller how to show it.

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace mlwb {

struct Error {
    QString message;
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error e) : m_v(std::in_place_index<1>, std::move(e)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    const QString &error() const { return std::get<1>(m_v).message; }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error e) : m_error(std::move(e.message)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return *m_error; }

private:
    std::optional<QString> m_error;
};

using Status = Result<void>;

inline Error fail(QString message) { return Error{std::move(message)}; }

} // namespace mlwb
