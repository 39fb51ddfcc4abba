// SPDX-License-Identifier: MIT
// The `mlwb` contract, end to end on the real data sets: every verb, accuracy goals with fixed
// seeds, PyTorch interop of exported and imported models, exit codes and error messages.

#include "cli_runner.h"
#include "store/database.h"
#include "store/model_repository.h"
#include "store/schema.h"
#include "store/statement.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QElapsedTimer>
#include <QRegularExpression>

#include <csignal>

using namespace mlwb::test;

class CliTest : public TempDirTest {
protected:
    QString project(const QString &name = QStringLiteral("p.mlwb"))
    {
        const QString p = path(name);
        if (!QFile::exists(p)) {
            auto r = runCli({QStringLiteral("init"), p});
            EXPECT_EQ(r.exitCode, 0) << r.err.constData();
        }
        return p;
    }
    void importDataset(const QString &p, const QString &csv, const QString &name,
                       const QString &target, const QStringList &extra = {})
    {
        auto r = runCli(QStringList{QStringLiteral("dataset"), QStringLiteral("import"), p,
                                    datasetPath(csv), QStringLiteral("--name"), name,
                                    QStringLiteral("--target"), target, QStringLiteral("--json")} + extra);
        ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    }
    void createModel(const QString &p, const QString &name, const QString &dataset,
                     const QString &templ)
    {
        auto r = runCli({QStringLiteral("model"), QStringLiteral("create"), p, QStringLiteral("--name"),
                         name, QStringLiteral("--dataset"), dataset, QStringLiteral("--template"),
                         templ, QStringLiteral("--json")});
        ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    }
    QJsonObject train(const QString &p, const QString &model, const QStringList &extra)
    {
        auto r = runCli(QStringList{QStringLiteral("train"), p, QStringLiteral("--model"), model,
                                    QStringLiteral("--json")} + extra);
        EXPECT_EQ(r.exitCode, 0) << r.err.constData();
        return r.json();
    }
    QJsonObject eval(const QString &p, qint64 run, const QStringList &extra = {})
    {
        auto r = runCli(QStringList{QStringLiteral("eval"), p, QStringLiteral("--run"),
                                    QString::number(run), QStringLiteral("--json")} + extra);
        EXPECT_EQ(r.exitCode, 0) << r.err.constData();
        return r.json();
    }
};

TEST_F(CliTest, HelpVersionAndUsageErrors)
{
    EXPECT_EQ(runCli({QStringLiteral("--version")}).exitCode, 0);
    auto help = runCli({QStringLiteral("--help")});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_TRUE(help.out.contains("dataset import"));
    EXPECT_EQ(runCli({QStringLiteral("frobnicate")}).exitCode, 2);
    EXPECT_EQ(runCli({QStringLiteral("train"), project()}).exitCode, 2) << "--model missing";
    auto bad = runCli({QStringLiteral("train"), project(), QStringLiteral("--model"), QStringLiteral("m"),
                       QStringLiteral("--set"), QStringLiteral("optimizer=rmsprop")});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_TRUE(bad.err.contains("optimizer: expected one of")) << bad.err.constData();
    // A misspelt option is refused, not ignored (--epoch would otherwise train 20 epochs).
    auto typo = runCli({QStringLiteral("train"), project(), QStringLiteral("--model"), QStringLiteral("m"),
                        QStringLiteral("--epoch"), QStringLiteral("3")});
    EXPECT_EQ(typo.exitCode, 2);
    EXPECT_TRUE(typo.err.contains("unknown option --epoch")) << typo.err.constData();
    // Every option a usage line names is accepted (shortcut keys of train, -o of export).
    auto shortcut = runCli({QStringLiteral("train"), project(), QStringLiteral("--model"),
                            QStringLiteral("nosuch"), QStringLiteral("--lr"), QStringLiteral("0.01"),
                            QStringLiteral("--threads=1")});
    EXPECT_EQ(shortcut.exitCode, 1) << shortcut.err.constData(); // fails on the model, not the options
    EXPECT_FALSE(shortcut.err.contains("unknown option")) << shortcut.err.constData();
}

// Misspelt verbs and options get a suggestion, a missing required option is named, and the
// help of train lists every --set key with its default.
TEST_F(CliTest, UsageErrorsSuggestAndNameWhatIsMissing)
{
    auto verb = runCli({QStringLiteral("tran"), project()});
    EXPECT_EQ(verb.exitCode, 2);
    EXPECT_TRUE(verb.err.contains("unknown verb \"tran\" (did you mean \"train\"?)")) << verb.err.constData();
    auto sub = runCli({QStringLiteral("dataset"), QStringLiteral("lst"), project()});
    EXPECT_EQ(sub.exitCode, 2);
    EXPECT_TRUE(sub.err.contains("did you mean \"dataset list\"?")) << sub.err.constData();
    auto option = runCli({QStringLiteral("train"), project(), QStringLiteral("--model"), QStringLiteral("m"),
                          QStringLiteral("--epoch"), QStringLiteral("3")});
    EXPECT_EQ(option.exitCode, 2);
    EXPECT_TRUE(option.err.contains("unknown option --epoch, did you mean --epochs?")) << option.err.constData();

    auto noModel = runCli({QStringLiteral("train"), project()});
    EXPECT_EQ(noModel.exitCode, 2);
    EXPECT_TRUE(noModel.err.startsWith("mlwb train: --model or --resume is missing\n")) << noModel.err.constData();
    auto noTarget = runCli({QStringLiteral("dataset"), QStringLiteral("import"), project(),
                            datasetPath(QStringLiteral("iris.csv")), QStringLiteral("--name"), QStringLiteral("x")});
    EXPECT_EQ(noTarget.exitCode, 2);
    EXPECT_TRUE(noTarget.err.startsWith("mlwb dataset import: --target is missing\n")) << noTarget.err.constData();
    auto noOutput = runCli({QStringLiteral("model"), QStringLiteral("export"), project(), QStringLiteral("--run"),
                            QStringLiteral("1")});
    EXPECT_TRUE(noOutput.err.startsWith("mlwb model export: -o or --output is missing\n")) << noOutput.err.constData();

    auto help = runCli({QStringLiteral("train"), QStringLiteral("--help")});
    EXPECT_EQ(help.exitCode, 0);
    const QString text = QString::fromUtf8(help.out);
    for (const QString &key : {QStringLiteral("lr"), QStringLiteral("schedule"), QStringLiteral("patience"),
                               QStringLiteral("early_stopping_metric"), QStringLiteral("log_every_steps")})
        EXPECT_TRUE(text.contains(QRegularExpression(QStringLiteral("\\n%1 +\\S").arg(key)))) << key.toStdString();
    EXPECT_TRUE(text.contains(QRegularExpression(QStringLiteral("\\nlr +0\\.001\\n")))) << help.out.constData();
    EXPECT_TRUE(text.contains(QRegularExpression(QStringLiteral("\\noptimizer +adam +sgd, adam, adamw\\n"))))
        << help.out.constData();
}

