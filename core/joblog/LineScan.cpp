#include "joblog/LineScan.h"

#include "jobs/TrainingProgress.h"

#include <array>
#include <bit>
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
        scan.hasCarriageReturn = scan.hasCarriageReturn || byte == '\r';
        scan.hasOtherControls = scan.hasOtherControls || ((byte < 0x20 || byte == 0x7f) && byte != '\r');
        if (byte == 'E' || byte == 'T' || byte == '@')
            checkCandidate(at, lineEnd, scan);
    }
}

// The two classifications every scan makes of a vector of bytes, as bit masks (bit i for byte
// i). Controls: < 0x20 or 0x7f, with `high` the bytes ≥ 0x80 — signed compares see those as
// negative, hence "< 0x20" too, so they are taken out. Candidates: byte i and i + 1 (`next` is the
// load one byte further) are "ER", "Er", "Tr" or "@@", how every pattern starts; in log text 'E'
// and 'T' alone are everywhere.
#if defined(__SSE2__)
inline quint32 controls16(__m128i bytes, quint32 high)
{
    return (static_cast<quint32>(_mm_movemask_epi8(_mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20)))) & ~high)
           | static_cast<quint32>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(0x7f))));
}

inline quint32 candidates16(__m128i bytes, __m128i next)
{
    const __m128i r = _mm_or_si128(_mm_cmpeq_epi8(next, _mm_set1_epi8('R')), _mm_cmpeq_epi8(next, _mm_set1_epi8('r')));
    const __m128i eOrT = _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('E')), _mm_cmpeq_epi8(bytes, _mm_set1_epi8('T')));
    const __m128i atAt = _mm_and_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('@')), _mm_cmpeq_epi8(next, _mm_set1_epi8('@')));
    return static_cast<quint32>(_mm_movemask_epi8(_mm_or_si128(_mm_and_si128(eOrT, r), atAt)));
}

// One step of every scan: the bytes at `at`, the same one byte further (for the two-byte pattern
// starts) and which of them are ≥ 0x80. Needs 17 readable bytes.
struct Step16
{
    __m128i bytes;
    __m128i next;
    quint32 high;
    quint32 carriage; // '\r'
};

inline Step16 load16(const char *at)
{
    Step16 step;
    std::memcpy(&step.bytes, at, sizeof step.bytes);
    std::memcpy(&step.next, at + 1, sizeof step.next);
    step.high = static_cast<quint32>(_mm_movemask_epi8(step.bytes));
    step.carriage = static_cast<quint32>(_mm_movemask_epi8(_mm_cmpeq_epi8(step.bytes, _mm_set1_epi8('\r'))));
    return step;
}

// What a single-line scan gathers step by step (bit masks ORed together).
struct LineBits
{
    quint32 nonAscii = 0;
    quint32 carriage = 0;
    quint32 otherControls = 0;

    void addTo(LineScan &scan) const
    {
        scan.hasNonAscii = scan.hasNonAscii || nonAscii != 0;
        scan.hasCarriageReturn = scan.hasCarriageReturn || carriage != 0;
        scan.hasOtherControls = scan.hasOtherControls || otherControls != 0;
    }
};

inline void scanStep16(const char *at, const char *end, LineBits &bits, LineScan &scan)
{
    const auto [bytes, next, high, carriage] = load16(at);
    bits.nonAscii |= high;
    bits.carriage |= carriage;
    bits.otherControls |= controls16(bytes, high) & ~carriage;
    for (quint32 candidates = candidates16(bytes, next); candidates; candidates &= candidates - 1)
        checkCandidate(at + __builtin_ctz(candidates), end, scan);
}

// A whole line of at least 17 bytes, 16 a step: the last step overlaps the one before it rather
// than leaving up to 16 bytes to a byte loop (a pattern seen twice counts once). The step reads
// one byte ahead, so the last byte is looked at on its own.
void scanSse2(const char *at, const char *const end, LineScan &scan)
{
    LineBits bits;
    for (; end - at >= 17; at += 16)
        scanStep16(at, end, bits, scan);
    if (end - at > 1)
        scanStep16(end - 17, end, bits, scan);
    bits.addTo(scan);
    scanBytes(end - 1, end, scan, end);
}
#endif

