#include "sim/population/population.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace commsim::population {

namespace {

constexpr Purpose kGroupPurpose = purpose("population.groups");
constexpr Purpose kBuildingPurpose = purpose("population.building");
constexpr Purpose kHouseholdPurpose = purpose("population.household");

// Group of each household: exact quotas (largest remainder), then shuffled. Exact quotas make
// the configured composition hold in every run, not just on average.
std::vector<std::uint8_t> household_groups(const scenario::CommunitySpec& spec, StreamKey key) {
  const auto n = static_cast<std::size_t>(spec.households);
  std::vector<std::size_t> count(spec.groups.size());
  std::vector<std::pair<double, std::size_t>> remainder;
  std::size_t assigned = 0;
  for (std::size_t g = 0; g < spec.groups.size(); ++g) {
    const double exact = spec.groups[g].share * static_cast<double>(n);
    count[g] = static_cast<std::size_t>(std::floor(exact));
    assigned += count[g];
    remainder.push_back({exact - std::floor(exact), g});
  }
  std::stable_sort(remainder.begin(), remainder.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; assigned < n; ++i, ++assigned)
    ++count[remainder[i % remainder.size()].second];

  std::vector<std::uint8_t> groups;
  groups.reserve(n);
  for (std::size_t g = 0; g < count.size(); ++g)
    groups.insert(groups.end(), count[g], static_cast<std::uint8_t>(g));
  Stream rng(key, kGroupPurpose, 0, 0);
  for (std::size_t i = n; i > 1; --i) std::swap(groups[i - 1], groups[rng.below(i)]);
  return groups;
}

struct AgeSampler {
  std::vector<double> all_weights;
  std::vector<double> adult_weights;  // household heads are adults
  const std::vector<scenario::AgeBand>* bands;

  std::int64_t adult_age;

  AgeSampler(const std::vector<scenario::AgeBand>& b, std::int64_t adult)
      : bands(&b), adult_age(adult) {
    for (const auto& band : b) {
      all_weights.push_back(band.share);
      adult_weights.push_back(band.to >= adult ? band.share : 0.0);
    }
    if (std::all_of(adult_weights.begin(), adult_weights.end(), [](double w) { return w <= 0; }))
      adult_weights = all_weights;
  }

  // Returns (age, band index).
  std::pair<int, std::size_t> draw(Stream& rng, bool head) const {
    const std::size_t band = rng.categorical(head ? adult_weights : all_weights);
    const auto& b = (*bands)[band];
    const auto from =
        head ? std::max<std::int64_t>(b.from, std::min<std::int64_t>(adult_age, b.to)) : b.from;
    const auto age =
        from + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(b.to - from + 1)));
    return {static_cast<int>(std::min<std::int64_t>(age, 255)), band};
  }
};

}  // namespace

double digital_access(const scenario::CommunitySpec& spec, std::size_t group, std::size_t band) {
  return std::min(
      1.0, spec.age_bands[band].digital_access * spec.groups[group].digital_access_multiplier);
}

std::vector<std::string> Population::grid_names() const {
  std::vector<std::string> names;
  for (std::uint32_t g = 0; g < grids(); ++g) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "grid_%02u", g + 1);
    names.emplace_back(buf);
  }
  return names;
}

