// Validation: after the burn-in (run.burn_in_days) every state metric of the baseline is
// stationary. A 10-year run, 3 seeds, of the baseline down-scaled to 1,500 households (the same
// mechanisms: every grid, the centre, departments, councils, moves; the full baseline costs
// about three times as long): the slope of the yearly means over years 2-10 is within
// kSlopePerYear (0.01 a year) for each well-being measure by group, trust and attitude by group,
// within 1% of the mean a year for ties per resident by group, within
// kRelativeSlopePerYear of the mean for open orders and vacancies, and open orders are bounded.
// On main before the burn-in and the terminal state, open orders grew linearly and trust fell by
// ~0.07 a year, so this test fails there. Also: burn-in days are not recorded and keep a run
// bitwise identical on 1 and 2 threads.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sim/engine/simulation.hpp"
#include "sim/scenario/loader.hpp"
#include "support/test_support.hpp"

namespace commsim::engine {
namespace {

constexpr double kSlopePerYear = 0.01;          // scores and shares (0..1)
constexpr double kTieSlopePerYear = 0.01;       // ties per resident (0..8): of their mean
constexpr double kRelativeSlopePerYear = 0.10;  // open orders and vacancies, of their mean
constexpr double kOpenBound = 3.0;              // highest day's open orders / mean of years 2-10

scenario::Scenario downscaled(std::uint64_t seed, std::int64_t days, std::int64_t burn_in) {
  return scenario::load_scenario(
             test::source_dir() / "scenarios/baseline.yaml",
             {"community.households=1500", "run.days=" + std::to_string(days),
              "run.burn_in_days=" + std::to_string(burn_in), "run.seed=" + std::to_string(seed)})
      .scenario;
}

const output::Metric& series(const output::RunResult& r, const std::string& name) {
  for (const auto& m : r.timeseries)
    if (m.name == name) return m;
  throw std::runtime_error("no time series " + name);
}

// Least-squares slope of y over x = 0, 1, ...
double slope(const std::vector<double>& y) {
  const double n = static_cast<double>(y.size()), mx = (n - 1) / 2;
  double my = 0, sxy = 0, sxx = 0;
  for (double v : y) my += v / n;
  for (std::size_t i = 0; i < y.size(); ++i) {
    sxy += (i - mx) * (y[i] - my);
    sxx += (i - mx) * (i - mx);
  }
  return sxy / sxx;
}

// Yearly means of cell c over years 2..10 (the first recorded year left out); NaN days skipped.
std::vector<double> yearly(const output::Metric& m, std::size_t c, std::size_t cells) {
  std::vector<double> out;
  for (std::size_t y = 1; y < 10; ++y) {
    double sum = 0, n = 0;
    for (std::size_t d = y * 365; d < (y + 1) * 365; ++d) {
      const double v = m.values[d * cells + c];
      if (!std::isnan(v)) sum += v, n += 1;
    }
    out.push_back(n > 0 ? sum / n : std::nan(""));
  }
  return out;
}

TEST(Stationarity, EveryStateMetricIsStationaryAfterTheBurnIn) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto s = downscaled(seed, 3650, 1095);
    const auto out = run_simulation(s, {.seed = seed, .run = 0, .threads = 1});
    const auto& r = out.result;
    ASSERT_EQ(r.days, 3650);
    for (const char* name : {"sense_of_gain", "happiness", "security", "trust", "belonging",
                             "ties_per_resident", "intergroup_attitude"}) {
      const bool ties = std::string(name) == "ties_per_resident";
      const auto& m = series(r, name);
      const std::size_t cells = m.values.size() / 3650;
      for (std::size_t c = 0; c < cells; ++c) {
        const auto y = yearly(m, c, cells);
        if (std::any_of(y.begin(), y.end(), [](double v) { return std::isnan(v); })) continue;
        double mean = 0;
        for (double v : y) mean += v / static_cast<double>(y.size());
        EXPECT_LT(std::abs(slope(y)), ties ? kTieSlopePerYear * mean : kSlopePerYear)
            << name << " cell " << c << " seed " << seed;
      }
    }
    for (const char* name : {"work_orders_open", "vacant_dwellings"}) {
      const auto y = yearly(series(r, name), 0, 1);
      double mean = 0;
      for (double v : y) mean += v / static_cast<double>(y.size());
      EXPECT_LT(std::abs(slope(y)), kRelativeSlopePerYear * std::max(mean, 10.0))
          << name << " seed " << seed;
      if (std::string(name) == "work_orders_open") {
        const auto& v = series(r, name).values;
        EXPECT_LT(*std::max_element(v.begin() + 365, v.end()), kOpenBound * std::max(mean, 10.0))
            << "open orders unbounded, seed " << seed;
      }
    }
  }
}

TEST(Stationarity, BurnInDaysAreNotRecordedAndRunsAreIdenticalOnOneAndTwoThreads) {
  const auto s = downscaled(7, 20, 40);
  const auto one = run_simulation(s, {.seed = 7, .run = 0, .threads = 1}).result;
  const auto two = run_simulation(s, {.seed = 7, .run = 0, .threads = 2}).result;
  ASSERT_EQ(one.days, 20);
  ASSERT_EQ(one.timeseries.size(), two.timeseries.size());
  for (std::size_t k = 0; k < one.timeseries.size(); ++k) {
    const auto& a = one.timeseries[k].values;
    const auto& b = two.timeseries[k].values;
    ASSERT_EQ(a.size(), b.size()) << one.timeseries[k].name;
    for (std::size_t i = 0; i < a.size(); ++i)
      ASSERT_TRUE(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))
          << one.timeseries[k].name << " value " << i;
  }
  // The burn-in changes the state day 0 starts from: the first recorded day differs.
  const auto cold = run_simulation(downscaled(7, 20, 0), {.seed = 7, .run = 0, .threads = 1});
  EXPECT_NE(series(one, "trust").values, series(cold.result, "trust").values);
}

}  // namespace
}  // namespace commsim::engine
