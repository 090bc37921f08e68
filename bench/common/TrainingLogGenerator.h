#pragma once

#include <QByteArray>
#include <QString>

#include <deque>

namespace vibeml::bench {

// A realistic `sky logs --follow` of a long VibeML training run, deterministic for a seed: pip
// set-up with a coloured bar, then per step a tqdm bar redrawn with '\r' inside one line, trainer
// and accelerate chatter (some in colour, some with non-ASCII), every 10 steps the Trainer dict and
// the script's "@@VIBEML@@ {json}" progress line, warnings, eval and checkpoint events, long lines
// (a tokenizer sample, a config dump), rare invalid UTF-8, and now and then a Python traceback
// with SkyPilot's red ERROR line. Lines average about 140 bytes.
class TrainingLogGenerator
{
public:
    explicit TrainingLogGenerator(quint64 seed = 20261128);

    void appendLine(QByteArray &out); // one '\n'-terminated line
    QByteArray lines(qint64 count);

    // Writes about `bytes` of whole lines to `path`; returns the number of lines (-1: failed).
    static qint64 writeFile(const QString &path, qint64 bytes, quint64 seed = 20261128);

private:
    quint64 next();
    int below(int bound);
    void refill();
    void setup();
    void step();
    QByteArray tqdm(qint64 first, qint64 last, int redraws) const;

    quint64 m_state;
    std::deque<QByteArray> m_queue;
    qint64 m_step = 0;
    qint64 m_lines = 0;
    bool m_setupDone = false;
    static constexpr qint64 kTotalSteps = 400'000;
};

} // namespace vibeml::bench
