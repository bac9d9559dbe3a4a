// Housing allocation: free choice takes the first vacancy meeting the wanted share (Schelling),
// mixing the one with the fewest same-group neighbours.

#include <gtest/gtest.h>

#include <vector>

#include "sim/policy/housing_allocation.hpp"

namespace commsim::policy {
namespace {

TEST(HousingAllocation, FreeChoiceTakesTheFirstSatisfyingVacancy) {
  const auto rule = find_allocation_rule("free_choice");
  const std::vector<double> share = {0.1, 0.5, 0.9};
  EXPECT_EQ(rule(share, 0.3, false), 1u);
  EXPECT_EQ(rule(share, 0.95, false), kNoDwelling);  // a relocating household stays
  EXPECT_EQ(rule(share, 0.95, true), 0u);            // an in-mover takes the first
}

TEST(HousingAllocation, MixingTakesTheLeastSameGroupVacancy) {
  const auto rule = find_allocation_rule("mixing");
  const std::vector<double> share = {0.6, 0.2, 0.9, 0.2};
  EXPECT_EQ(rule(share, 0.3, false), 1u);
  EXPECT_EQ(rule({}, 0.3, true), kNoDwelling);
  EXPECT_THROW(find_allocation_rule("lottery"), std::invalid_argument);
}

}  // namespace
}  // namespace commsim::policy
