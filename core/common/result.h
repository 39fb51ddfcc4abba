// SPDX-License-Identifier: MIT
#pragma once

// Result<T>: a value or an Error. Core reports every failure this way (naming the file, line,
// layer or field) and leaves it to the caller how to show it. An Error carries a kind besides
// the message, so that each front end maps failures in one place: the CLI to exit codes
// (app/cli), HTTP servers to statuses (httpStatus() below).
//
// Passing a failure up keeps its kind:
//     Result<Dataset> d = repo.get(id);
//     if (!d)
//         return d.failure();
// and d.failure().reworded(QStringLiteral("dataset %1: %2").arg(id).arg(d.error())) adds
// context without losing it.

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace mlwb {

enum class ErrorKind {
    Internal,     // a bug or an unexpected library failure (the default)
    InvalidInput, // the caller's input is wrong: a malformed file, option, spec or request
    NotFound,     // no such item (run, model, data set, column, ...)
    Conflict,     // the item exists already, or the project's state forbids the change
    Unauthorized, // missing or wrong credentials
    Corrupt,      // stored data is damaged, tampered with, or from a newer version
    Io,           // the operating system refused a read, write, flush or lock
    Cancelled,    // the user or a signal stopped the operation
};

// "not found", "invalid input", ...: for logs and machine-readable output.
const char *errorKindName(ErrorKind kind);
// The HTTP status a server answers with for a failure of this kind (4xx for the client's
// mistakes, 5xx only for ours).
int httpStatus(ErrorKind kind);

struct Error {
    QString message;
    ErrorKind kind = ErrorKind::Internal;

    // The same kind with a new message (usually the old one with context around it).
    Error reworded(QString text) const { return Error{std::move(text), kind}; }
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
    ErrorKind kind() const { return std::get<1>(m_v).kind; }
    // The failure itself, to pass up: `return r.failure();`.
    const Error &failure() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error e) : m_error(std::move(e)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return m_error->message; }
    ErrorKind kind() const { return m_error->kind; }
    const Error &failure() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

inline Error fail(QString message, ErrorKind kind = ErrorKind::Internal)
{
    return Error{std::move(message), kind};
}
inline Error invalidInput(QString message) { return fail(std::move(message), ErrorKind::InvalidInput); }
inline Error notFound(QString message) { return fail(std::move(message), ErrorKind::NotFound); }
inline Error conflict(QString message) { return fail(std::move(message), ErrorKind::Conflict); }
inline Error unauthorized(QString message) { return fail(std::move(message), ErrorKind::Unauthorized); }
inline Error corrupt(QString message) { return fail(std::move(message), ErrorKind::Corrupt); }
inline Error ioError(QString message) { return fail(std::move(message), ErrorKind::Io); }
inline Error cancelled(QString message) { return fail(std::move(message), ErrorKind::Cancelled); }

} // namespace mlwb
