// The bytes an MPI worker sends for a finished run decode to the same RunResult, every field of
// it: an MPI sweep must write what a single process writes.

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "sim/experiment/run_codec.hpp"
#include "support/test_support.hpp"

namespace commsim::experiment {
namespace {

output::RunResult sample() {
  output::RunResult r;
  r.days = 2;
  r.start_weekday = 3;
  r.timeseries.push_back(
      {"needs_arisen", "needs", "New needs.", {{"group", {"Han", "Hui"}}}, {1.0, 2.0, 3.0, 4.5}});
  r.summaries.push_back({"closure_rate", "share", "Resolved / opened.", {}, {0.95}});
  // The declaration's rules, which rank 0 writes as attributes.
  r.summaries.back().combine = "ratio";
  r.summaries.back().rule = "over_run";
  r.summaries.back().source = "closure_rate";
  r.summaries.back().headline = 0.95;
  r.summaries.back().headline_kind = "mean";
  r.summaries.back().headline_weight = 412.0;
  r.summaries.back().key = true;
  output::Table t;
  t.name = "work_orders";
  t.description = "One row per need.";
  t.columns.push_back({"channel",
                       "",
                       "Reporting channel.",
                       std::vector<std::int64_t>{0, -1, 2},
                       {"patrol", "steward", "hotline"}});
  t.columns.push_back(
      {"days_to_resolution", "days", "Fractional days.", std::vector<double>{0.5, 1.25, 3.0}, {}});
  t.columns.push_back({"seed",
                       "",
                       "Seeds use all 64 bits.",
                       std::vector<std::uint64_t>{~std::uint64_t{0}, 1, 2},
                       {}});
  r.tables.push_back(t);
  return r;
}

void expect_same_metric(const output::Metric& a, const output::Metric& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.unit, b.unit);
  EXPECT_EQ(a.description, b.description);
  ASSERT_EQ(a.dims.size(), b.dims.size());
  for (std::size_t d = 0; d < a.dims.size(); ++d) {
    EXPECT_EQ(a.dims[d].name, b.dims[d].name);
    EXPECT_EQ(a.dims[d].labels, b.dims[d].labels);
  }
  EXPECT_EQ(a.values, b.values);
  EXPECT_EQ(a.combine, b.combine);
  EXPECT_EQ(a.rule, b.rule);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.headline_kind, b.headline_kind);
  EXPECT_EQ(std::isnan(a.headline), std::isnan(b.headline));
  if (!std::isnan(a.headline)) {
    EXPECT_EQ(a.headline, b.headline);
  }
  EXPECT_EQ(std::isnan(a.headline_weight), std::isnan(b.headline_weight));
  if (!std::isnan(a.headline_weight)) {
    EXPECT_EQ(a.headline_weight, b.headline_weight);
  }
  EXPECT_EQ(a.key, b.key);
}

TEST(RunCodec, EveryFieldOfARunSurvivesTheTrip) {
  const auto r = sample();
  const auto bytes = encode_run(r);
  const auto back = decode_run(bytes.data(), bytes.size());
  EXPECT_EQ(back.days, r.days);
  EXPECT_EQ(back.start_weekday, r.start_weekday);
  ASSERT_EQ(back.timeseries.size(), 1u);
  expect_same_metric(back.timeseries[0], r.timeseries[0]);
  ASSERT_EQ(back.summaries.size(), 1u);
  expect_same_metric(back.summaries[0], r.summaries[0]);
  ASSERT_EQ(back.tables.size(), 1u);
  EXPECT_EQ(back.tables[0].name, r.tables[0].name);
  EXPECT_EQ(back.tables[0].description, r.tables[0].description);
  ASSERT_EQ(back.tables[0].columns.size(), 3u);
  for (std::size_t c = 0; c < 3; ++c) {
    const auto& a = back.tables[0].columns[c];
    const auto& b = r.tables[0].columns[c];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.unit, b.unit);
    EXPECT_EQ(a.description, b.description);
    EXPECT_EQ(a.data, b.data) << a.name << ": the values and their type";
    EXPECT_EQ(a.labels, b.labels) << a.name << ": the code labels (labels_<column>)";
  }
}

// A region's run: its communities and subdistricts (time series, summaries with their
// headline_weight, event tables) and the region's tables travel with it.
TEST(RunCodec, ARegionRunKeepsItsPartsAndTables) {
  const auto r = test::region_run();
  const auto bytes = encode_run(r);
  const auto back = decode_run(bytes.data(), bytes.size());
  EXPECT_TRUE(test::same_run(r, back));
  ASSERT_EQ(back.parts.size(), 3u);
  EXPECT_EQ(back.parts[1].name, "金花园/East.2");
  EXPECT_EQ(back.parts[1].subdistrict, "S01");
  EXPECT_EQ(back.parts[1].summaries.at(0).headline_weight, 70.0);
  EXPECT_TRUE(std::isnan(back.parts[1].summaries.at(1).headline_weight));
  ASSERT_EQ(back.region_tables.size(), 2u);
  EXPECT_EQ(back.region_tables[0].columns[0].labels,
            (std::vector<std::string>{"C001", "金花园/East.2"}));
}

TEST(RunCodec, ACutMessageIsAnErrorNotAShorterRun) {
  for (const auto& run : {sample(), test::region_run()}) {
    const auto bytes = encode_run(run);
    for (std::size_t n : {std::size_t{0}, std::size_t{7}, bytes.size() / 2, bytes.size() - 1})
      EXPECT_THROW(decode_run(bytes.data(), n), std::runtime_error) << n << " bytes";
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_THROW(decode_run(longer.data(), longer.size()), std::runtime_error);
  }
}

}  // namespace
}  // namespace commsim::experiment
