// Housing allocation: free choice takes the first vacancy meeting the wanted share (Schelling),
// mixing the most mixed one the household accepts.

#include <gtest/gtest.h>

#include <vector>

#include "sim/policy/housing_allocation.hpp"

namespace commsim::policy {
namespace {

TEST(HousingAllocation, FreeChoiceTakesTheFirstSatisfyingVacancy) {
  const auto rule = find_allocation_rule("free_choice");
  const std::vector<double> share = {0.1, 0.5, 0.9};
  EXPECT_EQ(rule(share, 0.3, 0.0, false), 1u);
  EXPECT_EQ(rule(share, 0.95, 0.0, false), kNoDwelling);  // a relocating household stays
  EXPECT_EQ(rule(share, 0.95, 0.0, true), 0u);            // an in-mover takes the first
}

TEST(HousingAllocation, MixingOffersTheMostMixedAcceptableVacancy) {
  const auto rule = find_allocation_rule("mixing");
  const std::vector<double> share = {0.6, 0.2, 0.9, 0.4, 0.2};
  EXPECT_EQ(rule(share, 0.3, 0.0, true), 1u);    // an in-mover: the most mixed
  EXPECT_EQ(rule(share, 0.3, 0.25, false), 3u);  // a mover: the most mixed better than now
  EXPECT_EQ(rule(share, 0.3, 0.9, false), kNoDwelling);
  EXPECT_EQ(rule({}, 0.3, 0.0, true), kNoDwelling);
  EXPECT_THROW(find_allocation_rule("lottery"), std::invalid_argument);
}

}  // namespace
}  // namespace commsim::policy
