// SPDX-License-Identifier: MIT
#pragma once

// DocumentArea: the central area: the Start page while no project is open, else closable,
// movable document tabs, one per item (opening an item twice focuses its tab). Tab titles follow
// renames; a tab whose item was deleted closes.

#include "common/item_ref.h"
#include "store/project.h"

#include <QHash>
#include <QPointer>
#include <QStackedWidget>

class QLabel;
class QTabWidget;

namespace mlwb {

class ItemKindRegistry;
class StartPage;

class DocumentArea : public QStackedWidget {
    Q_OBJECT
public:
    DocumentArea(const ItemKindRegistry *kinds, QWidget *parent = nullptr);

    void setProject(Project *project);
    // Opens (or focuses) the document of an item; false when its kind has none.
    bool open(const ItemRef &ref);
    // Adds a document that is not one item (a comparison of runs, a report preview).
    int addDocument(QWidget *document, const QIcon &icon, const QString &title);
    void closeAll();

    QTabWidget *tabs() const { return m_tabs; }
    StartPage *startPage() const { return m_start; }
    QWidget *document(const ItemRef &ref) const;
    ItemRef currentRef() const;
    // The active tab's widget; nullptr when none is open.
    QWidget *currentDocument() const;

Q_SIGNALS:
    void currentItemChanged(const mlwb::ItemRef &ref);

private:
    void refreshTitles();
    void closeTab(int index);
    void showTabsOrHint();

    const ItemKindRegistry *m_kinds;
    QPointer<Project> m_project;
    StartPage *m_start;
    QTabWidget *m_tabs;
    QLabel *m_empty;
    QHash<QWidget *, ItemRef> m_refs;
};

} // namespace mlwb
