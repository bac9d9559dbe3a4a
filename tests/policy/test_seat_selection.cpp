// Seat selection: proportional seats match the composition exactly (largest remainder),
// proportional_min_one seats every group and the rest by the largest remainder, random seats match
// the composition only on average, stewards_first takes the most trusted, open has no seat limit.

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

// The baseline's groups (55/38/3/2/2%): proportional leaves the two smallest out of 15 seats,
// proportional_min_one seats them, with the other ten seats by the largest remainder.
TEST(SeatSelection, ProportionalMinOneSeatsEveryGroupAndTheRestInProportion) {
  std::vector<std::uint32_t> eligible;
  std::vector<std::uint8_t> group;
  const int per_group[] = {550, 380, 30, 20, 20};
  for (std::uint8_t g = 0; g < 5; ++g)
    for (int k = 0; k < per_group[g]; ++k) {
      eligible.push_back(static_cast<std::uint32_t>(group.size()));
      group.push_back(g);
    }
  const std::vector<float> trust(group.size(), 0.5f), interest(group.size(), 1.0f);
  const SeatCandidates c{eligible, group, 5, trust, interest, 15, 0};
  const auto seats = [&](const char* rule, std::uint64_t k) {
    Stream rng({1, 0}, purpose("test.seats"), k, 2);
    std::vector<std::uint32_t> seated;
    find_seat_rule(rule)(c, rng, seated);
    std::vector<int> n(5, 0);
    for (auto r : seated) ++n[group[r]];
    EXPECT_TRUE(std::is_sorted(seated.begin(), seated.end()));
    EXPECT_EQ(std::adjacent_find(seated.begin(), seated.end()), seated.end());
    return n;
  };
  for (std::uint64_t k = 0; k < 10; ++k) {
    // 15 x shares = 8.25, 5.7, 0.45, 0.3, 0.3: 8 + 5 by quota, the two left to Hui and Manchu.
    EXPECT_EQ(seats("proportional", k), (std::vector<int>{8, 6, 1, 0, 0}));
    // One each, then 10 x shares = 5.5, 3.8, 0.3, 0.2, 0.2: 5 + 3, the two left to Hui and Han.
    EXPECT_EQ(seats("proportional_min_one", k), (std::vector<int>{7, 5, 1, 1, 1}));
  }
  // Fewer seats than groups: the largest groups first.
  const SeatCandidates three{eligible, group, 5, trust, interest, 3, 0};
  Stream rng({1, 0}, purpose("test.seats"), 0, 3);
  std::vector<std::uint32_t> seated;
  find_seat_rule("proportional_min_one")(three, rng, seated);
  std::vector<int> n(5, 0);
  for (auto r : seated) ++n[group[r]];
  EXPECT_EQ(n, (std::vector<int>{1, 1, 1, 0, 0}));
  // A group smaller than its proportional share gives the excess to the groups with room.
  const std::vector<std::uint32_t> few = {0, 1, 2, 3, 4, 5, 550, 930, 960};  // 6, 1, 1, 1, 0
  const SeatCandidates tiny{few, group, 5, trust, interest, 8, 0};
  seated.clear();
  find_seat_rule("proportional_min_one")(tiny, rng, seated);
  EXPECT_EQ(seated.size(), 8u);
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
