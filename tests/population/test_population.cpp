// The population builder produces the configured composition.

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "sim/population/population.hpp"
#include "sim/scenario/loader.hpp"
#include "support/test_support.hpp"

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

// A group's own age structure and household sizes (community.groups[].age_band_shares,
// household_size_weights) are drawn for its households only; the other group's households draw
// exactly as before (same seed), and inputs equal to the community's change nothing at all.
TEST(Population, AGroupsOwnAgesAndHouseholdSizesAreItsAlone) {
  const auto load = [](const std::string& b) {
    return scenario::load_scenario_text(
               "community:\n  households: 20000\n  groups:\n    - {name: A, share: 0.5}\n"
               "    - {name: B, share: 0.5" +
                   b + "}\nstaffing: {languages: []}\n",
               "s.yaml")
        .scenario;
  };
  const auto plain = load("");
  const Population p = build_population(plain.community, {3, 0});
  // The community's own values written out: the same community, bit for bit.
  const Population same =
      build_population(load(", age_band_shares: [0.14, 0.58, 0.22, 0.06], household_size_weights: "
                            "[0.30, 0.40, 0.18, 0.08, 0.03, 0.01]")
                           .community,
                       {3, 0});
  EXPECT_EQ(same.resident_age, p.resident_age);
  EXPECT_EQ(same.household_first_resident, p.household_first_resident);
  EXPECT_EQ(same.resident_proficiency, p.resident_proficiency);
  // B older (no children, half its residents 80+) and in households of four.
  const Population q = build_population(
      load(", age_band_shares: [0, 0.2, 0.3, 0.5], household_size_weights: [0, 0, 0, 1]").community,
      {3, 0});
  double n = 0, oldest = 0, children = 0;
  for (std::uint32_t h = 0; h < q.households(); ++h) {
    const Range r = q.household_residents(h);
    if (q.household_group[h] == 0) {
      const Range rp = p.household_residents(h);
      ASSERT_EQ(r.size(), rp.size()) << h;
      for (std::uint32_t i = 0; i < r.size(); ++i)
        ASSERT_EQ(q.resident_age[r.begin + i], p.resident_age[rp.begin + i]);
      continue;
    }
    ASSERT_EQ(r.size(), 4u) << h;
    for (std::uint32_t i = r.begin; i < r.end; ++i) {
      n += 1;
      oldest += q.resident_age[i] >= 80;
      children += q.resident_age[i] <= 14;
    }
  }
  EXPECT_EQ(children, 0);
  EXPECT_NEAR(oldest / n, 0.5, 4 * std::sqrt(0.25 / n));
}

// ---- A community from its register (community.register) --------------------------------------

// The scenario `yaml` with community.register set to `csv`, written in `dir`.
scenario::Scenario with_register(const test::TempDir& dir, const std::string& csv,
                                 const std::string& yaml = {}) {
  test::write_file(dir / "households.csv", csv);
  test::write_file(dir / "s.yaml", yaml + "\n");
  return scenario::load_scenario(dir / "s.yaml",
                                 {"community.register=" + (dir / "households.csv").string()})
      .scenario;
}

