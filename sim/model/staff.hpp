#pragma once
// Grid workers: how many full-time and part-time workers each grid has (the staffing rule) and
// how a working day's hours split between patrol and visits, casework, paperwork and training.
// A burden-reduction policy removes a share of paperwork; the freed hours go to casework and
// patrol (Yinchuan, -70% paperwork [002]).

#include <cstdint>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace commsim::model {

enum Activity : std::uint8_t { kActPatrol, kActCasework, kActPaperwork, kActTraining, kActivities };

struct StaffPlan {
  std::vector<std::uint32_t> full_time;  // by grid
  std::vector<std::uint32_t> part_time;  // by grid
  std::uint32_t centre = 0;              // full-time workers at the coordination centre
  // A working day's hours by activity, for one full-time and one part-time worker.
  double ft_hours[kActivities] = {};
  double pt_hours[kActivities] = {};
  std::uint32_t total_full_time() const;
  std::uint32_t total_part_time() const;
};

// Spreads the staffing rule's workers over grids (the remainder to the first grids, so the
// allocation is deterministic) and splits the day's hours. Throws if the hours do not fit.
StaffPlan plan_staff(const scenario::StaffingSpec& spec, std::uint32_t grids,
                     std::uint32_t residents);

// Spreads `total` over `n` slots: floor(total / n) each, one more for the first remainder slots.
std::vector<std::uint32_t> spread(std::uint32_t total, std::uint32_t n);

}  // namespace commsim::model
