#include "sim/output/recorder.hpp"

#include <algorithm>
#include <stdexcept>

namespace commsim::output {

MetricId Recorder::add(MetricSpec spec) {
  if (!rows_.empty()) throw std::logic_error("metric '" + spec.name + "' registered after start()");
  for (const auto& s : slots_)
    if (s.spec.name == spec.name)
      throw std::logic_error("metric '" + spec.name + "' registered twice");
  Slot slot;
  slot.cells = 1;
  for (const auto& d : spec.dims) slot.cells *= d.labels.size();
  if (spec.per_grid && (spec.dims.empty() || spec.dims[0].labels.size() != grids_))
    throw std::logic_error("per-grid metric '" + spec.name + "' must have the grid axis first");
  slot.width = spec.per_grid ? slot.cells / grids_ : slot.cells;
  slot.spec = std::move(spec);
  slots_.push_back(std::move(slot));
  return MetricId{static_cast<std::uint32_t>(slots_.size() - 1)};
}

void Recorder::start() {
  std::size_t offset = 0;
  for (auto& s : slots_) {
    s.offset = offset;
    offset += s.width * (s.spec.aggregation == Aggregation::Ratio ? 2 : 1);
    s.series.assign(static_cast<std::size_t>(days_) * s.cells, 0.0);
  }
  // Pad each row to whole cache lines so neighbouring grids' threads never share one.
  stride_ = (offset + 7) / 8 * 8 + 8;
  rows_.assign(stride_ * (grids_ + 1), 0.0);
}

void Recorder::end_day(Day d) {
  const auto day = static_cast<std::size_t>(d.value);
  for (auto& s : slots_) {
    double* out = s.series.data() + day * s.cells;
    const bool ratio = s.spec.aggregation == Aggregation::Ratio;
    if (s.spec.per_grid) {
      for (std::uint32_t g = 0; g < grids_; ++g) {
        const double* row = rows_.data() + g * stride_ + s.offset;
        for (std::size_t c = 0; c < s.width; ++c)
          out[g * s.width + c] = ratio ? row[c] / row[c + s.width] : row[c];
      }
      continue;
    }
    std::vector<double> numerator(s.width, 0.0), denominator(s.width, 0.0);
    for (std::uint32_t g = 0; g <= grids_; ++g) {  // the last row is the community's
      const double* row = rows_.data() + g * stride_ + s.offset;
      for (std::size_t c = 0; c < s.width; ++c) {
        numerator[c] += row[c];
        if (ratio) denominator[c] += row[c + s.width];
      }
    }
    for (std::size_t c = 0; c < s.width; ++c)
      out[c] = ratio ? (denominator[c] > 0 ? numerator[c] / denominator[c]
                                           : std::numeric_limits<double>::quiet_NaN())
                     : numerator[c];
  }
  std::fill(rows_.begin(), rows_.end(), 0.0);
}

double Recorder::value(MetricId m, Day d, std::size_t cell) const {
  const Slot& s = slots_[m.index];
  return s.series[static_cast<std::size_t>(d.value) * s.cells + cell];
}

std::vector<Metric> Recorder::timeseries() const {
  std::vector<Metric> out;
  for (const auto& s : slots_)
    out.push_back(Metric{s.spec.name, s.spec.unit, s.spec.description, s.spec.dims, s.series});
  return out;
}

Metric Recorder::total(MetricId m, std::string name, std::string description) const {
  const Slot& s = slots_[m.index];
  if (s.spec.aggregation != Aggregation::Sum)
    throw std::logic_error("total() of ratio metric '" + s.spec.name + "'");
  Metric out{std::move(name), s.spec.unit, std::move(description), s.spec.dims,
             std::vector<double>(s.cells, 0.0)};
  for (std::int64_t d = 0; d < days_; ++d)
    for (std::size_t c = 0; c < s.cells; ++c) out.values[c] += s.series[d * s.cells + c];
  return out;
}

}  // namespace commsim::output