#if defined(__x86_64__) && defined(__GNUC__)
#define VIBEML_SCAN_AVX2 1
// Both scans' masks for 32 bytes (33 readable: `next` is the load one byte further), as the
// SSE2 steps classify them, with fewer instructions where AVX2 allows (unsigned minimum for the
// controls, 'R' or 'r' in one compare).
struct Masks32
{
    quint32 newlines;
    quint32 controls; // other than '\n' and '\r'
    quint32 carriage;
    quint32 nonAscii;
    quint32 candidates;
};

__attribute__((target("avx2"), always_inline)) inline quint32 mask(__m256i vector)
{
    return static_cast<quint32>(_mm256_movemask_epi8(vector));
}

__attribute__((target("avx2"), always_inline)) inline __m256i same(__m256i vector, char byte)
{
    return _mm256_cmpeq_epi8(vector, _mm256_set1_epi8(byte));
}

__attribute__((target("avx2"), always_inline)) inline Masks32 lineMasks32(const char *at)
{
    const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(at));
    const __m256i next = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(at + 1));
    // Unsigned "≤ 0x1f" as min(byte, 0x1f) == byte; and DEL.
    const __m256i controls = _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_min_epu8(bytes, _mm256_set1_epi8(0x1f)), bytes), same(bytes, 0x7f));
    const __m256i r = same(_mm256_or_si256(next, _mm256_set1_epi8(0x20)), 'r');
    const __m256i eOrT = _mm256_or_si256(same(bytes, 'E'), same(bytes, 'T'));
    const __m256i atAt = _mm256_and_si256(same(bytes, '@'), same(next, '@'));
    Masks32 masks;
    masks.newlines = mask(same(bytes, '\n'));
    masks.carriage = mask(same(bytes, '\r'));
    masks.controls = mask(controls) & ~(masks.newlines | masks.carriage);
    masks.nonAscii = mask(bytes);
    masks.candidates = mask(_mm256_or_si256(_mm256_and_si256(eOrT, r), atAt));
    return masks;
}

__attribute__((target("avx2"), always_inline)) inline void scanStep32(const char *at, const char *end, LineBits &bits,
                                                                      LineScan &scan)
{
    const Masks32 masks = lineMasks32(at);
    bits.nonAscii |= masks.nonAscii;
    bits.carriage |= masks.carriage;
    bits.otherControls |= masks.controls | masks.newlines; // in a single line, a '\n' is just a control
    for (quint32 candidates = masks.candidates; candidates; candidates &= candidates - 1)
        checkCandidate(at + __builtin_ctz(candidates), end, scan);
}

// scanSse2 32 bytes a step, for processors with AVX2 (picked at run time; the build targets plain
// x86-64). At least 33 bytes.
__attribute__((target("avx2"))) void scanAvx2(const char *at, const char *const end, LineScan &scan)
{
    LineBits bits;
    for (; end - at >= 33; at += 32)
        scanStep32(at, end, bits, scan);
    if (end - at > 1)
        scanStep32(end - 33, end, bits, scan);
    bits.addTo(scan);
    scanBytes(end - 1, end, scan, end);
}

const bool kHasAvx2 = (__builtin_cpu_init(), __builtin_cpu_supports("avx2"));
#endif

// What a pattern candidate turns out to be (checkCandidate's answer as bits, kept in a register).
constexpr quint32 kCandidateError = 1;
constexpr quint32 kCandidateProgress = 2;

quint32 candidateFlags(const char *at, const char *end)
{
    LineScan scan;
    checkCandidate(at, end, scan);
    return (scan.looksLikeError ? kCandidateError : 0) | (scan.hasProgressMarker ? kCandidateProgress : 0);
}

