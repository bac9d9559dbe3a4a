#pragma once
// Daily metrics, declared once and accumulated per grid.
//
// A mechanism registers each metric (name, unit, description, breakdown) before the run; the
// writer and the docs are driven by that registration. During a day, the parallel phase writes
// only to its own grid's row and the ordered phase to the community row; at the end of the day
// the rows are reduced in grid order, so sums are bitwise identical for any thread count.

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/core/types.hpp"
#include "sim/output/run_result.hpp"

namespace commsim::output {

enum class Aggregation : std::uint8_t {
  Sum,    // counts and stocks: the sum over grids
  Ratio,  // means and shares: sum of numerators / sum of denominators (NaN when 0)
};

struct MetricSpec {
  std::string name;
  std::string unit;
  std::string description;
  std::vector<Dimension> dims;  // breakdown axes; with per_grid, dims[0] must be the grid axis
  bool per_grid = false;        // keep each grid's value instead of summing over grids
  Aggregation aggregation = Aggregation::Sum;
};

struct MetricId {
  std::uint32_t index = 0;
};

class Recorder {
 public:
  // A grid's (or the community's) accumulators for the current day.
  class Row {
   public:
    // cell indexes the metric's breakdown (row-major over its dims, without the grid axis of a
    // per-grid metric).
    void add(MetricId m, std::size_t cell, double v) const { data_[offset(m, cell)] += v; }
    void add(MetricId m, double v) const { add(m, 0, v); }
    // Ratio metrics: one observation's numerator and denominator.
    void add_ratio(MetricId m, std::size_t cell, double numerator, double denominator = 1.0) const {
      data_[offset(m, cell)] += numerator;
      data_[offset(m, cell) + owner_->slots_[m.index].width] += denominator;
    }

   private:
    friend class Recorder;
    Row(const Recorder* owner, double* data) : owner_(owner), data_(data) {}
    std::size_t offset(MetricId m, std::size_t cell) const {
      return owner_->slots_[m.index].offset + cell;
    }
    const Recorder* owner_;
    double* data_;
  };

  Recorder(std::uint32_t grids, std::int64_t days) : grids_(grids), days_(days) {}

  MetricId add(MetricSpec spec);
  // Allocates the rows; call once, after every metric is registered and before the first day.
  void start();

  Row grid_row(GridId g) {
    return Row(this, rows_.data() + static_cast<std::size_t>(g.value) * stride_);
  }
  Row community_row() {
    return Row(this, rows_.data() + static_cast<std::size_t>(grids_) * stride_);
  }

  // Reduces the rows of day d into the series, in grid order, and clears them.
  void end_day(Day d);

  // The day's reduced value of a Sum metric's cell (for mechanisms that read yesterday's totals).
  double value(MetricId m, Day d, std::size_t cell = 0) const;
  const MetricSpec& spec(MetricId m) const { return slots_[m.index].spec; }
  std::size_t cells(MetricId m) const { return slots_[m.index].cells; }

  // The series so far, as written to /timeseries.
  std::vector<Metric> timeseries() const;
  // Totals over all days of a Sum metric, as a summary with the same breakdown.
  Metric total(MetricId m, std::string name, std::string description) const;

 private:
  struct Slot {
    MetricSpec spec;
    std::size_t cells = 0;       // cells per day in the output (including the grid axis)
    std::size_t width = 0;       // accumulators per row (without the grid axis)
    std::size_t offset = 0;      // into a row
    std::vector<double> series;  // days x cells
  };
  std::uint32_t grids_;
  std::int64_t days_;
  std::vector<Slot> slots_;
  std::size_t stride_ = 0;  // doubles per row
  std::vector<double> rows_;
};

}  // namespace commsim::output