// Into a pipe (CI logs) training prints whole lines: no "\r", no padding, the run's lines and
// progress lines only, at most one a second plus the first.
TEST_F(CliTest, PipedProgressIsWholeLines)
{
    const QString p = project();
    importDataset(p, QStringLiteral("iris.csv"), QStringLiteral("iris"), QStringLiteral("species"));
    createModel(p, QStringLiteral("m"), QStringLiteral("iris"), QStringLiteral("mlp"));
    QElapsedTimer clock;
    clock.start();
    auto r = runCli({QStringLiteral("train"), p, QStringLiteral("--model"), QStringLiteral("m"),
                     QStringLiteral("--epochs"), QStringLiteral("150"), QStringLiteral("--threads"),
                     QStringLiteral("1")});
    const double seconds = double(clock.elapsed()) / 1000.0;
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    EXPECT_FALSE(r.err.contains('\r')) << r.err.constData();
    const QList<QByteArray> lines = r.err.trimmed().split('\n');
    static const QRegularExpression progress(QStringLiteral("^train +\\d+% \\S.*\\S$"));
    int progressLines = 0;
    for (const QByteArray &l : lines) {
        if (l == "run 1 started")
            continue;
        EXPECT_TRUE(progress.match(QString::fromUtf8(l)).hasMatch()) << l.constData();
        ++progressLines;
    }
    EXPECT_GE(progressLines, 1);
    EXPECT_LE(progressLines, 1 + int(seconds)) << r.err.constData();
}

TEST_F(CliTest, InitAndInfo)
{
    const QString p = project();
    auto again = runCli({QStringLiteral("init"), p});
    EXPECT_EQ(again.exitCode, 1);
    EXPECT_TRUE(again.err.contains("already exists"));
    auto info = runCli({QStringLiteral("info"), p, QStringLiteral("--json")});
    ASSERT_EQ(info.exitCode, 0) << info.err.constData();
    const QJsonObject o = info.json();
    EXPECT_EQ(o.value(QStringLiteral("schema_version")).toInt(), mlwb::Schema::currentVersion());
    EXPECT_EQ(o.value(QStringLiteral("schema_note")).toString(), QString());
    EXPECT_EQ(o.value(QStringLiteral("counts")).toObject().value(QStringLiteral("runs")).toInt(), 0);
    EXPECT_EQ(o.value(QStringLiteral("journal_mode")).toString(), QStringLiteral("wal"));

    QFile junk(path(QStringLiteral("junk.mlwb")));
    ASSERT_TRUE(junk.open(QIODevice::WriteOnly));
    junk.write("this is not a database at all, just text............................................................");
    junk.close();
    auto bad = runCli({QStringLiteral("info"), junk.fileName()});
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_TRUE(bad.err.contains("not an MLOps Workbench project")) << bad.err.constData();
    EXPECT_TRUE(bad.err.contains("junk.mlwb"));
}

static QByteArray sha256Of(const QString &p)
{
    QFile f(p);
    return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
                                       : QByteArray();
}

// A colleague's version 1 file (the checked-in fixture): the read-only verbs read it as it is,
// say that it is upgraded only when opened for writing, and leave it byte for byte as it was
// with nothing beside it, whether it is in rollback-journal or WAL mode.
TEST_F(CliTest, ReadOnlyVerbsReadAnOlderFileAsItIs)
{
    using mlwb::Database;
    const QString note = QStringLiteral("schema 1, upgraded to %1 when opened for writing")
                             .arg(mlwb::Schema::currentVersion());
    for (const bool wal : {false, true}) {
        SCOPED_TRACE(wal ? "WAL mode" : "rollback journal");
        const QString dir = path(wal ? QStringLiteral("wal") : QStringLiteral("rollback"));
        ASSERT_TRUE(QDir().mkpath(dir));
        const QString p = dir + QStringLiteral("/colleague.mlwb");
        ASSERT_TRUE(QFile::copy(testDataPath(QStringLiteral("fixtures/v1.mlwb")), p));
        QFile::setPermissions(p, QFile::ReadOwner | QFile::WriteOwner);

        // The fixture's run has no trained model: exporting it says so (not "needs an upgrade").
        auto none = runCli({QStringLiteral("model"), QStringLiteral("export"), p,
                            QStringLiteral("--run"), QStringLiteral("1"), QStringLiteral("-o"),
                            path(QStringLiteral("none.pt"))});
        EXPECT_EQ(none.exitCode, 1);
        EXPECT_TRUE(none.err.contains("run 1 has no trained model (status finished)"))
            << none.err.constData();

        // Version 1 keeps a trained model as the run's model.pt artifact, as today's files do.
        QByteArray model;
        for (int i = 0; i < 5000; ++i)
            model += char((i * 7919) % 251);
        {
            auto db = Database::open(p, Database::Mode::ReadWrite);
            ASSERT_TRUE(db.ok());
            ASSERT_TRUE(db->exec(wal ? QStringLiteral("PRAGMA journal_mode = WAL")
                                     : QStringLiteral("PRAGMA journal_mode = DELETE")).ok());
            auto st = db->prepare(QStringLiteral(
                "INSERT INTO artifact(run_id, name, mime, created_at, data) "
                "VALUES (1, 'model.pt', 'application/octet-stream', 1764000003.0, ?1)"));
            ASSERT_TRUE(st.ok());
            st->bind(1, model);
            ASSERT_TRUE(st->run().ok());
        }
        auto filesIn = [&dir] {
            return QDir(dir).entryList(QDir::Files | QDir::Hidden, QDir::Name).join(u' ').toStdString();
        };
        ASSERT_EQ(filesIn(), "colleague.mlwb");
        const QByteArray before = sha256Of(p);
        const QDateTime mtimeBefore = QFileInfo(p).lastModified();

        auto info = runCli({QStringLiteral("info"), p});
        ASSERT_EQ(info.exitCode, 0) << info.err.constData();
        EXPECT_TRUE(info.out.contains("schema version:  1 (" + note.toUtf8() + ")")) << info.out.constData();
        EXPECT_TRUE(info.out.contains("datasets:        1\n")) << info.out.constData();
        EXPECT_TRUE(info.out.contains("runs:            1\n"));
        EXPECT_TRUE(info.out.contains("metric points:   3\n"));
        EXPECT_TRUE(info.out.contains("artifacts:       1\n"));
        EXPECT_TRUE(info.out.contains(wal ? "journal:         wal" : "journal:         delete"));
        auto infoJson = runCli({QStringLiteral("info"), p, QStringLiteral("--json")});
        ASSERT_EQ(infoJson.exitCode, 0) << infoJson.err.constData();
        const QJsonObject o = infoJson.json();
        EXPECT_EQ(o.value(QStringLiteral("schema_version")).toInt(), 1);
        EXPECT_EQ(o.value(QStringLiteral("current_schema_version")).toInt(), mlwb::Schema::currentVersion());
        EXPECT_EQ(o.value(QStringLiteral("schema_note")).toString(), note);
        const QJsonObject counts = o.value(QStringLiteral("counts")).toObject();
        EXPECT_EQ(counts.value(QStringLiteral("models")).toInt(), 1);
        EXPECT_EQ(counts.value(QStringLiteral("model_versions")).toInt(), 1);

        auto runs = runCli({QStringLiteral("runs"), p, QStringLiteral("--json")});
        ASSERT_EQ(runs.exitCode, 0) << runs.err.constData();
        EXPECT_TRUE(runs.err.contains(note.toUtf8())) << runs.err.constData();
        const QJsonArray runList = runs.json().value(QStringLiteral("runs")).toArray();
        ASSERT_EQ(runList.size(), 1) << runs.out.constData();
        const QJsonObject run = runList.first().toObject();
        EXPECT_EQ(run.value(QStringLiteral("id")).toInt(), 1);
        EXPECT_EQ(run.value(QStringLiteral("name")).toString(), QStringLiteral("run-v1"));
        EXPECT_EQ(run.value(QStringLiteral("model")).toString(), QStringLiteral("mlp-v1"));
        EXPECT_EQ(run.value(QStringLiteral("model_version")).toInt(), 1);
        EXPECT_EQ(run.value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
        EXPECT_EQ(run.value(QStringLiteral("sweep")).toInt(), 0);
        EXPECT_EQ(run.value(QStringLiteral("hyperparameters")).toObject().value(QStringLiteral("epochs")).toInt(), 3);
        EXPECT_DOUBLE_EQ(run.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("accuracy")).toDouble(), 0.9);
        auto runsText = runCli({QStringLiteral("runs"), p});
        ASSERT_EQ(runsText.exitCode, 0) << runsText.err.constData();
        EXPECT_TRUE(runsText.out.contains("mlp-v1 v1")) << runsText.out.constData();
        {
            // An aligned table: a header, every column starting where its title does, no
            // trailing spaces.
            const QStringList lines = QString::fromUtf8(runsText.out).split(u'\n', Qt::SkipEmptyParts);
            ASSERT_GE(lines.size(), 2) << runsText.out.constData();
            EXPECT_TRUE(lines[0].trimmed().startsWith(QStringLiteral("run  name"))) << qPrintable(lines[0]);
            const qsizetype statusAt = lines[0].indexOf(QStringLiteral("status"));
            const qsizetype sweepAt = lines[0].indexOf(QStringLiteral("sweep"));
            ASSERT_GT(statusAt, 0);
            for (const QString &l : lines) {
                EXPECT_FALSE(l.endsWith(u' ')) << qPrintable(l);
                if (&l != &lines[0]) {
                    EXPECT_TRUE(l.mid(statusAt).startsWith(QStringLiteral("finished"))) << qPrintable(l);
                    EXPECT_EQ(l.mid(sweepAt, 5), QStringLiteral("    -")) << qPrintable(l); // no sweep, right-aligned
                }
            }
        }
        auto datasetsText = runCli({QStringLiteral("dataset"), QStringLiteral("list"), p});
        ASSERT_EQ(datasetsText.exitCode, 0) << datasetsText.err.constData();
        EXPECT_TRUE(datasetsText.out.startsWith("id  name     rows  columns  sha256\n")) << datasetsText.out.constData();

        auto datasets = runCli({QStringLiteral("dataset"), QStringLiteral("list"), p, QStringLiteral("--json")});
        ASSERT_EQ(datasets.exitCode, 0) << datasets.err.constData();
        const QJsonArray datasetList = datasets.json().value(QStringLiteral("datasets")).toArray();
        ASSERT_EQ(datasetList.size(), 1) << datasets.out.constData();
        EXPECT_EQ(datasetList.first().toObject().value(QStringLiteral("name")).toString(), QStringLiteral("iris-v1"));
        EXPECT_EQ(datasetList.first().toObject().value(QStringLiteral("rows")).toInt(), 150);

        const QString exported = path(wal ? QStringLiteral("wal.pt") : QStringLiteral("rollback.pt"));
        auto exportRun = runCli({QStringLiteral("model"), QStringLiteral("export"), p,
                                 QStringLiteral("--run"), QStringLiteral("1"), QStringLiteral("-o"),
                                 exported, QStringLiteral("--json")});
        ASSERT_EQ(exportRun.exitCode, 0) << exportRun.err.constData();
        EXPECT_EQ(exportRun.json().value(QStringLiteral("bytes")).toInt(), model.size());
        QFile out(exported);
        ASSERT_TRUE(out.open(QIODevice::ReadOnly));
        EXPECT_EQ(out.readAll(), model);

        EXPECT_EQ(sha256Of(p), before) << "a read-only verb changed the file";
        EXPECT_EQ(QFileInfo(p).lastModified(), mtimeBefore);
        EXPECT_EQ(filesIn(), "colleague.mlwb")
            << "no backup, -wal, -shm or -journal left beside it";
    }
}

