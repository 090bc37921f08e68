#include "catalog/Catalog.h"
#include "catalog/GpuSpecs.h"

#include <QByteArrayView>
#include <QSet>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>

namespace vibeml::catalog {

namespace {

// Enough problem lines to see what is wrong with a file; more would only bury the first ones.
constexpr qsizetype kMaxProblems = 10;
// Values quoted in problem lines are cut short: a hostile file must not produce huge messages.
constexpr qsizetype kMaxQuotedValue = 40;
// No real instance carries more GPUs; the cap also keeps the count far inside an int.
constexpr double kMaxAcceleratorCount = 1024;
constexpr double kMiBPerGiB = 1024;
// Fields kept per record: catalogs have about ten, and a line of a million commas must not become
// a million list entries. Later fields are still counted, so such a row is reported, not misread.
constexpr qsizetype kMaxFields = 256;

// One CSV record with its fields unquoted; `line` is where it starts, for messages.
struct Record
{
    QList<QByteArray> fields; // the first kMaxFields
    qsizetype fieldCount = 0;
    qsizetype line = 0;
    bool unterminatedQuote = false;

    bool isBlank() const { return fieldCount == 1 && fields.front().trimmed().isEmpty(); }
};

// RFC 4180 over raw bytes: quoted fields may hold commas, line breaks and "" for a quote. CRLF,
// LF or a lone CR end a record. Bytes are not decoded here, so binary garbage cannot trip it.
class CsvReader
{
public:
    explicit CsvReader(QByteArrayView data) : m_pos(data.data()), m_end(data.data() + data.size()) { }

    // False once the input is used up.
    bool next(Record &record)
    {
        record.fields.clear();
        record.fieldCount = 0;
        record.unterminatedQuote = false;
        if (m_pos >= m_end)
            return false;
        record.line = m_line;
        while (true) {
            QByteArray field;
            if (*m_pos == '"')
                record.unterminatedQuote = !readQuoted(field) || record.unterminatedQuote;
            // Unquoted text, or (leniently) whatever follows a closing quote before the comma.
            const char *start = m_pos;
            while (m_pos < m_end && *m_pos != ',' && *m_pos != '\n' && *m_pos != '\r')
                ++m_pos;
            field.append(start, m_pos - start);
            keep(record, std::move(field));
            if (m_pos < m_end && *m_pos == ',') {
                ++m_pos;
                if (m_pos < m_end)
                    continue;
                keep(record, QByteArray()); // a trailing comma at the very end of input
                return true;
            }
            if (m_pos < m_end) { // end of line
                if (*m_pos++ == '\r' && m_pos < m_end && *m_pos == '\n')
                    ++m_pos;
                ++m_line;
            }
            return true;
        }
    }

private:
    static void keep(Record &record, QByteArray &&field)
    {
        if (record.fieldCount++ < kMaxFields)
            record.fields.append(std::move(field));
    }

    // At an opening quote; false when the input ends before the closing one.
    bool readQuoted(QByteArray &field)
    {
        ++m_pos;
        while (true) {
            const auto *quote = static_cast<const char *>(std::memchr(m_pos, '"', size_t(m_end - m_pos)));
            const char *stop = quote ? quote : m_end;
            field.append(m_pos, stop - m_pos);
            m_line += std::count(m_pos, stop, '\n');
            if (!quote) {
                m_pos = m_end;
                return false;
            }
            m_pos = quote + 1;
            if (m_pos < m_end && *m_pos == '"') {
                field.append('"');
                ++m_pos;
                continue;
            }
            return true;
        }
    }

