#include "sim/model/reporting.hpp"

#include <algorithm>
#include <cmath>

#include "sim/model/staff.hpp"
#include "sim/model/stewards.hpp"
#include "sim/model/work_orders.hpp"

namespace commsim::model {

namespace {
constexpr Purpose kChannelDraw = purpose("reporting.channel");
}  // namespace

bool home_visit_target(const population::Population& pop, std::uint32_t household) {
  return pop.household_has_elderly[household] || pop.household_low_income[household];
}

std::vector<std::string> channel_names() {
  return {"patrol", "steward", "hotline", "app", "home_visit", "council"};
}

std::array<double, 5> report_propensities(const scenario::ReportingSpec& spec,
                                          const population::Population& pop,
                                          const ResidentState& residents, std::uint32_t resident,
                                          std::uint8_t severity, double visit_probability,
                                          bool stewarded, double visitor_speaks,
                                          double building_patrol, double home_visit,
                                          double home_visitor_speaks) {
  const double sev = spec.severity_multipliers[std::min<std::size_t>(severity, 2)];
  // Residents who trust the organisation more report more (the trust elasticity); stewards and
  // visits find needs whatever the resident thinks.
  const double trust =
      std::pow(std::max(residents.trust[resident], 0.01f) / 0.5, spec.trust_elasticity);
  const bool low = pop.resident_proficiency[resident] < 0.5f;
  double hotline = spec.hotline * trust * sev;
  if (low) hotline *= spec.low_proficiency_hotline;
  if (pop.resident_elderly[resident]) hotline *= spec.elderly_hotline;
  double app = pop.resident_digital[resident] ? spec.app * trust * sev : 0.0;
  if (low) app *= spec.low_proficiency_app;
  const double steward = stewarded ? spec.steward * sev : 0.0;
  // A visit finds a need by talking with the household: in the resident's own language, or in
  // the common one, which a low-proficiency resident does not speak well.
  const auto understood = [&](double speaks) {
    return low ? speaks + (1.0 - speaks) * spec.low_proficiency_visit : 1.0;
  };
  const double patrol =
      (visit_probability * understood(visitor_speaks) + building_patrol) * spec.visit_discovery;
  const double home = home_visit * spec.visit_discovery * understood(home_visitor_speaks);
  return {std::min(patrol, 1.0), std::min(steward, 1.0), std::min(hotline, 1.0), std::min(app, 1.0),
          std::min(home, 1.0)};
}

Reporting::Reporting(const scenario::Scenario& s, const population::Population& pop,
                     const Staff& staff)
    : spec_(s.reporting),
      groups_(pop.groups()),
      speaks_(std::size_t(pop.grids()) * pop.groups(), 1.0),
      effects_(s.wellbeing),
      hours_(s.staffing.hours_per_day) {
  for (std::uint32_t g = 0; g < pop.grids(); ++g) {
    const std::size_t workers = staff.workforce.skill[g].size();
    if (workers == 0) continue;
    for (std::uint32_t k = 0; k < groups_; ++k) {
      double speak = 0;
      for (std::size_t w = 0; w < workers; ++w)
        speak += staff.workforce.speaks_language(g, w, static_cast<std::uint8_t>(k));
      speaks_[std::size_t(g) * groups_ + k] = speak / static_cast<double>(workers);
    }
  }
}

void Reporting::grid_day(const population::Population& pop, GridId grid, Day d, StreamKey key,
                         WorkOrderTable& orders, const Stewards& stewards, ResidentState& residents,
                         const output::Recorder::Row& row) const {
  const std::uint32_t g = grid.value;
  WorkOrders& needs = orders.grids[g];
  // Visits spread over the grid's occupied households.
  const double patrol = needs.patrol_hours;
  std::uint32_t occupied = 0, targets = 0, buildings = 0;
  const auto households = pop.grid_households(grid);
  for (std::uint32_t h = households.begin; h < households.end; ++h) {
    occupied += !pop.household_vacant[h];
    targets += !pop.household_vacant[h] && home_visit_target(pop, h);
  }
  const auto grid_buildings = pop.grid_buildings(grid);
  for (std::uint32_t b = grid_buildings.begin; b < grid_buildings.end; ++b)
    buildings += pop.building_residents(b).size() > 0;
  const auto coverage = [&](double hours, std::uint32_t units) {
    return units ? std::min(1.0, hours * 60.0 / spec_.minutes_per_visit / units) : 0.0;
  };
  const double visit = coverage(patrol, occupied);
  const double rounds = coverage(needs.volunteer_patrol_hours, buildings);
  const double home = coverage(needs.home_visit_hours, targets);
  std::vector<std::uint32_t> still;
  still.reserve(needs.unreported.size());
  for (std::uint32_t i : needs.unreported) {
    const Need& need = needs.log[i];
    if (need.state != NeedState::Unreported) continue;
    const std::uint32_t household = pop.resident_household[need.resident];
    const std::uint32_t stairwell = pop.household_stairwell[household];
    const auto scope = orders.types().scope[need.type];
    const bool shared =
        scope == scenario::NeedScope::Stairwell || scope == scenario::NeedScope::Building;
    const std::uint8_t group = pop.resident_group[need.resident];
    const auto p = report_propensities(
        spec_, pop, residents, need.resident, need.severity, visit, stewards.stewarded(stairwell),
        speaks_[std::size_t(g) * groups_ + group], shared ? rounds : 0.0,
        !shared && home_visit_target(pop, household) ? home : 0.0,
        needs.home_visit_speaks.empty() ? 1.0 : needs.home_visit_speaks[group]);
    Stream rng(key, kChannelDraw, need_entity(g, i), d.value);
    double u = rng.uniform();
    int channel = -1;
    for (int c = 0; c < static_cast<int>(p.size()) && channel < 0; ++c) {
      if (u < p[static_cast<std::size_t>(c)]) channel = c;
      u -= p[static_cast<std::size_t>(c)];
    }
    if (channel >= 0) {
      const auto by = static_cast<Channel>(channel);
      const double at = (d.value + rng.uniform()) * hours_;
      if (!orders.open({g, i}, by, d, at, row)) continue;
      if (stewards.mediates({g, i}, need, by, orders.types()))
        orders.close(pop, g, i, kLevelGrid, kStewardHandler, d, at, residents, row);
      else
        needs.waiting.push_back(i);
    } else {
      still.push_back(i);
      effects_.hidden_day(residents, need.resident);
    }
  }
  needs.unreported = std::move(still);
}

void Reporting::council_day(Day d, WorkOrderTable& orders, const output::Recorder::Row& row) const {
  for (std::uint32_t g = 0; g < orders.grids.size(); ++g) {
    WorkOrders& needs = orders.grids[g];
    for (auto i : needs.raised)
      if (orders.open({g, i}, kCouncil, d, orders.next_day_start(d), row))
        needs.waiting.push_back(i);
    needs.raised.clear();
  }
}

}  // namespace commsim::model
