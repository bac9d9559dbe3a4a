#pragma once
// Commitments: each need type promises a response within casework.commitment_days (a type's own
// commitment_days if set). An order still open on day reported + ceil(commitment) + 1 is a breach,
// counted once; so is one closed late before that day (the table marks it when it closes). From
// then on, every day it stays open it is unresolved: it joins the table's `overdue` queue, whose
// residents' gain and trust wear down (well-being effects).

#include <cstdint>

#include "sim/core/types.hpp"
#include "sim/model/work_orders.hpp"
#include "sim/output/recorder.hpp"

namespace commsim::model {

class Commitments {
 public:
  explicit Commitments(output::Recorder& recorder);

  // Grid phase, the start of the day: breaches and unresolved orders among grid g's open orders.
  void open_orders(GridId g, Day d, WorkOrderTable& orders, const output::Recorder::Row& row) const;
  // Breaches of orders closed late since the last count, in the grid phase (grid g's, into its
  // row) or the ordered phase (every grid's, into the community row).
  void late_closes(GridId g, WorkOrderTable& orders, const output::Recorder::Row& row) const;
  void late_closes(WorkOrderTable& orders, const output::Recorder::Row& row) const;

 private:
  output::MetricId breaches_, unresolved_;
};

}  // namespace commsim::model
