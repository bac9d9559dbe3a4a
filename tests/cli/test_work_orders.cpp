// /events/work_orders: off by default; when on, its rows agree exactly with the time series and
// summaries (reported by channel, opened, resolved by level, hidden, time to resolution) and are
// the same on any thread count.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/scenario/loader.hpp"
#include "support/test_support.hpp"

namespace commsim::test {
namespace {

const std::vector<std::int64_t>& ints(const output::Table& t, const std::string& name) {
  for (const auto& c : t.columns)
    if (c.name == name) return std::get<std::vector<std::int64_t>>(c.data);
  throw std::runtime_error("no column " + name);
}

const output::Column& column(const output::Table& t, const std::string& name) {
  for (const auto& c : t.columns)
    if (c.name == name) return c;
  throw std::runtime_error("no column " + name);
}

RunFile run_baseline(const TempDir& dir, const std::string& name,
                     const std::vector<std::string>& extra) {
  const auto out = dir / (name + ".h5");
  std::vector<std::string> args = {
      "run", "scenarios/baseline.yaml", "-o", out.string(), "--days", "120", "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_commsim(args);
  if (r.exit_code != 0) throw std::runtime_error(r.err);
  return read_run_file(out);
}

TEST(WorkOrderTable, OffByDefault) {
  TempDir dir;
  const auto f = run_baseline(dir, "off", {});
  EXPECT_TRUE(f.result.tables.empty());
}

TEST(WorkOrderTable, AgreesExactlyWithTheTimeSeriesAndSummaries) {
  TempDir dir;
  const auto f = run_baseline(dir, "on", {"--set", "output.work_order_events=true"});
  ASSERT_EQ(f.result.tables.size(), 1u);
  const output::Table& t = f.result.tables.front();
  ASSERT_EQ(t.name, "work_orders");
  const auto& arisen = ints(t, "day_arisen");
  const auto& reported = ints(t, "day_reported");
  const auto& channel = ints(t, "channel");
  const auto& level = ints(t, "level");
  const auto& resolved = ints(t, "day_resolved");
  const auto& closed_unresolved = ints(t, "day_closed_unresolved");
  const auto& handler = ints(t, "handler");
  const auto& days = std::get<std::vector<double>>(column(t, "days_to_resolution").data);
  const std::size_t rows = arisen.size();
  ASSERT_GT(rows, 1000u);

  const auto& s = f.result.summaries;
  const auto total = [](const output::Metric& m) {
    return std::accumulate(m.values.begin(), m.values.end(), 0.0);
  };
  EXPECT_EQ(static_cast<double>(rows), total(find_metric(s, "needs_arisen")));

  // Labels of the coded columns.
  EXPECT_EQ(column(t, "channel").labels, find_metric(s, "needs_reported").dims.at(0).labels);
  EXPECT_EQ(column(t, "level").labels, find_metric(s, "work_orders_resolved").dims.at(0).labels);
  EXPECT_EQ(column(t, "handler").labels.size(), 7u);
  EXPECT_EQ(column(t, "resident_group").labels, find_metric(s, "residents").dims.at(0).labels);

  std::vector<double> by_channel(column(t, "channel").labels.size(), 0.0), by_level(4, 0.0);
  double opened = 0, hidden = 0;
  std::vector<double> durations;
  for (std::size_t r = 0; r < rows; ++r) {
    if (reported[r] >= 0) {
      opened += 1;
      ASSERT_GE(channel[r], 0);
      by_channel.at(static_cast<std::size_t>(channel[r])) += 1;
      EXPECT_GE(reported[r], arisen[r]);
      if (resolved[r] >= 0) {
        EXPECT_GE(resolved[r], reported[r]);
        ASSERT_GE(level[r], 0);
        ASSERT_GE(handler[r], 0);
        by_level.at(static_cast<std::size_t>(level[r])) += 1;
        ASSERT_FALSE(std::isnan(days[r]));
        EXPECT_GE(days[r], 0.0);
        // Fractional days lie within the whole days of report and resolution.
        EXPECT_LE(days[r], static_cast<double>(resolved[r] - reported[r]) + 2.0);
        durations.push_back(days[r]);
      } else {
        EXPECT_EQ(level[r], -1);
        EXPECT_EQ(handler[r], -1);
      }
    } else {
      EXPECT_EQ(channel[r], -1);
      if (resolved[r] < 0) hidden += 1;
    }
  }
  EXPECT_EQ(by_channel, find_metric(s, "needs_reported").values);
  EXPECT_EQ(opened, find_metric(s, "work_orders_opened").values.at(0));
  EXPECT_EQ(by_level, find_metric(s, "work_orders_resolved").values);
  // The table holds the run's cohort (needs arisen from day 0); the hidden needs of the series are
  // a state, the burn-in's still hidden included.
  const auto& hidden_series = find_metric(f.result.timeseries, "needs_hidden").values;
  EXPECT_EQ(hidden, find_metric(s, "needs_hidden_end_of_run_cohort").values.at(0));
  EXPECT_LE(hidden, hidden_series.back());
  EXPECT_EQ(find_metric(s, "needs_hidden_end").values.at(0), hidden_series.back());
  EXPECT_GT(hidden, 0);

  // The summaries' percentiles are taken from the same fractional durations.
  std::sort(durations.begin(), durations.end());
  const auto pct = [&](double q) {
    return durations[std::min(durations.size() - 1,
                              static_cast<std::size_t>(q * static_cast<double>(durations.size())))];
  };
  EXPECT_EQ(pct(0.5), find_metric(s, "time_to_resolution_p50").values.at(0));
  EXPECT_EQ(pct(0.9), find_metric(s, "time_to_resolution_p90").values.at(0));
  EXPECT_NEAR(std::accumulate(durations.begin(), durations.end(), 0.0) /
                  static_cast<double>(durations.size()),
              find_metric(s, "time_to_resolution_mean").values.at(0), 1e-9);
  // Informative percentiles: most orders close within the day they are reported, not at 0.
  EXPECT_GT(pct(0.5), 0.0);
  EXPECT_LT(pct(0.5), pct(0.9));

  // With the open orders at their ages at the end of the last day: an order reported on day r is
  // between D - r - 1 and D - r days old then (it was reported some time during day r).
  const auto run_days = static_cast<double>(hidden_series.size());
  double closed_sum = std::accumulate(durations.begin(), durations.end(), 0.0), young = 0, old = 0;
  double open = 0;
  for (std::size_t r = 0; r < rows; ++r)
    if (reported[r] >= 0 && closed_unresolved[r] >= 0) {
      // Closed unresolved on day c: counted at its whole days to closing, c - r.
      open += 1;
      young += static_cast<double>(closed_unresolved[r] - reported[r]) - 1e-9;
      old += static_cast<double>(closed_unresolved[r] - reported[r]) + 1e-9;
    } else if (reported[r] >= 0 && resolved[r] < 0) {
      open += 1;
      young += run_days - static_cast<double>(reported[r]) - 1;
      old += run_days - static_cast<double>(reported[r]);
    }
  ASSERT_GT(open, 0);
  const double with_open = find_metric(s, "time_to_resolution_mean_with_open").values.at(0);
  const double n = static_cast<double>(durations.size()) + open;
  EXPECT_GE(with_open, (closed_sum + young) / n - 1e-9);
  EXPECT_LE(with_open, (closed_sum + old) / n + 1e-9);
  EXPECT_GT(with_open, find_metric(s, "time_to_resolution_mean").values.at(0))
      << "the baseline's open orders are mostly old ones no department solved";
}

TEST(WorkOrderTable, BreachesAreTheOrdersClosedLateOrStillOpenPastTheirCommitment) {
  TempDir dir;
  const int days = 120;
  const auto f = run_baseline(dir, "breach", {"--set", "output.work_order_events=true"});
  const output::Table& t = f.result.tables.front();
  const auto s = scenario::load_scenario(source_dir() / "scenarios/baseline.yaml").scenario;
  const auto& type_names = column(t, "type").labels;
  std::vector<double> commitment(type_names.size(), s.casework.commitment_days);
  for (const auto& ty : s.casework.types)
    for (std::size_t k = 0; k < type_names.size(); ++k)
      if (type_names[k] == ty.name) commitment[k] = ty.commitment_days;
  const auto& type = ints(t, "type");
  const auto& reported = ints(t, "day_reported");
  const auto& resolved = ints(t, "day_resolved");
  const auto& took = std::get<std::vector<double>>(column(t, "days_to_resolution").data);
  double late = 0, overdue = 0;
  for (std::size_t r = 0; r < type.size(); ++r) {
    if (reported[r] < 0) continue;
    const double c = commitment.at(static_cast<std::size_t>(type[r]));
    if (resolved[r] >= 0) {
      late += took[r] > c;
    } else {
      overdue += (days - 1) - reported[r] >= static_cast<std::int64_t>(std::ceil(c)) + 1;
    }
  }
  EXPECT_GT(late, 0);
  EXPECT_GT(overdue, 0);
  EXPECT_EQ(late + overdue, find_metric(f.result.summaries, "commitment_breaches").values.at(0));
}

TEST(WorkOrderTable, IsTheSameOnOneAndFourThreads) {
  TempDir dir;
  const auto one =
      run_baseline(dir, "t1", {"--set", "output.work_order_events=true", "--threads", "1"});
  const auto four =
      run_baseline(dir, "t4", {"--set", "output.work_order_events=true", "--threads", "4"});
  ASSERT_EQ(one.result.tables.size(), 1u);
  ASSERT_EQ(four.result.tables.size(), 1u);
  const auto& a = one.result.tables[0];
  const auto& b = four.result.tables[0];
  ASSERT_EQ(a.columns.size(), b.columns.size());
  for (std::size_t c = 0; c < a.columns.size(); ++c) {
    EXPECT_EQ(a.columns[c].name, b.columns[c].name);
    if (const auto* v = std::get_if<std::vector<double>>(&a.columns[c].data)) {
      const auto& w = std::get<std::vector<double>>(b.columns[c].data);
      ASSERT_EQ(v->size(), w.size());
      for (std::size_t r = 0; r < v->size(); ++r)
        EXPECT_TRUE((std::isnan((*v)[r]) && std::isnan(w[r])) || (*v)[r] == w[r]) << r;
    } else {
      EXPECT_EQ(a.columns[c].data, b.columns[c].data) << a.columns[c].name;
    }
  }
}

}  // namespace
}  // namespace commsim::test
