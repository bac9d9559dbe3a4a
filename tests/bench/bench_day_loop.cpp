// Google Benchmark of the day loop on the baseline scenario: resident-days per second.
//   build/release/tests/commsim_bench --benchmark_filter=DayLoop

#include <benchmark/benchmark.h>

#include "sim/engine/simulation.hpp"
#include "sim/scenario/loader.hpp"

namespace {

const commsim::scenario::Scenario& baseline(int days) {
  static auto loaded =
      commsim::scenario::load_scenario(std::string(COMMSIM_SOURCE_DIR) + "/scenarios/baseline.yaml",
                                       {"run.days=" + std::to_string(days)});
  return loaded.scenario;
}

// A whole baseline run of 60 days (population built once per iteration, as in a real run).
void BM_DayLoopBaseline(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const auto& scenario = baseline(60);
  std::uint64_t resident_days = 0;
  for (auto _ : state) {
    commsim::engine::RunOptions options;
    options.seed = 1;
    options.threads = threads;
    const auto out = commsim::engine::run_simulation(scenario, options);
    resident_days += out.resident_days;
    benchmark::DoNotOptimize(out.result.timeseries.data());
  }
  state.counters["resident_days_per_s"] =
      benchmark::Counter(static_cast<double>(resident_days), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DayLoopBaseline)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
