#include "sim/model/commitments.hpp"

#include <vector>

namespace commsim::model {

Commitments::Commitments(const scenario::Scenario& s, output::Recorder& recorder)
    : pass_up_(s.casework.pass_up_overdue), hours_(s.staffing.hours_per_day) {
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
  passed_up_ = recorder.add(
      {.name = "work_orders_passed_up",
       .unit = "orders",
       .description = "Orders still waiting for a grid worker past their commitment, passed up "
                      "to the coordination centre (casework.pass_up_overdue).",
       .summary = output::EndRule::Total});
}

void Commitments::open_orders(GridId grid, Day d, WorkOrderTable& orders, ResidentState& residents,
                              const output::Recorder::Row& row) const {
  WorkOrders& gs = orders.grids[grid.value];
  // Orders no grid worker has taken by their breach day go up to the centre, in queue order.
  if (pass_up_)
    std::erase_if(gs.waiting, [&](std::uint32_t i) {
      const Need& need = gs.log[i];
      if (need.state != NeedState::Reported ||
          d.value - need.day_reported <= orders.types().commitment_limit(need.type))
        return false;
      // At the start of the day (this phase runs before anyone serves).
      orders.pass_up(grid.value, i, d.value * hours_, residents, row);
      if (need.recorded()) row.add(passed_up_, 1.0);
      return true;
    });
  // Open orders: breaches of the commitment (councils' fixes were counted in the ordered phase);
  // every day past it the order is unresolved.
  gs.overdue.clear();
  std::erase_if(gs.open, [&](std::uint32_t i) {
    const Need& need = gs.log[i];
    if (need.state != NeedState::Reported) return true;  // resolved or closed unresolved
    const int open_days = d.value - need.day_reported;
    const int limit = orders.types().commitment_limit(need.type);
    if (open_days == limit + 1 && need.recorded()) row.add(breaches_, 1.0);
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
