#pragma once
// One simulation run: scenario in, RunResult out. No I/O here: the caller writes the result.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/output/recorder.hpp"
#include "sim/output/run_result.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::engine {

struct RunOptions {
  std::uint64_t seed = 0;  // the run's seed (a sweep derives it by hashing)
  std::uint64_t run = 0;   // run index, part of every stream's key
  int threads = 0;         // 0: all cores
  // Called after each day from the thread that called run_simulation.
  std::function<void(std::int64_t days_done, std::int64_t days)> progress;
};

struct PhaseTime {
  std::string name;
  double seconds = 0;
};

// A step of the day plan (day_plan.hpp): its phase, its name and its time summed over days (a grid
// step's time also summed over grids, so with several threads it can exceed its phase's wall).
struct StepTime {
  std::string phase;
  std::string name;
  double seconds = 0;
};

// A step of the day made no progress (an internal error: a mechanism's loop passed its bound).
struct StepStalled : std::logic_error {
  using std::logic_error::logic_error;
};

struct RunOutput {
  output::RunResult result;
  std::vector<PhaseTime> phases;  // wall time per phase of the day loop, in day order
  std::vector<StepTime> steps;    // time per step, in plan order
  double wall_seconds = 0;
  int threads = 1;
  std::uint64_t resident_days = 0;
};

// A community's run; a region scenario (scenario.region) runs as run_region does.
RunOutput run_simulation(const scenario::Scenario& scenario, const RunOptions& options);

// A region's run (sim/engine/region_run.cpp): every community's world, day by day, the
// communities in parallel, then the subdistricts' departments take up the day's whistles. The
// result's totals combine the communities (sim/output/combine.hpp); its parts hold each
// community and subdistrict.
RunOutput run_region(const scenario::Scenario& scenario, const RunOptions& options);

// Every time series and summary a run of `scenario` writes, as declared, without values (the
// world is built, no day is run): for `commsim metrics`.
output::Declarations declared_metrics(const scenario::Scenario& scenario);

}  // namespace commsim::engine