// Turns per-block bit masks (bit i = byte i of the block) into lines: the part of the multi-line
// scan that does not depend on the vector width. Used as a local, by value, so that its state
// stays in registers in the loops below.
struct LineCollector
{
    const char *base;
    const char *end;
    std::vector<ScannedLine> *lines;
    qsizetype lineStart = 0;
    quint64 controls = 0; // other than '\r'
    quint64 carriage = 0;
    quint64 nonAscii = 0;
    quint32 found = 0; // kCandidate… bits

    // `at` is the block's first byte; Mask is 32 or 64 bits, one per byte of the block.
    // Candidates are checked against the end of all the bytes, not of their line: no pattern
    // holds a '\n', so none can match across one.
    template <typename Mask>
    __attribute__((always_inline)) void block(const char *at, Mask newlines, Mask blockControls, Mask blockCarriage,
                                              Mask blockNonAscii, Mask candidates)
    {
        if (!(newlines | candidates)) { // most blocks: the middle of a line
            controls |= blockControls;
            carriage |= blockCarriage;
            nonAscii |= blockNonAscii;
            return;
        }
        while (newlines) {
            const int bit = std::countr_zero(newlines);
            const Mask before = (Mask{1} << bit) - 1;
            take(at, blockControls & before, blockCarriage & before, blockNonAscii & before, candidates & before);
            LineScan scan;
            scan.hasOtherControls = controls != 0;
            scan.hasCarriageReturn = carriage != 0;
            scan.hasNonAscii = nonAscii != 0;
            scan.looksLikeError = (found & kCandidateError) != 0;
            scan.hasProgressMarker = (found & kCandidateProgress) != 0;
            const qsizetype newline = (at - base) + bit;
            lines->push_back({lineStart, newline, scan});
            lineStart = newline + 1;
            controls = carriage = nonAscii = found = 0;
            const Mask after = ~((Mask{2} << bit) - 1); // 0 for the last bit
            blockControls &= after;
            blockCarriage &= after;
            blockNonAscii &= after;
            candidates &= after;
            newlines &= newlines - 1;
        }
        take(at, blockControls, blockCarriage, blockNonAscii, candidates);
    }

    template <typename Mask>
    __attribute__((always_inline)) void take(const char *at, Mask blockControls, Mask blockCarriage, Mask blockNonAscii,
                                             Mask candidates)
    {
        controls |= blockControls;
        carriage |= blockCarriage;
        nonAscii |= blockNonAscii;
        while (candidates) {
            found |= candidateFlags(at + std::countr_zero(candidates), end);
            candidates &= candidates - 1;
        }
    }
};

// Up to 32 bytes, one at a time (the end of the input, and processors without SSE2).
void scanBlockBytes(const char *at, const char *blockEnd, const char *end, LineCollector &collector)
{
    quint32 newlines = 0;
    quint32 controls = 0;
    quint32 carriage = 0;
    quint32 nonAscii = 0;
    quint32 candidates = 0;
    for (int i = 0; at + i < blockEnd; ++i) {
        const auto byte = static_cast<uchar>(at[i]);
        const quint32 bit = quint32{1} << i;
        if (byte == '\n')
            newlines |= bit;
        else if (byte == '\r')
            carriage |= bit;
        else if (byte < 0x20 || byte == 0x7f)
            controls |= bit;
        else if (byte >= 0x80)
            nonAscii |= bit;
        else if ((byte == 'E' || byte == 'T' || byte == '@') && at + i + 1 < end)
            candidates |= bit; // checkCandidate looks closer
    }
    collector.block(at, newlines, controls, carriage, nonAscii, candidates);
}

#if defined(VIBEML_SCAN_AVX2)
inline quint64 joinMasks(quint32 low, quint32 high)
{
    return quint64{low} | (quint64{high} << 32);
}

