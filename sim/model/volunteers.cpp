#include "sim/model/volunteers.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "sim/model/staff.hpp"
#include "sim/model/work_orders.hpp"

namespace commsim::model {

namespace {
constexpr Purpose kQuit = purpose("volunteers.quit");
constexpr Purpose kRecruit = purpose("volunteers.recruit");
constexpr Purpose kJoin = purpose("volunteers.join");
constexpr Purpose kSmallNeed = purpose("volunteers.small_need");

// The share of a team's budget left for small needs after patrols and home visits.
double on_the_spot_share(const scenario::VolunteerTeamSpec& team) {
  return std::max(0.0, 1.0 - team.patrol_share - team.home_visit_share);
}
}  // namespace

Volunteers::Volunteers(const scenario::VolunteersSpec& spec,
                       const std::vector<std::string>& need_types,
                       const population::Population& pop)
    : spec_(spec), types_(need_types.size()), grids_(pop.grids()), groups_(pop.groups()) {
  if (spec.teams.size() >= kNoTeam) throw std::invalid_argument("volunteers.teams: too many teams");
  const std::size_t n = spec.teams.size() * grids_;
  takes_.assign(spec.teams.size() * types_, 0);
  team_.assign(pop.residents(), kNoTeam);
  joined_.assign(pop.residents(), 0);
  joined_group_.assign(pop.residents(), 0);
  members_.assign(n, 0);
  by_group_.assign(n * groups_, 0);
  initial_.assign(n, 0);
  week_hours_.assign(n, 0.0);
  day_hours_.assign(n, 0.0);
  overloaded_.assign(n, 0);
  departures_.assign(grids_, 0);
  shortfall_.assign(grids_, 0);
  recruited_.assign(grids_, 0);
  // Each team's remainder starts where the last team's ended, so the remainders of all teams
  // do not pile up on the first grids.
  std::uint32_t first = 0;
  for (std::uint32_t t = 0; t < spec.teams.size(); ++t) {
    for (const std::uint16_t i : spec.teams[t].task_need_types) takes_[t * types_ + i] = 1;
    const auto members = static_cast<std::uint32_t>(spec.teams[t].members);
    const auto by_grid = spread(members, grids_, first);
    for (std::uint32_t g = 0; g < grids_; ++g) initial_[at(t, g)] = by_grid[g];
    if (grids_ > 0) first = (first + members % grids_) % grids_;
  }
}

bool Volunteers::eligible(const population::Population& pop, std::uint32_t r) const {
  return team_[r] == kNoTeam && !pop.resident_vacant(r) && pop.resident_age[r] >= spec_.min_age &&
         pop.resident_age[r] <= spec_.max_age;
}

std::uint32_t Volunteers::recruit(const population::Population& pop, std::uint32_t t,
                                  std::uint32_t g, std::uint32_t wanted, std::int32_t day,
                                  StreamKey key, const ResidentState& residents) {
  if (wanted == 0) return 0;
  // Weighted sampling without replacement (Efraimidis and Spirakis): each eligible resident gets
  // the key u^(1/w) with w its trust, and the `wanted` largest keys join. One draw per resident,
  // addressed by (resident and team, day), so who joins does not depend on the order of the loop.
  std::vector<std::pair<double, std::uint32_t>> keys;
  const population::Range range = pop.grid_residents(GridId(g));
  for (std::uint32_t r = range.begin; r < range.end; ++r) {
    if (!eligible(pop, r)) continue;
    const double w = r < residents.trust.size() ? std::max(1e-3f, residents.trust[r]) : 1.0;
    Stream rng(key, kJoin, (std::uint64_t(r) << 8) | t, day);
    const double u = rng.uniform();
    keys.emplace_back(std::log(std::max(u, 1e-300)) / w, r);
  }
  const std::uint32_t take =
      std::min<std::uint32_t>(wanted, static_cast<std::uint32_t>(keys.size()));
  std::partial_sort(keys.begin(), keys.begin() + take, keys.end(),
                    [](const auto& a, const auto& b) {
                      return a.first > b.first || (a.first == b.first && a.second < b.second);
                    });
  for (std::uint32_t k = 0; k < take; ++k) {
    team_[keys[k].second] = static_cast<std::uint8_t>(t);
    joined_[keys[k].second] = day;
    joined_group_[keys[k].second] = pop.resident_group[keys[k].second];
    ++by_group_[at(t, g) * groups_ + pop.resident_group[keys[k].second]];
  }
  members_[at(t, g)] += take;
  return take;
}

double Volunteers::hours_left(std::uint32_t t, std::uint32_t g) const {
  const auto& team = spec_.teams[t];
  const double cap =
      members_[at(t, g)] * team.weekly_hours * on_the_spot_share(team) * spec_.stretch / 7.0;
  return std::max(0.0, cap - day_hours_[at(t, g)]);
}

double Volunteers::patrol_hours(std::uint32_t g) const {
  double h = 0;
  for (std::uint32_t t = 0; t < teams(); ++t)
    h += members_[at(t, g)] * spec_.teams[t].weekly_hours * spec_.teams[t].patrol_share / 7.0;
  return h;
}

double Volunteers::home_visit_hours(std::uint32_t g) const {
  double h = 0;
  for (std::uint32_t t = 0; t < teams(); ++t)
    h += members_[at(t, g)] * spec_.teams[t].weekly_hours * spec_.teams[t].home_visit_share / 7.0;
  return h;
}

double Volunteers::home_visit_speaks(std::uint32_t g, std::uint8_t group) const {
  double all = 0, speaking = 0;
  for (std::uint32_t t = 0; t < teams(); ++t) {
    const double h =
        members_[at(t, g)] * spec_.teams[t].weekly_hours * spec_.teams[t].home_visit_share;
    all += h;
    if (speaks(t, g, group)) speaking += h;
  }
  return all > 0 ? speaking / all : 1.0;
}

std::uint32_t Volunteers::team_members(std::uint32_t t) const {
  std::uint32_t n = 0;
  for (std::uint32_t g = 0; g < grids_; ++g) n += members_[at(t, g)];
  return n;
}

void Volunteers::work(std::uint32_t t, std::uint32_t g, double hours) {
  day_hours_[at(t, g)] += hours;
  week_hours_[at(t, g)] += hours;
}

void Volunteers::start_day(const population::Population& pop, std::uint32_t g, std::int32_t day,
                           bool week_start, StreamKey key, const ResidentState& residents) {
  if (!recruited_[g]) {  // the first day simulated (the burn-in's first, if any)
    recruited_[g] = 1;
    for (std::uint32_t t = 0; t < teams(); ++t) {
      const std::uint32_t wanted = initial_[at(t, g)];
      shortfall_[g] += wanted - recruit(pop, t, g, wanted, day, key, residents);
    }
  }
  for (std::uint32_t t = 0; t < teams(); ++t) day_hours_[at(t, g)] = 0;
  if (!week_start) return;

  std::vector<std::uint8_t> overloaded(teams(), 0);
  for (std::uint32_t t = 0; t < teams(); ++t) {
    const std::size_t i = at(t, g);
    const auto& team = spec_.teams[t];
    const double budget = members_[i] * team.weekly_hours * on_the_spot_share(team);
    overloaded_[i] = week_hours_[i] > budget + 1e-9 ? overloaded_[i] + 1 : 0;
    week_hours_[i] = 0;
    overloaded[t] = overloaded_[i] >= static_cast<std::uint32_t>(spec_.overload_weeks);
  }
  // Members leave: those who moved away (their dwelling is empty or a newcomer lives there now)
  // and, in overloaded teams, each with the quit probability.
  const population::Range range = pop.grid_residents(GridId(g));
  for (std::uint32_t r = range.begin; r < range.end; ++r) {
    const std::uint8_t t = team_[r];
    if (t == kNoTeam) continue;
    const bool moved = pop.resident_vacant(r) ||
                       (r < residents.settled_day.size() && residents.settled_day[r] > joined_[r]);
    bool quits = false;
    if (!moved && overloaded[t]) {
      Stream rng(key, kQuit, r, day);
      quits = rng.bernoulli(spec_.quit_probability);
    }
    if (moved || quits) {
      team_[r] = kNoTeam;
      --members_[at(t, g)];
      // The group it joined with: a newcomer in the dwelling may be of another group.
      --by_group_[at(t, g) * groups_ + joined_group_[r]];
      ++departures_[g];
    }
  }
  for (std::uint32_t t = 0; t < teams(); ++t) {
    const std::size_t i = at(t, g);
    if (overloaded[t] || members_[i] >= initial_[i]) continue;
    Stream rec(key, kRecruit, i, day);
    const double expected = spec_.recruit_rate * initial_[i];
    auto add = static_cast<std::uint32_t>(expected);
    if (rec.bernoulli(expected - add)) ++add;
    recruit(pop, t, g, std::min(add, initial_[i] - members_[i]), day, key, residents);
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

std::vector<double> Volunteers::members_by_group() const {
  std::vector<double> out(groups_, 0.0);
  for (std::size_t i = 0; i < by_group_.size(); ++i) out[i % groups_] += by_group_[i];
  return out;
}

std::uint64_t Volunteers::departures() const {
  std::uint64_t n = 0;
  for (auto d : departures_) n += d;
  return n;
}

std::uint64_t Volunteers::shortfall() const {
  std::uint64_t n = 0;
  for (auto s : shortfall_) n += s;
  return n;
}

}  // namespace commsim::model

namespace commsim::model {

VolunteerDay::VolunteerDay(const scenario::Scenario& s, const population::Population&,
                           output::Recorder& recorder)
    : start_weekday_(s.run.start_weekday),
      hours_(s.staffing.hours_per_day),
      share_(s.volunteers.small_need_share),
      language_penalty_(s.casework.language_penalty) {
  volunteer_hours_ = recorder.add({.name = "volunteer_hours",
                                   .unit = "hours",
                                   .description = "Volunteers' hours resolving small needs on the "
                                                  "spot (patrol and home-visit hours are not "
                                                  "counted).",
                                   .summary = output::EndRule::Total,
                                   .key = true});
}

void VolunteerDay::start(const population::Population& pop, GridId grid, Day d, StreamKey key,
                         Volunteers& teams, WorkOrderTable& orders,
                         const ResidentState& residents) const {
  const std::uint32_t g = grid.value;
  teams.start_day(pop, g, d.value, ((start_weekday_ + d.value) % 7 + 7) % 7 == 0, key, residents);
  WorkOrders& gs = orders.grids[g];
  gs.patrol_hours = 0;  // the day's household visits: the grid workers add theirs (staff.cpp)
  gs.volunteer_patrol_hours = teams.patrol_hours(g);
  gs.home_visit_hours = teams.home_visit_hours(g);
  gs.home_visit_speaks.resize(pop.groups());
  for (std::uint32_t k = 0; k < pop.groups(); ++k)
    gs.home_visit_speaks[k] = teams.home_visit_speaks(g, static_cast<std::uint8_t>(k));
}

void VolunteerDay::small_needs(const population::Population& pop, GridId grid, Day d, StreamKey key,
                               Volunteers& teams, WorkOrderTable& orders, ResidentState& residents,
                               const output::Recorder::Row& row) const {
  const std::uint32_t g = grid.value;
  WorkOrders& gs = orders.grids[g];
  if (teams.teams() == 0 || share_ <= 0) return;
  const double day_start = d.value * hours_, day_end = (d.value + 1) * hours_;
  double volunteer = 0;
  std::erase_if(gs.waiting, [&](std::uint32_t i) {
    const Need& need = gs.log[i];
    if (need.severity != 0 || orders.types().min_level[need.type] != kLevelGrid ||
        gs.report_at[i] < day_start || gs.report_at[i] >= day_end)
      return false;
    // The team that comes: one of the need's type with hours left, one that speaks a
    // low-proficiency resident's language if there is one (volunteers are residents, §3.12).
    const bool low = pop.resident_proficiency[need.resident] < 0.5f;
    std::uint32_t team = teams.teams();
    bool matched = false;
    for (std::uint32_t t = 0; t < teams.teams() && !matched; ++t) {
      if (!teams.takes(t, need.type) || teams.hours_left(t, g) <= 0) continue;
      const bool speaks = !low || teams.speaks(t, g, pop.resident_group[need.resident]);
      if (team == teams.teams() || speaks) team = t;
      matched = speaks;
    }
    if (team == teams.teams()) return false;
    // One uniform per need, whichever team comes: the share is the need's, so arms that differ
    // in volunteers' hours see the same draws.
    Stream rng(key, kSmallNeed, need_entity(g, i), 0);
    if (rng.uniform() >= share_ * (matched ? 1.0 : language_penalty_)) return false;
    const double hours = orders.service_hours(g, i, matched);
    teams.work(team, g, hours);
    volunteer += hours;
    gs.left_queue(i, 0.0);
    orders.close(pop, g, i, kLevelGrid, kVolunteer, d, gs.report_at[i] + hours, residents, row);
    return true;
  });
  row.add(volunteer_hours_, volunteer);
}

}  // namespace commsim::model
