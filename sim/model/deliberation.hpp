#pragma once
// Deliberation on one topic: participants hold opinions in [0, 1] (support for the proposed fix)
// and update them in rounds by bounded-confidence dynamics, then a decision rule is applied.
//   deffuant          - Deffuant et al. (2000): random pairs; if |x_i - x_j| < confidence, both
//                       move `convergence` of the way to each other. A round = n/2 encounters.
//   hegselmann_krause - Hegselmann & Krause (2002): synchronously, each moves to the mean of all
//                       opinions within `confidence` of its own.
// Decision: the share agreeing (opinion > 0.5) must exceed 0.5 (majority), reach
// `qualified_share` (qualified_majority) or `consensus_share` (consensus).

#include <cstdint>
#include <span>
#include <string_view>

#include "sim/core/random.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

using OpinionModel = scenario::OpinionModel;  // bound by the scenario schema
using DecisionRule = scenario::DecisionRule;

struct DeliberationRule {
  OpinionModel model = OpinionModel::Deffuant;
  double confidence = 0.3;
  double convergence = 0.5;
  std::int64_t rounds = 10;
  DecisionRule decision = DecisionRule::Majority;
  double qualified_share = 2.0 / 3.0;
  double consensus_share = 0.9;

  static DeliberationRule from(const scenario::DeliberationSpec& s);

  // Updates opinions in place for `rounds` rounds.
  void deliberate(std::span<float> opinions, Stream& rng) const;
  bool adopts(double share_agreeing) const;
};

double share_agreeing(std::span<const float> opinions);

// Clusters of opinions: sorted opinions split where consecutive values differ by more than
// `gap`; clusters holding at least `min_share` of the opinions count as major.
std::size_t count_major_clusters(std::span<const float> opinions, double gap, double min_share);

}  // namespace commsim::model