// The synthetic baseline community written as a register and read back is the same community:
// layout, groups, ages, bands, flags, proficiency, app use and building ages, array by array, and
// the register it writes again is the same text.
TEST(Population, ARegisterWrittenFromACommunityBuildsTheSameCommunity) {
  const auto s = scenario::load_scenario_text("", "defaults.yaml").scenario;
  const Population p = build_population(s.community, {1, 0});
  const std::string csv = scenario::register_csv(as_register(p, s), s.community);
  test::TempDir dir;
  const auto r = with_register(dir, csv);
  ASSERT_TRUE(r.community.household_register);
  EXPECT_EQ(r.community.households, 5025);
  const Population q = build_population(r.community, {99, 0});  // nothing left to draw
  EXPECT_EQ(q.grid_names(), p.grid_names());
  EXPECT_EQ(q.grid_first_building, p.grid_first_building);
  EXPECT_EQ(q.grid_first_stairwell, p.grid_first_stairwell);
  EXPECT_EQ(q.grid_first_household, p.grid_first_household);
  EXPECT_EQ(q.grid_first_resident, p.grid_first_resident);
  EXPECT_EQ(q.building_grid, p.building_grid);
  EXPECT_EQ(q.building_age, p.building_age);
  EXPECT_EQ(q.building_first_stairwell, p.building_first_stairwell);
  EXPECT_EQ(q.stairwell_building, p.stairwell_building);
  EXPECT_EQ(q.stairwell_first_household, p.stairwell_first_household);
  EXPECT_EQ(q.household_stairwell, p.household_stairwell);
  EXPECT_EQ(q.household_first_resident, p.household_first_resident);
  EXPECT_EQ(q.household_group, p.household_group);
  EXPECT_EQ(q.household_low_income, p.household_low_income);
  EXPECT_EQ(q.household_has_elderly, p.household_has_elderly);
  EXPECT_EQ(q.household_has_child, p.household_has_child);
  EXPECT_EQ(q.resident_household, p.resident_household);
  EXPECT_EQ(q.resident_group, p.resident_group);
  EXPECT_EQ(q.resident_age, p.resident_age);
  EXPECT_EQ(q.resident_age_band, p.resident_age_band);
  EXPECT_EQ(q.resident_elderly, p.resident_elderly);
  EXPECT_EQ(q.resident_child, p.resident_child);
  EXPECT_EQ(q.resident_digital, p.resident_digital);
  EXPECT_EQ(q.resident_proficiency, p.resident_proficiency);
  // Draws behind given flags lie on the flag's side of the group's share.
  for (std::uint32_t h = 0; h < q.households(); ++h)
    ASSERT_EQ(
        q.household_income_draw[h] < scenario::low_income_share(r.community, q.household_group[h]),
        q.household_low_income[h] != 0)
        << h;
  EXPECT_EQ(scenario::register_csv(as_register(q, r), r.community), csv);
}

// What a register leaves empty is drawn from the groups' inputs as the synthetic builder draws
// it: the shares agree with the inputs within sampling error, and different seeds draw anew.
TEST(Population, WhatARegisterLeavesEmptyIsDrawnFromTheGroupsInputs) {
  std::string csv = "household,building,group,ages\n";
  for (int i = 0; i < 8000; ++i)
    csv += "h" + std::to_string(i) + ",B" + std::to_string(i / 40) + "," + (i % 2 ? "B" : "A") +
           ",30;35\n";
  test::TempDir dir;
  const auto s =
      with_register(dir, csv,
                    "community:\n  low_income_share: 0.1\n  low_proficiency_elderly_multiplier: 1\n"
                    "  groups:\n    - {name: A, share: 0.5, low_proficiency: 0.0}\n"
                    "    - {name: B, share: 0.5, low_proficiency: 0.4, low_income_share: 0.3,"
                    " digital_access_multiplier: 0.5}\nstaffing: {languages: []}");
  const Population p = build_population(s.community, {3, 0});
  ASSERT_EQ(p.residents(), 16000u);
  double poor[2] = {}, low[2] = {}, app[2] = {};
  for (std::uint32_t h = 0; h < p.households(); ++h)
    poor[p.household_group[h]] += p.household_low_income[h];
  for (std::uint32_t r = 0; r < p.residents(); ++r) {
    low[p.resident_group[r]] += p.resident_proficiency[r] < 0.5f;
    app[p.resident_group[r]] += p.resident_digital[r];
  }
  const auto near = [](double count, double n, double share) {
    EXPECT_NEAR(count / n, share, 4 * std::sqrt(share * (1 - share) / n) + 1e-12);
  };
  near(poor[0], 4000, 0.1);
  near(poor[1], 4000, 0.3);
  near(low[0], 8000, 0.0);
  near(low[1], 8000, 0.4);
  // Ages 30 and 35: the working-age band's access, 0.92, halved for group B.
  near(app[0], 8000, 0.92);
  near(app[1], 8000, 0.46);
  const Population q = build_population(s.community, {4, 0});
  EXPECT_NE(q.resident_proficiency, p.resident_proficiency);
  EXPECT_EQ(q.resident_age, p.resident_age);
}

}  // namespace
}  // namespace commsim::population
