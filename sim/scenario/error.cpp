#include "sim/scenario/error.hpp"

#include <algorithm>
#include <vector>

namespace commsim::scenario {

std::string Location::str() const {
  std::string s = file ? *file : std::string("<scenario>");
  if (line > 0) s.append(":").append(std::to_string(line));
  if (line > 0 && column > 0) s.append(":").append(std::to_string(column));
  return s;
}

namespace {
std::string format(const Location& where, const std::string& key_path, const std::string& problem,
                   const std::string& hint) {
  std::string msg = where.str() + ": ";
  if (!key_path.empty()) msg += key_path + ": ";
  msg += problem;
  if (!hint.empty()) msg += " (" + hint + ")";
  return msg;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

ScenarioError::ScenarioError(Location where, std::string key_path, std::string problem,
                             std::string hint)
    : std::runtime_error(format(where, key_path, problem, hint)),
      where_(std::move(where)),
      key_path_(std::move(key_path)),
      problem_(std::move(problem)),
      hint_(std::move(hint)) {}

std::string closest_name(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

}  // namespace commsim::scenario
