#pragma once
// A region: many communities under subdistricts in one run ([002]: Ningxia's 664 urban
// communities in 50 urban subdistricts). A region scenario is a scenario file with the top-level
// key `region`; every other key of the file is the region's policy and applies to every community
// unless the community's own row sets it. Each community is then a full scenario (its own grids,
// centre, councils and budget), built from the region's resolved tree with the row's key paths
// set on it, exactly as `--set` would. The subdistricts share their departments: a subdistrict's
// whistle capacity is taken up by the whistles of all its communities, in the order they come.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "sim/scenario/document.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::scenario {

struct RegionSubdistrict {
  std::string name;
  // Whistled orders the subdistrict's departments take up per working day, over all its
  // communities, first come first served; -1: no limit (each order is taken up when whistled).
  double whistle_capacity = -1;
};

struct RegionCommunity {
  std::string name;
  std::size_t subdistrict = 0;               // index into Region::subdistricts
  std::shared_ptr<const Scenario> scenario;  // the region's scenario with the row applied
};

struct Region {
  std::string name;
  // The region scenario's own community.name: a community of that name keeps the scenario's
  // random streams (it draws what the scenario run alone draws); every other is keyed by its name.
  std::string base_name;
  enum class Detail { Summaries, Full } detail = Detail::Summaries;
  std::vector<RegionSubdistrict> subdistricts;
  std::vector<RegionCommunity> communities;
  // region.communities_file: the path read ("" none), its bytes and their fnv1a64 digest.
  std::string communities_file;
  std::string communities_text;
  std::uint64_t communities_digest = 0;
};

// Keys of a region's row that are the region's alone: they say how the run is made and recorded
// (run.*, output.*), or are the row's own columns (community.name is the row's name).
bool region_level_key(const std::string& key_path);

// Reads the `region` mapping of a scenario document: its subdistricts, then its communities (the
// list `communities`, then the rows of `communities_file`, relative to the file that names it),
// each bound on a copy of `base` (the region's resolved tree without `region`). Every error is a
// ScenarioError at the cell or entry that caused it, naming the community. `bind` resolves and
// binds a tree as the loader does.
std::shared_ptr<const Region> read_region(const Node& region, const Node& base,
                                          Scenario (*bind)(Node& resolved));

// The reference of the `region` keys and of the communities' table (docs/scenario.md).
std::string region_markdown();

}  // namespace commsim::scenario
