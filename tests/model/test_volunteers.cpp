// Volunteer teams drawn from residents: who joins, who leaves (overload, moving away), refilling.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/model/resident_state.hpp"
#include "sim/model/volunteers.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/loader.hpp"
#include "support/test_support.hpp"

namespace commsim::model {
namespace {

scenario::Scenario baseline() {
  return scenario::load_scenario(test::source_dir() / "scenarios/baseline.yaml").scenario;
}

scenario::VolunteersSpec one_team(std::int64_t members) {
  scenario::VolunteersSpec v;
  v.teams.push_back({"care", members, 2.0, {}, 0.0});
  v.min_age = 18;
  v.max_age = 80;
  v.stretch = 1.0;
  v.overload_weeks = 2;
  v.quit_probability = 0.2;
  v.recruit_rate = 0.0;
  return v;
}

// Runs day `d` for every grid.
void start_day(Volunteers& v, const population::Population& pop, std::int32_t d,
               const ResidentState& residents) {
  for (std::uint32_t g = 0; g < pop.grids(); ++g)
    v.start_day(pop, g, d, d % 7 == 0, {5, 0}, residents);
}

TEST(Volunteers, MembersAreEligibleResidentsOfTheirGrid) {
  const auto s = baseline();
  const auto pop = population::build_population(s.community, {3, 0});
  ResidentState residents;
  residents.resize(pop.residents(), 0.5f);
  Volunteers v(one_team(600), {}, pop);
  start_day(v, pop, 0, residents);
  EXPECT_EQ(v.total_members(), 600u);
  EXPECT_EQ(v.shortfall(), 0u);
  for (std::uint32_t g = 0; g < pop.grids(); ++g) {
    std::uint32_t here = 0;
    const auto range = pop.grid_residents(GridId(g));
    for (std::uint32_t r = range.begin; r < range.end; ++r) {
      if (v.team_of(r) == Volunteers::kNoTeam) continue;
      ++here;
      EXPECT_GE(pop.resident_age[r], 18);
      EXPECT_LE(pop.resident_age[r], 80);
      EXPECT_FALSE(pop.resident_vacant(r));
    }
    EXPECT_EQ(here, v.members(g)) << "grid " << g;
    EXPECT_EQ(here, 50u) << "600 members spread evenly over 12 grids";
  }
  double by_group = 0;
  for (double n : v.members_by_group()) by_group += n;
  EXPECT_EQ(by_group, 600.0);
}

TEST(Volunteers, TrustingResidentsJoinMoreOften) {
  const auto s = baseline();
  const auto pop = population::build_population(s.community, {3, 0});
  ResidentState residents;
  residents.resize(pop.residents(), 0.1f);
  // Every other resident trusts the organisation nine times as much.
  for (std::uint32_t r = 0; r < pop.residents(); r += 2) residents.trust[r] = 0.9f;
  Volunteers v(one_team(1200), {}, pop);
  start_day(v, pop, 0, residents);
  std::uint32_t trusting = 0;
  for (std::uint32_t r = 0; r < pop.residents(); ++r)
    trusting += v.team_of(r) != Volunteers::kNoTeam && r % 2 == 0;
  // With odds 9:1 by trust, sampling 1,200 of ~8,000 eligible without replacement gives a
  // trusting share near 0.9 (a little less as the trusting pool thins); uniform choice gives 0.5.
  EXPECT_GT(trusting / 1200.0, 0.8);
}

TEST(Volunteers, OverloadedTeamLosesAboutTheQuitShareALightOneNone) {
  const auto s = baseline();
  const auto pop = population::build_population(s.community, {3, 0});
  ResidentState residents;
  residents.resize(pop.residents(), 0.5f);
  const std::int64_t members = 1200;
  for (const double load : {5.0, 0.5}) {
    Volunteers v(one_team(members), {}, pop);
    std::vector<std::uint32_t> at_week_start;
    for (std::int32_t d = 0; d < 15; ++d) {
      start_day(v, pop, d, residents);
      if (d % 7 == 0) at_week_start.push_back(v.total_members());
      for (std::uint32_t g = 0; g < pop.grids(); ++g) v.work(0, g, load * v.members(g) * 2.0 / 7.0);
    }
    EXPECT_EQ(at_week_start[0], members);
    EXPECT_EQ(at_week_start[1], members);  // one overloaded week is not yet overload_weeks
    if (load > 1) {
      // Binomial(1200, 0.2): 240 quit, standard deviation 13.9.
      const double lost = static_cast<double>(members - at_week_start[2]);
      EXPECT_NEAR(lost, 0.2 * members, 4 * std::sqrt(members * 0.2 * 0.8));
      EXPECT_EQ(v.departures(), members - at_week_start[2]);
    } else {
      EXPECT_EQ(at_week_start[2], members);
      EXPECT_EQ(v.departures(), 0u);
    }
  }
}

TEST(Volunteers, MembersWhoMoveAwayLeaveAndTheTeamRecruitsAgain) {
  const auto s = baseline();
  auto pop = population::build_population(s.community, {3, 0});
  ResidentState residents;
  residents.resize(pop.residents(), 0.5f);
  auto spec = one_team(240);
  spec.recruit_rate = 0.05;  // 1 of each grid's 20 places a week
  Volunteers v(spec, {}, pop);
  start_day(v, pop, 0, residents);
  // Grid 0: one member's household moves out; another member's dwelling gets a new household.
  const auto range = pop.grid_residents(GridId(0));
  std::vector<std::uint32_t> in_team;
  for (std::uint32_t r = range.begin; r < range.end; ++r)
    if (v.team_of(r) != Volunteers::kNoTeam) in_team.push_back(r);
  ASSERT_GE(in_team.size(), 2u);
  const std::uint32_t gone = in_team.front();
  std::uint32_t replaced = in_team.back();
  for (std::uint32_t r : in_team)
    if (pop.resident_household[r] != pop.resident_household[gone]) replaced = r;
  ASSERT_NE(pop.resident_household[gone], pop.resident_household[replaced]);
  std::uint32_t leaving = 0;
  for (std::uint32_t r : in_team)
    leaving += pop.resident_household[r] == pop.resident_household[gone] ||
               pop.resident_household[r] == pop.resident_household[replaced];
  pop.household_vacant[pop.resident_household[gone]] = 1;
  for (std::uint32_t r = range.begin; r < range.end; ++r)
    if (pop.resident_household[r] == pop.resident_household[replaced]) residents.settled_day[r] = 3;
  for (std::int32_t d = 1; d <= 7; ++d) start_day(v, pop, d, residents);
  EXPECT_EQ(v.departures(), leaving);
  EXPECT_EQ(v.team_of(gone), Volunteers::kNoTeam);
  EXPECT_EQ(v.team_of(replaced), Volunteers::kNoTeam);
  // The week's recruitment (1 place) cannot yet make up for it when two or more left.
  EXPECT_EQ(v.members(0), 20u - leaving + 1u);
  for (std::int32_t d = 8; d <= 7 * 6; ++d) start_day(v, pop, d, residents);
  EXPECT_EQ(v.members(0), 20u) << "refilled, one place a week, up to the initial size";
}

TEST(Volunteers, ATeamSpeaksTheLanguagesOfItsMembersGroups) {
  const auto s = baseline();
  auto pop = population::build_population(s.community, {3, 0});
  ResidentState residents;
  residents.resize(pop.residents(), 0.5f);
  Volunteers v(one_team(60), {}, pop);  // 5 members a grid: some groups are missing
  start_day(v, pop, 0, residents);
  const auto check = [&] {
    std::size_t spoken = 0, unspoken = 0;
    for (std::uint32_t g = 0; g < pop.grids(); ++g) {
      std::vector<bool> present(pop.groups(), false);
      const auto range = pop.grid_residents(GridId(g));
      for (std::uint32_t r = range.begin; r < range.end; ++r)
        if (v.team_of(r) != Volunteers::kNoTeam) present[pop.resident_group[r]] = true;
      for (std::uint8_t k = 0; k < pop.groups(); ++k) {
        EXPECT_EQ(v.speaks(0, g, k), present[k]) << "grid " << g << " group " << int(k);
        (present[k] ? spoken : unspoken) += 1;
      }
    }
    EXPECT_GT(spoken, 0u);
    EXPECT_GT(unspoken, 0u);
  };
  check();
  // Every member of grid 0 moves away: by the next week the team there speaks nothing.
  const auto range = pop.grid_residents(GridId(0));
  for (std::uint32_t r = range.begin; r < range.end; ++r)
    if (v.team_of(r) != Volunteers::kNoTeam) pop.household_vacant[pop.resident_household[r]] = 1;
  for (std::int32_t d = 1; d <= 7; ++d) start_day(v, pop, d, residents);
  EXPECT_EQ(v.members(0), 0u);
  for (std::uint8_t k = 0; k < pop.groups(); ++k) EXPECT_FALSE(v.speaks(0, 0, k));
  check();
}

}  // namespace
}  // namespace commsim::model
