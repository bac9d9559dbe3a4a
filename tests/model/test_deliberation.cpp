// Deliberation: bounded-confidence dynamics reproduce the known cluster counts (Deffuant et al.
// 2000: about floor(1 / (2 epsilon)) major clusters from uniform initial opinions), and decision
// rules apply their thresholds.

#include <gtest/gtest.h>

#include <vector>

#include "sim/model/deliberation.hpp"

namespace commsim::model {
namespace {

std::vector<float> uniform_opinions(std::size_t n, std::uint64_t seed) {
  Stream rng({seed, 0}, purpose("test.opinions"), 0, 0);
  std::vector<float> x(n);
  for (auto& v : x) v = static_cast<float>(rng.uniform());
  return x;
}

std::size_t clusters_after(OpinionModel model, double epsilon, std::uint64_t seed) {
  DeliberationRule rule;
  rule.model = model;
  rule.confidence = epsilon;
  rule.convergence = 0.5;
  rule.rounds = model == OpinionModel::Deffuant ? 600 : 60;
  auto x = uniform_opinions(1000, seed);
  Stream rng({seed, 0}, purpose("test.deliberate"), 0, 0);
  rule.deliberate(x, rng);
  // Major clusters hold at least 5% of the participants; minor ones (Deffuant's extremists) are
  // ignored, as in the paper.
  return count_major_clusters(x, 0.05, 0.05);
}

TEST(Deliberation, DeffuantClusterCountFollowsOneOverTwoEpsilon) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    EXPECT_EQ(clusters_after(OpinionModel::Deffuant, 0.15, seed), 3u) << "seed " << seed;
    EXPECT_EQ(clusters_after(OpinionModel::Deffuant, 0.25, seed), 2u) << "seed " << seed;
    EXPECT_EQ(clusters_after(OpinionModel::Deffuant, 0.35, seed), 1u) << "seed " << seed;
  }
}

TEST(Deliberation, HegselmannKrauseConsensusForWideAndFragmentationForNarrowConfidence) {
  EXPECT_EQ(clusters_after(OpinionModel::HegselmannKrause, 0.3, 4), 1u);
  EXPECT_GE(clusters_after(OpinionModel::HegselmannKrause, 0.05, 4), 4u);
}

TEST(Deliberation, OpinionsStayInRangeAndMeanIsConservedByDeffuant) {
  DeliberationRule rule;
  rule.confidence = 0.4;
  rule.rounds = 50;
  auto x = uniform_opinions(200, 9);
  double before = 0, after = 0;
  for (float v : x) before += v;
  Stream rng({9, 0}, purpose("test.deliberate"), 0, 0);
  rule.deliberate(x, rng);
  for (float v : x) {
    after += v;
    EXPECT_GE(v, 0.0f);
    EXPECT_LE(v, 1.0f);
  }
  // Deffuant's pairwise moves are symmetric: the mean opinion is invariant.
  EXPECT_NEAR(before, after, 1e-3);
}

TEST(Deliberation, ZeroConfidenceChangesNothing) {
  DeliberationRule rule;
  rule.confidence = 0.0;
  auto x = uniform_opinions(50, 5);
  const auto y = x;
  Stream rng({5, 0}, purpose("test.deliberate"), 0, 0);
  rule.deliberate(x, rng);
  EXPECT_EQ(x, y);
}

TEST(Deliberation, DecisionRulesApplyTheirThresholds) {
  DeliberationRule r;
  r.decision = DecisionRule::Majority;
  EXPECT_TRUE(r.adopts(0.51));
  EXPECT_FALSE(r.adopts(0.5));
  r.decision = DecisionRule::QualifiedMajority;
  r.qualified_share = 2.0 / 3.0;
  EXPECT_FALSE(r.adopts(0.6));
  EXPECT_TRUE(r.adopts(0.7));
  r.decision = DecisionRule::Consensus;
  r.consensus_share = 0.9;
  EXPECT_FALSE(r.adopts(0.85));
  EXPECT_TRUE(r.adopts(0.95));
  const std::vector<float> ops = {0.1f, 0.6f, 0.7f, 0.4f};
  EXPECT_DOUBLE_EQ(share_agreeing(ops), 0.5);
}

TEST(Deliberation, ClusterCountingSplitsAtGaps) {
  const std::vector<float> x = {0.1f, 0.11f, 0.12f, 0.5f, 0.51f, 0.9f};
  EXPECT_EQ(count_major_clusters(x, 0.05, 0.0), 3u);
  EXPECT_EQ(count_major_clusters(x, 0.05, 0.3), 2u);  // the singleton at 0.9 is minor
}

}  // namespace
}  // namespace commsim::model
