// SPDX-License-Identifier: MIT
// JsonReportWriter and CsvReportWriter on a document made here: the numbers come back exactly,
// NaN and infinities as their strings, and a write that cannot happen says where.

#include "common/json_number.h"
#include "report/csv_report_writer.h"
#include "report/json_report_writer.h"

#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

#include <cmath>
#include <limits>

using namespace mlwb;
using namespace mlwb::test;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

ReportDocument sample()
{
    ReportDocument d;
    d.title = QStringLiteral("Iris, two runs");
    d.author = QStringLiteral("Ada");
    d.project = QStringLiteral("demo.mlwb");
    d.created = QDateTime(QDate(2026, 12, 3), QTime(18, 0), Qt::UTC);
    d.runs = {{3, QStringLiteral("baseline"), QStringLiteral("#209fdf")},
              {7, QStringLiteral("wide, \"v2\""), QStringLiteral("#6d5fd5")}};
    ReportSection metrics{QStringLiteral("metrics"), QStringLiteral("Metrics"), {}};
    metrics.blocks.push_back(ReportParagraph{QStringLiteral("wide diverged"), ReportParagraph::Tone::Warning});
    ReportTable t;
    t.caption = QStringLiteral("Final metrics");
    t.header = {QStringLiteral("Run"), QStringLiteral("test_accuracy"), QStringLiteral("train_loss")};
    t.align = {ReportTable::Align::Left, ReportTable::Align::Right, ReportTable::Align::Right};
    t.rows = {{QStringLiteral("baseline"), QStringLiteral("0.9333"), QStringLiteral("0.1")},
              {QStringLiteral("wide, \"v2\""), QStringLiteral("\u2013"), QStringLiteral("NaN")}};
    t.emphasis = {{false, true, true}, {false, false, false}};
    t.rowRun = {0, 1};
    t.columnRun = {-1, -1, -1};
    t.values = {{kNaN, 0.9333333333333333, 0.1 + 0.2}, {kNaN, kNaN, kNaN}};
    metrics.blocks.push_back(t);
    ReportSection curves{QStringLiteral("curves"), QStringLiteral("Learning curves"), {}};
    ReportChart c;
    c.title = QStringLiteral("loss");
    c.xLabel = QStringLiteral("Epoch");
    c.yLabel = QStringLiteral("loss");
    c.yMin = 0;
    ReportSeries s;
    s.name = QStringLiteral("baseline loss");
    s.color = QStringLiteral("#209fdf");
    s.style = ReportSeries::Style::Dashed;
    s.run = 0;
    s.x = {1, 2, 3};
    s.y = {1e-300, kInf, -kInf};
    c.series.push_back(s);
    curves.blocks.push_back(ReportHeading{QStringLiteral("Loss"), 2});
    curves.blocks.push_back(c);
    ReportSection confusion{QStringLiteral("confusion"), QStringLiteral("Confusion matrices"), {}};
    confusion.blocks.push_back(ReportMatrix{QStringLiteral("baseline \u2013 test"), {QStringLiteral("a"), QStringLiteral("b")},
                                            {{9, 1}, {0, 10}}, 0});
    confusion.blocks.push_back(ReportKeyValues{QStringLiteral("Env"), {{QStringLiteral("Threads"), QStringLiteral("2")}}});
    d.sections = {metrics, curves, confusion};
    return d;
}

// The CSV's rows as fields (no field of the sample spans lines).
QList<QStringList> parseCsv(const QByteArray &csv)
{
    QList<QStringList> rows;
    for (const QByteArray &line : csv.split('\n')) {
        if (line.isEmpty())
            continue;
        QStringList fields;
        QString field;
        bool quoted = false;
        const QString text = QString::fromUtf8(line);
        for (qsizetype i = 0; i < text.size(); ++i) {
            const QChar ch = text[i];
            if (quoted) {
                if (ch == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
                    field += u'"';
                    ++i;
                } else if (ch == u'"') {
                    quoted = false;
                } else {
                    field += ch;
                }
            } else if (ch == u'"') {
                quoted = true;
            } else if (ch == u',') {
                fields << field;
                field.clear();
            } else {
                field += ch;
            }
        }
        fields << field;
        rows << fields;
    }
    return rows;
}

bool same(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

} // namespace

class ReportWritersTest : public TempDirTest {};

