// SPDX-License-Identifier: MIT
#include "panes/dataset/split_editor.h"

#include "data/data_table.h"
#include "widgets/message_bar.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace mlwb {

namespace {

QDoubleSpinBox *percentBox(QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(0, 100);
    box->setDecimals(1);
    box->setSingleStep(5);
    box->setSuffix(QStringLiteral(" %"));
    return box;
}

QString percentText(double fraction)
{
    return QStringLiteral("%1 %").arg(fraction * 100.0, 0, 'f', 1);
}

QTableWidgetItem *numberItem(qint64 value, qint64 total)
{
    auto *item = new QTableWidgetItem(
        total > 0 ? QStringLiteral("%1 (%2)").arg(value).arg(percentText(double(value) / double(total)))
                  : QString::number(value));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

bool sameSpec(const SplitSpec &a, const SplitSpec &b)
{
    return std::abs(a.trainFraction - b.trainFraction) < 1e-9
        && std::abs(a.validationFraction - b.validationFraction) < 1e-9 && a.seed == b.seed;
}

QString sizesText(const std::array<qint64, 3> &n)
{
    return SplitEditor::tr("train %1, validation %2, test %3 rows")
        .arg(n[0]).arg(n[1]).arg(n[2]);
}

} // namespace

SplitEditor::SplitEditor(QWidget *parent)
    : QWidget(parent)
    , m_train(percentBox(this))
    , m_validation(percentBox(this))
    , m_test(new QLabel(this))
    , m_seed(new QSpinBox(this))
    , m_stratified(new QLabel(this))
    , m_problem(new QLabel(this))
    , m_warning(new QLabel(this))
    , m_preview(new QLabel(this))
    , m_message(new MessageBar(this))
    , m_apply(new QPushButton(tr("Apply"), this))
    , m_revert(new QPushButton(tr("Revert"), this))
    , m_counts(new QTableWidget(this))
{
    setObjectName(QStringLiteral("SplitEditor"));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_train->setObjectName(QStringLiteral("trainFraction"));
    m_validation->setObjectName(QStringLiteral("validationFraction"));
    m_seed->setObjectName(QStringLiteral("splitSeed"));
    m_train->setToolTip(tr("Share of the rows the model trains on"));
    m_validation->setToolTip(tr("Share of the rows for early stopping and model selection"));
    m_test->setToolTip(tr("The rest: rows kept aside for the final evaluation"));
    m_seed->setToolTip(tr("The same fractions and seed always give the same split"));

    auto *form = new QFormLayout;
    form->addRow(tr("Train:"), m_train);
    form->addRow(tr("Validation:"), m_validation);
    form->addRow(tr("Test:"), m_test);
    form->addRow(tr("Seed:"), m_seed);
    form->addRow(tr("Stratified:"), m_stratified);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_apply);
    buttons->addWidget(m_revert);
    buttons->addStretch(1);
    m_apply->setToolTip(tr("Store the new split (Edit > Undo brings the old one back)"));

    m_problem->setStyleSheet(QStringLiteral("color: palette(link)"));
    m_problem->setWordWrap(true);
    m_problem->hide();
    m_warning->setWordWrap(true);
    m_warning->hide();
    m_preview->setObjectName(QStringLiteral("splitPreview"));
    m_preview->setWordWrap(true);
    m_preview->hide();
    m_message->clear();

    auto *left = new QVBoxLayout;
    left->addLayout(form);
    left->addWidget(m_preview);
    left->addLayout(buttons);
    left->addWidget(m_problem);
    left->addWidget(m_warning);
    left->addStretch(1);

    m_counts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_counts->setSelectionMode(QAbstractItemView::NoSelection);
    m_counts->setAlternatingRowColors(true);
    m_counts->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);

    auto *outer = new QVBoxLayout(this);
    outer->addWidget(m_message);
    auto *layout = new QHBoxLayout;
    outer->addLayout(layout, 1);
    layout->addLayout(left);
    layout->addWidget(m_counts, 1);

    for (QDoubleSpinBox *box : {m_train, m_validation}) {
        connect(box, &QDoubleSpinBox::valueChanged, this, [this] { updateState(); });
    }
    connect(m_seed, &QSpinBox::valueChanged, this, [this] { updateState(); });
    connect(m_apply, &QPushButton::clicked, this, [this] {
        if (!editedSpec().validate())
            return;
        m_requested = editedSpec();
        Q_EMIT splitRequested(editedSpec());
    });
    connect(m_revert, &QPushButton::clicked, this, [this] {
        if (m_stored)
            setEditedSpec(*m_stored);
    });
    updateState();
}

