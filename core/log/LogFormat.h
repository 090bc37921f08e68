#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <spdlog/fmt/fmt.h>

#include <string_view>

// Lets spdlog/fmt format Qt strings directly: log::hub()->info("GET {}", url).
template<>
struct fmt::formatter<QString> : fmt::formatter<std::string_view>
{
    template<typename FormatContext>
    auto format(const QString &text, FormatContext &context) const
    {
        const QByteArray utf8 = text.toUtf8();
        return fmt::formatter<std::string_view>::format(std::string_view(utf8.constData(), utf8.size()), context);
    }
};

template<>
struct fmt::formatter<QByteArray> : fmt::formatter<std::string_view>
{
    template<typename FormatContext>
    auto format(const QByteArray &bytes, FormatContext &context) const
    {
        return fmt::formatter<std::string_view>::format(std::string_view(bytes.constData(), bytes.size()), context);
    }
};

template<>
struct fmt::formatter<QUrl> : fmt::formatter<QString>
{
    template<typename FormatContext>
    auto format(const QUrl &url, FormatContext &context) const
    {
        return fmt::formatter<QString>::format(url.toDisplayString(), context);
    }
};
