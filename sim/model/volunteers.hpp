#pragma once
// Volunteer teams (Jinhuayuan: 7 teams, 400+ volunteers [003]): members spread over grids, each
// with a weekly hour budget. A team takes waiting work orders of its task types from its grid's
// queue (up to `stretch` x budget) and spends its patrol share on visits. A team whose hours
// exceed its budget for `overload_weeks` weeks in a row loses members (quit probability per
// member per week); teams below their initial size recruit.

#include <cstdint>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

class Volunteers {
 public:
  Volunteers(const scenario::VolunteersSpec& spec, const std::vector<std::string>& need_types,
             std::uint32_t grids);

  std::uint32_t teams() const { return static_cast<std::uint32_t>(spec_.teams.size()); }
  // Hours team t in grid g may still give today (stretch x budget / 7, less what it gave).
  double hours_left(std::uint32_t t, std::uint32_t g) const;
  double patrol_hours(std::uint32_t g) const;  // today's patrol hours of grid g's teams
  bool takes(std::uint32_t t, std::uint16_t need_type) const {
    return takes_[t * types_ + need_type] != 0;
  }
  void work(std::uint32_t t, std::uint32_t g, double hours);
  // Start of a day: new week bookkeeping (overload, quitting, recruiting) on the week's first day.
  void start_day(std::uint32_t g, std::int32_t day, bool week_start, StreamKey key);
  std::uint32_t members(std::uint32_t g) const;
  std::uint32_t total_members() const;

 private:
  std::size_t at(std::uint32_t t, std::uint32_t g) const { return std::size_t(t) * grids_ + g; }
  scenario::VolunteersSpec spec_;
  std::size_t types_;
  std::uint32_t grids_;
  std::vector<std::uint8_t> takes_;        // team x need type
  std::vector<std::uint32_t> members_;     // team x grid
  std::vector<std::uint32_t> initial_;     // team x grid
  std::vector<double> week_hours_;         // team x grid
  std::vector<double> day_hours_;          // team x grid
  std::vector<std::uint32_t> overloaded_;  // team x grid: consecutive weeks above budget
};

}  // namespace commsim::model