TEST_F(CliTest, DigitsMlpReaches95PercentAndEvaluates)
{
    const QString p = project();
    importDataset(p, QStringLiteral("digits.csv"), QStringLiteral("digits"), QStringLiteral("digit"));
    createModel(p, QStringLiteral("mlp"), QStringLiteral("digits"), QStringLiteral("mlp"));
    const QJsonObject t = train(p, QStringLiteral("mlp"),
                                {QStringLiteral("--epochs"), QStringLiteral("30"),
                                 QStringLiteral("--seed"), QStringLiteral("7")});
    const qint64 run = t.value(QStringLiteral("run")).toInteger();
    ASSERT_GT(run, 0);
    EXPECT_EQ(t.value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
    const QJsonObject m = t.value(QStringLiteral("metrics")).toObject();
    EXPECT_GE(m.value(QStringLiteral("test_accuracy")).toDouble(), 0.95);

    const QJsonObject e = eval(p, run);
    EXPECT_GE(e.value(QStringLiteral("accuracy")).toDouble(), 0.95);
    EXPECT_DOUBLE_EQ(e.value(QStringLiteral("accuracy")).toDouble(),
                     m.value(QStringLiteral("test_accuracy")).toDouble());
    for (const char *k : {"f1_macro", "balanced_accuracy", "roc_auc", "log_loss", "ece",
                          "average_precision", "precision_weighted"})
        EXPECT_TRUE(e.contains(QString::fromLatin1(k))) << k;
    const QJsonObject onTrain = eval(p, run, {QStringLiteral("--split"), QStringLiteral("train")});
    EXPECT_GT(onTrain.value(QStringLiteral("accuracy")).toDouble(), 0.97);

    auto runs = runCli({QStringLiteral("runs"), p, QStringLiteral("--json")});
    ASSERT_EQ(runs.exitCode, 0);
    const QJsonArray list = runs.json().value(QStringLiteral("runs")).toArray();
    ASSERT_EQ(list.size(), 1);
    EXPECT_EQ(list[0].toObject().value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
    EXPECT_EQ(list[0].toObject().value(QStringLiteral("hyperparameters")).toObject()
                  .value(QStringLiteral("epochs")).toInt(), 30);
    auto badSplit = runCli({QStringLiteral("eval"), p, QStringLiteral("--run"), QString::number(run),
                            QStringLiteral("--split"), QStringLiteral("nope")});
    EXPECT_EQ(badSplit.exitCode, 1);
    EXPECT_TRUE(badSplit.err.contains("unknown split")) << badSplit.err.constData();
}

// The text of `mlwb train` and `mlwb eval`: the loss and the main metric first, one column per
// split, aligned; the rest behind --all; integers as integers; a labelled confusion matrix.
TEST_F(CliTest, TrainAndEvalTextLeadWithTheMainMetrics)
{
    const QString p = project();
    importDataset(p, QStringLiteral("iris.csv"), QStringLiteral("iris"), QStringLiteral("species"));
    createModel(p, QStringLiteral("iris-mlp"), QStringLiteral("iris"), QStringLiteral("mlp"));
    auto t = runCli({QStringLiteral("train"), p, QStringLiteral("--model"), QStringLiteral("iris-mlp"),
                     QStringLiteral("--epochs"), QStringLiteral("3"), QStringLiteral("--seed"),
                     QStringLiteral("7")});
    ASSERT_EQ(t.exitCode, 0) << t.err.constData();
    const QStringList lines = QString::fromUtf8(t.out).split(u'\n', Qt::SkipEmptyParts);
    ASSERT_GE(lines.size(), 4) << t.out.constData();
    EXPECT_TRUE(lines[0].startsWith(QStringLiteral("run 1 finished"))) << t.out.constData();
    EXPECT_EQ(lines[1].simplified(), QStringLiteral("metric train validation test"));
    EXPECT_TRUE(lines[2].trimmed().startsWith(QStringLiteral("accuracy "))) << t.out.constData();
    EXPECT_TRUE(lines[3].trimmed().startsWith(QStringLiteral("loss "))) << t.out.constData();
    // Columns aligned: the accuracy's test value ends where the column's title ends.
    EXPECT_EQ(lines[2].size(), lines[1].size()) << t.out.constData();
    EXPECT_TRUE(lines[1].endsWith(QStringLiteral("test")));
    EXPECT_FALSE(t.out.contains("ece")) << "behind --all";
    EXPECT_TRUE(t.out.contains("more (--all shows every metric)")) << t.out.constData();
    for (const QString &l : lines)
        EXPECT_FALSE(l.endsWith(u' ')) << qPrintable(l);

    auto all = runCli({QStringLiteral("train"), p, QStringLiteral("--model"), QStringLiteral("iris-mlp"),
                       QStringLiteral("--epochs"), QStringLiteral("3"), QStringLiteral("--seed"),
                       QStringLiteral("7"), QStringLiteral("--all")});
    ASSERT_EQ(all.exitCode, 0) << all.err.constData();
    EXPECT_TRUE(all.out.contains("ece")) << all.out.constData();
    EXPECT_FALSE(all.out.contains("--all shows")) << all.out.constData();
    // Training facts as integers, never 3.000 or 3e+00.
    EXPECT_TRUE(QRegularExpression(QStringLiteral("\\n  epochs_run +3\\n"))
                    .match(QString::fromUtf8(all.out))
                    .hasMatch())
        << all.out.constData();
    EXPECT_TRUE(QRegularExpression(QStringLiteral("\\n  parameters +\\d+\\n"))
                    .match(QString::fromUtf8(all.out))
                    .hasMatch())
        << all.out.constData();
    // Never scientific notation for counts and rates (2e+04).
    EXPECT_FALSE(all.out.contains("e+0")) << all.out.constData();

    auto e = runCli({QStringLiteral("eval"), p, QStringLiteral("--run"), QStringLiteral("1")});
    ASSERT_EQ(e.exitCode, 0) << e.err.constData();
    const QStringList el = QString::fromUtf8(e.out).split(u'\n', Qt::SkipEmptyParts);
    ASSERT_GE(el.size(), 3);
    EXPECT_TRUE(el[0].startsWith(QStringLiteral("run 1 on test"))) << e.out.constData();
    EXPECT_EQ(el[1].simplified(), QStringLiteral("metric value"));
    EXPECT_TRUE(el[2].trimmed().startsWith(QStringLiteral("accuracy "))) << e.out.constData();
    EXPECT_TRUE(e.out.contains("confusion matrix (rows: true class, columns: predicted class)"));
    const qsizetype at = e.out.indexOf("true \\ predicted");
    ASSERT_GE(at, 0) << e.out.constData();
    const QByteArray header = e.out.mid(at, e.out.indexOf('\n', at) - at);
    EXPECT_EQ(QString::fromUtf8(header).simplified(),
              QStringLiteral("true \\ predicted setosa versicolor virginica"));
    EXPECT_TRUE(e.out.contains("\n  setosa ")) << e.out.constData();
    EXPECT_TRUE(e.out.contains("\n  virginica ")) << e.out.constData();
    EXPECT_FALSE(e.out.contains("balanced_accuracy")) << "behind --all";
    auto eAll = runCli({QStringLiteral("eval"), p, QStringLiteral("--run"), QStringLiteral("1"),
                        QStringLiteral("--all")});
    EXPECT_TRUE(eAll.out.contains("balanced_accuracy")) << eAll.out.constData();
    // --json stays as it was: every metric, flat.
    auto j = runCli({QStringLiteral("eval"), p, QStringLiteral("--run"), QStringLiteral("1"),
                     QStringLiteral("--json")});
    ASSERT_EQ(j.exitCode, 0);
    EXPECT_TRUE(j.json().contains(QStringLiteral("balanced_accuracy")));
    EXPECT_EQ(j.json().value(QStringLiteral("split")).toString(), QStringLiteral("test"));
}

TEST_F(CliTest, DigitsCnnReaches96Percent)
{
    const QString p = project();
    importDataset(p, QStringLiteral("digits.csv"), QStringLiteral("digits"), QStringLiteral("digit"),
                  {QStringLiteral("--image"), QStringLiteral("1x8x8")});
    createModel(p, QStringLiteral("cnn"), QStringLiteral("digits"), QStringLiteral("cnn"));
    const QJsonObject t = train(p, QStringLiteral("cnn"),
                                {QStringLiteral("--epochs"), QStringLiteral("15"),
                                 QStringLiteral("--seed"), QStringLiteral("7")});
    EXPECT_GE(t.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("test_accuracy")).toDouble(), 0.96);
}

TEST_F(CliTest, IrisReaches93Percent)
{
    const QString p = project();
    // 150 rows: a 20% test split (30 rows) measures accuracy in steps of 3.3%, not 4.5%.
    importDataset(p, QStringLiteral("iris.csv"), QStringLiteral("iris"), QStringLiteral("species"),
                  {QStringLiteral("--split"), QStringLiteral("0.6,0.2")});
    createModel(p, QStringLiteral("iris-mlp"), QStringLiteral("iris"), QStringLiteral("mlp"));
    const QJsonObject t = train(p, QStringLiteral("iris-mlp"),
                                {QStringLiteral("--epochs"), QStringLiteral("60"),
                                 QStringLiteral("--seed"), QStringLiteral("7"),
                                 QStringLiteral("--set"), QStringLiteral("batch_size=16")});
    EXPECT_GE(t.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("test_accuracy")).toDouble(), 0.93);
}

