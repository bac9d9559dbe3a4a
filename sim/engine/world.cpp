#include "sim/engine/world.hpp"

#include <utility>

#include "sim/model/casework_summaries.hpp"
#include "sim/model/wellbeing.hpp"

namespace commsim::engine {

namespace {

// The community's people, declared like the mechanisms' summaries (population is no mechanism).
// Counted after the last day over every dwelling, vacant ones included: a vacant dwelling keeps
// the group and residents of the household that left it (vacant_dwellings_final says how many).
void declare_population_summaries(output::Recorder& recorder, const population::Population& pop) {
  const output::Dimension groups{"group", pop.group_names};
  const auto count_by_group = [&pop](const std::vector<std::uint8_t>& group_of) {
    return [&pop, &group_of](const output::Recorder&) {
      std::vector<double> count(pop.groups(), 0.0);
      for (const std::uint8_t g : group_of) count[g] += 1;
      return output::Reduced{std::move(count)};
    };
  };
  recorder.add_summary(
      {.name = "residents",
       .unit = "residents",
       .description = "Residents of every dwelling at the end of the run, by "
                      "ethnic group (a vacant dwelling counts its last household).",
       .dims = {groups},
       .rule = "at_end"},
      count_by_group(pop.resident_group));
  recorder.add_summary({.name = "households",
                        .unit = "households",
                        .description = "Dwellings at the end of the run, by the ethnic group of "
                                       "their household (a vacant dwelling: of its last one).",
                        .dims = {groups},
                        .rule = "at_end"},
                       count_by_group(pop.household_group));
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

}  // namespace

std::unique_ptr<World> build_world(const scenario::Scenario& s, StreamKey key) {
  // 1. The community as it is on day 0 (before vacancies).
  auto pop = population::build_population(s.community, key);
  output::Recorder recorder(pop.grids(), s.run.days);
  model::NeedArrival needs(s.needs, pop, recorder);
  auto need_types = needs.type_names();
  // 2. Residents' well-being at the start (wellbeing.initial, spread per resident).
  model::ResidentState residents;
  model::Wellbeing(s.wellbeing).initialise(residents, pop.residents(), key);
  // 3. Model I: the grid workers, the work-order table, then the mechanisms that work it.
  auto staff = model::hire_staff(s, pop, key);
  model::WorkOrderTable orders(s, pop, recorder, need_types, key);
  model::Stewards stewards(s, pop, key);
  model::Volunteers volunteers(s.volunteers, need_types, pop);
  model::VolunteerDay volunteer_day(s, pop, recorder);
  model::StaffDay staff_day(recorder, s.staffing.training_gain);
  model::Reporting reporting(s, pop, staff);
  model::Commitments commitments(s, recorder);
  model::QueueService service(s, pop, recorder, staff);
  model::Escalation escalation(s, recorder, staff);
  model::WellbeingEffects wellbeing(s, pop, recorder);
  // 4. Ties and opinions, then residential embedding, which empties the initial vacancies: what
  //    is built after it sees the community with its empty dwellings.
  model::SocialState social(s, pop, key);
  model::Embedding embedding(s, pop, recorder, key);
  model::NeighbourContact contact(s.contact, pop, recorder);
  model::Activities activities(s, pop, recorder);
  // 5. Model II.
  model::TopicPipeline topics(s, pop, recorder);
  model::Councils councils(s, pop, recorder);
  auto world = std::unique_ptr<World>(new World{key,
                                                s.run.days,
                                                std::move(pop),
                                                std::move(recorder),
                                                std::move(need_types),
                                                std::move(residents),
                                                std::move(staff),
                                                std::move(orders),
                                                std::move(needs),
                                                std::move(stewards),
                                                std::move(volunteers),
                                                std::move(volunteer_day),
                                                std::move(staff_day),
                                                std::move(reporting),
                                                std::move(commitments),
                                                std::move(service),
                                                std::move(escalation),
                                                std::move(wellbeing),
                                                std::move(social),
                                                std::move(embedding),
                                                std::move(contact),
                                                std::move(activities),
                                                std::move(topics),
                                                std::move(councils),
                                                model::Meetings{}});
  // 6. The summaries that reduce the mechanisms' own records after the last day, declared on the
  //    world, where the parts they read now stay.
  World& w = *world;
  declare_population_summaries(w.recorder, w.pop);
  model::declare_casework_summaries(
      w.recorder, {w.orders, w.service, w.escalation, w.staff, w.volunteers}, w.pop);
  w.wellbeing.declare_summaries(w.recorder);
  w.topics.declare_summaries(w.recorder);
  w.recorder.start();
  return world;
}

void World::start_recording() {
  orders.start_recording();
  service.start_recording();
  escalation.start_recording();
  volunteers.start_recording();
  topics.start_recording();
  staff.skill_start[0] = staff.workforce.mean_skill(true, staff.plan);
  staff.skill_start[1] = staff.workforce.mean_skill(false, staff.plan);
}

}  // namespace commsim::engine
