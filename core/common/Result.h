#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace vibeml {

// The outcome of an operation that produces nothing but can fail with a message for the user.
class [[nodiscard]] Status
{
public:
    static Status success() { return Status{}; }
    static Status failure(QString message) { return Status{std::move(message)}; }

    bool isOk() const { return !m_failed; }
    explicit operator bool() const { return isOk(); }
    const QString &message() const { return m_message; }

private:
    Status() = default;
    explicit Status(QString message) : m_message(std::move(message)), m_failed(true) {}

    QString m_message;
    bool m_failed = false;
};

// A value or a typed error. E is a domain error type (an enum + message + action).
template<typename T, typename E>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(E error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool isOk() const { return m_data.index() == 0; }
    explicit operator bool() const { return isOk(); }

    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const E &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, E> m_data;
};

} // namespace vibeml
