#pragma once
// Policies are registered in small constexpr tables of {name, function, doc}; the scenario
// schema offers the names as a choice, and a mechanism resolves its name to the function once,
// at construction (never in the daily loop).

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

template <class Entry>
std::vector<std::pair<std::string, std::string>> policy_choices(std::span<const Entry> table) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : table) out.emplace_back(std::string(e.name), std::string(e.name));
  return out;
}

}  // namespace commsim::policy