TEST_F(ReportWritersTest, JsonParsesAndRoundTripsEveryNumber)
{
    const ReportDocument d = sample();
    const QString file = path(QStringLiteral("r.json"));
    ASSERT_OK(JsonReportWriter::write(d, file));
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    ASSERT_EQ(error.error, QJsonParseError::NoError) << qPrintable(error.errorString());
    const QJsonObject o = doc.object();
    EXPECT_EQ(o.value(QStringLiteral("format")).toString(), QStringLiteral("mlwb.report"));
    EXPECT_EQ(o.value(QStringLiteral("title")).toString(), d.title);
    EXPECT_EQ(o.value(QStringLiteral("created")).toString(), QStringLiteral("2026-12-03T18:00:00Z"));
    EXPECT_EQ(o.value(QStringLiteral("runs")).toArray().at(1).toObject().value(QStringLiteral("id")).toInteger(), 7);
    const QJsonArray sections = o.value(QStringLiteral("sections")).toArray();
    ASSERT_EQ(sections.size(), 3);

    const QJsonArray metrics = sections.at(0).toObject().value(QStringLiteral("blocks")).toArray();
    EXPECT_EQ(metrics.at(0).toObject().value(QStringLiteral("tone")).toString(), QStringLiteral("warning"));
    const QJsonObject table = metrics.at(1).toObject();
    EXPECT_EQ(table.value(QStringLiteral("type")).toString(), QStringLiteral("table"));
    const QJsonArray values = table.value(QStringLiteral("values")).toArray();
    const ReportTable &t = std::get<ReportTable>(d.sections[0].blocks[1]);
    for (size_t r = 0; r < t.values.size(); ++r)
        for (size_t c = 0; c < t.values[r].size(); ++c) {
            const auto v = JsonNumber::to(values.at(qsizetype(r)).toArray().at(qsizetype(c)));
            ASSERT_TRUE(v.has_value());
            EXPECT_TRUE(same(*v, t.values[r][c])) << r << "," << c;
        }
    EXPECT_EQ(values.at(1).toArray().at(2).toString(), QStringLiteral("NaN")) << "a diverged run's NaN, never null or 0";
    EXPECT_EQ(values.at(0).toArray().at(2).toDouble(), 0.1 + 0.2) << "every digit";
    EXPECT_EQ(table.value(QStringLiteral("emphasis")).toArray().at(0).toArray().at(1).toBool(), true);
    EXPECT_EQ(table.value(QStringLiteral("row_run")).toArray().at(1).toInt(), 1);

    const QJsonObject chart = sections.at(1).toObject().value(QStringLiteral("blocks")).toArray().at(1).toObject();
    EXPECT_EQ(chart.value(QStringLiteral("y_min")).toDouble(-1), 0.0);
    EXPECT_EQ(chart.value(QStringLiteral("y_max")).toString(), QStringLiteral("NaN")) << "from the data";
    const QJsonObject series = chart.value(QStringLiteral("series")).toArray().at(0).toObject();
    EXPECT_EQ(series.value(QStringLiteral("style")).toString(), QStringLiteral("dashed"));
    const QJsonArray y = series.value(QStringLiteral("y")).toArray();
    EXPECT_EQ(y.at(0).toDouble(), 1e-300);
    EXPECT_EQ(y.at(1).toString(), QStringLiteral("Infinity"));
    EXPECT_EQ(y.at(2).toString(), QStringLiteral("-Infinity"));
    const QJsonObject matrix = sections.at(2).toObject().value(QStringLiteral("blocks")).toArray().at(0).toObject();
    EXPECT_EQ(matrix.value(QStringLiteral("counts")).toArray().at(0).toArray().at(1).toDouble(), 1.0);
    EXPECT_EQ(matrix.value(QStringLiteral("labels")).toArray().at(1).toString(), QStringLiteral("b"));
}

