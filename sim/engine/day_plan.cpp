#include "sim/engine/day_plan.hpp"

namespace commsim::engine {

namespace {

using Row = output::Recorder::Row;
using model::WorkOrders;

// Needs arise, are reported and worked; the order of the steps is the order of the model (docs/
// model.md §1.3). Each step calls one mechanism.
// The first step is the needs' arrival (run_grid_steps leaves it out on request).
const Step kPlan[] = {
    // ---- Parallel over grids: each grid touches only its own slice. ----
    {Phase::Grid, "needs: arise",
     [](World& w, GridId g, const DayContext& c, const Row& row) {
       w.needs.arise(w.pop, g, c.day, c.key, w.orders.grids[g.value], row);
     },
     nullptr},
    {Phase::Grid, "volunteers: start of day",
     [](World& w, GridId g, const DayContext& c, const Row&) {
       w.volunteer_day.start(w.pop, g, c.day, c.key, w.volunteers, w.orders, w.residents);
     },
     nullptr},
    {Phase::Grid, "commitments: open orders",
     [](World& w, GridId g, const DayContext& c, const Row& row) {
       w.commitments.open_orders(g, c.day, w.orders, w.residents, row);
     },
     nullptr},
    {Phase::Grid, "well-being: overdue orders and hazards",
     [](World& w, GridId g, const DayContext& c, const Row&) {
       w.wellbeing.incidents(w.pop, g, c.day, w.orders, w.residents);
     },
     nullptr},
    {Phase::Grid, "staff: start of day",
     [](World& w, GridId g, const DayContext& c, const Row& row) {
       w.staff_day.start(g, c.day, w.staff, w.orders, row);
     },
     nullptr},
    {Phase::Grid, "reporting: channels",
     [](World& w, GridId g, const DayContext& c, const Row& row) {
       w.reporting.grid_day(w.pop, g, c.day, c.key, w.orders, w.stewards, w.residents, row);
     },
     nullptr},
    {Phase::Grid, "queue: tidy",
     [](World& w, GridId g, const DayContext& c, const Row&) {
       w.service.tidy(g, c.day, w.orders);
     },
     nullptr},
    {Phase::Grid, "volunteers: small needs on the spot",
     [](World& w, GridId g, const DayContext& c, const Row& row) {
       w.volunteer_day.small_needs(w.pop, g, c.day, c.key, w.volunteers, w.orders, w.residents,
                                   row);
     },
     nullptr},
    {Phase::Grid, "queue and service: grid workers",
     [](World& w, GridId g, const DayContext& c, const Row& row) {
       w.service.serve(w.pop, g, c.day, w.staff, w.orders, w.residents, row);
     },
     nullptr},
    {Phase::Grid, "staff: training and hours",
     [](World& w, GridId g, const DayContext& c, const Row& row) {
       w.staff_day.end(g, c.day, w.staff, row);
     },
     nullptr},
    {Phase::Grid, "commitments: late closes at the grid",
     [](World& w, GridId g, const DayContext&, const Row& row) {
       w.commitments.late_closes(g, w.orders, row);
     },
     nullptr},
    {Phase::Grid, "well-being: recovery and means",
     [](World& w, GridId g, const DayContext&, const Row& row) {
       w.wellbeing.recover(w.pop, g, w.residents, w.social, row);
     },
     nullptr},
    {Phase::Grid, "contact: neighbours meet",
     [](World& w, GridId g, const DayContext& c, const Row& row) {
       w.contact.run(w.pop, g, c.day, c.key, w.social, row);
     },
     nullptr},
    {Phase::Grid, "embedding: measure",
     [](World& w, GridId g, const DayContext&, const Row& row) {
       w.embedding.measure(w.pop, g, row);
     },
     nullptr},
    {Phase::Grid, "embedding: the day's move draws",
     [](World& w, GridId g, const DayContext& c, const Row&) {
       w.embedding.draw_moves(w.pop, g, c.day, c.key);
     },
     nullptr},
    // ---- Community, in a fixed order: activities and councils draw residents from every grid,
    // topics spend the community's money, moves cross grids, escalations reach the centre. ----
    {Phase::Community, "activities: events", nullptr,
     [](World& w, const DayContext& c, const Row& row) {
       w.activities.run(w.pop, c.day, c.key, w.volunteers, w.social, w.residents, row);
     }},
    {Phase::Community, "councils: meetings", nullptr,
     [](World& w, const DayContext& c, const Row& row) {
       w.councils.meet(w.pop, c.day, c.key, w.social, w.residents, w.meetings, row);
     }},
    {Phase::Community, "topics: raised at meetings", nullptr,
     [](World& w, const DayContext& c, const Row& row) {
       w.topics.at_meetings(w.pop, w.meetings, w.orders.grids, c.day, row);
     }},
    {Phase::Community, "councils: deliberation", nullptr,
     [](World& w, const DayContext& c, const Row&) {
       w.councils.deliberate(c.day, c.key, w.meetings);
     }},
    {Phase::Community, "topics: decisions", nullptr,
     [](World& w, const DayContext& c, const Row& row) {
       w.topics.record_decisions(w.meetings, c.day, c.key, row);
     }},
    // Needs raised at today's councils become work orders, served from the next working day.
    {Phase::Community, "reporting: council channel", nullptr,
     [](World& w, const DayContext& c, const Row& row) {
       w.reporting.council_day(c.day, w.orders, row);
     }},
    {Phase::Community, "topics: funding and implementation", nullptr,
     [](World& w, const DayContext& c, const Row& row) {
       w.topics.advance(w.pop, c.day, c.key, w.orders.grids, w.needs, w.residents, row);
     }},
    {Phase::Community, "embedding: moves", nullptr,
     [](World& w, const DayContext& c, const Row& row) {
       w.embedding.run(w.pop, c.day, c.key, w.social, w.residents, row);
     }},
    {Phase::Community, "work orders: council fixes", nullptr,
     [](World& w, const DayContext& c, const Row& row) {
       w.orders.close_council_fixes(w.pop, c.day, w.residents, row);
     }},
    {Phase::Community, "escalation: coordination centre", nullptr,
     [](World& w, const DayContext& c, const Row& row) {
       w.escalation.centre(w.pop, c.day, c.key, w.orders, w.residents, row);
     }},
    {Phase::Community, "escalation: whistle", nullptr,
     [](World& w, const DayContext& c, const Row& row) {
       w.escalation.whistles(w.pop, c.day, c.key, w.orders, w.residents, row);
     }},
    {Phase::Community, "work orders: census", nullptr,
     [](World& w, const DayContext& c, const Row& row) { w.orders.census(c.day, row); }},
    {Phase::Community, "commitments: late closes above the grid", nullptr,
     [](World& w, const DayContext&, const Row& row) { w.commitments.late_closes(w.orders, row); }},
    {Phase::Community, "well-being: gap", nullptr,
     [](World& w, const DayContext&, const Row& row) { w.wellbeing.gap(row); }},
    // ---- The day's values reach the recorder. ----
    {Phase::Record, "recorder: end of day", nullptr,
     [](World& w, const DayContext& c, const Row&) { w.recorder.end_day(c.day); }},
};

}  // namespace

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::Grid:
      return "grid";
    case Phase::Community:
      return "community";
    case Phase::Record:
      break;
  }
  return "record";
}

std::span<const Step> day_plan() {
  return kPlan;
}

void run_grid_steps(World& w, GridId g, const DayContext& c, bool arrivals) {
  const auto row = w.recorder.grid_row(g);
  for (const Step& step : kPlan)
    if (step.phase == Phase::Grid && (arrivals || &step != &kPlan[0])) step.grid(w, g, c, row);
}

}  // namespace commsim::engine
