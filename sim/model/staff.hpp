#pragma once
// Grid workers: how many full-time and part-time workers each grid has (the staffing rule) and
// how a working day's hours split between patrol and visits, casework, paperwork and training.
// A burden-reduction policy removes a share of paperwork; the freed hours go to casework and
// patrol (Yinchuan, -70% paperwork [002]).

#include <cstdint>
#include <span>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/types.hpp"
#include "sim/output/recorder.hpp"
#include "sim/population/population.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::model {

enum Activity : std::uint8_t { kActPatrol, kActCasework, kActPaperwork, kActTraining, kActivities };

struct StaffPlan {
  std::vector<std::uint32_t> full_time;  // by grid
  std::vector<std::uint32_t> part_time;  // by grid
  std::uint32_t centre = 0;              // full-time workers at the coordination centre
  // A working day's hours by activity, for one full-time and one part-time worker.
  double ft_hours[kActivities] = {};
  double pt_hours[kActivities] = {};
  std::uint32_t total_full_time() const;
  std::uint32_t total_part_time() const;
};

// Places the staffing rule's workers on the grids by staffing.allocation
// (sim/policy/staff_allocation.hpp; `households` is each grid's occupied households, read by
// by_households only: empty counts every grid alike) and splits the day's hours. Throws if the
// hours do not fit.
StaffPlan plan_staff(const scenario::StaffingSpec& spec, std::uint32_t grids,
                     std::uint32_t residents, std::span<const double> households = {});

// Grid workers as individuals, by grid, by worker (full-time first, as in StaffPlan): a skill in
// [0, 1] and the languages each speaks. Both are drawn once, at the start, from streams keyed by
// (grid, worker), so a policy that changes one grid's staffing leaves the other grids' workers
// as they were. Every worker speaks the common language; `speaks` holds the groups' languages.
struct Workforce {
  std::uint32_t groups = 0;
  std::vector<std::vector<double>> skill;         // by grid, by worker
  std::vector<std::vector<std::uint8_t>> speaks;  // by grid, worker x group

  bool speaks_language(std::uint32_t g, std::size_t w, std::uint8_t group) const {
    return speaks[g][w * groups + group] != 0;
  }
  double mean_skill(bool full_time, const StaffPlan& plan) const;
};

// Draws every grid worker's skill (full-time: staffing.skill, part-time: part_time_skill, each
// +- skill_spread, clipped to [0, 1]) and languages (each group's with probability
// language_share[group], the share of workers speaking it).
Workforce hire_workforce(const scenario::StaffingSpec& spec, const StaffPlan& plan,
                         const std::vector<double>& language_share, StreamKey key);

// A working day's training: each worker's skill rises by training_gain per training hour
// (full-time ft_hours[kActTraining], part-time pt_hours[kActTraining]), capped at 1.
void train(Workforce& workforce, std::uint32_t g, const StaffPlan& plan, double training_gain);

// On-the-spot resolution probability multiplier of a worker's skill (1 at skill 1, 0.5 at 0).
inline double skill_on_the_spot(double skill) {
  return 0.5 + skill / 2.0;
}
// Service time multiplier of a worker's skill (1 at skill 1).
inline double skill_service_time(double skill, double time_factor) {
  return 1.0 + time_factor * (1.0 - skill);
}

// The working week: days 0..days_per_week-1 of each week (counted from run.start_weekday).
struct WorkWeek {
  std::int64_t start_weekday = 0, days_per_week = 7;
  // Burn-in days are negative (run.burn_in_days): the weekday counts back from day 0.
  bool working(Day d) const { return ((start_weekday + d.value) % 7 + 7) % 7 < days_per_week; }
};

// The grid workers of a run, shared state: the staff steps train them, the queue and the centre
// read them. Built once (hire_staff), in the builder's order.
struct Staff {
  StaffPlan plan;
  Workforce workforce;
  WorkWeek week;
  double skill_start[2] = {};  // mean skill of full-time and part-time workers at the start
};
// Plans and hires the staff (staffing.languages: each listed group's language is spoken by the
// listed share of workers; groups not listed need no language match only if none of their
// residents has low proficiency).
Staff hire_staff(const scenario::Scenario& s, const population::Population& pop, StreamKey key);

class WorkOrderTable;

// The grid workers' day, outside casework: at its start, their skill is recorded and, on working
// days, their patrol hours join the table's household-visit hours (reporting); at its end, on
// working days, training raises their skills and their hours by activity are recorded.
class StaffDay {
 public:
  StaffDay(output::Recorder& recorder, double training_gain);
  void start(GridId g, Day d, const Staff& staff, WorkOrderTable& orders,
             const output::Recorder::Row& row) const;
  void end(GridId g, Day d, Staff& staff, const output::Recorder::Row& row) const;

 private:
  double training_gain_;
  output::MetricId staff_hours_, worker_skill_;
};

// Spreads `total` over `n` slots: floor(total / n) each, one more for the remainder slots,
// counted from slot `first` on (cyclically), so that spreads which start where the last one's
// remainder ended do not pile their remainders on the same slots.
std::vector<std::uint32_t> spread(std::uint32_t total, std::uint32_t n, std::uint32_t first = 0);

}  // namespace commsim::model
