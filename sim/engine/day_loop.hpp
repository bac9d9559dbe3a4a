#pragma once
// The engine's inner pieces, shared by a community's run (simulation.cpp) and a region's
// (region_run.cpp): one day of a world, the steps' timing, and a world's result after its last day.

#include <cstddef>
#include <vector>

#include "sim/core/parallel.hpp"
#include "sim/core/types.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/engine/world.hpp"

namespace commsim::engine {

// Time of each step and of each phase, summed over days; a grid step's time is summed over grids
// (each grid's slot written only by the task running that grid).
struct Profile {
  std::size_t steps = 0;
  std::vector<double> grid_step;  // grid x step
  std::vector<double> step;       // by step (community and record phases)
  double phase[3] = {};           // by Phase
  Profile(std::size_t grids, std::size_t n) : steps(n), grid_step(grids * n, 0.0), step(n, 0.0) {}
};

// The day: the plan's steps top to bottom; a block of grid steps runs in parallel over grids
// (each grid runs the block's steps in order), the other phases' steps in order.
void run_day(World& m, Day d, const Executor& executor, Profile& profile);

// The world's run after its last day: summaries, the events table, then the series (moved out;
// with `weights`, a ratio series keeps its daily denominators, for a region's totals).
output::RunResult collect_result(World& m, const scenario::Scenario& scenario,
                                 bool weights = false);

// Adds a profile's phase and step times to `out` (summing into entries already there).
void add_times(const Profile& profile, std::size_t grids, RunOutput& out);

}  // namespace commsim::engine
