// SPDX-License-Identifier: MIT
#include "jobs/job.h"
#include "jobs/job_feedback.h"
#include "jobs/job_manager.h"

#include "test_support.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonObject>
#include <QThread>

#include <atomic>
#include <optional>

using namespace mlwb;

namespace {

// Counts to `steps`, reporting progress; fails at `failAt` if set.
class CountingJob : public Job {
public:
    CountingJob(int steps, int failAt = -1) : m_steps(steps), m_failAt(failAt) {}
    QString title() const override { return QStringLiteral("count"); }
    Status run(JobFeedback &feedback) override
    {
        workerThread = QThread::currentThread();
        for (int i = 0; i < m_steps; ++i) {
            if (feedback.isCanceled())
                return cancelled(QStringLiteral("stopped at step %1").arg(i));
            if (i == m_failAt)
                return fail(QStringLiteral("step %1 went wrong").arg(i));
            QThread::msleep(2);
            feedback.setProgress(double(i + 1) / m_steps, QStringLiteral("step %1").arg(i + 1));
        }
        return {};
    }
    static inline QThread *workerThread = nullptr;

private:
    int m_steps;
    int m_failAt;
};

} // namespace

TEST(JobManager, RunsOffTheCallingThreadAndReportsProgress)
{
    JobManager manager;
    int changes = 0;
    QObject::connect(&manager, &JobManager::jobChanged, &manager, [&] { ++changes; });
    bool done = false;
    QThread *doneThread = nullptr;
    const int id = manager.submit(std::make_unique<CountingJob>(100), [&](const Status &s) {
        done = s.ok();
        doneThread = QThread::currentThread();
    });
    ASSERT_TRUE(manager.waitForAll(30000));
    EXPECT_TRUE(done);
    EXPECT_EQ(doneThread, QThread::currentThread()) << "results arrive on the owner's thread";
    EXPECT_NE(CountingJob::workerThread, QThread::currentThread());
    EXPECT_GT(changes, 1);
    const JobState s = manager.job(id);
    EXPECT_EQ(s.status, JobState::Status::Finished);
    EXPECT_DOUBLE_EQ(s.progress, 1.0);
    EXPECT_EQ(s.message, QStringLiteral("step 100"));
}

TEST(JobManager, CancelStopsTheJob)
{
    JobManager manager;
    const int id = manager.submit(std::make_unique<CountingJob>(100000));
    QThread::msleep(30);
    manager.cancel(id);
    ASSERT_TRUE(manager.waitForAll(10000));
    EXPECT_EQ(manager.job(id).status, JobState::Status::Canceled);
    EXPECT_LT(manager.job(id).progress, 0.5);
}

// A job that finishes its work although a cancel arrived (it came after the last check, or the
// job cannot stop) is finished, not canceled: the job's result decides, not the request.
class IgnoresCancelJob : public Job {
public:
    QString title() const override { return QStringLiteral("unstoppable"); }
    Status run(JobFeedback &feedback) override
    {
        while (!feedback.isCanceled())
            QThread::msleep(2);
        feedback.setProgress(1.0, QStringLiteral("done anyway"));
        return {};
    }
};

TEST(JobManager, AJobThatFinishesDespiteACancelIsFinished)
{
    JobManager manager;
    const int id = manager.submit(std::make_unique<IgnoresCancelJob>());
    QThread::msleep(20);
    manager.cancel(id);
    ASSERT_TRUE(manager.waitForAll(10000));
    EXPECT_EQ(manager.job(id).status, JobState::Status::Finished);
    EXPECT_EQ(manager.job(id).message, QStringLiteral("done anyway"));
}

TEST(JobManager, FailureCarriesTheMessage)
{
    JobManager manager;
    QString reported;
    QObject::connect(&manager, &JobManager::jobFinished, &manager,
                     [&](int, bool ok, const QString &error) {
                         EXPECT_FALSE(ok);
                         reported = error;
                     });
    const int id = manager.submit(std::make_unique<CountingJob>(10, 3));
    ASSERT_TRUE(manager.waitForAll(10000));
    EXPECT_EQ(manager.job(id).status, JobState::Status::Failed);
    EXPECT_EQ(reported, QStringLiteral("step 3 went wrong"));
    manager.clearFinished();
    EXPECT_TRUE(manager.jobs().isEmpty());
}

