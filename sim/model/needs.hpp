#pragma once
// Needs arise: each day, for every resident, household, stairwell and building, a need of each
// type arises with the type's daily probability (rates by age, income and building age). An
// implemented council fix (topics.cpp) lowers the probability of its shared need type at its
// stairwell or building for the fix's lifetime (`lower_rate`): the day's uniform is drawn as
// always and compared with the lowered probability, so a fix changes no other draw (common random
// numbers between arms with and without councils).

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

  // Appends the needs that arise in grid g on day d to `needs`; records them in `row`.
  void arise(const population::Population& pop, GridId g, Day d, StreamKey key, WorkOrders& needs,
             const output::Recorder::Row& row) const;

  // The daily probability of a need of type t for a unit with these traits.
  double daily_probability(std::size_t t, bool elderly, bool child, bool low_income,
                           double building_age) const;

  // A fix at `place` (a stairwell or a building, by type t's scope, which must be shared)
  // multiplies type t's daily probability there by `keep` on days before `until`; a later fix at
  // the same place replaces it.
  void lower_rate(std::uint16_t t, std::uint32_t place, Day until, double keep);
  // The factor on type t's daily probability at `place` on day d (1 without a fix in force).
  double rate_factor(std::uint16_t t, std::uint32_t place, Day d) const;

  std::vector<std::string> type_names() const;
  output::MetricId arisen_metric() const { return arisen_; }

 private:
  // Computes the daily probabilities of every row of cumulative_ (at construction).
  void prepare(const population::Population& pop);
  // The row of cumulative_ of a household (its has_elderly, has_child and low_income) or a
  // resident (elderly, child, its household's low_income) in building b.
  std::size_t household_row(const population::Population& pop, std::uint32_t b,
                            std::uint32_t h) const;
  std::size_t resident_row(const population::Population& pop, std::uint32_t b, std::uint32_t h,
                           std::uint32_t r) const;
  // `row` is the unit's row of cumulative_ for its scope.
  void draw(scenario::NeedScope scope, std::uint32_t unit, std::size_t row,
            population::Range members, Day d, StreamKey key, WorkOrders& needs,
            const population::Population& pop, const output::Recorder::Row& record) const;

  // The expected number of needs arising at a shared unit on day d: the sum over the scope's
  // types of each one's daily probability times its fix's factor.
  double expected(scenario::NeedScope scope, std::uint32_t unit, Day d) const;

  std::vector<scenario::NeedType> types_;
  std::vector<std::uint16_t> types_by_scope_[4];
  // Per scope, the cumulative daily probabilities over types_by_scope_ (row-major), one row per
  // unit for the shared scopes (stairwell, building); for households and residents one row per
  // building and combination of the traits the rates depend on (kTraits: elderly, child, low
  // income), which is all a rate reads: a resident's own row would cost 8 bytes per type for
  // every resident, and a household whose income changes (a household of a group with another
  // low_income_share moved in) reads its new row the next day without a recomputation.
  static constexpr std::size_t kTraits = 8;
  std::vector<double> cumulative_[4];
  // Council fixes in force, for the shared scopes: per unit and type of the scope (as
  // cumulative_), the first day the fix no longer holds and the factor it keeps of the rate.
  struct Fix {
    std::int32_t until = 0;
    double keep = 1.0;
  };
  std::vector<Fix> fixes_[4];
  std::vector<std::uint16_t> slot_;  // by type: its index among its scope's types
  output::MetricId arisen_, shared_arisen_, expected_, prevented_;
};

}  // namespace commsim::model
