#include "sim/engine/simulation.hpp"

#include <chrono>
#include <cmath>
#include <set>
#include <string>

#include "sim/core/parallel.hpp"
#include "sim/core/random.hpp"
#include "sim/engine/day_plan.hpp"
#include "sim/engine/world.hpp"
#include "sim/model/casework_summaries.hpp"
#include "sim/model/progress.hpp"
#include "sim/output/recorder.hpp"
#include "sim/population/population.hpp"

namespace commsim::engine {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Time of each step and of each phase, summed over days; a grid step's time is summed over grids
// (each grid's slot written only by the task running that grid).
struct Profile {
  std::size_t steps = 0;
  std::vector<double> grid_step;  // grid x step
  std::vector<double> step;       // by step (community and record phases)
  double phase[3] = {};           // by Phase
  Profile(std::size_t grids, std::size_t n) : steps(n), grid_step(grids * n, 0.0), step(n, 0.0) {}
};

// The guard of the day loop: a mechanism's loop that stops moving forward (model::Progress) is an
// internal error naming the step, the day and the grid, never a hang.
[[noreturn]] void stalled(const Step& step, Day d, const std::string* grid,
                          const std::exception& e) {
  throw StepStalled("day loop: step '" + std::string(step.name) + "' made no progress on day " +
                    std::to_string(d.value) + (grid ? " in grid " + *grid : std::string()) + " (" +
                    e.what() + ")");
}

// The day: the plan's steps top to bottom; a block of grid steps runs in parallel over grids
// (each grid runs the block's steps in order), the other phases' steps in order.
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

std::vector<output::Metric> summaries(const World& m) {
  std::vector<output::Metric> out;
  out.push_back(m.recorder.total(m.needs.arisen_metric(), "needs_arisen",
                                 "Needs that arose over the run, by grid, group and need type."));
  // Model II: totals of the counts, last-day values of the states.
  for (auto& metric : m.topics.summaries()) out.push_back(std::move(metric));
  const model::CaseworkParts casework{m.orders, m.service, m.escalation, m.staff, m.volunteers};
  for (auto& metric : model::casework_summaries(casework, m.pop)) out.push_back(std::move(metric));
  for (auto& metric : model::staff_summaries(casework, m.pop)) out.push_back(std::move(metric));
  const auto series = m.recorder.timeseries();
  const auto days = static_cast<std::size_t>(m.days);
  for (const auto& ts : series) {
    static const std::set<std::string> totals = {"council_meetings",
                                                 "council_attendance",
                                                 "topics_raised",
                                                 "topics_on_agenda",
                                                 "topics_adopted",
                                                 "topics_implemented",
                                                 "needs_fixed_by_councils",
                                                 "micro_wishes",
                                                 "consultation_spending",
                                                 "activity_attendance",
                                                 "activity_attendance_by_event",
                                                 "moves_in",
                                                 "moves_out",
                                                 "moves_within",
                                                 "needs_reported",
                                                 "work_orders_opened",
                                                 "work_orders_resolved",
                                                 "commitment_breaches",
                                                 "staff_hours",
                                                 "overtime_hours",
                                                 "volunteer_hours"};
    static const std::set<std::string> finals = {"cross_group_tie_share",
                                                 "ties_per_resident",
                                                 "intergroup_attitude",
                                                 "common_language_proficiency",
                                                 "dissimilarity_index",
                                                 "same_group_neighbour_share",
                                                 "vacant_dwellings",
                                                 "sense_of_gain",
                                                 "happiness",
                                                 "security",
                                                 "trust",
                                                 "belonging",
                                                 "wellbeing_gap"};
    const std::size_t cells = ts.cells();
    if (ts.name == "work_orders_resolved") {
      // Model I: where orders were closed, as shares of all closed orders.
      output::Metric share{"resolved_share_by_level", "share",
                           "Share of resolved work orders closed at each level.", ts.dims,
                           std::vector<double>(cells, 0.0)};
      double all = 0;
      for (std::size_t d = 0; d < days; ++d)
        for (std::size_t c = 0; c < cells; ++c) share.values[c] += ts.values[d * cells + c];
      for (double v : share.values) all += v;
      for (double& v : share.values) v = all > 0 ? v / all : std::nan("");
      out.push_back(std::move(share));
    }
    if (totals.count(ts.name)) {
      output::Metric sum{ts.name, ts.unit, "Total over the run: " + ts.description, ts.dims,
                         std::vector<double>(cells, 0.0)};
      for (std::size_t d = 0; d < days; ++d)
        for (std::size_t c = 0; c < cells; ++c) sum.values[c] += ts.values[d * cells + c];
      out.push_back(std::move(sum));
    } else if (finals.count(ts.name) && days > 0) {
      out.push_back({ts.name + "_final", ts.unit, "On the last day: " + ts.description, ts.dims,
                     std::vector<double>(ts.values.end() - static_cast<std::ptrdiff_t>(cells),
                                         ts.values.end())});
    }
  }
  std::vector<double> residents(m.pop.groups(), 0.0), households(m.pop.groups(), 0.0);
  for (std::uint32_t r = 0; r < m.pop.residents(); ++r) residents[m.pop.resident_group[r]] += 1;
  for (std::uint32_t h = 0; h < m.pop.households(); ++h) households[m.pop.household_group[h]] += 1;
  const output::Dimension groups{"group", m.pop.group_names};
  out.push_back(
      {"residents", "residents", "Residents at the start, by ethnic group.", {groups}, residents});
  out.push_back({"households",
                 "households",
                 "Households at the start, by ethnic group.",
                 {groups},
                 households});
  std::vector<double> grid_households;
  for (std::uint32_t g = 0; g < m.pop.grids(); ++g)
    grid_households.push_back(m.pop.grid_households(GridId(g)).size());
  out.push_back({"grid_households",
                 "households",
                 "Households in each grid.",
                 {{"grid", m.pop.grid_names()}},
                 grid_households});
  return out;
}

}  // namespace

RunOutput run_simulation(const scenario::Scenario& scenario, const RunOptions& options) {
  const auto start = Clock::now();
  const StreamKey key{options.seed, options.run};
  const Executor executor(options.threads);
  const auto world = build_world(scenario, key);
  World& m = *world;
  Profile profile(m.pop.grids(), day_plan().size());
  const std::int64_t days = scenario.run.days;
  for (std::int64_t d = 0; d < days; ++d) {
    run_day(m, Day(static_cast<std::int32_t>(d)), executor, profile);
    if (options.progress) options.progress(d + 1, days);
  }

  RunOutput out;
  out.result.days = days;
  out.result.start_weekday = scenario.run.start_weekday;
  out.result.timeseries = m.recorder.timeseries();
  out.result.summaries = summaries(m);
  if (scenario.output.work_order_events)
    out.result.tables.push_back(m.orders.work_order_table(m.pop, m.need_types));
  for (Phase p : {Phase::Grid, Phase::Community, Phase::Record})
    out.phases.push_back({phase_name(p), profile.phase[static_cast<int>(p)]});
  const auto plan = day_plan();
  for (std::size_t k = 0; k < plan.size(); ++k) {
    double seconds = profile.step[k];
    for (std::size_t g = 0; g < m.pop.grids(); ++g)
      seconds += profile.grid_step[g * plan.size() + k];
    out.steps.push_back({phase_name(plan[k].phase), plan[k].name, seconds});
  }
  out.threads = executor.threads();
  out.resident_days =
      static_cast<std::uint64_t>(m.pop.residents()) * static_cast<std::uint64_t>(days);
  out.wall_seconds = since(start);
  return out;
}

}  // namespace commsim::engine
