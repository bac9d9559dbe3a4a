#include "sim/model/wellbeing_effects.hpp"

#include <algorithm>
#include <string>

namespace commsim::model {

WellbeingEffects::WellbeingEffects(const scenario::Scenario& s, const population::Population& pop,
                                   output::Recorder& recorder)
    : rules_(s.wellbeing),
      groups_(pop.groups()),
      group_names_(pop.group_names),
      grid_stats_(pop.grids(), std::vector<GroupStats>(kMeasures, GroupStats(pop.groups()))),
      community_(kMeasures, GroupStats(pop.groups())),
      grid_sums_(pop.grids(), std::vector<double>(std::size_t(pop.groups()) * (kMeasures + 2))) {
  const output::Dimension groups{"group", pop.group_names};
  const output::Dimension measures{"measure", measure_names()};
  for (int m = 0; m < kMeasures; ++m)
    measures_[m] =
        recorder.add({.name = measure_names()[static_cast<std::size_t>(m)],
                      .unit = "score",
                      .description = "Mean " + measure_names()[static_cast<std::size_t>(m)] +
                                     " of residents, by group.",
                      .dims = {groups},
                      .combine = output::Combine::Ratio,
                      .summary = output::EndRule::Final,
                      .key = true});
  se_ = recorder.add({.name = "wellbeing_se",
                      .unit = "score",
                      .description = "Standard error of each group's mean of each well-being "
                                     "measure (grids as clusters).",
                      .dims = {measures, groups},
                      .combine = output::Combine::None,
                      .summary = output::EndRule::Final});
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
                       .unit = "difference",
                       .description = "Each group's mean of each well-being measure minus the "
                                      "mean of all other residents.",
                       .dims = {measures, groups},
                       .combine = output::Combine::None,
                       .summary = output::EndRule::Final,
                       .key = true});
  gap_se_ = recorder.add({.name = "wellbeing_gap_se",
                          .unit = "score",
                          .description = "Standard error of wellbeing_gap (grids as clusters).",
                          .dims = {measures, groups},
                          .combine = output::Combine::None,
                          .summary = output::EndRule::Final});
}

std::vector<std::string> WellbeingEffects::measure_names() {
  return {"sense_of_gain", "happiness", "security", "trust", "belonging"};
}

void WellbeingEffects::declare_summaries(output::Recorder& recorder) const {
  recorder.add_summary(
      {.name = "wellbeing_gap_ci",
       .unit = "difference",
       .description = "95% confidence interval of each group's gap to the rest on the last day "
                      "(wellbeing_gap_final), Student's t over grids as clusters.",
       .dims = {{"measure", measure_names()}, {"group", group_names_}, {"bound", {"low", "high"}}},
       .combine = output::Combine::None,
       .rule = "at_end",
       .source = "wellbeing_gap",
       .headline = false},
      [this](const output::Recorder&) {
        std::vector<double> v;
        for (int m = 0; m < kMeasures; ++m)
          for (std::uint32_t g = 0; g < groups_; ++g) {
            const auto e = community_[static_cast<std::size_t>(m)].gap_vs_rest(g);
            // A difference of two scores lies in [-1, 1].
            v.push_back(std::max(e.low, -1.0));
            v.push_back(std::min(e.high, 1.0));
          }
        return output::Reduced{std::move(v)};
      });
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
  auto& stats = grid_stats_[grid.value];
  const auto people = pop.grid_residents(grid);
  rules_.recover(residents, people.begin, people.end, social.ties);
  if (!row.measuring()) return;  // the rest only measures (gap() reads it on measured days)
  // Each group's sums in resident order, then one addition to the row and to the statistics: the
  // same additions in the same order as adding each resident there (both start the day at 0), so
  // the same bits, without a metric's lookup per resident and measure.
  constexpr std::size_t kExpectation = kMeasures, kCount = kMeasures + 1, kWidth = kMeasures + 2;
  std::vector<double>& sums = grid_sums_[grid.value];
  std::fill(sums.begin(), sums.end(), 0.0);
  const float* values[kMeasures];
  for (int m = 0; m < kMeasures; ++m) values[m] = Wellbeing::measure(residents, m)->data();
  const float* expectation = residents.expectation.data();
  for (std::uint32_t r = people.begin; r < people.end; ++r) {
    if (pop.resident_vacant(r)) continue;
    double* s = sums.data() + pop.resident_group[r] * kWidth;
    for (int m = 0; m < kMeasures; ++m) s[m] += values[m][r];
    s[kExpectation] += expectation[r];
    s[kCount] += 1.0;
  }
  for (auto& st : stats) st.clear();
  // The grid is one cluster of the standard errors: its residents share its workers, queue and
  // volunteers, so their experiences are alike (with buildings as clusters the null model's
  // intervals covered 0 in only 92% of cases, docs/model.md §3.20).
  for (std::uint32_t group = 0; group < groups_; ++group) {
    const double* s = sums.data() + group * kWidth;
    if (s[kCount] == 0) continue;
    row.add_ratio(expectation_, group, s[kExpectation], s[kCount]);
    for (int m = 0; m < kMeasures; ++m) {
      row.add_ratio(measures_[m], group, s[m], s[kCount]);
      stats[static_cast<std::size_t>(m)].add_sum(static_cast<std::uint8_t>(group), s[m], s[kCount]);
    }
  }
  for (auto& st : stats) st.end_cluster();
}

void WellbeingEffects::gap(const output::Recorder::Row& row) {
  if (!row.measuring()) return;
  for (int m = 0; m < kMeasures; ++m) {
    auto& all = community_[static_cast<std::size_t>(m)];
    all.clear();
    for (const auto& grid : grid_stats_) all.merge(grid[static_cast<std::size_t>(m)]);
    for (std::uint32_t g = 0; g < groups_; ++g) {
      const std::size_t cell = static_cast<std::size_t>(m) * groups_ + g;
      const auto e = all.gap_vs_rest_point(g);
      row.add(se_, cell, all.group(g).se);
      row.add(gap_, cell, e.gap);
      row.add(gap_se_, cell, e.se);
    }
  }
}

}  // namespace commsim::model
