#include "sim/policy/staff_allocation.hpp"

#include <cstddef>

namespace commsim::policy {

namespace {

// One worker at a time to the grid with the lowest workers / weight so far (ties: the lowest
// index); a grid with no worker scores 0, so every grid gets one before any gets a second.
void place_one_by_one(std::uint32_t full_time, std::uint32_t part_time,
                      std::span<const double> weight, std::span<std::uint32_t> ft,
                      std::span<std::uint32_t> pt) {
  const std::size_t n = ft.size();
  if (n == 0) return;
  const auto score = [&](std::size_t g) {
    const double w = weight.empty() || weight[g] <= 0 ? 1e-9 : weight[g];
    return (ft[g] + pt[g]) / w;
  };
  for (std::uint32_t k = 0; k < full_time + part_time; ++k) {
    std::size_t best = 0;
    for (std::size_t g = 1; g < n; ++g)
      if (score(g) < score(best)) best = g;
    (k < full_time ? ft : pt)[best] += 1;
  }
}

void even(std::uint32_t full_time, std::uint32_t part_time, std::span<const double>,
          std::span<std::uint32_t> ft, std::span<std::uint32_t> pt) {
  place_one_by_one(full_time, part_time, {}, ft, pt);
}

void by_households(std::uint32_t full_time, std::uint32_t part_time,
                   std::span<const double> households, std::span<std::uint32_t> ft,
                   std::span<std::uint32_t> pt) {
  place_one_by_one(full_time, part_time, households, ft, pt);
}

void spread_first(std::uint32_t total, std::span<std::uint32_t> out) {
  const auto n = static_cast<std::uint32_t>(out.size());
  for (std::uint32_t g = 0; g < n; ++g) out[g] = total / n + (g < total % n ? 1 : 0);
}

void legacy_first(std::uint32_t full_time, std::uint32_t part_time, std::span<const double>,
                  std::span<std::uint32_t> ft, std::span<std::uint32_t> pt) {
  if (ft.empty()) return;
  spread_first(full_time, ft);
  spread_first(part_time, pt);
}

constexpr NamedStaffAllocation kRules[] = {
    {StaffAllocation::Even, "even", even,
     "every grid a worker before any a second; part-time workers fill the grids the full-time "
     "remainder missed"},
    {StaffAllocation::ByHouseholds, "by_households", by_households,
     "every grid a worker before any a second; the rest to the fewest workers per household"},
    {StaffAllocation::LegacyFirst, "legacy_first", legacy_first,
     "both remainders to the first grids (before issue #12)"},
};
static_assert(ids_in_order(kRules));

}  // namespace

std::span<const NamedStaffAllocation> staff_allocations() {
  return kRules;
}
StaffAllocationRule staff_allocation(StaffAllocation id) {
  return policy_fn(staff_allocations(), id);
}
StaffAllocationRule find_staff_allocation(std::string_view name) {
  return find_policy(staff_allocations(), name, "staff allocation");
}

}  // namespace commsim::policy
