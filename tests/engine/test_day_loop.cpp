// The day loop: the plan is one table read top to bottom, every step is timed, a loop that stops
// moving forward is an internal error naming its mechanism, and every day ends for any valid
// staffing (the serve() hang of #14: a worker whose casework window reached past the end of the
// next day, with nothing waiting, never finished the day).

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sim/core/random.hpp"
#include "sim/engine/day_plan.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/model/progress.hpp"
#include "sim/scenario/loader.hpp"
#include "support/test_support.hpp"
#include "support/tiny_community.hpp"

namespace commsim::engine {
namespace {

TEST(DayPlan, PhasesRunInOrderAndEveryStepHasItsPhasesFunction) {
  const auto plan = day_plan();
  ASSERT_GT(plan.size(), 3u);
  std::set<std::string> names;
  for (std::size_t k = 0; k < plan.size(); ++k) {
    const Step& step = plan[k];
    EXPECT_TRUE(names.insert(step.name).second) << "duplicate step " << step.name;
    if (k > 0) EXPECT_GE(step.phase, plan[k - 1].phase) << step.name;
    EXPECT_EQ(step.grid != nullptr, step.phase == Phase::Grid) << step.name;
    EXPECT_EQ(step.community != nullptr, step.phase != Phase::Grid) << step.name;
  }
  EXPECT_EQ(plan.front().phase, Phase::Grid);
  EXPECT_EQ(std::string(plan.front().name), "needs: arise");  // run_grid_steps may leave it out
  EXPECT_EQ(plan.back().phase, Phase::Record);
}

TEST(DayPlan, EveryStepIsTimedAndGridStepsFitInTheirPhaseOnOneThread) {
  const auto s = scenario::load_scenario_text(test::kTinyCommunity, "s.yaml", {"run.days=30"});
  RunOptions options;
  options.seed = 3;
  options.threads = 1;
  const auto out = run_simulation(s.scenario, options);
  const auto plan = day_plan();
  ASSERT_EQ(out.steps.size(), plan.size());
  ASSERT_EQ(out.phases.size(), 3u);
  double grid_steps = 0;
  for (std::size_t k = 0; k < plan.size(); ++k) {
    EXPECT_EQ(out.steps[k].name, plan[k].name);
    EXPECT_EQ(out.steps[k].phase, phase_name(plan[k].phase));
    EXPECT_GE(out.steps[k].seconds, 0.0);
    if (plan[k].phase == Phase::Grid) grid_steps += out.steps[k].seconds;
  }
  // On one thread the grid steps run one after another inside the phase's wall.
  EXPECT_GT(grid_steps, 0.0);
  EXPECT_LE(grid_steps, out.phases[0].seconds * 1.0001 + 1e-6);
}

TEST(DayPlan, ProfileListsEveryStep) {
  test::TempDir dir;
  const auto r = test::run_commsim({"run", "scenarios/baseline.yaml", "-o", (dir / "p.h5").string(),
                                    "--days", "3", "--quiet", "--profile"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const Step& step : day_plan())
    EXPECT_NE(r.err.find(step.name), std::string::npos) << step.name;
}

TEST(Progress, ALoopPastItsBoundIsAnErrorNamingTheMechanism) {
  model::Progress progress("queue and service", 3);
  for (int k = 0; k < 3; ++k) progress.turn();
  try {
    progress.turn();
    FAIL() << "no error past the bound";
  } catch (const model::NoProgress& e) {
    EXPECT_NE(std::string(e.what()).find("queue and service"), std::string::npos) << e.what();
  }
}

// A run must end, or be refused as bad input (exit 2 naming staffing), never hang: each case runs
// as a commsim process that is killed if it has not ended in time.
void expect_every_day_ends(const std::vector<std::string>& settings, const std::string& label) {
  test::TempDir dir;
  std::vector<std::string> args = {
      "run",   "scenarios/baseline.yaml", "-o", (dir / "x.h5").string(), "--days", "10", "--quiet",
      "--set", "community.households=900"};
  for (const auto& s : settings) args.insert(args.end(), {"--set", s});
  const auto r = test::run_commsim_within(args, 60);
  ASSERT_FALSE(r.timed_out) << label << ": the run did not end";
  if (r.exit_code == 2)
    EXPECT_NE(r.err.find("staffing"), std::string::npos) << label << ": " << r.err;
  else
    EXPECT_EQ(r.exit_code, 0) << label << ": " << r.err;
}

TEST(DayLoop, TheIssuesStaffingsEnd) {
  expect_every_day_ends({"staffing.part_time_hours=17", "staffing.part_time_patrol_share=0"},
                        "part-time 17 hours of casework");
  expect_every_day_ends({"staffing.hours_per_day=0.5", "staffing.patrol_hours=0",
                         "staffing.paperwork_hours=0", "staffing.training_hours=0"},
                        "half-hour days");
}

TEST(DayLoop, EveryDayEndsForRandomValidStaffing) {
  for (std::uint64_t k = 0; k < 24; ++k) {
    Stream rng({2024, 0}, purpose("test.staffing"), k, 0);
    const double day = rng.uniform(0.1, 24.0);
    // Patrol, paperwork and training take shares of the full-time day that leave casework >= 0.
    const double patrol = rng.uniform(0.0, 0.5) * day, paperwork = rng.uniform(0.0, 0.3) * day,
                 training = rng.uniform(0.0, 0.2) * day;
    const std::vector<std::string> settings = {
        "staffing.hours_per_day=" + std::to_string(day),
        "staffing.patrol_hours=" + std::to_string(patrol),
        "staffing.paperwork_hours=" + std::to_string(paperwork),
        "staffing.training_hours=" + std::to_string(training),
        "staffing.part_time_hours=" + std::to_string(rng.uniform(0.0, 24.0)),
        "staffing.part_time_patrol_share=" +
            std::to_string(rng.bernoulli(0.3) ? 0.0 : rng.uniform(0.0, 1.0)),
        "staffing.days_per_week=" + std::to_string(1 + rng.below(7)),
        "staffing.overtime_limit=" + std::to_string(rng.uniform(0.0, 24.0)),
        "staffing.burden_reduction=" + std::to_string(rng.uniform(0.0, 1.0)),
        "staffing.part_time_per_grid=" + std::to_string(rng.uniform(0.0, 3.0))};
    std::string label;
    for (const auto& s : settings) label += s + " ";
    expect_every_day_ends(settings, label);
  }
}

}  // namespace
}  // namespace commsim::engine
