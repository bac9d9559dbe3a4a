#pragma once
// Metrics, declared once and accumulated per grid.
//
// A mechanism declares each metric once, where it records it: name, unit, description, breakdown,
// how its cells combine across grids and groups, and its end-of-run rule. The recorder derives
// every /summary from these declarations (a custom summary is a named reduction declared beside
// the metrics it reads); the HDF5 attributes, `commsim run`'s printed summary, `commsim metrics`
// and docs/metrics.md are all driven by them, so there is no second list of names to forget.
//
// During a day, the parallel phase writes only to its own grid's row and the ordered phase to the
// community row; at the end of the day the rows are reduced in grid order, so sums are bitwise
// identical for any thread count.

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "sim/core/types.hpp"
#include "sim/output/run_result.hpp"

namespace commsim::output {

// How a metric's cells combine across grids and groups (the attribute `combine`).
enum class Combine : std::uint8_t {
  Sum,    // counts and stocks: the sum over grids
  Ratio,  // means and shares: sum of numerators / sum of denominators (NaN when 0)
  None,   // cannot be combined (a gap between groups, an index): recorded once, by one row
};

// A time series' end-of-run rule (the attribute `summary`).
enum class EndRule : std::uint8_t {
  None,   // no summary of its own (a custom reduction may still read it)
  Total,  // `<name>`: the sum over the run's days (counts; Sum metrics only)
  Final,  // `<name>_final`: the last day's value (states)
  Mean,   // `<name>_mean`: the mean over days; a Ratio's numerators and denominators pooled
};

// One word per kind of quantity: the attribute `unit` is always one of these.
struct Unit {
  const char* word;
  double low, high;  // the range every value lies in
  const char* meaning;
};
const std::vector<Unit>& units();
const Unit& unit(const std::string& word);  // throws std::logic_error for a word not in units()

// Every end-of-run rule and named custom reduction (the attributes `summary` and `rule`).
struct Rule {
  const char* name;
  const char* meaning;
};
const std::vector<Rule>& rules();

struct MetricSpec {
  std::string name;
  std::string unit;             // a word of units()
  std::string description;      // of one day's value
  std::vector<Dimension> dims;  // breakdown axes; with per_grid, dims[0] must be the grid axis
  bool per_grid = false;        // keep each grid's value instead of summing over grids
  Combine combine = Combine::Sum;
  EndRule summary = EndRule::None;
  // The summary's description; by default the rule's phrase before `description` ("Total over
  // the run: ...", "On the last day: ...", "Mean over the run's days: ...").
  std::string summary_description;
  bool key = false;  // its summary is a key metric: shown in `commsim run`'s default summary
};

// A summary that no end-of-run rule gives: a custom reduction of a mechanism's own records
// (percentiles of time to resolution, state at the start or end) or of a time series.
struct SummarySpec {
  std::string name;
  std::string unit;  // a word of units()
  std::string description;
  std::vector<Dimension> dims;
  Combine combine = Combine::Sum;
  std::string rule;    // the reduction's name: see docs/metrics.md
  std::string source;  // the time series it summarises, "" if none
  bool key = false;
  // False when no single value stands for the cells: shares of one whole (orders resolved by
  // level), or overlapping cells (the languages a worker speaks). The headline is then NaN.
  bool headline = true;
};

// A custom reduction's result. A Ratio summary also gives each cell's denominator (what its value
// is a ratio of: the orders opened for a closure rate, the residents of a group's mean) as its
// weight, one-cell ones too: its headline is then the population mean (the sum of value x weight
// over the sum of weights of the cells that have any), never a sum of means, and a region pools
// the summaries of its communities cell by cell. A Ratio without weights cannot be pooled; one of
// more than one cell needs them for its headline. A one-cell value N / w keeps its bits as
// headline: (N / w) x w / w rounds back to N / w.
struct Reduced {
  std::vector<double> values;
  std::vector<double> weights;
};

// What a run writes, without values.
struct Declarations {
  std::vector<Metric> timeseries, summaries;
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
    // Whether today's measurements are read (Recorder::measure_day). When not, a mechanism may
    // skip work whose only product is what it adds to the row.
    bool measuring() const { return owner_->measuring_; }