// The epoch the last progress line of `mlwb train` names ("epoch E/N, loss ..."), or 0.
int progressEpoch(const QByteArray &err)
{
    static const QRegularExpression epoch(QStringLiteral("epoch (\\d+)/\\d+"));
    int last = 0;
    for (auto it = epoch.globalMatch(QString::fromUtf8(err)); it.hasNext();)
        last = it.next().captured(1).toInt();
    return last;
}

// Ctrl+C (SIGINT) and SIGTERM during `mlwb train` stop the run: it ends `interrupted`, in the
// output and in the file, with exit 130 / 143, keeps its checkpoint and resumes to `finished`.
// 30 epochs of the digits CNN on one thread take seconds, and the signal goes out in epoch 3 or
// later of them: a run that ignored it would finish and fail every check below.
TEST_F(CliTest, SignalInterruptsTrainingAndTheRunResumesToTheEnd)
{
    const QString p = project();
    importDataset(p, QStringLiteral("digits.csv"), QStringLiteral("digits"), QStringLiteral("digit"),
                  {QStringLiteral("--image"), QStringLiteral("1x8x8")});
    createModel(p, QStringLiteral("cnn"), QStringLiteral("digits"), QStringLiteral("cnn"));
    auto storedRun = [&](qint64 id) {
        auto runs = runCli({QStringLiteral("runs"), p, QStringLiteral("--json")});
        EXPECT_EQ(runs.exitCode, 0) << runs.err.constData();
        for (const QJsonValue &v : runs.json().value(QStringLiteral("runs")).toArray())
            if (v.toObject().value(QStringLiteral("id")).toInteger() == id)
                return v.toObject();
        return QJsonObject();
    };

    auto first = runCliAndSignal({QStringLiteral("train"), p, QStringLiteral("--model"),
                                  QStringLiteral("cnn"), QStringLiteral("--epochs"), QStringLiteral("30"),
                                  QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--json")},
                                 [](const QByteArray &err) { return progressEpoch(err) >= 3; }, SIGINT);
    ASSERT_TRUE(first.signaled) << "the run ended before epoch 3: " << first.err.constData();
    EXPECT_EQ(first.exitCode, 130) << first.err.constData();
    const QJsonObject t = first.json();
    const qint64 run = t.value(QStringLiteral("run")).toInteger();
    ASSERT_GT(run, 0) << first.out.constData();
    EXPECT_EQ(t.value(QStringLiteral("status")).toString(), QStringLiteral("interrupted"));
    EXPECT_TRUE(first.err.contains("--resume " + QByteArray::number(run))) << first.err.constData();
    const int doneFirst = t.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("epochs_run")).toInt();
    EXPECT_GE(doneFirst, 2);
    EXPECT_LT(doneFirst, 30);
    QJsonObject stored = storedRun(run);
    EXPECT_EQ(stored.value(QStringLiteral("status")).toString(), QStringLiteral("interrupted"));
    EXPECT_TRUE(stored.value(QStringLiteral("message")).toString().contains(QStringLiteral("resume")))
        << qPrintable(stored.value(QStringLiteral("message")).toString());

    // Resumed, then stopped again with SIGTERM (what `kill` and schedulers send) two epochs on.
    const QStringList resume{QStringLiteral("train"), p, QStringLiteral("--resume"),
                             QString::number(run), QStringLiteral("--json")};
    auto second = runCliAndSignal(
        resume, [&](const QByteArray &err) { return progressEpoch(err) >= doneFirst + 2; }, SIGTERM);
    ASSERT_TRUE(second.signaled) << second.err.constData();
    EXPECT_EQ(second.exitCode, 143) << second.err.constData();
    EXPECT_EQ(second.json().value(QStringLiteral("run")).toInteger(), run);
    EXPECT_EQ(second.json().value(QStringLiteral("status")).toString(), QStringLiteral("interrupted"));
    const int doneSecond =
        second.json().value(QStringLiteral("metrics")).toObject().value(QStringLiteral("epochs_run")).toInt();
    EXPECT_GT(doneSecond, doneFirst) << "the resumed run continued from its checkpoint";
    EXPECT_LT(doneSecond, 30);
    EXPECT_EQ(storedRun(run).value(QStringLiteral("status")).toString(), QStringLiteral("interrupted"));

    auto last = runCli(resume);
    ASSERT_EQ(last.exitCode, 0) << last.err.constData();
    EXPECT_EQ(last.json().value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
    stored = storedRun(run);
    EXPECT_EQ(stored.value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
    const QJsonObject metrics = stored.value(QStringLiteral("metrics")).toObject();
    EXPECT_EQ(metrics.value(QStringLiteral("epochs_run")).toInt(), 30);
    EXPECT_GE(metrics.value(QStringLiteral("test_accuracy")).toDouble(), 0.9);
}

TEST_F(CliTest, DatasetSplitReplacesTheSplitAndRejectsBadFractions)
{
    const QString p = project();
    importDataset(p, QStringLiteral("iris.csv"), QStringLiteral("iris"), QStringLiteral("species"));
    auto r = runCli({QStringLiteral("dataset"), QStringLiteral("split"), p, QStringLiteral("--name"),
                     QStringLiteral("iris"), QStringLiteral("--split"), QStringLiteral("0.8,0.1"),
                     QStringLiteral("--seed"), QStringLiteral("3"), QStringLiteral("--json")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    const QJsonObject split = r.json().value(QStringLiteral("split")).toObject();
    EXPECT_EQ(split.value(QStringLiteral("train")).toInt(), 120);
    EXPECT_EQ(split.value(QStringLiteral("validation")).toInt(), 15);
    EXPECT_EQ(split.value(QStringLiteral("test")).toInt(), 15);

    r = runCli({QStringLiteral("dataset"), QStringLiteral("split"), p, QStringLiteral("--name"),
                QStringLiteral("iris"), QStringLiteral("--split"), QStringLiteral("0.9,0.3")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_FALSE(r.err.isEmpty());
    r = runCli({QStringLiteral("dataset"), QStringLiteral("split"), p, QStringLiteral("--name"),
                QStringLiteral("nosuch"), QStringLiteral("--split"), QStringLiteral("0.7,0.15")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("nosuch")) << r.err.constData();
}

// `train --version N` trains that version of the model (the newest without it), as `runs`
// shows; a version the model lacks is an error that names the versions it has.
TEST_F(CliTest, TrainVersionTrainsThatVersionAndNamesTheVersionsOnAMiss)
{
    const QString p = project();
    importDataset(p, QStringLiteral("iris.csv"), QStringLiteral("iris"), QStringLiteral("species"));
    createModel(p, QStringLiteral("iris-mlp"), QStringLiteral("iris"), QStringLiteral("mlp"));
    {
        // The CLI makes no second version (the builder's Save Version does): add it in the store.
        auto db = mlwb::Database::open(p, mlwb::Database::Mode::ReadWrite);
        ASSERT_TRUE(db.ok()) << qPrintable(db.error());
        mlwb::ModelRepository models(*db);
        auto model = models.byName(QStringLiteral("iris-mlp"));
        ASSERT_TRUE(model.ok()) << qPrintable(model.error());
        auto v1 = models.latestVersion(model->id);
        ASSERT_TRUE(v1.ok()) << qPrintable(v1.error());
        auto v2 = models.addVersion(model->id, v1->specJson, v1->torchscript);
        ASSERT_TRUE(v2.ok()) << qPrintable(v2.error());
        ASSERT_EQ(v2->version, 2);
    }
    const QStringList quick{QStringLiteral("--epochs"), QStringLiteral("2"), QStringLiteral("--seed"),
                            QStringLiteral("1")};
    const qint64 first = train(p, QStringLiteral("iris-mlp"), QStringList{QStringLiteral("--version"),
                                                                         QStringLiteral("1")} + quick)
                             .value(QStringLiteral("run")).toInteger();
    const qint64 newest = train(p, QStringLiteral("iris-mlp"), quick).value(QStringLiteral("run")).toInteger();
    ASSERT_GT(first, 0);
    ASSERT_GT(newest, first);
    auto runs = runCli({QStringLiteral("runs"), p, QStringLiteral("--json")});
    ASSERT_EQ(runs.exitCode, 0) << runs.err.constData();
    QMap<qint64, int> versionOf;
    for (const QJsonValue &run : runs.json().value(QStringLiteral("runs")).toArray())
        versionOf.insert(run[QStringLiteral("id")].toInteger(), run[QStringLiteral("model_version")].toInt());
    EXPECT_EQ(versionOf.value(first), 1);
    EXPECT_EQ(versionOf.value(newest), 2);

    auto missing = runCli({QStringLiteral("train"), p, QStringLiteral("--model"), QStringLiteral("iris-mlp"),
                           QStringLiteral("--version"), QStringLiteral("5")});
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_TRUE(missing.err.contains("model \"iris-mlp\" has no version 5; its versions are 1, 2"))
        << missing.err.constData();
    auto bad = runCli({QStringLiteral("train"), p, QStringLiteral("--model"), QStringLiteral("iris-mlp"),
                       QStringLiteral("--version"), QStringLiteral("newest")});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_TRUE(bad.err.contains("--version takes a model version number")) << bad.err.constData();
    auto resume = runCli({QStringLiteral("train"), p, QStringLiteral("--resume"), QString::number(first),
                          QStringLiteral("--version"), QStringLiteral("2")});
    EXPECT_EQ(resume.exitCode, 2);
    EXPECT_TRUE(resume.err.contains("--version goes with --model")) << resume.err.constData();
    auto help = runCli({QStringLiteral("train"), QStringLiteral("--help")});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_TRUE(help.out.contains("(--model NAME [--version N] | --resume RUN)")) << help.out.constData();
}

TEST_F(CliTest, DiabetesRegressionR2)
{
    const QString p = project();
    importDataset(p, QStringLiteral("diabetes.csv"), QStringLiteral("diabetes"), QStringLiteral("progression"));
    createModel(p, QStringLiteral("lin"), QStringLiteral("diabetes"), QStringLiteral("linear"));
    const QJsonObject t = train(p, QStringLiteral("lin"),
                                {QStringLiteral("--epochs"), QStringLiteral("100"),
                                 QStringLiteral("--seed"), QStringLiteral("7"),
                                 QStringLiteral("--set"), QStringLiteral("lr=0.01"),
                                 QStringLiteral("--set"), QStringLiteral("batch_size=32")});
    const QJsonObject m = t.value(QStringLiteral("metrics")).toObject();
    EXPECT_GE(m.value(QStringLiteral("test_r2")).toDouble(), 0.35);
    const QJsonObject e = eval(p, t.value(QStringLiteral("run")).toInteger());
    EXPECT_GE(e.value(QStringLiteral("r2")).toDouble(), 0.35);
    EXPECT_GT(e.value(QStringLiteral("rmse")).toDouble(), 10.0) << "reported in target units";
    EXPECT_TRUE(e.contains(QStringLiteral("mae")));
}

TEST_F(CliTest, SameSeedGivesIdenticalMetrics)
{
    const QString p = project();
    importDataset(p, QStringLiteral("iris.csv"), QStringLiteral("iris"), QStringLiteral("species"));
    createModel(p, QStringLiteral("m"), QStringLiteral("iris"), QStringLiteral("mlp"));
    const QStringList args{QStringLiteral("--epochs"), QStringLiteral("5"), QStringLiteral("--seed"),
                           QStringLiteral("3"), QStringLiteral("--set"), QStringLiteral("threads=2")};
    const QJsonObject a = train(p, QStringLiteral("m"), args).value(QStringLiteral("metrics")).toObject();
    const QJsonObject b = train(p, QStringLiteral("m"), args).value(QStringLiteral("metrics")).toObject();
    for (const char *k : {"train_loss", "val_loss", "test_log_loss", "test_accuracy"})
        EXPECT_EQ(a.value(QString::fromLatin1(k)).toDouble(), b.value(QString::fromLatin1(k)).toDouble()) << k;
    const QJsonObject c = train(p, QStringLiteral("m"), {QStringLiteral("--epochs"), QStringLiteral("5"),
                                                         QStringLiteral("--seed"), QStringLiteral("4")})
                              .value(QStringLiteral("metrics")).toObject();
    EXPECT_NE(a.value(QStringLiteral("train_loss")).toDouble(), c.value(QStringLiteral("train_loss")).toDouble());
}

TEST_F(CliTest, MalformedCsvIsRefusedWithLineAndColumnAndNothingStored)
{
    const QString p = project();
    QFile csv(path(QStringLiteral("bad.csv")));
    ASSERT_TRUE(csv.open(QIODevice::WriteOnly));
    csv.write("a,b,label\n1,2,x\n3,\"4,y\n");
    csv.close();
    auto r = runCli({QStringLiteral("dataset"), QStringLiteral("import"), p, csv.fileName(),
                     QStringLiteral("--name"), QStringLiteral("bad"), QStringLiteral("--target"),
                     QStringLiteral("label")});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains("bad.csv:3:")) << r.err.constData();
    auto info = runCli({QStringLiteral("info"), p, QStringLiteral("--json")});
    EXPECT_EQ(info.json().value(QStringLiteral("counts")).toObject().value(QStringLiteral("datasets")).toInt(), 0);
}

// What users take to PyTorch: the file `mlwb model export` writes, loaded by python3-torch and fed
// the raw CSV rows through the preprocessing it carries, reimplemented in Python from
// mlwb/preprocessing.json alone (tests/support/python/check_export.py). On every row of the test
// split it must give our logits within 1e-5 and exactly `mlwb eval`'s predictions.
class ExportInteropTest : public CliTest {
protected:
    // Imports csv (no row may be dropped: the predictions' row numbers are then the CSV's),
    // trains, exports, evaluates with --predictions, runs the Python check; returns its JSON,
    // `mlwb eval`'s in evalJson and the test metrics training reported in trained.
    QJsonObject trainExportAndCheck(const QString &csv, const QString &target, const QString &templ,
                                    const QStringList &importOptions, const QStringList &trainOptions,
                                    QJsonObject &evalJson, QJsonObject &trained)
    {
        const QString p = project();
        auto imp = runCli(QStringList{QStringLiteral("dataset"), QStringLiteral("import"), p, csv,
                                      QStringLiteral("--name"), QStringLiteral("d"),
                                      QStringLiteral("--target"), target, QStringLiteral("--json")}
                          + importOptions);
        EXPECT_EQ(imp.exitCode, 0) << imp.err.constData();
        EXPECT_EQ(imp.json().value(QStringLiteral("dropped_rows")).toInt(-1), 0);
        createModel(p, QStringLiteral("m"), QStringLiteral("d"), templ);
        const QJsonObject t = train(p, QStringLiteral("m"), trainOptions);
        trained = t.value(QStringLiteral("metrics")).toObject();
        const qint64 run = t.value(QStringLiteral("run")).toInteger();
        EXPECT_GT(run, 0);

        const QString pt = path(QStringLiteral("model.pt"));
        auto ex = runCli({QStringLiteral("model"), QStringLiteral("export"), p, QStringLiteral("--run"),
                          QString::number(run), QStringLiteral("-o"), pt});
        EXPECT_EQ(ex.exitCode, 0) << ex.err.constData();
        const QString rows = path(QStringLiteral("predictions.csv"));
        evalJson = eval(p, run, {QStringLiteral("--predictions"), rows});
        QFile f(rows);
        EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << "mlwb eval --predictions wrote no file";
        EXPECT_EQ(f.readAll().count('\n'), evalJson.value(QStringLiteral("n")).toInt() + 1)
            << "a header and one line per evaluated row";

        const PythonRun py = runPythonFile(pythonScriptPath(QStringLiteral("check_export.py")),
                                           {pt, csv, rows});
        EXPECT_TRUE(py.ok()) << py.err.constData();
        const QJsonObject check = QJsonDocument::fromJson(py.out).object();
        EXPECT_EQ(check.value(QStringLiteral("rows")).toInt(), evalJson.value(QStringLiteral("n")).toInt())
            << py.out.constData();
        EXPECT_GT(check.value(QStringLiteral("rows")).toInt(), 20) << "the whole test split";
        EXPECT_TRUE(check.value(QStringLiteral("target_mismatches")).toArray().isEmpty())
            << py.out.constData();
        return check;
    }

    void expectSameClassifier(const QJsonObject &check, const QJsonObject &evalJson,
                              const QJsonObject &trained)
    {
        EXPECT_LE(check.value(QStringLiteral("max_logit_diff")).toDouble(1.0), 1e-5) << "logits";
        EXPECT_TRUE(check.value(QStringLiteral("prediction_mismatches")).toArray().isEmpty())
            << "rows Python predicts differently: "
            << QJsonDocument(check.value(QStringLiteral("prediction_mismatches")).toArray())
                   .toJson(QJsonDocument::Compact).constData();
        EXPECT_DOUBLE_EQ(check.value(QStringLiteral("accuracy")).toDouble(-1),
                         evalJson.value(QStringLiteral("accuracy")).toDouble());
        // `mlwb eval` reads the preprocessing back from the file, training used the fitted one:
        // the file must describe it faithfully, or Python and eval would agree on a wrong model.
        EXPECT_DOUBLE_EQ(evalJson.value(QStringLiteral("accuracy")).toDouble(),
                         trained.value(QStringLiteral("test_accuracy")).toDouble(-1));
        EXPECT_NEAR(evalJson.value(QStringLiteral("log_loss")).toDouble(),
                    trained.value(QStringLiteral("test_log_loss")).toDouble(-1), 1e-6);
    }
};

TEST_F(ExportInteropTest, ClassifierWithEveryPreprocessingStepGivesOurLogitsInPyTorch)
{
    MLWB_REQUIRE_PYTHON("torch");
    // Numeric, categorical (one-hot), boolean and missing cells imputed with the training median
    // or mode.
    QJsonObject evalJson, trained;
    const QJsonObject check = trainExportAndCheck(
        testDataPath(QStringLiteral("interop/diabetes_mixed.csv")), QStringLiteral("risk"),
        QStringLiteral("mlp"), {QStringLiteral("--missing"), QStringLiteral("median")},
        {QStringLiteral("--epochs"), QStringLiteral("30"), QStringLiteral("--seed"), QStringLiteral("7")},
        evalJson, trained);
    EXPECT_EQ(check.value(QStringLiteral("encodings")).toArray(),
              (QJsonArray{QStringLiteral("binary"), QStringLiteral("one-hot"), QStringLiteral("standardize")}))
        << "every encoding is exercised";
    EXPECT_EQ(check.value(QStringLiteral("fills")).toInt(), 12) << "every feature has a fitted fill";
    expectSameClassifier(check, evalJson, trained);
    EXPECT_GT(evalJson.value(QStringLiteral("accuracy")).toDouble(), 0.6) << "a model that learnt";
}

TEST_F(ExportInteropTest, IrisClassifierGivesOurLogitsInPyTorch)
{
    MLWB_REQUIRE_PYTHON("torch");
    QJsonObject evalJson, trained;
    const QJsonObject check = trainExportAndCheck(
        datasetPath(QStringLiteral("iris.csv")), QStringLiteral("species"), QStringLiteral("mlp"),
        {QStringLiteral("--split"), QStringLiteral("0.6,0.2")},
        {QStringLiteral("--epochs"), QStringLiteral("30"), QStringLiteral("--seed"), QStringLiteral("7"),
         QStringLiteral("--set"), QStringLiteral("batch_size=16")},
        evalJson, trained);
    expectSameClassifier(check, evalJson, trained);
}

TEST_F(ExportInteropTest, RegressorGivesOurPredictionsInPyTorch)
{
    MLWB_REQUIRE_PYTHON("torch");
    QJsonObject evalJson, trained;
    const QJsonObject check = trainExportAndCheck(
        datasetPath(QStringLiteral("diabetes.csv")), QStringLiteral("progression"), QStringLiteral("mlp"),
        {}, {QStringLiteral("--epochs"), QStringLiteral("30"), QStringLiteral("--seed"), QStringLiteral("7")},
        evalJson, trained);
    EXPECT_LE(check.value(QStringLiteral("max_prediction_diff")).toDouble(1.0), 1e-5)
        << "predictions in target units, relative above 1";
    EXPECT_NEAR(check.value(QStringLiteral("r2")).toDouble(-1), evalJson.value(QStringLiteral("r2")).toDouble(), 1e-6);
    EXPECT_NEAR(evalJson.value(QStringLiteral("r2")).toDouble(),
                trained.value(QStringLiteral("test_r2")).toDouble(-1), 1e-6)
        << "the file describes the preprocessing training used";
}

TEST_F(CliTest, PythonScriptedModelImportsFineTunesAndEvaluates)
{
    MLWB_REQUIRE_PYTHON("torch");
    const QString p = project();
    importDataset(p, QStringLiteral("iris.csv"), QStringLiteral("iris"), QStringLiteral("species"));
    const QString good = path(QStringLiteral("py.pt"));
    const QString wrong = path(QStringLiteral("wrong.pt"));
    auto py = runPython(QStringLiteral(R"PY(
import sys, torch
torch.manual_seed(0)
m = torch.nn.Sequential(torch.nn.Linear(4, 32), torch.nn.ReLU(), torch.nn.Linear(32, 3))
torch.jit.script(m).save(sys.argv[1])
w = torch.nn.Sequential(torch.nn.Linear(4, 5))
torch.jit.script(w).save(sys.argv[2])
)PY"), {good, wrong});
    ASSERT_TRUE(py.ok()) << py.err.constData();

    auto bad = runCli({QStringLiteral("model"), QStringLiteral("import"), p, wrong,
                       QStringLiteral("--name"), QStringLiteral("w"), QStringLiteral("--dataset"),
                       QStringLiteral("iris")});
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_TRUE(bad.err.contains("[5]")) << bad.err.constData();

    auto imp = runCli({QStringLiteral("model"), QStringLiteral("import"), p, good,
                       QStringLiteral("--name"), QStringLiteral("py"), QStringLiteral("--dataset"),
                       QStringLiteral("iris"), QStringLiteral("--json")});
    ASSERT_EQ(imp.exitCode, 0) << imp.err.constData();
    EXPECT_EQ(imp.json().value(QStringLiteral("kind")).toString(), QStringLiteral("torchscript"));
    const QJsonObject t = train(p, QStringLiteral("py"),
                                {QStringLiteral("--epochs"), QStringLiteral("60"),
                                 QStringLiteral("--set"), QStringLiteral("batch_size=16")});
    EXPECT_EQ(t.value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
    const QJsonObject e = eval(p, t.value(QStringLiteral("run")).toInteger());
    EXPECT_GE(e.value(QStringLiteral("accuracy")).toDouble(), 0.9);
}

TEST_F(CliTest, GridSweepGroupsRunsAndReportsTheBest)
{
    const QString p = project();
    importDataset(p, QStringLiteral("iris.csv"), QStringLiteral("iris"), QStringLiteral("species"));
    createModel(p, QStringLiteral("m"), QStringLiteral("iris"), QStringLiteral("mlp"));
    auto bad = runCli({QStringLiteral("sweep"), p, QStringLiteral("--model"), QStringLiteral("m"),
                       QStringLiteral("--grid"), QStringLiteral("--param"), QStringLiteral("dropout=0.1,0.5")});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_TRUE(bad.err.contains("unknown hyperparameter \"dropout\"")) << bad.err.constData();

    auto r = runCli({QStringLiteral("sweep"), p, QStringLiteral("--model"), QStringLiteral("m"),
                     QStringLiteral("--grid"), QStringLiteral("--param"), QStringLiteral("lr=0.001,0.01"),
                     QStringLiteral("--epochs"), QStringLiteral("3"), QStringLiteral("--json")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    const QJsonObject o = r.json();
    const qint64 sweep = o.value(QStringLiteral("sweep")).toInteger();
    EXPECT_GT(sweep, 0);
    EXPECT_EQ(o.value(QStringLiteral("metric")).toString(), QStringLiteral("val_accuracy"));
    const QJsonArray trials = o.value(QStringLiteral("trials")).toArray();
    ASSERT_EQ(trials.size(), 2);
    QList<qint64> runIds;
    double bestMetric = -1;
    for (const QJsonValue &v : trials) {
        const QJsonObject t = v.toObject();
        EXPECT_EQ(t.value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
        EXPECT_TRUE(t.value(QStringLiteral("metric")).isDouble());
        bestMetric = std::max(bestMetric, t.value(QStringLiteral("metric")).toDouble());
        runIds << t.value(QStringLiteral("run")).toInteger();
    }
    EXPECT_EQ(trials[0].toObject().value(QStringLiteral("params")).toObject()
                  .value(QStringLiteral("lr")).toString(), QStringLiteral("0.001"));
    EXPECT_TRUE(runIds.contains(o.value(QStringLiteral("best_run")).toInteger()));
    EXPECT_DOUBLE_EQ(o.value(QStringLiteral("best_metric")).toDouble(), bestMetric);

    auto runs = runCli({QStringLiteral("runs"), p, QStringLiteral("--json")});
    ASSERT_EQ(runs.exitCode, 0);
    for (const QJsonValue &v : runs.json().value(QStringLiteral("runs")).toArray())
        EXPECT_EQ(v.toObject().value(QStringLiteral("sweep")).toInteger(), sweep);

    auto list = runCli({QStringLiteral("sweeps"), p, QStringLiteral("--json")});
    ASSERT_EQ(list.exitCode, 0) << list.err.constData();
    const QJsonArray sweeps = list.json().value(QStringLiteral("sweeps")).toArray();
    ASSERT_EQ(sweeps.size(), 1);
    const QJsonObject s = sweeps[0].toObject();
    EXPECT_EQ(s.value(QStringLiteral("id")).toInteger(), sweep);
    EXPECT_EQ(s.value(QStringLiteral("runs")).toInt(), 2);
    EXPECT_EQ(s.value(QStringLiteral("best_run")).toInteger(), o.value(QStringLiteral("best_run")).toInteger());
    auto table = runCli({QStringLiteral("sweeps"), p});
    EXPECT_EQ(table.exitCode, 0);
    EXPECT_TRUE(table.out.contains("m grid sweep")) << table.out.constData();
}

// A diverging run through the CLI: stopped and failed with the step and advice (exit 1); with
// on_nonfinite=continue its NaN losses are printed as NaN and written to --json as "NaN", never
// as 0 or null.
TEST_F(CliTest, DivergingRunFailsAndPrintsNaNAsNaN)
{
    const QString p = project();
    importDataset(p, QStringLiteral("iris.csv"), QStringLiteral("iris"), QStringLiteral("species"));
    createModel(p, QStringLiteral("m"), QStringLiteral("iris"), QStringLiteral("mlp"));
    const QStringList diverge = {QStringLiteral("--set"), QStringLiteral("optimizer=sgd"),
                                 QStringLiteral("--set"), QStringLiteral("lr=1e30"),
                                 QStringLiteral("--epochs"), QStringLiteral("3"),
                                 QStringLiteral("--threads"), QStringLiteral("1")};
    auto stopped = runCli(QStringList{QStringLiteral("train"), p, QStringLiteral("--model"),
                                      QStringLiteral("m")} + diverge);
    EXPECT_EQ(stopped.exitCode, 1) << stopped.err.constData();
    static const QRegularExpression message(
        QStringLiteral("failed: loss became (NaN|inf) at step \\d+ \\(epoch 1\\); lower the "
                       "learning rate or set grad_clip"));
    EXPECT_TRUE(message.match(QString::fromUtf8(stopped.out)).hasMatch()) << stopped.out.constData();

    auto kept = runCli(QStringList{QStringLiteral("train"), p, QStringLiteral("--model"),
                                   QStringLiteral("m"), QStringLiteral("--json"), QStringLiteral("--set"),
                                   QStringLiteral("on_nonfinite=continue")} + diverge);
    EXPECT_EQ(kept.exitCode, 1) << kept.err.constData();
    const QJsonObject metrics = kept.json().value(QStringLiteral("metrics")).toObject();
    EXPECT_EQ(metrics.value(QStringLiteral("train_loss")).toString(), QStringLiteral("NaN"))
        << kept.out.constData();
    EXPECT_TRUE(kept.out.contains("\"NaN\"")) << kept.out.constData();
    EXPECT_FALSE(kept.out.contains("null")) << kept.out.constData();

    auto text = runCli(QStringList{QStringLiteral("train"), p, QStringLiteral("--model"),
                                   QStringLiteral("m"), QStringLiteral("--set"),
                                   QStringLiteral("on_nonfinite=continue")} + diverge);
    // The loss row, train and validation columns.
    static const QRegularExpression nanRow(QStringLiteral("\\n\\s+loss\\s+NaN\\s+NaN\\n"));
    EXPECT_TRUE(nanRow.match(QString::fromUtf8(text.out)).hasMatch()) << text.out.constData();

    // The stored summary keeps it: `mlwb runs --json` says "NaN" too.
    auto runs = runCli({QStringLiteral("runs"), p, QStringLiteral("--json")});
    ASSERT_EQ(runs.exitCode, 0) << runs.err.constData();
    EXPECT_TRUE(runs.out.contains("\"NaN\"")) << runs.out.constData();
}
