#include "sim/engine/simulation.hpp"

#include <chrono>
#include <cmath>

#include "sim/core/parallel.hpp"
#include "sim/core/random.hpp"
#include "sim/model/activities.hpp"
#include "sim/model/casework.hpp"
#include "sim/model/councils.hpp"
#include "sim/model/embedding.hpp"
#include "sim/model/needs.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/model/topics.hpp"
#include "sim/output/recorder.hpp"
#include "sim/population/population.hpp"

namespace commsim::engine {

namespace {

using Clock = std::chrono::steady_clock;

// Measures each phase of the day loop, so a profile is one flag away.
class PhaseTimer {
 public:
  template <class F>
  void time(std::size_t phase, const char* name, F&& f) {
    const auto start = Clock::now();
    f();
    if (phases_.size() <= phase) phases_.resize(phase + 1);
    phases_[phase].name = name;
    phases_[phase].seconds += std::chrono::duration<double>(Clock::now() - start).count();
  }
  std::vector<PhaseTime> take() { return std::move(phases_); }

 private:
  std::vector<PhaseTime> phases_;
};

// The community's people, declared like the mechanisms' summaries (population is no mechanism).
// Counted after the last day over every dwelling, vacant ones included: a vacant dwelling keeps
// the group and residents of the household that left it (vacant_dwellings_final says how many).
void declare_population_summaries(output::Recorder& recorder, const population::Population& pop) {
  const output::Dimension groups{"group", pop.group_names};
  recorder.add_summary(
      {.name = "residents",
       .unit = "residents",
       .description = "Residents of every dwelling at the end of the run, by "
                      "ethnic group (a vacant dwelling counts its last household).",
       .dims = {groups},
       .rule = "at_end"},
      [&pop](const output::Recorder&) {
        std::vector<double> residents(pop.groups(), 0.0);
        for (std::uint32_t r = 0; r < pop.residents(); ++r) residents[pop.resident_group[r]] += 1;
        return output::Reduced{std::move(residents)};
      });
  recorder.add_summary({.name = "households",
                        .unit = "households",
                        .description = "Dwellings at the end of the run, by the ethnic group of "
                                       "their household (a vacant dwelling: of its last one).",
                        .dims = {groups},
                        .rule = "at_end"},
                       [&pop](const output::Recorder&) {
                         std::vector<double> households(pop.groups(), 0.0);
                         for (std::uint32_t h = 0; h < pop.households(); ++h)
                           households[pop.household_group[h]] += 1;
                         return output::Reduced{std::move(households)};
                       });
  std::vector<double> grid_households;
  for (std::uint32_t g = 0; g < pop.grids(); ++g)
    grid_households.push_back(pop.grid_households(GridId(g)).size());
  recorder.add_summary(
      {.name = "grid_households",
       .unit = "households",
       .description = "Households (dwellings, occupied or vacant) in each grid.",
       .dims = {{"grid", pop.grid_names()}},
       .rule = "at_start"},
      [grid_households](const output::Recorder&) { return output::Reduced{grid_households}; });
}

// The model's state for one run. Each part is owned here and handed to the mechanisms that need
// it; mechanisms do not see each other.
struct Model {
  std::int64_t recorder_days;
  population::Population pop;
  output::Recorder recorder;
  model::NeedArrival needs;
  std::vector<model::GridNeeds> grid_needs;
  // Model I owns the initial values of ResidentState (wellbeing.initial, set by Casework).
  model::ResidentState residents;
  model::Casework casework;
  model::SocialState social;
  model::Embedding embedding;
  model::NeighbourContact contact;
  model::Activities activities;
  model::TopicPipeline topics;
  model::Councils councils;

