#pragma once
// Shared by the scenario tests: the ScenarioError a scenario text raises.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/scenario/loader.hpp"

namespace commsim::scenario {

// Loads text (as "s.yaml") and returns the ScenarioError it raises (fails the test when none).
inline ScenarioError error_of(const std::string& text,
                              const std::vector<std::string>& overrides = {}) {
  try {
    load_scenario_text(text, "s.yaml", overrides);
  } catch (const ScenarioError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return ScenarioError({}, "", "none");
}

}  // namespace commsim::scenario
