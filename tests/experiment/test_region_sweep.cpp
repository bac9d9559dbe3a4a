// A sweep of a region scenario: its points set region-level keys (a subdistrict's whistle
// capacity, the staffing rate of every community), each run is a whole region, and the results
// file is the same from one thread, two threads and two or three MPI ranks, every dataset bit for
// bit (the communities' and subdistricts' parts and the region's tables included).

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "sim/output/hdf5.hpp"
#include "support/test_support.hpp"
#include "sweep_files.hpp"

namespace commsim::test {
namespace {

std::string region_sweep() {
  return "base: " + (source_dir() / "scenarios/regions/two_subdistricts.yaml").string() +
         "\nset:\n  run.burn_in_days: 10\n  run.days: 20\nreplications: 1\ndesign: grid\n"
         "parameters:\n"
         "  region.subdistricts[0].whistle_capacity: [0.5, -1]\n"
         "  staffing.full_time_per_10k: [12, 24]\n";
}

TEST(RegionSweep, SerialThreadsAndMpiWriteIdenticalDatasets) {
  TempDir dir;
  write_file(dir / "s.yaml", region_sweep());
  const auto sweep = (dir / "s.yaml").string();
  const auto one = dir / "one.h5", two = dir / "two.h5";
  auto r = run_commsim({"sweep", sweep, "-o", one.string(), "-q", "--threads", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_commsim({"sweep", sweep, "-o", two.string(), "-q", "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(same_files(one, two));
  // Each run keeps its region: communities, subdistricts and tables.
  {
    const auto datasets = all_datasets(one);
    std::size_t communities = 0, tables = 0;
    const auto ends_with = [](const std::string& path, const std::string& tail) {
      return path.size() >= tail.size() &&
             path.compare(path.size() - tail.size(), tail.size(), tail) == 0;
    };
    for (const auto& [path, bytes] : datasets) {
      communities += ends_with(path, "/communities/N1/summary/closure_rate");
      tables += ends_with(path, "/region/communities");
    }
    EXPECT_EQ(communities, 4u) << "one per run";
    EXPECT_EQ(tables, 4u);
  }
  if (!mpirun_available()) {
    if (std::getenv("CI") != nullptr) FAIL() << "mpirun not available under CI";
    GTEST_SKIP() << "mpirun not available: MPI comparison skipped";
  }
  for (int k = 2; k <= 3; ++k) {
    const auto out = dir / ("mpi" + std::to_string(k) + ".h5");
    const std::string cmd = "cd " + dir.path().string() + " && " + mpirun_prefix(k, 120) +
                            COMMSIM_BIN + " sweep " + sweep + " -o " + out.string() +
                            " -q > mpi.log 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << read_file(dir / "mpi.log");
    EXPECT_TRUE(same_files(one, out)) << "mpirun -n " << k;
  }
}

}  // namespace
}  // namespace commsim::test
