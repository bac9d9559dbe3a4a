// Volunteer teams drawn from residents: who joins, who leaves (overload, moving away), refilling;
// and what they do in the seeds' roles: home visits that find the hidden needs of the elderly and
// low-income households, patrols that find shared needs, small needs resolved on the spot, the
// cultural teams' activities. Volunteers do no other casework.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/model/reporting.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/model/volunteers.hpp"
#include "sim/model/work_orders.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/loader.hpp"
#include "support/test_support.hpp"
#include "support/tiny_community.hpp"

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

// ---- The seeds' roles ------------------------------------------------------------------------

// Grid 0's occupied households that home visits go to (or not), each with a resident who speaks
// the common language, so the visitor's language does not matter.
std::vector<std::uint32_t> households_of_grid0(const population::Population& pop, bool targets) {
  std::vector<std::uint32_t> out;
  const auto range = pop.grid_households(GridId(0));
  for (std::uint32_t h = range.begin; h < range.end; ++h) {
    if (pop.household_vacant[h] || home_visit_target(pop, h) != targets) continue;
    if (pop.resident_proficiency[pop.household_residents(h).begin] < 0.5f) continue;
    out.push_back(h);
  }
  return out;
}

TEST(VolunteerRoles, HomeVisitsFindTheTargetHouseholdsHiddenNeedsAtTheirParameter) {
  // Only home visits find needs: no worker visits, stewards, hotline or app. One team of 30
  // members a grid giving 7 h a week each to home visits: 30 h a day, 60 visits of 30 minutes,
  // spread over the grid's elderly and low-income households. Each hidden need of such a household
  // is found on the day with probability v x visit_discovery, v = visits / target households;
  // needs of other households never are.
  auto w = test::tiny_community(
      {"volunteers.teams=[{name: visitors, members: 90, weekly_hours: 7, home_visit_share: 1}]",
       "reporting.hotline=0", "reporting.app=0", "organisation.levels=3", "staffing.patrol_hours=0",
       "staffing.part_time_per_grid=0"});
  const auto& pop = w->pop;
  const auto type = w.type("policy_question");  // household scope
  ASSERT_EQ(w.s.needs.types[type].scope, scenario::NeedScope::Household);
  const auto targets = households_of_grid0(pop, true), others = households_of_grid0(pop, false);
  ASSERT_GT(targets.size(), 50u);
  ASSERT_GT(others.size(), 50u);
  std::uint32_t all_targets = 0;
  const auto range = pop.grid_households(GridId(0));
  for (std::uint32_t h = range.begin; h < range.end; ++h)
    all_targets += !pop.household_vacant[h] && home_visit_target(pop, h);
  // Ten hidden needs per household, so the count is large enough to test.
  std::vector<std::uint32_t> target_needs, other_needs;
  for (int k = 0; k < 10; ++k) {
    for (auto h : targets)
      target_needs.push_back(w.add_need(0, type, h, pop.household_residents(h).begin));
    for (auto h : others)
      other_needs.push_back(w.add_need(0, type, h, pop.household_residents(h).begin));
  }
  w.grid_day(GridId(0), Day(0));
  const auto& gs = w->orders.grids[0];
  EXPECT_EQ(w->volunteers.members(0), 30u);
  EXPECT_NEAR(gs.home_visit_hours, 30.0, 1e-9);
  const double v = std::min(1.0, gs.home_visit_hours * 60.0 / w.s.reporting.minutes_per_visit /
                                     static_cast<double>(all_targets));
  const double p = v * w.s.reporting.visit_discovery;
  ASSERT_GT(p, 0.1);
  ASSERT_LT(p, 0.9);
  const auto found = [&](const std::vector<std::uint32_t>& needs) {
    double n = 0;
    for (auto i : needs) {
      const Need& need = gs.log[i];
      if (need.state == NeedState::Unreported) continue;
      EXPECT_EQ(need.channel, kHomeVisit);
      n += 1;
    }
    return n;
  };
  const double n = static_cast<double>(target_needs.size());
  EXPECT_NEAR(found(target_needs) / n, p, 4 * std::sqrt(p * (1 - p) / n));
  EXPECT_EQ(found(other_needs), 0.0);
}

