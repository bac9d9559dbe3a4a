#pragma once
// Volunteer teams (Jinhuayuan: 7 teams, 400+ volunteers [003]), drawn from the residents: each
// grid's share of a team's members are adult residents of that grid (volunteers.min_age..max_age),
// chosen with odds in proportion to their trust in the community organisation. Each member has a
// weekly hour budget. A team takes waiting work orders of its task types from its grid's queue (up
// to `stretch` x budget) and spends its patrol share on visits. A team whose hours exceed its
// budget for `overload_weeks` weeks in a row loses members (quit probability per member per week);
// members who move away leave their team; teams below their initial size recruit, again among the
// grid's residents by trust.
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
  // Hours team t in grid g may still give today (stretch x budget / 7, less what it gave).
  double hours_left(std::uint32_t t, std::uint32_t g) const;
  double patrol_hours(std::uint32_t g) const;  // today's patrol hours of grid g's teams
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
// their patrol hours, which join the table's household-visit hours. Then casework: each team takes
// the waiting orders of its task types reported by the end of today, with as many members on duty
// at once as its hours for the day fill whole days (at least one); each order goes to the member
// free first, so a busy team's last orders finish late in the day, not all at once. Volunteers
// leave to the grid worker what only a higher level can solve, and settle on the spot no more
// often than a grid worker would (with the full-time workers' mean skill, staffing.skill): what
// they cannot settle escalates.
class VolunteerDay {
 public:
  VolunteerDay(const scenario::Scenario& s, const population::Population& pop,
               output::Recorder& recorder);
  void start(const population::Population& pop, GridId g, Day d, StreamKey key, Volunteers& teams,
             WorkOrderTable& orders, const ResidentState& residents) const;
  void casework(const population::Population& pop, GridId g, Day d, Volunteers& teams,
                WorkOrderTable& orders, ResidentState& residents, const output::Recorder::Row& row);

 private:
  std::int64_t start_weekday_;
  double hours_;  // length of a day on the grid clock
  double skill_;  // staffing.skill
  std::vector<std::vector<double>>
      duty_;  // by grid, scratch: when each member on duty is next free
  output::MetricId volunteer_hours_;
};

}  // namespace commsim::model
