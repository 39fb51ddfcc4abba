// SPDX-License-Identifier: MIT
#pragma once

// Shared fixture of the widget tests: a sample project file in a temporary directory and a
// MainWindow that is destroyed (with its project) after each test.

#include "mainwindow/features.h"
#include "mainwindow/main_window.h"
#include "models/project_tree_model.h"
#include "sample_content.h"
#include "store/project.h"
#include "store/project_file.h"
#include "test_support.h"

#include <QSettings>
#include <QTest>

#include <memory>

// Waits (processing events) until a condition holds, then checks it with gtest. QtTest's
// QTRY_* macros report to QTestLib, which a gtest run would not notice.
#define MLWB_TRY_VERIFY(expr)                                                                      \
    do {                                                                                           \
        (void)QTest::qWaitFor([&] { return bool(expr); }, 5000);                                   \
        ASSERT_TRUE(expr);                                                                         \
    } while (false)
#define MLWB_TRY_EQ(actual, expected)                                                              \
    do {                                                                                           \
        (void)QTest::qWaitFor([&] { return (actual) == (expected); }, 5000);                       \
        ASSERT_EQ(actual, expected);                                                               \
    } while (false)

namespace mlwb::test {

// MLWB_UI_SCREENSHOT_DIR=dir: the UI tests save their windows there as PNG (for the README and
// for looking at a pane). Empty: no screenshots.
inline QString screenshotDir() { return qEnvironmentVariable("MLWB_UI_SCREENSHOT_DIR"); }
// Saves the window as dir/name after letting it settle; nothing when screenshots are off.
inline void saveScreenshot(QWidget &window, const QString &name, int settleMs = 300)
{
    const QString dir = screenshotDir();
    if (dir.isEmpty())
        return;
    QTest::qWait(settleMs);
    const QString file = dir + QLatin1Char('/') + name;
    EXPECT_TRUE(window.grab().save(file)) << "cannot write " << file.toStdString();
}

class UiTest : public TempDirTest {
protected:
    void SetUp() override
    {
        TempDirTest::SetUp();
        QSettings().clear();
        m_path = path(QStringLiteral("sample.mlwb"));
        auto file = ProjectFile::create(m_path);
        ASSERT_TRUE(file.ok()) << qPrintable(file.error());
        auto ids = SampleContent::fill(**file, datasetPath(QString()), 200);
        ASSERT_TRUE(ids.ok()) << qPrintable(ids.error());
        m_ids = *ids;
    }
    void TearDown() override
    {
        m_window.reset();
        qunsetenv("MLWB_ASSUME_NETWORK_FS");
    }

    MainWindow &openWindow()
    {
        m_window = std::make_unique<MainWindow>();
        Features::install(*m_window);
        m_window->show();
        EXPECT_TRUE(m_window->openProject(m_path)) << qPrintable(m_window->messageBar()->text());
        return *m_window;
    }
    ProjectTreeModel &tree() { return *m_window->projectTree(); }
    QModelIndex indexOf(ItemKind kind, qint64 id) { return tree().indexOf({kind, id}); }
    QString nameOf(ItemKind kind, qint64 id)
    {
        return tree().data(indexOf(kind, id), Qt::DisplayRole).toString();
    }

    QString m_path;
    SampleIds m_ids;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace mlwb::test