// 64 bytes a step (two 32-byte halves joined into 64-bit masks): half the per-step bookkeeping.
__attribute__((target("avx2"))) const char *scanLinesAvx2(const char *at, const char *const end, LineCollector &shared)
{
    LineCollector collector = shared;
    for (; end - at >= 65; at += 64) {
        const Masks32 low = lineMasks32(at);
        const Masks32 high = lineMasks32(at + 32);
        collector.block(at, joinMasks(low.newlines, high.newlines), joinMasks(low.controls, high.controls),
                        joinMasks(low.carriage, high.carriage), joinMasks(low.nonAscii, high.nonAscii),
                        joinMasks(low.candidates, high.candidates));
    }
    shared = collector;
    return at;
}
#endif

} // namespace

#if defined(VIBEML_SCAN_AVX2)
namespace {
__attribute__((target("avx2,popcnt"))) qsizetype countNewlinesAvx2(const char *&at, const char *const end)
{
    qsizetype count = 0;
    for (; end - at >= 32; at += 32)
        count += std::popcount(mask(same(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(at)), '\n')));
    return count;
}
} // namespace
#endif

namespace {

// One byte of findSpecialBytes' answer, with the byte after it (0 at the end).
inline bool isSpecialByte(uchar byte, uchar next)
{
    if ((byte < 0x20 && byte != '\n' && byte != '\r') || byte == 0x7f)
        return true;
    return ((byte == 'E' || byte == 'T') && (next | 0x20) == 'r') || (byte == '@' && next == '@');
}

#if defined(VIBEML_SCAN_AVX2)
__attribute__((target("avx2,popcnt"))) qsizetype findSpecialBytesAvx2(const char *&position, const char *const end,
                                                                       const char *base, std::vector<qsizetype> &special)
{
    // The multi-line scan's masks (lineMasks32). Offsets go to a buffer on the stack a block at a
    // time, so that no call (which would clobber the vector registers) sits in the inner loop.
    constexpr qsizetype kBlock = 2048;
    qsizetype found[kBlock];
    qsizetype newlines = 0;
    const char *at = position;
    while (end - at >= 33) {
        const char *const blockEnd = at + std::min<qsizetype>(kBlock, (end - at - 1) / 32 * 32);
        qsizetype *out = found;
        for (; at < blockEnd; at += 32) {
            const Masks32 masks = lineMasks32(at);
            newlines += std::popcount(masks.newlines);
            for (quint32 bits = masks.controls | masks.candidates; bits; bits &= bits - 1)
                *out++ = (at - base) + std::countr_zero(bits);
        }
        special.insert(special.end(), found, out);
    }
    position = at;
    return newlines;
}
#endif

} // namespace

qsizetype findSpecialBytes(QByteArrayView bytes, std::vector<qsizetype> &special)
{
    const char *const base = bytes.data();
    const char *at = base;
    const char *const end = base + bytes.size();
    qsizetype newlines = 0;
#if defined(VIBEML_SCAN_AVX2)
    if (kHasAvx2)
        newlines += findSpecialBytesAvx2(at, end, base, special);
#endif
    for (; at < end; ++at) {
        const auto byte = static_cast<uchar>(*at);
        newlines += byte == '\n' ? 1 : 0;
        if (isSpecialByte(byte, at + 1 < end ? static_cast<uchar>(at[1]) : 0))
            special.push_back(at - base);
    }
    return newlines;
}

bool hasPatternStart(QByteArrayView bytes)
{
    const char *at = bytes.data();
    const char *const end = at + bytes.size();
#if defined(__SSE2__)
    for (; end - at >= 16; at += 16) {
        const __m128i bytes16 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(at));
        const __m128i starts = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes16, _mm_set1_epi8('E')), _mm_cmpeq_epi8(bytes16, _mm_set1_epi8('T'))),
                                            _mm_cmpeq_epi8(bytes16, _mm_set1_epi8('@')));
        if (_mm_movemask_epi8(starts) != 0)
            return true;
    }
#endif
    for (; at < end; ++at) {
        if (*at == 'E' || *at == 'T' || *at == '@')
            return true;
    }
    return false;
}

