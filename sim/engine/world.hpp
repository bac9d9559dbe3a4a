#pragma once
// The state of one run: the population, the recorder, the work-order table and every mechanism,
// built by one builder (build_world) in an explicit order. The engine's day plan (day_plan.hpp)
// reads and writes it; tests build a small one with test::tiny_community.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/model/activities.hpp"
#include "sim/model/commitments.hpp"
#include "sim/model/councils.hpp"
#include "sim/model/embedding.hpp"
#include "sim/model/escalation.hpp"
#include "sim/model/meetings.hpp"
#include "sim/model/needs.hpp"
#include "sim/model/queue_service.hpp"
#include "sim/model/reporting.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/model/staff.hpp"
#include "sim/model/stewards.hpp"
#include "sim/model/topics.hpp"
#include "sim/model/volunteers.hpp"
#include "sim/model/wellbeing_effects.hpp"
#include "sim/model/work_orders.hpp"
#include "sim/output/recorder.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::engine {

struct World {
  StreamKey key;
  std::int64_t days;
  population::Population pop;
  output::Recorder recorder;
  std::vector<std::string> need_types;
  // Shared state: residents' well-being, the grid workers, the work orders.
  model::ResidentState residents;
  model::Staff staff;
  model::WorkOrderTable orders;
  // Model I's mechanisms.
  model::NeedArrival needs;
  model::Stewards stewards;
  model::Volunteers volunteers;
  model::VolunteerDay volunteer_day;
  model::StaffDay staff_day;
  model::Reporting reporting;
  model::Commitments commitments;
  model::QueueService service;
  model::Escalation escalation;
  model::WellbeingEffects wellbeing;
  // Integration and Model II.
  model::SocialState social;
  model::Embedding embedding;
  model::NeighbourContact contact;
  model::Activities activities;
  model::TopicPipeline topics;
  model::Councils councils;
  model::Meetings meetings;  // today's council meetings (councils <-> topics)

  // Called once before day 0, after the burn-in: the mechanisms' run totals (orders opened and
  // closed, waits, whistles, departures, decisions) restart, so every summary is over the
  // recorded days only; states (queues, ties, well-being) carry on.
  void start_recording();
};

// Builds the world of scenario `s` for stream key `key`, each part after what it reads. The
// order of the recorder's metrics is the order of this function.
std::unique_ptr<World> build_world(const scenario::Scenario& s, StreamKey key);

}  // namespace commsim::engine
