// SPDX-License-Identifier: MIT
#pragma once

// SplitEditor: a data set's train / validation / test split: the fractions, seed and whether it
// is stratified, the rows of each part (and of each class per part for classification), and
// fields to change them. Apply asks for the new split through splitRequested(); the data set tab
// turns it into an undoable command. A warning says how many runs trained on the current split.

#include "data/dataset_split.h"
#include "store/evaluation_repository.h"

#include <QStringList>
#include <QWidget>

#include <optional>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace mlwb {

class DataTable;

class SplitEditor : public QWidget {
    Q_OBJECT
public:
    explicit SplitEditor(QWidget *parent = nullptr);

    // The stored split; table and target (or nullptr / -1 while the rows load) give the per-class
    // counts. runsOnSplit: runs trained on this data set, for the warning.
    void setSplit(const std::optional<SplitRecord> &split, const DataTable *table, int target,
                  const QStringList &classNames, int runsOnSplit);

    // The split the fields describe (valid or not).
    SplitSpec editedSpec() const;
    void setEditedSpec(const SplitSpec &spec);

    QTableWidget *countsTable() const { return m_counts; }
    QPushButton *applyButton() const { return m_apply; }
    QLabel *warningLabel() const { return m_warning; }

Q_SIGNALS:
    void splitRequested(const SplitSpec &spec);

private:
    void updateState();

    QDoubleSpinBox *m_train;
    QDoubleSpinBox *m_validation;
    QLabel *m_test;
    QSpinBox *m_seed;
    QLabel *m_stratified;
    QLabel *m_problem;
    QLabel *m_warning;
    QPushButton *m_apply;
    QPushButton *m_revert;
    QTableWidget *m_counts;
    std::optional<SplitSpec> m_stored;
};

} // namespace mlwb
