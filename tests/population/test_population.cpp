// The population builder produces the configured composition.

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "sim/population/population.hpp"
#include "sim/scenario/loader.hpp"

namespace commsim::population {
namespace {

Population baseline(std::uint64_t seed = 1) {
  const auto s = scenario::load_scenario_text("", "defaults.yaml").scenario;
  return build_population(s.community, {seed, 0});
}

TEST(Population, HouseholdsAndGridsFollowTheScenario) {
  const Population p = baseline();
  EXPECT_EQ(p.households(), 5025u);
  EXPECT_EQ(p.grids(), 12u);  // round(5025 / 420): Jinhuayuan's 12 grids [003]
  for (std::uint32_t g = 0; g < p.grids(); ++g) {
    const auto n = p.grid_households(GridId(g)).size();
    EXPECT_GE(n, 300u);  // the 300-500 rule [001]
    EXPECT_LE(n, 500u);
    EXPECT_LE(std::abs(static_cast<int>(n) - 5025 / 12), 1);
  }
}

TEST(Population, GroupSharesAreExact) {
  const Population p = baseline();
  std::vector<int> count(p.groups(), 0);
  for (auto g : p.household_group) ++count[g];
  const double shares[] = {0.55, 0.38, 0.03, 0.02, 0.02};
  for (std::size_t g = 0; g < p.groups(); ++g)
    EXPECT_LE(std::abs(count[g] - shares[g] * 5025), 1.0);
  for (std::uint32_t r = 0; r < p.residents(); ++r)
    ASSERT_EQ(p.resident_group[r], p.household_group[p.resident_household[r]]);
}

TEST(Population, GroupsAreMixedAcrossGrids) {
  // Free allocation: every grid holds Hui households, near their community share.
  const Population p = baseline();
  for (std::uint32_t g = 0; g < p.grids(); ++g) {
    const Range h = p.grid_households(GridId(g));
    int hui = 0;
    for (auto i = h.begin; i < h.end; ++i) hui += p.household_group[i] == 1;
    EXPECT_NEAR(hui / double(h.size()), 0.38, 0.1);
  }
}

TEST(Population, HouseholdSizesAndAgesMatchTheDistributions) {
  const Population p = baseline();
  const double mean_size = p.residents() / double(p.households());
  EXPECT_NEAR(mean_size, 2.17, 0.06);  // weights 0.30, 0.40, 0.18, 0.08, 0.03, 0.01
  int elderly = 0;
  for (auto e : p.resident_elderly) elderly += e;
  EXPECT_NEAR(elderly / double(p.residents()), 0.28, 0.03);
  for (std::uint32_t h = 0; h < p.households(); ++h)
    ASSERT_GE(p.resident_age[p.household_residents(h).begin], 18) << "household head is an adult";
}

TEST(Population, RangesNestAndAreContiguousByGrid) {
  const Population p = baseline();
  EXPECT_EQ(p.grid_first_resident.back(), p.residents());
  for (std::uint32_t g = 0; g < p.grids(); ++g) {
    const Range rs = p.grid_residents(GridId(g));
    for (auto r = rs.begin; r < rs.end; ++r) ASSERT_EQ(p.resident_grid(r), g);
    const Range bs = p.grid_buildings(GridId(g));
    for (auto b = bs.begin; b < bs.end; ++b) ASSERT_EQ(p.building_grid[b], g);
  }
  for (std::uint32_t s = 0; s < p.stairwells(); ++s)
    ASSERT_LE(p.stairwell_households(s).size(), 12u);
}

TEST(Population, SameSeedSameCommunityOtherSeedOther) {
  const Population a = baseline(1), b = baseline(1), c = baseline(2);
  EXPECT_EQ(a.resident_age, b.resident_age);
  EXPECT_EQ(a.household_group, b.household_group);
  EXPECT_NE(a.household_group, c.household_group);
}

TEST(Population, LowProficiencyFollowsGroupShares) {
  const auto s = scenario::load_scenario_text(
                     "community:\n  households: 20000\n  groups:\n    - {name: A, share: 0.5, "
                     "low_proficiency: 0.0}\n"
                     "    - {name: B, share: 0.5, low_proficiency: 0.4}\n  "
                     "low_proficiency_elderly_multiplier: 1\nstaffing: {languages: []}\n",
                     "s.yaml")
                     .scenario;
  const Population p = build_population(s.community, {3, 0});
  int n[2] = {0, 0}, low[2] = {0, 0};
  for (std::uint32_t r = 0; r < p.residents(); ++r) {
    ++n[p.resident_group[r]];
    low[p.resident_group[r]] += p.resident_proficiency[r] < 0.5f;
  }
  EXPECT_EQ(low[0], 0);
  EXPECT_NEAR(low[1] / double(n[1]), 0.4, 4 * std::sqrt(0.24 / n[1]));
}

// Digital access and low income by group (community.groups[]): a group's inputs move its own
// residents only; every other draw is the same as with the community's values (same seed).
TEST(Population, DigitalAccessAndLowIncomeFollowEachGroupsInputs) {
  const std::string groups =
      "community:\n  households: 20000\n  low_income_share: 0.1\n  groups:\n"
      "    - {name: A, share: 0.5}\n";
  const auto load = [&](const std::string& b) {
    return scenario::load_scenario_text(
               groups + "    - {name: B, share: 0.5" + b + "}\n" + "staffing: {languages: []}\n",
               "s.yaml")
        .scenario;
  };
  const auto same = load("");
  const auto other = load(", digital_access_multiplier: 0.5, low_income_share: 0.3");
  const Population p = build_population(same.community, {3, 0});
  const Population q = build_population(other.community, {3, 0});
  ASSERT_EQ(p.residents(), q.residents());
  double access[2][2] = {}, n[2] = {}, poor[2][2] = {}, households[2] = {};
  for (std::uint32_t r = 0; r < p.residents(); ++r) {
    const int g = p.resident_group[r];
    n[g] += 1;
    access[0][g] += p.resident_digital[r];
    access[1][g] += q.resident_digital[r];
    if (g == 0) {
      EXPECT_EQ(p.resident_digital[r], q.resident_digital[r]) << r;
    } else {  // halving the access can only take it away, from the same draw
      EXPECT_LE(q.resident_digital[r], p.resident_digital[r]) << r;
    }
  }
  for (std::uint32_t h = 0; h < p.households(); ++h) {
    const int g = p.household_group[h];
    households[g] += 1;
    poor[0][g] += p.household_low_income[h];
    poor[1][g] += q.household_low_income[h];
    if (g == 0) {
      EXPECT_EQ(p.household_low_income[h], q.household_low_income[h]) << h;
    } else {
      EXPECT_GE(q.household_low_income[h], p.household_low_income[h]) << h;
    }
  }
  EXPECT_NEAR(access[1][1] / access[0][1], 0.5, 0.03);          // every band's share halved
  EXPECT_NEAR(access[0][1] / n[1], access[0][0] / n[0], 0.02);  // identical groups: no gap
  EXPECT_NEAR(poor[0][0] / households[0], 0.1, 4 * std::sqrt(0.09 / households[0]));
  EXPECT_NEAR(poor[0][1] / households[1], 0.1, 4 * std::sqrt(0.09 / households[1]));
  EXPECT_NEAR(poor[1][1] / households[1], 0.3, 4 * std::sqrt(0.21 / households[1]));
  EXPECT_EQ(p.resident_age, q.resident_age);
  EXPECT_EQ(p.resident_proficiency, q.resident_proficiency);
}

}  // namespace
}  // namespace commsim::population