  Model(const scenario::Scenario& s, StreamKey key)
      : recorder_days(s.run.days),
        pop(population::build_population(s.community, key)),
        recorder(pop.grids(), s.run.days),
        needs(s.needs, pop, recorder),
        grid_needs(pop.grids()),
        casework(s, pop, recorder, needs.type_names(), key, residents),
        social(s, pop, key),
        embedding(s, pop, recorder, key),
        contact(s.contact, pop, recorder),
        activities(s, pop, recorder),
        topics(s, pop, recorder),
        councils(s, pop, recorder) {
    declare_population_summaries(recorder, pop);
    recorder.start();
  }
};

// The day, in order. Phase 1 runs in parallel over grids (each grid touches only its own slice);
// later phases that cross grids run in a fixed order.
void run_day(Model& m, Day d, StreamKey key, const Executor& executor, PhaseTimer& timer) {
  timer.time(0, "grid", [&] {
    executor.for_each(m.pop.grids(), [&](std::size_t g) {
      const GridId grid(static_cast<std::uint32_t>(g));
      const auto row = m.recorder.grid_row(grid);
      // 1. Needs arise for residents, households, stairwells and buildings.
      m.needs.arise(m.pop, grid, d, key, m.grid_needs[g], row);
      // 2. Hidden needs are reported; grid workers and volunteers work the queue.
      m.casework.grid_day(m.pop, grid, d, key, m.grid_needs[g], m.residents, row);
      // 3. Neighbours meet, ties wear away; integration is measured.
      m.contact.run(m.pop, grid, d, key, m.social, row);
      m.embedding.measure(m.pop, grid, row);
    });
  });
  // Community-level phase, in a fixed order: activities and councils draw residents from every
  // grid, topics spend the community's money, moves cross grids.
  timer.time(1, "community", [&] {
    const auto row = m.recorder.community_row();
    m.activities.run(m.pop, d, key, m.social, m.residents, row);
    m.councils.run(m.pop, d, key, m.social, m.residents, m.topics, m.grid_needs, row);
    // Needs raised at today's councils become work orders (served from the next working day);
    // needs the councils' topics already fixed are skipped by report().
    for (const auto& ref : m.councils.raised_today())
      m.casework.report(m.pop, ref, model::kCouncil, d, m.casework.next_day_start(d),
                        m.grid_needs[ref.grid], m.residents, row);
    m.topics.advance(m.pop, d, key, m.grid_needs, row);
    m.embedding.run(m.pop, d, key, m.social, m.residents, row);
    // Escalations cross grids: the coordination centre and the subdistrict whistle.
    m.casework.community_day(m.pop, d, key, m.grid_needs, m.residents, row);
  });
  timer.time(2, "record", [&] { m.recorder.end_day(d); });
}

}  // namespace

RunOutput run_simulation(const scenario::Scenario& scenario, const RunOptions& options) {
  const auto start = Clock::now();
  const StreamKey key{options.seed, options.run};
  const Executor executor(options.threads);
  Model m(scenario, key);
  PhaseTimer timer;
  const std::int64_t days = scenario.run.days;
  for (std::int64_t d = 0; d < days; ++d) {
    run_day(m, Day(static_cast<std::int32_t>(d)), key, executor, timer);
    if (options.progress) options.progress(d + 1, days);
  }

  RunOutput out;
  out.result.days = days;
  out.result.start_weekday = scenario.run.start_weekday;
  out.result.timeseries = m.recorder.timeseries();
  out.result.summaries = m.recorder.summaries();
  if (scenario.output.work_order_events)
    out.result.tables.push_back(
        m.casework.work_order_table(m.pop, m.grid_needs, m.needs.type_names()));
  out.phases = timer.take();
  out.threads = executor.threads();
  out.resident_days =
      static_cast<std::uint64_t>(m.pop.residents()) * static_cast<std::uint64_t>(days);
  out.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return out;
}

output::Declarations declared_metrics(const scenario::Scenario& scenario) {
  const Model m(scenario, StreamKey{scenario.run.seed, 0});
  return m.recorder.declarations();
}

}  // namespace commsim::engine
