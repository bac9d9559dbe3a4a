#pragma once
// The record of one need, from the day it arises to the day it is resolved. Each grid keeps its
// own log in its work-order table (work_orders.hpp), so the parallel phase appends without locks;
// the id is the index in that log, unique with the grid.

#include <cstdint>
#include <vector>

namespace commsim::model {

enum class NeedState : std::uint8_t {
  Unreported,  // known only to the residents it affects (a hidden need)
  Reported,    // a work order is open
  Resolved,
  // Terminal without a solution: the order could not be solved after its last whistle round
  // (casework.max_whistles), so it is closed unresolved (work_orders.hpp), not open for ever.
  ClosedUnresolved,
};

inline constexpr std::uint8_t kNone = 0xFF;  // channel / level / handler not (yet) set

struct Need {
  std::uint32_t resident = 0;  // who has it, or who raises a shared one
  std::uint32_t place = 0;     // resident, household, stairwell or building index, by scope
  std::uint16_t type = 0;      // index into scenario needs.types
  std::uint8_t severity = 0;   // 0 minor, 1 moderate, 2 serious
  NeedState state = NeedState::Unreported;
  std::int32_t day_arisen = 0;
  std::int32_t day_reported = -1;
  std::int32_t day_resolved = -1;  // also the day it was closed unresolved
  std::uint8_t channel = kNone;    // how it was reported
  std::uint8_t level = kNone;      // grid, community, subdistrict
  std::uint8_t handler = kNone;    // kind of staff that closed it

  // In the run's cohort: arose on a recorded day (day 0 or later, after run.burn_in_days). Every
  // count of orders over the run (opened, resolved, closed unresolved, breaches, escalations,
  // whistles, waits, durations, the events table) counts the cohort only, so a burn-in's orders
  // closing after day 0 cannot lift closure above 1; stocks (open orders, hidden needs) are states
  // and count every need.
  bool recorded() const { return day_arisen >= 0; }
};

}  // namespace commsim::model
