#include "joblog/LogSearch.h"

#include <cstring>
#include <string_view>

namespace vibeml::joblog {
namespace {

char foldAscii(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

bool isAscii(QByteArrayView bytes)
{
    for (const char c : bytes) {
        if (static_cast<uchar>(c) >= 0x80)
            return false;
    }
    return true;
}

} // namespace

TextMatcher::TextMatcher(QStringView needle, Qt::CaseSensitivity sensitivity)
    : m_needle(needle.toString()), m_utf8(needle.toUtf8()), m_sensitivity(sensitivity)
{
    m_asciiNeedle = isAscii(m_utf8);
    m_lower = m_utf8;
    for (char &c : m_lower)
        c = foldAscii(c);
}

qsizetype TextMatcher::indexIn(QByteArrayView utf8, qsizetype from) const
{
    if (m_utf8.isEmpty() || from < 0 || utf8.size() - from < m_utf8.size())
        return -1;
    if (m_sensitivity == Qt::CaseSensitive) {
        const std::string_view haystack(utf8.data(), static_cast<size_t>(utf8.size()));
        const size_t at = haystack.find(std::string_view(m_utf8.constData(), static_cast<size_t>(m_utf8.size())),
                                        static_cast<size_t>(from));
        return at == std::string_view::npos ? -1 : static_cast<qsizetype>(at);
    }
    if (m_asciiNeedle)
        return indexInFolded(utf8, from);
    // A non-ASCII needle without case: Unicode folding needs QString; rare, so simply slower.
    const QString line = QString::fromUtf8(utf8.sliced(from));
    const qsizetype at = line.indexOf(m_needle, 0, Qt::CaseInsensitive);
    return at < 0 ? -1 : from + QStringView(line).first(at).toUtf8().size();
}

qsizetype TextMatcher::indexInFolded(QByteArrayView utf8, qsizetype from) const
{
    const char first = m_lower.front();
    const char firstUpper = first >= 'a' && first <= 'z' ? static_cast<char>(first - ('a' - 'A')) : first;
    const char *const data = utf8.data();
    const char *const stop = data + (utf8.size() - m_lower.size()) + 1; // candidates lie before this
    const qsizetype rest = m_lower.size() - 1;
    auto next = [stop](const char *at, char c) -> const char * {
        return at < stop ? static_cast<const char *>(std::memchr(at, c, static_cast<size_t>(stop - at))) : nullptr;
    };
    // The next occurrence of each case of the first byte; only the one used is searched again.
    const char *lower = next(data + from, first);
    const char *upper = firstUpper == first ? nullptr : next(data + from, firstUpper);
    while (lower || upper) {
        const bool useLower = lower && (!upper || lower < upper);
        const char *candidate = useLower ? lower : upper;
        qsizetype k = 0;
        while (k < rest && foldAscii(candidate[1 + k]) == m_lower[1 + k])
            ++k;
        if (k == rest)
            return candidate - data;
        if (useLower)
            lower = next(candidate + 1, first);
        else
            upper = next(candidate + 1, firstUpper);
    }
    return -1;
}

} // namespace vibeml::joblog
