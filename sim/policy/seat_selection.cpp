#include "sim/policy/seat_selection.hpp"

#include <algorithm>
#include <cmath>

namespace commsim::policy {

namespace {

// k distinct elements of `from` by a partial Fisher-Yates shuffle, appended to out.
void sample(std::vector<std::uint32_t> from, std::size_t k, Stream& rng,
            std::vector<std::uint32_t>& out) {
  k = std::min(k, from.size());
  for (std::size_t i = 0; i < k; ++i) std::swap(from[i], from[i + rng.below(from.size() - i)]);
  out.insert(out.end(), from.begin(), from.begin() + static_cast<std::ptrdiff_t>(k));
}

void random(const SeatCandidates& c, Stream& rng, std::vector<std::uint32_t>& seated) {
  const auto first = seated.size();
  sample({c.eligible.begin(), c.eligible.end()}, static_cast<std::size_t>(c.seats), rng, seated);
  std::sort(seated.begin() + static_cast<std::ptrdiff_t>(first), seated.end());
}

// Residents of the eligible pool by group.
std::vector<std::vector<std::uint32_t>> by_group(const SeatCandidates& c) {
  std::vector<std::vector<std::uint32_t>> out(c.groups);
  for (auto r : c.eligible) out[c.group[r]].push_back(r);
  return out;
}

// Adds `seats` seats to `quota` in proportion to the groups' sizes, by the largest remainder
// (ties to the lower group index).
void largest_remainder(const std::vector<std::vector<std::uint32_t>>& groups, std::size_t seats,
                       std::vector<std::size_t>& quota) {
  double n = 0;
  for (const auto& g : groups) n += static_cast<double>(g.size());
  std::vector<std::pair<double, std::uint32_t>> remainder;
  std::size_t given = 0;
  for (std::uint32_t g = 0; g < groups.size(); ++g) {
    const double exact = n > 0 ? static_cast<double>(seats) * groups[g].size() / n : 0.0;
    quota[g] += static_cast<std::size_t>(std::floor(exact));
    given += static_cast<std::size_t>(std::floor(exact));
    remainder.push_back({exact - std::floor(exact), g});
  }
  std::stable_sort(remainder.begin(), remainder.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; given < seats && i < remainder.size(); ++i, ++given)
    ++quota[remainder[i].second];
}

// Fills each group's quota at random within the group; the seated list ends ascending.
void seat_quotas(const std::vector<std::vector<std::uint32_t>>& groups,
                 const std::vector<std::size_t>& quota, Stream& rng,
                 std::vector<std::uint32_t>& seated) {
  const auto first = seated.size();
  for (std::uint32_t g = 0; g < groups.size(); ++g) sample(groups[g], quota[g], rng, seated);
  std::sort(seated.begin() + static_cast<std::ptrdiff_t>(first), seated.end());
}

void proportional(const SeatCandidates& c, Stream& rng, std::vector<std::uint32_t>& seated) {
  const auto groups = by_group(c);
  std::vector<std::size_t> quota(c.groups, 0);
  largest_remainder(
      groups, std::min<std::size_t>(static_cast<std::size_t>(c.seats), c.eligible.size()), quota);
  seat_quotas(groups, quota, rng, seated);
}

void proportional_min_one(const SeatCandidates& c, Stream& rng,
                          std::vector<std::uint32_t>& seated) {
  const auto groups = by_group(c);
  auto seats = std::min<std::size_t>(static_cast<std::size_t>(c.seats), c.eligible.size());
  // One seat for every group with an eligible resident, the largest groups first when there are
  // fewer seats than groups; then the rest in proportion, no group above its size.
  std::vector<std::uint32_t> order(c.groups);
  for (std::uint32_t g = 0; g < c.groups; ++g) order[g] = g;
  std::stable_sort(order.begin(), order.end(),
                   [&](auto a, auto b) { return groups[a].size() > groups[b].size(); });
  std::vector<std::size_t> quota(c.groups, 0);
  for (auto g : order)
    if (seats > 0 && !groups[g].empty()) {
      quota[g] = 1;
      --seats;
    }
  std::vector<std::size_t> rest(c.groups, 0);
  largest_remainder(groups, seats, rest);
  // A small group's proportional share can exceed the residents left in it: the excess goes to
  // the groups with residents to spare, the largest first.
  std::size_t spare = 0;
  for (std::uint32_t g = 0; g < c.groups; ++g) {
    const std::size_t room = groups[g].size() - quota[g];
    const std::size_t take = std::min(rest[g], room);
    quota[g] += take;
    spare += rest[g] - take;
  }
  for (auto g : order)
    for (; spare > 0 && quota[g] < groups[g].size(); --spare) ++quota[g];
  seat_quotas(groups, quota, rng, seated);
}

void stewards_first(const SeatCandidates& c, Stream&, std::vector<std::uint32_t>& seated) {
  std::vector<std::uint32_t> order(c.eligible.begin(), c.eligible.end());
  const auto k = std::min<std::size_t>(static_cast<std::size_t>(c.seats), order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](std::uint32_t a, std::uint32_t b) {
                      return c.trust[a] != c.trust[b] ? c.trust[a] > c.trust[b] : a < b;
                    });
  order.resize(k);
  std::sort(order.begin(), order.end());
  seated.insert(seated.end(), order.begin(), order.end());
}

void open(const SeatCandidates& c, Stream& rng, std::vector<std::uint32_t>& seated) {
  for (auto r : c.eligible) {
    const double p = c.open_attendance * c.interest[r] * 2.0 * c.trust[r];
    if (rng.uniform() < p) seated.push_back(r);
  }
}

constexpr NamedSeatRule kRules[] = {
    {SeatSelection::Random, "random", random, "a random sample of the eligible residents"},
    {SeatSelection::Proportional, "proportional", proportional,
     "seats per ethnic group in proportion to its share"},
    {SeatSelection::ProportionalMinOne, "proportional_min_one", proportional_min_one,
     "one seat for every group, the rest in proportion to the groups' shares"},
    {SeatSelection::StewardsFirst, "stewards_first", stewards_first,
     "the most engaged (highest trust) residents first"},
    {SeatSelection::Open, "open", open, "no seats: attendance driven by trust and interest"},
};
static_assert(ids_in_order(kRules));

}  // namespace

std::span<const NamedSeatRule> seat_rules() {
  return kRules;
}
SeatRule seat_rule(SeatSelection id) {
  return policy_fn(seat_rules(), id);
}
SeatRule find_seat_rule(std::string_view name) {
  return find_policy(seat_rules(), name, "seat selection");
}

}  // namespace commsim::policy
