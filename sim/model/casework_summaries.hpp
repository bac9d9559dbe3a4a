#pragma once
// Model I's end-of-run summaries, reductions of the state of its mechanisms: the work-order table
// (closure, times to resolution, hidden needs), the queue (waits, utilisation), escalation
// (whistles, follow-ups), staff and volunteers. Declared on the recorder (output::Recorder::
// add_summary) once the world is built; the recorder reduces them after the last day.

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

// The parts must outlive the recorder's last summaries() (the world's own members do).
void declare_casework_summaries(output::Recorder& recorder, const CaseworkParts& m,
                                const population::Population& pop);

}  // namespace commsim::model
