#pragma once
// Stairwell stewards (organisation.levels 4, the party organisation's fourth level: 楼栋长): a
// share of stairwells has a steward, drawn once at the start (stream keyed by stairwell). A
// steward reports the stairwell's hidden needs (the steward channel, reporting.hpp) and settles a
// minor quarrel between neighbours there and then (organisation.steward_mediation; the draw is the
// need's own, stream "casework.need" with index 1).

#include <cstdint>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/model/work_orders.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

class Stewards {
 public:
  Stewards(const scenario::Scenario& s, const population::Population& pop, StreamKey key);

  bool stewarded(std::uint32_t stairwell) const { return stewarded_[stairwell] != 0; }
  // Whether the steward who reported need `ref` settles it on the spot.
  bool mediates(NeedRef ref, const Need& need, Channel channel, const OrderTypes& types) const;

 private:
  StreamKey key_;
  double mediation_;
  std::vector<std::uint8_t> stewarded_;  // by stairwell
};

}  // namespace commsim::model
