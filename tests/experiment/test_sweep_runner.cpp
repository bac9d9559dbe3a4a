// The local runner: every run delivered once, on one thread, and a slow writer holds the workers
// back instead of letting finished runs pile up in memory.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "sim/experiment/sweep_plan.hpp"
#include "sim/experiment/sweep_runner.hpp"
#include "support/test_support.hpp"

namespace commsim::experiment {
namespace {

TEST(SweepRunner, ASlowWriterBoundsTheFinishedRunsWaitingForIt) {
  test::TempDir dir;
  test::write_file(dir / "s.yaml",
                   "base: " + (test::source_dir() / "scenarios" / "baseline.yaml").string() +
                       "\nset:\n  run.days: 2\n  run.burn_in_days: 0\n  community.households: 200\n"
                       "  community.households_per_grid: 100\n"
                       "replications: 24\ndesign: list\npoints:\n  - {run.days: 2}\n");
  const auto plan = load_sweep(dir / "s.yaml");
  std::vector<std::int64_t> runs(static_cast<std::size_t>(plan.runs()));
  for (std::size_t i = 0; i < runs.size(); ++i) runs[i] = static_cast<std::int64_t>(i);
  const std::atomic<bool> stop{false};
  std::set<std::int64_t> delivered;
  std::size_t most_waiting = 0;
  const auto writer = std::this_thread::get_id();
  run_local(plan, runs, 2, stop, [&](FinishedRun&& f) {
    EXPECT_EQ(std::this_thread::get_id(), writer);
    EXPECT_TRUE(delivered.insert(f.run).second) << "run " << f.run << " twice";
    most_waiting = std::max(most_waiting, f.waiting);
    // Far slower than a 2-day run of 200 households: unbounded, nearly all 24 would wait.
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
  });
  EXPECT_EQ(delivered.size(), runs.size());
  EXPECT_LE(most_waiting, 4u) << "2 x the 2 runs in flight";
  EXPECT_GE(most_waiting, 2u) << "the workers did run ahead of the writer";
}

}  // namespace
}  // namespace commsim::experiment
