// Casework: the queue reduced to M/M/c agrees with Erlang C; limit cases.

#include <gtest/gtest.h>

#include <cmath>
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

TEST(Casework, MultiServerQueueAgreesWithErlangC) {
  // Each run is compared with Erlang C at its own realised arrival rate; the replications' spread
  // gives the standard error of the mean ratio (waits near rho = 1 are strongly autocorrelated,
  // so one long run's own batch means would understate it). Allowed: 3 standard errors, plus 3%
  // for what the model is not: arrivals are at most one per resident and day (binomial, not
  // Poisson, counts) at uniform times within the day.
  TempDir dir;
  const double grids = 6, hours = 8, days = 3000;
  for (const auto& [rate, seeds] : {std::pair{3.0, 3}, std::pair{5.0, 4}, std::pair{6.05, 6}}) {
    std::vector<double> wait_ratio, waited_gap;
    double rho = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
      const auto f =
          run_with(dir, std::string("r").append(std::to_string(rate)) + "_" + std::to_string(seed),
                   "run: {seed: " + std::to_string(seed) +
                       "}\nneeds:\n  types:\n    - {name: request, scope: resident, "
                       "rate: " +
                       std::to_string(rate) + ", severity_weights: [1, 0, 0]}\n");
      const double lambda = summary(f, "work_orders_opened") / (grids * days * hours);
      const auto [pw, wq] = erlang_c(lambda, 1.0, 2);
      rho += lambda / 2.0 / seeds;
      wait_ratio.push_back(summary(f, "casework_wait_hours_mean") / wq);
      waited_gap.push_back(summary(f, "casework_waited_share") - pw);
    }
    const auto mean_se = [](const std::vector<double>& v) {
      double m = 0, ss = 0;
      for (double x : v) m += x / static_cast<double>(v.size());
      for (double x : v) ss += (x - m) * (x - m);
      return std::pair{
          m, std::sqrt(ss / static_cast<double>(v.size() - 1) / static_cast<double>(v.size()))};
    };
    const auto [ratio, ratio_se] = mean_se(wait_ratio);
    const auto [gap, gap_se] = mean_se(waited_gap);
    EXPECT_NEAR(ratio, 1.0, 3 * ratio_se + 0.03) << "rho " << rho;
    EXPECT_NEAR(gap, 0.0, 3 * gap_se + 0.01) << "rho " << rho;
    if (rate > 6) {
      EXPECT_GT(rho, 0.9);
    }
  }
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

TEST(Casework, BaselineClosureNearHuairenAndAboutOneWorkerPerGrid) {
  TempDir dir;
  const auto out = dir / "b.h5";
  ASSERT_EQ(
      run_commsim({"run", "scenarios/baseline.yaml", "-o", out.string(), "--quiet"}).exit_code, 0);
  const auto f = read_run_file(out);
  // [001] Huairen: 1,685 of 1,768 items resolved (95.3%); [003] 12 grids, one full-time grid
  // worker each under [002]'s 18-per-10,000 rule.
  EXPECT_GE(summary(f, "closure_rate"), 0.93);
  EXPECT_LE(summary(f, "closure_rate"), 0.97);
  EXPECT_EQ(summary(f, "full_time_workers"), 12);
  EXPECT_GT(summary(f, "centre_workers"), 0);
  // Concordance: the summary totals equal the series.
  double opened = 0;
  for (const auto& m : f.result.timeseries)
    if (m.name == "work_orders_opened")
      for (double v : m.values) opened += v;
  EXPECT_EQ(summary(f, "work_orders_opened"), opened);
}

}  // namespace
}  // namespace commsim::test
