// The by-group estimator (sim/model/group_stats.hpp): exact means and counts, the textbook
// standard error when every cluster is one observation, merging partial moments equals
// accumulating at once, and on synthetic clustered data with known means the 95% intervals of a
// group's mean and of each group against the rest cover the truth about 95% of the time.

#include "sim/model/group_stats.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "sim/core/random.hpp"

namespace commsim::model {
namespace {

TEST(GroupStats, MeansCountsAndSingletonStandardErrors) {
  GroupStats s(2);
  const std::vector<double> a = {1, 2, 3, 4, 5}, b = {10, 12, 14};
  for (double v : a) s.add(0, v), s.end_cluster();
  for (double v : b) s.add(1, v), s.end_cluster();
  const auto g0 = s.group(0), g1 = s.group(1);
  EXPECT_EQ(g0.count, 5);
  EXPECT_DOUBLE_EQ(g0.mean, 3.0);
  EXPECT_DOUBLE_EQ(g1.mean, 12.0);
  // One observation per cluster: the sample standard deviation over root n.
  EXPECT_NEAR(g0.se, std::sqrt(2.5 / 5), 1e-12);
  EXPECT_NEAR(g1.se, std::sqrt(4.0 / 3), 1e-12);
  const auto gap = s.gap_vs_rest(0);
  EXPECT_DOUBLE_EQ(gap.gap, -9.0);
  // Welch's standard error up to the pooled small-sample factor C/(C-1) (8/7 against 5/4, 3/2).
  const double welch = std::sqrt(2.5 / 5 + 4.0 / 3);
  EXPECT_NEAR(gap.se, welch, 0.15 * welch);
  EXPECT_LT(gap.low, gap.gap);
  EXPECT_GT(gap.high, gap.gap);
  // Two groups: each against the rest is the same difference, signs swapped.
  EXPECT_DOUBLE_EQ(s.gap_vs_rest(1).gap, 9.0);
  EXPECT_DOUBLE_EQ(s.gap_vs_rest(1).se, gap.se);
}

TEST(GroupStats, MergedPartialsEqualOneAccumulator) {
  GroupStats whole(3), left(3), right(3), merged(3);
  Stream rng({3, 0}, purpose("test.group_stats"), 0, 0);
  for (int c = 0; c < 40; ++c) {
    GroupStats& part = c < 17 ? left : right;
    for (int k = 0; k < 4; ++k) {
      const auto g = static_cast<std::uint8_t>(rng.uniform() * 3);
      const double v = rng.normal(g, 1.0);
      whole.add(g, v);
      part.add(g, v);
    }
    whole.end_cluster();
    part.end_cluster();
  }
  merged.merge(left);
  merged.merge(right);
  for (std::uint32_t g = 0; g < 3; ++g) {
    EXPECT_NEAR(merged.group(g).mean, whole.group(g).mean, 1e-12);
    EXPECT_NEAR(merged.group(g).se, whole.group(g).se, 1e-12);
    EXPECT_NEAR(merged.gap_vs_rest(g).se, whole.gap_vs_rest(g).se, 1e-12);
  }
}

TEST(GroupStats, NoObservationsGiveNaNNotZero) {
  GroupStats s(3);
  s.add(0, 1.0);
  s.add(1, 2.0);
  s.end_cluster();
  EXPECT_TRUE(std::isnan(s.group(2).mean));
  EXPECT_TRUE(std::isnan(s.gap_vs_rest(2).gap));
  EXPECT_TRUE(std::isnan(s.group(0).se));  // one cluster: no standard error
  EXPECT_DOUBLE_EQ(s.group(0).mean, 1.0);
}

TEST(GroupStats, StudentQuantile) {
  EXPECT_NEAR(GroupStats::t95(1), 12.706, 1e-3);
  EXPECT_NEAR(GroupStats::t95(10), 2.228, 1e-3);
  EXPECT_NEAR(GroupStats::t95(1e9), 1.960, 1e-3);
}

// Synthetic communities like the model's: clusters (buildings) of 6 to 30 people with a shared
// cluster effect, groups of very different sizes (a 2% group among them), the small groups living
// together more often than by chance. Known means: group g has mean 0.1 g.
TEST(GroupStats, IntervalsCoverKnownMeansAboutNinetyFivePercent) {
  const std::vector<double> share = {0.55, 0.38, 0.03, 0.02, 0.02};
  const int replications = 1000;
  std::vector<int> mean_cover(share.size(), 0), gap_cover(share.size(), 0);
  // Power: replications whose gap interval excludes 0, and the gap over its standard error.
  std::vector<int> excludes_zero(share.size(), 0);
  std::vector<double> signal(share.size(), 0.0), error2(share.size(), 0.0), se2(share.size(), 0.0);
  for (int rep = 0; rep < replications; ++rep) {
    GroupStats s(static_cast<std::uint32_t>(share.size()));
    Stream rng({11, static_cast<std::uint64_t>(rep)}, purpose("test.group_stats.coverage"), 0, 0);
    double count[5] = {0, 0, 0, 0, 0};
    for (int c = 0; c < 120; ++c) {
      const double effect = rng.normal(0, 0.3);
      const int size = 6 + static_cast<int>(rng.uniform() * 25);
      // Each cluster leans towards one group (residential clustering).
      const double u0 = rng.uniform();
      std::size_t lean = 0;
      for (double acc = share[0]; lean + 1 < share.size() && u0 > acc; acc += share[++lean]) {
      }
      for (int k = 0; k < size; ++k) {
        std::size_t g = lean;
        if (rng.uniform() > 0.5) {
          double u = rng.uniform();
          g = 0;
          for (; g + 1 < share.size() && u > share[g]; ++g) u -= share[g];
        }
        s.add(static_cast<std::uint8_t>(g),
              0.1 * static_cast<double>(g) + effect + rng.normal(0, 1));
        count[g] += 1;
      }
      s.end_cluster();
    }
    // The true rest mean, given who is in the sample (the estimand is conditional on the
    // composition).
    double rest_n = 0, rest_mean = 0;
    for (std::size_t g = 0; g < share.size(); ++g) {
      rest_n = 0, rest_mean = 0;
      for (std::size_t h = 0; h < share.size(); ++h)
        if (h != g) rest_n += count[h], rest_mean += count[h] * 0.1 * static_cast<double>(h);
      rest_mean /= rest_n;
      const double truth = 0.1 * static_cast<double>(g);
      const auto e = s.group(static_cast<std::uint32_t>(g));
      const double t = GroupStats::t95(e.df);
      mean_cover[g] += std::abs(e.mean - truth) <= t * e.se;
      const auto d = s.gap_vs_rest(static_cast<std::uint32_t>(g));
      gap_cover[g] += d.low <= truth - rest_mean && truth - rest_mean <= d.high;
      excludes_zero[g] += d.low > 0 || d.high < 0;
      signal[g] += std::abs(truth - rest_mean) / d.se / replications;
      error2[g] += (d.gap - (truth - rest_mean)) * (d.gap - (truth - rest_mean)) / replications;
      se2[g] += d.se * d.se / replications;
    }
  }
  for (std::size_t g = 0; g < share.size(); ++g) {
    const double m = mean_cover[g] / double(replications), d = gap_cover[g] / double(replications);
    // Binomial noise of 1000 replications at 0.95 is 0.007; the cluster-robust estimator with
    // ~100 clusters is close to nominal, small groups a little below.
    EXPECT_GT(m, 0.92) << "group " << g;
    EXPECT_LT(m, 0.98) << "group " << g;
    EXPECT_GT(d, 0.92) << "group " << g;
    EXPECT_LT(d, 0.98) << "group " << g;
  }
  // The intervals are not trivially wide. Their standard errors match the gaps' actual spread
  // over replications (root mean square error against root mean square standard error), and the
  // largest group's true gap (0 against the rest's ~0.13, noise sd 1, ~1,200 against ~1,000
  // observations in 120 clusters, about 2.4 standard errors) is detected as often as a t test of
  // that size detects it, Phi(2.4 - 1.98) ~ 0.66 (intervals 1.5 times too wide: ~0.2).
  for (std::size_t g = 0; g < share.size(); ++g) {
    EXPECT_GT(std::sqrt(error2[g] / se2[g]), 0.9) << "group " << g;
    // Small groups (2-3%, few effective clusters) a little above 1: their t quantile (Kish
    // degrees of freedom) makes up for it, as their coverage above shows.
    EXPECT_LT(std::sqrt(error2[g] / se2[g]), g < 2 ? 1.05 : 1.15) << "group " << g;
  }
  const double expected_power = 0.5 * std::erfc(-(signal[0] - 1.98) / std::sqrt(2.0));
  EXPECT_GT(signal[0], 2.0);
  EXPECT_NEAR(excludes_zero[0] / double(replications), expected_power, 0.06);
  EXPECT_GT(excludes_zero[0] / double(replications), 0.55);
  // Every true gap is detected far more often than the 5% of a null.
  for (std::size_t g = 0; g < share.size(); ++g)
    EXPECT_GT(excludes_zero[g] / double(replications), 0.12) << "group " << g;
  std::printf("rmse/se %.3f %.3f %.3f %.3f %.3f\n", std::sqrt(error2[0] / se2[0]),
              std::sqrt(error2[1] / se2[1]), std::sqrt(error2[2] / se2[2]),
              std::sqrt(error2[3] / se2[3]), std::sqrt(error2[4] / se2[4]));
  std::printf("power: signal %.2f %.2f %.2f %.2f %.2f; excludes 0: %d %d %d %d %d of %d\n",
              signal[0], signal[1], signal[2], signal[3], signal[4], excludes_zero[0],
              excludes_zero[1], excludes_zero[2], excludes_zero[3], excludes_zero[4], replications);
}

}  // namespace
}  // namespace commsim::model
