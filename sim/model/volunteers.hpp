#pragma once
// Volunteer teams (Jinhuayuan: 7 teams, 400+ volunteers [003]), drawn from the residents: each
// grid's share of a team's members are adult residents of that grid (volunteers.min_age..max_age),
// chosen with odds in proportion to their trust in the community organisation. Each member has a
// weekly hour budget, which the team splits as the seeds describe volunteers' work, not casework:
//   patrol_share      rounds of the grid's buildings, which find shared needs (reporting)
//   home_visit_share  scheduled home visits to households with an elderly member or low income,
//                     which find their hidden needs (reporting, channel home_visit)
//   the rest          small needs of the team's task types resolved on the spot when reported
//                     (VolunteerDay), up to `stretch` x that budget
// Teams named by activities (activities.events[].team) run them while they have members
// (activities.cpp). A team whose on-the-spot hours exceed its budget for `overload_weeks` weeks in
// a row loses members (quit probability per member per week); members who move away leave their
// team; teams below their initial size recruit, again among the grid's residents by trust.
//
// Membership is one byte per resident (the team index, or kNoTeam); counts per team and grid are
// kept beside it. Grid g's bookkeeping touches only grid g's residents (parallel grid phase).

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/types.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/output/recorder.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

class Volunteers {
 public:
  static constexpr std::uint8_t kNoTeam = 0xFF;

  Volunteers(const scenario::VolunteersSpec& spec, const std::vector<std::string>& need_types,
             const population::Population& pop);

  std::uint32_t teams() const { return static_cast<std::uint32_t>(spec_.teams.size()); }
  // Hours team t in grid g may still give today to small needs (stretch x the budget left after
  // patrols and home visits / 7, less what it gave).
  double hours_left(std::uint32_t t, std::uint32_t g) const;
  double patrol_hours(std::uint32_t g) const;      // today's patrol hours of grid g's teams
  double home_visit_hours(std::uint32_t g) const;  // today's home-visit hours of grid g's teams
  // The share of grid g's home-visit hours given by teams with a member of `group` (1 without
  // home visits).
  double home_visit_speaks(std::uint32_t g, std::uint8_t group) const;
  std::uint32_t team_members(std::uint32_t t) const;  // team t's members over every grid
  bool takes(std::uint32_t t, std::uint16_t need_type) const {
    return takes_[t * types_ + need_type] != 0;
  }
  void work(std::uint32_t t, std::uint32_t g, double hours);
  // Start of a day in grid g. On day 0 the teams are drawn from the residents; on a week's first
  // day, the week's bookkeeping: members who moved away leave, overloaded teams lose members,
  // short teams recruit.
  void start_day(const population::Population& pop, std::uint32_t g, std::int32_t day,
                 bool week_start, StreamKey key, const ResidentState& residents);

  std::uint32_t members(std::uint32_t g) const;
  std::uint32_t total_members() const;
  std::uint8_t team_of(std::uint32_t resident) const { return team_[resident]; }
  // Whether team t has, in grid g, a member of ethnic group `group`: someone who speaks that
  // group's language with a resident whose common language is weak.
  bool speaks(std::uint32_t t, std::uint32_t g, std::uint8_t group) const {
    return by_group_[at(t, g) * groups_ + group] > 0;
  }
  // Members by ethnic group now, and members who have left so far (quit or moved away).
  std::vector<double> members_by_group() const;
  std::uint64_t departures() const;
  // Before day 0 (after the burn-in): departures count from here.
  void start_recording() { std::fill(departures_.begin(), departures_.end(), 0); }
  std::uint64_t shortfall() const;  // places no eligible resident could fill

 private:
  std::size_t at(std::uint32_t t, std::uint32_t g) const { return std::size_t(t) * grids_ + g; }
  bool eligible(const population::Population& pop, std::uint32_t r) const;
  // Adds up to `wanted` members to team t from grid g's eligible residents without a team.
  std::uint32_t recruit(const population::Population& pop, std::uint32_t t, std::uint32_t g,
                        std::uint32_t wanted, std::int32_t day, StreamKey key,
                        const ResidentState& residents);

  scenario::VolunteersSpec spec_;
  std::size_t types_;
  std::uint32_t grids_;
  std::uint32_t groups_;
  std::vector<std::uint8_t> takes_;         // team x need type
  std::vector<std::uint8_t> team_;          // by resident: team index or kNoTeam
  std::vector<std::int32_t> joined_;        // by resident: day joined (to notice a move)
  std::vector<std::uint8_t> joined_group_;  // by resident: ethnic group when joining
  std::vector<std::uint32_t> members_;      // team x grid
  std::vector<std::uint32_t> by_group_;     // team x grid x ethnic group
  std::vector<std::uint32_t> initial_;      // team x grid: the places to fill
  std::vector<double> week_hours_;          // team x grid
  std::vector<double> day_hours_;           // team x grid
  std::vector<std::uint32_t> overloaded_;   // team x grid: consecutive weeks above budget
  std::vector<std::uint64_t> departures_;   // by grid
  std::vector<std::uint64_t> shortfall_;    // by grid
  std::vector<std::uint8_t> recruited_;     // by grid: the teams' first members recruited
};

class WorkOrderTable;

// The volunteers' day in the grid phase. At its start the teams' bookkeeping (start_day) and
// their patrol and home-visit hours, which reporting reads from the table. After reporting, small
// needs: each order reported within today (report time in [d H, (d + 1) H)) that is minor, of a
// type the grid level solves and of some team's task types is resolved on the spot by that team
// with probability volunteers.small_need_share (x casework.language_penalty if the team has no
// member of a low-proficiency resident's group), one uniform per need (stream
// volunteers.small_need), while the team has hours left today; it closes at its report time plus
// its service hours, by a volunteer, at the grid. Every other order waits for the grid workers:
// volunteers do no other casework.
class VolunteerDay {
 public:
  VolunteerDay(const scenario::Scenario& s, const population::Population& pop,
               output::Recorder& recorder);
  void start(const population::Population& pop, GridId g, Day d, StreamKey key, Volunteers& teams,
             WorkOrderTable& orders, const ResidentState& residents) const;
  void small_needs(const population::Population& pop, GridId g, Day d, StreamKey key,
                   Volunteers& teams, WorkOrderTable& orders, ResidentState& residents,
                   const output::Recorder::Row& row) const;

 private:
  std::int64_t start_weekday_;
  double hours_;  // length of a day on the grid clock
  double share_;  // volunteers.small_need_share
  double language_penalty_;
  output::MetricId volunteer_hours_;
};

}  // namespace commsim::model
