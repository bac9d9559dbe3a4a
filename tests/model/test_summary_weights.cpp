// The weights of the ratio summaries (output::Reduced::weights, Metric::weights): a region run
// (issue #16) pools a mean or a share over its communities cell by cell, each cell weighted by its
// denominator. Every ratio summary of a baseline run gives one weight per cell and its mean
// headline a positive weight; the weight is the summary's own denominator, checked against
// another output of the same run: the orders opened for closure_rate, the casework hours
// available for staff_utilisation (and each one-cell casework ratio is its grids' pooled), the
// residents of each group for a group's mean well-being.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "sim/engine/simulation.hpp"
#include "sim/scenario/loader.hpp"
#include "support/test_support.hpp"

namespace commsim::model {
namespace {

using test::find_metric;

// Two weeks of the baseline after its burn-in: long enough for every ratio to have observations
// (orders closed and passed up, council decisions, topics implemented, low-proficiency orders).
output::RunResult baseline_run(const std::vector<std::string>& more = {}) {
  std::vector<std::string> overrides{"run.days=14"};
  overrides.insert(overrides.end(), more.begin(), more.end());
  const auto s =
      scenario::load_scenario(test::source_dir() / "scenarios/baseline.yaml", overrides).scenario;
  return engine::run_simulation(s, {.seed = 11, .run = 0, .threads = 1}).result;
}
const output::RunResult& baseline() {
  static const output::RunResult r = baseline_run();
  return r;
}

double sum(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0);
}

// Ratio summaries without a natural denominator, which a region cannot pool (it writes NaN for
// them), each with the reason. None today: every ratio summary is a ratio of orders, hours,
// residents, households, ties, workers, grids, decisions or topics the run counts.
const std::map<std::string, std::string> kWithoutDenominator = {};

TEST(SummaryWeights, EveryRatioSummaryWeighsEachCellAndItsMeanHeadline) {
  std::size_t ratios = 0;
  for (const auto& m : baseline().summaries) {
    if (m.combine != "ratio") continue;
    ++ratios;
    if (kWithoutDenominator.count(m.name)) {
      EXPECT_TRUE(m.weights.empty()) << m.name;
      EXPECT_TRUE(std::isnan(m.headline_weight)) << m.name;
      continue;
    }
    ASSERT_EQ(m.weights.size(), m.cells()) << m.name;
    for (double w : m.weights) EXPECT_GE(w, 0) << m.name;
    if (m.headline_kind != "mean") {  // shares of one whole, overlapping cells
      EXPECT_TRUE(std::isnan(m.headline_weight)) << m.name;
      continue;
    }
    EXPECT_TRUE(std::isfinite(m.headline_weight)) << m.name;
    EXPECT_GT(m.headline_weight, 0) << m.name;
    // The headline is the cells' mean by these weights.
    double weighted = 0, weight = 0;
    for (std::size_t c = 0; c < m.cells(); ++c)
      if (m.weights[c] > 0 && !std::isnan(m.values[c]))
        weighted += m.values[c] * m.weights[c], weight += m.weights[c];
    EXPECT_EQ(weight, m.headline_weight) << m.name;
    EXPECT_DOUBLE_EQ(weighted / weight, m.headline) << m.name;
  }
  EXPECT_GE(ratios, 30u) << "the baseline's ratio summaries were not found";
  for (const auto& [name, why] : kWithoutDenominator)
    EXPECT_NO_THROW(find_metric(baseline().summaries, name)) << name << " (" << why << ")";
}

TEST(SummaryWeights, ClosureRateWeighsTheOrdersOpenedAndUtilisationTheHoursAvailable) {
  const auto& s = baseline().summaries;
  const double opened = find_metric(s, "work_orders_opened").values.at(0);
  ASSERT_GT(opened, 100);
  for (const char* name : {"closure_rate", "unresolved_share", "closed_unresolved_share",
                           "time_to_resolution_mean_with_open"}) {
    const auto& m = find_metric(s, name);
    EXPECT_EQ(m.weights, (std::vector<double>{opened})) << name;
    EXPECT_EQ(m.headline_weight, opened) << name;
  }
  // Closed-order means weigh the orders resolved.
  const double resolved = sum(find_metric(s, "work_orders_resolved").values);
  EXPECT_EQ(find_metric(s, "time_to_resolution_mean").headline_weight, resolved);
  EXPECT_EQ(find_metric(s, "volunteer_resolved_share_mean").headline_weight, resolved);
  // staff_hours' casework cell: the grid workers' casework hours of the working days, every one of
  // them available to the queue (summed by grid and contract rather than by worker).
  const auto& utilisation = find_metric(s, "staff_utilisation");
  const double casework_hours = find_metric(s, "staff_hours").values.at(1);
  ASSERT_GT(casework_hours, 0);
  ASSERT_EQ(utilisation.weights.size(), 1u);
  EXPECT_DOUBLE_EQ(utilisation.weights[0], casework_hours);
  // A one-cell casework ratio weighs what its grids' cells weigh together.
  for (const auto& [all, by_grid] : std::vector<std::pair<const char*, const char*>>{
           {"staff_utilisation", "staff_utilisation_by_grid"},
           {"casework_wait_hours_mean", "casework_wait_hours_by_grid"},
           {"casework_waited_share", "casework_waited_share_by_grid"}}) {
    EXPECT_DOUBLE_EQ(find_metric(s, all).headline_weight, sum(find_metric(s, by_grid).weights))
        << all;
  }
}

TEST(SummaryWeights, AGroupsMeanWellbeingWeighsItsResidents) {
  // Without vacancies every resident counts in their group's means (a vacant dwelling's last
  // household stays in `residents` but is no longer measured).
  const auto r = baseline_run({"embedding.initial_vacancy=0", "embedding.move_out_rate=0"});
  const auto& residents = find_metric(r.summaries, "residents").values;
  ASSERT_EQ(residents.size(), 5u);
  for (const char* name : {"trust_final", "belonging_final", "service_expectation_final",
                           "intergroup_attitude_final"}) {
    const auto& m = find_metric(r.summaries, name);
    EXPECT_EQ(m.weights, residents) << name;
    EXPECT_EQ(m.headline_weight, sum(residents)) << name;
  }
  // With vacancies (the baseline's), the measured residents are fewer, by group.
  const auto& measured = find_metric(baseline().summaries, "trust_final").weights;
  const auto& all = find_metric(baseline().summaries, "residents").values;
  ASSERT_EQ(measured.size(), all.size());
  for (std::size_t g = 0; g < all.size(); ++g) EXPECT_LE(measured[g], all[g]) << g;
  EXPECT_LT(sum(measured), sum(all));
}

}  // namespace
}  // namespace commsim::model
