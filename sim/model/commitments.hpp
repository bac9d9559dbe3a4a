#pragma once
// Commitments: each need type promises a response within casework.commitment_days (a type's own
// commitment_days if set). An order still open on day reported + ceil(commitment) + 1 is a breach,
// counted once; so is one closed late before that day (the table marks it when it closes). From
// then on, every day it stays open it is unresolved: it joins the table's `overdue` queue, whose
// residents' gain and trust wear down (well-being effects). An order still waiting for a grid
// worker on its breach day is passed up to the centre (casework.pass_up_overdue): the grid could
// not reach it in time, so the next level takes it (its residents feel an escalation).

#include <cstdint>

#include "sim/core/types.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/model/work_orders.hpp"
#include "sim/output/recorder.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

class Commitments {
 public:
  Commitments(const scenario::Scenario& s, output::Recorder& recorder);

  // Grid phase, the start of the day: breaches and unresolved orders among grid g's open orders;
  // waiting orders past their commitment are passed up to the centre.
  void open_orders(GridId g, Day d, WorkOrderTable& orders, ResidentState& residents,
                   const output::Recorder::Row& row) const;
  // Breaches of orders closed late since the last count, in the grid phase (grid g's, into its
  // row) or the ordered phase (every grid's, into the community row).
  void late_closes(GridId g, WorkOrderTable& orders, const output::Recorder::Row& row) const;
  void late_closes(WorkOrderTable& orders, const output::Recorder::Row& row) const;

 private:
  bool pass_up_;
  double hours_;  // the grid clock's hours a day (staffing.hours_per_day)
  output::MetricId breaches_, unresolved_, passed_up_;
};

}  // namespace commsim::model
