#include "sim/engine/simulation.hpp"

#include <chrono>
#include <cmath>
#include <string>

#include "sim/core/parallel.hpp"
#include "sim/core/random.hpp"
#include "sim/engine/day_loop.hpp"
#include "sim/engine/day_plan.hpp"
#include "sim/engine/world.hpp"
#include "sim/model/progress.hpp"
#include "sim/output/recorder.hpp"
#include "sim/population/population.hpp"

namespace commsim::engine {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The guard of the day loop: a mechanism's loop that stops moving forward (model::Progress) is an
// internal error naming the step, the day and the grid, never a hang.
[[noreturn]] void stalled(const Step& step, Day d, const std::string* grid,
                          const std::exception& e) {
  throw StepStalled("day loop: step '" + std::string(step.name) + "' made no progress on day " +
                    std::to_string(d.value) + (grid ? " in grid " + *grid : std::string()) + " (" +
                    e.what() + ")");
}

}  // namespace

void run_day(World& m, Day d, const Executor& executor, Profile& profile) {
  const DayContext context{d, m.key};
  const auto plan = day_plan();
  for (std::size_t first = 0; first < plan.size();) {
    const Phase phase = plan[first].phase;
    std::size_t last = first;
    while (last < plan.size() && plan[last].phase == phase) ++last;
    const auto start = Clock::now();
    if (phase == Phase::Grid) {
      executor.for_each(m.pop.grids(), [&](std::size_t g) {
        const GridId grid(static_cast<std::uint32_t>(g));
        const auto row = m.recorder.grid_row(grid);
        double* times = profile.grid_step.data() + g * profile.steps;
        for (std::size_t k = first; k < last; ++k) {
          const auto t0 = Clock::now();
          try {
            plan[k].grid(m, grid, context, row);
          } catch (const model::NoProgress& e) {
            const auto name = m.pop.grid_names()[g];
            stalled(plan[k], d, &name, e);
          }
          times[k] += since(t0);
        }
      });
    } else {
      const auto row = m.recorder.community_row();
      for (std::size_t k = first; k < last; ++k) {
        const auto t0 = Clock::now();
        try {
          plan[k].community(m, context, row);
        } catch (const model::NoProgress& e) {
          stalled(plan[k], d, nullptr, e);
        }
        profile.step[k] += since(t0);
      }
    }
    profile.phase[static_cast<int>(phase)] += since(start);
    first = last;
  }
}

output::RunResult collect_result(World& m, const scenario::Scenario& scenario, bool weights) {
  output::RunResult result;
  result.days = scenario.run.days;
  result.start_weekday = scenario.run.start_weekday;
  result.summaries = m.recorder.summaries();
  if (scenario.output.work_order_events)
    result.tables.push_back(m.orders.work_order_table(m.pop, m.need_types));
  result.timeseries = m.recorder.take_timeseries(weights);  // last: summaries read the series
  return result;
}

void add_times(const Profile& profile, std::size_t grids, RunOutput& out) {
  const auto plan = day_plan();
  if (out.phases.empty()) {
    for (Phase p : {Phase::Grid, Phase::Community, Phase::Record})
      out.phases.push_back({phase_name(p), 0.0});
    for (const Step& step : plan) out.steps.push_back({phase_name(step.phase), step.name, 0.0});
  }
  for (int p = 0; p < 3; ++p) out.phases[static_cast<std::size_t>(p)].seconds += profile.phase[p];
  for (std::size_t k = 0; k < plan.size(); ++k) {
    double seconds = profile.step[k];
    for (std::size_t g = 0; g < grids; ++g) seconds += profile.grid_step[g * plan.size() + k];
    out.steps[k].seconds += seconds;
  }
}

RunOutput run_simulation(const scenario::Scenario& scenario, const RunOptions& options) {
  if (scenario.region) return run_region(scenario, options);
  const auto start = Clock::now();
  const StreamKey key{options.seed, options.run};
  const Executor executor(options.threads);
  const auto world = build_world(scenario, key);
  World& m = *world;
  Profile profile(m.pop.grids(), day_plan().size());
  // The burn-in runs days -burn_in_days to -1 (the recorder keeps none of them: its rows are
  // cleared at the end of each), then the recorded days 0 to days - 1. Day keys of the two never
  // collide: every stream keyed by day sees each day value once.
  const std::int64_t days = scenario.run.days, burn_in = scenario.run.burn_in_days;
  for (std::int64_t d = -burn_in; d < days; ++d) {
    if (d == 0) m.start_recording();
    m.recorder.measure_day(d >= 0 || d == days - 1);
    run_day(m, Day(static_cast<std::int32_t>(d)), executor, profile);
    if (options.progress) options.progress(d + burn_in + 1, days + burn_in);
  }
  if (days == 0) m.start_recording();

  RunOutput out;
  out.result = collect_result(m, scenario);
  add_times(profile, m.pop.grids(), out);
  out.threads = executor.threads();
  out.resident_days =
      static_cast<std::uint64_t>(m.pop.residents()) * static_cast<std::uint64_t>(days + burn_in);
  out.wall_seconds = since(start);
  return out;
}

output::Declarations declared_metrics(const scenario::Scenario& scenario) {
  return build_world(scenario, StreamKey{scenario.run.seed, 0})->recorder.declarations();
}

}  // namespace commsim::engine