TEST(VolunteerRoles, PatrolsFindSharedNeedsNotAHouseholdsOwn) {
  // A patrol team rounds the grid's buildings (30 minutes a round): a stairwell's or building's
  // hidden need is found with probability rounds / buildings x visit_discovery; a household need
  // is not found by patrol volunteers at all.
  auto w = test::tiny_community(
      {"volunteers.teams=[{name: patrol, members: 30, weekly_hours: 2.8, patrol_share: 1}]",
       "reporting.hotline=0", "reporting.app=0", "organisation.levels=3", "staffing.patrol_hours=0",
       "staffing.part_time_per_grid=0"});
  const auto& pop = w->pop;
  const auto sanitation = w.type("sanitation"), dispute = w.type("neighbour_dispute");
  ASSERT_EQ(w.s.needs.types[sanitation].scope, scenario::NeedScope::Stairwell);
  ASSERT_EQ(w.s.needs.types[dispute].scope, scenario::NeedScope::Household);
  std::vector<std::uint32_t> shared, own;
  const auto stairwells = pop.grid_stairwells(GridId(0));
  for (int k = 0; k < 20; ++k)
    for (std::uint32_t st = stairwells.begin; st < stairwells.end; ++st) {
      const auto people = pop.stairwell_residents(st);
      if (people.size() == 0 || pop.resident_vacant(people.begin)) continue;
      shared.push_back(w.add_need(0, sanitation, st, people.begin));
      own.push_back(w.add_need(0, dispute, pop.resident_household[people.begin], people.begin));
    }
  std::uint32_t buildings = 0;
  const auto range = pop.grid_buildings(GridId(0));
  for (std::uint32_t b = range.begin; b < range.end; ++b)
    buildings += pop.building_residents(b).size() > 0;
  w.grid_day(GridId(0), Day(0));
  const auto& gs = w->orders.grids[0];
  EXPECT_NEAR(gs.volunteer_patrol_hours, 10 * 2.8 / 7.0 * 1.0, 1e-9);  // 10 members in grid 0
  const double p = std::min(1.0, gs.volunteer_patrol_hours * 60.0 /
                                     w.s.reporting.minutes_per_visit / buildings) *
                   w.s.reporting.visit_discovery;
  ASSERT_GT(p, 0.1);
  ASSERT_LT(p, 0.9);
  double found_shared = 0, found_own = 0;
  for (auto i : shared) found_shared += gs.log[i].state != NeedState::Unreported;
  for (auto i : own) found_own += gs.log[i].state != NeedState::Unreported;
  const double n = static_cast<double>(shared.size());
  EXPECT_NEAR(found_shared / n, p, 4 * std::sqrt(p * (1 - p) / n));
  EXPECT_EQ(found_own, 0.0);
}

TEST(VolunteerRoles, VolunteersResolveTheConfiguredShareOfTheirTypesSmallNeedsAndNoOthers) {
  // A team with hours to spare takes elderly_care. Of the minor elderly_care orders reported today,
  // it resolves the share volunteers.small_need_share (one uniform per need); moderate ones, and
  // orders of other types, it leaves to the grid workers (here: none, so they wait).
  for (const double share : {0.3, 0.0}) {
    auto w = test::tiny_community(
        {"volunteers.teams=[{name: care, members: 300, weekly_hours: 20, task_types: "
         "[elderly_care]}]",
         "volunteers.small_need_share=" + std::to_string(share), "staffing.rule=per_grid",
         "staffing.full_time_per_grid=0", "staffing.part_time_per_grid=0"});
    const auto& pop = w->pop;
    const auto care = w.type("elderly_care"), dispute = w.type("neighbour_dispute");
    std::vector<std::uint32_t> minor, moderate, other;
    const auto people = pop.grid_residents(GridId(0));
    for (std::uint32_t r = people.begin; r < people.end; ++r) {
      if (pop.resident_vacant(r) || pop.resident_proficiency[r] < 0.5f) continue;
      for (auto* list : {&minor, &moderate, &other}) {
        const auto type = list == &other ? dispute : care;
        const auto place = list == &other ? pop.resident_household[r] : r;
        const auto i = w.add_need(0, type, place, r, list == &moderate ? 1 : 0);
        w.open_order(0, i, kHotline, Day(0), 0.5 * w.s.staffing.hours_per_day);
        list->push_back(i);
      }
    }
    w.grid_day(GridId(0), Day(0));
    const auto& gs = w->orders.grids[0];
    const auto by_volunteers = [&](const std::vector<std::uint32_t>& list) {
      double n = 0;
      for (auto i : list)
        n += gs.log[i].state == NeedState::Resolved && gs.log[i].handler == kVolunteer;
      return n;
    };
    const double n = static_cast<double>(minor.size());
    ASSERT_GT(n, 500);
    EXPECT_NEAR(by_volunteers(minor) / n, share, 4 * std::sqrt(share * (1 - share) / n) + 1e-12);
    EXPECT_EQ(by_volunteers(moderate), 0.0);
    EXPECT_EQ(by_volunteers(other), 0.0);
    // The output metric: volunteers' share of the orders resolved (all of them, here).
    if (share > 0) {
      EXPECT_EQ(gs.resolved, static_cast<std::uint64_t>(by_volunteers(minor)));
    }
  }
}

