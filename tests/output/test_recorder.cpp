// The recorder: grid rows reduced in grid order, per-grid breakdowns, ratios, totals.

#include <gtest/gtest.h>

#include <cmath>

#include "sim/output/recorder.hpp"

namespace commsim::output {
namespace {

TEST(Recorder, SumsOverGridsAndKeepsPerGridValues) {
  Recorder rec(3, 2);
  const MetricId total = rec.add({"total", "n", "d", {{"group", {"a", "b"}}}});
  const MetricId per_grid = rec.add({"by_grid", "n", "d", {{"grid", {"g1", "g2", "g3"}}}, true});
  const MetricId mean = rec.add({"mean", "score", "d", {}, false, Aggregation::Ratio});
  rec.start();
  for (std::uint32_t g = 0; g < 3; ++g) {
    auto row = rec.grid_row(GridId(g));
    row.add(total, 1, g + 1.0);
    row.add(per_grid, 10.0 * (g + 1));
    row.add_ratio(mean, 0, g * 2.0, 2.0);  // values 0, 1, 2 twice each
  }
  rec.community_row().add(total, 0, 5.0);
  rec.end_day(Day(0));
  rec.end_day(Day(1));  // an empty day
  const auto series = rec.timeseries();
  EXPECT_EQ(series[0].values, (std::vector<double>{5, 6, 0, 0}));
  EXPECT_EQ(series[1].values, (std::vector<double>{10, 20, 30, 0, 0, 0}));
  EXPECT_DOUBLE_EQ(series[2].values[0], 1.0);
  EXPECT_TRUE(std::isnan(series[2].values[1])) << "no observations: NaN, not 0";
  const Metric t = rec.total(total, "total_sum", "d");
  EXPECT_EQ(t.values, (std::vector<double>{5, 6}));
}

TEST(Recorder, RejectsLateOrDuplicateRegistration) {
  Recorder rec(1, 1);
  rec.add({"x", "n", "d", {}});
  EXPECT_THROW(rec.add({"x", "n", "d", {}}), std::logic_error);
  rec.start();
  EXPECT_THROW(rec.add({"y", "n", "d", {}}), std::logic_error);
}

}  // namespace
}  // namespace commsim::output