TEST_F(ReportWritersTest, CsvHasOneRowPerNumberWithItsRunAndPlace)
{
    const ReportDocument d = sample();
    const QString file = path(QStringLiteral("r.csv"));
    ASSERT_OK(CsvReportWriter::write(d, file));
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QList<QStringList> rows = parseCsv(f.readAll());
    ASSERT_FALSE(rows.isEmpty());
    EXPECT_EQ(rows.first(), QStringLiteral("section,block,type,title,run_id,run,row,column,x,y,value").split(u','));
    for (const QStringList &r : rows)
        EXPECT_EQ(r.size(), 11) << qPrintable(r.join(u'|'));
    // Table: two numbers of baseline, the NaN of the diverged run, none for the text cells.
    const QList<QStringList> body = rows.mid(1);
    const QStringList accuracy{QStringLiteral("metrics"), QStringLiteral("1"), QStringLiteral("table"),
                               QStringLiteral("Final metrics"), QStringLiteral("3"), QStringLiteral("baseline"),
                               QStringLiteral("baseline"), QStringLiteral("test_accuracy"), QString(), QString(),
                               QStringLiteral("0.9333333333333333")};
    EXPECT_TRUE(body.contains(accuracy));
    EXPECT_TRUE(body.contains(QStringList{QStringLiteral("metrics"), QStringLiteral("1"), QStringLiteral("table"),
                                          QStringLiteral("Final metrics"), QStringLiteral("3"), QStringLiteral("baseline"),
                                          QStringLiteral("baseline"), QStringLiteral("train_loss"), QString(), QString(),
                                          QStringLiteral("0.30000000000000004")}));
    EXPECT_TRUE(body.contains(QStringList{QStringLiteral("metrics"), QStringLiteral("1"), QStringLiteral("table"),
                                          QStringLiteral("Final metrics"), QStringLiteral("7"),
                                          QStringLiteral("wide, \"v2\""), QStringLiteral("wide, \"v2\""),
                                          QStringLiteral("train_loss"), QString(), QString(), QStringLiteral("NaN")}));
    int tableRows = 0, chartRows = 0, matrixRows = 0;
    for (const QStringList &r : body) {
        tableRows += r[2] == u"table";
        chartRows += r[2] == u"chart";
        matrixRows += r[2] == u"matrix";
    }
    EXPECT_EQ(tableRows, 3) << "the dash and the run names are text";
    EXPECT_EQ(chartRows, 3);
    EXPECT_EQ(matrixRows, 4);
    EXPECT_TRUE(body.contains(QStringList{QStringLiteral("curves"), QStringLiteral("1"), QStringLiteral("chart"),
                                          QStringLiteral("loss"), QStringLiteral("3"), QStringLiteral("baseline"), QString(),
                                          QStringLiteral("baseline loss"), QStringLiteral("2"), QStringLiteral("Infinity"),
                                          QString()}));
    EXPECT_TRUE(body.contains(QStringList{QStringLiteral("curves"), QStringLiteral("1"), QStringLiteral("chart"),
                                          QStringLiteral("loss"), QStringLiteral("3"), QStringLiteral("baseline"), QString(),
                                          QStringLiteral("baseline loss"), QStringLiteral("1"), QStringLiteral("1e-300"),
                                          QString()}));
    EXPECT_TRUE(body.contains(QStringList{QStringLiteral("confusion"), QStringLiteral("0"), QStringLiteral("matrix"),
                                          QStringLiteral("baseline \u2013 test"), QStringLiteral("3"), QStringLiteral("baseline"),
                                          QStringLiteral("a"), QStringLiteral("b"), QString(), QString(), QStringLiteral("1")}));
    for (const QStringList &r : body)
        if (r[2] != u"chart" && r[10] != u"NaN" && r[10] != u"Infinity" && r[10] != u"-Infinity")
            EXPECT_TRUE(std::isfinite(r[10].toDouble())) << qPrintable(r.join(u'|'));
}

TEST_F(ReportWritersTest, AWriteThatCannotHappenIsAnIoErrorNamingThePathAndLeavesNothing)
{
    const ReportDocument d = sample();
    const QString missing = path(QStringLiteral("no/such/dir/r.json"));
    auto json = JsonReportWriter::write(d, missing);
    ASSERT_FALSE(json.ok());
    EXPECT_EQ(json.kind(), ErrorKind::Io);
    EXPECT_TRUE(json.error().contains(missing)) << qPrintable(json.error());
    auto csv = CsvReportWriter::write(d, missing);
    ASSERT_FALSE(csv.ok());
    EXPECT_EQ(csv.kind(), ErrorKind::Io);
    // A directory where the file should be: refused, the directory left as it was.
    const QString dir = path(QStringLiteral("taken"));
    ASSERT_TRUE(QDir().mkpath(dir));
    EXPECT_FALSE(CsvReportWriter::write(d, dir).ok());
    EXPECT_TRUE(QFileInfo(dir).isDir());
    // An earlier report is replaced whole, never truncated half-way.
    const QString file = path(QStringLiteral("keep.json"));
    ASSERT_OK(JsonReportWriter::write(d, file));
    ASSERT_OK(JsonReportWriter::write(d, file));
    EXPECT_EQ(QDir(m_dir->path()).entryList(QDir::Files), QStringList{QStringLiteral("keep.json")}) << "no temporary file left";
}
