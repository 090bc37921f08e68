#include "TrainingLogGenerator.h"

#include <QFile>

#include <cmath>
#include <numbers>

namespace vibeml::bench {
namespace {

const QByteArray kSetup = "(setup pid=2841) ";
const QByteArray kRun = "(vibeml-llama-8b-x7k2p9, pid=3012) ";
const QByteArray kReset = "\x1b[0m";

QByteArray number(double value, int decimals)
{
    return QByteArray::number(value, 'f', decimals);
}

QByteArray clock(qint64 seconds)
{
    return QByteArray::number(seconds / 60).rightJustified(2, '0') + ':' + QByteArray::number(seconds % 60).rightJustified(2, '0');
}

QByteArray bar(double fraction, int width)
{
    static const char *const kPartial[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    const double filled = fraction * width;
    const int full = static_cast<int>(filled);
    QByteArray text;
    for (int i = 0; i < full; ++i)
        text += "█";
    int cells = full;
    if (full < width) {
        text += kPartial[static_cast<int>((filled - full) * 8)];
        cells += (filled - full) * 8 >= 1 ? 1 : 0;
    }
    return text + QByteArray(width - cells, ' ');
}

} // namespace

TrainingLogGenerator::TrainingLogGenerator(quint64 seed) : m_state(seed ? seed : 1) {}

quint64 TrainingLogGenerator::next()
{
    // xorshift64*: fast and the same everywhere.
    m_state ^= m_state >> 12;
    m_state ^= m_state << 25;
    m_state ^= m_state >> 27;
    return m_state * 2685821657736338717ULL;
}

int TrainingLogGenerator::below(int bound)
{
    return static_cast<int>(next() % static_cast<quint64>(bound));
}

QByteArray TrainingLogGenerator::tqdm(qint64 first, qint64 last, int redraws) const
{
    QByteArray line = kRun;
    for (int k = 0; k <= redraws; ++k) {
        const qint64 done = first + (last - first) * k / std::max(1, redraws);
        const double fraction = double(done) / double(kTotalSteps);
        if (k)
            line += '\r';
        line += QByteArray::number(static_cast<int>(fraction * 100)).rightJustified(3, ' ') + "%|" + bar(fraction, 20) + "| "
            + QByteArray::number(done) + '/' + QByteArray::number(kTotalSteps) + " [" + clock(done / 2) + '<'
            + clock((kTotalSteps - done) / 2 % 3600) + ", 1.98it/s]";
    }
    return line;
}

void TrainingLogGenerator::setup()
{
    m_queue.push_back(kSetup + "Collecting torch==2.5.1 (from -r requirements.txt (line 1))");
    for (int package = 0; package < 30; ++package) {
        m_queue.push_back(kSetup + "  Downloading package_" + QByteArray::number(package) + "-1.2." + QByteArray::number(package)
                          + "-py3-none-any.whl (" + number(0.5 + package * 3.7, 1) + " MB)");
        QByteArray progress = kSetup;
        for (int k = 1; k <= 5; ++k) {
            progress += (k > 1 ? "\r" : "") + QByteArray("   \x1b[31m") + QByteArray(k * 8, '-') + "\x1b[90m"
                + QByteArray(40 - k * 8, '-') + kReset + ' ' + number(k * 0.74, 1) + "/3.7 MB 180.2 MB/s eta 0:00:0" + QByteArray::number(5 - k);
        }
        m_queue.push_back(progress);
    }
    m_queue.push_back(kSetup + "\x1b[33mWARNING: Running pip as the 'root' user can result in broken permissions and "
                               "conflicting behaviour with the system package manager." + kReset);
    m_queue.push_back(kSetup + "Successfully installed accelerate-1.2.1 datasets-3.2.0 peft-0.14.0 transformers-4.47.1 trl-0.13.0");
    m_queue.push_back(kRun + "@@VIBEML@@ {\"event\": \"start\", \"time\": 1795892025.0, \"model\": \"meta-llama/Llama-3.1-8B-Instruct\", "
                             "\"method\": \"lora\", \"totalSteps\": " + QByteArray::number(kTotalSteps) + ", \"gpus\": 8, \"nodes\": 1}");
}

void TrainingLogGenerator::step()
{
    ++m_step;
    const qint64 s = m_step;
    const double loss = 0.35 + 1.75 * std::exp(-double(s) / 20000.0) + 0.02 * double(below(100)) / 100.0;
    const double rate = 2e-4 * 0.5 * (1 + std::cos(std::numbers::pi * double(s) / double(kTotalSteps)));
    m_queue.push_back(tqdm(s - 1, s, 1 + below(3)));
    m_queue.push_back(kRun + "[INFO|trainer.py:2243] 2026-11-28 12:" + clock(s % 3600) + ",123 >> step " + QByteArray::number(s)
                      + ": data " + number(0.01 + below(9) / 1000.0, 3) + "s, forward " + number(0.3 + below(90) / 1000.0, 3)
                      + "s, backward " + number(0.6 + below(90) / 1000.0, 3) + "s");
    m_queue.push_back(kRun + "\x1b[32mINFO\x1b[0m:accelerate: gradient accumulation " + QByteArray::number(s % 8 + 1)
                      + "/8 on rank " + QByteArray::number(below(8)) + ", tokens " + QByteArray::number(s * 16384));
    m_queue.push_back(kRun + "{'grad_norm': " + number(0.3 + below(500) / 1000.0, 4) + ", 'tokens_seen': " + QByteArray::number(s * 131072)
                      + ", 'gpu_mem_gb': 21.4} · ✓");
    if (s % 10 == 0) {
        m_queue.push_back(kRun + "{'loss': " + number(loss, 4) + ", 'grad_norm': " + number(0.9 / std::sqrt(double(s)), 4)
                          + ", 'learning_rate': " + QByteArray::number(rate, 'g', 6) + ", 'epoch': " + number(double(s) / kTotalSteps, 2) + '}');
        m_queue.push_back(kRun + "@@VIBEML@@ {\"event\": \"progress\", \"time\": " + number(1795892030.0 + double(s) / 2, 3)
                          + ", \"step\": " + QByteArray::number(s) + ", \"totalSteps\": " + QByteArray::number(kTotalSteps)
                          + ", \"loss\": " + number(loss, 4) + ", \"learningRate\": " + QByteArray::number(rate, 'g', 6)
                          + ", \"epoch\": " + number(double(s) / kTotalSteps, 2) + ", \"tokensPerSecond\": 2740.5, \"etaSeconds\": "
                          + QByteArray::number((kTotalSteps - s) / 2) + ", \"gpuMemoryGB\": 21.4}");
    }
    if (s % 50 == 0)
        m_queue.push_back(kRun + "\x1b[33m/opt/conda/lib/python3.11/site-packages/torch/utils/checkpoint.py:295: FutureWarning: "
                                 "`torch.cpu.amp.autocast(args...)` is deprecated.\x1b[0m");
    if (s % 400 == 0) { // a long line: a tokenizer sample
        QByteArray sample = kRun + "Tokenizer sample 🤗: [";
        const int tokens = 600 + below(900);
        for (int t = 0; t < tokens; ++t)
            sample += QByteArray::number(below(128000)) + (t + 1 < tokens ? ", " : "]");
        m_queue.push_back(sample);
    }
    if (s % 500 == 0) {
        m_queue.push_back(kRun + "@@VIBEML@@ {\"event\": \"eval\", \"time\": " + number(1795892030.0 + double(s) / 2, 3)
                          + ", \"step\": " + QByteArray::number(s) + ", \"evalLoss\": " + number(loss + 0.07, 4) + '}');
        m_queue.push_back(kRun + "\x1b[1;32mSaving model checkpoint to outputs/checkpoint-" + QByteArray::number(s) + kReset);
        m_queue.push_back(kRun + "@@VIBEML@@ {\"event\": \"checkpoint\", \"time\": " + number(1795892030.0 + double(s) / 2, 3)
                          + ", \"step\": " + QByteArray::number(s) + ", \"path\": \"outputs/checkpoint-" + QByteArray::number(s) + "\"}");
    }
    if (s % 7919 == 0) // now and then a byte that is not UTF-8 (a binary blob printed by mistake)
        m_queue.push_back(kRun + "data worker 3 read \xff\xfe\x80 from shard-00042.arrow, skipping");
    if (s % 60000 == 0) { // a recovered data-loader crash: a traceback and SkyPilot's red line
        m_queue.push_back(kRun + "Traceback (most recent call last):");
        m_queue.push_back(kRun + "  File \"/opt/conda/lib/python3.11/site-packages/torch/utils/data/_utils/worker.py\", line 308, in _worker_loop");
        m_queue.push_back(kRun + "    data = fetcher.fetch(index)");
        m_queue.push_back(kRun + "  File \"/home/sky/sky_workdir/train.py\", line 212, in collate");
        m_queue.push_back(kRun + "    raise ValueError(f\"sample {index} has no 'messages' column\")");
        m_queue.push_back(kRun + "ValueError: sample 81233 has no 'messages' column");
        m_queue.push_back("\x1b[31mERROR: data worker 3 restarted after an exception (see above)\x1b[0m");
    }
}

void TrainingLogGenerator::refill()
{
    if (!m_setupDone) {
        m_setupDone = true;
        setup();
        return;
    }
    step();
}

void TrainingLogGenerator::appendLine(QByteArray &out)
{
    if (m_queue.empty())
        refill();
    out += m_queue.front();
    out += '\n';
    m_queue.pop_front();
    ++m_lines;
}

QByteArray TrainingLogGenerator::lines(qint64 count)
{
    QByteArray out;
    for (qint64 i = 0; i < count; ++i)
        appendLine(out);
    return out;
}

qint64 TrainingLogGenerator::writeFile(const QString &path, qint64 bytes, quint64 seed)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return -1;
    TrainingLogGenerator generator(seed);
    QByteArray buffer;
    qint64 written = 0;
    qint64 lines = 0;
    while (written < bytes) {
        buffer.clear();
        while (buffer.size() < (8 << 20) && written + buffer.size() < bytes) {
            generator.appendLine(buffer);
            ++lines;
        }
        if (file.write(buffer) != buffer.size())
            return -1;
        written += buffer.size();
    }
    return lines;
}

} // namespace vibeml::bench
