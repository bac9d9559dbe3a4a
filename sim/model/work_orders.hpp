#pragma once
// The work-order table: the shared state of Model I. Each grid keeps one table, a structure of
// arrays indexed by the need's place in the grid's log (the id, unique with the grid), so the
// parallel grid phase appends and updates without locks. A need's whole life is in it: when it
// arose (Need), when and through which channel it was reported, the queue it waits in, who handled
// it, whether it escalated, when and at which level it was resolved, and the draws that decide
// its service (keyed by the need, so every arm that serves it sees the same numbers).
//
// Mechanisms (reporting, volunteers, queue and service, escalation and whistle, commitments,
// well-being effects; councils and topics of Model II) read and write this table and call no
// other mechanism. What crosses from one to the next goes through the table's queues:
//   unreported  hidden needs (needs arise -> reporting)
//   raised      needs raised at today's councils (councils -> reporting, the council channel)
//   waiting     open orders not yet taken (reporting -> volunteers, grid workers)
//   escalated   today's escalations from the grid (volunteers, workers -> the centre)
//   fixed       needs a council topic fixed today (topics -> work orders: council fixes)
//   overdue     open orders past their commitment today (commitments -> well-being effects)
// The transitions of a need's life (open, close, settle or escalate at the grid) are the table's
// own operations below: every mechanism that moves an order moves it through them, so the
// bookkeeping of an order (counts, durations, the work-order events) is written in one place.

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/types.hpp"
#include "sim/model/need.hpp"
#include "sim/model/reporting.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/model/service_time.hpp"
#include "sim/model/wellbeing.hpp"
#include "sim/output/recorder.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

inline constexpr std::uint8_t kLevelGrid = 0, kLevelCommunity = 1, kLevelSubdistrict = 2;
// Need.level of a need fixed by an implemented council topic. Model I's levels (grid, community,
// subdistrict) use smaller codes; this one must stay distinct.
inline constexpr std::uint8_t kLevelCouncil = 3;
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
std::vector<std::string> handler_names();  // full_time, part_time, ..., council

struct NeedRef {
  std::uint32_t grid = 0;
  std::uint32_t index = 0;  // into WorkOrders::log
};

// The stream entity of need i of grid g.
inline std::uint64_t need_entity(std::uint32_t g, std::uint32_t i) {
  return (static_cast<std::uint64_t>(g) << 32) | i;
}
inline constexpr Purpose kNeedDraws = purpose("casework.need");

// What Model I needs to know about each need type, resolved once from the scenario.
struct OrderTypes {
  std::vector<double> mean_hours, commitment;     // by need type
  std::vector<ServiceDistribution> distribution;  // by need type
  std::vector<double> service_cv;                 // by need type
  std::vector<std::uint8_t> min_level;            // by need type
  std::vector<scenario::NeedScope> scope;         // by need type
  std::uint16_t safety_type = 0xFFFF, dispute_type = 0xFFFF;

  OrderTypes(const scenario::Scenario& s, const std::vector<std::string>& need_types);
  // Whole days an order of this type may stay open before it is late.
  int commitment_limit(std::uint16_t type) const {
    return static_cast<int>(std::ceil(commitment[type]));
  }
};

// The draws of need i of grid g (stream keyed by the need), whoever handles it and whenever.
struct NeedDraws {
  double service = 0;  // hours at the grid, before skill and language
  // language: drawn but unused since handlers' languages are their own (workers: Workforce;
  // volunteers: their team's members); kept so the other draws keep their place in the stream.
  double language = 0, on_spot = 0, community = 0, whistle = 0, respond = 0;
};
NeedDraws need_draws(StreamKey key, std::uint32_t g, std::uint32_t i, std::uint16_t type,
                     const OrderTypes& types);

