#include "joblog/LineScan.h"

#include "jobs/TrainingProgress.h"

#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
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

#if defined(__x86_64__) && defined(__GNUC__)
#define VIBEML_SCAN_AVX2 1
// The same as the SSE2 loop below, 32 bytes a step, for processors with AVX2 (picked at run time;
// the build targets plain x86-64). Returns where it stopped; the caller finishes the rest.
__attribute__((target("avx2"))) const char *scanAvx2(const char *at, const char *const end, LineScan &scan)
{
    const __m256i upperE = _mm256_set1_epi8('E');
    const __m256i upperT = _mm256_set1_epi8('T');
    const __m256i atSign = _mm256_set1_epi8('@');
    const __m256i upperR = _mm256_set1_epi8('R');
    const __m256i lowerR = _mm256_set1_epi8('r');
    const __m256i space = _mm256_set1_epi8(0x20);
    const __m256i del = _mm256_set1_epi8(0x7f);
    unsigned nonAscii = 0;
    unsigned controls = 0;
    for (; end - at >= 33; at += 32) {
        const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(at));
        const __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(at + 1));
        const auto high = static_cast<unsigned>(_mm256_movemask_epi8(bytes));
        nonAscii |= high;
        controls |= (static_cast<unsigned>(_mm256_movemask_epi8(_mm256_cmpgt_epi8(space, bytes))) & ~high)
                    | static_cast<unsigned>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(bytes, del)));
        const __m256i r = _mm256_or_si256(_mm256_cmpeq_epi8(next, upperR), _mm256_cmpeq_epi8(next, lowerR));
        const __m256i pairs = _mm256_or_si256(
            _mm256_and_si256(_mm256_or_si256(_mm256_cmpeq_epi8(bytes, upperE), _mm256_cmpeq_epi8(bytes, upperT)), r),
            _mm256_and_si256(_mm256_cmpeq_epi8(bytes, atSign), _mm256_cmpeq_epi8(next, atSign)));
        auto candidates = static_cast<unsigned>(_mm256_movemask_epi8(pairs));
        while (candidates) {
            checkCandidate(at + __builtin_ctz(candidates), end, scan);
            candidates &= candidates - 1;
        }
    }
    scan.hasNonAscii = scan.hasNonAscii || nonAscii != 0;
    scan.hasControls = scan.hasControls || controls != 0;
    return at;
}

const bool kHasAvx2 = (__builtin_cpu_init(), __builtin_cpu_supports("avx2"));
#endif

} // namespace

LineScan scanLine(QByteArrayView line)
{
    LineScan scan;
    const char *at = line.data();
    const char *const end = at + line.size();
#if defined(VIBEML_SCAN_AVX2)
    if (kHasAvx2 && end - at >= 33)
        at = scanAvx2(at, end, scan);
#endif
#if defined(__SSE2__)
    // Candidates are the first two bytes of a pattern ("ER", "Er", "Tr", "@@"), compared at once
    // with a second load one byte further: in log text 'E' and 'T' alone are everywhere.
    const __m128i upperE = _mm_set1_epi8('E');
    const __m128i upperT = _mm_set1_epi8('T');
    const __m128i atSign = _mm_set1_epi8('@');
    const __m128i upperR = _mm_set1_epi8('R');
    const __m128i lowerR = _mm_set1_epi8('r');
    const __m128i space = _mm_set1_epi8(0x20);
    const __m128i del = _mm_set1_epi8(0x7f);
    int nonAscii = 0;
    int controls = 0;
    for (; end - at >= 17; at += 16) {
        __m128i bytes;
        __m128i next;
        std::memcpy(&bytes, at, sizeof bytes);
        std::memcpy(&next, at + 1, sizeof next);
        const int high = _mm_movemask_epi8(bytes);
        nonAscii |= high;
        // Signed compare: bytes ≥ 0x80 are negative, hence "< 0x20" too; they are not controls.
        controls |= (_mm_movemask_epi8(_mm_cmplt_epi8(bytes, space)) & ~high) | _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, del));
        const __m128i r = _mm_or_si128(_mm_cmpeq_epi8(next, upperR), _mm_cmpeq_epi8(next, lowerR));
        const __m128i pairs = _mm_or_si128(
            _mm_and_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, upperE), _mm_cmpeq_epi8(bytes, upperT)), r),
            _mm_and_si128(_mm_cmpeq_epi8(bytes, atSign), _mm_cmpeq_epi8(next, atSign)));
        int candidates = _mm_movemask_epi8(pairs);
        while (candidates) {
            checkCandidate(at + __builtin_ctz(static_cast<unsigned>(candidates)), end, scan);
            candidates &= candidates - 1;
        }
    }
    scan.hasNonAscii = scan.hasNonAscii || nonAscii != 0;
    scan.hasControls = scan.hasControls || controls != 0;
#endif
    scanBytes(at, end, scan, end);
    return scan;
}

} // namespace vibeml::joblog
