// libFuzzer target: the household register reader (community.register) as the loader calls it,
// on the default community (its groups and age bands). An input is the CSV file's text. Every
// rejection must be a ScenarioError (exit 2, naming the file, line and column); any other
// exception, a crash or a sanitizer report is a finding. So is a register that is accepted but
// breaks its own layout (offsets that do not nest) or that does not read back to itself from
// the CSV text register_csv writes (what `commsim register` relies on).
//   scripts/fuzz register      (corpus: tests/fuzz/corpus/register)

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "sim/scenario/error.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/register.hpp"

namespace {

namespace sc = commsim::scenario;

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "fuzz_register: %s\n", what.c_str());
  std::abort();
}

template <class Offsets>
void nests(const Offsets& first, std::size_t count, std::size_t inner, const char* what) {
  if (first.size() != count + 1 || first.front() != 0 || first.back() != inner)
    finding(std::string("the offsets of ") + what + " do not span their entities");
  for (std::size_t i = 0; i < count; ++i)
    if (first[i] > first[i + 1]) finding(std::string("the offsets of ") + what + " decrease");
}

void check(const sc::Register& r) {
  nests(r.grid_first_building, r.grids(), r.buildings(), "grids");
  nests(r.building_first_stairwell, r.buildings(), r.stairwells(), "buildings");
  nests(r.stairwell_first_household, r.stairwells(), r.households(), "stairwells");
  nests(r.household_first_member, r.households(), r.members(), "households");
  for (std::uint32_t h = 0; h < r.households(); ++h)
    if (r.household_first_member[h] == r.household_first_member[h + 1])
      finding("a household without members");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sc::CommunitySpec community =
      sc::load_scenario_text("", "defaults.yaml").scenario.community;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto reg = sc::parse_register(text, "fuzz.csv", community);
    check(*reg);
    const std::string csv = sc::register_csv(*reg, community);
    const auto again = sc::parse_register(csv, "again.csv", community);
    if (sc::register_csv(*again, community) != csv)
      finding("the register's CSV text does not read back to itself");
    if (again->household_names != reg->household_names || again->member_age != reg->member_age)
      finding("the register's CSV text reads back to other households");
  } catch (const sc::ScenarioError&) {
    // A clear message with its place: what bad input must give.
  } catch (const std::exception& e) {
    finding(std::string("not a ScenarioError (commsim would exit 1): ") + e.what());
  }
  return 0;
}
