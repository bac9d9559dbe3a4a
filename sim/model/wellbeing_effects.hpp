#pragma once
// Well-being effects of the day (the rules are in wellbeing.hpp): orders open past their
// commitment (the table's `overdue` queue) wear their residents' gain and trust down; today's
// safety hazards frighten everyone who lives with them; then every measure returns towards the
// resident's own baseline and the day's means by group are recorded; in the ordered phase, the
// gap between the highest and the lowest group mean. A need's resolution, escalation and hidden
// days act at the moment they happen, through the table's transitions and the reporting step.

#include <cstdint>
#include <vector>

#include "sim/core/types.hpp"
#include "sim/model/activities.hpp"
#include "sim/model/resident_state.hpp"
#include "sim/model/wellbeing.hpp"
#include "sim/model/work_orders.hpp"
#include "sim/output/recorder.hpp"
#include "sim/population/population.hpp"

namespace commsim::model {

class WellbeingEffects {
 public:
  WellbeingEffects(const scenario::Scenario& s, const population::Population& pop,
                   output::Recorder& recorder);

  // Grid phase: overdue orders and today's safety hazards.
  void incidents(const population::Population& pop, GridId g, Day d, const WorkOrderTable& orders,
                 ResidentState& residents) const;
  // Grid phase, the day's end: adaptation, then the day's means by group.
  void recover(const population::Population& pop, GridId g, ResidentState& residents,
               const SocialState& social, const output::Recorder::Row& row);
  // Ordered phase: the gap between group means of each measure.
  void gap(const output::Recorder::Row& row) const;

 private:
  Wellbeing rules_;
  std::uint32_t groups_;
  // By grid: group x measure sums and residents per group, today.
  std::vector<std::vector<double>> group_sums_, group_count_;
  output::MetricId measures_[kMeasures], expectation_, gap_;
};

}  // namespace commsim::model
