// SPDX-License-Identifier: MIT
#include "mainwindow/document_area.h"

#include "models/item_kind_registry.h"
#include "panes/start/start_page.h"
#include "store/project.h"
#include "widgets/empty_state.h"

#include <QTabBar>
#include <QTabWidget>

namespace mlwb {

DocumentArea::DocumentArea(const ItemKindRegistry *kinds, QWidget *parent)
    : QStackedWidget(parent)
    , m_kinds(kinds)
    , m_start(new StartPage(this))
    , m_tabs(new QTabWidget(this))
    , m_empty(new EmptyState(this))
{
    setObjectName(QStringLiteral("DocumentArea"));
    m_tabs->setObjectName(QStringLiteral("DocumentTabs"));
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    m_tabs->tabBar()->setExpanding(false);
    m_empty->setObjectName(QStringLiteral("DocumentHint"));
    updateHintText();
    addWidget(m_start);
    addWidget(m_tabs);
    addWidget(m_empty);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &DocumentArea::closeTab);
    connect(m_tabs, &QTabWidget::currentChanged, this,
            [this] { Q_EMIT currentItemChanged(currentRef()); });
    setCurrentWidget(m_start);
}

void DocumentArea::setProject(Project *project)
{
    closeAll();
    if (m_project)
        disconnect(m_project, nullptr, this, nullptr);
    m_project = project;
    if (project) {
        // Tab titles are item names: a change that concerns an open item renames its tab.
        connect(project, &Project::changed, this,
                [this](const QString &aggregate, const QList<qint64> &ids) {
                    for (const ItemRef &ref : std::as_const(m_refs)) {
                        if (m_kinds->concerns(ref, aggregate, ids)) {
                            refreshTitles();
                            return;
                        }
                    }
                });
        showTabsOrHint();
    } else {
        m_start->refresh();
        setCurrentWidget(m_start);
    }
}

bool DocumentArea::open(const ItemRef &ref)
{
    if (!m_project)
        return false;
    if (QWidget *existing = document(ref)) {
        m_tabs->setCurrentWidget(existing);
        return true;
    }
    const auto *kind = m_kinds->kind(ref.kind);
    if (!kind || !kind->document)
        return false;
    auto described = kind->describe(*m_project, ref.id);
    if (!described)
        return false;
    QWidget *doc = kind->document(*m_project, ref, m_tabs);
    if (!doc)
        return false;
    m_refs.insert(doc, ref);
    const int index = m_tabs->addTab(doc, described->icon.isNull() ? kind->icon : described->icon,
                                     described->name);
    m_tabs->setTabToolTip(index, QStringLiteral("%1: %2").arg(kind->typeName, described->name));
    m_tabs->setCurrentIndex(index);
    showTabsOrHint();
    return true;
}

int DocumentArea::addDocument(QWidget *document, const QIcon &icon, const QString &title)
{
    const int index = m_tabs->addTab(document, icon, title);
    m_tabs->setCurrentIndex(index);
    showTabsOrHint();
    return index;
}

void DocumentArea::closeAll()
{
    while (m_tabs->count() > 0)
        closeTab(m_tabs->count() - 1);
}

void DocumentArea::setEmptyActions(const QList<QAction *> &actions)
{
    m_empty->setActions(actions);
}

void DocumentArea::setProjectEmpty(bool empty)
{
    m_projectEmpty = empty;
    updateHintText();
}

void DocumentArea::updateHintText()
{
    m_empty->setText(m_projectEmpty
                         ? tr("This project is empty. Import a CSV file as a data set to begin.")
                         : tr("Double-click a data set, model or run in the Project Explorer to "
                              "open it here."));
}

QWidget *DocumentArea::document(const ItemRef &ref) const
{
    for (auto it = m_refs.cbegin(); it != m_refs.cend(); ++it)
        if (it.value() == ref)
            return it.key();
    return nullptr;
}

QSize DocumentArea::minimumSizeHint() const
{
    return QSize(240, 160);
}

QWidget *DocumentArea::currentDocument() const { return m_tabs->currentWidget(); }

ItemRef DocumentArea::currentRef() const
{
    return m_refs.value(m_tabs->currentWidget());
}

void DocumentArea::closeTab(int index)
{
    QWidget *w = m_tabs->widget(index);
    if (!w)
        return;
    m_tabs->removeTab(index);
    m_refs.remove(w);
    w->deleteLater();
    showTabsOrHint();
}

void DocumentArea::showTabsOrHint()
{
    if (!m_project)
        return;
    setCurrentWidget(m_tabs->count() > 0 ? static_cast<QWidget *>(m_tabs) : m_empty);
}

void DocumentArea::refreshTitles()
{
    if (!m_project)
        return;
    for (int i = m_tabs->count() - 1; i >= 0; --i) {
        QWidget *w = m_tabs->widget(i);
        auto it = m_refs.constFind(w);
        if (it == m_refs.cend())
            continue;
        auto described = m_kinds->describe(*m_project, *it);
        if (!described) {
            closeTab(i);
            continue;
        }
        m_tabs->setTabText(i, described->name);
        if (!described->icon.isNull())
            m_tabs->setTabIcon(i, described->icon);
    }
}

} // namespace mlwb
