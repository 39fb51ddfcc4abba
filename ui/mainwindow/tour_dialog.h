// SPDX-License-Identifier: MIT
#pragma once

// TourDialog (Help > Tour): the panes of the workbench one by one, each with a screenshot and
// what it is for, as the README's tour has them: where to start for a new user.

#include <QDialog>

class QLabel;
class QListWidget;
class QPushButton;

namespace mlwb {

class TourDialog : public QDialog {
    Q_OBJECT
public:
    explicit TourDialog(QWidget *parent = nullptr);

    QListWidget *stops() const { return m_stops; }
    QLabel *description() const { return m_text; }
    QLabel *picture() const { return m_picture; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void showStop(int row);

    QListWidget *m_stops;
    QLabel *m_picture;
    QLabel *m_text;
    QPushButton *m_back;
    QPushButton *m_next;
};

} // namespace mlwb
