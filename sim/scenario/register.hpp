#pragma once
// A community from its own register: the household register a grid system keeps (one row per
// household), read from the CSV file that community.register names, instead of the synthetic
// builder. Read and checked when the scenario is loaded, so `validate` reports a bad row as `run`
// does: file, line, column, what was expected; exit 2.
//
// The columns are one table (register_columns()), which docs/scenario.md is generated from. Only
// household, building, group and ages are required; a cell left empty (or a column left out)
// is drawn as the synthetic builder draws it, from the group's inputs in community.groups.

#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "sim/scenario/error.hpp"

namespace commsim::scenario {

struct CommunitySpec;

struct RegisterColumn {
  const char* name;
  bool required;
  const char* meaning;
};
// Every column a register may have, in the order docs/scenario.md lists them.
const std::vector<RegisterColumn>& register_columns();
// Those columns as the Markdown section of docs/scenario.md (`commsim schema`).
std::string register_markdown();

// The name of grid g (from 0) where nothing names it: grid_01, grid_02, ... (a synthetic
// community's grids, and a register's cut from its buildings).
std::string grid_label(std::size_t g);

// The register as arrays, ordered as the population is (grid > building > stairwell >
// household), so the builder copies it in order. Households of a stairwell keep the file's order
// (by floor where floors are given).
struct Register {
  static constexpr float kDrawnValue = -1.0f;  // a proficiency or building age to be drawn
  static constexpr std::int8_t kDrawn = -1;    // a low-income or app-use flag to be drawn
  static constexpr std::int16_t kNoFloor = std::numeric_limits<std::int16_t>::min();

  std::string file;          // the path read, as resolved from the scenario
  std::string text;          // the file's bytes, recorded in the run's provenance
  std::uint64_t digest = 0;  // fnv1a64 of text: part of a sweep's and a calibration's fingerprint
  bool grids_given = false;  // the file has a grid column; else grids are cut from buildings

  std::vector<std::string> grid_names;
  std::vector<std::uint32_t> grid_first_building;  // size grids + 1

  std::vector<std::string> building_names;
  std::vector<float> building_age;                      // years, or kDrawnValue
  std::vector<std::uint32_t> building_first_stairwell;  // size buildings + 1

  std::vector<std::uint32_t> stairwell_first_household;  // size stairwells + 1

  std::vector<std::string> household_names;
  std::vector<std::uint32_t> household_line;  // its line in the file, for messages
  std::vector<std::uint8_t> household_group;  // index into community.groups
  std::vector<std::int8_t> household_low_income;
  std::vector<std::int16_t> household_floor;          // or kNoFloor
  std::vector<std::uint32_t> household_first_member;  // size households + 1

  // Members, head first.
  std::vector<std::uint8_t> member_age;
  std::vector<float> member_proficiency;  // common language, 0..1, or kDrawnValue
  std::vector<std::int8_t> member_digital;

  std::uint32_t grids() const { return static_cast<std::uint32_t>(grid_names.size()); }
  std::uint32_t buildings() const { return static_cast<std::uint32_t>(building_names.size()); }
  std::uint32_t stairwells() const {
    return static_cast<std::uint32_t>(stairwell_first_household.size() - 1);
  }
  std::uint32_t households() const { return static_cast<std::uint32_t>(household_names.size()); }
  std::uint32_t members() const { return static_cast<std::uint32_t>(member_age.size()); }
};

// Reads and checks the register at `file` against the community (group names, age bands and,
// without a grid column, households_per_grid and households_per_stairwell). `where` is the
// community.register key, where a file that cannot be read is reported; a bad row is reported at
// its own line and column in the register. Throws ScenarioError. A register already held by
// another scenario (a sweep's other points) is not parsed or held twice.
std::shared_ptr<const Register> read_register(const std::filesystem::path& file,
                                              const CommunitySpec& community,
                                              const Location& where);

// The same from the file's text (`file` names it in messages): what read_register does once it
// has read the file, and what the register fuzz target drives.
std::shared_ptr<const Register> parse_register(std::string text, const std::string& file,
                                               const CommunitySpec& community);

// The register as CSV text with every column, one row per household: what read_register reads
// back to the same register (the round trip `commsim register` and the tests rely on).
std::string register_csv(const Register& reg, const CommunitySpec& community);

}  // namespace commsim::scenario
