#pragma once
// Policies are registered in small constexpr tables of {id, name, function, doc}, one entry per
// value of the policy's enum and in its order (ids_in_order, checked at compile time). The
// scenario schema offers the names as a choice and binds the chosen one to its id, so the
// Scenario holds an enum; a mechanism takes the function for its id once, at construction
// (never in the daily loop). Adding a policy = its function, an enum value, a table line.

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace commsim::policy {

template <class Entry>
auto find_policy(std::span<const Entry> table, std::string_view name, std::string_view what) {
  for (const auto& e : table)
    if (e.name == name) return e.fn;
  throw std::invalid_argument("unknown " + std::string(what) + " '" + std::string(name) + "'");
}

// The function registered under `id`.
template <class Entry>
auto policy_fn(std::span<const Entry> table, decltype(Entry::id) id) {
  return table[static_cast<std::size_t>(id)].fn;
}

// Whether entry i of the table has id i, so policy_fn can index by id.
template <class Entry, std::size_t N>
constexpr bool ids_in_order(const Entry (&table)[N]) {
  for (std::size_t i = 0; i < N; ++i)
    if (static_cast<std::size_t>(table[i].id) != i) return false;
  return true;
}

// (name, id) pairs for the scenario schema's choice().
template <class Entry>
std::vector<std::pair<std::string, decltype(Entry::id)>> policy_options(
    std::span<const Entry> table) {
  std::vector<std::pair<std::string, decltype(Entry::id)>> out;
  for (const auto& e : table) out.emplace_back(std::string(e.name), e.id);
  return out;
}

}  // namespace commsim::policy
