#include "sim/model/staff.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>

namespace commsim::model {

std::vector<std::uint32_t> spread(std::uint32_t total, std::uint32_t n) {
  std::vector<std::uint32_t> out(n, n ? total / n : 0);
  for (std::uint32_t i = 0; n && i < total % n; ++i) out[i] += 1;
  return out;
}

std::uint32_t StaffPlan::total_full_time() const {
  return std::accumulate(full_time.begin(), full_time.end(), 0u);
}
std::uint32_t StaffPlan::total_part_time() const {
  return std::accumulate(part_time.begin(), part_time.end(), 0u);
}

StaffPlan plan_staff(const scenario::StaffingSpec& spec, std::uint32_t grids,
                     std::uint32_t residents) {
  StaffPlan plan;
  std::uint32_t grid_workers = 0;
  if (spec.rule == "per_10k") {
    // Ningxia's rule counts all community workers; only a share walk the grids, the rest staff
    // the community's coordination centre.
    const auto all =
        static_cast<std::uint32_t>(std::llround(spec.full_time_per_10k * residents / 10000.0));
    grid_workers = static_cast<std::uint32_t>(std::llround(all * spec.grid_share));
    plan.centre = all - grid_workers;
  } else {
    grid_workers = static_cast<std::uint32_t>(std::llround(spec.full_time_per_grid * grids));
  }
  plan.full_time = spread(grid_workers, grids);
  plan.part_time =
      spread(static_cast<std::uint32_t>(std::llround(spec.part_time_per_grid * grids)), grids);
  const double paperwork = spec.paperwork_hours * (1.0 - spec.burden_reduction);
  const double freed = spec.paperwork_hours - paperwork;
  plan.ft_hours[kActPatrol] = spec.patrol_hours + freed * (1.0 - spec.freed_to_casework);
  plan.ft_hours[kActPaperwork] = paperwork;
  plan.ft_hours[kActTraining] = spec.training_hours;
  plan.ft_hours[kActCasework] = spec.hours_per_day - spec.patrol_hours - spec.paperwork_hours -
                                spec.training_hours + freed * spec.freed_to_casework;
  if (plan.ft_hours[kActCasework] < 0)
    throw std::invalid_argument(
        "staffing: patrol, paperwork and training hours exceed hours_per_day");
  plan.pt_hours[kActPatrol] = spec.part_time_hours * spec.part_time_patrol_share;
  plan.pt_hours[kActCasework] = spec.part_time_hours - plan.pt_hours[kActPatrol];
  return plan;
}

}  // namespace commsim::model