namespace {

// Names its subject midway, logs a line and posts an event per step.
class ChattyJob : public Job {
public:
    QString title() const override { return QStringLiteral("chatty"); }
    Status run(JobFeedback &feedback) override
    {
        for (int i = 0; i < 5; ++i) {
            if (i == 2)
                feedback.setSubject({ItemKind::Run, 42});
            feedback.log(QStringLiteral("step %1").arg(i));
            feedback.post(QStringLiteral("step"), QJsonObject{{QStringLiteral("i"), i}});
            QThread::msleep(20);
        }
        return {};
    }
};

} // namespace

// The run tab finds "the job on run 42" through the manager, and log lines and typed events
// reach the owner's thread in the order the worker wrote them.
TEST(JobManager, SubjectLogLinesAndEventsReachTheOwner)
{
    JobManager manager;
    QStringList lines;
    QList<int> events;
    QObject::connect(&manager, &JobManager::jobLog, &manager,
                     [&](int, const QString &line) { lines << line; });
    QObject::connect(&manager, &JobManager::jobEvent, &manager,
                     [&](int, const QString &type, const QJsonObject &payload) {
                         if (type == u"step")
                             events << payload.value(QStringLiteral("i")).toInt();
                     });
    EXPECT_EQ(manager.jobOf({ItemKind::Run, 42}), 0);
    const int id = manager.submit(std::make_unique<ChattyJob>());
    ASSERT_TRUE(manager.waitForAll(30000));
    EXPECT_EQ(manager.job(id).subject, (ItemRef{ItemKind::Run, 42}));
    EXPECT_EQ(manager.jobOf({ItemKind::Run, 42}), id);
    EXPECT_EQ(manager.jobOf({ItemKind::Run, 43}), 0);
    EXPECT_EQ(lines, (QStringList{QStringLiteral("step 0"), QStringLiteral("step 1"), QStringLiteral("step 2"),
                                  QStringLiteral("step 3"), QStringLiteral("step 4")}));
    EXPECT_EQ(events, (QList<int>{0, 1, 2, 3, 4}));

    // A second job on the same run: the running one is found first.
    manager.setSubject(manager.submit(std::make_unique<CountingJob>(100000)), {ItemKind::Run, 42});
    const int running = manager.jobOf({ItemKind::Run, 42});
    EXPECT_NE(running, id);
    manager.cancelAll();
    ASSERT_TRUE(manager.waitForAll(10000));
}

namespace {

// Sleeps in small steps and records how many jobs of its kind run at once.
class ConcurrentJob : public Job {
public:
    explicit ConcurrentJob(int steps, bool failing = false) : m_steps(steps), m_failing(failing) {}
    QString title() const override { return m_failing ? QStringLiteral("bad trial") : QStringLiteral("trial"); }
    Status run(JobFeedback &feedback) override
    {
        const int now = ++running;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        for (int i = 0; i < m_steps && !feedback.isCanceled(); ++i) {
            QThread::msleep(5);
            feedback.setProgress(double(i + 1) / m_steps);
        }
        --running;
        if (feedback.isCanceled())
            return cancelled(QStringLiteral("stopped"));
        if (m_failing)
            return fail(QStringLiteral("diverged"));
        return {};
    }
    static inline std::atomic<int> running{0};
    static inline std::atomic<int> peak{0};

private:
    int m_steps;
    bool m_failing;
};

} // namespace

