#pragma once
// Consultation councils (议事会): on the days their calendar policy names (sim/policy/calendar.hpp;
// Xiamen's Wednesday council [001], Guangxi's days with a 4 [004], Ningxia's consultation month
// [002]), each council - one for the community, or one per grid - fills its seats by the seat
// policy (sim/policy/seat_selection.hpp), seated members come with probability
// `councils.seat_attendance`, attendees raise the shared problems where they live (topics.cpp),
// the agenda's topics are deliberated (deliberation.cpp) and decided. Councils and topics hand
// each other the day's meetings through `Meetings` (meetings.hpp): neither calls the other. Taking
// part raises trust (`councils.trust_gain`) and belonging (Wellbeing::participated) and makes ties
// between participants (a contact of high quality: equal status, a common goal, cooperation and
// the organisation's support).
//
// Reporting hook: the unreported needs attendees raised today join the work-order table's `raised`
// queues, which reporting reports through its `council` channel.

#include <cstdint>
#include <vector>

#include "sim/model/activities.hpp"
#include "sim/model/deliberation.hpp"
#include "sim/model/meetings.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/model/wellbeing.hpp"
#include "sim/policy/calendar.hpp"
#include "sim/policy/seat_selection.hpp"

namespace commsim::model {

class Councils {
 public:
  Councils(const scenario::Scenario& s, const population::Population& pop,
           output::Recorder& recorder);

  // Ordered phase: today's meetings, in council order: seats, attendance, trust and belonging,
  // ties between participants; who attended each meeting goes to `meetings` (for topics).
  void meet(const population::Population& pop, Day d, StreamKey key, SocialState& social,
            ResidentState& residents, Meetings& meetings, const output::Recorder::Row& row);
  // Ordered phase, after topics set each meeting's agenda: every agenda item is deliberated and
  // decided; its agreement and verdict go back to `meetings` (for topics).
  void deliberate(Day d, StreamKey key, Meetings& meetings) const;

  // Today's attendees of every meeting (after meet), for tests.
  const std::vector<std::uint32_t>& attendees() const { return attendees_; }
  std::uint32_t councils() const { return static_cast<std::uint32_t>(grid_first_.size() - 1); }
  bool meets(Day d) const { return calendar_(when_, policy::date_of(d, start_weekday_)); }

 private:
  scenario::CouncilsSpec spec_;
  scenario::DeliberationSpec deliberation_spec_;
  scenario::ContactSpec contact_;
  DeliberationRule deliberation_;
  Wellbeing wellbeing_;
  policy::CalendarRule calendar_;
  policy::CalendarParams when_;
  policy::SeatRule seat_rule_;
  bool open_attendance_;  // the seat rule is `open`: its draw is the attendance itself
  std::int64_t start_weekday_;
  std::vector<std::uint32_t> grid_first_;  // council c covers grids [grid_first_[c], [c + 1])
  std::vector<std::uint32_t> attendees_;
  output::MetricId meetings_, attendance_;
};

}  // namespace commsim::model
