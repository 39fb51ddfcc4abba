// SPDX-License-Identifier: MIT
// ModelSpecDiff: layers added, removed and changed between two specs, Residual bodies included.

#include "model/model_spec.h"
#include "model/model_spec_diff.h"

#include <gtest/gtest.h>

using namespace mlwb;

namespace {

ModelSpec parse(const char *json)
{
    auto spec = ModelSpec::fromJson(QByteArray(json));
    EXPECT_TRUE(spec.ok()) << (spec.ok() ? std::string() : spec.error().toStdString());
    return spec.ok() ? *spec : ModelSpec{};
}

TEST(ModelSpecDiffTest, AlignsLayersAndNamesChangedSettings)
{
    const ModelSpec from = parse(R"({"input":[8],"layers":[{"type":"Linear","out":32},{"type":"ReLU"},
        {"type":"Dropout","p":0.1},{"type":"Residual","layers":[{"type":"Linear","out":32},{"type":"ReLU"}]},
        {"type":"Linear","out":3}]})");
    const ModelSpec to = parse(R"({"input":[8],"layers":[{"type":"Linear","out":32},{"type":"GELU"},
        {"type":"Residual","layers":[{"type":"Linear","out":32},{"type":"ReLU"},{"type":"Dropout","p":0.2}]},
        {"type":"Linear","out":4}]})");
    const std::vector<LayerChange> changes = ModelSpecDiff::compare(from, to);
    QStringList lines;
    for (const LayerChange &c : changes) {
        const char *kind[] = {"same", "added", "removed", "changed"};
        lines << QStringLiteral("%1 %2|%3 %4 %5")
                     .arg(QLatin1String(kind[int(c.kind)]), c.fromPath, c.toPath, c.type,
                          c.settings.join(u';'));
    }
    const QStringList expected{
        QStringLiteral("same 0|0 Linear "),
        QStringLiteral("added |1 GELU "),
        QStringLiteral("removed 1| ReLU "),
        QStringLiteral("removed 2| Dropout "),
        QStringLiteral("same 3|2 Residual "),
        QStringLiteral("same 3.0|2.0 Linear "),
        QStringLiteral("same 3.1|2.1 ReLU "),
        QStringLiteral("added |2.2 Dropout "),
        QStringLiteral("changed 4|3 Linear out: 3 \u2192 4"),
    };
    EXPECT_EQ(lines, expected) << qPrintable(lines.join(u'\n'));
}

TEST(ModelSpecDiffTest, IdenticalSpecsHaveOnlySameRows)
{
    const ModelSpec spec = parse(R"({"input":[4],"layers":[{"type":"Linear","out":3}]})");
    const auto changes = ModelSpecDiff::compare(spec, spec);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].kind, LayerChange::Kind::Same);
    EXPECT_EQ(changes[0].fromLabel, changes[0].toLabel);
}

} // namespace
