#include "sim/model/needs.hpp"

#include <cmath>
#include <utility>

namespace commsim::model {

namespace {
using scenario::NeedScope;
using scenario::NeedWho;

constexpr Purpose kPurposeByScope[4] = {purpose("needs.resident"), purpose("needs.household"),
                                        purpose("needs.stairwell"), purpose("needs.building")};
}  // namespace

NeedArrival::NeedArrival(const scenario::NeedsSpec& spec, const population::Population& pop,
                         output::Recorder& recorder)
    : types_(spec.types) {
  slot_.resize(types_.size());
  for (std::size_t t = 0; t < types_.size(); ++t) {
    auto& of_scope = types_by_scope_[static_cast<int>(types_[t].scope)];
    slot_[t] = static_cast<std::uint16_t>(of_scope.size());
    of_scope.push_back(static_cast<std::uint16_t>(t));
  }
  const auto shared = [&](NeedScope scope, std::uint32_t units) {
    fixes_[static_cast<int>(scope)].resize(static_cast<std::size_t>(units) *
                                           types_by_scope_[static_cast<int>(scope)].size());
  };
  shared(NeedScope::Stairwell, pop.stairwells());
  shared(NeedScope::Building, pop.buildings());
  arisen_ = recorder.add(
      {.name = "needs_arisen",
       .unit = "needs",
       .description = "Needs that arose, by grid, ethnic group of the resident who has (or "
                      "raises) the need, and need type.",
       .dims = {{"grid", pop.grid_names()},
                {"group", pop.group_names},
                {"need_type", type_names()}},
       .per_grid = true,
       .summary = output::EndRule::Total,
       .summary_description = "Needs that arose over the run, by grid, group and need type.",
       .key = true});
  // Key counts of needs, totalled over the run.
  const auto needs_total = [&](const char* name, const char* doc,
                               std::vector<output::Dimension> dims) {
    return recorder.add({.name = name,
                         .unit = "needs",
                         .description = doc,
                         .dims = std::move(dims),
                         .summary = output::EndRule::Total,
                         .key = true});
  };
  shared_arisen_ = needs_total("shared_needs_arisen",
                               "Shared (stairwell or building) needs that arose: how often the "
                               "problems councils deliberate and fix recur.",
                               {});
  expected_ = needs_total("shared_needs_expected",
                          "Shared needs expected to arise today at today's rates, after the "
                          "council fixes in force: the recurrence rate of shared problems, free "
                          "of the day's draws (its total over the run is the expected count).",
                          {});
  prevented_ = needs_total("needs_prevented_by_fixes",
                           "Shared needs that would have arisen but for an implemented council "
                           "fix in force at their place (the day's draw fell in the part of the "
                           "rate the fix took off), by need type.",
                           {{"need_type", type_names()}});
  prepare(pop);
}

void NeedArrival::prepare(const population::Population& pop) {
  const auto rows = [&](NeedScope scope, std::size_t n, auto&& traits) {
    const auto& candidates = types_by_scope_[static_cast<int>(scope)];
    auto& out = cumulative_[static_cast<int>(scope)];
    out.assign(n * candidates.size(), 0.0);
    for (std::size_t row = 0; row < n; ++row) {
      const auto [building, elderly, child, low_income] = traits(row);
      double cumulative = 0.0;
      for (std::size_t i = 0; i < candidates.size(); ++i) {
        cumulative += daily_probability(candidates[i], elderly, child, low_income,
                                        pop.building_age[building]);
        out[row * candidates.size() + i] = cumulative;
      }
    }
  };
  struct Traits {
    std::uint32_t building;
    bool elderly, child, low_income;
  };
  // Shared (stairwell, building) needs depend on the building only.
  rows(NeedScope::Building, pop.buildings(), [](std::size_t b) {
    return Traits{static_cast<std::uint32_t>(b), false, false, false};
  });
  rows(NeedScope::Stairwell, pop.stairwells(), [&](std::size_t s) {
    return Traits{pop.stairwell_building[s], false, false, false};
  });
  const auto by_traits = [](std::size_t row) {
    const std::size_t t = row % kTraits;
    return Traits{static_cast<std::uint32_t>(row / kTraits), (t & 1) != 0, (t & 2) != 0,
                  (t & 4) != 0};
  };
  rows(NeedScope::Household, std::size_t{pop.buildings()} * kTraits, by_traits);
  rows(NeedScope::Resident, std::size_t{pop.buildings()} * kTraits, by_traits);
}

std::size_t NeedArrival::household_row(const population::Population& pop, std::uint32_t b,
                                       std::uint32_t h) const {
  return std::size_t{b} * kTraits + (pop.household_has_elderly[h] ? 1 : 0) +
         (pop.household_has_child[h] ? 2 : 0) + (pop.household_low_income[h] ? 4 : 0);
}

std::size_t NeedArrival::resident_row(const population::Population& pop, std::uint32_t b,
                                      std::uint32_t h, std::uint32_t r) const {
  return std::size_t{b} * kTraits + (pop.resident_elderly[r] ? 1 : 0) +
         (pop.resident_child[r] ? 2 : 0) + (pop.household_low_income[h] ? 4 : 0);
}

void NeedArrival::lower_rate(std::uint16_t t, std::uint32_t place, Day until, double keep) {
  auto& fixes = fixes_[static_cast<int>(types_[t].scope)];
  const std::size_t per_unit = types_by_scope_[static_cast<int>(types_[t].scope)].size();
  fixes.at(static_cast<std::size_t>(place) * per_unit + slot_[t]) = {until.value, keep};
}

double NeedArrival::rate_factor(std::uint16_t t, std::uint32_t place, Day d) const {
  const auto& fixes = fixes_[static_cast<int>(types_[t].scope)];
  if (fixes.empty()) return 1.0;
  const std::size_t per_unit = types_by_scope_[static_cast<int>(types_[t].scope)].size();
  const Fix& fix = fixes[static_cast<std::size_t>(place) * per_unit + slot_[t]];
  return d.value < fix.until ? fix.keep : 1.0;
}

std::vector<std::string> NeedArrival::type_names() const {
  std::vector<std::string> names;
  for (const auto& t : types_) names.push_back(t.name);
  return names;
}

double NeedArrival::daily_probability(std::size_t t, bool elderly, bool child, bool low_income,
                                      double building_age) const {
  const auto& type = types_[t];
  const bool exposed = type.who == NeedWho::Any || (type.who == NeedWho::Elderly && elderly) ||
                       (type.who == NeedWho::Child && child) ||
                       (type.who == NeedWho::LowIncome && low_income);
  if (!exposed) return 0.0;
  double rate = type.rate;
  if (elderly) rate *= type.elderly_multiplier;
  if (low_income) rate *= type.low_income_multiplier;
  rate *= std::pow(1.0 + type.building_age_growth, building_age / 10.0);
  // A yearly rate as the probability of at least one event in a day (Poisson).
  return 1.0 - std::exp(-rate / 365.0);
}

// One uniform per unit and day decides between the unit's need types (competing risks): each
// type keeps its exact daily probability, and at most one need arises per unit per day, a fine
// approximation while daily probabilities are small (they are ~1e-3). A fix in force keeps the
// first `keep` of its type's interval: a uniform in the rest is a need the fix prevented.
void NeedArrival::draw(NeedScope scope, std::uint32_t unit, std::size_t row,
                       population::Range members, Day d, StreamKey key, WorkOrders& needs,
                       const population::Population& pop,
                       const output::Recorder::Row& record) const {
  const auto s = static_cast<int>(scope);
  const auto& candidates = types_by_scope_[s];
  if (candidates.empty() || members.size() == 0) return;
  const double* cumulative = cumulative_[s].data() + row * candidates.size();
  Stream rng(key, kPurposeByScope[s], unit, d.value);
  const double u = rng.uniform();
  if (u >= cumulative[candidates.size() - 1]) return;  // the common case: nothing today
  std::size_t i = 0;
  while (u >= cumulative[i]) ++i;
  const std::uint16_t t = candidates[i];
  if (!fixes_[s].empty()) {
    const Fix& fix = fixes_[s][static_cast<std::size_t>(unit) * candidates.size() + i];
    const double low = i > 0 ? cumulative[i - 1] : 0.0;
    if (d.value < fix.until && u >= low + fix.keep * (cumulative[i] - low)) {
      record.add(prevented_, t, 1.0);
      return;
    }
  }
  Need need;
  need.type = t;
  need.place = unit;
  need.resident = members.begin + static_cast<std::uint32_t>(rng.below(members.size()));
  need.severity = static_cast<std::uint8_t>(rng.categorical(types_[t].severity_weights));
  need.day_arisen = d.value;
  needs.unreported.push_back(static_cast<std::uint32_t>(needs.log.size()));
  needs.log.push_back(need);
  record.add(arisen_, pop.resident_group[need.resident] * types_.size() + t, 1.0);
  if (!fixes_[s].empty()) record.add(shared_arisen_, 1.0);
}

double NeedArrival::expected(NeedScope scope, std::uint32_t unit, Day d) const {
  const auto s = static_cast<int>(scope);
  const std::size_t n = types_by_scope_[s].size();
  const double* cumulative = cumulative_[s].data() + static_cast<std::size_t>(unit) * n;
  double sum = 0.0, low = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const Fix& fix = fixes_[s][static_cast<std::size_t>(unit) * n + i];
    sum += (cumulative[i] - low) * (d.value < fix.until ? fix.keep : 1.0);
    low = cumulative[i];
  }
  return sum;
}

