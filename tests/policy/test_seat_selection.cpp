// Seat selection: proportional seats match the composition exactly (largest remainder), random
// seats match it only on average, stewards_first takes the most trusted, open has no seat limit.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "sim/policy/seat_selection.hpp"

namespace commsim::policy {
namespace {

struct Pool {
  std::vector<std::uint32_t> eligible;
  std::vector<std::uint8_t> group;
  std::vector<float> trust, interest;
  Pool() {
    // 600 residents: 60% group 0, 30% group 1, 10% group 2.
    for (std::uint32_t r = 0; r < 600; ++r) {
      eligible.push_back(r);
      group.push_back(r % 10 < 6 ? 0 : r % 10 < 9 ? 1 : 2);
      trust.push_back(static_cast<float>(r) / 600.0f);
      interest.push_back(1.0f);
    }
  }
  SeatCandidates candidates(std::int64_t seats, double open = 0) const {
    return {eligible, group, 3, trust, interest, seats, open};
  }
};

std::vector<int> composition(const std::vector<std::uint32_t>& seated, const Pool& p) {
  std::vector<int> n(3, 0);
  for (auto r : seated) ++n[p.group[r]];
  return n;
}

TEST(SeatSelection, ProportionalMatchesTheCompositionEveryTime) {
  const Pool p;
  for (std::uint64_t k = 0; k < 20; ++k) {
    Stream rng({1, 0}, purpose("test.seats"), k, 0);
    std::vector<std::uint32_t> seated;
    find_seat_rule("proportional")(p.candidates(20), rng, seated);
    EXPECT_EQ(composition(seated, p), (std::vector<int>{12, 6, 2}));
    EXPECT_TRUE(std::is_sorted(seated.begin(), seated.end()));
    EXPECT_EQ(std::adjacent_find(seated.begin(), seated.end()), seated.end());
  }
}

TEST(SeatSelection, RandomMatchesOnlyOnAverageWithHypergeometricSpread) {
  const Pool p;
  double sum = 0, sq = 0;
  const int draws = 2000;
  for (int k = 0; k < draws; ++k) {
    Stream rng({1, 0}, purpose("test.seats"), static_cast<std::uint64_t>(k), 1);
    std::vector<std::uint32_t> seated;
    find_seat_rule("random")(p.candidates(20), rng, seated);
    ASSERT_EQ(seated.size(), 20u);
    const double n0 = composition(seated, p)[0];
    sum += n0;
    sq += n0 * n0;
  }
  const double mean = sum / draws, var = sq / draws - mean * mean;
  // Hypergeometric: mean 12, variance 20 x 0.6 x 0.4 x (580 / 599) = 4.65.
  EXPECT_NEAR(mean, 12.0, 4 * std::sqrt(4.65 / draws));
  EXPECT_NEAR(var, 4.65, 0.5);
}

TEST(SeatSelection, StewardsFirstTakesTheMostTrusted) {
  const Pool p;
  Stream rng({1, 0}, purpose("test.seats"), 0, 0);
  std::vector<std::uint32_t> seated;
  find_seat_rule("stewards_first")(p.candidates(5), rng, seated);
  EXPECT_EQ(seated, (std::vector<std::uint32_t>{595, 596, 597, 598, 599}));
}

TEST(SeatSelection, OpenAttendanceFollowsTrust) {
  const Pool p;
  Stream rng({1, 0}, purpose("test.seats"), 0, 0);
  std::vector<std::uint32_t> seated;
  find_seat_rule("open")(p.candidates(5, 0.5), rng, seated);
  // p = 0.5 x 2 x trust: expected sum of trust = 299.5.
  EXPECT_NEAR(static_cast<double>(seated.size()), 299.5, 4 * std::sqrt(300.0 / 4));
  const auto high = std::count_if(seated.begin(), seated.end(), [](auto r) { return r >= 300; });
  EXPECT_GT(high, static_cast<long>(seated.size()) * 2 / 3);
}

}  // namespace
}  // namespace commsim::policy
