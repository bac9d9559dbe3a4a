#include "sim/model/queue_service.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/model/progress.hpp"

namespace commsim::model {

QueueService::QueueService(const scenario::Scenario& s, const population::Population& pop,
                           output::Recorder& recorder, const Staff& staff)
    : priority_(policy::queue_priority(s.casework.queue_priority)),
      hours_(s.staffing.hours_per_day),
      overtime_limit_(s.staffing.overtime_limit),
      skill_time_factor_(s.staffing.skill_time_factor),
      workers_(pop.grids()),
      totals_(pop.grids()),
      day_end_(pop.grids(), 0.0) {
  for (std::uint32_t g = 0; g < pop.grids(); ++g) {
    const std::uint32_t workers = staff.plan.full_time[g] + staff.plan.part_time[g];
    workers_[g].free_at.assign(workers, 0.0);
    workers_[g].carry_need.assign(workers, kNoOrder);
    workers_[g].carry_left.assign(workers, 0.0);
  }
  utilisation_ = recorder.add(
      {.name = "staff_utilisation",
       .unit = "share",
       .description = "Busy casework hours / available casework hours of grid workers.",
       .combine = output::Combine::Ratio});
  overtime_ = recorder.add({.name = "overtime_hours",
                            .unit = "hours",
                            .description = "Grid workers' hours beyond their day.",
                            .summary = output::EndRule::Total});
}

void QueueService::tidy(GridId g, Day d, WorkOrderTable& orders) {
  WorkOrders& gs = orders.grids[g.value];
  day_end_[g.value] = (d.value + 1) * hours_;
  std::erase_if(gs.waiting, [&](std::uint32_t i) {
    if (gs.log[i].state == NeedState::Reported) return false;
    if (!std::isnan(gs.resolved_at[i]))
      gs.left_queue(i, std::max(0.0, gs.resolved_at[i] - gs.report_at[i]));
    return true;
  });
}

QueueService::Censored QueueService::still_waiting(GridId g, const WorkOrderTable& orders) const {
  const WorkOrders& gs = orders.grids[g.value];
  Censored out;
  for (const std::uint32_t i : gs.waiting) {
    if (gs.log[i].state != NeedState::Reported || !gs.log[i].recorded()) continue;
    const double wait = std::max(0.0, day_end_[g.value] - gs.report_at[i]);
    out.wait_sum += wait;
    out.orders += 1;
    out.waited += wait > 1e-9;
  }
  return out;
}

void QueueService::serve(const population::Population& pop, GridId grid, Day d, const Staff& staff,
                         WorkOrderTable& orders, ResidentState& residents,
                         const output::Recorder::Row& row) {
  if (!staff.week.working(d)) return;
  const std::uint32_t g = grid.value;
  WorkOrders& needs = orders.grids[g];
  Workers& gs = workers_[g];
  Totals& sum = totals_[g];
  const StaffPlan& plan = staff.plan;
  const double day_start = d.value * hours_;
  const auto& skill = staff.workforce.skill[g];
  // Whether the one who handles the order speaks a low-proficiency resident's language: worker w
  // speaks the languages drawn for them.
  const auto matches = [&](const Need& need, std::size_t w) {
    if (pop.resident_proficiency[need.resident] >= 0.5f) return true;
    return staff.workforce.speaks_language(g, w, pop.resident_group[need.resident]);
  };
  const std::size_t workers = gs.free_at.size();
  const auto window = [&](std::size_t w) {
    return day_start +
           (w < plan.full_time[g] ? plan.ft_hours[kActCasework] : plan.pt_hours[kActCasework]);
  };
  const auto handler_of = [&](std::size_t w) -> std::uint8_t {
    return w < plan.full_time[g] ? kFullTime : kPartTime;
  };
  double busy = 0, available = 0, overtime = 0;
  // Carried orders first: their remaining hours are worked off from the start of this working
  // day's window, so weekends and days off pause them rather than serve them.
  for (std::size_t w = 0; w < workers; ++w) {
    const double length = window(w) - day_start;
    available += length;
    gs.free_at[w] = day_start;
    const std::uint32_t i = gs.carry_need[w];
    if (i == kNoOrder) continue;
    if (gs.carry_left[w] > length) {
      busy += length;
      gs.carry_left[w] -= length;
      gs.free_at[w] = window(w);
      continue;
    }
    busy += gs.carry_left[w];
    gs.free_at[w] = day_start + gs.carry_left[w];
    gs.carry_need[w] = kNoOrder;
    gs.carry_left[w] = 0;
    // A council topic may have fixed it meanwhile.
    if (needs.log[i].state != NeedState::Reported) continue;
    orders.settle_or_escalate(pop, g, i, handler_of(w), skill[w], matches(needs.log[i], w), d,
                              gs.free_at[w], residents, row);
  }
  // Each turn either gives a worker an order (the queue shrinks), moves a worker's clock to the
  // next report (at most once per waiting order) or ends the worker's window.
  Progress progress("queue and service", (needs.waiting.size() + 1) * (workers + 1) + workers);
  while (true) {
    progress.turn();
    std::size_t w = workers;
    double start = 0;
    for (std::size_t k = 0; k < workers; ++k) {
      const double s = std::max(gs.free_at[k], day_start);
      if (s < window(k) && (w == workers || s < start)) w = k, start = s;
    }
    if (w == workers) break;
    std::size_t best = needs.waiting.size();
    // No later report: the worker is done for the day. (A finite stand-in such as the end of the
    // next day left a worker whose casework window reaches past it at that time, for ever.)
    double next = std::numeric_limits<double>::infinity();
    policy::OrderKey best_key;
    for (std::size_t q = 0; q < needs.waiting.size(); ++q) {
      const std::uint32_t i = needs.waiting[q];
      if (needs.report_at[i] > start) {
        next = std::min(next, needs.report_at[i]);
        continue;
      }
      const Need& need = needs.log[i];
      const policy::OrderKey k{
          needs.report_at[i], need.severity,
          static_cast<std::uint8_t>(pop.resident_elderly[need.resident] ||
                                    pop.resident_proficiency[need.resident] < 0.5f),
          i};
      if (best == needs.waiting.size() || priority_(k, best_key)) best = q, best_key = k;
    }
    if (best == needs.waiting.size()) {
      gs.free_at[w] = next < window(w) ? next : window(w);
      continue;
    }
    const std::uint32_t i = needs.waiting[best];
    needs.waiting[best] = needs.waiting.back();
    needs.waiting.pop_back();
    const Need& need = needs.log[i];
    const bool matched = matches(need, w);
    const double service =
        orders.service_hours(g, i, matched) * skill_service_time(skill[w], skill_time_factor_);
    needs.left_queue(i, start - needs.report_at[i]);
    const double end = start + service;
    if (end <= window(w)) {
      busy += service;
      gs.free_at[w] = end;
      orders.settle_or_escalate(pop, g, i, handler_of(w), skill[w], matched, d, end, residents,
                                row);
    } else if (end - window(w) <= overtime_limit_) {
      busy += window(w) - start;
      overtime += end - window(w);
      gs.free_at[w] = window(w);
      orders.settle_or_escalate(pop, g, i, handler_of(w), skill[w], matched, d, end, residents,
                                row);
    } else {
      // The remainder carries over to the worker's next working day; for a worker whose whole
      // day is casework this is exactly continuous working time.
      busy += window(w) - start;
      gs.free_at[w] = window(w);
      gs.carry_need[w] = i;
      gs.carry_left[w] = end - window(w);
    }
  }
  // Each worker's busy hours are at most its window; summed in another order, a fully busy day
  // can come out a few ulps above the hours available.
  busy = std::min(busy, available);
  row.add_ratio(utilisation_, 0, busy, available);
  sum.busy += busy;
  sum.available += available;
  row.add(overtime_, overtime);
}

}  // namespace commsim::model
