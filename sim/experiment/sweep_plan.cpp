#include "sim/experiment/sweep_plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "sim/core/random.hpp"
#include "sim/experiment/design.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/scenario_schema.hpp"
#include "sim/scenario/schema.hpp"

namespace commsim::experiment {

using scenario::Location;
using scenario::Node;
using scenario::ScenarioError;

const char* design_name(Design d) {
  switch (d) {
    case Design::List:
      return "list";
    case Design::Grid:
      return "grid";
    case Design::Lhs:
      return "lhs";
    case Design::Saltelli:
      return "saltelli";
  }
  return "list";
}

const char* seeds_name(SeedMode s) {
  return s == SeedMode::Common ? "common" : "independent";
}

std::uint64_t SweepPlan::seed_of(std::int64_t point, std::int64_t replication) const {
  const std::uint64_t common = derive_seed(seed, static_cast<std::uint64_t>(replication));
  return seeds == SeedMode::Common ? common
                                   : derive_seed(common, static_cast<std::uint64_t>(point));
}

namespace {

const std::vector<std::string> kTopKeys = {"base",   "seed",       "replications", "seeds", "set",
                                           "design", "parameters", "samples",      "points"};

[[noreturn]] void fail(const Node& n, const std::string& key, const std::string& problem,
                       const std::string& hint = {}) {
  throw ScenarioError(n.where, key, problem, hint);
}

}  // namespace

double number(const Node& n, const std::string& key) {
  if (!n.is_scalar()) fail(n, key, "expected a number");
  const auto d = scenario::parse_number(n.scalar);
  if (!d) fail(n, key, "expected a number, got '" + n.scalar + "'");
  return *d;
}

std::int64_t integer(const Node& n, const std::string& key, std::int64_t lo, std::int64_t hi) {
  const double d = number(n, key);
  if (d != std::floor(d) || d < static_cast<double>(lo) || d > static_cast<double>(hi))
    fail(n, key,
         "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got '" +
             n.scalar + "'");
  return static_cast<std::int64_t>(d);
}

Parameter describe_parameter(const std::string& key, const Location& where) {
  if (scenario::split_path(key).empty()) throw ScenarioError(where, key, "empty key path");
  if (key == "run.seed")
    throw ScenarioError(where, key,
                        "the seed cannot be varied: set the sweep's `seed` and `replications`");
  // The sweep's /provenance records the base scenario's register; points with registers of their
  // own could not be rebuilt from the file.
  if (key == "community.register")
    throw ScenarioError(where, key, "the household register cannot be varied within a sweep",
                        "write one sweep per register (its base scenario names it)");
  const auto parts = scenario::split_path(key);
  if (parts[0] == "region") {
    // The region's own keys are no schema's: of them a sweep varies a subdistrict's capacity
    // (each community's keys vary through the region-level key they inherit).
    if (parts.size() == 4 && parts[1] == "subdistricts" && scenario::is_index(parts[2]) &&
        parts[3] == "whistle_capacity") {
      Parameter p;
      p.key = key;
      return p;
    }
    throw ScenarioError(where, key, "a sweep varies no region key but a subdistrict's capacity",
                        "region.subdistricts[N].whistle_capacity; a region-level key (e.g. "
                        "staffing.full_time_per_10k) reaches every community that does not set it");
  }
  const auto& s = schema_at(key, where);
  Parameter p;
  p.key = key;
  switch (s.type) {
    case scenario::ValueType::Integer:
      p.integer = true;
      break;
    case scenario::ValueType::Real:
      break;
    case scenario::ValueType::Boolean:
    case scenario::ValueType::String:
    case scenario::ValueType::Choice:
      p.numeric = false;
      break;
    default:
      throw ScenarioError(where, key, "is a whole section or list: vary one of its values instead");
  }
  return p;
}

namespace {

double column_of(Parameter& p, const Node& value) {
  if (p.numeric) return scenario::parse_number(value.scalar).value_or(0.0);
  const auto it = std::find(p.levels.begin(), p.levels.end(), value.scalar);
  if (it != p.levels.end()) return static_cast<double>(it - p.levels.begin());
  p.levels.push_back(value.scalar);
  return static_cast<double>(p.levels.size() - 1);
}

// Every point is planned before the first run: set on the base and validated, and its Scenario
// kept (about 3 ms and 8 kB a point on the build machine: an lhs of a million samples spent 47
// minutes and 8 GB before running anything). The size is checked before any of that.
constexpr double kMaxPlannedPoints = 100'000;

void check_plan_size(double points, const Node& at, const std::string& key) {
  if (points <= kMaxPlannedPoints) return;
  fail(at, key,
       "the design has " + std::to_string(std::llround(points)) + " points, more than the " +
           std::to_string(std::llround(kMaxPlannedPoints)) +
           " a sweep can plan (each point is validated and kept in memory before the first run)",
       "use fewer samples or levels, or split the study into several sweeps");
}

// A unit-cube coordinate mapped onto the parameter's range (integers: equal-width bins).
Node sampled_value(const Parameter& p, double u, const Location& where) {
  double v = p.min + u * (p.max - p.min);
  if (p.integer) v = std::min(p.max, std::floor(p.min + u * (p.max - p.min + 1)));
  return Node::make_scalar(scenario::format_number(v), where);
}

}  // namespace

std::string SweepPlan::design_yaml() const {
  Node d = Node::make_mapping();
  d.at_or_insert("design", {}) = Node::make_scalar(design_name(design));
  if (design == Design::Lhs || design == Design::Saltelli)
    d.at_or_insert("samples", {}) = Node::make_scalar(std::to_string(samples));
  d.at_or_insert("replications", {}) = Node::make_scalar(std::to_string(replications));
  d.at_or_insert("seeds", {}) = Node::make_scalar(seeds_name(seeds));
  d.at_or_insert("seed", {}) = Node::make_scalar(std::to_string(seed));
  Node& params = d.at_or_insert("parameters", {});
  params = Node::make_mapping();
  for (const auto& p : parameters) {
    Node& spec = params.at_or_insert(p.key, {});
    if (design == Design::Grid) {
      spec = Node::make_sequence();
      for (const auto& l : p.grid) spec.items.push_back(Node::make_scalar(l));
    } else if (design != Design::List) {
      spec = Node::make_mapping();
      spec.at_or_insert("min", {}) = Node::make_scalar(scenario::format_number(p.min));
      spec.at_or_insert("max", {}) = Node::make_scalar(scenario::format_number(p.max));
    } else {
      spec = Node::make_scalar(p.numeric ? "number" : "level");
    }
  }
  if (design == Design::List) {
    Node& pts = d.at_or_insert("points", {});
    pts = Node::make_sequence();
    for (const auto& pt : points) {
      Node row = Node::make_mapping();
      for (std::size_t j = 0; j < parameters.size(); ++j)
        row.at_or_insert(parameters[j].key, {}) = Node::make_scalar(pt.values[j].scalar);
      pts.items.push_back(std::move(row));
    }
  }
  return scenario::to_yaml(d);
}

scenario::LoadedScenario load_base(const Node& doc, const std::filesystem::path& file,
                                   std::string& base_name, std::filesystem::path& base_path) {
  const Node* base = doc.find("base");
  if (!base || base->is_null()) fail(doc, "base", "required key is missing");
  if (!base->is_scalar()) fail(*base, "base", "expected the path of a scenario file");
  base_name = base->scalar;
  base_path = file.parent_path() / base->scalar;
  if (!std::filesystem::exists(base_path))
    fail(*base, "base", "base scenario '" + base_path.string() + "' does not exist");
  scenario::LoadedScenario loaded = scenario::load_scenario(base_path);
  Node base_doc = loaded.resolved;
  std::vector<std::string> fixed;
  if (const Node* set = doc.find("set"); set && !set->is_null()) {
    if (!set->is_mapping()) fail(*set, "set", "expected a mapping of key.path: value");
    for (const auto& e : set->entries) {
      schema_at(e.key, e.key_where);
      scenario::set_path(base_doc, e.key, e.value, e.value.where);
      fixed.push_back(e.key + "=" + (e.value.is_scalar() ? e.value.scalar : "..."));
    }
  }
  auto resolved = scenario::resolve_document(base_doc, loaded.text, {});
  resolved.overrides = fixed;
  return resolved;
}

SweepPlan load_sweep(const std::filesystem::path& file) {
  SweepPlan plan;
  plan.file = file;
  plan.text = scenario::read_text_file(file);
  const Node doc = scenario::parse_yaml(plan.text, file.string());
  if (!doc.is_mapping()) fail(doc, "", "a sweep file is a mapping of keys (base, design, ...)");
  for (const auto& e : doc.entries)
    if (std::find(kTopKeys.begin(), kTopKeys.end(), e.key) == kTopKeys.end()) {
      const std::string close = scenario::closest_name(e.key, kTopKeys);
      throw ScenarioError(e.key_where, e.key, "unknown key",
                          close.empty() ? "expected one of base, seed, replications, seeds, set, "
                                          "design, parameters, samples, points"
                                        : "did you mean '" + close + "'?");
    }
  const auto required = [&](const char* key) -> const Node& {
    const Node* n = doc.find(key);
    if (!n || n->is_null()) fail(doc, key, "required key is missing");
    return *n;
  };

  plan.base = load_base(doc, file, plan.base_name, plan.base_path);

  plan.seed = plan.base.scenario.run.seed;
  if (const Node* n = doc.find("seed"))
    plan.seed = static_cast<std::uint64_t>(integer(*n, "seed", 0, 9'000'000'000'000'000));
  if (const Node* n = doc.find("replications"))
    plan.replications = integer(*n, "replications", 1, 100'000);
  if (const Node* n = doc.find("seeds")) {
    if (!n->is_scalar() || (n->scalar != "common" && n->scalar != "independent"))
      fail(*n, "seeds", "expected 'common' or 'independent'");
    plan.seeds = n->scalar == "common" ? SeedMode::Common : SeedMode::Independent;
  }

  const Node& design = required("design");
  const std::vector<std::string> designs = {"list", "grid", "lhs", "saltelli"};
  const auto d = std::find(designs.begin(), designs.end(), design.is_scalar() ? design.scalar : "");
  if (d == designs.end()) {
    const std::string close =
        design.is_scalar() ? scenario::closest_name(design.scalar, designs) : "";
    fail(design, "design", "expected one of list, grid, lhs, saltelli",
         close.empty() ? "" : "did you mean '" + close + "'?");
  }
  plan.design = static_cast<Design>(d - designs.begin());

  const Node* params = doc.find("parameters");
  const Node* points = doc.find("points");
  const Node* samples = doc.find("samples");
  const auto forbid = [&](const Node* n, const char* key, const char* why) {
    if (n) fail(*n, key, why);
  };
  if (plan.design != Design::List) forbid(points, "points", "only a `list` design takes points");
  if (plan.design == Design::List || plan.design == Design::Grid)
    forbid(samples, "samples", "only `lhs` and `saltelli` designs take samples");

  std::vector<Location> value_where;  // where each parameter's sampled values are reported
  if (plan.design == Design::List) {
    if (!points || !points->is_sequence() || points->items.empty())
      fail(points ? *points : doc, "points", "a list design needs a non-empty list of points");
    if (params) {
      if (!params->is_sequence()) fail(*params, "parameters", "expected a list of key paths");
      for (const auto& p : params->items) {
        if (!p.is_scalar()) fail(p, "parameters", "expected a key path");
        plan.parameters.push_back(describe_parameter(p.scalar, p.where));
      }
    } else {
      for (const auto& pt : points->items)
        for (const auto& e : pt.entries)
          if (std::none_of(plan.parameters.begin(), plan.parameters.end(),
                           [&](const Parameter& p) { return p.key == e.key; }))
            plan.parameters.push_back(describe_parameter(e.key, e.key_where));
    }
    for (std::size_t i = 0; i < points->items.size(); ++i) {
      const Node& pt = points->items[i];
      const std::string where = "points[" + std::to_string(i) + "]";
      if (!pt.is_mapping()) fail(pt, where, "expected a mapping of key.path: value");
      Point p;
      for (const auto& e : pt.entries)
        if (std::none_of(plan.parameters.begin(), plan.parameters.end(),
                         [&](const Parameter& q) { return q.key == e.key; }))
          throw ScenarioError(e.key_where, where + "." + e.key, "not among `parameters`");
      for (auto& param : plan.parameters) {
        const Node* v = pt.find(param.key);
        if (!v) fail(pt, where, "gives no value for '" + param.key + "'");
        if (!v->is_scalar()) fail(*v, where + "." + param.key, "expected a single value");
        p.values.push_back(*v);
      }
      plan.points.push_back(std::move(p));
    }
  } else {
    if (!params || !params->is_mapping() || params->entries.empty())
      fail(params ? *params : doc, "parameters",
           "expected a mapping of key.path: " +
               std::string(plan.design == Design::Grid ? "[levels]" : "{min: a, max: b}"));
    std::vector<std::vector<Node>> grid_levels;
    for (const auto& e : params->entries) {
      Parameter p = describe_parameter(e.key, e.key_where);
      const std::string key = "parameters." + e.key;
      if (plan.design == Design::Grid) {
        if (!e.value.is_sequence() || e.value.items.empty())
          fail(e.value, key, "expected a non-empty list of levels");
        for (const auto& l : e.value.items) {
          if (!l.is_scalar()) fail(l, key, "expected a single value per level");
          p.grid.push_back(l.scalar);
        }
        grid_levels.push_back(e.value.items);
      } else {
        if (!p.numeric)
          fail(e.value, key, "lhs and saltelli designs vary numbers only; use a grid for levels");
        const Node* lo = e.value.is_mapping() ? e.value.find("min") : nullptr;
        const Node* hi = e.value.is_mapping() ? e.value.find("max") : nullptr;
        if (!lo || !hi || e.value.entries.size() != 2)
          fail(e.value, key, "expected {min: a, max: b}");
        p.min = number(*lo, key + ".min");
        p.max = number(*hi, key + ".max");
        if (!(p.min < p.max)) fail(*hi, key + ".max", "must be greater than min");
        value_where.push_back(e.value.where);
      }
      plan.parameters.push_back(std::move(p));
    }
    const std::size_t k = plan.parameters.size();
    if (plan.design == Design::Grid) {
      std::vector<std::size_t> sizes;
      for (const auto& l : grid_levels) sizes.push_back(l.size());
      double points = 1;
      for (const auto n : sizes) points *= static_cast<double>(n);
      check_plan_size(points, *params, "parameters");
      for (const auto& row : full_factorial(sizes)) {
        Point p;
        for (std::size_t j = 0; j < k; ++j) p.values.push_back(grid_levels[j][row[j]]);
        plan.points.push_back(std::move(p));
      }
    } else {
      if (!samples) fail(doc, "samples", "required key is missing for an lhs or saltelli design");
      plan.samples = integer(*samples, "samples", 1, 1'000'000);
      const auto n = static_cast<std::size_t>(plan.samples);
      check_plan_size(static_cast<double>(n) * (plan.design == Design::Saltelli ? k + 2 : 1),
                      *samples, "samples");
      const std::uint64_t design_seed = derive_seed(plan.seed, fnv1a64("sweep.design"));
      const auto add = [&](const std::vector<double>& u, std::int64_t block, std::int64_t row) {
        Point p;
        for (std::size_t j = 0; j < k; ++j)
          p.values.push_back(sampled_value(plan.parameters[j], u[j], value_where[j]));
        p.saltelli_block = block;
        p.saltelli_row = row;
        plan.points.push_back(std::move(p));
      };
      if (plan.design == Design::Lhs) {
        for (const auto& u : latin_hypercube(n, k, design_seed)) add(u, -1, -1);
      } else {
        const auto base_sample = saltelli_base(n, k, design_seed);
        for (std::size_t block = 0; block < k + 2; ++block)
          for (std::size_t row = 0; row < n; ++row)
            add(saltelli_point(base_sample, block, row), static_cast<std::int64_t>(block),
                static_cast<std::int64_t>(row));
      }
    }
  }

  // Every point through the same path as --set: set_path on the base, then full validation.
  std::uint64_t h = fnv1a64(plan.base.resolved_yaml);
  const auto hash_text = [&](const std::string& s) { h = derive_seed(h, fnv1a64(s)); };
  hash_text(design_name(plan.design));
  hash_text(std::to_string(plan.seed) + "/" + std::to_string(plan.replications) + "/" +
            seeds_name(plan.seeds));
  for (const auto& p : plan.parameters) hash_text(p.key);
  for (auto& pt : plan.points) {
    Node point_doc = plan.base.resolved;
    for (std::size_t j = 0; j < plan.parameters.size(); ++j)
      scenario::set_path(point_doc, plan.parameters[j].key, pt.values[j], pt.values[j].where);
    plan.scenarios.push_back(scenario::resolve_scenario(point_doc));
    // A register's or a region table's bytes, not only its name, decide the point's households.
    if (const std::uint64_t files = scenario::input_digest(plan.scenarios.back()))
      hash_text(hex64(files));
    for (std::size_t j = 0; j < plan.parameters.size(); ++j) {
      pt.columns.push_back(column_of(plan.parameters[j], pt.values[j]));
      hash_text(pt.values[j].scalar);
    }
    hash_text(std::to_string(pt.saltelli_block) + "/" + std::to_string(pt.saltelli_row));
  }
  plan.fingerprint = hex64(h);
  return plan;
}

}  // namespace commsim::experiment
