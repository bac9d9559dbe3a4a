#include "sim/model/staff.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "sim/model/work_orders.hpp"
#include "sim/policy/staff_allocation.hpp"

namespace commsim::model {

std::vector<std::uint32_t> spread(std::uint32_t total, std::uint32_t n, std::uint32_t first) {
  std::vector<std::uint32_t> out(n, n ? total / n : 0);
  for (std::uint32_t i = 0; n && i < total % n; ++i) out[(first + i) % n] += 1;
  return out;
}

std::uint32_t StaffPlan::total_full_time() const {
  return std::accumulate(full_time.begin(), full_time.end(), 0u);
}
std::uint32_t StaffPlan::total_part_time() const {
  return std::accumulate(part_time.begin(), part_time.end(), 0u);
}

StaffPlan plan_staff(const scenario::StaffingSpec& spec, std::uint32_t grids,
                     std::uint32_t residents, std::span<const double> households) {
  StaffPlan plan;
  std::uint32_t grid_workers = 0;
  if (spec.rule == scenario::StaffingRule::Per10k) {
    // Ningxia's rule counts all community workers; only a share walk the grids, the rest staff
    // the community's coordination centre.
    const auto all =
        static_cast<std::uint32_t>(std::llround(spec.full_time_per_10k * residents / 10000.0));
    grid_workers = static_cast<std::uint32_t>(std::llround(all * spec.grid_share));
    plan.centre = all - grid_workers;
  } else {
    grid_workers = static_cast<std::uint32_t>(std::llround(spec.full_time_per_grid * grids));
  }
  plan.full_time.assign(grids, 0);
  plan.part_time.assign(grids, 0);
  const auto part_time = static_cast<std::uint32_t>(std::llround(spec.part_time_per_grid * grids));
  policy::staff_allocation(spec.allocation)(
      grid_workers, part_time, households.size() == grids ? households : std::span<const double>{},
      plan.full_time, plan.part_time);
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

namespace {
constexpr Purpose kSkillDraw = purpose("staffing.skill");
constexpr Purpose kLanguageDraw = purpose("staffing.languages");
std::uint64_t worker_entity(std::uint32_t g, std::size_t w) {
  return (static_cast<std::uint64_t>(g) << 32) | static_cast<std::uint64_t>(w);
}
}  // namespace

Workforce hire_workforce(const scenario::StaffingSpec& spec, const StaffPlan& plan,
                         const std::vector<double>& language_share, StreamKey key) {
  Workforce out;
  out.groups = static_cast<std::uint32_t>(language_share.size());
  const auto grids = static_cast<std::uint32_t>(plan.full_time.size());
  out.skill.resize(grids);
  out.speaks.resize(grids);
  for (std::uint32_t g = 0; g < grids; ++g) {
    const std::size_t workers = std::size_t{plan.full_time[g]} + plan.part_time[g];
    out.skill[g].resize(workers);
    out.speaks[g].assign(workers * out.groups, 0);
    for (std::size_t w = 0; w < workers; ++w) {
      const double mean = w < plan.full_time[g] ? spec.skill : spec.part_time_skill;
      // A normal spread clipped to [0, 1]: with the default small spread the clipping barely
      // moves the mean, so the mean on-the-spot probability stays that of the mean skill.
      Stream skill(key, kSkillDraw, worker_entity(g, w), 0);
      out.skill[g][w] = spec.skill_spread > 0
                            ? std::clamp(skill.normal(mean, spec.skill_spread), 0.0, 1.0)
                            : mean;
      for (std::uint32_t k = 0; k < out.groups; ++k)
        out.speaks[g][w * out.groups + k] =
            Stream(key, kLanguageDraw, worker_entity(g, w), k).bernoulli(language_share[k]);
    }
  }
  return out;
}

void train(Workforce& workforce, std::uint32_t g, const StaffPlan& plan, double training_gain) {
  auto& skill = workforce.skill[g];
  for (std::size_t w = 0; w < skill.size(); ++w) {
    const double hours =
        w < plan.full_time[g] ? plan.ft_hours[kActTraining] : plan.pt_hours[kActTraining];
    skill[w] = std::min(1.0, skill[w] + training_gain * hours);
  }
}

double Workforce::mean_skill(bool full_time, const StaffPlan& plan) const {
  double sum = 0, n = 0;
  for (std::size_t g = 0; g < skill.size(); ++g)
    for (std::size_t w = 0; w < skill[g].size(); ++w)
      if ((w < plan.full_time[g]) == full_time) sum += skill[g][w], n += 1;
  return n > 0 ? sum / n : std::nan("");
}

}  // namespace commsim::model

namespace commsim::model {

Staff hire_staff(const scenario::Scenario& s, const population::Population& pop, StreamKey key) {
  Staff staff;
  std::vector<double> households(pop.grids(), 0.0);
  for (std::uint32_t g = 0; g < pop.grids(); ++g) {
    const auto range = pop.grid_households(GridId(g));
    for (std::uint32_t h = range.begin; h < range.end; ++h)
      households[g] += !pop.household_vacant[h];
  }
  staff.plan = plan_staff(s.staffing, pop.grids(), pop.residents(), households);
  staff.week = {s.run.start_weekday, s.staffing.days_per_week};
  // Groups not listed need no language match only if none of their residents has low
  // proficiency; of listed groups, each worker speaks the language with the listed share.
  std::vector<double> language_share(pop.groups(), 0.0);
  for (const auto& l : s.staffing.languages) language_share[l.group_index] = l.share;
  staff.workforce = hire_workforce(s.staffing, staff.plan, language_share, key);
  staff.skill_start[0] = staff.workforce.mean_skill(true, staff.plan);
  staff.skill_start[1] = staff.workforce.mean_skill(false, staff.plan);
  return staff;
}

StaffDay::StaffDay(output::Recorder& recorder, double training_gain)
    : training_gain_(training_gain) {
  staff_hours_ =
      recorder.add({.name = "staff_hours",
                    .unit = "hours",
                    .description = "Grid workers' hours by activity.",
                    .dims = {{"activity", {"patrol", "casework", "paperwork", "training"}}},
                    .summary = output::EndRule::Total,
                    .key = true});
  worker_skill_ = recorder.add({.name = "worker_skill",
                                .unit = "score",
                                .description = "Mean skill of grid workers at the start of the day "
                                               "(training on working days raises it).",
                                .dims = {{"contract", {"full_time", "part_time"}}},
                                .combine = output::Combine::Ratio});
}

void StaffDay::start(GridId grid, Day d, const Staff& staff, WorkOrderTable& orders,
                     const output::Recorder::Row& row) const {
  const std::uint32_t g = grid.value;
  const StaffPlan& plan = staff.plan;
  const auto& skill = staff.workforce.skill[g];
  for (std::size_t w = 0; w < skill.size(); ++w)
    row.add_ratio(worker_skill_, w < plan.full_time[g] ? 0 : 1, skill[w]);
  if (staff.week.working(d))
    orders.grids[g].patrol_hours += plan.full_time[g] * plan.ft_hours[kActPatrol] +
                                    plan.part_time[g] * plan.pt_hours[kActPatrol];
}

void StaffDay::end(GridId grid, Day d, Staff& staff, const output::Recorder::Row& row) const {
  if (!staff.week.working(d)) return;
  const std::uint32_t g = grid.value;
  const StaffPlan& plan = staff.plan;
  // Training hours of the working day raise skills from the next order on.
  train(staff.workforce, g, plan, training_gain_);
  for (int a = 0; a < kActivities; ++a)
    row.add(staff_hours_, static_cast<std::size_t>(a),
            plan.full_time[g] * plan.ft_hours[a] + plan.part_time[g] * plan.pt_hours[a]);
}

}  // namespace commsim::model
