// Google Benchmark of writing one baseline-year run file (the per-run output cost of a sweep).
//   build/release/tests/commsim_bench --benchmark_filter=WriteRunFile

#include <benchmark/benchmark.h>

#include <filesystem>

#include "sim/engine/simulation.hpp"
#include "sim/output/hdf5.hpp"
#include "sim/output/provenance.hpp"
#include "sim/scenario/loader.hpp"

namespace {

void BM_WriteRunFile(benchmark::State& state) {
  const auto loaded = commsim::scenario::load_scenario(std::string(COMMSIM_SOURCE_DIR) +
                                                       "/scenarios/baseline.yaml");
  commsim::engine::RunOptions options;
  options.seed = 1;
  const auto out = commsim::engine::run_simulation(loaded.scenario, options);
  const commsim::output::Provenance provenance;
  const auto path = std::filesystem::temp_directory_path() / "commsim-bench-run.h5";
  for (auto _ : state) commsim::output::write_run_file(path, out.result, provenance);
  state.counters["bytes"] = static_cast<double>(std::filesystem::file_size(path));
  std::filesystem::remove(path);
}
BENCHMARK(BM_WriteRunFile)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
