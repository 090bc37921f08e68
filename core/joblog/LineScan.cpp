#include "joblog/LineScan.h"

#include "jobs/TrainingProgress.h"

#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vibeml::joblog {
namespace {

constexpr std::string_view kTraceback = "Traceback (most recent call last)";
constexpr std::string_view kUpperError = "ERROR";
constexpr std::string_view kError = "Error:";
const std::string_view kMarker(jobs::kProgressMarker.data(), static_cast<size_t>(jobs::kProgressMarker.size()));

bool startsWith(const char *at, const char *end, std::string_view what)
{
    return static_cast<size_t>(end - at) >= what.size() && std::memcmp(at, what.data(), what.size()) == 0;
}

// Every pattern begins with one of 'E', 'T' or '@', so only those bytes are looked at closer.
void checkCandidate(const char *at, const char *end, LineScan &scan)
{
    switch (*at) {
    case 'E':
        scan.looksLikeError = scan.looksLikeError || startsWith(at, end, kUpperError) || startsWith(at, end, kError);
        break;
    case 'T':
        scan.looksLikeError = scan.looksLikeError || startsWith(at, end, kTraceback);
        break;
    case '@':
        scan.hasProgressMarker = scan.hasProgressMarker || startsWith(at, end, kMarker);
        break;
    default:
        break;
    }
}

void scanBytes(const char *at, const char *end, LineScan &scan, const char *lineEnd)
{
    for (; at < end; ++at) {
        const auto byte = static_cast<uchar>(*at);
        scan.hasNonAscii = scan.hasNonAscii || byte >= 0x80;
        scan.hasControls = scan.hasControls || byte < 0x20 || byte == 0x7f;
        if (byte == 'E' || byte == 'T' || byte == '@')
            checkCandidate(at, lineEnd, scan);
    }
}

} // namespace

LineScan scanLine(QByteArrayView line)
{
    LineScan scan;
    const char *at = line.data();
    const char *const end = at + line.size();
#if defined(__SSE2__)
    const __m128i upperE = _mm_set1_epi8('E');
    const __m128i upperT = _mm_set1_epi8('T');
    const __m128i atSign = _mm_set1_epi8('@');
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i del = _mm_set1_epi8(0x7f);
    int nonAscii = 0;
    int controls = 0;
    for (; end - at >= 16; at += 16) {
        __m128i bytes;
        std::memcpy(&bytes, at, sizeof bytes);
        const int high = _mm_movemask_epi8(bytes);
        nonAscii |= high;
        // Signed compare: bytes ≥ 0x80 are negative, hence "< 0x20" too; they are not controls.
        controls |= (_mm_movemask_epi8(_mm_cmplt_epi8(bytes, space)) & ~high) | _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, del));
        int candidates = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, upperE), _mm_cmpeq_epi8(bytes, upperT)),
                                                        _mm_cmpeq_epi8(bytes, atSign)));
        while (candidates) {
            checkCandidate(at + __builtin_ctz(static_cast<unsigned>(candidates)), end, scan);
            candidates &= candidates - 1;
        }
    }
    scan.hasNonAscii = nonAscii != 0;
    scan.hasControls = controls != 0;
#endif
    scanBytes(at, end, scan, end);
    return scan;
}

} // namespace vibeml::joblog
