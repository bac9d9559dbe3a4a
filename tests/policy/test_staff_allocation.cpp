// Staff allocation: every rule places every worker; even and by_households give every grid a
// worker before any gets a second; legacy_first piles both remainders on the first grids.

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "sim/policy/staff_allocation.hpp"

namespace commsim::policy {
namespace {

struct Placed {
  std::vector<std::uint32_t> ft, pt;
  std::uint32_t total(std::size_t g) const { return ft[g] + pt[g]; }
  std::uint32_t unstaffed() const {
    std::uint32_t n = 0;
    for (std::size_t g = 0; g < ft.size(); ++g) n += total(g) == 0;
    return n;
  }
};

Placed place(std::string_view rule, std::uint32_t full_time, std::uint32_t part_time,
             const std::vector<double>& households) {
  Placed p{std::vector<std::uint32_t>(households.size(), 0),
           std::vector<std::uint32_t>(households.size(), 0)};
  find_staff_allocation(rule)(full_time, part_time, households, p.ft, p.pt);
  EXPECT_EQ(std::accumulate(p.ft.begin(), p.ft.end(), 0u), full_time) << rule;
  EXPECT_EQ(std::accumulate(p.pt.begin(), p.pt.end(), 0u), part_time) << rule;
  return p;
}

TEST(StaffAllocation, EvenStaffsEveryGridBeforeAnySecondAndInterleavesContracts) {
  const std::vector<double> grids(12, 400.0);
  // 12 per 10k in the baseline: 8 full-time and 8 part-time grid workers for 12 grids.
  const auto even = place("even", 8, 8, grids);
  EXPECT_EQ(even.unstaffed(), 0u);
  for (std::size_t g = 0; g < 12; ++g) EXPECT_LE(even.total(g), 2u);
  // The part-time workers go first to the four grids without a full-time one.
  for (std::size_t g = 8; g < 12; ++g) EXPECT_EQ(even.pt[g], 1u) << g;
  for (std::size_t g = 4; g < 8; ++g) EXPECT_EQ(even.total(g), 1u) << g;
  // The legacy rule leaves the last four grids with nobody.
  const auto legacy = place("legacy_first", 8, 8, grids);
  EXPECT_EQ(legacy.unstaffed(), 4u);
  // Any numbers: totals differ by at most one between grids.
  for (std::uint32_t f = 0; f < 30; ++f)
    for (std::uint32_t p = 0; p < 30; p += 7) {
      const auto e = place("even", f, p, grids);
      std::vector<std::uint32_t> t;
      for (std::size_t g = 0; g < 12; ++g) t.push_back(e.total(g));
      EXPECT_LE(*std::max_element(t.begin(), t.end()) - *std::min_element(t.begin(), t.end()), 1u);
    }
}

TEST(StaffAllocation, ByHouseholdsStaffsEveryGridFirstThenFollowsSize) {
  const std::vector<double> grids = {100, 100, 600, 200};
  const auto small = place("by_households", 3, 1, grids);
  EXPECT_EQ(small.unstaffed(), 0u);
  const auto big = place("by_households", 10, 0, grids);
  EXPECT_EQ(big.unstaffed(), 0u);
  // 10 workers for 1,000 households: the 600-household grid gets the most, about 6 of them.
  EXPECT_GE(big.total(2), 5u);
  EXPECT_GT(big.total(2), big.total(3));
  EXPECT_GE(big.total(3), big.total(0));
  EXPECT_THROW(find_staff_allocation("first_come"), std::invalid_argument);
}

}  // namespace
}  // namespace commsim::policy
