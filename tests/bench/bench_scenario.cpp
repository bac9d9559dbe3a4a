// Google Benchmark of the scenario loader: what `commsim run` and `validate` spend before any
// work, and what a sweep spends per point (issue #14 asks for well under 1 ms per scenario).
//   build/release/tests/commsim_bench --benchmark_filter=Scenario
// ScenarioFile: read, parse, resolve, bind and validate scenarios/baseline.yaml (with a --set).
// ScenarioDefaults: the same from empty text (every default list parsed and resolved).
// ScenarioPoint: a sweep point: the resolved baseline tree re-resolved, bound and validated
// (resolve_scenario, as sweep_plan.cpp does for every point).

#include <benchmark/benchmark.h>

#include <string>

#include "sim/scenario/loader.hpp"

namespace {

namespace sc = commsim::scenario;

const std::string kBaseline = std::string(COMMSIM_SOURCE_DIR) + "/scenarios/baseline.yaml";

void BM_ScenarioFile(benchmark::State& state) {
  for (auto _ : state) {
    auto loaded = sc::load_scenario(kBaseline, {"run.days=30"});
    benchmark::DoNotOptimize(loaded.scenario.run.days);
  }
}
BENCHMARK(BM_ScenarioFile)->Unit(benchmark::kMicrosecond);

void BM_ScenarioDefaults(benchmark::State& state) {
  for (auto _ : state) {
    auto loaded = sc::load_scenario_text("", "empty.yaml");
    benchmark::DoNotOptimize(loaded.scenario.run.days);
  }
}
BENCHMARK(BM_ScenarioDefaults)->Unit(benchmark::kMicrosecond);

void BM_ScenarioPoint(benchmark::State& state) {
  const auto base = sc::load_scenario(kBaseline);
  for (auto _ : state) {
    auto point = sc::resolve_scenario(base.resolved);
    benchmark::DoNotOptimize(point.run.days);
  }
}
BENCHMARK(BM_ScenarioPoint)->Unit(benchmark::kMicrosecond);

}  // namespace
