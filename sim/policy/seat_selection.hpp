#pragma once
// Who sits on a council (`councils.seat_selection`): each meeting the rule fills the seats from
// the eligible residents (adults in occupied dwellings of the council's area).
//   random        - a random sample (a mini-public drawn by lot)
//   proportional  - seats per ethnic group by the largest remainder of the group's share of the
//                   eligible residents, then random within the group (ethnic-unity councils [001])
//   proportional_min_one - first one seat for every group with an eligible resident (the
//                   largest groups first if seats are fewer than groups), then the other seats by
//                   the largest remainder of the groups' shares, random within the group: every
//                   group has a voice, as [001]'s ethnic-unity councils put it
//   stewards_first- the most engaged first: residents in order of trust in the organisation
//                   (stand-in for stewards and volunteers until they are explicit agents)
//   open          - no seats: each eligible resident comes with a probability driven by trust and
//                   interest (bench meetings, round tables)
// Adding a rule = one function + one line in the table in seat_selection.cpp + one test.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/policy/registry.hpp"

namespace commsim::policy {

struct SeatCandidates {
  std::span<const std::uint32_t> eligible;  // resident indices, ascending
  std::span<const std::uint8_t> group;      // by resident (the whole community)
  std::uint32_t groups = 1;
  std::span<const float> trust;     // by resident, 0..1
  std::span<const float> interest;  // by resident, mean 1
  std::int64_t seats = 0;
  double open_attendance = 0;  // open: probability at trust 0.5 and interest 1
};

// Appends the seated residents to `seated` (ascending resident index).
using SeatRule = void (*)(const SeatCandidates&, Stream& rng, std::vector<std::uint32_t>& seated);

// The registered seat rules, in the order of the table in seat_selection.cpp.
enum class SeatSelection : std::uint8_t {
  Random,
  Proportional,
  ProportionalMinOne,
  StewardsFirst,
  Open
};

struct NamedSeatRule {
  SeatSelection id;
  std::string_view name;
  SeatRule fn;
  std::string_view doc;
};

std::span<const NamedSeatRule> seat_rules();
SeatRule seat_rule(SeatSelection id);  // the rule registered under `id`
SeatRule find_seat_rule(std::string_view name);

}  // namespace commsim::policy
