#pragma once
#include "sim/scenario/scenario.hpp"
#include "sim/scenario/schema.hpp"

namespace commsim::scenario {
// The one definition of every scenario key (see scenario_schema.cpp).
const SchemaNode& scenario_schema();
}  // namespace commsim::scenario
