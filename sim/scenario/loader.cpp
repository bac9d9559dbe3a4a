#include "sim/scenario/loader.hpp"

#include <charconv>
#include <memory>
#include <optional>
#include <set>

#include "sim/core/random.hpp"
#include "sim/scenario/region.hpp"
#include "sim/scenario/scenario_schema.hpp"
#include "sim/scenario/validation.hpp"

namespace commsim::scenario {

namespace {

// Loads `document`'s `extends` chain; `seen` holds the canonical paths already on the chain.
Node with_bases(Node document, const std::filesystem::path& base_dir,
                std::set<std::filesystem::path>& seen) {
  const Node* extends = document.find("extends");
  if (!extends || (extends->is_scalar() && extends->scalar.empty())) return document;
  if (!extends->is_scalar())
    throw ScenarioError(extends->where, "extends", "expected the path of a base scenario file");
  const std::filesystem::path base_path = base_dir / extends->scalar;
  // Every file-system question with an error code: a name the system cannot take (a part over
  // 255 characters, say) is a scenario error at the `extends` line, not a filesystem_error.
  std::error_code ec;
  const bool exists = std::filesystem::exists(base_path, ec);
  if (ec)
    throw ScenarioError(
        extends->where, "extends",
        "cannot use '" + base_path.string() + "' as a base scenario: " + ec.message(),
        "give the path of a scenario file");
  if (!exists)
    throw ScenarioError(extends->where, "extends",
                        "base scenario '" + base_path.string() + "' does not exist");
  if (std::filesystem::is_directory(base_path, ec))
    throw ScenarioError(extends->where, "extends",
                        "'" + base_path.string() + "' is a folder, not a scenario file");
  const auto canonical = std::filesystem::weakly_canonical(base_path, ec);
  if (!seen.insert(canonical).second)
    throw ScenarioError(extends->where, "extends",
                        "'" + base_path.string() + "' is already on this extends chain (a cycle)");
  Node base = with_bases(load_yaml_file(base_path), base_path.parent_path(), seen);
  base.erase("extends");
  document.erase("extends");
  merge_into(base, document);
  return base;
}

}  // namespace

bool is_index(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

std::vector<std::string> split_path(const std::string& key_path) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : key_path) {
    if (c == '.' || c == '[' || c == ']') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

void set_path(Node& document, const std::string& key_path, Node value, const Location& where) {
  const auto parts = split_path(key_path);
  if (parts.empty()) throw ScenarioError(where, key_path, "empty key path");
  // `extends` is followed when the file is read; set after that it would change nothing.
  if (parts[0] == "extends")
    throw ScenarioError(where, key_path, "a base scenario cannot be set here",
                        "write `extends: BASE.yaml` in the scenario file");
  Node* cur = &document;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    if (cur->is_sequence()) {
      if (!is_index(part))
        throw ScenarioError(where, walked, "is a list: expected an index, got '" + part + "'");
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
      if (ec != std::errc() || index >= cur->items.size())
        throw ScenarioError(
            where, walked + "[" + part + "]",
            "index out of range: the list has " + std::to_string(cur->items.size()) + " entries");
      walked += "[" + part + "]";
      cur = &cur->items[index];
    } else {
      if (!cur->is_mapping() && !cur->is_null())
        throw ScenarioError(where, walked, "is a single value, it has no key '" + part + "'");
      walked += (walked.empty() ? "" : ".") + part;
      cur = &cur->at_or_insert(part, where);
    }
  }
  *cur = std::move(value);
}

void apply_override(Node& document, const std::string& assignment) {
  const auto file = std::make_shared<const std::string>("--set " + assignment);
  const Location where{file, 1, 1};
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) throw ScenarioError(where, "", "expected key.path=value");
  const std::string key = assignment.substr(0, eq);
  Node value = parse_yaml(assignment.substr(eq + 1), "--set " + assignment);
  // A bare "key=" means an empty value, not an empty mapping.
  if (value.is_mapping() && value.entries.empty() && assignment.size() == eq + 1) value = Node{};
  value.where = where;
  set_path(document, key, std::move(value), where);
}

