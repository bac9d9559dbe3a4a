// A region scenario (the key `region`): its subdistricts and communities, from a list and a CSV
// table of key paths, each community a full scenario; every error class names the file, line,
// column and community.

#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/loader.hpp"
#include "sim/scenario/region.hpp"
#include "support/test_support.hpp"

namespace commsim::scenario {
namespace {

// A region in a temporary folder: region.yaml (the baseline's policy, the given `region` body)
// and, if given, communities.csv beside it.
struct RegionFiles {
  test::TempDir dir;
  RegionFiles(const std::string& region_body, const std::string& csv = {}) {
    const std::string base = (test::source_dir() / "scenarios/baseline.yaml").string();
    test::write_file(dir / "region.yaml",
                     "extends: " + base + "\nrun: {days: 10}\nregion:\n" + region_body);
    if (!csv.empty()) test::write_file(dir / "communities.csv", csv);
  }
  LoadedScenario load(const std::vector<std::string>& overrides = {}) const {
    return load_scenario(dir / "region.yaml", overrides);
  }
  std::string file(const std::string& name) const { return (dir / name).string(); }
};

ScenarioError error_of(const RegionFiles& r) {
  try {
    r.load();
  } catch (const ScenarioError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for the region";
  return ScenarioError({}, "", "none");
}

constexpr const char* kTwo =
    "  subdistricts:\n"
    "    - {name: East, whistle_capacity: 3}\n"
    "    - {name: West}\n"
    "  communities:\n"
    "    - {name: A, subdistrict: East, community.households: 400}\n"
    "  communities_file: communities.csv\n";

TEST(Region, CommunitiesFromTheListThenTheTableEachWithItsOwnKeys) {
  const RegionFiles r(kTwo,
                      "name,subdistrict,community.households,staffing.full_time_per_10k\n"
                      "B,West,500,\n"
                      "\"C, the third\",East,,24\n");
  const auto loaded = r.load();
  ASSERT_TRUE(loaded.scenario.region);
  const Region& region = *loaded.scenario.region;
  ASSERT_EQ(region.subdistricts.size(), 2u);
  EXPECT_EQ(region.subdistricts[0].whistle_capacity, 3);
  EXPECT_EQ(region.subdistricts[1].whistle_capacity, -1);  // the default: no limit
  ASSERT_EQ(region.communities.size(), 3u);
  EXPECT_EQ(region.communities[0].name, "A");
  EXPECT_EQ(region.communities[1].name, "B");
  EXPECT_EQ(region.communities[2].name, "C, the third");
  EXPECT_EQ(region.communities[0].subdistrict, 0u);
  EXPECT_EQ(region.communities[1].subdistrict, 1u);
  EXPECT_EQ(region.communities[0].scenario->community.households, 400);
  EXPECT_EQ(region.communities[1].scenario->community.households, 500);
  // An empty cell keeps the region's value (the baseline's 5,025 households).
  EXPECT_EQ(region.communities[2].scenario->community.households,
            loaded.scenario.community.households);
  EXPECT_EQ(region.communities[2].scenario->staffing.full_time_per_10k, 24);
  EXPECT_EQ(region.communities[1].scenario->staffing.full_time_per_10k,
            loaded.scenario.staffing.full_time_per_10k);
  // Each community is named by its row; the region's keys reach every community.
  EXPECT_EQ(region.communities[1].scenario->community.name, "B");
  EXPECT_EQ(region.communities[1].scenario->run.days, 10);
  EXPECT_EQ(region.base_name, loaded.scenario.community.name);
  EXPECT_EQ(region.communities_file, r.file("communities.csv"));
  EXPECT_EQ(region.communities_digest, fnv1a64(test::read_file(r.dir / "communities.csv")));
  // The resolved tree keeps `region` as given, so the provenance says what was run.
  EXPECT_NE(loaded.resolved_yaml.find("communities_file: communities.csv"), std::string::npos);
}

TEST(Region, ARegionLevelOverrideReachesEveryCommunityAndARowStillWins) {
  const RegionFiles r(kTwo, "name,subdistrict,staffing.full_time_per_10k\nB,West,30\n");
  const auto loaded = r.load({"staffing.full_time_per_10k=12"});
  const Region& region = *loaded.scenario.region;
  EXPECT_EQ(region.communities[0].scenario->staffing.full_time_per_10k, 12);
  EXPECT_EQ(region.communities[1].scenario->staffing.full_time_per_10k, 30);
  // --set reaches into the region too.
  const auto more = r.load({"region.subdistricts[1].whistle_capacity=7"});
  EXPECT_EQ(more.scenario.region->subdistricts[1].whistle_capacity, 7);
}

TEST(Region, TheInputDigestFollowsTheTablesBytes) {
  const RegionFiles a(kTwo, "name,subdistrict,community.households\nB,West,500\n");
  const RegionFiles b(kTwo, "name,subdistrict,community.households\nB,West,501\n");
  EXPECT_NE(input_digest(a.load().scenario), input_digest(b.load().scenario));
  EXPECT_EQ(input_digest(a.load().scenario), input_digest(a.load().scenario));
  EXPECT_NE(input_digest(a.load().scenario), 0u);
}

struct BadTable {
  const char* csv;
  int line, column;
  const char* words;
};

TEST(Region, EveryBadRowNamesTheCellAndTheCommunity) {
  const BadTable cases[] = {
      {"name,subdistrict,community.households\nB,Nowhere,500\n", 2, 3,
       "community 'B': subdistrict 'Nowhere' is not in region.subdistricts"},
      {"name,subdistrict,community.households\nB,West,many\n", 2, 8,
       "community 'B': expected an integer"},
      {"name,subdistrict,community.housholds\nB,West,500\n", 1, 18, "did you mean 'households'"},
      // A misspelt column is an error even when every cell of it is empty.
      {"name,subdistrict,comunity.households\nB,West,\n", 1, 18, "no scenario key 'comunity'"},
      // A cell that is no YAML value names its key and community.
      {"name,subdistrict,community.households\nB,West,\"[1,\"\n", 2, 8,
       "community 'B': the cell is not a YAML value"},
      {"name,subdistrict,run.days\nB,West,5\n", 1, 18, "cannot be set for one community"},
      {"name,subdistrict,community.name\nB,West,X\n", 1, 18, "its `name`"},
      {"name,subdistrict,community.households\nB,West\n", 2, 1, "the row has 2 cells"},
      {"name,community.households\nB,500\n", 1, 0, "no 'subdistrict' column"},
      {"name,subdistrict\nA,West\n", 2, 1, "community 'A' is listed twice"},
      {"name,subdistrict\n,West\n", 2, 1, "the community has no name"},
      {"name,subdistrict\nB,\n", 2, 1, "community 'B' has no subdistrict"},
      {"name,subdistrict,community.groups[0].name\nB,West,Other\n", 2, 1, "has other groups"},
      {"name,subdistrict,subdistrict\nB,West,West\n", 1, 18, "given twice"},
      {"name,subdistrict\n\"B,West\n", 2, 1, "never closed"},
  };
  for (const auto& c : cases) {
    const RegionFiles r(kTwo, c.csv);
    const ScenarioError e = error_of(r);
    SCOPED_TRACE(c.csv);
    ASSERT_TRUE(e.where().file);
    EXPECT_EQ(*e.where().file, r.file("communities.csv")) << e.what();
    EXPECT_EQ(e.where().line, c.line) << e.what();
    EXPECT_EQ(e.where().column, c.column) << e.what();
    EXPECT_NE(std::string(e.what()).find(c.words), std::string::npos) << e.what();
  }
}

TEST(Region, ARowsNestedMappingSetsItsKeysNotTheWholeSection) {
  // {community: {households: 400}} (or what --set builds from region.communities.0.community.
  // households=...) is the key community.households, not a new `community` section that would
  // put households_per_grid and every other key back to its default.
  const RegionFiles r(
      "  subdistricts: [{name: S}]\n"
      "  communities:\n"
      "    - {name: A, subdistrict: S, community: {households: 400}}\n"
      "    - {name: B, subdistrict: S}\n");
  const auto plain = r.load({"community.households_per_grid=100"});
  const auto& a = *plain.scenario.region->communities[0].scenario;
  EXPECT_EQ(a.community.households, 400);
  EXPECT_EQ(a.community.households_per_grid, 100);
  const auto set = r.load(
      {"community.households_per_grid=100", "region.communities.1.community.households=999"});
  const auto& b = *set.scenario.region->communities[1].scenario;
  EXPECT_EQ(b.community.households, 999);
  EXPECT_EQ(b.community.households_per_grid, 100);
}

TEST(Region, NamesAreTrimmedAndASubdistrictWithoutCommunitiesIsAnError) {
  const RegionFiles trimmed(kTwo, "name,subdistrict\n  B , West \n");
  EXPECT_EQ(trimmed.load().scenario.region->communities[1].name, "B");
  EXPECT_EQ(trimmed.load().scenario.region->communities[1].subdistrict, 1u);
  const RegionFiles empty(
      "  subdistricts: [{name: S}, {name: Unused}]\n"
      "  communities: [{name: A, subdistrict: S}]\n");
  const ScenarioError e = error_of(empty);
  EXPECT_EQ(e.where().line, 4) << e.what();  // region.yaml: extends, run, region, subdistricts
  EXPECT_NE(std::string(e.what()).find("subdistrict 'Unused' has no community"), std::string::npos)
      << e.what();
}

TEST(Region, ACrossKeyCheckFailingForOneCommunityNamesIt) {
  // The shares sum to more than 1 for B only: the error is the base file's check, for B.
  const RegionFiles r(kTwo, "name,subdistrict,community.groups[0].share\nB,West,0.9\n");
  const ScenarioError e = error_of(r);
  EXPECT_NE(std::string(e.what()).find("community 'B': group shares must sum to 1"),
            std::string::npos)
      << e.what();
}

TEST(Region, BadRegionKeysAreErrorsAtTheirLines) {
  const struct {
    const char* body;
    const char* words;
  } cases[] = {
      {"  subdistricts: [{name: S}]\n", "the region has no community"},
      {"  communities: [{name: A, subdistrict: S}]\n", "expected a list of subdistricts"},
      {"  subdistricts: [{name: S, whistle_capacity: -2}]\n  communities: [{name: A, "
       "subdistrict: S}]\n",
       "or -1 (no limit)"},
      {"  subdistricts: [{name: S, capacity: 2}]\n  communities: [{name: A, subdistrict: S}]\n",
       "unknown key"},
      {"  subdistricts: [{name: S}, {name: S}]\n  communities: [{name: A, subdistrict: S}]\n",
       "listed twice"},
      {"  subdistrict: [{name: S}]\n", "did you mean 'subdistricts'"},
      {"  subdistricts: [{name: S}]\n  communities: [{subdistrict: S}]\n", "is required"},
      {"  subdistricts: [{name: S}]\n  communities: [{name: A, subdistrict: S}]\n  "
       "communities_file: missing.csv\n",
       "cannot read"},
      {"  subdistricts: [{name: S}]\n  detail: all\n  communities: [{name: A, subdistrict: S}]\n",
       "expected summaries or full"},
  };
  for (const auto& c : cases) {
    const RegionFiles r(c.body);
    const ScenarioError e = error_of(r);
    SCOPED_TRACE(c.body);
    ASSERT_TRUE(e.where().file);
    EXPECT_EQ(*e.where().file, r.file("region.yaml")) << e.what();
    EXPECT_GE(e.where().line, 4) << e.what();  // in the region's lines
    EXPECT_NE(std::string(e.what()).find(c.words), std::string::npos) << e.what();
  }
}

TEST(Region, RegionLevelKeysAreTheRegions) {
  EXPECT_TRUE(region_level_key("run.days"));
  EXPECT_TRUE(region_level_key("output.work_order_events"));
  EXPECT_TRUE(region_level_key("community.name"));
  EXPECT_TRUE(region_level_key("region.detail"));
  EXPECT_FALSE(region_level_key("community.households"));
  EXPECT_FALSE(region_level_key("staffing.full_time_per_10k"));
}

}  // namespace
}  // namespace commsim::scenario