Population build_population(const scenario::CommunitySpec& spec, StreamKey key) {
  Population p;
  for (const auto& g : spec.groups) p.group_names.push_back(g.name);

  const auto households = static_cast<std::uint32_t>(spec.households);
  const auto grids = static_cast<std::uint32_t>(
      std::max<std::int64_t>(1, std::llround(static_cast<double>(spec.households) /
                                             static_cast<double>(spec.households_per_grid))));
  const auto per_stairwell = static_cast<std::uint32_t>(spec.households_per_stairwell);
  const auto per_building = static_cast<std::uint32_t>(spec.stairwells_per_building);

  // Layout: grids of near-equal size, each filled with full stairwells and buildings (the last
  // of each may be partly filled).
  std::uint32_t household = 0;
  for (std::uint32_t g = 0; g < grids; ++g) {
    p.grid_first_building.push_back(p.buildings());
    p.grid_first_stairwell.push_back(p.stairwells());
    p.grid_first_household.push_back(household);
    const std::uint32_t in_grid = households / grids + (g < households % grids ? 1 : 0);
    const std::uint32_t grid_end = household + in_grid;
    while (household < grid_end) {
      const std::uint32_t building = p.buildings();
      p.building_grid.push_back(g);
      p.building_first_stairwell.push_back(p.stairwells());
      Stream rng(key, kBuildingPurpose, building, 0);
      p.building_age.push_back(
          static_cast<float>(rng.uniform(spec.building_age_min, spec.building_age_max)));
      for (std::uint32_t s = 0; s < per_building && household < grid_end; ++s) {
        const std::uint32_t stairwell = p.stairwells();
        p.stairwell_building.push_back(building);
        p.stairwell_first_household.push_back(household);
        for (std::uint32_t k = 0; k < per_stairwell && household < grid_end; ++k, ++household)
          p.household_stairwell.push_back(stairwell);
      }
    }
  }
  p.grid_first_building.push_back(p.buildings());
  p.grid_first_stairwell.push_back(p.stairwells());
  p.grid_first_household.push_back(household);
  p.building_first_stairwell.push_back(p.stairwells());
  p.stairwell_first_household.push_back(household);

  // Households and their members.
  p.household_group = household_groups(spec, key);
  const AgeSampler ages(spec.age_bands, spec.adult_age);
  p.household_low_income.resize(households);
  p.household_income_draw.resize(households);
  p.household_has_elderly.resize(households);
  p.household_has_child.resize(households);
  p.household_vacant.assign(households, 0);
  p.grid_first_resident.assign(grids + 1, 0);
  std::uint32_t grid = 0;
  for (std::uint32_t h = 0; h < households; ++h) {
    while (h >= p.grid_first_household[grid + 1]) p.grid_first_resident[++grid] = p.residents();
    p.household_first_resident.push_back(p.residents());
    Stream rng(key, kHouseholdPurpose, h, 0);
    const std::size_t size = rng.categorical(spec.household_size_weights) + 1;
    const auto group = p.household_group[h];
    p.household_income_draw[h] = rng.uniform();
    p.household_low_income[h] =
        p.household_income_draw[h] < scenario::low_income_share(spec, group);
    for (std::size_t m = 0; m < size; ++m) {
      const auto [age, band] = ages.draw(rng, m == 0);
      const bool elderly = age >= spec.elderly_age;
      const double low_p =
          std::min(1.0, spec.groups[group].low_proficiency *
                            (elderly ? spec.low_proficiency_elderly_multiplier : 1.0));
      const bool low = rng.bernoulli(low_p);
      p.resident_household.push_back(h);
      p.resident_group.push_back(group);
      p.resident_age.push_back(static_cast<std::uint8_t>(age));
      p.resident_age_band.push_back(static_cast<std::uint8_t>(band));
      p.resident_elderly.push_back(elderly);
      p.resident_child.push_back(age <= spec.child_age);
      p.resident_digital_draw.push_back(rng.uniform());
      p.resident_digital.push_back(p.resident_digital_draw.back() <
                                   digital_access(spec, group, band));
      p.resident_proficiency.push_back(
          static_cast<float>(low ? rng.uniform(0.1, 0.5) : rng.uniform(0.6, 1.0)));
      p.household_has_elderly[h] |= elderly;
      p.household_has_child[h] |= age <= spec.child_age;
    }
  }
  while (grid < grids) p.grid_first_resident[++grid] = p.residents();
  p.household_first_resident.push_back(p.residents());
  return p;
}

}  // namespace commsim::population
