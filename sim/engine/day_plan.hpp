#pragma once
// The day as data: one table of steps, read top to bottom by the engine (simulation.cpp). A step
// belongs to a phase:
//   grid       run for every grid in parallel, in plan order within the grid; a step touches
//              only its grid's slice of the world
//   community  run once, in plan order, for what crosses grids (escalation, councils, moves)
//   record     the day's values reach the recorder
// The engine times every step (a grid step's time summed over grids) and each phase's wall.
// Adding a mechanism's daily work is one row here (docs/architecture.md).

#include <cstdint>
#include <span>

#include "sim/core/random.hpp"
#include "sim/core/types.hpp"
#include "sim/engine/world.hpp"
#include "sim/output/recorder.hpp"

namespace commsim::engine {

enum class Phase : std::uint8_t { Grid, Community, Record };
const char* phase_name(Phase p);  // grid, community, record

struct DayContext {
  Day day;
  StreamKey key;
};

using GridStep = void (*)(World&, GridId, const DayContext&, const output::Recorder::Row&);
using CommunityStep = void (*)(World&, const DayContext&, const output::Recorder::Row&);

struct Step {
  Phase phase;
  const char* name;         // "mechanism: what it does"
  GridStep grid;            // phase grid
  CommunityStep community;  // phases community and record
};

// Every step of a day, in order; the steps of one phase are contiguous.
std::span<const Step> day_plan();

// Runs the grid steps of the plan for one grid, in order (tests drive a grid's day with it);
// without `arrivals`, needs do not arise, so a test's own needs are the only ones.
void run_grid_steps(World& w, GridId g, const DayContext& c, bool arrivals = true);

}  // namespace commsim::engine
