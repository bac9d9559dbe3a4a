// Casework: the queue reduced to M/M/c agrees with Erlang C on every grid; limit cases.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <utility>
#include <vector>

#include "support/queueing.hpp"
#include "support/test_support.hpp"

namespace commsim::test {
namespace {

double summary(const RunFile& f, const std::string& name) {
  for (const auto& m : f.result.summaries)
    if (m.name == name) return m.values.at(0);
  throw std::runtime_error("no summary " + name);
}

RunFile run_with(const TempDir& dir, const std::string& name, const std::string& extra) {
  const auto yaml = dir / (name + ".yaml");
  write_file(yaml, "extends: " + (source_dir() / "scenarios/validation/erlang_c.yaml").string() +
                       "\n" + extra);
  const auto out = dir / (name + ".h5");
  const auto res = run_commsim({"run", yaml.string(), "-o", out.string(), "--quiet"});
  if (res.exit_code != 0) throw std::runtime_error(res.err);
  return read_run_file(out);
}

const std::vector<double>& by_grid(const RunFile& f, const std::string& name) {
  for (const auto& m : f.result.summaries)
    if (m.name == name) return m.values;
  throw std::runtime_error("no summary " + name);
}

// Mean and standard error of the mean of independent replications.
std::pair<double, double> mean_se(const std::vector<double>& v) {
  const auto n = static_cast<double>(v.size());
  double m = 0, ss = 0;
  for (double x : v) m += x / n;
  for (double x : v) ss += (x - m) * (x - m);
  return {m, std::sqrt(ss / (n - 1) / n)};
}

TEST(Casework, MultiServerQueueAgreesWithErlangCGridByGrid) {
  // Every grid of scenarios/validation/erlang_c.yaml is its own M/M/2 queue (nothing leaves a
  // queue but by service; no household moves, so each grid keeps its arrival rate). Each grid is
  // compared with Erlang C at its own realised arrival rate lambda_g = orders opened / hours run:
  // grids differ in their residents (rho 0.87-0.93 at the highest load), and Erlang C is convex
  // in lambda, so one pooled lambda for all grids would understate the mean wait (the confound the
  // review of issue #12 found at rho >= 0.92). The grids are independent replications: their
  // spread gives the standard error of the mean ratio (waits near rho = 1 are strongly
  // autocorrelated, so one run's own batch means would understate it). Allowed: 3 standard
  // errors plus what the model is not, stated (docs/calibration.md relies on the same figures):
  // a resident has at most one need a day (binomial day counts, index of dispersion 1 - p ~
  // 0.984, about 1% less wait in heavy traffic) and the queue starts empty (relaxation ~ 24 days
  // at rho 0.9), so the model's waits sit slightly below Erlang C. Measured at rho ~ 0.78: the
  // test's 24 grids 0.964 +- 0.018, 48 more 0.983 +- 0.015 with P(wait) -0.005 +- 0.0015, beyond
  // 3 standard errors (docs/model.md 3.19). Without an allowance the test fails as grids are
  // added; allowed: up to 3% in the mean wait, 0.01 in P(wait).
  TempDir dir;
  const double hours = 8;
  struct Load {
    double rate;
    int days, seeds;  // 12 grids per seed; the heavier the load, the longer waits take to mix
  };
  for (const auto& [rate, days, seeds] :
       {Load{3.0, 500, 2}, Load{5.0, 800, 2}, Load{5.8, 3000, 1}}) {
    std::vector<double> wait_ratio, waited_gap;
    double rho_min = 1, rho_max = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
      const auto f =
          run_with(dir, "rate" + std::to_string(rate) + "_" + std::to_string(seed),
                   "run: {seed: " + std::to_string(seed) + ", days: " + std::to_string(days) +
                       "}\ncommunity: {households: 5040, households_per_grid: 420}\n"
                       "needs:\n  types:\n    - {name: request, scope: resident, rate: " +
                       std::to_string(rate) + ", severity_weights: [1, 0, 0]}\n");
      const auto& opened = by_grid(f, "work_orders_opened_by_grid");
      const auto& wait = by_grid(f, "casework_wait_hours_by_grid");
      const auto& waited = by_grid(f, "casework_waited_share_by_grid");
      const auto& workers = by_grid(f, "grid_workers_by_grid");  // grid x (full_time, part_time)
      ASSERT_EQ(opened.size(), 12u);
      EXPECT_EQ(summary(f, "work_orders_passed_up"), 0);
      for (std::size_t g = 0; g < opened.size(); ++g) {
        ASSERT_EQ(workers[2 * g], 2);
        ASSERT_EQ(workers[2 * g + 1], 0);
        const double lambda = opened[g] / (days * hours);
        const auto [pw, wq] = erlang_c(lambda, 1.0, 2);
        rho_min = std::min(rho_min, lambda / 2), rho_max = std::max(rho_max, lambda / 2);
        wait_ratio.push_back(wait[g] / wq);
        waited_gap.push_back(waited[g] - pw);
      }
    }
    const auto [ratio, ratio_se] = mean_se(wait_ratio);
    const auto [gap, gap_se] = mean_se(waited_gap);
    EXPECT_NEAR(ratio, 1.0, 3 * ratio_se + 0.03) << "rho " << rho_min << "-" << rho_max;
    EXPECT_NEAR(gap, 0.0, 3 * gap_se + 0.01) << "rho " << rho_min << "-" << rho_max;
    // The standard errors are small enough for the test to mean something.
    EXPECT_LT(ratio_se, 0.06) << "rate " << rate;
    std::cout << "[ erlang_c ] rho " << rho_min << "-" << rho_max << ": wait / Erlang C " << ratio
              << " +- " << ratio_se << ", P(wait) - Erlang C " << gap << " +- " << gap_se
              << std::endl;
    if (rate > 5.5) {
      EXPECT_GT(rho_min, 0.85);
    }
  }
}

TEST(Casework, OrdersPassedUpCountTheirWaitAtTheGrid) {
  // No grid worker and no volunteer: every order waits at its grid until it is passed up to the
  // centre at the start of day reported + ceil(commitment) + 1, so its wait on the grid clock lies
  // in (3 x 8, 4 x 8] hours for a 3-day commitment, 28 on average (reports uniform in the day).
  // The passed-up orders used to leave the queue uncounted: the mean then came from the few
  // orders still waiting at the end alone, and an overloaded grid looked like a short queue.
  TempDir dir;
  const auto f = run_with(dir, "passup",
                          "run: {days: 200}\n"
                          "staffing: {full_time_per_grid: 0, part_time_per_grid: 0}\n"
                          "casework: {pass_up_overdue: true, commitment_days: 3}\n");
  const double passed = summary(f, "work_orders_passed_up");
  const double opened = summary(f, "work_orders_opened");
  ASSERT_GT(passed, 0.9 * opened);
  const double wait = summary(f, "casework_wait_hours_mean");
  // The censored tail (orders of the last 4 days, ~2% of them, waiting under 32 h) pulls the mean
  // down by less than 1 h.
  EXPECT_GT(wait, 27.0);
  EXPECT_LE(wait, 28.5);
  EXPECT_EQ(summary(f, "casework_waited_share"), 1.0);
}

TEST(Casework, NoStaffResolvesNothingAtGridLevelAndNoNeedsOpenNoOrders) {
  TempDir dir;
  const auto none = run_with(dir, "nostaff",
                             "staffing: {full_time_per_grid: 0, part_time_per_grid: 0}\n"
                             "run: {days: 200}\n");
  EXPECT_EQ(summary(none, "full_time_workers"), 0);
  for (const auto& m : none.result.summaries)
    if (m.name == "work_orders_resolved") {
      EXPECT_EQ(m.values.at(0), 0);  // level grid
    }
  const auto zero =
      run_with(dir, "zero",
               "needs:\n  types:\n    - {name: request, scope: resident, rate: 0.0}\nrun: {days: "
               "100}\n");
  EXPECT_EQ(summary(zero, "work_orders_opened"), 0);
}

TEST(Casework, VolunteersResolveOnlySmallNeedsOfTheirTypesAndLeaveHigherLevelOrders) {
  // No staff: a volunteer team whose type is the only one. It resolves, at grid level, exactly
  // the minor orders it draws (volunteers.small_need_share), never a moderate or serious one, and
  // never touches orders only a higher level can solve. Nothing else closes an order.
  TempDir dir;
  const std::string base =
      "run: {days: 200}\n"
      "staffing: {full_time_per_grid: 0, part_time_per_grid: 0}\n"
      "volunteers: {small_need_share: 1.0, teams: [{name: helpers, members: 600, weekly_hours: "
      "20, task_types: [request]}]}\n";
  const auto grid_resolved = [](const RunFile& f) {
    for (const auto& m : f.result.summaries)
      if (m.name == "work_orders_resolved") return m.values.at(0);
    throw std::runtime_error("no work_orders_resolved");
  };
  const std::string minor =
      "needs: {types: [{name: request, scope: resident, rate: 4.0, "
      "severity_weights: [1, 0, 0]}]}\n";
  const auto all = run_with(dir, "minor", base + minor);
  EXPECT_GT(summary(all, "volunteer_hours"), 0);
  EXPECT_EQ(grid_resolved(all), summary(all, "work_orders_opened"));
  EXPECT_EQ(summary(all, "volunteer_resolved_share_mean"), 1.0);
  const auto serious = run_with(dir, "serious",
                                base +
                                    "needs: {types: [{name: request, scope: resident, rate: 4.0, "
                                    "severity_weights: [0, 0, 1]}]}\n");
  EXPECT_EQ(summary(serious, "volunteer_hours"), 0);
  EXPECT_EQ(grid_resolved(serious), 0);
  EXPECT_GT(summary(serious, "work_orders_opened"), 0);
  const auto higher = run_with(
      dir, "higher",
      base + minor + "casework: {types: [{name: request, mean_hours: 1.0, min_level: 1}]}\n");
  EXPECT_EQ(summary(higher, "volunteer_hours"), 0);
  EXPECT_EQ(grid_resolved(higher), 0);
}

TEST(Casework, BaselineStaffsAFullTimeWorkerPerGridAndItsTotalsAgreeWithTheSeries) {
  TempDir dir;
  const auto out = dir / "b.h5";
  ASSERT_EQ(
      run_commsim({"run", "scenarios/baseline.yaml", "-o", out.string(), "--quiet"}).exit_code, 0);
  const auto f = read_run_file(out);
  // [003] 12 grids, one full-time grid worker each under [002]'s 18-per-10,000 rule. Closure is
  // not asserted here: Huairen's 95.3% [001] is the closure of the items that left the grid, a
  // calibration target (closure_left_grid, docs/calibration.md) whose model value docs/model.md
  // §3.18 reports; closure over all orders (closure_rate) is not the same quantity.
  EXPECT_EQ(summary(f, "full_time_workers"), 12);
  EXPECT_GT(summary(f, "centre_workers"), 0);
  EXPECT_GT(summary(f, "closure_left_grid"), 0.0);
  EXPECT_LE(summary(f, "closure_left_grid"), 1.0);
  EXPECT_LE(summary(f, "closure_rate"), 1.0);
  // Concordance: the summary totals equal the series.
  double opened = 0;
  for (const auto& m : f.result.timeseries)
    if (m.name == "work_orders_opened")
      for (double v : m.values) opened += v;
  EXPECT_EQ(summary(f, "work_orders_opened"), opened);
}

}  // namespace
}  // namespace commsim::test