// One grid's work-order table.
struct WorkOrders {
  std::vector<Need> log;                  // every need of the grid, in order of arising
  std::vector<std::uint32_t> unreported;  // log indices of needs still hidden
  // By log index, sized to the log when an order opens (grow()).
  std::vector<double> report_at;    // grid clock hours
  std::vector<double> resolved_at;  // grid clock hours; NaN while open
  // Queues of log indices (see the top of this file).
  std::vector<std::uint32_t> open, waiting, escalated, raised, fixed, overdue;
  // Visit hours of today, read by reporting: the grid workers' household visits (on working
  // days), the patrol volunteers' rounds of the buildings, the volunteers' scheduled home visits
  // to households with an elderly member or low income, and by ethnic group the share of those
  // home-visit hours given by a team with a member of the group (who speaks its language).
  double patrol_hours = 0, volunteer_patrol_hours = 0, home_visit_hours = 0;
  std::vector<double> home_visit_speaks;
  // Bookkeeping of the orders of the run's cohort (Need::recorded: arose on day 0 or later).
  std::uint64_t opened = 0, resolved = 0, closed_unresolved = 0;
  std::uint32_t late_closed = 0;  // orders closed past their commitment, not yet counted
  std::vector<double> durations;  // days from report to resolution, in order of closing
  double unresolved_days = 0;     // days from report to closing, of orders closed unresolved
  // Queue waits: hours from report until the order left the waiting queue (taken by a grid worker
  // or a volunteer, passed up to the centre, or closed while waiting), over the run (left_queue).
  double wait_sum = 0, waited = 0, taken = 0;
  // By group: orders of low-proficiency residents settled or escalated at the grid, and how
  // many of them by someone speaking the resident's language.
  std::vector<double> low_handled, low_matched;

  void grow();  // sizes the by-index columns to the log
  // Order i leaves the waiting queue after `wait` hours: the queue's wait, over every order of
  // the run's cohort (Need::recorded) of every grid, staffed or not.
  void left_queue(std::uint32_t i, double wait) {
    if (!log[i].recorded()) return;
    wait_sum += wait;
    waited += wait > 1e-9;
    taken += 1;
  }
};

// Every grid's table and the transitions of a need's life.
class WorkOrderTable {
 public:
  WorkOrderTable(const scenario::Scenario& s, const population::Population& pop,
                 output::Recorder& recorder, const std::vector<std::string>& need_types,
                 StreamKey key);

  std::vector<WorkOrders> grids;
  const OrderTypes& types() const { return types_; }
  double hours() const { return hours_; }  // length of a day on the grid clock
  // Series the casework summaries read (sim/model/casework_summaries.cpp).
  output::MetricId reported_series() const { return reported_; }
  output::MetricId resolved_series() const { return resolved_; }
  output::MetricId left_grid_series() const { return left_grid_; }
  // Start of the next working day on the grid clocks (for reports made after the grid phase).
  double next_day_start(Day d) const { return (d.value + 1) * hours_; }

  // A hidden need becomes a work order, available from grid clock hours `at`: its draws are
  // made and it joins the open orders (not yet the waiting queue: the caller decides). Returns
  // false, changing nothing, if the need is not hidden.
  bool open(NeedRef ref, Channel channel, Day d, double at, const output::Recorder::Row& row);
  // Closes need i of grid g at grid clock hours `at`; every resident the need affects (the
  // household, stairwell or building of a shared need) feels it (well-being effects, at once:
  // reporting later today reads the trust it moves).
  void close(const population::Population& pop, std::uint32_t g, std::uint32_t i,
             std::uint8_t level, std::uint8_t handler, Day d, double at, ResidentState& residents,
             const output::Recorder::Row& row);
  // Closes order i of grid g unresolved (terminal: no department solved it after the last
  // whistle round): it leaves the open orders, counts as closed unresolved, and every resident
  // it affects feels the failure (Wellbeing::closed_unresolved). A safety hazard's loss of
  // security stays (nobody fixed it).
  void close_unresolved(const population::Population& pop, std::uint32_t g, std::uint32_t i, Day d,
                        ResidentState& residents, const output::Recorder::Row& row);
  // Order i of grid g, still waiting at the grid at `at` (grid clock), goes up to the centre
  // (today's `escalated` queue): its wait at the grid counts (left_queue), and the resident
  // feels an escalation.
  void pass_up(std::uint32_t g, std::uint32_t i, double at, ResidentState& residents,
               const output::Recorder::Row& row);
  // Before day 0 (after the burn-in): the run's bookkeeping (orders opened, resolved and closed
  // unresolved, durations, language matching) counts from here; open orders stay open. The
  // bookkeeping counts the cohort only (Need::recorded), so nothing of the burn-in is in it.
  void start_recording();
  // The grid's handler (worker or volunteer) settles order i on the spot (with probability from
  // its severity, the handler's skill and whether the handler speaks the resident's language)
  // or escalates it to the centre.
  void settle_or_escalate(const population::Population& pop, std::uint32_t g, std::uint32_t i,
                          std::uint8_t handler, double skill, bool matched, Day d, double at,
                          ResidentState& residents, const output::Recorder::Row& row);
  // Hours of service order i of grid g takes at the grid, before the handler's skill: the need's
  // draw times its type's mean, longer when the handler does not speak a low-proficiency
  // resident's language.
  double service_hours(std::uint32_t g, std::uint32_t i, bool matched) const {
    return draws(g, i).service * types_.mean_hours[grids[g].log[i].type] *
           (matched ? 1.0 : 1.0 / language_penalty_);
  }
  // The draws of need i of grid g (need_draws), made again wherever they are read: a draw is a
  // function of its address, so the table keeps no column of them (40 bytes a need, for every
  // need of the run, burn-in's included, against a few draws more per order).
  NeedDraws draws(std::uint32_t g, std::uint32_t i) const {
    return need_draws(key_, g, i, grids[g].log[i].type, types_);
  }
  // Calls f(resident) for every occupied dwelling's resident the need affects.
  template <class F>
  void for_affected(const population::Population& pop, const Need& need, F&& f) const;