void NeedArrival::arise(const population::Population& pop, GridId g, Day d, StreamKey key,
                        WorkOrders& needs, const output::Recorder::Row& row) const {
  const population::Range buildings = pop.grid_buildings(g);
  double shared = 0.0;  // expected shared needs today
  const bool measuring = row.measuring();
  for (std::uint32_t b = buildings.begin; b < buildings.end; ++b) {
    draw(NeedScope::Building, b, b, pop.building_residents(b), d, key, needs, pop, row);
    if (measuring && pop.building_residents(b).size() > 0)
      shared += expected(NeedScope::Building, b, d);
    const population::Range stairwells = pop.building_stairwells(b);
    for (std::uint32_t s = stairwells.begin; s < stairwells.end; ++s) {
      draw(NeedScope::Stairwell, s, s, pop.stairwell_residents(s), d, key, needs, pop, row);
      if (measuring && pop.stairwell_residents(s).size() > 0)
        shared += expected(NeedScope::Stairwell, s, d);
      const population::Range households = pop.stairwell_households(s);
      for (std::uint32_t h = households.begin; h < households.end; ++h) {
        // Empty dwellings have no household or resident needs (residential embedding).
        if (pop.household_vacant[h]) continue;
        const population::Range members = pop.household_residents(h);
        draw(NeedScope::Household, h, household_row(pop, b, h), members, d, key, needs, pop, row);
        for (std::uint32_t r = members.begin; r < members.end; ++r)
          draw(NeedScope::Resident, r, resident_row(pop, b, h, r), {r, r + 1}, d, key, needs, pop,
               row);
      }
    }
  }
  row.add(expected_, shared);
}

}  // namespace commsim::model
