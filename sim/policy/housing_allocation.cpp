#include "sim/policy/housing_allocation.hpp"

namespace commsim::policy {

namespace {

std::size_t free_choice(std::span<const double> share, double threshold, bool must_move) {
  for (std::size_t i = 0; i < share.size(); ++i)
    if (share[i] >= threshold) return i;
  return must_move && !share.empty() ? 0 : kNoDwelling;
}

std::size_t mixing(std::span<const double> share, double, bool) {
  std::size_t best = kNoDwelling;
  for (std::size_t i = 0; i < share.size(); ++i)
    if (best == kNoDwelling || share[i] < share[best]) best = i;
  return best;
}

constexpr NamedAllocationRule kRules[] = {
    {"free_choice", free_choice, "Schelling: first vacancy with enough same-group neighbours"},
    {"mixing", mixing, "allocation to the vacancy with the fewest same-group neighbours"},
};

}  // namespace

std::span<const NamedAllocationRule> allocation_rules() {
  return kRules;
}
AllocationRule find_allocation_rule(std::string_view name) {
  return find_policy(allocation_rules(), name, "housing allocation");
}

}  // namespace commsim::policy
