#include "sim/model/commitments.hpp"

#include <vector>

namespace commsim::model {

Commitments::Commitments(output::Recorder& recorder) {
  breaches_ = recorder.add(
      {.name = "commitment_breaches",
       .unit = "orders",
       .description = "Work orders that passed their response-time commitment (each counted on "
                      "the day it passed it).",
       .summary = output::EndRule::Total});
  unresolved_ = recorder.add(
      {.name = "work_orders_unresolved",
       .unit = "orders",
       .description =
           "Open work orders past their type's commitment at the start of the day "
           "(each a daily bad experience for its residents, wellbeing.overdue_weight)."});
}

void Commitments::open_orders(GridId grid, Day d, WorkOrderTable& orders,
                              const output::Recorder::Row& row) const {
  WorkOrders& gs = orders.grids[grid.value];
  // Open orders: breaches of the commitment (councils' fixes were counted in the ordered phase);
  // every day past it the order is unresolved.
  gs.overdue.clear();
  std::erase_if(gs.open, [&](std::uint32_t i) {
    const Need& need = gs.log[i];
    if (need.state == NeedState::Resolved) return true;
    const int open_days = d.value - need.day_reported;
    const int limit = orders.types().commitment_limit(need.type);
    if (open_days == limit + 1) row.add(breaches_, 1.0);
    if (open_days > limit) gs.overdue.push_back(i);
    return false;
  });
  row.add(unresolved_, static_cast<double>(gs.overdue.size()));
}

void Commitments::late_closes(GridId g, WorkOrderTable& orders,
                              const output::Recorder::Row& row) const {
  WorkOrders& gs = orders.grids[g.value];
  row.add(breaches_, static_cast<double>(gs.late_closed));
  gs.late_closed = 0;
}

void Commitments::late_closes(WorkOrderTable& orders, const output::Recorder::Row& row) const {
  for (std::uint32_t g = 0; g < orders.grids.size(); ++g) late_closes(GridId(g), orders, row);
}

}  // namespace commsim::model
