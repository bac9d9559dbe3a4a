// Needs arise at the configured rates: counts over many days agree with the expected number
// (sum of daily probabilities) within four standard errors, by type.

#include <gtest/gtest.h>

#include <cmath>

#include "sim/model/needs.hpp"
#include "sim/scenario/loader.hpp"

namespace commsim::model {
namespace {

struct NeedsWorld {
  scenario::Scenario s;
  population::Population pop;
  explicit NeedsWorld(const std::string& yaml)
      : s(scenario::load_scenario_text(yaml, "s.yaml").scenario),
        pop(population::build_population(s.community, {11, 0})) {}
};

// The needs that arise in grid 0 over `days` days (stream key {1, 0}).
WorkOrders grid0_needs(const NeedsWorld& t, int days) {
  output::Recorder rec(t.pop.grids(), days);
  const NeedArrival needs(t.s.needs, t.pop, rec);
  rec.start();
  WorkOrders log;
  for (int d = 0; d < days; ++d)
    needs.arise(t.pop, GridId(0), Day(d), {1, 0}, log, rec.grid_row(GridId(0)));
  return log;
}

TEST(Needs, CountsMatchTheExpectedRatesByType) {
  NeedsWorld t("run: {days: 1000}\n");
  output::Recorder rec(t.pop.grids(), t.s.run.days);
  const NeedArrival needs(t.s.needs, t.pop, rec);
  rec.start();
  std::vector<WorkOrders> logs(t.pop.grids());
  for (int d = 0; d < t.s.run.days; ++d) {
    for (std::uint32_t g = 0; g < t.pop.grids(); ++g)
      needs.arise(t.pop, GridId(g), Day(d), {11, 0}, logs[g], rec.grid_row(GridId(g)));
    rec.end_day(Day(d));
  }
  const std::size_t types = t.s.needs.types.size();
  std::vector<double> observed(types, 0.0), expected(types, 0.0);
  for (const auto& log : logs)
    for (const auto& n : log.log) observed[n.type] += 1;
  // Expected: the daily probability of each unit, summed over units and days.
  for (std::size_t k = 0; k < types; ++k) {
    const auto& type = t.s.needs.types[k];
    double daily = 0;
    using S = scenario::NeedScope;
    for (std::uint32_t b = 0; b < t.pop.buildings(); ++b) {
      const double age = t.pop.building_age[b];
      if (type.scope == S::Building) daily += needs.daily_probability(k, false, false, false, age);
      if (type.scope == S::Stairwell)
        daily += t.pop.building_stairwells(b).size() *
                 needs.daily_probability(k, false, false, false, age);
    }
    for (std::uint32_t h = 0; h < t.pop.households() && type.scope == S::Household; ++h)
      daily += needs.daily_probability(
          k, t.pop.household_has_elderly[h], t.pop.household_has_child[h],
          t.pop.household_low_income[h],
          t.pop.building_age[t.pop.stairwell_building[t.pop.household_stairwell[h]]]);
    for (std::uint32_t r = 0; r < t.pop.residents() && type.scope == S::Resident; ++r) {
      const auto h = t.pop.resident_household[r];
      daily += needs.daily_probability(
          k, t.pop.resident_elderly[r], t.pop.resident_child[r], t.pop.household_low_income[h],
          t.pop.building_age[t.pop.stairwell_building[t.pop.household_stairwell[h]]]);
    }
    expected[k] = daily * t.s.run.days;
    SCOPED_TRACE(type.name);
    EXPECT_GT(expected[k], 100);
    EXPECT_NEAR(observed[k], expected[k], 4.0 * std::sqrt(expected[k]));
  }
  // The recorded series holds the same counts as the logs (concordance).
  double recorded = 0, logged = 0;
  for (const auto& m : rec.timeseries())
    if (m.name == "needs_arisen")
      for (double v : m.values) recorded += v;
  for (double o : observed) logged += o;
  EXPECT_EQ(recorded, logged);
}

TEST(Needs, ZeroRatesGiveZeroNeeds) {
  std::string yaml =
      "needs:\n  types:\n    - {name: a, scope: resident, rate: 0}\n    - {name: b, scope: "
      "building, rate: 0}\ncasework: {types: []}\nvolunteers: {teams: []}\n";
  const NeedsWorld t(yaml);
  EXPECT_TRUE(grid0_needs(t, 30).log.empty());
}

TEST(Needs, ElderlyOnlyTypesArriseOnlyForTheElderly) {
  const NeedsWorld t(
      "needs:\n  types:\n    - {name: care, scope: resident, who: elderly, rate: 20}\n"
      "casework: {types: []}\nvolunteers: {teams: []}\n");
  const auto log = grid0_needs(t, 30);
  ASSERT_FALSE(log.log.empty());
  for (const auto& n : log.log) ASSERT_TRUE(t.pop.resident_elderly[n.resident]);
}

TEST(Needs, OlderBuildingsHaveMoreRepairNeeds) {
  NeedsWorld t("");
  output::Recorder rec(t.pop.grids(), 1);
  const NeedArrival needs(t.s.needs, t.pop, rec);
  const std::size_t repair = 3;  // housing_repair, growth 0.3 per decade
  ASSERT_EQ(t.s.needs.types[repair].name, "housing_repair");
  const double young = needs.daily_probability(repair, false, false, false, 5);
  const double old = needs.daily_probability(repair, false, false, false, 35);
  EXPECT_NEAR(old / young, std::pow(1.3, 3.0), 0.01);
}

}  // namespace
}  // namespace commsim::model
