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

void proportional(const SeatCandidates& c, Stream& rng, std::vector<std::uint32_t>& seated) {
  std::vector<std::vector<std::uint32_t>> by_group(c.groups);
  for (auto r : c.eligible) by_group[c.group[r]].push_back(r);
  const double n = static_cast<double>(c.eligible.size());
  const auto seats = static_cast<std::size_t>(std::min<double>(c.seats, n));
  std::vector<std::size_t> quota(c.groups);
  std::vector<std::pair<double, std::uint32_t>> remainder;
  std::size_t given = 0;
  for (std::uint32_t g = 0; g < c.groups; ++g) {
    const double exact = n > 0 ? static_cast<double>(seats) * by_group[g].size() / n : 0.0;
    quota[g] = static_cast<std::size_t>(std::floor(exact));
    given += quota[g];
    remainder.push_back({exact - std::floor(exact), g});
  }
  std::stable_sort(remainder.begin(), remainder.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; given < seats && i < remainder.size(); ++i, ++given)
    ++quota[remainder[i].second];
  const auto first = seated.size();
  for (std::uint32_t g = 0; g < c.groups; ++g) sample(by_group[g], quota[g], rng, seated);
  std::sort(seated.begin() + static_cast<std::ptrdiff_t>(first), seated.end());
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
