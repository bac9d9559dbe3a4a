#pragma once
// Work orders: from a reported need to a closed order.
//
// A reported need becomes a work order in its grid's queue. Grid workers (full- and part-time,
// sim/model/staff.hpp) work in continuous working time: each has a clock and a daily window of
// casework hours; a free worker takes the waiting order the queue priority policy puts first
// (sim/policy/queue_priority.hpp) among those reported by then; unfinished work carries over.
// Service times are drawn per NEED (stream keyed by grid and log index) from the need type's
// distribution (sim/model/service_time.hpp), so policy arms share them (common random numbers).
// The worker who handles the order resolves it on the spot with a probability from its severity,
// the worker's own skill and whether the worker speaks a low-proficiency resident's language
// (sim/model/staff.hpp Workforce), or escalates it: to the community coordination centre
// (ordered phase, capacity in hours/day), which resolves it or "whistles" it to a subdistrict
// department (吹哨报到 [002]: management_service, key_task, emergency by severity) that responds
// after a lognormal delay of its kind. A response that does not solve the order is followed up by
// the grid worker casework.follow_up_days later and whistled again, up to casework.max_whistles
// rounds; the draws of a round are keyed by need and round (common random numbers). Volunteer teams
// take orders of their task types first; stairwell stewards mediate minor neighbour disputes on the
// spot. Orders open past their type's commitment are breaches. Levels: 0 grid, 1 community, 2
// subdistrict, 3 council (Model II).

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/types.hpp"
#include "sim/model/need.hpp"
#include "sim/model/reporting.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/model/service_time.hpp"
#include "sim/model/staff.hpp"
#include "sim/model/topics.hpp"
#include "sim/model/volunteers.hpp"
#include "sim/model/wellbeing.hpp"
#include "sim/output/recorder.hpp"
#include "sim/policy/queue_priority.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

inline constexpr std::uint8_t kLevelGrid = 0, kLevelCommunity = 1, kLevelSubdistrict = 2;
std::vector<std::string> level_names();  // grid, community, subdistrict, council
enum Handler : std::uint8_t {
  kFullTime,
  kPartTime,
  kVolunteer,
  kStewardHandler,
  kCentre,
  kDept,
  kCouncilHandler,  // a council topic fixed it (Model II)
};
std::vector<std::string> handler_names();       // full_time, part_time, ..., council
std::vector<std::string> whistle_kind_names();  // management_service, key_task, emergency

class Casework {
 public:
  Casework(const scenario::Scenario& s, const population::Population& pop,
           output::Recorder& recorder, std::vector<std::string> need_types, StreamKey key,
           ResidentState& residents);

  // Parallel phase, grid g: reporting by patrol, steward, hotline and app; volunteers' and
  // workers' casework; well-being of the grid's residents.
  void grid_day(const population::Population& pop, GridId g, Day d, StreamKey key, GridNeeds& needs,
                ResidentState& residents, const output::Recorder::Row& row);

  // Reports a hidden need through a channel: it becomes a work order in its grid's queue,
  // available to workers from working time `at` (hours on the grid clock). The one entry point
  // for every channel, including Model II's council hook. Needs not hidden are left alone.
  void report(const population::Population& pop, NeedRef ref, Channel channel, Day d, double at,
              GridNeeds& needs, ResidentState& residents, const output::Recorder::Row& row);
  // Start of the next working day on the grid clocks (for reports made after the grid phase).
  double next_day_start(Day d) const { return (d.value + 1) * hours_; }

  // Ordered phase: the coordination centre, the subdistrict whistle, the day's community totals.
  void community_day(const population::Population& pop, Day d, StreamKey key,
                     std::vector<GridNeeds>& needs, ResidentState& residents,
                     const output::Recorder::Row& row);

  // The table /events/work_orders (docs/output.md): one row per need of every grid's log, in
  // grid order, then log order, so the table is the same for any thread count.
  output::Table work_order_table(const population::Population& pop,
                                 const std::vector<GridNeeds>& needs,
                                 const std::vector<std::string>& need_types) const;

  // The draws of need i of grid g (stream keyed by the need), whoever handles it and whenever.
  struct Draws {
    double service = 0;  // hours at the grid, before skill and language
    // language: drawn but unused since handlers' languages are their own (workers: Workforce;
    // volunteers: their team's members); kept so the other draws keep their place in the stream.
    double language = 0, on_spot = 0, community = 0, whistle = 0, respond = 0;
  };
  Draws draws(StreamKey key, std::uint32_t g, std::uint32_t i, std::uint16_t type) const;

