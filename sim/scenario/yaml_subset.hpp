#pragma once
// A reader for the block-style YAML that scenario files are written in: block mappings and
// sequences, scalars and flow collections that fit on their line, and comments.
//
// Why: yaml-cpp matches each character through its regular-expression classes, which took
// 1.1 ms of the 1.3 ms a load of scenarios/baseline.yaml cost (issue #14 asks for well under
// 1 ms). This reader takes about a tenth of that. It declines (nullopt) anything outside the
// subset, and outside the subset nothing changes: parse_yaml then gives the text to yaml-cpp,
// which also writes every "not valid YAML" message. Declined are anchors, aliases, tags, block
// scalars, multi-line scalars and flow collections, escapes in double quotes, empty values,
// document markers and directives, tabs, carriage returns, control characters, invalid UTF-8,
// duplicate keys and keys that are not plain names. Columns count bytes, as yaml-cpp's do.
//
// Where it accepts, the tree is the one yaml-cpp's would give: the same kinds, scalars, keys in
// order, and the same line and column for every node and key (yaml-cpp's marks: a block
// mapping at its first key, a block sequence at its first '-', a flow collection at its
// bracket, a scalar at its first character or opening quote). tests/scenario/test_yaml_subset.cpp
// checks this on every YAML file in the repository and on hand-made edge cases, and the
// scenario fuzzer (tests/fuzz/fuzz_scenario.cpp) on every input it makes.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sim/scenario/document.hpp"

namespace commsim::scenario {

// The tree of `text`, or nullopt when the text is not in the subset (then ask yaml-cpp). An
// empty document (blank lines and comments only) is a Null node.
std::optional<Node> read_yaml_subset(std::string_view text,
                                     const std::shared_ptr<const std::string>& file);

}  // namespace commsim::scenario
