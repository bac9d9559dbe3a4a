#pragma once
// The metrics of several communities' runs combined into one set with the same declarations (a
// region's totals, a subdistrict's), each metric by its `combine` attribute:
//   sum    cell by cell, the sum over the parts (orders, residents, hours);
//   ratio  cell by cell, the parts' values pooled by their weights (Metric::weights: each cell's
//          denominator), so a share or mean is the population's, never a mean of means; a part
//          without weights makes the cell NaN;
//   none   NaN: a gap, an index or a percentile of several communities is not a function of
//          theirs (read each community's own).
// A headline combines the same way (totals summed, means pooled by headline_weight), whatever
// the cells. A metric whose first axis is the grid keeps every part's grids, one after another
// (labels "COMMUNITY/GRID"); other axes must agree between parts, else the cells are NaN. A
// metric some part lacks is left out.

#include <span>
#include <string>
#include <vector>

#include "sim/output/run_result.hpp"

namespace commsim::output {

struct Part {
  const std::vector<Metric>* metrics;
  std::string name;  // prefixes grid labels
};

// Summaries (values: cells).
std::vector<Metric> combine_summaries(std::span<const Part> parts);
// Time series (values: days x cells); a ratio series pools by each day's weights.
// `grid_series`: whether series by grid are kept (their grids one after another) or left out.
std::vector<Metric> combine_timeseries(std::span<const Part> parts, std::int64_t days,
                                       bool grid_series);

}  // namespace commsim::output
