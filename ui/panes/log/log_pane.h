// SPDX-License-Identifier: MIT
#pragma once

// LogPane: the Log dock's content: the LogSink's messages with a text filter and a minimum
// level, scrolled to the newest unless the user scrolled up.

#include <QWidget>

class QComboBox;
class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;

namespace mlwb {

class LogModel;

class LogPane : public QWidget {
    Q_OBJECT
public:
    explicit LogPane(LogModel *model, QWidget *parent = nullptr);

    QLineEdit *filterEdit() const { return m_filter; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTreeView *view() const { return m_view; }

private:
    LogModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QComboBox *m_level;
    QTreeView *m_view;
};

} // namespace mlwb
