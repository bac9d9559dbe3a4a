#include "sim/model/wellbeing_effects.hpp"

#include <algorithm>
#include <string>

namespace commsim::model {

WellbeingEffects::WellbeingEffects(const scenario::Scenario& s, const population::Population& pop,
                                   output::Recorder& recorder)
    : rules_(s.wellbeing),
      groups_(pop.groups()),
      group_sums_(pop.grids(), std::vector<double>(std::size_t(pop.groups()) * kMeasures, 0.0)),
      group_count_(pop.grids(), std::vector<double>(pop.groups(), 0.0)) {
  const output::Dimension groups{"group", pop.group_names};
  const std::vector<std::string> measure_names = {"sense_of_gain", "happiness", "security", "trust",
                                                  "belonging"};
  for (int m = 0; m < kMeasures; ++m)
    measures_[m] =
        recorder.add({.name = measure_names[static_cast<std::size_t>(m)],
                      .unit = "score",
                      .description = "Mean " + measure_names[static_cast<std::size_t>(m)] +
                                     " of residents, by group.",
                      .dims = {groups},
                      .combine = output::Combine::Ratio,
                      .summary = output::EndRule::Final,
                      .key = true});
  expectation_ = recorder.add(
      {.name = "service_expectation",
       .unit = "score",
       .description = "Mean expected performance of the community's service (1: every "
                      "commitment kept) of residents, by group; each experience moves it "
                      "towards what was seen (wellbeing.adaptation).",
       .dims = {groups},
       .combine = output::Combine::Ratio,
       .summary = output::EndRule::Final});
  gap_ = recorder.add({.name = "wellbeing_gap",
                       .unit = "score",
                       .description = "Highest minus lowest group mean of each well-being measure.",
                       .dims = {{"measure", measure_names}},
                       .combine = output::Combine::None,
                       .summary = output::EndRule::Final,
                       .key = true});
}

void WellbeingEffects::incidents(const population::Population& pop, GridId grid, Day d,
                                 const WorkOrderTable& orders, ResidentState& residents) const {
  const WorkOrders& needs = orders.grids[grid.value];
  // Every day past its commitment an open order wears its residents' gain and trust down.
  if (rules_.unresolved_matters())
    for (auto i : needs.overdue)
      orders.for_affected(pop, needs.log[i],
                          [&](std::uint32_t r) { rules_.unresolved_day(residents, r); });
  // Today's safety hazards frighten everyone who lives with them (a building's hazard, the whole
  // building), as fixing one reassures them all (WorkOrderTable::close).
  const std::uint16_t safety = orders.types().safety_type;
  for (std::size_t i = needs.log.size(); i-- > 0 && needs.log[i].day_arisen == d.value;)
    if (needs.log[i].type == safety)
      orders.for_affected(pop, needs.log[i],
                          [&](std::uint32_t r) { rules_.safety_incident(residents, r); });
}

void WellbeingEffects::recover(const population::Population& pop, GridId grid,
                               ResidentState& residents, const SocialState& social,
                               const output::Recorder::Row& row) {
  auto& sums = group_sums_[grid.value];
  auto& count = group_count_[grid.value];
  const auto people = pop.grid_residents(grid);
  rules_.recover(residents, people.begin, people.end, social.ties);
  for (std::uint32_t r = people.begin; r < people.end; ++r)
    if (!pop.resident_vacant(r))
      row.add_ratio(expectation_, pop.resident_group[r], residents.expectation[r]);
  std::fill(sums.begin(), sums.end(), 0.0);
  std::fill(count.begin(), count.end(), 0.0);
  for (int m = 0; m < kMeasures; ++m) {
    const auto& v = *Wellbeing::measure(residents, m);
    for (std::uint32_t r = people.begin; r < people.end; ++r) {
      if (pop.resident_vacant(r)) continue;
      const std::uint8_t group = pop.resident_group[r];
      row.add_ratio(measures_[m], group, v[r]);
      sums[group * kMeasures + static_cast<std::size_t>(m)] += v[r];
      if (m == 0) count[group] += 1;
    }
  }
}

void WellbeingEffects::gap(const output::Recorder::Row& row) const {
  std::vector<double> sums(std::size_t(groups_) * kMeasures, 0.0), count(groups_, 0.0);
  for (std::size_t g = 0; g < group_sums_.size(); ++g) {
    for (std::size_t k = 0; k < sums.size(); ++k) sums[k] += group_sums_[g][k];
    for (std::size_t k = 0; k < count.size(); ++k) count[k] += group_count_[g][k];
  }
  for (int m = 0; m < kMeasures; ++m) {
    double lo = 1e300, hi = -1e300;
    for (std::size_t k = 0; k < count.size(); ++k) {
      if (count[k] <= 0) continue;
      const double mean = sums[k * kMeasures + static_cast<std::size_t>(m)] / count[k];
      lo = std::min(lo, mean);
      hi = std::max(hi, mean);
    }
    row.add(gap_, static_cast<std::size_t>(m), hi >= lo ? hi - lo : 0.0);
  }
}

}  // namespace commsim::model
