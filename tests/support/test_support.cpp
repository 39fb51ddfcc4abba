// SPDX-License-Identifier: MIT
#include "test_support.h"

#include <QDir>
#include <QHash>
#include <QProcess>
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

namespace {

const QString kSystemPython = QStringLiteral("/usr/bin/python3");

PythonRun runSystemPython(const QStringList &arguments, int timeoutMs)
{
    QProcess p;
    p.start(kSystemPython, arguments);
    PythonRun r;
    if (!p.waitForStarted(10000)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out after " + QByteArray::number(timeoutMs) + " ms\n" + p.readAllStandardError();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// The Debian package that provides a module, for the message.
QString packageOf(const QString &module)
{
    const QString top = module.section(QLatin1Char('.'), 0, 0);
    if (top == u"sklearn")
        return QStringLiteral("python3-sklearn");
    return QStringLiteral("python3-") + top;
}

} // namespace

PythonRun runPython(const QString &code, const QStringList &args, int timeoutMs)
{
    return runSystemPython(QStringList{QStringLiteral("-c"), code} + args, timeoutMs);
}

PythonRun runPythonFile(const QString &script, const QStringList &args, int timeoutMs)
{
    return runSystemPython(QStringList{script} + args, timeoutMs);
}

QString pythonScriptPath(const QString &name)
{
    return QDir(QStringLiteral(MLWB_SOURCE_DIR)).filePath(QStringLiteral("tests/support/python/") + name);
}

QString missingPythonModules(std::initializer_list<const char *> names)
{
    static QHash<QString, bool> importable; // tests run on one thread
    QStringList missing;
    for (const char *name : names) {
        const QString module = QString::fromLatin1(name);
        auto it = importable.find(module);
        if (it == importable.end())
            it = importable.insert(module, runPython(QStringLiteral("import ") + module).ok());
        if (!*it)
            missing << QStringLiteral("%1 (%2)").arg(module, packageOf(module));
    }
    if (missing.isEmpty())
        return {};
    return QStringLiteral("%1 cannot import %2; ./dev.sh installs it")
        .arg(kSystemPython, missing.join(QStringLiteral(", ")));
}

bool requireAllDependencies()
{
    const QByteArray ci = qgetenv("CI").trimmed().toLower();
    const bool onCi = !ci.isEmpty() && ci != "0" && ci != "false";
    return onCi || qgetenv("MLWB_REQUIRE_ALL").trimmed() == "1";
}

void TempDirTest::SetUp()
{
    QStandardPaths::setTestModeEnabled(true);
    m_dir = std::make_unique<QTemporaryDir>();
    ASSERT_TRUE(m_dir->isValid());
}

} // namespace mlwb::test
