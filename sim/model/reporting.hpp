#pragma once
// Reporting channels: how a hidden need (NeedState::Unreported) becomes a work order. Each day a
// hidden need is reported through at most one channel; its daily propensity per channel depends
// on the resident (trust, common-language proficiency, elderly, digital access) and, for a visit,
// on whether the visitor speaks a low-proficiency resident's language:
//   patrol  - a grid worker's household visit finds it (visits/day = patrol hours x 60 / minutes
//             per visit, spread over the grid's occupied households); a shared (stairwell,
//             building) need is also found by the patrol volunteers' rounds of the buildings
//             (building rounds/day = volunteer patrol hours x 60 / minutes per visit, spread
//             over the grid's buildings)
//   steward - the stairwell steward reports it (organisation.levels 4, stewarded stairwells)
//   hotline - the resident calls 12345
//   app     - the resident reports it in the app (digital access only)
//   home_visit - a volunteer's scheduled home visit to a household with an elderly member or low
//             income finds the household's (and its residents') hidden needs
//   council - raised at a consultation council (Model II's hook, reported in the ordered phase)
// A need no channel picks stays hidden, and each day hidden costs its resident happiness and gain.
// A steward-reported minor dispute may be settled there and then (stewards.hpp).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/types.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/model/wellbeing.hpp"
#include "sim/output/recorder.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

enum Channel : std::uint8_t { kPatrol, kSteward, kHotline, kApp, kHomeVisit, kCouncil, kChannels };
std::vector<std::string> channel_names();
// Whether volunteers' scheduled home visits go to household h: it has an elderly member or low
// income ([002] special groups, [003] 一老一小; the disabled are not modelled).
bool home_visit_target(const population::Population& pop, std::uint32_t household);

// Daily probabilities of a hidden need of `resident` being reported through patrol, steward,
// hotline, app and home visit (indexed by Channel; council reports come from meetings), given the
// grid's visit probability per household today, whether the need's stairwell has a steward, the
// chance that the visitor speaks the resident's language (a visit to a low-proficiency resident by
// one who does not finds the need less often: reporting.low_proficiency_visit), the probability
// that a volunteer patrol rounds the need's building today (shared needs; 0 for others: a patrol
// sees a broken light whatever the language), and the probability of a volunteer's home visit to
// the need's household today (0 unless it is a target household) with the chance that the visitor
// speaks the resident's language.
std::array<double, 5> report_propensities(const scenario::ReportingSpec& spec,
                                          const population::Population& pop,
                                          const ResidentState& residents, std::uint32_t resident,
                                          std::uint8_t severity, double visit_probability,
                                          bool stewarded, double visitor_speaks = 1.0,
                                          double building_patrol = 0.0, double home_visit = 0.0,
                                          double home_visitor_speaks = 1.0);

class WorkOrderTable;
class Stewards;
struct Staff;

class Reporting {
 public:
  Reporting(const scenario::Scenario& s, const population::Population& pop, const Staff& staff);

  // Grid phase: each hidden need of grid g is reported through at most one channel (visits spread
  // over the grid's occupied households, using the table's patrol hours of today); a reported
  // need opens a work order and waits in the queue, unless its steward settles it.
  void grid_day(const population::Population& pop, GridId g, Day d, StreamKey key,
                WorkOrderTable& orders, const Stewards& stewards, ResidentState& residents,
                const output::Recorder::Row& row) const;
  // Ordered phase: needs raised at today's councils (the table's `raised` queues) are reported
  // through the council channel, served from the next working day.
  void council_day(Day d, WorkOrderTable& orders, const output::Recorder::Row& row) const;

 private:
  scenario::ReportingSpec spec_;
  std::uint32_t groups_;
  // By grid x group: the share of the grid's workers who speak the group's language (1 for a
  // grid without workers, which has no household visits to weigh).
  std::vector<double> speaks_;
  Wellbeing effects_;
  double hours_;
};

}  // namespace commsim::model
