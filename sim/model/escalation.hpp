#pragma once
// Escalation and the whistle, in the ordered phase. Orders the grid escalated today (the table's
// `escalated` queues) go to the community coordination centre, which works them in its own
// capacity hours a working day (casework.community_capacity_hours, else half the centre workers'
// day) and resolves each with casework.community_resolution, or "whistles" it to a subdistrict
// department (吹哨报到 [002]: management_service, key_task, emergency by severity) that responds
// after a lognormal delay of its kind. A response that does not solve the order is followed up by
// the grid worker casework.follow_up_days later and whistled again, up to casework.max_whistles
// rounds; the first round uses the need's own draws (the table), later rounds a stream keyed by
// need and round (common random numbers). The follow-up of the last round's unsuccessful
// response closes the order unresolved (WorkOrderTable::close_unresolved): every order that
// reaches a department ends, solved or not.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/types.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/model/staff.hpp"
#include "sim/model/work_orders.hpp"
#include "sim/output/recorder.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

std::vector<std::string> whistle_kind_names();  // management_service, key_task, emergency

class Escalation {
 public:
  Escalation(const scenario::Scenario& s, output::Recorder& recorder, const Staff& staff);

  // The centre's working day: today's escalations join its queue, which it works in order.
  void centre(const population::Population& pop, Day d, StreamKey key, WorkOrderTable& orders,
              ResidentState& residents, const output::Recorder::Row& row);
  // Departments' responses and grid workers' follow-ups due today.
  void whistles(const population::Population& pop, Day d, StreamKey key, WorkOrderTable& orders,
                ResidentState& residents, const output::Recorder::Row& row);

  // A region's subdistrict with a whistle capacity (scenario::RegionSubdistrict): from now on a
  // whistle does not reach a department at once but waits in pending() until the subdistrict
  // takes it up (take_up), after its communities' day.
  struct Pending {
    NeedRef ref;
    double from;         // grid clock hours of the whistle
    double response;     // hours from take-up to the department's response (at least a day)
    std::uint8_t round;  // 0 for the first whistle
    bool solves;
  };
  void wait_for_departments() { limited_ = true; }
  std::vector<Pending>& pending() { return pending_; }
  // The subdistrict takes up `p` at grid clock hours `at` (>= p.from): its response is due then.
  void take_up(const Pending& p, double at) {
    whistled_.push_back({p.ref, at + p.response, p.round, p.solves, false});
  }
  double hours_per_day() const { return hours_; }

  const std::vector<double>& whistles_total() const { return whistles_total_; }
  std::uint64_t follow_ups_total() const { return follow_ups_total_; }
  std::uint64_t rewhistles_total() const { return rewhistles_total_; }
  // Before day 0 (after the burn-in): the totals count from here.
  void start_recording();

 private:
  // A whistled order's next event: the department's response (solving it or not) or, after an
  // unsuccessful response, the grid worker's follow-up.
  struct Whistled {
    NeedRef ref;
    double at;           // grid clock hours of the event
    std::uint8_t round;  // 0 for the first whistle
    bool solves;         // the response solves it
    bool follow_up;      // the event is the follow-up, not the response
  };
  // Whistles need `ref` to a department at grid clock hours `from`: the response (delay and
  // success by whistle kind) joins whistled_. Round 0 uses the need's own draws, so an order's
  // first whistle is what it was before follow-ups existed; later rounds a stream keyed by need
  // and round.
  void whistle(StreamKey key, NeedRef ref, const WorkOrderTable& orders, std::uint8_t round,
               double from, const output::Recorder::Row& row);

  scenario::CaseworkSpec spec_;
  WorkWeek week_;
  double hours_;  // length of a day on the grid clock
  std::vector<NeedRef> centre_queue_;
  std::vector<std::int32_t> centre_since_;  // by queue entry: the day it joined the queue
  double centre_clock_ = 0, centre_capacity_ = 0;
  double centre_carry_ = 0;  // capacity hours of service left over from the last working day
  std::vector<Whistled> whistled_;
  bool limited_ = false;
  std::vector<Pending> pending_;
  std::vector<Whistled> due_;                             // scratch
  std::vector<double> sigma_by_kind_, response_by_kind_;  // by whistle kind
  std::uint64_t follow_ups_total_ = 0, rewhistles_total_ = 0;
  std::vector<double> whistles_total_ = std::vector<double>(3, 0.0);  // by whistle kind
  output::MetricId whistles_, follow_ups_, rewhistles_;
};

}  // namespace commsim::model