    const char *m_pos;
    const char *m_end;
    qsizetype m_line = 1;
};

// A finite decimal number, blanks around it allowed; nullopt for anything else (inf, nan, "abc").
std::optional<double> number(QByteArrayView text)
{
    text = text.trimmed();
    if (text.startsWith('+'))
        text = text.sliced(1);
    if (text.isEmpty())
        return std::nullopt;
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

// GpuInfo is a Python dict printed with repr(): {'Gpus': [{… 'MemoryInfo': {'SizeInMiB': 81920}}], …}.
// Only the per-GPU size matters, so it is found by key instead of parsing the whole dict.
std::optional<double> gpuMemoryMiB(const QByteArray &gpuInfo)
{
    static constexpr QByteArrayView key("SizeInMiB");
    const qsizetype at = gpuInfo.indexOf(key);
    if (at < 0)
        return std::nullopt;
    qsizetype pos = at + key.size();
    while (pos < gpuInfo.size()
           && (gpuInfo[pos] == '\'' || gpuInfo[pos] == '"' || gpuInfo[pos] == ':' || gpuInfo[pos] == ' '))
        ++pos;
    qsizetype end = pos;
    while (end < gpuInfo.size() && (std::isdigit(static_cast<unsigned char>(gpuInfo[end])) || gpuInfo[end] == '.'))
        ++end;
    const std::optional<double> mib = number(QByteArrayView(gpuInfo).sliced(pos, end - pos));
    return mib && *mib > 0 ? mib : std::nullopt;
}

// A value as a problem line shows it: short, printable, in quotes.
QString quoted(const QByteArray &value)
{
    QString text = QString::fromUtf8(value.left(kMaxQuotedValue));
    for (QChar &ch : text) {
        if (ch.unicode() < 0x20 || ch.unicode() == 0x7f)
            ch = QLatin1Char('?');
    }
    if (value.size() > kMaxQuotedValue)
        text += QStringLiteral("…");
    return QLatin1Char('"') + text + QLatin1Char('"');
}

// SkyPilot's column names (case-sensitive, as its pandas code reads them); the first five are required.
enum Column { InstanceType, AcceleratorName, AcceleratorCount, Price, Region, VCpus, MemoryGiB, GpuInfo, SpotPrice };
constexpr const char *kColumnNames[] = {"InstanceType", "AcceleratorName", "AcceleratorCount", "Price",    "Region",
                                        "vCPUs",        "MemoryGiB",       "GpuInfo",          "SpotPrice"};
constexpr int kRequiredColumns = Region + 1;
constexpr int kColumnCount = SpotPrice + 1;

class RowReader
{
public:
    RowReader(const QString &cloud, CatalogParse &result) : m_cloud(cloud), m_result(result) { }

    // Finds the columns by name, in whatever order; false when a required one is absent.
    bool readHeader(const Record &header)
    {
        m_fieldCount = header.fieldCount;
        QList<QByteArray> names;
        for (const QByteArray &field : header.fields)
            names.append(field.trimmed());
        QStringList missing;
        for (int column = 0; column < kColumnCount; ++column) {
            m_index[column] = names.indexOf(QByteArray(kColumnNames[column]));
            if (m_index[column] < 0 && column < kRequiredColumns)
                missing.append(QLatin1String(kColumnNames[column]));
        }
        if (missing.isEmpty() && !header.unterminatedQuote)
            return true;
        problem(header.line,
                missing.isEmpty() ? QStringLiteral("the header has an unclosed quote; no row can be read")
                                  : QStringLiteral("the header has no %1 column; no row can be read")
                                        .arg(missing.join(QStringLiteral(", "))));
        return false;
    }

    void readRow(const Record &row)
    {
        if (row.unterminatedQuote)
            return skip(row.line, QStringLiteral("a quoted field is never closed"));
        if (row.fieldCount != m_fieldCount)
            return skip(row.line, QStringLiteral("expected %1 fields, found %2").arg(m_fieldCount).arg(row.fieldCount));
        const QByteArray accelerator = field(row, AcceleratorName).trimmed();
        if (accelerator.isEmpty()) {
            ++m_result.cpuRows;
            return;
        }
        InstanceOffer offer;
        offer.cloud = m_cloud;
        offer.accelerator = QString::fromUtf8(accelerator);
        offer.instanceType = QString::fromUtf8(field(row, InstanceType).trimmed());
        offer.region = QString::fromUtf8(field(row, Region).trimmed());
        if (offer.instanceType.isEmpty())
            return skip(row.line, QStringLiteral("InstanceType is empty"));
        if (offer.region.isEmpty())
            return skip(row.line, QStringLiteral("Region is empty"));

        // "8.0" is how Lambda's catalog writes eight; 1.5 GPUs is not a thing.
        const QByteArray countText = field(row, AcceleratorCount);
        const std::optional<double> count = number(countText);
        if (!count || *count < 1 || *count > kMaxAcceleratorCount || std::floor(*count) != *count)
            return skip(row.line,
                        QStringLiteral("AcceleratorCount %1 is not a positive whole number").arg(quoted(countText)));
        offer.acceleratorCount = int(*count);

        // A zero price is as wrong as a negative one: that offer would win every cost ranking.
        const QByteArray priceText = field(row, Price);
        const std::optional<double> price = number(priceText);
        if (!price)
            return skip(row.line, QStringLiteral("Price %1 is not a number").arg(quoted(priceText)));
        if (*price <= 0)
            return skip(row.line, QStringLiteral("Price %1 is not above zero").arg(quoted(priceText)));
        offer.pricePerHour = *price;

        // An empty SpotPrice means "no spot offering"; a broken one costs only the spot option.
        const QByteArray spotText = field(row, SpotPrice);
        if (!spotText.trimmed().isEmpty()) {
            const std::optional<double> spot = number(spotText);
            if (spot && *spot > 0)
                offer.spotPricePerHour = *spot;
            else
                problem(row.line,
                        QStringLiteral("SpotPrice %1 is not a price; the offer is kept without spot")
                            .arg(quoted(spotText)));
        }

        // vCPUs and host memory only inform; an odd value there is no reason to lose the offer.
        offer.vcpus = std::max(number(field(row, VCpus)).value_or(0), 0.0);
        offer.hostMemoryGiB = std::max(number(field(row, MemoryGiB)).value_or(0), 0.0);

        // Catalog v9 ships SizeInMiB 0 (a fetcher regression): the spec table knows better.
        if (const std::optional<double> mib = gpuMemoryMiB(field(row, GpuInfo))) {
            offer.gpuMemoryGiB = *mib / kMiBPerGiB;
        } else if (const std::optional<GpuSpec> spec = gpuSpec(offer.accelerator, offer.instanceType)) {
            offer.gpuMemoryGiB = spec->memoryGiB;
        } else if (!m_unknownMemory.contains(offer.accelerator)) {
            // Once per GPU: a whole cloud of rows for one unknown GPU would bury every other problem.
            m_unknownMemory.insert(offer.accelerator);
            problem(row.line, QStringLiteral("no memory size is known for %1 GPUs").arg(offer.accelerator));
        }
        m_result.offers.append(std::move(offer));
    }

    void problem(qsizetype line, const QString &what)
    {
        if (m_result.problems.size() < kMaxProblems)
            m_result.problems.append(QStringLiteral("line %1: %2").arg(line).arg(what));
    }

private:
    // Empty for an optional column the file does not have. Only called once the row has the
    // header's field count, so every found column is within the row.
    QByteArray field(const Record &row, Column column) const
    {
        const qsizetype index = m_index[column];
        return index >= 0 ? row.fields.at(index) : QByteArray();
    }

    void skip(qsizetype line, const QString &why)
    {
        ++m_result.skippedRows;
        problem(line, why);
    }

    QString m_cloud;
    CatalogParse &m_result;
    QSet<QString> m_unknownMemory;
    qsizetype m_fieldCount = 0;
    qsizetype m_index[kColumnCount] = {};
};

} // namespace

CatalogParse parseCatalogCsv(const QByteArray &csv, const QString &cloud)
{
    CatalogParse result;
    QByteArrayView data(csv);
    if (data.startsWith("\xEF\xBB\xBF")) // Excel and some editors save CSV with a UTF-8 BOM
        data = data.sliced(3);

    CsvReader reader(data);
    RowReader rows(cloud, result);
    Record record;
    bool haveHeader = false;
    bool headerUsable = false;
    while (reader.next(record)) {
        if (record.isBlank())
            continue;
        if (!haveHeader) {
            haveHeader = true;
            headerUsable = rows.readHeader(record);
        } else if (headerUsable) {
            rows.readRow(record);
        } else {
            ++result.skippedRows; // without the columns no row can be understood
        }
    }
    if (!haveHeader)
        result.problems.append(QStringLiteral("the file is empty"));
    return result;
}

} // namespace vibeml::catalog