qsizetype countNewlines(QByteArrayView bytes)
{
    const char *at = bytes.data();
    const char *const end = at + bytes.size();
    qsizetype count = 0;
#if defined(VIBEML_SCAN_AVX2)
    if (kHasAvx2)
        count += countNewlinesAvx2(at, end);
#endif
#if defined(__SSE2__)
    for (; end - at >= 16; at += 16) {
        const __m128i bytes16 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(at));
        count += std::popcount(static_cast<quint32>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes16, _mm_set1_epi8('\n')))));
    }
#endif
    for (; at < end; ++at)
        count += *at == '\n' ? 1 : 0;
    return count;
}

qsizetype scanLines(QByteArrayView input, std::vector<ScannedLine> &lines)
{
    const char *at = input.data();
    const char *const end = at + input.size();
    LineCollector collector{at, end, &lines};
#if defined(VIBEML_SCAN_AVX2)
    if (kHasAvx2)
        at = scanLinesAvx2(at, end, collector);
#endif
#if defined(__SSE2__)
    for (; end - at >= 17; at += 16) {
        const auto [bytes, next, high, carriage] = load16(at);
        const auto newlines = static_cast<quint32>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('\n'))));
        collector.block(at, newlines, controls16(bytes, high) & ~(newlines | carriage), carriage, high, candidates16(bytes, next));
    }
#endif
    for (; at < end; at += 32)
        scanBlockBytes(at, std::min(at + 32, end), end, collector);
    return collector.lineStart;
}

namespace {

// What a byte ≥ 0x80 says as the first byte of a character (Unicode's table 3-7): how many
// continuation bytes follow (0: it cannot begin one) and the range of the first of them.
struct Utf8Lead
{
    quint8 continuations;
    quint8 low;
    quint8 high;
};

// Every entry is set explicitly: GCC 12 leaves default member initialisers out of a constant-
// evaluated `std::array<T, N> a{}` (low and high were 0, at -O2 only).
constexpr std::array<Utf8Lead, 128> kUtf8Leads = [] {
    std::array<Utf8Lead, 128> leads{};
    for (Utf8Lead &lead : leads)
        lead = {0, 0x80, 0xbf};
    for (int byte = 0xc2; byte <= 0xdf; ++byte)
        leads[static_cast<size_t>(byte - 0x80)].continuations = 1;
    for (int byte = 0xe0; byte <= 0xef; ++byte)
        leads[static_cast<size_t>(byte - 0x80)].continuations = 2;
    for (int byte = 0xf0; byte <= 0xf4; ++byte)
        leads[static_cast<size_t>(byte - 0x80)].continuations = 3;
    leads[0xe0 - 0x80].low = 0xa0;  // overlong
    leads[0xed - 0x80].high = 0x9f; // surrogates
    leads[0xf0 - 0x80].low = 0x90;  // overlong
    leads[0xf4 - 0x80].high = 0x8f; // past U+10FFFF
    return leads;
}();

bool isContinuation(uchar byte)
{
    return (byte & 0xc0) == 0x80;
}

} // namespace

#if defined(VIBEML_SCAN_AVX2)
// Keiser and Lemire's check ("Validating UTF-8 in less than one instruction per byte", 2021): every
// error shows in some pair of neighbouring bytes, found by looking up the first byte's two nibbles
// and the second's high nibble in 16-entry tables (bit i of each entry: "this pair may be error
// i"; an error is a bit set in all three), plus where a third or fourth byte must follow.
namespace utf8 {
constexpr char kTooShort = 1 << 0;  // a lead byte, then no continuation
constexpr char kTooLong = 1 << 1;   // ASCII, then a continuation
constexpr char kOverlong3 = 1 << 2; // E0 80..9F
constexpr char kTooLarge = 1 << 3;  // F4 90.., F5..
constexpr char kSurrogate = 1 << 4; // ED A0..BF
constexpr char kOverlong2 = 1 << 5; // C0, C1
constexpr char kTooLarge1000 = 1 << 6; // F5.. 80..8F
constexpr char kOverlong4 = 1 << 6; // F0 80..8F
constexpr char kTwoContinuations = static_cast<char>(1 << 7);
constexpr char kCarry = kTooShort | kTooLong | kTwoContinuations; // decided by the first byte's high nibble
constexpr char kFromF = kCarry | kTooLarge | kTooLarge1000;
} // namespace utf8

