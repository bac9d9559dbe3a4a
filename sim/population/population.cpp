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

// Ages of one group's members: its band shares (scenario::age_shares), heads from the bands
// that reach adult_age.
struct AgeSampler {
  std::vector<double> all_weights;
  std::vector<double> adult_weights;  // household heads are adults
  const std::vector<scenario::AgeBand>* bands;

  std::int64_t adult_age;

  AgeSampler(const std::vector<scenario::AgeBand>& b, const std::vector<double>& shares,
             std::int64_t adult)
      : bands(&b), adult_age(adult) {
    for (std::size_t i = 0; i < b.size(); ++i) {
      all_weights.push_back(shares[i]);
      adult_weights.push_back(b[i].to >= adult ? shares[i] : 0.0);
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

// A draw below `share` for a flag the register gives: uniform in [0, share) for a set flag, in
// [share, 1) for a clear one. The draw stays uniform over households when the flags follow the
// share, so a household of another group moving into the dwelling later gets its group's share
// from it (Embedding::settle), as in a synthetic community.
// A flag the share rules out (set with share 0, clear with share 1) keeps the plain draw, so
// no dwelling's draw sits on the bound.
double draw_for(bool flag, double share, double u) {
  if ((flag && share <= 0) || (!flag && share >= 1)) return u;
  return flag ? u * share : share + u * (1.0 - share);
}

std::size_t band_of(const scenario::CommunitySpec& spec, int age) {
  for (std::size_t b = 0; b < spec.age_bands.size(); ++b)
    if (spec.age_bands[b].from <= age && age <= spec.age_bands[b].to) return b;
  return 0;  // the register's ages were checked against the bands when it was read
}

Population from_register(const scenario::CommunitySpec& spec, const scenario::Register& reg,
                         StreamKey key);

// Both builders fill households and members the same way: the household arrays sized with every
// flag clear and every dwelling occupied; each household opened (its first resident, and that of
// each grid it starts); its members appended; the offsets closed after the last one.
struct MemberFiller {
  Population& p;
  const scenario::CommunitySpec& spec;
  std::uint32_t grid = 0;

  MemberFiller(Population& population, const scenario::CommunitySpec& s) : p(population), spec(s) {
    const std::uint32_t households = p.households();
    p.household_low_income.assign(households, 0);
    p.household_income_draw.assign(households, 0.0);
    p.household_has_elderly.assign(households, 0);
    p.household_has_child.assign(households, 0);
    p.household_vacant.assign(households, 0);
    p.grid_first_resident.assign(p.grids() + 1, 0);
  }
  void open(std::uint32_t h) {
    while (h >= p.grid_first_household[grid + 1]) p.grid_first_resident[++grid] = p.residents();
    p.household_first_resident.push_back(p.residents());
  }
  void add(std::uint32_t h, std::uint8_t group, int age, std::size_t band, double digital_draw,
           bool digital, float proficiency) {
    const bool elderly = age >= spec.elderly_age, child = age <= spec.child_age;
    p.resident_household.push_back(h);
    p.resident_group.push_back(group);
    p.resident_age.push_back(static_cast<std::uint8_t>(age));
    p.resident_age_band.push_back(static_cast<std::uint8_t>(band));
    p.resident_elderly.push_back(elderly);
    p.resident_child.push_back(child);
    p.resident_digital_draw.push_back(digital_draw);
    p.resident_digital.push_back(digital);
    p.resident_proficiency.push_back(proficiency);
    p.household_has_elderly[h] |= elderly;
    p.household_has_child[h] |= child;
  }
  void close() {
    while (grid < p.grids()) p.grid_first_resident[++grid] = p.residents();
    p.household_first_resident.push_back(p.residents());
  }
};

}  // namespace

double low_proficiency_chance(const scenario::CommunitySpec& spec, std::size_t group,
                              bool elderly) {
  return std::min(1.0, spec.groups[group].low_proficiency *
                           (elderly ? spec.low_proficiency_elderly_multiplier : 1.0));
}

float proficiency_draw(bool low, Stream& rng) {
  return static_cast<float>(low ? rng.uniform(0.1, 0.5) : rng.uniform(0.6, 1.0));
}

double digital_access(const scenario::CommunitySpec& spec, std::size_t group, std::size_t band) {
  return std::min(
      1.0, spec.age_bands[band].digital_access * spec.groups[group].digital_access_multiplier);
}

std::vector<std::string> Population::grid_names() const {
  if (!grid_labels.empty()) return grid_labels;
  std::vector<std::string> names;
  for (std::uint32_t g = 0; g < grids(); ++g) names.push_back(scenario::grid_label(g));
  return names;
}

Population build_population(const scenario::CommunitySpec& spec, StreamKey key) {
  if (spec.household_register) return from_register(spec, *spec.household_register, key);
  Population p;
  for (const auto& g : spec.groups) p.group_names.push_back(g.name);

  const auto households = static_cast<std::uint32_t>(spec.households);
  const std::uint32_t grids = scenario::grid_count(spec);
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
  std::vector<AgeSampler> ages;
  for (std::size_t g = 0; g < spec.groups.size(); ++g)
    ages.emplace_back(spec.age_bands, scenario::age_shares(spec, g), spec.adult_age);
  MemberFiller members(p, spec);
  for (std::uint32_t h = 0; h < households; ++h) {
    members.open(h);
    Stream rng(key, kHouseholdPurpose, h, 0);
    const auto group = p.household_group[h];
    const std::size_t size = rng.categorical(scenario::size_weights(spec, group)) + 1;
    p.household_income_draw[h] = rng.uniform();
    p.household_low_income[h] =
        p.household_income_draw[h] < scenario::low_income_share(spec, group);
    for (std::size_t m = 0; m < size; ++m) {
      const auto [age, band] = ages[group].draw(rng, m == 0);
      const bool low = rng.bernoulli(low_proficiency_chance(spec, group, age >= spec.elderly_age));
      // In this order: the app-use draw, then the proficiency's.
      const double digital_draw = rng.uniform();
      const float proficiency = proficiency_draw(low, rng);
      members.add(h, group, age, band, digital_draw,
                  digital_draw < digital_access(spec, group, band), proficiency);
    }
  }
  members.close();
  return p;
}

namespace {

constexpr Purpose kRegisterPurpose = purpose("population.register");

// The community as its register gives it; what the register leaves empty is drawn as the
// synthetic builder draws it: building ages from the builder's own stream by building, the rest
// from the stream "population.register" by household.
Population from_register(const scenario::CommunitySpec& spec, const scenario::Register& reg,
                         StreamKey key) {
  Population p;
  for (const auto& g : spec.groups) p.group_names.push_back(g.name);
  p.grid_labels = reg.grid_names;
  const auto offsets = [](const std::vector<std::uint32_t>& first,
                          const std::vector<std::uint32_t>& inner) {
    std::vector<std::uint32_t> out;
    for (const auto f : first) out.push_back(inner[f]);
    return out;
  };
  p.grid_first_building = reg.grid_first_building;
  p.grid_first_stairwell = offsets(reg.grid_first_building, reg.building_first_stairwell);
  p.grid_first_household = offsets(p.grid_first_stairwell, reg.stairwell_first_household);
  p.building_first_stairwell = reg.building_first_stairwell;
  p.stairwell_first_household = reg.stairwell_first_household;
  for (std::uint32_t g = 0; g < reg.grids(); ++g)
    for (std::uint32_t b = reg.grid_first_building[g]; b < reg.grid_first_building[g + 1]; ++b) {
      p.building_grid.push_back(g);
      Stream rng(key, kBuildingPurpose, b, 0);
      const double drawn = rng.uniform(spec.building_age_min, spec.building_age_max);
      p.building_age.push_back(reg.building_age[b] == scenario::Register::kDrawnValue
                                   ? static_cast<float>(drawn)
                                   : reg.building_age[b]);
      for (std::uint32_t s = reg.building_first_stairwell[b];
           s < reg.building_first_stairwell[b + 1]; ++s) {
        p.stairwell_building.push_back(b);
        for (std::uint32_t h = reg.stairwell_first_household[s];
             h < reg.stairwell_first_household[s + 1]; ++h)
          p.household_stairwell.push_back(s);
      }
    }

  const std::uint32_t households = reg.households();
  p.household_group = reg.household_group;
  p.household_floor = reg.household_floor;
  if (std::all_of(p.household_floor.begin(), p.household_floor.end(),
                  [](std::int16_t f) { return f == scenario::Register::kNoFloor; }))
    p.household_floor.clear();
  MemberFiller members(p, spec);
  for (std::uint32_t h = 0; h < households; ++h) {
    members.open(h);
    Stream rng(key, kRegisterPurpose, h, 0);
    const auto group = p.household_group[h];
    const double income_share = scenario::low_income_share(spec, group);
    const double u = rng.uniform();
    const std::int8_t given = reg.household_low_income[h];
    p.household_income_draw[h] =
        given == scenario::Register::kDrawn ? u : draw_for(given == 1, income_share, u);
    p.household_low_income[h] = given == scenario::Register::kDrawn ? u < income_share : given == 1;
    for (std::uint32_t m = reg.household_first_member[h]; m < reg.household_first_member[h + 1];
         ++m) {
      const int age = reg.member_age[m];
      const std::size_t band = band_of(spec, age);
      const bool low = rng.bernoulli(low_proficiency_chance(spec, group, age >= spec.elderly_age));
      const float drawn_proficiency = proficiency_draw(low, rng);
      const double access = digital_access(spec, group, band);
      const double v = rng.uniform();
      const std::int8_t digital = reg.member_digital[m];
      const bool app_given = digital != scenario::Register::kDrawn;
      members.add(h, group, age, band, app_given ? draw_for(digital == 1, access, v) : v,
                  app_given ? digital == 1 : v < access,
                  reg.member_proficiency[m] == scenario::Register::kDrawnValue
                      ? drawn_proficiency
                      : reg.member_proficiency[m]);
    }
  }
  members.close();
  return p;
}

}  // namespace

scenario::Register as_register(const Population& p, const scenario::Scenario& s) {
  scenario::Register reg;
  const scenario::Register* given = s.community.household_register.get();
  const auto name = [](char prefix, std::uint32_t i, int width) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%c%0*u", prefix, width, i + 1);
    return std::string(buf);
  };
  reg.grids_given = true;
  reg.grid_names = p.grid_names();
  reg.grid_first_building = p.grid_first_building;
  reg.building_first_stairwell = p.building_first_stairwell;
  reg.stairwell_first_household = p.stairwell_first_household;
  reg.household_first_member = p.household_first_resident;
  for (std::uint32_t b = 0; b < p.buildings(); ++b) {
    reg.building_names.push_back(given ? given->building_names[b] : name('B', b, 4));
    reg.building_age.push_back(p.building_age[b]);
  }
  for (std::uint32_t h = 0; h < p.households(); ++h) {
    reg.household_names.push_back(given ? given->household_names[h] : name('H', h, 6));
    reg.household_line.push_back(0);
    reg.household_group.push_back(p.household_group[h]);
    reg.household_low_income.push_back(static_cast<std::int8_t>(p.household_low_income[h]));
    // Floors only where the community has them (from its own register): without them the
    // lattice fills embedding.doors_per_floor doors a floor in the stairwell's order, which the
    // register keeps.
    reg.household_floor.push_back(p.household_floor.empty() ? scenario::Register::kNoFloor
                                                            : p.household_floor[h]);
  }
  for (std::uint32_t r = 0; r < p.residents(); ++r) {
    reg.member_age.push_back(p.resident_age[r]);
    reg.member_proficiency.push_back(p.resident_proficiency[r]);
    reg.member_digital.push_back(static_cast<std::int8_t>(p.resident_digital[r]));
  }
  return reg;
}

}  // namespace commsim::population
