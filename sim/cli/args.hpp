#pragma once
// A small command-line parser for commsim's subcommands: positional arguments, options with a
// value (repeatable ones collect every value), flags. A usage mistake is a UsageError (exit 2).

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace commsim::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::string name;   // "--seed"
  std::string alias;  // "-o", or ""
  bool takes_value = true;
  bool repeatable = false;
};

class Args {
 public:
  Args(const std::vector<std::string>& argv, const std::vector<OptionSpec>& specs);

  const std::vector<std::string>& positional() const { return positional_; }
  bool flag(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;
  const std::vector<std::string>& values(const std::string& name) const;
  // An integer option, checked against [lo, hi]; empty when absent.
  std::optional<long long> integer(const std::string& name, long long lo, long long hi) const;
  // An amount of memory in bytes: "190G", "512M", "8GiB", "1e9" (k, M, G, T: powers of 1000;
  // Ki, Mi, Gi, Ti: of 1024; a trailing B is allowed); empty when absent.
  std::optional<double> bytes(const std::string& name) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::vector<std::string>> values_;
};

}  // namespace commsim::cli
