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

class QAction;
class QTabWidget;

namespace mlwb {

class EmptyState;
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
    // What the centre offers while no tab is open (not owned): the next steps of a project.
    void setEmptyActions(const QList<QAction *> &actions);
    // An empty project (no data set, no model) gets a hint to begin with an import.
    void setProjectEmpty(bool empty);
    EmptyState *emptyHint() const { return m_empty; }

    QTabWidget *tabs() const { return m_tabs; }
    StartPage *startPage() const { return m_start; }
    QWidget *document(const ItemRef &ref) const;
    ItemRef currentRef() const;
    // The active tab's widget; nullptr when none is open.
    QWidget *currentDocument() const;

    // Small and fixed, whatever the documents ask for: a QStackedWidget's minimum is its widest
    // page's, so a tab or page that needs more than the centre has (a run's evaluation, a wide
    // chart grid) would push the docks aside each time it appears. A document gets the room
    // the docks leave it and scrolls or clips within it.
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void currentItemChanged(const mlwb::ItemRef &ref);

private:
    void refreshTitles();
    void closeTab(int index);
    void showTabsOrHint();
    void updateHintText();

    const ItemKindRegistry *m_kinds;
    QPointer<Project> m_project;
    StartPage *m_start;
    QTabWidget *m_tabs;
    EmptyState *m_empty;
    bool m_projectEmpty = false;
    QHash<QWidget *, ItemRef> m_refs;
};

} // namespace mlwb