   private:
    friend class Recorder;
    Row(const Recorder* owner, double* data) : owner_(owner), data_(data) {}
    std::size_t offset(MetricId m, std::size_t cell) const {
      return owner_->slots_[m.index].offset + cell;
    }
    const Recorder* owner_;
    double* data_;
  };

  using Reduction = std::function<Reduced(const Recorder&)>;

  Recorder(std::uint32_t grids, std::int64_t days) : grids_(grids), days_(days) {}

  MetricId add(MetricSpec spec);
  // A custom summary, reduced by `reduce` after the last day.
  void add_summary(SummarySpec spec, Reduction reduce);
  // Allocates the rows; call once, after every metric is registered and before the first day.
  void start();

  Row grid_row(GridId g) {
    return Row(this, rows_.data() + static_cast<std::size_t>(g.value) * stride_);
  }
  Row community_row() {
    return Row(this, rows_.data() + static_cast<std::size_t>(grids_) * stride_);
  }

  // Whether the coming day's measurements are read (default: yes). A burn-in day's rows are
  // cleared unread, so the engine says no for it - except on the last day simulated, whose state
  // the end-of-run reductions read (a run of no recorded days).
  void measure_day(bool measuring) { measuring_ = measuring; }

  // Reduces the rows of day d into the series, in grid order, and clears them; a burn-in day
  // (d < 0) only clears them.
  void end_day(Day d);

  // The day's reduced value of a Sum metric's cell (for mechanisms that read yesterday's totals).
  double value(MetricId m, Day d, std::size_t cell = 0) const;
  const MetricSpec& spec(MetricId m) const { return slots_[m.index].spec; }
  std::size_t cells(MetricId m) const { return slots_[m.index].cells; }
  // A metric's values so far, days x cells.
  std::span<const double> series(MetricId m) const { return slots_[m.index].series; }

  // The series so far, as written to /timeseries.
  std::vector<Metric> timeseries() const;
  // The same, the series moved out rather than copied (a run's per-grid series are its largest
  // record: days x grids x cells): the recorder is left without them, so call it last, after
  // summaries().
  // `with_weights`: a Ratio series also gives each day's denominators as its weights (a region
  // pools its communities' series by them).
  std::vector<Metric> take_timeseries(bool with_weights = false);
  // Every summary, derived from the declarations in the order they were made, as written to
  // /summary (call after the last day).
  std::vector<Metric> summaries() const;
  // What a run writes, without values (`commsim metrics`).
  Declarations declarations() const;

 private:
  struct Slot {
    MetricSpec spec;
    std::size_t cells = 0;       // cells per day in the output (including the grid axis)
    std::size_t width = 0;       // accumulators per row (without the grid axis)
    std::size_t offset = 0;      // into a row
    std::vector<double> series;  // days x cells
    // Ratio metrics: each day's pooled numerators and denominators (days x cells), for summaries
    // and headlines that pool them further.
    std::vector<double> numerators, denominators;
  };
  // A summary: an end-of-run rule of slot `slot`, or a custom reduction.
  struct Summary {
    SummarySpec spec;
    std::size_t slot = 0;
    EndRule rule = EndRule::None;
    Reduction reduce;  // empty for a rule
  };
  void claim_summary_name(const std::string& name) const;
  SummarySpec derived_spec(const Slot& s) const;
  Metric describe(const Slot& s) const;
  Metric describe(const Summary& summary) const;
  Metric derive(const Summary& summary) const;

  std::uint32_t grids_;
  std::int64_t days_;
  std::vector<Slot> slots_;
  std::vector<Summary> summaries_;
  std::size_t stride_ = 0;  // doubles per row
  std::vector<double> rows_;
  bool measuring_ = true;
};

}  // namespace commsim::output
