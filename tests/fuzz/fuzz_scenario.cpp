// libFuzzer target: the scenario loader as `commsim run` and `validate` call it, with `--set`
// overrides. An input is YAML text, optionally followed by a NUL byte and overrides
// ("key.path=value"), one a line. Every rejection must be a ScenarioError (exit 2, naming file,
// line and key); any other exception, a crash or a sanitizer report is a finding. So is a text
// the subset YAML reader (sim/scenario/yaml_subset.hpp) accepts with a tree other than
// yaml-cpp's, or that yaml-cpp rejects.
//   scripts/fuzz scenario      (corpus: tests/fuzz/corpus/scenario, dictionary: scenario.dict)

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "sim/scenario/document.hpp"
#include "sim/scenario/error.hpp"
#include "sim/scenario/loader.hpp"

namespace {

namespace sc = commsim::scenario;

void subset_reader_agrees_with_yaml_cpp(const std::string& text) {
  const std::string verdict = sc::compare_yaml_readers(text, "fuzz.yaml");
  if (verdict == "declined" || verdict == "agree") return;
  std::fprintf(stderr, "fuzz_scenario: %s\n", verdict.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto nul = input.find('\0');
  const std::string text = input.substr(0, nul);
  std::vector<std::string> overrides;
  if (nul != std::string::npos) {
    std::size_t start = nul + 1;
    while (start <= input.size()) {
      auto end = input.find('\n', start);
      if (end == std::string::npos) end = input.size();
      if (end > start) overrides.push_back(input.substr(start, end - start));
      start = end + 1;
    }
  }
  subset_reader_agrees_with_yaml_cpp(text);
  try {
    // `extends: ../baseline.yaml` of the policy scenarios resolves as it does in the repository.
    commsim::scenario::load_scenario_text(text, "fuzz.yaml", overrides,
                                          COMMSIM_SOURCE_DIR "/scenarios/policies");
  } catch (const commsim::scenario::ScenarioError&) {
    // A clear message with its place: what bad input must give.
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz_scenario: not a ScenarioError (commsim would exit 1): %s\n",
                 e.what());
    std::abort();
  }
  return 0;
}
