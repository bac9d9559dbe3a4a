#pragma once
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/schema.hpp"

namespace commsim::scenario {
// The one definition of every scenario key (see scenario_schema.cpp).
const SchemaNode& scenario_schema();
// The schema entry a key path names ("staffing.languages.0.share"): a misspelt key is a
// ScenarioError at `where` naming the closest key (sweeps, calibrations, a region's columns).
const SchemaNode& schema_at(const std::string& key_path, const Location& where);
}  // namespace commsim::scenario
