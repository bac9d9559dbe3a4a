#include "sim/model/volunteers.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/model/staff.hpp"

namespace commsim::model {

namespace {
constexpr Purpose kQuit = purpose("volunteers.quit");
constexpr Purpose kRecruit = purpose("volunteers.recruit");
}  // namespace

Volunteers::Volunteers(const scenario::VolunteersSpec& spec,
                       const std::vector<std::string>& need_types, std::uint32_t grids)
    : spec_(spec), types_(need_types.size()), grids_(grids) {
  const std::size_t n = spec.teams.size() * grids;
  takes_.assign(spec.teams.size() * types_, 0);
  members_.assign(n, 0);
  week_hours_.assign(n, 0.0);
  day_hours_.assign(n, 0.0);
  overloaded_.assign(n, 0);
  for (std::uint32_t t = 0; t < spec.teams.size(); ++t) {
    for (const auto& name : spec.teams[t].task_types) {
      const auto it = std::find(need_types.begin(), need_types.end(), name);
      if (it == need_types.end())
        throw std::invalid_argument("volunteers.teams: unknown need type '" + name + "'");
      takes_[t * types_ + static_cast<std::size_t>(it - need_types.begin())] = 1;
    }
    const auto by_grid = spread(static_cast<std::uint32_t>(spec.teams[t].members), grids);
    for (std::uint32_t g = 0; g < grids; ++g) members_[at(t, g)] = by_grid[g];
  }
  initial_ = members_;
}

double Volunteers::hours_left(std::uint32_t t, std::uint32_t g) const {
  const auto& team = spec_.teams[t];
  const double cap =
      members_[at(t, g)] * team.weekly_hours * (1.0 - team.patrol_share) * spec_.stretch / 7.0;
  return std::max(0.0, cap - day_hours_[at(t, g)]);
}

double Volunteers::patrol_hours(std::uint32_t g) const {
  double h = 0;
  for (std::uint32_t t = 0; t < teams(); ++t)
    h += members_[at(t, g)] * spec_.teams[t].weekly_hours * spec_.teams[t].patrol_share / 7.0;
  return h;
}

void Volunteers::work(std::uint32_t t, std::uint32_t g, double hours) {
  day_hours_[at(t, g)] += hours;
  week_hours_[at(t, g)] += hours;
}

void Volunteers::start_day(std::uint32_t g, std::int32_t day, bool week_start, StreamKey key) {
  for (std::uint32_t t = 0; t < teams(); ++t) {
    const std::size_t i = at(t, g);
    day_hours_[i] = 0;
    if (!week_start) continue;
    const auto& team = spec_.teams[t];
    const double budget = members_[i] * team.weekly_hours * (1.0 - team.patrol_share);
    overloaded_[i] = week_hours_[i] > budget + 1e-9 ? overloaded_[i] + 1 : 0;
    week_hours_[i] = 0;
    Stream rng(key, kQuit, i, day);
    if (overloaded_[i] >= static_cast<std::uint32_t>(spec_.overload_weeks)) {
      std::uint32_t stay = 0;
      for (std::uint32_t m = 0; m < members_[i]; ++m)
        stay += !rng.bernoulli(spec_.quit_probability);
      members_[i] = stay;
    } else if (members_[i] < initial_[i]) {
      Stream rec(key, kRecruit, i, day);
      const double expected = spec_.recruit_rate * initial_[i];
      auto add = static_cast<std::uint32_t>(expected);
      if (rec.bernoulli(expected - add)) ++add;
      members_[i] = std::min(initial_[i], members_[i] + add);
    }
  }
}

std::uint32_t Volunteers::members(std::uint32_t g) const {
  std::uint32_t n = 0;
  for (std::uint32_t t = 0; t < teams(); ++t) n += members_[at(t, g)];
  return n;
}
std::uint32_t Volunteers::total_members() const {
  std::uint32_t n = 0;
  for (auto m : members_) n += m;
  return n;
}

}  // namespace commsim::model
