#include "sim/cli/args.hpp"

#include <charconv>
#include <cmath>
#include <utility>

namespace commsim::cli {

Args::Args(const std::vector<std::string>& argv, const std::vector<OptionSpec>& specs) {
  auto find = [&](const std::string& word) -> const OptionSpec* {
    for (const auto& s : specs)
      if (s.name == word || (!s.alias.empty() && s.alias == word)) return &s;
    return nullptr;
  };
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string word = argv[i];
    std::optional<std::string> inline_value;
    if (word.rfind("--", 0) == 0) {
      if (const auto eq = word.find('='); eq != std::string::npos) {
        inline_value = word.substr(eq + 1);
        word = word.substr(0, eq);
      }
    }
    if (word.size() > 1 && word[0] == '-' && !(word[1] >= '0' && word[1] <= '9')) {
      const OptionSpec* spec = find(word);
      if (!spec) throw UsageError("unknown option '" + word + "'");
      auto& slot = values_[spec->name];
      if (!spec->repeatable && !slot.empty())
        throw UsageError("option " + spec->name + " given twice");
      if (!spec->takes_value) {
        if (inline_value) throw UsageError("option " + spec->name + " takes no value");
        slot.push_back("");
        continue;
      }
      if (inline_value) {
        slot.push_back(*inline_value);
      } else {
        if (i + 1 >= argv.size()) throw UsageError("option " + spec->name + " needs a value");
        slot.push_back(argv[++i]);
      }
      continue;
    }
    positional_.push_back(word);
  }
}

std::optional<std::string> Args::value(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

const std::vector<std::string>& Args::values(const std::string& name) const {
  static const std::vector<std::string> none;
  const auto it = values_.find(name);
  return it == values_.end() ? none : it->second;
}

std::optional<long long> Args::integer(const std::string& name, long long lo, long long hi) const {
  const auto v = value(name);
  if (!v) return std::nullopt;
  long long out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size() || out < lo || out > hi)
    throw UsageError("option " + name + " expects an integer in [" + std::to_string(lo) + ", " +
                     std::to_string(hi) + "], got '" + *v + "'");
  return out;
}

std::optional<double> Args::bytes(const std::string& name) const {
  const auto v = value(name);
  if (!v) return std::nullopt;
  double number = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), number);
  std::string unit(end, v->data() + v->size());
  if (!unit.empty() && unit.back() == 'B') unit.pop_back();
  const std::pair<const char*, double> units[] = {{"", 1},
                                                  {"k", 1e3},
                                                  {"K", 1e3},
                                                  {"M", 1e6},
                                                  {"G", 1e9},
                                                  {"T", 1e12},
                                                  {"Ki", 1024.0},
                                                  {"Mi", 1048576.0},
                                                  {"Gi", 1073741824.0},
                                                  {"Ti", 1099511627776.0}};
  if (ec == std::errc() && std::isfinite(number) && number > 0)
    for (const auto& [suffix, scale] : units)
      if (unit == suffix) return number * scale;
  throw UsageError("option " + name + " expects an amount of memory such as 8G or 512M, got '" +
                   *v + "'");
}

}  // namespace commsim::cli
