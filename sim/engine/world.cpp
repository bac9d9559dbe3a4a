#include "sim/engine/world.hpp"

#include <utility>

#include "sim/model/wellbeing.hpp"

namespace commsim::engine {

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
  model::Reporting reporting(s);
  model::Commitments commitments(recorder);
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
  recorder.start();
  return std::unique_ptr<World>(new World{key,
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
}

}  // namespace commsim::engine
