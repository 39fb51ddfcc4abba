// SPDX-License-Identifier: MIT
#include "test_support.h"

#include <QDir>
#include <QStandardPaths>

namespace mlwb::test {

QString datasetPath(const QString &fileName)
{
    return QDir(QStringLiteral(MLWB_DATASETS_DIR)).filePath(fileName);
}

QString testDataPath(const QString &relative)
{
    return QDir(QStringLiteral(MLWB_TEST_DATA_DIR)).filePath(relative);
}

QString executablePath(const QString &name)
{
    return QDir(QStringLiteral(MLWB_BINARY_DIR)).filePath(QStringLiteral("bin/") + name);
}

void TempDirTest::SetUp()
{
    QStandardPaths::setTestModeEnabled(true);
    m_dir = std::make_unique<QTemporaryDir>();
    ASSERT_TRUE(m_dir->isValid());
}

} // namespace mlwb::test
