// SPDX-License-Identifier: MIT
#pragma once

// ExportReportDialog: Export Report… from the Compare tab, a run's tab, a sweep or the Reports
// branch. The user picks the runs' sections, the format (PDF, HTML, Markdown, CSV, JSON), the
// paper, the title and author and where the file goes, and may keep the choice in the project
// as a named report definition (Reports in the explorer) to render again later.

#include "store/report_repository.h"

#include <QDialog>

#include <utility>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace mlwb {

class ExportReportDialog : public QDialog {
    Q_OBJECT
public:
    struct Section {
        QString id;
        QString title;
    };

    // `runs`: (id, shown name) of the runs the report covers; `sections`: every section the
    // report can have, in order; `initial`: a stored definition to edit or the defaults.
    ExportReportDialog(const QList<std::pair<qint64, QString>> &runs, const QList<Section> &sections, const ReportRecord &initial,
                       QWidget *parent = nullptr);

    // The definition as chosen (name empty unless it is to be kept).
    ReportRecord definition() const;
    QString outputPath() const;
    bool keepInProject() const;

    // For tests.
    QListWidget *sectionList() const { return m_sections; }
    QComboBox *formatBox() const { return m_format; }
    QLineEdit *pathEdit() const { return m_path; }
    QLineEdit *nameEdit() const { return m_name; }
    QCheckBox *keepBox() const { return m_keep; }
    QDialogButtonBox *buttons() const { return m_buttons; }

    // The file name extension of a format: pdf, html, md, csv, json.
    static QString extension(const QString &format);

private:
    void formatChanged();
    void validate();
    void browse();

    QList<qint64> m_runIds;
    ReportRecord m_initial;
    QLineEdit *m_title;
    QLineEdit *m_author;
    QComboBox *m_format;
    QComboBox *m_paper;
    QListWidget *m_sections;
    QLineEdit *m_path;
    QCheckBox *m_keep;
    QLineEdit *m_name;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace mlwb
