#pragma once
// How the staffing rule's grid workers are placed on the grids (`staffing.allocation`). The
// full-time workers are placed first, then the part-time ones, one worker at a time:
//   even         - each worker goes to the grid with the fewest workers so far (the lowest
//                  index among equals): every grid gets a worker before any gets a second, and
//                  the part-time workers go first to the grids the full-time remainder missed,
//                  so no two grids differ by more than one worker
//   by_households - each worker goes to the grid with the fewest workers per occupied household
//                  so far (the lowest index among equals): every grid still gets a worker before
//                  any gets a second, and the rest follow the grids' sizes
//   legacy_first - the rule before issue #12: full-time and part-time workers each spread evenly,
//                  both remainders to the first grids (the last grids may have no worker at all)
// Adding a rule = one function + one line in the table in staff_allocation.cpp + one test.

#include <cstdint>
#include <span>
#include <string_view>

#include "sim/policy/registry.hpp"

namespace commsim::policy {

// Fills full_time[g] and part_time[g] (sized to the grids, zeroed by the caller) with the number
// of workers of each contract on grid g; households[g] is grid g's occupied households.
using StaffAllocationRule = void (*)(std::uint32_t full_time, std::uint32_t part_time,
                                     std::span<const double> households,
                                     std::span<std::uint32_t> full_time_by_grid,
                                     std::span<std::uint32_t> part_time_by_grid);

// The registered allocation rules, in the order of the table in staff_allocation.cpp.
enum class StaffAllocation : std::uint8_t { Even, ByHouseholds, LegacyFirst };

struct NamedStaffAllocation {
  StaffAllocation id;
  std::string_view name;
  StaffAllocationRule fn;
  std::string_view doc;
};

std::span<const NamedStaffAllocation> staff_allocations();
StaffAllocationRule staff_allocation(StaffAllocation id);  // the rule registered under `id`
StaffAllocationRule find_staff_allocation(std::string_view name);

}  // namespace commsim::policy
