#pragma once
// What a run of a scenario will cost, estimated from the resolved scenario before any work:
// its peak memory and its time on one thread. `commsim validate` prints it; `commsim run`
// refuses a scenario whose memory exceeds the limit (--max-memory, default the machine's
// available memory) and warns of a long run. The constants are calibrated by measured runs
// (see estimate.cpp); tests/scenario/test_estimate.cpp holds the estimate within its stated
// factor of runs measured on the build machine.

#include <cstdint>
#include <optional>
#include <string>

#include "sim/scenario/document.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::scenario {

struct ResourceEstimate {
  double residents = 0;
  double grids = 0;
  double days = 0;                  // recorded (run.days)
  double simulated_days = 0;        // run.burn_in_days + run.days
  double memory_bytes = 0;          // peak resident set of the process
  double process_bytes = 0;         // the part of memory_bytes a process needs once, whatever runs
  double seconds = 0;               // wall time on one thread
  double deliberation_seconds = 0;  // the part of `seconds` spent in councils and deliberation
  // The estimate is within this factor of the measured figure (either way).
  static constexpr double kFactor = 2.0;
};

ResourceEstimate estimate_resources(const Scenario& s);

// "12.3 MB", "190 GB"; "35 s", "1.7 h".
std::string format_bytes(double bytes);
std::string format_seconds(double seconds);

// The machine's available memory (MemAvailable in /proc/meminfo), or nothing when unknown.
std::optional<double> available_memory();

// Throws a ScenarioError at the scenario's place (`resolved`, the tree it was bound from) when
// the estimated memory exceeds `limit_bytes`, naming both figures and the keys that drive it.
void check_memory(const ResourceEstimate& e, double limit_bytes, const Node& resolved);

// The memory of a process running `runs_at_once` such runs side by side (a sweep's threads, or
// the worker ranks of a node): the process once, each run's own part that many times.
double memory_at_once(const ResourceEstimate& e, double runs_at_once);

// A warning for a run estimated to take longer than an hour on one thread, else "".
std::string time_warning(const ResourceEstimate& e);

}  // namespace commsim::scenario
