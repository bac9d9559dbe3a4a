#pragma once
// Which vacant dwelling a moving household gets (`embedding.allocation`). The mechanism samples
// `embedding.search_candidates` vacancies and gives the rule, for each, the share of same-group
// households among its occupied neighbours.
//   free_choice - Schelling's rule: the first candidate where the share reaches the household's
//                 wanted share (the homophily threshold); none: a relocating household stays,
//                 an in-mover takes the first candidate
//   mixing      - allocation that mixes groups (Kashgar [004]): an in-mover gets the candidate
//                 with the lowest same-group share; a household asking to relocate is offered the
//                 most mixed candidate it accepts (one with a higher same-group share than where
//                 it lives now), else it stays
// Adding a rule = one function + one line in the table in housing_allocation.cpp + one test.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "sim/policy/registry.hpp"

namespace commsim::policy {

inline constexpr std::size_t kNoDwelling = static_cast<std::size_t>(-1);

// Returns the chosen candidate's position in `same_group_share`, or kNoDwelling. `current` is
// the mover's present same-group share (a relocating household); an in-mover has none and
// must_move is true.
using AllocationRule = std::size_t (*)(std::span<const double> same_group_share, double threshold,
                                       double current, bool must_move);

// The registered allocation rules, in the order of the table in housing_allocation.cpp.
enum class Allocation : std::uint8_t { FreeChoice, Mixing };

struct NamedAllocationRule {
  Allocation id;
  std::string_view name;
  AllocationRule fn;
  std::string_view doc;
};

std::span<const NamedAllocationRule> allocation_rules();
AllocationRule allocation_rule(Allocation id);  // the rule registered under `id`
AllocationRule find_allocation_rule(std::string_view name);

}  // namespace commsim::policy
