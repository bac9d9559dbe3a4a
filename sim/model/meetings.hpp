#pragma once
// Today's council meetings: the record councils and the topic pipeline hand each other, so
// neither calls the other. Councils write who attended each meeting; topics write what the
// attendees raised onto each meeting's agenda (with what deliberation needs to know of each
// topic); councils write each agenda item's decision; topics record the decisions.

#include <cstdint>
#include <vector>

#include "sim/population/population.hpp"

namespace commsim::model {

struct AgendaItem {
  std::uint32_t topic = 0;
  std::uint8_t severity = 0;
  population::Range affected;  // the residents living at the topic's place
  double agreement = 0;        // share of participants agreeing (councils)
  bool adopted = false;        // the decision rule's verdict (councils)
};

struct Meeting {
  std::uint32_t grid_begin = 0, grid_end = 0;  // the grids the council covers
  std::vector<std::uint32_t> present;          // attendees, in seating order
  std::vector<AgendaItem> agenda;              // in agenda order
};

struct Meetings {
  std::vector<Meeting> today;  // in council order; only meetings someone attended
};

}  // namespace commsim::model