  // Ordered phase: the needs councils' topics fixed today are closed at the council level (the
  // community phase ends the day, so they close at its end); open orders among them count as
  // resolved the same day, so the totals agree with the needs' records.
  void close_council_fixes(const population::Population& pop, Day d, ResidentState& residents,
                           const output::Recorder::Row& row);
  // Ordered phase, the day's end: needs still hidden, orders open, the closure rate; the census
  // of open orders the run's summaries use.
  void census(Day d, const output::Recorder::Row& row);

  // States at the end of the last day run: every need, burn-in's included.
  double hidden_end() const { return hidden_end_; }
  double open_end() const { return open_end_; }  // orders open at the end of the last day
  // The same of the run's cohort only (Need::recorded): what the run's counts add up to.
  double hidden_recorded_end() const { return hidden_recorded_end_; }
  double open_recorded_end() const { return open_recorded_end_; }
  double unresolved_end() const { return unresolved_end_; }
  double open_age_days_end() const { return open_age_days_end_; }

  // The table /events/work_orders (docs/output.md): one row per need of every grid's log, in
  // grid order, then log order, so the table is the same for any thread count.
  output::Table work_order_table(const population::Population& pop,
                                 const std::vector<std::string>& need_types) const;

 private:
  StreamKey key_;
  OrderTypes types_;
  Wellbeing effects_;
  double hours_;
  std::vector<double> on_the_spot_;  // by severity (casework.on_the_spot)
  double language_penalty_;
  double hidden_end_ = 0, unresolved_end_ = 0, open_end_ = 0;  // at the end of the last day run
  double open_age_days_end_ = 0;  // ages of the cohort's orders open then, summed
  double open_recorded_end_ = 0, hidden_recorded_end_ = 0;  // of the cohort
  output::MetricId reported_, hidden_, opened_, resolved_, open_, closure_, language_matched_,
      closed_unresolved_;
  output::MetricId volunteer_share_;  // resolved by volunteers / resolved
  output::MetricId left_grid_;        // orders passed up from the grid to the coordination centre
};

template <class F>
void WorkOrderTable::for_affected(const population::Population& pop, const Need& need,
                                  F&& f) const {
  population::Range who{need.resident, need.resident + 1};
  switch (types_.scope[need.type]) {
    case scenario::NeedScope::Resident:
      break;
    case scenario::NeedScope::Household:
      who = pop.household_residents(need.place);
      break;
    case scenario::NeedScope::Stairwell:
      who = pop.stairwell_residents(need.place);
      break;
    case scenario::NeedScope::Building:
      who = pop.building_residents(need.place);
      break;
  }
  for (std::uint32_t r = who.begin; r < who.end; ++r)
    if (!pop.resident_vacant(r)) f(r);
}

}  // namespace commsim::model
