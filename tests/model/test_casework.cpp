// Casework: the queue reduced to M/M/c agrees with Erlang C; limit cases.

#include <gtest/gtest.h>

#include <cmath>

#include "support/test_support.hpp"

namespace commsim::test {
namespace {

double summary(const RunFile& f, const std::string& name) {
  for (const auto& m : f.result.summaries)
    if (m.name == name) return m.values.at(0);
  throw std::runtime_error("no summary " + name);
}

// Erlang C: probability of waiting and mean wait for M/M/c with arrival rate lambda and service
// rate mu per server.
std::pair<double, double> erlang_c(double lambda, double mu, int c) {
  const double a = lambda / mu, rho = a / c;
  double term = 1, sum = 1;
  for (int k = 1; k < c; ++k) sum += term *= a / k;
  const double last = term * a / c / (1 - rho);
  const double pw = last / (sum + last);
  return {pw, pw / (c * mu - lambda)};
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
  TempDir dir;
  for (double rate : {3.0, 5.0, 6.05}) {
    const auto f = run_with(dir, "r" + std::to_string(rate),
                            "needs:\n  types:\n    - {name: request, scope: resident, rate: " +
                                std::to_string(rate) + ", severity_weights: [1, 0, 0]}\n");
    const double arisen = summary(f, "work_orders_opened");
    const double grids = 6, hours = 8, days = 3000;
    const double lambda = arisen / (grids * days * hours);
    const auto [pw, wq] = erlang_c(lambda, 1.0, 2);
    const double rho = lambda / 2.0;
    // Tolerance: batch-means noise of a long run grows like 1 / (1 - rho)^2.
    const double tol = 0.03 + 0.01 / ((1 - rho) * (1 - rho));
    EXPECT_NEAR(summary(f, "casework_waited_share"), pw, 0.03 + 0.01 / (1 - rho)) << rho;
    EXPECT_NEAR(summary(f, "casework_wait_hours_mean") / wq, 1.0, tol) << rho << " " << wq;
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

TEST(Casework, VolunteersSettleOnTheSpotLikeWorkersAndLeaveHigherLevelOrders) {
  // No staff: a volunteer team takes every order. It settles at grid level exactly those a worker
  // would settle on the spot, and never touches orders only a higher level can solve.
  TempDir dir;
  const std::string base =
      "run: {days: 200}\n"
      "staffing: {full_time_per_grid: 0, part_time_per_grid: 0}\n"
      "volunteers: {teams: [{name: helpers, members: 600, weekly_hours: 20, "
      "task_types: [request]}]}\n";
  const auto grid_resolved = [](const RunFile& f) {
    for (const auto& m : f.result.summaries)
      if (m.name == "work_orders_resolved") return m.values.at(0);
    throw std::runtime_error("no work_orders_resolved");
  };
  const auto all = run_with(dir, "settle_all", base + "casework: {on_the_spot: [1, 1, 1]}\n");
  EXPECT_GT(summary(all, "volunteer_hours"), 0);
  EXPECT_EQ(grid_resolved(all), summary(all, "work_orders_opened"));
  const auto none = run_with(dir, "settle_none", base + "casework: {on_the_spot: [0, 0, 0]}\n");
  EXPECT_GT(summary(none, "volunteer_hours"), 0);
  EXPECT_EQ(grid_resolved(none), 0);
  EXPECT_GT(summary(none, "work_orders_opened"), 0);
  const auto higher =
      run_with(dir, "higher",
               base +
                   "casework: {on_the_spot: [1, 1, 1], types: [{name: request, mean_hours: 1.0, "
                   "min_level: 1}]}\n");
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
