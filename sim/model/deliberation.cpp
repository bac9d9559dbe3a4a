#include "sim/model/deliberation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace commsim::model {

DeliberationRule DeliberationRule::from(const scenario::DeliberationSpec& s) {
  DeliberationRule r;
  r.model = s.model;
  r.decision = s.decision_rule;
  r.confidence = s.confidence;
  r.convergence = s.convergence;
  r.rounds = s.rounds;
  r.qualified_share = s.qualified_share;
  r.consensus_share = s.consensus_share;
  return r;
}

void DeliberationRule::deliberate(std::span<float> x, Stream& rng) const {
  const std::size_t n = x.size();
  if (n < 2) return;
  if (model == OpinionModel::Deffuant) {
    const auto mu = static_cast<float>(convergence);
    const auto eps = static_cast<float>(confidence);
    const std::uint64_t encounters = static_cast<std::uint64_t>(rounds) * (n / 2);
    for (std::uint64_t k = 0; k < encounters; ++k) {
      const std::size_t i = rng.below(n);
      std::size_t j = rng.below(n - 1);
      if (j >= i) ++j;
      const float d = x[j] - x[i];
      if (std::abs(d) < eps) {
        x[i] += mu * d;
        x[j] -= mu * d;
      }
    }
    return;
  }
  // Hegselmann-Krause on sorted opinions: each one's confidence set is a contiguous window.
  std::vector<std::size_t> order(n);
  std::vector<float> next(n);
  std::vector<double> prefix(n + 1);
  for (std::int64_t round = 0; round < rounds; ++round) {
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return x[a] < x[b]; });
    for (std::size_t k = 0; k < n; ++k) prefix[k + 1] = prefix[k] + x[order[k]];
    std::size_t lo = 0, hi = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const double v = x[order[k]];
      while (x[order[lo]] < v - confidence) ++lo;
      while (hi < n && x[order[hi]] <= v + confidence) ++hi;
      next[order[k]] = static_cast<float>((prefix[hi] - prefix[lo]) / static_cast<double>(hi - lo));
    }
    std::copy(next.begin(), next.end(), x.begin());
  }
}

bool DeliberationRule::adopts(double share) const {
  switch (decision) {
    case DecisionRule::Majority:
      return share > 0.5;
    case DecisionRule::QualifiedMajority:
      return share >= qualified_share;
    case DecisionRule::Consensus:
      return share >= consensus_share;
  }
  return false;
}

double share_agreeing(std::span<const float> x) {
  if (x.empty()) return 0.0;
  const auto yes = std::count_if(x.begin(), x.end(), [](float v) { return v > 0.5f; });
  return static_cast<double>(yes) / static_cast<double>(x.size());
}

std::size_t count_major_clusters(std::span<const float> opinions, double gap, double min_share) {
  std::vector<float> x(opinions.begin(), opinions.end());
  std::sort(x.begin(), x.end());
  std::size_t clusters = 0, size = 0;
  const double min_size = min_share * static_cast<double>(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    ++size;
    if (i + 1 == x.size() || x[i + 1] - x[i] > gap) {
      if (static_cast<double>(size) >= min_size) ++clusters;
      size = 0;
    }
  }
  return clusters;
}

}  // namespace commsim::model