struct Utf8Tables
{
    __m256i firstHigh;
    __m256i firstLow;
    __m256i secondHigh;
};

__attribute__((target("avx2"), always_inline)) inline Utf8Tables utf8Tables()
{
    using namespace utf8;
    const char continuation = kTooLong | kOverlong2 | kTwoContinuations;
    return {_mm256_broadcastsi128_si256(_mm_setr_epi8(kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong,
                                                      kTwoContinuations, kTwoContinuations, kTwoContinuations, kTwoContinuations,
                                                      kTooShort | kOverlong2, kTooShort, kTooShort | kOverlong3 | kSurrogate,
                                                      kTooShort | kTooLarge | kTooLarge1000 | kOverlong4)),
            _mm256_broadcastsi128_si256(_mm_setr_epi8(kCarry | kOverlong3 | kOverlong2 | kOverlong4, kCarry | kOverlong2, kCarry,
                                                      kCarry, kCarry | kTooLarge, kFromF, kFromF, kFromF, kFromF, kFromF, kFromF,
                                                      kFromF, kFromF, kFromF | kSurrogate, kFromF, kFromF)),
            _mm256_broadcastsi128_si256(_mm_setr_epi8(kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,
                                                      kTooShort, continuation | kOverlong3 | kTooLarge1000 | kOverlong4,
                                                      continuation | kOverlong3 | kTooLarge, continuation | kSurrogate | kTooLarge,
                                                      continuation | kSurrogate | kTooLarge, kTooShort, kTooShort, kTooShort,
                                                      kTooShort))};
}

__attribute__((target("avx2"), always_inline)) inline __m256i highNibbles(__m256i bytes)
{
    return _mm256_and_si256(_mm256_srli_epi16(bytes, 4), _mm256_set1_epi8(0x0f));
}

// The error bits of the 32 bytes `bytes`, with the bytes one, two and three places earlier.
__attribute__((target("avx2"), always_inline)) inline __m256i utf8Errors(const Utf8Tables &tables, __m256i bytes, __m256i previous1,
                                                                         __m256i previous2, __m256i previous3)
{
    const __m256i special = _mm256_and_si256(
        _mm256_and_si256(_mm256_shuffle_epi8(tables.firstHigh, highNibbles(previous1)),
                         _mm256_shuffle_epi8(tables.firstLow, _mm256_and_si256(previous1, _mm256_set1_epi8(0x0f)))),
        _mm256_shuffle_epi8(tables.secondHigh, highNibbles(bytes)));
    // A third or fourth byte must be a continuation: exactly where the pair says "two continuations".
    const __m256i mustContinue = _mm256_or_si256(_mm256_subs_epu8(previous2, _mm256_set1_epi8(char(0xe0 - 0x80))),
                                                 _mm256_subs_epu8(previous3, _mm256_set1_epi8(char(0xf0 - 0x80))));
    return _mm256_xor_si256(_mm256_and_si256(mustContinue, _mm256_set1_epi8(char(0x80))), special);
}

__attribute__((target("avx2"), always_inline)) inline __m256i load32(const uchar *at)
{
    return _mm256_loadu_si256(reinterpret_cast<const __m256i *>(at));
}

