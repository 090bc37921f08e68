#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

// Finding text in the log store's UTF-8 lines without turning every line into a QString.
namespace vibeml::joblog {

enum class SearchDirection { Forward, Backward };

class TextMatcher
{
public:
    TextMatcher() = default;
    TextMatcher(QStringView needle, Qt::CaseSensitivity sensitivity);

    bool isEmpty() const { return m_utf8.isEmpty(); }
    QString needle() const { return m_needle; }
    Qt::CaseSensitivity sensitivity() const { return m_sensitivity; }

    // Byte offset of the first match at or after `from` in a UTF-8 line, or -1.
    qsizetype indexIn(QByteArrayView utf8, qsizetype from = 0) const;
    bool matches(QByteArrayView utf8) const { return indexIn(utf8) >= 0; }

private:
    qsizetype indexInFolded(QByteArrayView utf8, qsizetype from) const;

    QString m_needle;
    QByteArray m_utf8;
    QByteArray m_lower; // ASCII-folded needle, for case-insensitive ASCII needles
    Qt::CaseSensitivity m_sensitivity = Qt::CaseSensitive;
    bool m_asciiNeedle = true;
};

} // namespace vibeml::joblog
