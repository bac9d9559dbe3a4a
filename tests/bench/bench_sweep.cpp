// Google Benchmark of a whole sweep: eight replications of the baseline year, simulated in
// parallel, every run written to its durable side file and copied into the results file as it
// finishes (as `commsim sweep` does), then the results file's tables written.
// Reports runs per minute and the share of wall time spent writing HDF5.
//   build/release/tests/commsim_bench --benchmark_filter=Sweep

#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>

#include "sim/experiment/sweep_plan.hpp"
#include "sim/experiment/sweep_runner.hpp"
#include "sim/experiment/sweep_store.hpp"
#include "sim/output/provenance.hpp"

namespace {

namespace ex = commsim::experiment;
using Clock = std::chrono::steady_clock;

void BM_SweepBaselineYear(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const bool write = state.range(1) != 0;  // 0: simulate only, the baseline for the overhead
  const auto plan = ex::load_sweep(std::string(COMMSIM_SOURCE_DIR) +
                                   "/scenarios/sweeps/baseline_year_replications.yaml");
  const auto folder = std::filesystem::temp_directory_path() / "commsim-bench-sweep";
  std::filesystem::create_directories(folder);
  const auto out = folder / "sweep.h5";
  double runs = 0, wall = 0, writing = 0, assembling = 0;
  for (auto _ : state) {
    std::filesystem::remove_all(out.string() + ".partial");
    const auto start = Clock::now();
    const ex::PartialStore store(out, plan.fingerprint, false);
    std::vector<std::int64_t> all;
    for (std::int64_t r = 0; r < plan.runs(); ++r) all.push_back(r);
    const std::atomic<bool> stop{false};
    std::vector<std::pair<std::int64_t, std::int64_t>> order;
    for (const auto r : all) order.emplace_back(plan.point_of(r), plan.replication_of(r));
    ex::SweepAssembler assembler(out, order, store.folder() / "results.h5.tmp-bench");
    ex::run_local(plan, all, threads, stop, [&](ex::FinishedRun&& f) {
      if (!write) return;
      const auto t = Clock::now();
      store.write(f.point, f.replication, f.seed, f.result);
      assembler.add(store.source(f.point, f.replication, f.seed));
      writing += std::chrono::duration<double>(Clock::now() - t).count();
    });
    const auto t = Clock::now();
    if (write)
      assembler.finish(
          ex::make_header(plan, commsim::output::make_provenance(plan.base, plan.seed, 0, threads)),
          std::nullopt);
    store.remove();
    assembling += std::chrono::duration<double>(Clock::now() - t).count();
    wall += std::chrono::duration<double>(Clock::now() - start).count();
    runs += static_cast<double>(plan.runs());
  }
  std::filesystem::remove_all(folder);
  state.counters["runs_per_min"] = runs / wall * 60.0;
  // Run files are written and copied on the writer thread while the workers simulate; the
  // results file's tables at the end are on the critical path.
  state.counters["hdf5_share_pct"] = 100.0 * (writing + assembling) / wall;
  state.counters["run_files_pct"] = 100.0 * writing / wall;
  state.counters["assemble_pct"] = 100.0 * assembling / wall;
}
// Compare the wall time of {threads, 1} with {threads, 0}: the difference is what writing costs
// the sweep; hdf5_share_pct is the writer thread's busy time, partly overlapped with simulating.
BENCHMARK(BM_SweepBaselineYear)
    ->Args({1, 1})
    ->Args({1, 0})
    ->Args({2, 1})
    ->Args({2, 0})
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace
