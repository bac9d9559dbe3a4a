#include "sim/scenario/region.hpp"

#include <cstdio>
#include <map>
#include <set>

#include "sim/core/random.hpp"
#include "sim/scenario/csv.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/scenario_schema.hpp"
#include "sim/scenario/schema.hpp"

namespace commsim::scenario {

namespace {

constexpr std::size_t kMaxCommunities = 100000;

// The keys of the `region` mapping, with their meaning: the reader's list of known keys and the
// reference's table.
struct RegionKey {
  const char* key;
  const char* type;
  const char* meaning;
};
const std::vector<RegionKey>& region_keys() {
  static const std::vector<RegionKey> keys = {
      {"name", "string", "A label of the region (default \"\")."},
      {"detail", "one of: summaries, full",
       "What is written for each community: `summaries` (default: /communities/NAME/summary) "
       "or `full` (also its /timeseries and /events; a region's per-grid series are large)."},
      {"subdistricts", "list of mappings",
       "The subdistricts (街道), each `{name, whistle_capacity}`: `name` (required, unique) and "
       "`whistle_capacity`, the whistled orders its departments take up per working day over "
       "all its communities, first come first served (-1, the default: no limit, each is taken "
       "up when whistled). At least one."},
      {"communities", "list of mappings",
       "Communities, each a mapping of `name` (required, unique), `subdistrict` (required, a "
       "name in `subdistricts`) and any scenario key path with its value "
       "(`community.households: 3000`), set on the region's scenario as `--set` would; in a YAML "
       "key "
       "write a list index as `.0.` (`community.groups.0.share`)."},
      {"communities_file", "string",
       "A CSV table of communities (relative to the file that names it), after the list: a "
       "header row `name,subdistrict,KEY.PATH,...`, then one row per community; each cell is "
       "read as a YAML value, like `--set KEY.PATH=CELL`; an empty cell keeps the region's "
       "value."},
  };
  return keys;
}

bool in_a_file(const Location& where) {
  return where.file && where.file->rfind("--set ", 0) != 0 && where.file->rfind("<", 0) != 0;
}

std::filesystem::path relative_to(const Location& where, const std::string& path) {
  std::filesystem::path p = path;
  if (p.is_relative() && in_a_file(where))
    p = (std::filesystem::path(*where.file).parent_path() / p).lexically_normal();
  return p;
}

// One community as given: its name, subdistrict and key paths, each with where it was written.
struct Row {
  std::string name;
  std::string subdistrict;
  Location where, name_where, subdistrict_where;
  std::vector<std::pair<std::string, Node>> sets;
  std::vector<Location> key_wheres;
};

// A row's value that is a mapping ({households: 400} under `community`, or what --set builds from
// region.communities.0.community.households=...) is its keys, one path each: set whole, it would
// replace the region's section and put every other key of it back to its default.
void add_sets(Row& r, const std::string& key, const Node& value, const Location& key_where) {
  if (value.is_mapping() && !value.entries.empty()) {
    for (const auto& e : value.entries) add_sets(r, key + "." + e.key, e.value, e.key_where);
    return;
  }
  r.sets.emplace_back(key, value);
  r.key_wheres.push_back(key_where);
}

// Every node of a cell's value at the cell (its own reading counts from the cell's start).
void relocate(Node& n, const Location& at) {
  n.where = at;
  for (auto& item : n.items) relocate(item, at);
  for (auto& e : n.entries) {
    e.key_where = at;
    relocate(e.value, at);
  }
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

const Node& scalar_of(const Node& n, const std::string& key, const char* expected) {
  if (!n.is_scalar() || n.scalar.empty())
    throw ScenarioError(n.where, key, std::string("expected ") + expected);
  return n;
}

void check_key(const std::string& key, const Location& where, const std::string& path) {
  if (key.empty()) throw ScenarioError(where, path, "an empty key path");
  if (region_level_key(key))
    throw ScenarioError(
        where, path + "." + key, "cannot be set for one community",
        key.rfind("community.name", 0) == 0
            ? "the community's name is its `name`"
            : "run.*, output.*, region and extends are the region's: set them at the top level");
}

Row row_of_mapping(const Node& m, std::size_t index) {
  const std::string path = "region.communities[" + std::to_string(index) + "]";
  if (!m.is_mapping())
    throw ScenarioError(m.where, path,
                        "expected a mapping {name, subdistrict, key.path: value, ...}");
  Row r;
  r.where = m.where;
  for (const auto& e : m.entries) {
    if (e.key == "name") {
      r.name = scalar_of(e.value, path + ".name", "the community's name").scalar;
      r.name_where = e.value.where;
    } else if (e.key == "subdistrict") {
      r.subdistrict = scalar_of(e.value, path + ".subdistrict", "a subdistrict's name").scalar;
      r.subdistrict_where = e.value.where;
    } else {
      check_key(e.key, e.key_where, path);
      add_sets(r, e.key, e.value, e.key_where);
    }
  }
  if (r.name.empty()) throw ScenarioError(m.where, path + ".name", "is required");
  if (r.subdistrict.empty()) throw ScenarioError(m.where, path + ".subdistrict", "is required");
  return r;
}

std::vector<Row> rows_of_file(const std::string& text, const std::string& file) {
  const auto name = std::make_shared<const std::string>(file);
  const std::string key = "region.communities_file";
  CsvReader csv(text, name, key);
  Record header;
  if (!csv.next(header))
    throw ScenarioError(Location{name, 1, 0}, key, "the table is empty",
                        "the first line names the columns: name,subdistrict,KEY.PATH,...");
  int name_col = -1, subdistrict_col = -1;
  std::set<std::string> seen;
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    const Location at{name, header.lines[c], header.columns[c]};
    if (!clean_utf8(header.fields[c]))
      throw ScenarioError(at, key, "a column name is not clean UTF-8 text");
    const std::string h = header.fields[c] = trim(header.fields[c]);
    if (!seen.insert(h).second) throw ScenarioError(at, key, "column '" + h + "' is given twice");
    if (h == "name")
      name_col = static_cast<int>(c);
    else if (h == "subdistrict")
      subdistrict_col = static_cast<int>(c);
    else {
      check_key(h, at, key);
      schema_at(h, at);  // a misspelt column is an error even if all its cells are empty
    }
  }
  if (name_col < 0 || subdistrict_col < 0)
    throw ScenarioError(
        Location{name, header.line, 0}, key,
        std::string("the table has no '") + (name_col < 0 ? "name" : "subdistrict") + "' column",
        "the first line names the columns: name,subdistrict,KEY.PATH,...");
  std::vector<Row> rows;
  Record rec;
  while (csv.next(rec)) {
    const Location row_at{name, rec.line, 1};
    if (rec.fields.size() != header.fields.size())
      throw ScenarioError(row_at, key,
                          "the row has " + std::to_string(rec.fields.size()) +
                              " cells, the header " + std::to_string(header.fields.size()),
                          "one cell per column; an empty cell keeps the region's value");
    if (rows.size() == kMaxCommunities)
      throw ScenarioError(row_at, key, "more than 100,000 communities");
    Row r;
    r.where = row_at;
    for (std::size_t c = 0; c < rec.fields.size(); ++c) {
      const Location at{name, rec.lines[c], rec.columns[c]};
      const std::string& cell = rec.fields[c];
      if (!clean_utf8(cell))
        throw ScenarioError(at, key + "." + header.fields[c], "the cell is not clean UTF-8 text");
      if (static_cast<int>(c) == name_col) {
        r.name = trim(cell);
        r.name_where = at;
      } else if (static_cast<int>(c) == subdistrict_col) {
        r.subdistrict = trim(cell);
        r.subdistrict_where = at;
      } else if (cell.find_first_not_of(" \t") != std::string::npos) {
        Node value;
        try {
          value = parse_yaml(cell, file);
        } catch (const ScenarioError& e) {
          throw ScenarioError(at, header.fields[c],
                              "community '" + trim(rec.fields[static_cast<std::size_t>(name_col)]) +
                                  "': the cell is not a YAML value (" + e.problem() + ")",
                              "a number, a word, or [a, list] in quotes");
        }
        relocate(value, at);
        add_sets(r, header.fields[c], value, at);
      }
    }
    if (r.name.empty()) throw ScenarioError(row_at, key + ".name", "the community has no name");
    if (r.subdistrict.empty())
      throw ScenarioError(r.name_where, key + ".subdistrict",
                          "community '" + r.name + "' has no subdistrict");
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<RegionSubdistrict> read_subdistricts(const Node* list, const Location& where) {
  if (!list || !list->is_sequence() || list->items.empty())
    throw ScenarioError(list ? list->where : where, "region.subdistricts",
                        "expected a list of subdistricts, at least one",
                        "- {name: S1, whistle_capacity: 40}");
  std::vector<RegionSubdistrict> out;
  std::set<std::string> names;
  for (std::size_t i = 0; i < list->items.size(); ++i) {
    const Node& m = list->items[i];
    const std::string path = "region.subdistricts[" + std::to_string(i) + "]";
    if (!m.is_mapping())
      throw ScenarioError(m.where, path, "expected a mapping {name, whistle_capacity}");
    RegionSubdistrict s;
    for (const auto& e : m.entries) {
      if (e.key == "name") {
        s.name = scalar_of(e.value, path + ".name", "the subdistrict's name").scalar;
        if (!names.insert(s.name).second)
          throw ScenarioError(e.value.where, path + ".name",
                              "subdistrict '" + s.name + "' is listed twice");
      } else if (e.key == "whistle_capacity") {
        const auto v = parse_number(scalar_of(e.value, path + "." + e.key, "a number").scalar);
        if (!v || !(*v == -1 || (*v >= 0 && *v <= 1e7)))
          throw ScenarioError(e.value.where, path + "." + e.key,
                              "expected orders per working day in [0, 1e7], or -1 (no limit)");
        s.whistle_capacity = *v;
      } else {
        const std::string close = closest_name(e.key, {"name", "whistle_capacity"});
        throw ScenarioError(e.key_where, path + "." + e.key, "unknown key",
                            close.empty() ? "a subdistrict has `name` and `whistle_capacity`"
                                          : "did you mean '" + close + "'?");
      }
    }
    if (s.name.empty()) throw ScenarioError(m.where, path + ".name", "is required");
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

bool region_level_key(const std::string& key_path) {
  const auto parts = split_path(key_path);
  if (parts.empty()) return false;
  return parts[0] == "run" || parts[0] == "output" || parts[0] == "region" ||
         parts[0] == "extends" ||
         (parts[0] == "community" && parts.size() > 1 && parts[1] == "name");
}

std::shared_ptr<const Region> read_region(const Node& node, const Node& base,
                                          Scenario (*bind)(Node& resolved)) {
  if (!node.is_mapping())
    throw ScenarioError(node.where, "region",
                        "expected a mapping {subdistricts, communities, communities_file}");
  std::vector<std::string> known;
  for (const auto& k : region_keys()) known.push_back(k.key);
  for (const auto& e : node.entries) {
    bool ok = false;
    for (const auto& k : known) ok = ok || e.key == k;
    if (!ok) {
      const std::string close = closest_name(e.key, known);
      throw ScenarioError(
          e.key_where, "region." + e.key, "unknown key",
          close.empty() ? "see docs/scenario.md, 'Region'" : "did you mean '" + close + "'?");
    }
  }
  auto region = std::make_shared<Region>();
  if (const Node* n = node.find("name"); n && !n->is_null())
    region->name = scalar_of(*n, "region.name", "a label").scalar;
  if (const Node* n = node.find("detail"); n && !n->is_null()) {
    const std::string d = scalar_of(*n, "region.detail", "summaries or full").scalar;
    if (d == "full")
      region->detail = Region::Detail::Full;
    else if (d != "summaries")
      throw ScenarioError(n->where, "region.detail", "expected summaries or full, got '" + d + "'");
  }
  if (const Node* c = base.find("community"))
    if (const Node* n = c->find("name")) region->base_name = n->scalar;
  region->subdistricts = read_subdistricts(node.find("subdistricts"), node.where);

  std::vector<Row> rows;
  if (const Node* list = node.find("communities"); list && !list->is_null()) {
    if (!list->is_sequence())
      throw ScenarioError(list->where, "region.communities", "expected a list of communities");
    for (std::size_t i = 0; i < list->items.size(); ++i)
      rows.push_back(row_of_mapping(list->items[i], i));
  }
  if (const Node* f = node.find("communities_file"); f && !f->is_null()) {
    const std::string given =
        scalar_of(*f, "region.communities_file", "the path of a CSV file").scalar;
    const auto path = relative_to(f->where, given);
    std::string text;
    try {
      text = read_text_file(path);
    } catch (const ScenarioError& e) {
      throw ScenarioError(f->where, "region.communities_file",
                          "cannot read '" + path.string() + "': " + e.problem(),
                          "give the path of a CSV file, relative to the scenario file");
    }
    region->communities_file = path.string();
    region->communities_digest = fnv1a64(text);
    auto file_rows = rows_of_file(text, path.string());
    region->communities_text = std::move(text);
    for (auto& r : file_rows) rows.push_back(std::move(r));
  }
  if (rows.empty())
    throw ScenarioError(node.where, "region.communities", "the region has no community",
                        "list them under `communities` or in `communities_file`");
  if (rows.size() > kMaxCommunities)
    throw ScenarioError(node.where, "region.communities", "more than 100,000 communities");

  std::map<std::string, std::size_t> subdistrict_of;
  for (std::size_t i = 0; i < region->subdistricts.size(); ++i)
    subdistrict_of[region->subdistricts[i].name] = i;
  std::set<std::string> names;
  std::vector<std::string> groups;
  for (Row& r : rows) {
    if (!names.insert(r.name).second)
      throw ScenarioError(r.name_where, "region.communities",
                          "community '" + r.name + "' is listed twice",
                          "each community's streams are keyed by its name: names are unique");
    const auto sd = subdistrict_of.find(r.subdistrict);
    if (sd == subdistrict_of.end()) {
      std::vector<std::string> all;
      for (const auto& s : region->subdistricts) all.push_back(s.name);
      const std::string close = closest_name(r.subdistrict, all);
      throw ScenarioError(
          r.subdistrict_where, "region.communities",
          "community '" + r.name + "': subdistrict '" + r.subdistrict +
              "' is not in region.subdistricts",
          close.empty() ? "add it to region.subdistricts" : "did you mean '" + close + "'?");
    }
    RegionCommunity c;
    c.name = r.name;
    c.subdistrict = sd->second;
    Node doc = base;
    set_path(doc, "community.name", Node::make_scalar(r.name, r.name_where), r.name_where);
    try {
      for (std::size_t k = 0; k < r.sets.size(); ++k) {
        set_path(doc, r.sets[k].first, r.sets[k].second, r.key_wheres[k]);
      }
      c.scenario = std::make_shared<const Scenario>(bind(doc));
    } catch (const ScenarioError& e) {
      throw ScenarioError(e.where(), e.key_path(), "community '" + r.name + "': " + e.problem(),
                          e.hint());
    }
    // Totals by group add the communities' cells: every community names the same groups.
    std::vector<std::string> own;
    for (const auto& g : c.scenario->community.groups) own.push_back(g.name);
    if (groups.empty()) groups = own;
    if (own != groups)
      throw ScenarioError(r.where, "region.communities",
                          "community '" + r.name +
                              "' has other groups (community.groups[].name) than the first "
                              "community",
                          "every community of a region names the same groups in the same order; "
                          "a group a community lacks has share 0");
    region->communities.push_back(std::move(c));
  }
  // A subdistrict without a community would be a row of nothing in every table: a typo, most
  // likely.
  for (std::size_t s = 0; s < region->subdistricts.size(); ++s) {
    bool used = false;
    for (const Row& r : rows) used = used || r.subdistrict == region->subdistricts[s].name;
    if (!used)
      throw ScenarioError(node.find("subdistricts")->items[s].where,
                          "region.subdistricts[" + std::to_string(s) + "]",
                          "subdistrict '" + region->subdistricts[s].name + "' has no community",
                          "name it in a community's `subdistrict`, or leave it out");
  }
  return region;
}

std::string region_markdown() {
  std::string out =
      "## Region\n\n"
      "A scenario with the top-level key `region` runs many communities under subdistricts in "
      "one run (docs/model.md, 'Regions'). Every other key of the file is the region's policy: "
      "it applies to every community unless the community's row sets it. Each community is a "
      "full community (its own grids, centre, councils and budget); its random streams are "
      "keyed by its name, so adding a community does not change another's draws, and a "
      "community named like the scenario's own `community.name` draws what that scenario run "
      "alone draws. A row cannot set `run.*`, `output.*`, `region`, `extends` or "
      "`community.name` (its name). Every community names the same groups.\n\n"
      "| Key | Type | Meaning |\n|---|---|---|\n";
  for (const auto& k : region_keys())
    out += std::string("| `region.") + k.key + "` | " + k.type + " | " + k.meaning + " |\n";
  return out;
}

}  // namespace commsim::scenario
