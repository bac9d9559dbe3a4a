#pragma once
// A sweep file read, validated and expanded into its runs. Every point is the base scenario plus
// the point's values, applied with scenario::set_path and validated by resolve_document exactly
// like `--set`, so a bad value is reported at its line in the sweep file (exit code 2).
//
// The sweep file (YAML):
//   base: ../baseline.yaml         base scenario, relative to the sweep file (required)
//   seed: 7                        sweep seed (default: the base scenario's run.seed)
//   replications: 3                runs per point (default 1)
//   seeds: common                  common | independent (see seed_of)
//   set: {run.days: 30}            overrides applied to every point
//   design: grid                   list | grid | lhs | saltelli (required)
//   parameters:                    key path -> levels (grid) or {min: a, max: b} (lhs, saltelli)
//   samples: 16                    lhs: points; saltelli: base sample size N
//   points: [{key.path: v, ...}]   list: one mapping per point

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/scenario/document.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/scenario_schema.hpp"
#include "sim/scenario/schema.hpp"

namespace commsim::experiment {

enum class Design { List, Grid, Lhs, Saltelli };
enum class SeedMode { Common, Independent };

const char* design_name(Design d);
const char* seeds_name(SeedMode s);  // "common", "independent": as the sweep file spells them

struct Parameter {
  std::string key;                  // scenario key path, as written in the sweep file
  bool numeric = true;              // false: string, choice or boolean (stored as a level index)
  bool integer = false;             // an integer key: sampled values are rounded
  double min = 0, max = 0;          // lhs, saltelli
  std::vector<std::string> levels;  // non-numeric: the names, in order of first appearance
  std::vector<std::string> grid;    // grid: the levels as written
};

struct Point {
  std::vector<scenario::Node> values;  // one per parameter, located in the sweep file
  std::vector<double> columns;         // one per parameter: the value, or its level index
  std::int64_t saltelli_block = -1;
  std::int64_t saltelli_row = -1;
};

struct SweepPlan {
  std::filesystem::path file;
  std::string text;                 // the sweep file exactly as given
  std::filesystem::path base_path;  // as resolved against the sweep file's folder
  std::string base_name;            // as written in the sweep file
  scenario::LoadedScenario base;    // with the `set` overrides applied
  std::uint64_t seed = 0;
  std::int64_t replications = 1;
  SeedMode seeds = SeedMode::Common;
  Design design = Design::List;
  std::int64_t samples = 0;  // lhs n, saltelli N
  std::vector<Parameter> parameters;
  std::vector<Point> points;
  std::vector<scenario::Scenario> scenarios;  // one per point, validated
  std::string fingerprint;  // hash of everything that determines the results (hex)

  std::int64_t runs() const { return static_cast<std::int64_t>(points.size()) * replications; }
  std::int64_t point_of(std::int64_t run) const { return run / replications; }
  std::int64_t replication_of(std::int64_t run) const { return run % replications; }
  // Seeds are hashed, never added. common: replication r of every point shares a seed (common
  // random numbers, so point differences measure the policy, not the noise); independent: the
  // point is hashed in too.
  std::uint64_t seed_of(std::int64_t point, std::int64_t replication) const;
  // The design as specified (parameters with their levels or ranges; a list design's points),
  // as YAML text for /provenance `design`.
  std::string design_yaml() const;
};

// Shared with the calibration file (sim/experiment/calibration.hpp), which has the same `base`
// and `set` keys and names scenario keys the same way. Each throws ScenarioError at `n`/`where`.
double number(const scenario::Node& n, const std::string& key);
std::int64_t integer(const scenario::Node& n, const std::string& key, std::int64_t lo,
                     std::int64_t hi);
using scenario::schema_at;
// A key that may be varied: numeric or not, integer or not (not run.seed, not a whole section).
Parameter describe_parameter(const std::string& key, const scenario::Location& where);
// `base` (relative to `file`'s folder) loaded, with the overrides of `set` applied and validated.
scenario::LoadedScenario load_base(const scenario::Node& doc, const std::filesystem::path& file,
                                   std::string& base_name, std::filesystem::path& base_path);

// Reads and validates the sweep file and every point's scenario. Throws ScenarioError.
SweepPlan load_sweep(const std::filesystem::path& file);

}  // namespace commsim::experiment
