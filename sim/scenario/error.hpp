#pragma once
// The one error type for scenario problems. It carries its place (file, line, column, key
// path), what was expected and, when a key looks misspelt, the close name. The command turns
// it into a message and exit code 2.

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace commsim::scenario {

struct Location {
  std::shared_ptr<const std::string> file;  // "--set" for command-line overrides
  int line = 0;                             // 1-based; 0 = unknown
  int column = 0;                           // 1-based; 0 = unknown

  std::string str() const;  // "file:line:column", as compilers print it
};

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(Location where, std::string key_path, std::string problem, std::string hint = {});

  const Location& where() const { return where_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& problem() const { return problem_; }
  const std::string& hint() const { return hint_; }

 private:
  Location where_;
  std::string key_path_;
  std::string problem_;
  std::string hint_;
};

// The closest of `candidates` to `word` by edit distance, or "" when none is close enough to be
// a likely typo.
std::string closest_name(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace commsim::scenario