 private:
  struct GridState {
    std::vector<double> report_at;       // by log index (grid clock hours)
    std::vector<double> resolved_at;     // by log index (grid clock hours; NaN while open)
    std::vector<std::uint32_t> waiting;  // log indices
    std::vector<double> volunteer_duty;  // scratch: when each volunteer on duty is next free
    std::vector<std::uint32_t> open;     // log indices of open work orders
    std::vector<double> free_at;         // by worker (full-time first)
    // By worker: the order whose service runs past the worker's casework window (kNoOrder if
    // none) and its remaining service hours, worked off on the worker's next working days.
    std::vector<std::uint32_t> carry_need;
    std::vector<double> carry_left;
    std::vector<std::uint32_t> escalate;  // today's escalations, for the ordered phase
    std::vector<double> durations;        // days from report to resolution, resolved here
    double wait_sum = 0, waited = 0, served = 0;
    std::uint64_t opened = 0, resolved = 0, breaches = 0;
    double busy = 0, available = 0;  // grid workers' casework hours over the run
    std::vector<double> group_sums;  // group x measure, today
    // By group: orders of low-proficiency residents settled or escalated at the grid, and how
    // many of them by someone speaking the resident's language.
    std::vector<double> low_handled, low_matched;
    std::vector<double> group_count;
  };
  // A whistled order's next event: the department's response (solving it or not) or, after an
  // unsuccessful response, the grid worker's follow-up.
  struct Whistled {
    NeedRef ref;
    double at;           // grid clock hours of the event
    std::uint8_t round;  // 0 for the first whistle
    bool solves;         // the response solves it
    bool follow_up;      // the event is the follow-up, not the response
  };
  static constexpr std::uint32_t kNoOrder = 0xFFFFFFFF;

  double commitment(std::uint16_t type) const { return commitment_[type]; }
  bool working(Day d) const;
  // Whistles need `ref` to a department at grid clock hours `from`: the response (delay and
  // success by whistle kind) joins whistled_. Round 0 uses the need's own draws, so an order's
  // first whistle is what it was before follow-ups existed; later rounds a stream keyed by need
  // and round.
  void whistle(StreamKey key, NeedRef ref, const Need& need, std::uint8_t round, double from,
               const output::Recorder::Row& row);
  // Closes need i of grid gs at grid clock hours `at`; every resident the need affects (the
  // household, stairwell or building of a shared need) feels it.
  void resolve(const population::Population& pop, GridState& gs, std::uint32_t i, Need& need,
               std::uint8_t level, std::uint8_t handler, Day d, double at, ResidentState& residents,
               const output::Recorder::Row& row);
  // Calls f(resident) for every occupied dwelling's resident the need affects.
  template <class F>
  void for_affected(const population::Population& pop, const Need& need, F&& f) const;
  void serve(const population::Population& pop, GridId g, Day d, StreamKey key, GridNeeds& needs,
             ResidentState& residents, const output::Recorder::Row& row);

  StreamKey key_;
  scenario::ReportingSpec reporting_;
  scenario::CaseworkSpec spec_;
  scenario::StaffingSpec staffing_;
  std::int64_t levels_;
  double steward_mediation_;
  std::int64_t start_weekday_;
  StaffPlan plan_;
  Volunteers volunteers_;
  Wellbeing wellbeing_;
  policy::OrderPriority priority_;
  double hours_;  // length of a day on the grid clock (staffing.hours_per_day)
  std::vector<double> mean_hours_, commitment_;
  std::vector<ServiceDistribution> distribution_;  // by need type
  std::vector<double> service_cv_;                 // by need type
  std::vector<std::uint8_t> min_level_;
  std::vector<scenario::NeedScope> scope_;  // by need type
  // The end-of-run summaries: reductions of the state below, declared with the metrics.
  void declare_summaries(output::Recorder& recorder, const population::Population& pop);

  std::uint16_t safety_type_ = 0xFFFF, dispute_type_ = 0xFFFF;
  Workforce workforce_;
  double skill_start_[2] = {};  // mean skill of full-time and part-time workers at the start
  std::vector<std::uint8_t> stewarded_;  // by stairwell
  std::vector<GridState> grids_;
  // Ordered-phase state.
  std::vector<NeedRef> centre_queue_;
  double centre_clock_ = 0, centre_capacity_ = 0;
  double centre_carry_ = 0;  // capacity hours of service left over from the last working day
  std::vector<Whistled> whistled_;
  std::vector<double> sigma_by_kind_, response_by_kind_;  // by whistle kind
  std::uint64_t follow_ups_total_ = 0, rewhistles_total_ = 0;
  std::vector<double> whistles_total_ = std::vector<double>(3, 0.0);  // by whistle kind
  double hidden_end_ = 0, unresolved_end_ = 0;  // at the end of the last day run
  double open_age_days_end_ = 0;                // ages of the orders open then, summed
  std::vector<double> resolved_by_level_;
  std::vector<double> centre_durations_;
  std::uint64_t cum_opened_ = 0, cum_resolved_ = 0;
  output::MetricId reported_, hidden_, opened_, resolved_, open_, closure_, breaches_, staff_hours_,
      utilisation_, overtime_, volunteer_hours_, measures_[kMeasures], gap_, worker_skill_,
      language_matched_, whistles_, follow_ups_, rewhistles_, unresolved_;
};

}  // namespace commsim::model
