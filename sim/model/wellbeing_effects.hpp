#pragma once
// Well-being effects of the day (the rules are in wellbeing.hpp): orders open past their
// commitment (the table's `overdue` queue) wear their residents' gain and trust down; today's
// safety hazards frighten everyone who lives with them; then every measure returns towards the
// resident's own baseline and the day's means by group are recorded; in the ordered phase, each
// group's standard error and each group against the rest (group_stats.hpp: the gap, its standard
// error and 95% interval, grids as clusters). A need's resolution, escalation and hidden days
// act at the moment they happen, through the table's transitions and the reporting step.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/types.hpp"
#include "sim/model/activities.hpp"
#include "sim/model/group_stats.hpp"
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
  // Ordered phase: the grids' partial moments merged in grid order; each group's standard error
  // and each group against the rest, of each measure.
  void gap(const output::Recorder::Row& row);
  // The end-of-run interval of each gap (wellbeing_gap_ci); call once the world is built, where
  // this object stays.
  void declare_summaries(output::Recorder& recorder) const;
  static std::vector<std::string> measure_names();
  // The day's merged statistics of measure m (after gap()).
  const GroupStats& stats(int m) const { return community_[static_cast<std::size_t>(m)]; }

 private:
  Wellbeing rules_;
  std::uint32_t groups_;
  std::vector<std::string> group_names_;
  // By grid, by measure: today's moments, grids as clusters; then merged over grids.
  std::vector<std::vector<GroupStats>> grid_stats_;
  std::vector<GroupStats> community_;
  // By grid: the day's sums by group (measures, expectation, residents), recover()'s scratch.
  std::vector<std::vector<double>> grid_sums_;
  output::MetricId measures_[kMeasures], expectation_, se_, gap_, gap_se_;
};

}  // namespace commsim::model
