// `commsim run` and `validate` of a region scenario end to end: the file's layout, the region's
// table of communities in the provenance, a bad table is exit code 2 from both with no file left,
// and commands that take one community refuse a region.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/test_support.hpp"

namespace commsim::test {
namespace {

TEST(RegionCommand, AShippedRegionRunsAndItsFileHoldsEveryPart) {
  TempDir dir;
  const auto out = dir / "r.h5";
  const auto r = run_commsim({"run", "scenarios/regions/two_subdistricts.yaml", "-o", out.string(),
                              "--days", "20", "--set", "run.burn_in_days=10", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto file = read_run_file(out);
  std::vector<std::string> names;
  for (const auto& p : file.result.parts) names.push_back(p.level + ":" + p.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"community:N1", "community:N2", "community:S1",
                                      "community:S2", "subdistrict:North", "subdistrict:South"}));
  ASSERT_EQ(file.result.region_tables.size(), 2u);
  EXPECT_EQ(file.result.region_tables[0].name, "communities");
  EXPECT_EQ(file.result.region_tables[0].columns[0].rows(), 4u);
  // Inline communities: no table file in the provenance; the resolved YAML names them.
  EXPECT_EQ(file.provenance.region_file, "");
  EXPECT_NE(file.provenance.scenario_resolved.find("name: N2"), std::string::npos);
}

TEST(RegionCommand, TheCommunitiesTableIsInTheProvenance) {
  TempDir dir;
  const auto out = dir / "w.h5";
  const auto r = run_commsim({"run", "scenarios/regions/wuzhong.yaml", "-o", out.string(), "--days",
                              "1", "--set", "run.burn_in_days=0", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto file = read_run_file(out);
  EXPECT_EQ(file.provenance.region_file, "scenarios/regions/wuzhong_communities.csv");
  EXPECT_EQ(file.provenance.region_text, read_file(source_dir() / file.provenance.region_file));
  EXPECT_EQ(file.provenance.region_digest.size(), 16u);
}

TEST(RegionCommand, ABadTableIsExitCodeTwoFromValidateAndRunAndLeavesNoFile) {
  TempDir dir;
  write_file(dir / "c.csv", "name,subdistrict,community.households\nA,S,400\nB,S,-3\n");
  write_file(dir / "r.yaml", "extends: " + (source_dir() / "scenarios/baseline.yaml").string() +
                                 "\nregion:\n  subdistricts: [{name: S}]\n"
                                 "  communities_file: c.csv\n");
  const auto v = run_commsim({"validate", (dir / "r.yaml").string()});
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_NE(v.err.find("c.csv:3:5: community.households: community 'B'"), std::string::npos)
      << v.err;
  const auto out = dir / "r.h5";
  const auto r = run_commsim({"run", (dir / "r.yaml").string(), "-o", out.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, v.err);
  EXPECT_FALSE(std::filesystem::exists(out));
  const auto reg = run_commsim(
      {"register", "scenarios/regions/two_subdistricts.yaml", "-o", (dir / "h.csv").string()});
  EXPECT_EQ(reg.exit_code, 2);
  EXPECT_NE(reg.err.find("is a region"), std::string::npos) << reg.err;
}

}  // namespace
}  // namespace commsim::test