TEST(JobManager, AGroupsChildrenShareTheLimitWithOtherJobs)
{
    ConcurrentJob::peak = 0;
    JobManager manager(2);
    std::optional<Status> groupDone;
    const int group = manager.createGroup(QStringLiteral("sweep"), {ItemKind::Sweep, 3},
                                          [&](const Status &s) { groupDone = s; });
    QList<int> children;
    for (int i = 0; i < 4; ++i)
        children << manager.submit(std::make_unique<ConcurrentJob>(20), {}, group);
    const int other = manager.submit(std::make_unique<ConcurrentJob>(20));
    EXPECT_EQ(manager.job(group).children, 4);
    EXPECT_TRUE(manager.job(group).isGroup);
    EXPECT_EQ(manager.job(children[0]).group, group);
    EXPECT_EQ(manager.job(other).group, 0);

    // Not closed: the group waits for more children even when these ended.
    const QDeadlineTimer deadline(30000);
    while (manager.job(children.last()).status != JobState::Status::Finished && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    ASSERT_EQ(manager.job(children.last()).status, JobState::Status::Finished);
    manager.clearFinished(); // keeps the children the open group counts
    EXPECT_EQ(manager.job(children[0]).status, JobState::Status::Finished);
    EXPECT_FALSE(groupDone.has_value());
    EXPECT_TRUE(manager.hasRunningJobs());

    manager.closeGroup(group);
    ASSERT_TRUE(manager.waitForAll(30000));
    ASSERT_TRUE(groupDone.has_value());
    EXPECT_OK(*groupDone);
    const JobState g = manager.job(group);
    EXPECT_EQ(g.status, JobState::Status::Finished);
    EXPECT_DOUBLE_EQ(g.progress, 1.0);
    EXPECT_EQ(g.childrenDone, 4);
    EXPECT_EQ(g.subject, (ItemRef{ItemKind::Sweep, 3}));
    EXPECT_LE(ConcurrentJob::peak.load(), 2) << "children and other jobs together stay within the limit";
    EXPECT_EQ(ConcurrentJob::peak.load(), 2);
}

TEST(JobManager, AGroupFailsWithItsFirstFailedChildAndCancelsAsOne)
{
    JobManager manager(2);
    std::optional<Status> failedDone;
    const int failing = manager.createGroup(QStringLiteral("sweep"), {}, [&](const Status &s) { failedDone = s; });
    manager.submit(std::make_unique<ConcurrentJob>(2), {}, failing);
    manager.submit(std::make_unique<ConcurrentJob>(2, true), {}, failing);
    manager.closeGroup(failing);
    ASSERT_TRUE(manager.waitForAll(30000));
    ASSERT_TRUE(failedDone.has_value());
    EXPECT_FALSE(failedDone->ok());
    EXPECT_EQ(manager.job(failing).status, JobState::Status::Failed);
    EXPECT_EQ(manager.job(failing).error, QStringLiteral("1 of 2 failed; bad trial: diverged"));

    std::optional<Status> canceledDone;
    const int canceled = manager.createGroup(QStringLiteral("rollout"), {}, [&](const Status &s) { canceledDone = s; });
    QList<int> children;
    for (int i = 0; i < 3; ++i)
        children << manager.submit(std::make_unique<ConcurrentJob>(100000), {}, canceled);
    QThread::msleep(30);
    manager.cancel(canceled);
    children << manager.submit(std::make_unique<ConcurrentJob>(100000), {}, canceled); // after the cancel
    manager.closeGroup(canceled);
    ASSERT_TRUE(manager.waitForAll(30000));
    ASSERT_TRUE(canceledDone.has_value());
    EXPECT_EQ(canceledDone->kind(), ErrorKind::Cancelled);
    EXPECT_EQ(manager.job(canceled).status, JobState::Status::Canceled);
    for (int child : children)
        EXPECT_EQ(manager.job(child).status, JobState::Status::Canceled) << child;

    // A closed group without children ends at once.
    bool emptyDone = false;
    const int empty = manager.createGroup(QStringLiteral("nothing"), {}, [&](const Status &s) { emptyDone = s.ok(); });
    manager.closeGroup(empty);
    EXPECT_TRUE(emptyDone);
    EXPECT_EQ(manager.job(empty).status, JobState::Status::Finished);
}
