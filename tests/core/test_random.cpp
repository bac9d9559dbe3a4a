// Counter-based random streams: addressed draws, independence of purposes, and distributions
// checked against theory within a few standard errors.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/core/random.hpp"

namespace commsim {
namespace {

constexpr Purpose kA = purpose("test.a");
constexpr Purpose kB = purpose("test.b");

TEST(Random, SameAddressGivesSameNumbers) {
  Stream x({7, 3}, kA, 42, 10), y({7, 3}, kA, 42, 10);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(x.next_u64(), y.next_u64());
}

TEST(Random, EveryPartOfTheAddressMatters) {
  const auto first = [](StreamKey k, Purpose p, std::uint64_t e, std::int64_t d) {
    return Stream(k, p, e, d).next_u64();
  };
  const auto base = first({7, 3}, kA, 42, 10);
  EXPECT_NE(base, first({8, 3}, kA, 42, 10));
  EXPECT_NE(base, first({7, 4}, kA, 42, 10));
  EXPECT_NE(base, first({7, 3}, kB, 42, 10));
  EXPECT_NE(base, first({7, 3}, kA, 43, 10));
  EXPECT_NE(base, first({7, 3}, kA, 42, 11));
}

TEST(Random, DrawingFromOnePurposeLeavesAnotherUnchanged) {
  // A new mechanism's draws (purpose B) must not shift an existing mechanism's (purpose A).
  Stream a1({1, 0}, kA, 5, 0);
  std::vector<std::uint64_t> alone;
  for (int i = 0; i < 10; ++i) alone.push_back(a1.next_u64());
  Stream b({1, 0}, kB, 5, 0);
  for (int i = 0; i < 1000; ++i) b.next_u64();
  Stream a2({1, 0}, kA, 5, 0);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a2.next_u64(), alone[i]);
}

TEST(Random, DerivedSeedsAreNotAdditive) {
  EXPECT_NE(derive_seed(1, 0), derive_seed(0, 1));
  EXPECT_NE(derive_seed(1, 1), derive_seed(2, 0));
  EXPECT_EQ(derive_seed(5, 9, 2), derive_seed(derive_seed(5, 9), 2));
}

TEST(Random, PurposeTagsAreDistinct) {
  EXPECT_NE(purpose("needs.resident").value, purpose("needs.household").value);
}

struct Moments {
  double mean = 0, var = 0;
};
template <class Draw>
Moments moments(int n, Draw draw) {
  Stream rng({99, 0}, kA, 0, 0);
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw(rng);
    s += x;
    s2 += x * x;
  }
  const double m = s / n;
  return {m, s2 / n - m * m};
}

// |sample mean - mean| within 4 standard errors.
void expect_mean(const Moments& m, double mean, double var, int n) {
  EXPECT_NEAR(m.mean, mean, 4.0 * std::sqrt(var / n));
  EXPECT_NEAR(m.var, var, 0.05 * var);
}

TEST(Random, UniformHasTheRightMoments) {
  expect_mean(moments(200000, [](Stream& r) { return r.uniform(); }), 0.5, 1.0 / 12, 200000);
}

TEST(Random, ExponentialHasTheRightMoments) {
  expect_mean(moments(200000, [](Stream& r) { return r.exponential(2.0); }), 0.5, 0.25, 200000);
}

TEST(Random, NormalHasTheRightMoments) {
  expect_mean(moments(200000, [](Stream& r) { return r.normal(3.0, 2.0); }), 3.0, 4.0, 200000);
}

TEST(Random, PoissonSmallAndLargeMeans) {
  for (double lambda : {0.3, 4.0, 29.0, 31.0, 250.0}) {
    SCOPED_TRACE(lambda);
    expect_mean(moments(100000, [&](Stream& r) { return static_cast<double>(r.poisson(lambda)); }),
                lambda, lambda, 100000);
  }
}

TEST(Random, BelowIsUniformOverItsRange) {
  Stream rng({3, 0}, kA, 0, 0);
  std::vector<int> counts(7, 0);
  const int n = 70000;
  for (int i = 0; i < n; ++i) ++counts[rng.below(7)];
  for (int c : counts) EXPECT_NEAR(c, n / 7.0, 4.0 * std::sqrt(n / 7.0));
}

TEST(Random, CategoricalFollowsWeights) {
  Stream rng({3, 0}, kA, 1, 0);
  const std::vector<double> w = {1.0, 0.0, 3.0};
  std::vector<int> counts(3, 0);
  const int n = 40000;
  for (int i = 0; i < n; ++i) ++counts[rng.categorical(w)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[2] / double(n), 0.75, 4.0 * std::sqrt(0.75 * 0.25 / n));
}

}  // namespace
}  // namespace commsim
