// Every scenario key says where its default comes from (docs/model.md §3.18): a seed report
// ([001] .. [004]), a paper (author and year), `assumption: <why>` when the value is a modelling
// choice (the sensitivity study varies these), or `setting: <why>` for run control, names and
// output. A source that calls its value an assumption must say so first, so that one prefix finds
// every assumption.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "sim/scenario/scenario_schema.hpp"

namespace commsim::scenario {
namespace {

// Why `source` is not an acceptable source, or "" when it is.
std::string source_problem(const std::string& source) {
  static const std::regex seed(R"(\[00[0-4]\])");
  static const std::regex paper(R"([A-Z][A-Za-z'-]+.*\b(19|20)[0-9]{2}\b)");
  static const std::regex prefixed(R"(^(assumption|setting): \S.{8,})");
  if (source.empty()) return "no source";
  const bool has_prefix = source.starts_with("assumption") || source.starts_with("setting");
  if (has_prefix) return std::regex_search(source, prefixed) ? "" : "a prefix without a reason";
  if (source.find("assumption") != std::string::npos)
    return "calls its value an assumption but does not start with 'assumption: '";
  if (std::regex_search(source, seed) || std::regex_search(source, paper)) return "";
  return "neither a seed report, a paper, 'assumption: ' nor 'setting: '";
}

using KeyVisitor = std::function<void(const SchemaNode& key, const std::string& path)>;

// Visits every key below `node`: sections are containers and need no source; a list of mappings
// does, and so does each key of its elements.
void for_each_key(const SchemaNode& node, const std::string& path, const KeyVisitor& visit) {
  if (node.type == ValueType::Object) {
    for (const auto& f : node.fields)
      for_each_key(*f, path.empty() ? f->key : path + "." + f->key, visit);
    return;
  }
  visit(node, path);
  if (node.type == ValueType::List && node.element && node.element->type == ValueType::Object)
    for (const auto& f : node.element->fields) for_each_key(*f, path + "[]." + f->key, visit);
}

TEST(SchemaSources, EveryKeyNamesWhereItsDefaultComesFrom) {
  std::vector<std::string> bad;
  for_each_key(scenario_schema(), "", [&](const SchemaNode& key, const std::string& path) {
    if (const auto problem = source_problem(key.source); !problem.empty())
      bad.push_back(path + ": " + problem + (key.source.empty() ? "" : " ('" + key.source + "')"));
  });
  std::string list;
  for (const auto& b : bad) list += "\n  " + b;
  EXPECT_TRUE(bad.empty()) << bad.size() << " scenario keys without an acceptable source:" << list;
}

TEST(SchemaSources, TheCheckRejectsWhatItShould) {
  EXPECT_EQ(source_problem("[001] Huairen: 95.3% closure"), "");
  EXPECT_EQ(source_problem("Schelling 1971: sorting at a wanted share of 1/3"), "");
  EXPECT_EQ(source_problem("assumption: no seed gives a visit length"), "");
  EXPECT_EQ(source_problem("setting: the run's length, not a claim"), "");
  EXPECT_NE(source_problem(""), "");
  EXPECT_NE(source_problem("assumption"), "");
  EXPECT_NE(source_problem("assumption:"), "");
  EXPECT_NE(source_problem("[002] the channel; the rate is an assumption"), "");
  EXPECT_NE(source_problem("chosen to look right"), "");
}

TEST(SchemaSources, TheWalkReachesListElementsAndEverySection) {
  // The walk must see the keys inside lists of mappings and every section, wellbeing included.
  std::vector<std::string> all;
  for_each_key(scenario_schema(), "",
               [&](const SchemaNode&, const std::string& path) { all.push_back(path); });
  const auto has = [&](const std::string& k) {
    return std::find(all.begin(), all.end(), k) != all.end();
  };
  EXPECT_TRUE(has("needs.types[].rate"));
  EXPECT_TRUE(has("staffing.training_hours"));
  EXPECT_TRUE(std::any_of(all.begin(), all.end(),
                          [](const std::string& k) { return k.starts_with("wellbeing."); }));
}

}  // namespace
}  // namespace commsim::scenario
