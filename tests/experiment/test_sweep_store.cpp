// The sweep's store and assembly: a region run's parts reach the results file; on a full disk
// the error names the results file and says the disk is full (it said only "cannot copy run
// ..."), and nothing is left behind.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/experiment/sweep_store.hpp"
#include "sim/output/hdf5.hpp"
#include "support/test_support.hpp"

namespace commsim::experiment {
namespace {

// A run whose values do not compress: 200 days x 400 cells of hashed bits.
output::RunResult incompressible_run(std::uint64_t salt) {
  output::RunResult run;
  run.days = 200;
  output::Metric m{"noise", "", "Values deflate cannot shrink.", {{"cell", {}}}, {}};
  m.dims[0].labels.resize(400, "c");
  std::uint64_t x = salt * 0x9e3779b97f4a7c15ULL + 1;
  for (int i = 0; i < 200 * 400; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    m.values.push_back(static_cast<double>(x >> 11));
  }
  run.timeseries.push_back(std::move(m));
  run.summaries.push_back({"total", "", "A scalar.", {}, {1.0}});
  return run;
}

// A sweep of region scenarios: each run's communities, subdistricts and region tables are in
// /runs/<point>/<rep>/ as in a run file, and /sweep/summary holds the region's totals, one row a
// run.
TEST(SweepStore, ARegionRunKeepsItsPartsInTheResultsFile) {
  test::TempDir dir;
  const PartialStore store(dir / "o.h5", "fingerprint", false);
  const output::RunResult region = test::region_run();
  store.write(0, 0, 7, region);
  const auto out = dir / "o.h5";
  SweepAssembler assembler(out, {{0, 0}});
  assembler.add(store.source(0, 0, 7));
  SweepHeader header;
  header.point_table.name = "points";
  header.point_table.columns.push_back({"point", "", "", std::vector<std::int64_t>{0}});
  header.points = 1;
  assembler.finish(header, std::nullopt);

  const auto file = output::h5::open_sealed(out);
  const auto run = output::read_run(output::h5::open_group(file, "runs/p00000/r000"));
  EXPECT_TRUE(test::same_run(region, run));
  const auto sweep = output::h5::open_group(file, "sweep");
  const auto summary = output::read_table(sweep, "summary");
  std::vector<std::string> fields;
  for (const auto& c : summary.columns) fields.push_back(c.name);
  EXPECT_EQ(fields, (std::vector<std::string>{"point", "replication", "seed", "closure_rate",
                                              "work_orders_opened/Han", "work_orders_opened/Hui"}));
  EXPECT_EQ(std::get<std::vector<double>>(summary.columns[3].data),
            std::vector<double>{0.9});  // the region's, not a community's 0.96 or 0.86
}

TEST(SweepStore, FullDiskWhileCopyingRunsNamesTheResultsFileAndLeavesNothing) {
  test::TempDir dir;
  const auto small = dir / "small";
  const test::SmallDisk disk(small, 512);
  if (!disk.mounted()) GTEST_SKIP() << "mounting a small tmpfs needs root (CI runs as root)";
  const PartialStore store(dir / "o.h5", "fingerprint", false);
  for (std::int64_t r = 0; r < 3; ++r) store.write(0, r, 7, incompressible_run(r));
  const auto out = small / "o.h5";
  try {
    SweepAssembler assembler(out, {{0, 0}, {0, 1}, {0, 2}});
    for (std::int64_t r = 0; r < 3; ++r) assembler.add(store.source(0, r, 7));
    ADD_FAILURE() << "three runs of 640 KB each cannot fit in 512 KB";
  } catch (const output::StorageError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("cannot write " + out.string()), std::string::npos) << message;
    EXPECT_NE(message.find("no space left on device"), std::string::npos) << message;
  }
  EXPECT_TRUE(std::filesystem::is_empty(small)) << "the temporary is removed";
}

}  // namespace
}  // namespace commsim::experiment
