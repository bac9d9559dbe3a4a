#pragma once
// Model I's end-of-run summaries, read from the state of its mechanisms: the work-order table
// (closure, times to resolution, hidden needs), the queue (waits, utilisation), escalation
// (whistles, follow-ups), staff and volunteers.

#include <vector>

#include "sim/model/escalation.hpp"
#include "sim/model/queue_service.hpp"
#include "sim/model/staff.hpp"
#include "sim/model/volunteers.hpp"
#include "sim/model/work_orders.hpp"
#include "sim/output/recorder.hpp"
#include "sim/population/population.hpp"

namespace commsim::model {

struct CaseworkParts {
  const WorkOrderTable& orders;
  const QueueService& service;
  const Escalation& escalation;
  const Staff& staff;
  const Volunteers& volunteers;
};

std::vector<output::Metric> casework_summaries(const CaseworkParts& m,
                                               const population::Population& pop);
// Grid workers' skills and languages and the language match of the orders they handled.
std::vector<output::Metric> staff_summaries(const CaseworkParts& m,
                                            const population::Population& pop);

}  // namespace commsim::model
