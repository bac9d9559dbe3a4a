// The recorder: grid rows reduced in grid order, per-grid breakdowns, ratios; summaries derived
// from the declarations (end-of-run rules, custom reductions) and their headlines.

#include <gtest/gtest.h>

#include <cmath>

#include "sim/output/recorder.hpp"

namespace commsim::output {
namespace {

TEST(Recorder, SumsOverGridsAndKeepsPerGridValues) {
  Recorder rec(3, 2);
  const MetricId total = rec.add({.name = "total",
                                  .unit = "count",
                                  .description = "d",
                                  .dims = {{"group", {"a", "b"}}},
                                  .summary = EndRule::Total});
  const MetricId per_grid =
      rec.add({"by_grid", "count", "d", {{"grid", {"g1", "g2", "g3"}}}, true});
  const MetricId mean = rec.add({"mean", "score", "d", {}, false, Combine::Ratio});
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
  const auto summaries = rec.summaries();
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_EQ(summaries[0].name, "total");
  EXPECT_EQ(summaries[0].values, (std::vector<double>{5, 6}));
  EXPECT_EQ(summaries[0].rule, "total");
  EXPECT_EQ(summaries[0].headline_kind, "total");
  EXPECT_EQ(summaries[0].headline, 11);
}

TEST(Recorder, RejectsLateOrDuplicateRegistration) {
  Recorder rec(1, 1);
  rec.add({"x", "count", "d", {}});
  EXPECT_THROW(rec.add({"x", "count", "d", {}}), std::logic_error);
  rec.start();
  EXPECT_THROW(rec.add({"y", "count", "d", {}}), std::logic_error);
}

TEST(Recorder, RejectsAUnitOrRuleOutsideTheVocabularyAndATotalOfARatio) {
  Recorder rec(1, 1);
  EXPECT_THROW(rec.add({"x", "score 0-1", "d", {}}), std::logic_error);
  EXPECT_THROW(rec.add({.name = "r",
                        .unit = "share",
                        .description = "d",
                        .combine = Combine::Ratio,
                        .summary = EndRule::Total}),
               std::logic_error)
      << "summing a share over days means nothing";
  const auto none = [](const Recorder&) { return Reduced{{0.0}}; };
  EXPECT_THROW(
      rec.add_summary({.name = "s", .unit = "count", .description = "d", .rule = "sum"}, none),
      std::logic_error);
  rec.add({.name = "c", .unit = "count", .description = "d", .summary = EndRule::Total});
  EXPECT_THROW(
      rec.add_summary({.name = "c", .unit = "count", .description = "d", .rule = "at_end"}, none),
      std::logic_error)
      << "a custom summary may not take a rule's name";
}

// Two grids, two groups: grid 0 has 3 residents of group a scoring 0.2 and 1 of group b scoring
// 0.9; grid 1 has 1 resident of group a scoring 0.8. Days 0 and 1 the same, day 2 with group b
// empty.
struct ScoreRun {
  Recorder rec{2, 3};
  MetricId score = rec.add({.name = "score",
                            .unit = "score",
                            .description = "Mean score, by group.",
                            .dims = {{"group", {"a", "b"}}},
                            .combine = Combine::Ratio,
                            .summary = EndRule::Final,
                            .key = true});
  MetricId pooled = rec.add({.name = "pooled",
                             .unit = "score",
                             .description = "Mean score, by group.",
                             .dims = {{"group", {"a", "b"}}},
                             .combine = Combine::Ratio,
                             .summary = EndRule::Mean});
  MetricId open = rec.add({.name = "open",
                           .unit = "orders",
                           .description = "Orders open at day end.",
                           .summary = EndRule::Mean});
  ScoreRun() {
    rec.start();
    for (std::int32_t d = 0; d < 3; ++d) {
      const auto g0 = rec.grid_row(GridId(0)), g1 = rec.grid_row(GridId(1));
      for (MetricId m : {score, pooled}) {
        g0.add_ratio(m, 0, 3 * 0.2, 3);
        if (d < 2) g0.add_ratio(m, 1, 0.9, 1);
        g1.add_ratio(m, 0, 0.8, 1);
      }
      g1.add(open, d + 1.0);
      rec.end_day(Day(d));
    }
  }
  Metric summary(const std::string& name) const {
    for (auto& m : rec.summaries())
      if (m.name == name) return m;
    ADD_FAILURE() << "no summary " << name;
    return {};
  }
};

TEST(Recorder, FinalOfARatioHasTheLastDaysCellsAndThePopulationMeanAsHeadline) {
  const ScoreRun run;
  const Metric m = run.summary("score_final");
  EXPECT_EQ(m.rule, "final");
  EXPECT_EQ(m.source, "score");
  EXPECT_EQ(m.combine, "ratio");
  EXPECT_TRUE(m.key);
  EXPECT_EQ(m.description, "On the last day: Mean score, by group.");
  ASSERT_EQ(m.values.size(), 2u);
  EXPECT_DOUBLE_EQ(m.values[0], (0.6 + 0.8) / 4);
  EXPECT_TRUE(std::isnan(m.values[1])) << "group b had nobody on the last day";
  EXPECT_EQ(m.headline_kind, "mean");
  EXPECT_DOUBLE_EQ(m.headline, (0.6 + 0.8) / 4) << "the empty group is skipped, not NaN";
  // The last day's denominators, for pooling with other communities: 4 residents of a, none of b.
  EXPECT_EQ(m.weights, (std::vector<double>{4, 0}));
  EXPECT_EQ(m.headline_weight, 4);
}

TEST(Recorder, MeanOverDaysPoolsARatiosNumeratorsAndDenominators) {
  const ScoreRun run;
  const Metric m = run.summary("pooled_mean");
  EXPECT_EQ(m.rule, "mean");
  EXPECT_DOUBLE_EQ(m.values[0], 3 * 1.4 / 12);
  EXPECT_DOUBLE_EQ(m.values[1], 0.9);
  // 14 resident-days: 12 of group a, 2 of group b. A sum of the group means would be 1.25.
  EXPECT_DOUBLE_EQ(m.headline, (3 * 1.4 + 2 * 0.9) / 14);
  EXPECT_EQ(m.weights, (std::vector<double>{12, 2}));
  EXPECT_EQ(m.headline_weight, 14);
  const Metric open = run.summary("open_mean");
  EXPECT_EQ(open.values, (std::vector<double>{2.0}));
  EXPECT_EQ(open.headline_kind, "total");
  EXPECT_EQ(open.headline, 2.0);
  EXPECT_TRUE(open.weights.empty()) << "a count has no weight";
  EXPECT_TRUE(std::isnan(open.headline_weight));
}

TEST(Recorder, CustomReductionsAreDeclaredBesideTheMetricAndWeightTheirHeadline) {
  Recorder rec(1, 2);
  const MetricId closed = rec.add({.name = "closed",
                                   .unit = "orders",
                                   .description = "Orders closed, by level.",
                                   .dims = {{"level", {"grid", "community"}}}});
  rec.add_summary({.name = "closed_share",
                   .unit = "share",
                   .description = "Share closed at each level.",
                   .dims = {{"level", {"grid", "community"}}},
                   .combine = Combine::Ratio,
                   .rule = "share_of_total",
                   .source = "closed",
                   .headline = false},
                  [closed](const Recorder& r) {
                    const auto s = r.series(closed);
                    const double all = s[0] + s[1] + s[2] + s[3];
                    return Reduced{{(s[0] + s[2]) / all, (s[1] + s[3]) / all}};
                  });
  rec.add_summary({.name = "wait_mean",
                   .unit = "days",
                   .description = "Mean wait, by level.",
                   .dims = {{"level", {"grid", "community"}}},
                   .combine = Combine::Ratio,
                   .rule = "over_run"},
                  [](const Recorder&) {
                    return Reduced{{1.0, 4.0}, {3.0, 1.0}};
                  });
  rec.add_summary({.name = "p90",
                   .unit = "days",
                   .description = "d",
                   .combine = Combine::None,
                   .rule = "percentile_90"},
                  [](const Recorder&) { return Reduced{{7.5}}; });
  rec.start();
  rec.grid_row(GridId(0)).add(closed, 0, 3);
  rec.end_day(Day(0));
  rec.grid_row(GridId(0)).add(closed, 1, 1);
  rec.end_day(Day(1));
  const auto summaries = rec.summaries();
  ASSERT_EQ(summaries.size(), 3u);
  EXPECT_EQ(summaries[0].values, (std::vector<double>{0.75, 0.25}));
  EXPECT_EQ(summaries[0].headline_kind, "none") << "shares of one whole have no single value";
  EXPECT_TRUE(std::isnan(summaries[0].headline));
  EXPECT_DOUBLE_EQ(summaries[1].headline, 7.0 / 4) << "weighted by each cell's denominator";
  EXPECT_EQ(summaries[1].weights, (std::vector<double>{3, 1}));
  EXPECT_EQ(summaries[1].headline_weight, 4);
  EXPECT_TRUE(std::isnan(summaries[0].headline_weight)) << "no headline, no headline weight";
  EXPECT_EQ(summaries[2].headline_kind, "value");
  EXPECT_EQ(summaries[2].headline, 7.5);
  // The series names the reduction that reads it; the declarations match what is written.
  const auto declared = rec.declarations();
  ASSERT_EQ(declared.timeseries.size(), 1u);
  EXPECT_EQ(declared.timeseries[0].rule, "share_of_total");
  EXPECT_EQ(declared.timeseries[0].combine, "sum");
  ASSERT_EQ(declared.summaries.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(declared.summaries[i].name, summaries[i].name);
    EXPECT_EQ(declared.summaries[i].headline_kind, summaries[i].headline_kind);
    EXPECT_TRUE(declared.summaries[i].values.empty());
  }
}

// A one-cell ratio summary whose reduction gives `r`.
void add_one_cell_ratio(Recorder& rec, const std::string& name, const Reduced& r) {
  rec.add_summary({.name = name,
                   .unit = "share",
                   .description = "d",
                   .combine = Combine::Ratio,
                   .rule = "over_run"},
                  [r](const Recorder&) { return r; });
}

// A one-cell ratio's weight is its denominator: its headline stays its value, bit for bit, and
// weighs the denominator (NaN, unknown, without a weight; 0 when it had no observations).
TEST(Recorder, AOneCellRatioKeepsItsValueAsHeadlineAndWeighsItsDenominator) {
  Recorder rec(1, 1);
  add_one_cell_ratio(rec, "weighed", {{1.0 / 49}, {49}});  // 1 / 49 x 49 is not 1; / 49 again is
  add_one_cell_ratio(rec, "unweighed", {{0.3}, {}});
  add_one_cell_ratio(rec, "unobserved", {{std::nan("")}, {0}});
  rec.start();
  rec.end_day(Day(0));
  const auto s = rec.summaries();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].headline, 1.0 / 49);
  EXPECT_EQ(s[0].weights, (std::vector<double>{49}));
  EXPECT_EQ(s[0].headline_weight, 49);
  EXPECT_EQ(s[1].headline, 0.3);
  EXPECT_TRUE(s[1].weights.empty());
  EXPECT_TRUE(std::isnan(s[1].headline_weight)) << "unknown, not empty";
  EXPECT_TRUE(std::isnan(s[2].headline));
  EXPECT_EQ(s[2].headline_weight, 0) << "known to weigh nothing";

  Recorder wrong(1, 1);
  add_one_cell_ratio(wrong, "too_many", {{0.5}, {2, 2}});
  wrong.start();
  wrong.end_day(Day(0));
  EXPECT_THROW(wrong.summaries(), std::logic_error) << "a weight for each cell, or none";
}

TEST(Recorder, ARunOfNoDaysHasTotalsButNoFinalValues) {
  Recorder rec(1, 0);
  rec.add({.name = "n", .unit = "count", .description = "d", .summary = EndRule::Total});
  rec.add({.name = "s", .unit = "count", .description = "d", .summary = EndRule::Final});
  rec.start();
  const auto summaries = rec.summaries();
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_EQ(summaries[0].values, (std::vector<double>{0.0}));
}

}  // namespace
}  // namespace commsim::output