void SplitEditor::setSplit(const std::optional<SplitRecord> &split, const DataTable *table,
                           int target, const QStringList &classNames, int runsOnSplit)
{
    const std::optional<SplitSpec> previous = m_stored;
    m_stored.reset();
    m_table = table && split && table->rowCount() == qint64(split->assignment.size()) ? table
                                                                                      : nullptr;
    m_target = target;
    m_classification = !classNames.isEmpty();
    m_rows = split ? qint64(split->assignment.size()) : (table ? table->rowCount() : 0);
    if (split) {
        SplitSpec spec;
        spec.trainFraction = split->train;
        spec.validationFraction = split->validation;
        spec.seed = split->seed;
        m_stored = spec;
        // Edits in progress stay when something else changed (a run finished, a rename).
        if (!previous || !sameSpec(*previous, spec))
            setEditedSpec(spec);
        else
            updateState();
        m_stratified->setText(split->stratified ? tr("yes, per class") : tr("no (regression)"));
    } else {
        m_stratified->setText(tr("no split stored yet: choose fractions and Apply"));
    }
    if (split && m_requested && m_stored && sameSpec(*m_requested, *m_stored)) {
        m_requested.reset();
        m_message->showMessage(tr("New split stored: %1. Edit > Undo brings the old one back.")
                                   .arg(sizesText(DatasetSplit::counts(split->assignment))),
                               MessageBar::Type::Positive);
    }
    if (runsOnSplit > 0) {
        m_warning->setText(tr("%n runs were trained on the current split. Their stored scores stay, "
                              "but evaluating them again on a new test part would include rows "
                              "they trained on.",
                              nullptr, runsOnSplit));
        m_warning->show();
    } else {
        m_warning->hide();
    }

    // Rows per part, and per class for classification.
    const QStringList parts = {tr("Train"), tr("Validation"), tr("Test"), tr("All")};
    const bool perClass = table && target >= 0 && !classNames.isEmpty();
    QStringList headers = {tr("Rows")};
    if (perClass)
        headers << classNames;
    m_counts->clear();
    m_counts->setColumnCount(int(headers.size()));
    m_counts->setHorizontalHeaderLabels(headers);
    m_counts->setRowCount(split ? int(parts.size()) : 0);
    m_counts->setVerticalHeaderLabels(parts);
    if (!split)
        return;
    const auto &assignment = split->assignment;
    const qint64 total = qint64(assignment.size());
    std::vector<std::array<qint64, 4>> classCounts(size_t(classNames.size()), {0, 0, 0, 0});
    std::array<qint64, 4> partCounts{0, 0, 0, total};
    for (size_t row = 0; row < assignment.size(); ++row) {
        const int part = std::min<int>(assignment[row], 2);
        ++partCounts[size_t(part)];
        if (perClass && qint64(row) < table->rowCount()) {
            const double v = table->value(qint64(row), target);
            if (std::isfinite(v) && v >= 0 && v < classNames.size()) {
                ++classCounts[size_t(v)][size_t(part)];
                ++classCounts[size_t(v)][3];
            }
        }
    }
    for (int p = 0; p < 4; ++p) {
        m_counts->setItem(p, 0, numberItem(partCounts[size_t(p)], p < 3 ? total : 0));
        for (int c = 0; perClass && c < classNames.size(); ++c) {
            // Share of the class in this part: equal across parts when stratified.
            m_counts->setItem(p, c + 1, numberItem(classCounts[size_t(c)][size_t(p)], partCounts[size_t(p)]));
        }
    }
    m_counts->resizeColumnsToContents();
    m_counts->horizontalHeader()->setStretchLastSection(true);
}

SplitSpec SplitEditor::editedSpec() const
{
    SplitSpec spec;
    spec.trainFraction = m_train->value() / 100.0;
    spec.validationFraction = m_validation->value() / 100.0;
    spec.seed = quint64(m_seed->value());
    return spec;
}

void SplitEditor::setEditedSpec(const SplitSpec &spec)
{
    const QSignalBlocker b1(m_train), b2(m_validation), b3(m_seed);
    m_train->setValue(spec.trainFraction * 100.0);
    m_validation->setValue(spec.validationFraction * 100.0);
    m_seed->setValue(int(std::min<quint64>(spec.seed, quint64(std::numeric_limits<int>::max()))));
    updateState();
}

void SplitEditor::updateState()
{
    const SplitSpec spec = editedSpec();
    const Status valid = spec.validate();
    const double test = 1.0 - spec.trainFraction - spec.validationFraction;
    m_test->setText(valid ? percentText(std::max(0.0, test)) : QStringLiteral("\u2013"));
    if (!valid) {
        m_problem->setText(valid.error());
        m_problem->show();
    } else if (spec.trainFraction <= 0) {
        m_problem->setText(tr("The train part needs some rows."));
        m_problem->show();
    } else {
        m_problem->hide();
    }
    const bool changed = !m_stored || std::abs(m_stored->trainFraction - spec.trainFraction) > 1e-9
        || std::abs(m_stored->validationFraction - spec.validationFraction) > 1e-9
        || m_stored->seed != spec.seed;
    m_apply->setEnabled(valid && spec.trainFraction > 0 && changed);
    if (valid && changed && m_rows > 0) {
        bool exact = false;
        const auto sizes = partSizes(spec, &exact);
        m_preview->setText(exact ? tr("After Apply: %1.").arg(sizesText(sizes))
                                 : tr("After Apply, about: %1.").arg(sizesText(sizes)));
        m_preview->show();
    } else {
        m_preview->hide();
    }
    m_revert->setEnabled(m_stored && changed);
}

} // namespace mlwb

namespace mlwb {

std::array<qint64, 3> SplitEditor::partSizes(const SplitSpec &spec, bool *exact) const
{
    if (m_table) {
        *exact = true;
        return DatasetSplit::counts(DatasetSplit::make(
            *m_table, m_target, m_classification ? TaskKind::Classification : TaskKind::Regression,
            spec));
    }
    // The overall sizes are round(n * fraction) (per class they differ by less than a row).
    *exact = false;
    const qint64 train = std::llround(double(m_rows) * spec.trainFraction);
    const qint64 validation = std::min(m_rows - train,
                                       qint64(std::llround(double(m_rows) * spec.validationFraction)));
    return {train, validation, m_rows - train - validation};
}

} // namespace mlwb
