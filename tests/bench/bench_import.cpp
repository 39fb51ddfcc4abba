// SPDX-License-Identifier: MIT
// Import benchmark: a generated CSV of a given size (100 MB by default) imported into a project
// file the way `mlwb dataset import` does it (parse, split, compress, store), against the
// baseline of reading the same file's bytes in the same run. Reports MB/s, the ratio, the
// number of progress reports and the longest gap between them, the peak memory growth next to
// the file and table sizes, and the import of digits.csv (what a dialog click waits for).
// Prints a PASS/FAIL line per goal.
//   bench_import [--quick] [--mb N]

#include "bench_goal.h"
#include "data/csv_importer.h"
#include "data/import_options.h"
#include "store/project_file.h"
#include "data/dataset_catalog.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <limits>

using namespace mlwb;
using mlwb::bench::BenchGoals;

namespace {

// Peak resident set size since the last reset, in MiB (VmHWM).
double peakMiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return 0;
}

// Resets VmHWM to the current RSS (Linux: "5" to clear_refs).
void resetPeak()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    if (f.open(QIODevice::WriteOnly))
        f.write("5");
}

// 16 numeric columns of mixed precision, a categorical and a boolean column, about 1% missing
// cells, and a 5-class target: the shape of a typical tabular data set.
qint64 writeCsv(const QString &path, qint64 bytes, qint64 *rows)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return 0;
    QByteArray header;
    for (int c = 0; c < 16; ++c)
        header += "f" + QByteArray::number(c) + ',';
    header += "colour,flag,label\n";
    f.write(header);
    QRandomGenerator rng(7);
    const char *colours[] = {"red", "green", "blue", "\"dark, grey\""};
    QByteArray buffer;
    qint64 written = header.size();
    *rows = 0;
    while (written < bytes) {
        buffer.clear();
        for (int r = 0; r < 4096; ++r) {
            for (int c = 0; c < 16; ++c) {
                if (rng.bounded(100) == 0)
                    buffer += "NA";
                else
                    buffer += QByteArray::number(rng.generateDouble() * (c + 1) * 10.0, 'g', 3 + c % 5);
                buffer += ',';
            }
            buffer += colours[rng.bounded(4)];
            buffer += rng.bounded(2) ? ",true," : ",false,";
            buffer += "class_" + QByteArray::number(rng.bounded(5)) + '\n';
            ++*rows;
        }
        written += f.write(buffer);
    }
    return written;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // The figures, not the core's debug lines (one per import, per evaluation).
    QLoggingCategory::setFilterRules(QStringLiteral("mlwb.*.debug=false"));
    const QStringList args = app.arguments();
    const bool quick = args.contains(QStringLiteral("--quick"));
    qint64 mb = quick ? 5 : 100;
    if (int i = int(args.indexOf(QStringLiteral("--mb"))); i > 0)
        mb = args.value(i + 1).toLongLong();
    BenchGoals goals(quick);

    // A small real file: digits.csv (1797 rows x 65 columns), best of 5.
    {
        const QString digits = QDir(QStringLiteral(MLWB_DATASETS_DIR)).filePath(QStringLiteral("digits.csv"));
        qint64 best = std::numeric_limits<qint64>::max();
        for (int i = 0; i < 5; ++i) {
            QElapsedTimer t;
            t.start();
            auto d = CsvImporter::importFile(digits);
            best = std::min(best, t.nsecsElapsed());
            if (!d) {
                std::fprintf(stderr, "%s\n", qPrintable(d.error()));
                return 1;
            }
        }
        goals.atMost("digits.csv parsed and typed (best of 5)", double(best) / 1e6, 20.0, "ms");
    }

    QTemporaryDir tmp;
    const QString csv = QDir(tmp.path()).filePath(QStringLiteral("big.csv"));
    qint64 rows = 0;
    const qint64 size = writeCsv(csv, mb * 1'000'000, &rows);
    if (size <= 0) {
        std::fprintf(stderr, "could not write %s\n", qPrintable(csv));
        return 1;
    }

    // Baseline: the file's bytes read in 1 MiB blocks, nothing else.
    QElapsedTimer clock;
    clock.start();
    {
        QFile f(csv);
        f.open(QIODevice::ReadOnly);
        QByteArray block(1 << 20, Qt::Uninitialized);
        qint64 sum = 0;
        while (qint64 n = f.read(block.data(), block.size()))
            sum += n;
        if (sum != size)
            return 1;
    }
    const double readSeconds = double(clock.nsecsElapsed()) / 1e9;

    auto project = ProjectFile::create(QDir(tmp.path()).filePath(QStringLiteral("bench.mlwb")));
    if (!project) {
        std::fprintf(stderr, "%s\n", qPrintable(project.error()));
        return 1;
    }
    ImportOptions options;
    options.target = QStringLiteral("label");
    options.missing = MissingPolicy::ImputeMean;
    int reports = 0;
    QElapsedTimer clock2;
    qint64 lastReportNs = 0, longestGapNs = 0;
    options.progress = [&](double) {
        ++reports;
        const qint64 now = clock2.nsecsElapsed();
        longestGapNs = std::max(longestGapNs, now - lastReportNs);
        lastReportNs = now;
        return true;
    };
    const double before = peakMiB();
    resetPeak();
    const double base = peakMiB();
    // The same two steps as DatasetCatalog::importCsv, timed apart.
    clock.restart();
    clock2.start();
    auto data = CsvImporter::importFile(csv, options);
    const double parseSeconds = double(clock.nsecsElapsed()) / 1e9;
    const qint64 parseGapNs = std::max(longestGapNs, clock2.nsecsElapsed() - lastReportNs);
    if (!data) {
        std::fprintf(stderr, "%s\n", qPrintable(data.error()));
        return 1;
    }
    const double parsePeak = peakMiB() - base;
    clock.restart();
    auto id = DatasetCatalog((*project)->db()).add(*data, QStringLiteral("big"));
    const double storeSeconds = double(clock.nsecsElapsed()) / 1e9;
    // Storing reports no progress: the user sees the bar stand still from the last report on.
    longestGapNs = std::max(longestGapNs, clock2.nsecsElapsed() - lastReportNs);
    if (!id) {
        std::fprintf(stderr, "%s\n", qPrintable(id.error()));
        return 1;
    }
    const double peakGrowth = peakMiB() - base;
    const double importSeconds = parseSeconds + storeSeconds;
    clock.restart();
    const qsizetype blobSize = data->serializeTable().size();
    const double serializeSeconds = double(clock.nsecsElapsed()) / 1e9;
    const double fileMiB = double(size) / (1 << 20);
    const double tableMiB = double(rows) * 19 * 8 / (1 << 20);

    std::printf("file: %.1f MB, %lld rows x 19 columns (process RSS before import %.0f MiB)\n",
                double(size) / 1e6, static_cast<long long>(rows), before);
    std::printf("  read bytes only:   %8.1f MB/s\n", double(size) / 1e6 / readSeconds);
    std::printf("  import into store: %8.1f MB/s (%.2f s), %.3fx the raw read rate\n",
                double(size) / 1e6 / importSeconds, importSeconds, readSeconds / importSeconds);
    std::printf("    parse %.2f s, split + compress + store %.2f s (of which serialise + compress %.2f s, "
                "%.1f MB blob)\n",
                parseSeconds, storeSeconds, serializeSeconds, double(blobSize) / 1e6);
    std::printf("  progress reports:  %d, all while parsing; the longest gap %.0f ms while parsing, "
                "%.0f ms until the data set is stored\n",
                reports, double(parseGapNs) / 1e6, double(longestGapNs) / 1e6);
    std::printf("  peak memory growth: %.0f MiB = %.2fx the file (%.0f MiB), %.2fx the parsed table "
                "(%.0f MiB of doubles)\n",
                peakGrowth, peakGrowth / fileMiB, fileMiB, peakGrowth / tableMiB, tableMiB);
    std::printf("    while parsing: %.0f MiB (%.2fx the table)\n", parsePeak, parsePeak / tableMiB);

    // Loading it back, as training and the data set tab do.
    data = Error{QStringLiteral("released")};
    resetPeak();
    const double loadBase = peakMiB();
    clock.restart();
    auto loaded = DatasetCatalog((*project)->db()).load(*id);
    const double loadSeconds = double(clock.nsecsElapsed()) / 1e9;
    if (!loaded) {
        std::fprintf(stderr, "%s\n", qPrintable(loaded.error()));
        return 1;
    }
    const double loadPeak = peakMiB() - loadBase;
    std::printf("  load from the store: %.2f s, peak memory growth %.0f MiB (%.2fx the table)\n", loadSeconds,
                loadPeak, loadPeak / tableMiB);
    // UI.md: long work shows progress within 200 ms.
    goals.atMost("longest gap between progress reports, whole import", double(longestGapNs) / 1e6,
                 200.0, "ms");
    if (reports == 0)
        return 1;
    return goals.exitCode();
}