// At least 35 bytes. The first 32 with nothing before them; then 32 at a time, the last step
// overlapping the one before (checking a byte twice changes nothing), every step with the bytes
// one, two and three places earlier loaded from the text itself.
__attribute__((target("avx2"))) bool isValidUtf8Avx2(const uchar *const begin, const uchar *const end)
{
    const Utf8Tables tables = utf8Tables();
    const __m256i first = load32(begin);
    const __m256i joined = _mm256_permute2x128_si256(_mm256_setzero_si256(), first, 0x21); // zeros: ASCII
    __m256i error = utf8Errors(tables, first, _mm256_alignr_epi8(first, joined, 15), _mm256_alignr_epi8(first, joined, 14),
                               _mm256_alignr_epi8(first, joined, 13));
    for (const uchar *at = begin + 32;; at += 32) {
        if (end - at < 32)
            at = end - 32;
        error = _mm256_or_si256(error, utf8Errors(tables, load32(at), load32(at - 1), load32(at - 2), load32(at - 3)));
        if (end - at <= 32)
            break;
    }
    // A character cut off by the end of the text.
    const bool cut = end[-1] >= 0xc0 || end[-2] >= 0xe0 || end[-3] >= 0xf0;
    return _mm256_testz_si256(error, error) && !cut;
}
#endif

bool isValidUtf8(QByteArrayView text)
{
    const auto *at = reinterpret_cast<const uchar *>(text.data());
    const auto *const end = at + text.size();
#if defined(VIBEML_SCAN_AVX2)
    if (kHasAvx2 && end - at >= 35)
        return isValidUtf8Avx2(at, end);
#endif
    for (;;) {
#if defined(__SSE2__)
        for (; end - at >= 16; at += 16) {
            __m128i bytes;
            std::memcpy(&bytes, at, sizeof bytes);
            if (const int high = _mm_movemask_epi8(bytes)) {
                at += __builtin_ctz(static_cast<unsigned>(high));
                break;
            }
        }
#endif
        while (at < end && *at < 0x80)
            ++at;
        if (at == end)
            return true;
        const Utf8Lead lead = kUtf8Leads[*at - 0x80u];
        const int length = lead.continuations + 1;
        if (lead.continuations == 0 || end - at < length || at[1] < lead.low || at[1] > lead.high)
            return false;
        // The third and fourth bytes, where the character has them (read only then).
        const bool third = length < 3 || isContinuation(at[2]);
        const bool fourth = length < 4 || isContinuation(at[3]);
        if (!(third && fourth))
            return false;
        at += length;
    }
}

LineScan scanLine(QByteArrayView line)
{
    LineScan scan;
    const char *const at = line.data();
    const char *const end = at + line.size();
#if defined(VIBEML_SCAN_AVX2)
    if (kHasAvx2 && end - at >= 33) {
        scanAvx2(at, end, scan);
        return scan;
    }
#endif
#if defined(__SSE2__)
    if (end - at >= 17) {
        scanSse2(at, end, scan);
        return scan;
    }
#endif
    scanBytes(at, end, scan, end);
    return scan;
}

LineScan scanPatterns(QByteArrayView text)
{
    LineScan scan;
    const char *at = text.data();
    const char *const end = at + text.size();
#if defined(__SSE2__)
    if (end - at >= 16) {
        auto leads = [&](const char *step) {
            __m128i bytes;
            std::memcpy(&bytes, step, sizeof bytes);
            const __m128i eOrT = _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('E')), _mm_cmpeq_epi8(bytes, _mm_set1_epi8('T')));
            return static_cast<quint32>(_mm_movemask_epi8(_mm_or_si128(eOrT, _mm_cmpeq_epi8(bytes, _mm_set1_epi8('@')))));
        };
        for (; end - at >= 16; at += 16) {
            for (quint32 found = leads(at); found; found &= found - 1)
                checkCandidate(at + std::countr_zero(found), end, scan);
        }
        if (at < end) { // the last 16 bytes, without those the loop saw
            const auto seen = static_cast<int>(16 - (end - at));
            for (quint32 found = leads(end - 16) >> seen; found; found &= found - 1)
                checkCandidate(at + std::countr_zero(found), end, scan);
        }
        return scan;
    }
#endif
    for (; at < end; ++at) {
        if (*at == 'E' || *at == 'T' || *at == '@')
            checkCandidate(at, end, scan);
    }
    return scan;
}

} // namespace vibeml::joblog
