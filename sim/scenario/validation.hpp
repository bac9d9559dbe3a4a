#pragma once
// The checks that cross sections of a scenario, run on every scenario the loader returns (after
// binding, so `validate`, `run`, `sweep` and `calibrate` check alike): a name one section gives
// another (a need type in casework.types or a volunteer team's task_types, a group in
// staffing.languages) is resolved to its index in the Scenario, or is an error at its line with
// the close name; a name given twice is an error; each staff kind's hours fit in its day. After
// these, a mechanism takes indices and enums from the Scenario and parses nothing.

#include "sim/scenario/document.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::scenario {

// Fills the resolved fields of `s` (documented in scenario.hpp) from the names in it; `resolved`
// is the resolved tree `s` was bound from, for the places of errors. Throws ScenarioError.
void check_across_sections(Scenario& s, const Node& resolved);

}  // namespace commsim::scenario
