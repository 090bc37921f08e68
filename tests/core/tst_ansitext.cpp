#include "joblog/AnsiText.h"

#include "TestSupport.h"

#include <QRandomGenerator>

using namespace vibeml::joblog;

namespace {

struct Rendered
{
    QByteArray text;
    std::vector<StyleSpan> spans;
};

Rendered render(QByteArrayView line, TextStyle *carried = nullptr)
{
    TextStyle local;
    TextStyle &style = carried ? *carried : local;
    std::string text;
    Rendered result;
    renderTerminalLine(line, style, text, result.spans);
    result.text = QByteArray(text.data(), static_cast<qsizetype>(text.size()));
    return result;
}

TextStyle foreground(TextColor colour, quint8 attributes = 0)
{
    TextStyle style;
    style.foreground = colour;
    style.attributes = attributes;
    return style;
}

} // namespace

class TestAnsiText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void visibleText_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("shown");
        QTest::newRow("plain") << QByteArray("no colour here") << QByteArray("no colour here");
        QTest::newRow("colour") << QByteArray("\x1b[32mUP\x1b[0m  30m") << QByteArray("UP  30m");
        QTest::newRow("erase and cursor") << QByteArray("a\x1b[2K\x1b[1Gb\x1b[?25l") << QByteArray("ab");
        QTest::newRow("osc title") << QByteArray("\x1b]0;title\x07text") << QByteArray("text");
        QTest::newRow("osc link") << QByteArray("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\") << QByteArray("link");
        QTest::newRow("charset") << QByteArray("\x1b(Bok") << QByteArray("ok");
        QTest::newRow("keypad mode") << QByteArray("\x1b=x\x1b>") << QByteArray("x");
        QTest::newRow("utf8") << QByteArray("\x1b[1m✓ Job finished\x1b[0m") << QByteArray("✓ Job finished");
        QTest::newRow("tab") << QByteArray("ab\tc\td") << QByteArray("ab      c       d");
        QTest::newRow("tab after utf8") << QByteArray("é\tx") << QByteArray("é       x");
        QTest::newRow("controls vanish") << QByteArray("be\x07ll\x08 nu\x00l\x7f!", 14) << QByteArray("bell nul!");
        // Broken or cut-off sequences lose their ESC and nothing else: the text stays readable.
        QTest::newRow("cut-off csi") << QByteArray("text\x1b[31") << QByteArray("text[31");
        QTest::newRow("lone escape") << QByteArray("end\x1b") << QByteArray("end");
        QTest::newRow("csi with a control") << QByteArray("a\x1b[3\x01" "1mb") << QByteArray("a[31mb");
        QTest::newRow("unterminated osc") << QByteArray("\x1b]0;title text") << QByteArray("]0;title text");
        QTest::newRow("escape then utf8") << QByteArray("\x1b\xc3\xa9t\xc3\xa9") << QByteArray("été");
        QTest::newRow("overlong csi")
            << (QByteArray("\x1b[") + QByteArray(70, '1') + "mX") << (QByteArray("[") + QByteArray(70, '1') + "mX");
    }

    void visibleText()
    {
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, shown);
        QCOMPARE(render(line).text, shown);
    }

    void coloursBecomeSpans()
    {
        const Rendered red = render("\x1b[31mred\x1b[0m plain");
        QCOMPARE(red.text, QByteArray("red plain"));
        QCOMPARE(red.spans.size(), size_t{1});
        QCOMPARE(red.spans[0], (StyleSpan{0, 3, foreground(TextColor::indexed(1))}));

        const Rendered mixed = render("\x1b[1;93mWARN\x1b[22m ing\x1b[39m done");
        QCOMPARE(mixed.text, QByteArray("WARN ing done"));
        QCOMPARE(mixed.spans.size(), size_t{2});
        QCOMPARE(mixed.spans[0], (StyleSpan{0, 4, foreground(TextColor::indexed(11), Bold)}));
        QCOMPARE(mixed.spans[1], (StyleSpan{4, 4, foreground(TextColor::indexed(11))}));

        // Offsets are bytes of the visible UTF-8 text.
        const Rendered bar = render("\x1b[31m━━\x1b[90m━\x1b[0m 1/9");
        QCOMPARE(bar.spans.size(), size_t{2});
        QCOMPARE(bar.spans[0], (StyleSpan{0, 6, foreground(TextColor::indexed(1))}));
        QCOMPARE(bar.spans[1], (StyleSpan{6, 3, foreground(TextColor::indexed(8))}));
    }

    void extendedColours_data()
    {
        QTest::addColumn<QByteArray>("parameters");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("r");
        QTest::addColumn<int>("g");
        QTest::addColumn<int>("b");
        const int indexed = static_cast<int>(TextColor::Kind::Indexed);
        const int rgb = static_cast<int>(TextColor::Kind::Rgb);
        QTest::newRow("256") << QByteArray("38;5;208") << indexed << 208 << 0 << 0;
        QTest::newRow("256 colon") << QByteArray("38:5:33") << indexed << 33 << 0 << 0;
        QTest::newRow("truecolour") << QByteArray("38;2;10;20;30") << rgb << 10 << 20 << 30;
        QTest::newRow("truecolour colon") << QByteArray("38:2::1:2:3") << rgb << 1 << 2 << 3;
        QTest::newRow("bright") << QByteArray("97") << indexed << 15 << 0 << 0;
        QTest::newRow("out of range ignored") << QByteArray("38;5;300") << 0 << 0 << 0 << 0;
        QTest::newRow("missing arguments") << QByteArray("38;2;1") << 0 << 0 << 0 << 0;
    }

    void extendedColours()
    {
        QFETCH(QByteArray, parameters);
        QFETCH(int, kind);
        QFETCH(int, r);
        QFETCH(int, g);
        QFETCH(int, b);
        TextStyle style;
        applySgr(style, parameters);
        const TextColor expected{static_cast<TextColor::Kind>(kind), quint8(r), quint8(g), quint8(b)};
        QCOMPARE(style.foreground, expected);
    }

    void attributesAndBackground()
    {
        TextStyle style;
        applySgr(style, "1;3;4;7;9;44");
        QCOMPARE(style.attributes, quint8(Bold | Italic | Underline | Inverse | Strike));
        QCOMPARE(style.background, TextColor::indexed(4));
        applySgr(style, "22;23;24;27;29;49");
        QVERIFY(style.isPlain());
        applySgr(style, "48;5;17;2");
        QCOMPARE(style.background, TextColor::indexed(17));
        QCOMPARE(style.attributes, quint8(Faint));
        applySgr(style, "");
        QVERIFY(style.isPlain()); // ESC[m is a reset
        applySgr(style, "4:3");
        QCOMPARE(style.attributes, quint8(Underline));
        applySgr(style, "4:0");
        QCOMPARE(style.attributes, quint8(0));
    }

    void colourCarriesToTheNextLine()
    {
        TextStyle style;
        const Rendered first = render("\x1b[32mgreen starts", &style);
        const Rendered second = render("still green\x1b[0m plain", &style);
        QCOMPARE(first.spans.size(), size_t{1});
        QCOMPARE(second.spans.size(), size_t{1});
        QCOMPARE(second.spans[0], (StyleSpan{0, 11, foreground(TextColor::indexed(2))}));
        QVERIFY(style.isPlain());
    }

    void overwrittenRedrawsKeepTheirColourChanges()
    {
        TextStyle style;
        applySgrSequences("\x1b[31mred bar 10%", style);
        QCOMPARE(style.foreground, TextColor::indexed(1));
        applySgrSequences("\x1b[1mbold\x1b[0m", style);
        QVERIFY(style.isPlain());
    }

    // Plain code lists take a short path; a trailing bare "38" (a colour without arguments,
    // which changes nothing) sends the same list down the full parser: both must agree.
    void plainCodeListsAgreeWithTheFullParser()
    {
        const QList<int> codes = {0, 1, 2, 3, 4, 7, 9, 21, 22, 23, 24, 27, 29, 30, 31, 37, 39, 40, 45, 49, 90, 97, 100, 107, 5, 99, 123456};
        QRandomGenerator random(3);
        for (int round = 0; round < 5000; ++round) {
            QByteArray list;
            const int count = random.bounded(0, 6);
            for (int i = 0; i < count; ++i) {
                if (i > 0)
                    list += ';';
                list += QByteArray::number(codes.at(random.bounded(codes.size())));
            }
            TextStyle start;
            start.attributes = quint8(random.bounded(0, 64));
            start.foreground = TextColor::indexed(random.bounded(0, 256));
            TextStyle plain = start;
            TextStyle full = start;
            applySgr(plain, list);
            applySgr(full, QByteArray(list + (list.isEmpty() ? "0;38" : ";38"))); // an empty list means 0
            QVERIFY2(plain == full, list.constData());

            // The renderer's own short path for such sequences, against the general one.
            const QByteArray fullList = list + (list.isEmpty() ? "0;38" : ";38");
            TextStyle shortStyle = start;
            TextStyle longStyle = start;
            std::string shortText, longText;
            std::vector<StyleSpan> shortSpans, longSpans;
            renderTerminalLine(QByteArray("a\x1b[" + list + "mb\x1b[" + list + "m"), shortStyle, shortText, shortSpans);
            renderTerminalLine(QByteArray("a\x1b[" + fullList + "mb\x1b[" + fullList + "m"), longStyle, longText, longSpans);
            QVERIFY2(shortStyle == longStyle && shortText == longText && shortSpans == longSpans, list.constData());
        }
    }

    void garbageNeverCrashesAndSpansStayInside()
    {
        QRandomGenerator random(20261128);
        const QByteArray alphabet("\x1b[];:0123456789mK?\x07\\abc\r\t\x00\xc3\xa9\xff", 27);
        for (int round = 0; round < 2000; ++round) {
            QByteArray line;
            const int length = random.bounded(1, 120);
            for (int i = 0; i < length; ++i)
                line.append(alphabet.at(random.bounded(alphabet.size())));
            TextStyle style;
            const Rendered out = render(line, &style);
            QVERIFY(out.text.size() <= line.size() + 8 * line.count('\t'));
            for (const StyleSpan &span : out.spans) {
                QVERIFY(span.length > 0);
                QVERIFY(qsizetype(span.start) + qsizetype(span.length) <= out.text.size());
            }
            // Without an escape sequence every printable byte shows.
            if (!line.contains('\x1b'))
                QCOMPARE(out.text.count('b') + out.text.count('c'), line.count('b') + line.count('c'));
        }
    }
};

VIBEML_TEST_MAIN_CORE(TestAnsiText)
#include "tst_ansitext.moc"
