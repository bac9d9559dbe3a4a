#pragma once
// The catalogue of metrics a run writes, from their declarations: `commsim metrics` prints it
// (Markdown, docs/metrics.md, or JSON with --json). A run file's datasets carry the same facts as
// attributes, so the catalogue of a file's metrics (values ignored) is the same text.

#include <string>
#include <vector>

#include "sim/output/run_result.hpp"

namespace commsim::cli {

// {"units": [...], "rules": [...], "metrics": [...]}: one metric per line, time series then
// summaries, each by name.
std::string metrics_json(const std::vector<output::Metric>& timeseries,
                         const std::vector<output::Metric>& summaries);
std::string metrics_markdown(const std::vector<output::Metric>& timeseries,
                             const std::vector<output::Metric>& summaries);

}  // namespace commsim::cli
