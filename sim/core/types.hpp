#pragma once
// Ids and days as strong types: a GridId cannot be passed where a HouseholdId is meant.
// Inside the day loop, state lives in plain arrays indexed by .value.

#include <compare>
#include <cstdint>

namespace commsim {

template <class Tag, class Rep = std::uint32_t>
struct StrongId {
  Rep value{};
  constexpr StrongId() = default;
  constexpr explicit StrongId(Rep v) : value(v) {}
  constexpr auto operator<=>(const StrongId&) const = default;
};

using GridId = StrongId<struct GridTag>;
using BuildingId = StrongId<struct BuildingTag>;
using StairwellId = StrongId<struct StairwellTag>;
using HouseholdId = StrongId<struct HouseholdTag>;
using ResidentId = StrongId<struct ResidentTag>;
using Day = StrongId<struct DayTag, std::int32_t>;

}  // namespace commsim
