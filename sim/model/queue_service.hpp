#pragma once
// Queue and service: grid workers (full- and part-time, sim/model/staff.hpp) work the grid's
// queue in continuous working time. Each has a clock and a daily window of casework hours; a free
// worker takes the waiting order the queue priority policy puts first
// (sim/policy/queue_priority.hpp) among those reported by then; unfinished work carries over to
// the worker's next working day. The service time is the need's own draw (the work-order table)
// times its type's mean, longer for a worker of lower skill or who does not speak a
// low-proficiency resident's language; the worker settles the order on the spot or escalates it
// (WorkOrderTable::settle_or_escalate).

#include <cstdint>
#include <vector>

#include "sim/core/types.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/model/staff.hpp"
#include "sim/model/work_orders.hpp"
#include "sim/output/recorder.hpp"
#include "sim/policy/queue_priority.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

class QueueService {
 public:
  QueueService(const scenario::Scenario& s, const population::Population& pop,
               output::Recorder& recorder, const Staff& staff);

  // Grid phase, before anyone takes an order: orders closed since (by a council topic, by the
  // centre or a department) leave the waiting queue.
  void tidy(GridId g, Day d, WorkOrderTable& orders);
  // Grid phase, working days: the grid workers' casework.
  void serve(const population::Population& pop, GridId g, Day d, const Staff& staff,
             WorkOrderTable& orders, ResidentState& residents, const output::Recorder::Row& row);

  // Over the run: grid workers' busy and available casework hours.
  struct Totals {
    double busy = 0, available = 0;
  };
  const std::vector<Totals>& totals() const { return totals_; }
  // Before day 0 (after the burn-in): the totals count from here.
  void start_recording() { std::fill(totals_.begin(), totals_.end(), Totals{}); }
  // The cohort's orders of grid g still waiting at the end of the last day run, each counted with
  // its wait so far (the queue's right-censored tail): {hours summed, orders, orders that waited}.
  struct Censored {
    double wait_sum = 0, orders = 0, waited = 0;
  };
  Censored still_waiting(GridId g, const WorkOrderTable& orders) const;

 private:
  static constexpr std::uint32_t kNoOrder = 0xFFFFFFFF;
  struct Workers {
    std::vector<double> free_at;  // by worker (full-time first)
    // By worker: the order whose service runs past the worker's casework window (kNoOrder if
    // none) and its remaining service hours, worked off on the worker's next working days.
    std::vector<std::uint32_t> carry_need;
    std::vector<double> carry_left;
  };

  policy::OrderPriority priority_;
  double hours_;  // length of a day on the grid clock
  double overtime_limit_, skill_time_factor_;
  std::vector<Workers> workers_;  // by grid
  std::vector<Totals> totals_;    // by grid
  std::vector<double> day_end_;   // by grid: the end of the last day run, on the grid clock
  output::MetricId utilisation_, overtime_;
};

}  // namespace commsim::model
