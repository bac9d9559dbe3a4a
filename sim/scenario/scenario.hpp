#pragma once
// The scenario as a plain, validated, immutable value: every default filled in, every range
// checked. Nothing in the day loop reads YAML or looks up a key by name. The meaning, default,
// unit, range and source of every field are in the schema (scenario_schema.cpp), not here.

#include <cstdint>
#include <string>
#include <vector>

namespace commsim::scenario {

struct RunSpec {
  std::int64_t days = 0;
  std::uint64_t seed = 0;
  std::int64_t start_weekday = 0;  // 0 = Monday
};

struct GroupSpec {
  std::string name;
  double share = 0;
  double low_proficiency = 0;  // share with low proficiency in the common language
};

struct AgeBand {
  std::string name;
  std::int64_t from = 0;  // years, inclusive
  std::int64_t to = 0;    // years, inclusive
  double share = 0;
  double digital_access = 0;  // share able to use a smartphone app
};

struct CommunitySpec {
  std::string name;
  std::int64_t households = 0;
  std::vector<double> household_size_weights;  // index i: households of i + 1 people
  std::vector<GroupSpec> groups;
  std::vector<AgeBand> age_bands;
  std::int64_t elderly_age = 0;
  std::int64_t child_age = 0;  // oldest age counted as a child
  std::int64_t adult_age = 0;  // youngest age of a household head
  double low_proficiency_elderly_multiplier = 1;
  double low_income_share = 0;
  std::int64_t households_per_grid = 0;
  std::int64_t households_per_stairwell = 0;
  std::int64_t stairwells_per_building = 0;
  double building_age_min = 0;  // years
  double building_age_max = 0;  // years
};

enum class NeedScope : std::uint8_t { Resident, Household, Stairwell, Building };
enum class NeedWho : std::uint8_t { Any, Elderly, Child, LowIncome };

struct NeedType {
  std::string name;
  NeedScope scope = NeedScope::Household;
  NeedWho who = NeedWho::Any;
  double rate = 0;                       // per exposed unit per year
  double elderly_multiplier = 1;         // units with an elderly resident
  double low_income_multiplier = 1;      // low-income households
  double building_age_growth = 0;        // rate multiplied by (1 + g) per decade of building age
  std::vector<double> severity_weights;  // minor, moderate, serious
};

struct NeedsSpec {
  std::vector<NeedType> types;
};

struct Scenario {
  std::string extends;  // kept for the record; the loader has already merged the base
  RunSpec run;
  CommunitySpec community;
  NeedsSpec needs;
};

}  // namespace commsim::scenario