namespace {

// Whether a location is in a scenario file (not a default, not a --set argument).
bool in_a_file(const Location& where) {
  return where.file && where.file->rfind("--set ", 0) != 0 && where.file->rfind("<", 0) != 0;
}

// Reads community.register, relative to the folder of the file that names it (to the working
// folder for --set), and takes the community's households from it: a count written anywhere (this
// file, a base, --set, a sweep's point) must agree with the register. The resolved tree then holds
// the register's count, so the resolved scenario says what was run.
void attach_register(CommunitySpec& c, Node& resolved) {
  if (c.register_path.empty()) return;
  Node& community = *resolved.find("community");
  const Location where = community.find("register")->where;
  std::filesystem::path path = c.register_path;
  if (path.is_relative() && in_a_file(where))
    path = (std::filesystem::path(*where.file).parent_path() / path).lexically_normal();
  c.household_register = read_register(path, c, where);
  const auto households = static_cast<std::int64_t>(c.household_register->households());
  Node& count = *community.find("households");
  if (!count.defaulted && c.households != households)
    throw ScenarioError(count.where, "community.households",
                        "is " + std::to_string(c.households) + " but the register '" +
                            path.string() + "' has " + std::to_string(households) + " households",
                        "leave community.households out: a register gives it");
  c.households = households;
  count.scalar = std::to_string(households);
}

Scenario bind_resolved(Node& resolved) {
  Scenario out;
  bind_object(scenario_schema(), resolved, &out, "");
  check_across_sections(out, resolved);
  attach_register(out.community, resolved);
  return out;
}

// A region's communities are bound on copies of the region's resolved tree: resolved again with
// the row's keys set, then bound.
Scenario bind_tree(Node& document) {
  Node resolved = resolve(scenario_schema(), &document, "", document.where);
  return bind_resolved(resolved);
}

// The `region` mapping is no key of the scenario schema (its rows are key paths of it): it is
// taken out before the schema resolves the tree and put back after, as given.
std::optional<Node> take_region(Node& document) {
  const Node* region = document.find("region");
  if (!region) return std::nullopt;
  Node out = *region;
  document.erase("region");
  return out;
}

void put_region(Node& resolved, const std::optional<Node>& region) {
  if (region) resolved.at_or_insert("region", region->where) = *region;
}

Node resolve_tree(const Node& document) {
  Node copy = document;
  const auto region = take_region(copy);
  Node resolved = resolve(scenario_schema(), &copy, "", document.where);
  put_region(resolved, region);
  return resolved;
}

// Binds a resolved tree that may hold `region`: the region's own scenario, then its communities.
Scenario bind_with_region(Node& resolved) {
  const auto region = take_region(resolved);
  Scenario out = bind_resolved(resolved);
  if (region) out.region = read_region(*region, resolved, &bind_tree);
  put_region(resolved, region);
  return out;
}

}  // namespace

std::uint64_t input_digest(const Scenario& s) {
  std::uint64_t h = 0;
  if (const auto& reg = s.community.household_register) h = derive_seed(h, reg->digest);
  if (s.region) {
    h = derive_seed(h, s.region->communities_digest);
    for (const auto& c : s.region->communities) h = derive_seed(h, input_digest(*c.scenario));
  }
  return h;
}

Scenario resolve_scenario(const Node& document) {
  Node resolved = resolve_tree(document);
  resolved.erase("extends");
  return bind_with_region(resolved);
}

LoadedScenario resolve_document(Node document, std::string text,
                                const std::vector<std::string>& overrides) {
  LoadedScenario out;
  out.resolved = resolve_tree(document);
  // Overrides go onto the resolved tree, so they can reach into lists the file left at their
  // defaults (--set needs.types.3.rate=0.5); the result is validated again.
  if (!overrides.empty()) {
    for (const auto& o : overrides) apply_override(out.resolved, o);
    out.resolved = resolve_tree(out.resolved);
  }
  out.resolved.erase("extends");
  out.scenario = bind_with_region(out.resolved);
  out.resolved_yaml = to_yaml(out.resolved);
  out.text = std::move(text);
  out.overrides = overrides;
  return out;
}

LoadedScenario load_scenario_text(const std::string& text, const std::string& name,
                                  const std::vector<std::string>& overrides,
                                  const std::filesystem::path& base_dir) {
  std::set<std::filesystem::path> seen;
  Node document = with_bases(parse_yaml(text, name), base_dir, seen);
  return resolve_document(std::move(document), text, overrides);
}

LoadedScenario load_scenario(const std::filesystem::path& file,
                             const std::vector<std::string>& overrides) {
  const std::string text = read_text_file(file);
  std::set<std::filesystem::path> seen;
  std::error_code ec;
  seen.insert(std::filesystem::weakly_canonical(file, ec));
  Node document = with_bases(parse_yaml(text, file.string()), file.parent_path(), seen);
  return resolve_document(std::move(document), text, overrides);
}

}  // namespace commsim::scenario
