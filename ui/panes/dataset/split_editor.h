// SPDX-License-Identifier: MIT
#pragma once

// SplitEditor: a data set's train / validation / test split: the fractions, seed and whether it
// is stratified, the rows of each part (and of each class per part for classification), and
// fields to change them. While they are edited, the part sizes the new split would give are
// shown; Apply asks for it through splitRequested() (the data set tab turns it into an undoable
// command) and a message names the stored sizes. A warning says how many runs trained on the
// current split.

#include "data/dataset_split.h"
#include "store/evaluation_repository.h"

#include <QStringList>
#include <QWidget>

#include <array>
#include <optional>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace mlwb {

class DataTable;
class MessageBar;

class SplitEditor : public QWidget {
    Q_OBJECT
public:
    explicit SplitEditor(QWidget *parent = nullptr);

    // The stored split; table and target (or nullptr / -1 while the rows load) give the per-class
    // counts and the exact sizes of an edited split. runsOnSplit: runs trained on this split,
    // for the warning.
    void setSplit(const std::optional<SplitRecord> &split, const DataTable *table, int target,
                  const QStringList &classNames, int runsOnSplit);

    // The split the fields describe (valid or not).
    SplitSpec editedSpec() const;
    void setEditedSpec(const SplitSpec &spec);

    QTableWidget *countsTable() const { return m_counts; }
    QPushButton *applyButton() const { return m_apply; }
    QLabel *warningLabel() const { return m_warning; }
    // "After Apply: ..." while the fields differ from the stored split.
    QLabel *previewLabel() const { return m_preview; }
    MessageBar *messageBar() const { return m_message; }

Q_SIGNALS:
    void splitRequested(const SplitSpec &spec);

private:
    void updateState();
    // Rows per part the spec would give: exact with the rows loaded, else from the fractions.
    std::array<qint64, 3> partSizes(const SplitSpec &spec, bool *exact) const;

    QDoubleSpinBox *m_train;
    QDoubleSpinBox *m_validation;
    QLabel *m_test;
    QSpinBox *m_seed;
    QLabel *m_stratified;
    QLabel *m_problem;
    QLabel *m_warning;
    QLabel *m_preview;
    MessageBar *m_message;
    QPushButton *m_apply;
    QPushButton *m_revert;
    QTableWidget *m_counts;
    std::optional<SplitSpec> m_stored;
    std::optional<SplitSpec> m_requested; // applied, not yet seen stored
    const DataTable *m_table = nullptr;  // owned by the data set tab, valid until the next setSplit
    int m_target = -1;
    bool m_classification = false;
    qint64 m_rows = 0;
};

} // namespace mlwb
