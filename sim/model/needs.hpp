#pragma once
// Needs arise: each day, for every resident, household, stairwell and building, a need of each
// type arises with the type's daily probability (rates by age, income and building age).

#include <cstdint>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/types.hpp"
#include "sim/model/work_orders.hpp"
#include "sim/output/recorder.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

class NeedArrival {
 public:
  NeedArrival(const scenario::NeedsSpec& spec, const population::Population& pop,
              output::Recorder& recorder);

  // Recomputes every unit's daily probabilities from its traits; call after traits change
  // (for example when households move).
  void prepare(const population::Population& pop);

  // Appends the needs that arise in grid g on day d to `needs`; records them in `row`.
  void arise(const population::Population& pop, GridId g, Day d, StreamKey key, WorkOrders& needs,
             const output::Recorder::Row& row) const;

  // The daily probability of a need of type t for a unit with these traits.
  double daily_probability(std::size_t t, bool elderly, bool child, bool low_income,
                           double building_age) const;

  std::vector<std::string> type_names() const;
  output::MetricId arisen_metric() const { return arisen_; }

 private:
  void draw(scenario::NeedScope scope, std::uint32_t unit, population::Range members, Day d,
            StreamKey key, WorkOrders& needs, const population::Population& pop,
            const output::Recorder::Row& row) const;

  std::vector<scenario::NeedType> types_;
  std::vector<std::uint16_t> types_by_scope_[4];
  // Per scope, per unit, the cumulative daily probabilities over types_by_scope_ (row-major).
  std::vector<double> cumulative_[4];
  output::MetricId arisen_;
};

}  // namespace commsim::model
