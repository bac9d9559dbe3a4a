#pragma once
// The topic pipeline: "residents raise the topic, designated people frame it, the community
// solves it" (居民点题、专人议题、社区解题 [001]).
//
// Raw material: open shared needs (stairwell or building scope) in the grids' need logs. At a
// council meeting, each attendee raises the open shared needs of their stairwell and building; the
// needs of one type at one place are framed as one topic. The council puts the candidates on its
// agenda by the selection policy (sim/policy/topic_selection.hpp), deliberates and decides
// (councils.cpp, deliberation.cpp). An adopted topic waits for money - the community budget first,
// then the co-building units' funds (Jinhuayuan: 13 units, over 400,000 yuan, 90+ livelihood
// projects [003]) - and is implemented after a delay; then every open need of that type at that
// place is handed to the work-order table's `fixed` queue, to be resolved at the "council" level
// for every affected resident, and the fix lowers the future rate of that need type at that place
// by `topics.fix_rate_reduction` for `topics.fix_lifetime_days` (NeedArrival::lower_rate).
// Co-building units also fund residents' micro-wishes (280+ fulfilled in Jinhuayuan [003]): each
// wish is voiced by a resident of an occupied household, and a fulfilled one raises that
// resident's well-being (Wellbeing::wish_fulfilled).

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/types.hpp"
#include "sim/model/meetings.hpp"
#include "sim/model/needs.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/model/wellbeing.hpp"
#include "sim/model/work_orders.hpp"
#include "sim/output/recorder.hpp"
#include "sim/policy/topic_selection.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

enum class TopicState : std::uint8_t { Candidate, Adopted, Funded, Implemented };

struct Topic {
  std::uint32_t grid = 0;
  std::uint32_t place = 0;  // stairwell or building, by the need type's scope
  std::uint16_t type = 0;   // need type
  std::uint8_t severity = 0;
  TopicState state = TopicState::Candidate;
  std::uint32_t raised = 0;  // attendees who raised it since it was last deliberated
  std::int32_t day_raised = 0;
  std::int32_t day_adopted = -1;
  std::int32_t day_due = -1;
  std::int32_t day_implemented = -1;
  double cost = 0;  // yuan
};

class TopicPipeline {
 public:
  TopicPipeline(const scenario::Scenario& s, const population::Population& pop,
                output::Recorder& recorder);

  // Ordered phase, after the councils met: at each of today's meetings the attendees raise the
  // open shared needs where they live, and the meeting's agenda is set (raise, agenda).
  void at_meetings(const population::Population& pop, Meetings& meetings,
                   std::vector<WorkOrders>& needs, Day d, const output::Recorder::Row& row);
  // Ordered phase, after the councils deliberated: each meeting's decisions, in agenda order.
  void record_decisions(const Meetings& meetings, Day d, StreamKey key,
                        const output::Recorder::Row& row);

  // Attendees raise the open shared needs where they live (grids [grid_begin, grid_end)).
  // The raised needs that are still unreported join their table's `raised` queue (the council
  // reporting channel).
  void raise(const population::Population& pop, std::span<const std::uint32_t> attendees,
             std::uint32_t grid_begin, std::uint32_t grid_end, std::vector<WorkOrders>& needs,
             Day d, const output::Recorder::Row& row);
  // The topics of grids [grid_begin, grid_end) to deliberate at a meeting, in agenda order.
  std::vector<std::uint32_t> agenda(std::uint32_t grid_begin, std::uint32_t grid_end,
                                    const output::Recorder::Row& row) const;
  // Records a decision; a topic not adopted returns to the candidates with its count reset.
  void decide(std::uint32_t topic, double agreement, bool adopted, Day d, StreamKey key,
              const output::Recorder::Row& row);
  // Daily: money accrues, adopted topics are paid and scheduled, due topics are implemented
  // (their open needs handed to the table's `fixed` queues, their need's future rate at their
  // place lowered in `arrival`), micro-wishes are funded (their residents' well-being in
  // `residents`).
  void advance(const population::Population& pop, Day d, StreamKey key,
               std::vector<WorkOrders>& needs, NeedArrival& arrival, ResidentState& residents,
               const output::Recorder::Row& row);

  const Topic& topic(std::uint32_t t) const { return topics_[t]; }
  std::size_t topics() const { return topics_.size(); }
  // The residents a topic affects (those living at its place).
  population::Range affected(const population::Population& pop, std::uint32_t t) const;
  bool is_shared(std::uint16_t type) const { return scope_[type] != 0; }
  // The end-of-run summaries, reductions of the topics' records; declared once the pipeline is in
  // its final place (the world), as they read it after the last day.
  void declare_summaries(output::Recorder& recorder) const;

 private:
  void refresh(std::uint32_t g, const WorkOrders& needs);
  std::uint32_t place_of(const population::Population& pop, std::uint32_t r,
                         std::uint16_t type) const;

  scenario::TopicsSpec spec_;
  Wellbeing wellbeing_;
  std::vector<std::string> type_names_;
  std::vector<std::uint8_t> scope_;  // by need type: 0 not shared, 1 stairwell, 2 building
  policy::TopicOrder order_;
  std::vector<Topic> topics_;
  std::unordered_map<std::uint64_t, std::uint32_t> open_topic_;  // (type, place) -> topic
  std::vector<std::vector<std::uint32_t>> open_needs_;   // per grid: open shared needs (log index)
  std::vector<std::uint32_t> cursor_;                    // per grid: log entries already seen
  std::vector<std::uint32_t> waiting_money_;             // adopted topics, in order of adoption
  double community_budget_ = 0, co_building_funds_ = 0;  // yuan available
  std::vector<double> agreement_;                        // share agreeing, per decision
  output::MetricId raised_, on_agenda_, adopted_, implemented_, agreement_metric_, needs_fixed_,
      spent_, wishes_;
};

}  // namespace commsim::model
