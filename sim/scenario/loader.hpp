#pragma once
// From a scenario file (plus `extends` bases and `--set` overrides) to a validated Scenario.

#include <filesystem>
#include <string>
#include <vector>

#include "sim/scenario/document.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::scenario {

struct LoadedScenario {
  Scenario scenario;                   // validated, every default filled in
  std::string text;                    // the file exactly as given
  Node resolved;                       // the resolved tree (bases merged, overrides applied)
  std::string resolved_yaml;           // the same as YAML text, for provenance
  std::vector<std::string> overrides;  // the `key.path=value` arguments applied, in order
};

// Reads `file`, follows `extends` chains (relative to each file's folder; a cycle is an error),
// applies `overrides` ("a.b.c=value", value parsed as YAML), validates and binds.
LoadedScenario load_scenario(const std::filesystem::path& file,
                             const std::vector<std::string>& overrides = {});
// The same from text; `extends` is then relative to `base_dir`.
LoadedScenario load_scenario_text(const std::string& text, const std::string& name,
                                  const std::vector<std::string>& overrides = {},
                                  const std::filesystem::path& base_dir = ".");
// Validates and binds a merged document (what the two above do after merging).
LoadedScenario resolve_document(Node document, std::string text,
                                const std::vector<std::string>& overrides);
// The same checks and binding without the text forms (a sweep's points, which keep only the
// Scenario).
Scenario resolve_scenario(const Node& document);

// Sets the value at a key path ("community.groups.1.share" or "community.groups[1].share"),
// creating missing mappings. Throws ScenarioError located at `where`.
void set_path(Node& document, const std::string& key_path, Node value, const Location& where);
// Parses and applies one "key.path=value" override.
void apply_override(Node& document, const std::string& assignment);

// The steps of a key path: "a.b[2].c" and "a.b.2.c" both give {"a", "b", "2", "c"}.
std::vector<std::string> split_path(const std::string& key_path);
// Whether a step of a key path is a list index ("2").
bool is_index(const std::string& step);

}  // namespace commsim::scenario
