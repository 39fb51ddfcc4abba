// SPDX-License-Identifier: MIT
// The shared Python requirement: a missing reference module skips a test on a developer's
// machine but fails it under CI or MLWB_REQUIRE_ALL=1, where a skip would hide a broken setup.

#include "test_support.h"

#include <gtest/gtest-spi.h>

#include <iterator>
#include <utility>
#include <vector>

using namespace mlwb::test;

namespace {

// Restores CI and MLWB_REQUIRE_ALL as they were.
class EnvironmentGuard {
public:
    EnvironmentGuard()
    {
        for (const char *name : kNames)
            m_saved.push_back({qEnvironmentVariableIsSet(name), qgetenv(name)});
        for (const char *name : kNames)
            qunsetenv(name);
    }
    ~EnvironmentGuard()
    {
        for (size_t i = 0; i < std::size(kNames); ++i) {
            if (m_saved[i].first)
                qputenv(kNames[i], m_saved[i].second);
            else
                qunsetenv(kNames[i]);
        }
    }

private:
    static constexpr const char *kNames[] = {"CI", "MLWB_REQUIRE_ALL"};
    std::vector<std::pair<bool, QByteArray>> m_saved;
};

void requireAModuleNobodyHas()
{
    MLWB_REQUIRE_PYTHON("mlwb_no_such_module");
}

} // namespace

TEST(PythonRequirement, CiOrMlwbRequireAllMakesDependenciesRequired)
{
    EnvironmentGuard guard;
    EXPECT_FALSE(requireAllDependencies());
    for (const char *ci : {"true", "1", "yes", "TRUE"}) {
        qputenv("CI", ci);
        EXPECT_TRUE(requireAllDependencies()) << "CI=" << ci;
    }
    for (const char *ci : {"", "0", "false", "False"}) {
        qputenv("CI", ci);
        EXPECT_FALSE(requireAllDependencies()) << "CI=" << ci;
    }
    qunsetenv("CI");
    qputenv("MLWB_REQUIRE_ALL", "1");
    EXPECT_TRUE(requireAllDependencies());
    qputenv("MLWB_REQUIRE_ALL", "0");
    EXPECT_FALSE(requireAllDependencies());
}

TEST(PythonRequirement, MissingModuleIsNamedWithItsPackage)
{
    const QString why = missingPythonModules({"mlwb_no_such_module"});
    EXPECT_TRUE(why.contains(QStringLiteral("/usr/bin/python3 cannot import mlwb_no_such_module")))
        << why.toStdString();
    EXPECT_TRUE(missingPythonModules({"json", "csv"}).isEmpty())
        << "standard modules import (is /usr/bin/python3 there?)";
}

TEST(PythonRequirement, MissingModuleFailsWhenRequired)
{
    EnvironmentGuard guard;
    qputenv("MLWB_REQUIRE_ALL", "1");
    EXPECT_FATAL_FAILURE(requireAModuleNobodyHas(), "a failure, not a skip");
    qunsetenv("MLWB_REQUIRE_ALL");
    qputenv("CI", "true");
    EXPECT_FATAL_FAILURE(requireAModuleNobodyHas(), "cannot import mlwb_no_such_module");
}