TEST(VolunteerRoles, CulturalTeamsRunTheirActivitiesOnTheirCalendarWhileTheyHaveMembers) {
  // The default propaganda talk is weekly and the propaganda team's; the cultural event monthly
  // and the culture team's. With members they are held 52 and 12 times a year; a team with no
  // members holds none, and without volunteer teams the default events naming them are not held.
  const auto held = [](const std::vector<std::string>& overrides, const std::string& event) {
    auto w = test::tiny_community(overrides);
    std::size_t e = 0;
    while (w.s.activities.events.at(e).name != event) ++e;
    for (std::uint32_t g = 0; g < w->pop.grids(); ++g)
      w->volunteer_day.start(w->pop, GridId(g), Day(0), w->key, w->volunteers, w->orders,
                             w->residents);
    int n = 0;
    for (std::int32_t d = 0; d < 364; ++d) n += w->activities.held(e, Day(d), w->volunteers);
    return n;
  };
  EXPECT_EQ(held({}, "propaganda_talk"), 52);
  EXPECT_EQ(held({}, "cultural_event"), 12);
  EXPECT_EQ(held({"volunteers.teams[5].members=0"}, "propaganda_talk"), 0);
  EXPECT_EQ(held({"volunteers.teams[5].members=0"}, "cultural_event"), 12);
  EXPECT_EQ(held({"volunteers.teams=[]"}, "propaganda_talk"), 0);
  EXPECT_EQ(held({"volunteers.teams=[]"}, "neighbour_festival"), 1);  // the organisation's
}

TEST(VolunteerRoles, ATypoInAnActivitysTeamIsAnError) {
  EXPECT_THROW(scenario::load_scenario_text(std::string(test::kTinyCommunity) +
                                                "activities:\n  events:\n    - {name: talk, "
                                                "team: propoganda}\n",
                                            "s.yaml"),
               scenario::ScenarioError);
}

// Common random numbers: volunteers change who reports and who resolves, never which needs
// arise (a council fix may prevent a need, so arisen plus prevented is compared, by day and type).
TEST(VolunteerRoles, TurningVolunteersOffLeavesTheNeedsThatAriseAlone) {
  test::TempDir dir;
  const auto arising = [&](const std::string& name, const std::vector<std::string>& set) {
    const auto out = dir / (name + ".h5");
    std::vector<std::string> args = {
        "run", "scenarios/baseline.yaml", "-o", out.string(), "--quiet", "--days", "120"};
    for (const auto& s : set) args.insert(args.end(), {"--set", s});
    const auto r = test::run_commsim(args);
    if (r.exit_code != 0) throw std::runtime_error(r.err);
    return test::drawn_needs(test::read_run_file(out), true);  // by day and need type
  };
  const auto on = arising("on", {}), off = arising("off", {"volunteers.teams=[]"});
  EXPECT_EQ(on, off);
  double total = 0;
  for (double v : on) total += v;
  EXPECT_GT(total, 1000);
}

}  // namespace
}  // namespace commsim::model
