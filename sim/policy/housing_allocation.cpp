#include "sim/policy/housing_allocation.hpp"

namespace commsim::policy {

namespace {

std::size_t free_choice(std::span<const double> share, double threshold, double, bool must_move) {
  for (std::size_t i = 0; i < share.size(); ++i)
    if (share[i] >= threshold) return i;
  return must_move && !share.empty() ? 0 : kNoDwelling;
}

// The office offers the most mixed dwelling the household will take: any for an in-mover, one
// better than its present place for a household asking to move (so the office does not churn
// households into places they would leave again).
std::size_t mixing(std::span<const double> share, double, double current, bool must_move) {
  std::size_t best = kNoDwelling;
  for (std::size_t i = 0; i < share.size(); ++i)
    if ((must_move || share[i] > current) && (best == kNoDwelling || share[i] < share[best]))
      best = i;
  return best;
}

constexpr NamedAllocationRule kRules[] = {
    {Allocation::FreeChoice, "free_choice", free_choice,
     "Schelling: first vacancy with enough same-group neighbours"},
    {Allocation::Mixing, "mixing", mixing, "the most mixed vacancy the household accepts"},
};
static_assert(ids_in_order(kRules));

}  // namespace

std::span<const NamedAllocationRule> allocation_rules() {
  return kRules;
}
AllocationRule allocation_rule(Allocation id) {
  return policy_fn(allocation_rules(), id);
}
AllocationRule find_allocation_rule(std::string_view name) {
  return find_policy(allocation_rules(), name, "housing allocation");
}

}  // namespace commsim::policy
