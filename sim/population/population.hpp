#pragma once
// The community as arrays (structure of arrays), built once from the scenario.
//
// Entities nest: grid > building > stairwell > household > resident, and every array is ordered
// by grid, so one grid's buildings, stairwells, households and residents are each a contiguous
// range [first[g], first[g + 1]). A mechanism that works on grid g touches only those ranges.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/core/types.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::population {

// A half-open range of indices [begin, end).
struct Range {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint32_t size() const { return end - begin; }
};

struct Population {
  std::vector<std::string> group_names;
  // The grids' names when a register gives them (community.register); else grid_names() numbers
  // them.
  std::vector<std::string> grid_labels;

  // Grids: offsets of each grid's first entity; size = grids + 1.
  std::vector<std::uint32_t> grid_first_building;
  std::vector<std::uint32_t> grid_first_stairwell;
  std::vector<std::uint32_t> grid_first_household;
  std::vector<std::uint32_t> grid_first_resident;

  // Buildings.
  std::vector<std::uint32_t> building_grid;
  std::vector<float> building_age;                      // years
  std::vector<std::uint32_t> building_first_stairwell;  // size = buildings + 1

  // Stairwells (units).
  std::vector<std::uint32_t> stairwell_building;
  std::vector<std::uint32_t> stairwell_first_household;  // size = stairwells + 1

  // Households.
  std::vector<std::uint32_t> household_stairwell;
  std::vector<std::uint32_t> household_first_resident;  // size = households + 1
  std::vector<std::uint8_t> household_group;
  std::vector<std::uint8_t> household_low_income;
  // The uniform draw behind household_low_income (low income when below the group's share),
  // kept so a household of another group moving in gets its group's share from the same draw.
  std::vector<double> household_income_draw;
  std::vector<std::uint8_t> household_has_elderly;
  std::vector<std::uint8_t> household_has_child;
  // 1 while the dwelling (household slot) is empty; its resident slots are then unoccupied and
  // every mechanism skips them (written by the embedding mechanism, sim/model/embedding.cpp).
  std::vector<std::uint8_t> household_vacant;
  // The dwelling's floor, when a register gives floors (empty otherwise: a stairwell's dwellings
  // then fill embedding.doors_per_floor doors a floor, in order).
  std::vector<std::int16_t> household_floor;

  // Residents.
  std::vector<std::uint32_t> resident_household;
  std::vector<std::uint8_t> resident_group;
  std::vector<std::uint8_t> resident_age;       // years
  std::vector<std::uint8_t> resident_age_band;  // index into community.age_bands, as drawn
  std::vector<std::uint8_t> resident_elderly;   // age >= community.elderly_age
  std::vector<std::uint8_t> resident_child;     // age <= community.child_age
  std::vector<std::uint8_t> resident_digital;   // can use the app
  std::vector<double> resident_digital_draw;    // its uniform draw (as household_income_draw)
  std::vector<float> resident_proficiency;      // common language, 0..1; low below 0.5

  std::uint32_t grids() const {
    return static_cast<std::uint32_t>(grid_first_household.size() - 1);
  }
  std::uint32_t buildings() const { return static_cast<std::uint32_t>(building_grid.size()); }
  std::uint32_t stairwells() const { return static_cast<std::uint32_t>(stairwell_building.size()); }
  std::uint32_t households() const {
    return static_cast<std::uint32_t>(household_stairwell.size());
  }
  std::uint32_t residents() const { return static_cast<std::uint32_t>(resident_household.size()); }
  std::uint32_t groups() const { return static_cast<std::uint32_t>(group_names.size()); }

  Range grid_buildings(GridId g) const {
    return {grid_first_building[g.value], grid_first_building[g.value + 1]};
  }
  Range grid_stairwells(GridId g) const {
    return {grid_first_stairwell[g.value], grid_first_stairwell[g.value + 1]};
  }
  Range grid_households(GridId g) const {
    return {grid_first_household[g.value], grid_first_household[g.value + 1]};
  }
  Range grid_residents(GridId g) const {
    return {grid_first_resident[g.value], grid_first_resident[g.value + 1]};
  }
  Range household_residents(std::uint32_t h) const {
    return {household_first_resident[h], household_first_resident[h + 1]};
  }
  Range stairwell_households(std::uint32_t s) const {
    return {stairwell_first_household[s], stairwell_first_household[s + 1]};
  }
  Range stairwell_residents(std::uint32_t s) const {
    const Range h = stairwell_households(s);
    return {household_first_resident[h.begin], household_first_resident[h.end]};
  }
  Range building_stairwells(std::uint32_t b) const {
    return {building_first_stairwell[b], building_first_stairwell[b + 1]};
  }
  Range building_residents(std::uint32_t b) const {
    const Range s = building_stairwells(b);
    return {stairwell_residents(s.begin).begin, stairwell_residents(s.end - 1).end};
  }
  std::uint32_t household_grid(std::uint32_t h) const {
    return building_grid[stairwell_building[household_stairwell[h]]];
  }
  std::uint32_t resident_grid(std::uint32_t r) const {
    return household_grid(resident_household[r]);
  }
  bool resident_vacant(std::uint32_t r) const {
    return household_vacant[resident_household[r]] != 0;
  }
  std::vector<std::string> grid_names() const;  // "grid_01", ...
};

// Builds the community: from community.register when the scenario names one, else synthetic.
// Deterministic in (scenario, seed): draws come from streams with the purposes "population.*",
// keyed by household or building.
Population build_population(const scenario::CommunitySpec& spec, StreamKey key);

// The community as a register with every column given (community.register reads it back to the
// same households, members and layout): what `commsim register` writes, so a user starts their
// own register from a scenario's community. Names come from the scenario's register, else are
// numbered (H000001, B0001); floors only when the community has its own (from a register).
scenario::Register as_register(const Population& p, const scenario::Scenario& s);

// A group's input (community.groups[]): the share of its residents in age band `band` who can use
// the app (its share of low-income households: scenario::low_income_share).
double digital_access(const scenario::CommunitySpec& spec, std::size_t group, std::size_t band);

// A member's common-language proficiency, as every household is given it (the first ones and
// those moving in): low with this chance (the group's low_proficiency, times
// low_proficiency_elderly_multiplier for the elderly), then the value, 0.1-0.5 when low, else
// 0.6-1.0, from the next draw of the same stream.
double low_proficiency_chance(const scenario::CommunitySpec& spec, std::size_t group, bool elderly);
float proficiency_draw(bool low, Stream& rng);

}  // namespace commsim::population
