#include "sim/output/recorder.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace commsim::output {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kUnbounded = std::numeric_limits<double>::infinity();

const char* combine_name(Combine c) {
  switch (c) {
    case Combine::Sum:
      return "sum";
    case Combine::Ratio:
      return "ratio";
    case Combine::None:
      return "none";
  }
  return "none";
}

const char* rule_name(EndRule r) {
  switch (r) {
    case EndRule::None:
      return "none";
    case EndRule::Total:
      return "total";
    case EndRule::Final:
      return "final";
    case EndRule::Mean:
      return "mean";
  }
  return "none";
}

// Which single value stands for a summary's cells (the attribute `headline_kind`).
const char* headline_kind(const SummarySpec& spec, std::size_t cells) {
  if (!spec.headline) return "none";
  if (spec.combine == Combine::Sum) return "total";
  if (spec.combine == Combine::Ratio) return "mean";
  return cells == 1 ? "value" : "none";
}

// The headline; cells without a value (NaN, or a ratio's cell without observations) are
// skipped, so one empty group does not hide the rest.
double headline(const Metric& m, const std::vector<double>& weights) {
  if (m.headline_kind == "total") {
    double total = 0;
    bool any = false;
    for (double v : m.values)
      if (!std::isnan(v)) total += v, any = true;
    return any ? total : kNaN;
  }
  if (m.headline_kind == "value" ||
      (m.headline_kind == "mean" && m.values.size() == 1 && weights.empty()))
    return m.values[0];
  if (m.headline_kind != "mean") return kNaN;
  if (weights.size() != m.values.size())
    throw std::logic_error("summary '" + m.name + "': a ratio over " +
                           std::to_string(m.values.size()) + " cells needs each cell's weight");
  double sum = 0, weight = 0;
  for (std::size_t c = 0; c < m.values.size(); ++c)
    if (weights[c] > 0 && !std::isnan(m.values[c])) {
      sum += m.values[c] * weights[c];
      weight += weights[c];
    }
  return weight > 0 ? sum / weight : kNaN;
}

// What a "mean" headline weighs when communities are pooled: the weights of the cells it used
// (the same cells headline() adds up); NaN without weights, so a summary that cannot be pooled
// says so rather than counting as empty.
double headline_weight(const Metric& m) {
  if (m.headline_kind != "mean" || m.weights.size() != m.values.size()) return kNaN;
  double weight = 0;
  for (std::size_t c = 0; c < m.values.size(); ++c)
    if (m.weights[c] > 0 && !std::isnan(m.values[c])) weight += m.weights[c];
  return weight;
}

}  // namespace

const std::vector<Unit>& units() {
  static const std::vector<Unit> all = {
      {"share", 0, 1, "a part of a whole, 0..1"},
      {"score", 0, 1, "a score on 0..1 (well-being, attitude, proficiency, skill)"},
      {"index", 0, 1, "a dimensionless index on 0..1 (dissimilarity)"},
      {"difference", -1, 1, "a difference of two scores or shares, -1..1 (a group's gap)"},
      {"days_difference", -kUnbounded, kUnbounded, "a difference of two durations in days"},
      {"orders", 0, kUnbounded, "work orders"},
      {"needs", 0, kUnbounded, "needs"},
      {"hours", 0, kUnbounded, "hours"},
      {"days", 0, kUnbounded, "days (fractional where stated)"},
      {"yuan", 0, kUnbounded, "money, CNY"},
      {"residents", 0, kUnbounded, "residents"},
      {"households", 0, kUnbounded, "households"},
      {"dwellings", 0, kUnbounded, "dwellings"},
      {"people", 0, kUnbounded, "people"},
      {"ties", 0, kUnbounded, "social ties"},
      {"meetings", 0, kUnbounded, "council meetings"},
      {"topics", 0, kUnbounded, "council topics"},
      {"teams", 0, kUnbounded, "volunteer teams"},
      {"workers", 0, kUnbounded, "grid or centre workers"},
      {"volunteers", 0, kUnbounded, "volunteer team members"},
      {"wishes", 0, kUnbounded, "residents' micro-wishes"},
      {"attendances", 0, kUnbounded, "attendances (one resident at one event)"},
      {"moves", 0, kUnbounded, "household moves"},
      {"orders/grid-year", 0, kUnbounded, "work orders per grid per year (365 days) of the run"},
      {"reports/household-year", 0, kUnbounded,
       "reports per household per year (365 days) of the run"},
      {"workers/grid", 0, kUnbounded, "workers divided by grids"},
      {"count", 0, kUnbounded, "anything else counted"},
  };
  return all;
}

const std::vector<Rule>& rules() {
  static const std::vector<Rule> all = {
      {"total", "the sum of the daily values over the run"},
      {"final", "the value on the last day"},
      {"mean",
       "the mean over the run's days (a ratio: its numerators and denominators pooled over days)"},
      {"none", "no summary of its own"},
      {"at_start", "the state when the run starts, before day 0"},
      {"at_end", "the state after the last day"},
      {"count_over_run", "events counted over the run in the mechanism's own records"},
      {"over_run", "a ratio over the run: its numerators summed over its denominators summed"},
      {"per_grid_year", "a count over the run / the grids / the run's years (days / 365)"},
      {"per_household_year", "a count over the run / the households counted / the run's years"},
      {"share_of_total", "each cell's total over the run / the total over all cells"},
      {"percentile_50", "the median over the run's closed work orders"},
      {"percentile_90", "the 90th percentile over the run's closed work orders"},
      {"mean_over_closed_orders", "the mean over the work orders closed during the run"},
      {"mean_over_orders_with_open",
       "the mean over every order opened, each still open counted at its age at the end"},
      {"mean_over_implemented_topics", "the mean over the topics implemented during the run"},
      {"mean_over_decisions", "the mean over the council decisions of the run"},
  };
  return all;
}

const Unit& unit(const std::string& word) {
  for (const auto& u : units())
    if (word == u.word) return u;
  throw std::logic_error("unit '" + word + "' is not in the vocabulary (output::units())");
}

void Recorder::claim_summary_name(const std::string& name) const {
  for (const auto& s : summaries_)
    if (s.spec.name == name) throw std::logic_error("summary '" + name + "' declared twice");
}

SummarySpec Recorder::derived_spec(const Slot& s) const {
  const MetricSpec& m = s.spec;
  SummarySpec out{m.name, m.unit, m.summary_description, m.dims, m.combine, rule_name(m.summary),
                  m.name, m.key};
  if (m.summary == EndRule::Final) out.name += "_final";
  if (m.summary == EndRule::Mean) out.name += "_mean";
  if (out.description.empty())
    out.description = (m.summary == EndRule::Total   ? "Total over the run: "
                       : m.summary == EndRule::Final ? "On the last day: "
                                                     : "Mean over the run's days: ") +
                      m.description;
  return out;
}

MetricId Recorder::add(MetricSpec spec) {
  if (!rows_.empty()) throw std::logic_error("metric '" + spec.name + "' registered after start()");
  for (const auto& s : slots_)
    if (s.spec.name == spec.name)
      throw std::logic_error("metric '" + spec.name + "' registered twice");
  unit(spec.unit);
  if (spec.summary == EndRule::Total && spec.combine != Combine::Sum)
    throw std::logic_error("metric '" + spec.name + "': a total needs a Sum metric");
  Slot slot;
  slot.cells = 1;
  for (const auto& d : spec.dims) slot.cells *= d.labels.size();
  if (spec.per_grid && (spec.dims.empty() || spec.dims[0].labels.size() != grids_))
    throw std::logic_error("per-grid metric '" + spec.name + "' must have the grid axis first");
  slot.width = spec.per_grid ? slot.cells / grids_ : slot.cells;
  slot.spec = std::move(spec);
  if (slot.spec.summary != EndRule::None) {
    Summary summary{derived_spec(slot), slots_.size(), slot.spec.summary, {}};
    claim_summary_name(summary.spec.name);
    summaries_.push_back(std::move(summary));
  }
  slots_.push_back(std::move(slot));
  return MetricId{static_cast<std::uint32_t>(slots_.size() - 1)};
}

void Recorder::add_summary(SummarySpec spec, Reduction reduce) {
  if (!rows_.empty()) throw std::logic_error("summary '" + spec.name + "' declared after start()");
  unit(spec.unit);
  if (std::none_of(rules().begin(), rules().end(),
                   [&](const Rule& r) { return spec.rule == r.name; }))
    throw std::logic_error("summary '" + spec.name + "': rule '" + spec.rule +
                           "' is not in the vocabulary (output::rules())");
  claim_summary_name(spec.name);
  summaries_.push_back({std::move(spec), 0, EndRule::None, std::move(reduce)});
}

void Recorder::start() {
  std::size_t offset = 0;
  for (auto& s : slots_) {
    const bool ratio = s.spec.combine == Combine::Ratio;
    s.offset = offset;
    offset += s.width * (ratio ? 2 : 1);
    s.series.assign(static_cast<std::size_t>(days_) * s.cells, 0.0);
    if (ratio) {
      s.numerators.assign(s.series.size(), 0.0);
      s.denominators.assign(s.series.size(), 0.0);
    }
  }
  // Pad each row to whole cache lines so neighbouring grids' threads never share one.
  stride_ = (offset + 7) / 8 * 8 + 8;
  rows_.assign(stride_ * (grids_ + 1), 0.0);
}

void Recorder::end_day(Day d) {
  if (d.value < 0) {  // a burn-in day (run.burn_in_days): not recorded
    std::fill(rows_.begin(), rows_.end(), 0.0);
    return;
  }
  const auto day = static_cast<std::size_t>(d.value);
  for (auto& s : slots_) {
    const std::size_t first = day * s.cells;
    double* out = s.series.data() + first;
    const bool ratio = s.spec.combine == Combine::Ratio;
    if (s.spec.per_grid) {
      for (std::uint32_t g = 0; g < grids_; ++g) {
        const double* row = rows_.data() + g * stride_ + s.offset;
        for (std::size_t c = 0; c < s.width; ++c) {
          const std::size_t cell = g * s.width + c;
          out[cell] = ratio ? row[c] / row[c + s.width] : row[c];
          if (ratio) {
            s.numerators[first + cell] = row[c];
            s.denominators[first + cell] = row[c + s.width];
          }
        }
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
    if (ratio) {
      std::copy(numerator.begin(), numerator.end(), s.numerators.begin() + first);
      std::copy(denominator.begin(), denominator.end(), s.denominators.begin() + first);
    }
  }
  std::fill(rows_.begin(), rows_.end(), 0.0);
}

double Recorder::value(MetricId m, Day d, std::size_t cell) const {
  const Slot& s = slots_[m.index];
  return s.series[static_cast<std::size_t>(d.value) * s.cells + cell];
}

std::vector<Metric> Recorder::timeseries() const {
  std::vector<Metric> out;
  for (const auto& s : slots_) {
    out.push_back(describe(s));
    out.back().values = s.series;
  }
  return out;
}

std::vector<Metric> Recorder::take_timeseries(bool with_weights) {
  std::vector<Metric> out;
  for (auto& s : slots_) {
    out.push_back(describe(s));
    out.back().values = std::move(s.series);
    s.series = {};
    if (with_weights && s.spec.combine == Combine::Ratio) {
      out.back().weights = std::move(s.denominators);
      s.denominators = {};
    }
  }
  return out;
}

Metric Recorder::describe(const Slot& s) const {
  Metric m{s.spec.name, s.spec.unit, s.spec.description, s.spec.dims, {}};
  m.combine = combine_name(s.spec.combine);
  m.rule = rule_name(s.spec.summary);
  // A series without a rule of its own names the custom reduction that reads it, if any.
  if (s.spec.summary == EndRule::None)
    for (const auto& summary : summaries_)
      if (summary.reduce && summary.spec.source == s.spec.name) {
        m.rule = summary.spec.rule;
        break;
      }
  return m;
}

Metric Recorder::describe(const Summary& summary) const {
  const SummarySpec& spec = summary.spec;
  Metric m{spec.name, spec.unit, spec.description, spec.dims, {}};
  m.combine = combine_name(spec.combine);
  m.rule = spec.rule;
  m.source = spec.source;
  m.key = spec.key;
  m.headline_kind = headline_kind(spec, m.cells());
  return m;
}

Metric Recorder::derive(const Summary& summary) const {
  Metric out = describe(summary);
  std::vector<double> weights;
  if (summary.reduce) {
    Reduced r = summary.reduce(*this);
    if (r.values.size() != out.cells())
      throw std::logic_error("summary '" + out.name + "': " + std::to_string(r.values.size()) +
                             " values for " + std::to_string(out.cells()) + " cells");
    if (!r.weights.empty() && r.weights.size() != out.cells())
      throw std::logic_error("summary '" + out.name + "': " + std::to_string(r.weights.size()) +
                             " weights for " + std::to_string(out.cells()) + " cells");
    out.values = std::move(r.values);
    out.headline = headline(out, r.weights);
    out.weights = std::move(r.weights);
    out.headline_weight = headline_weight(out);
    return out;
  }
  const Slot& s = slots_[summary.slot];
  const std::size_t cells = s.cells, days = static_cast<std::size_t>(days_);
  const bool ratio = s.spec.combine == Combine::Ratio;
  out.values.assign(cells, 0.0);
  switch (summary.rule) {
    case EndRule::Total:
      for (std::size_t d = 0; d < days; ++d)
        for (std::size_t c = 0; c < cells; ++c) out.values[c] += s.series[d * cells + c];
      break;
    case EndRule::Final: {
      const std::size_t last = (days - 1) * cells;
      std::copy(s.series.begin() + last, s.series.begin() + last + cells, out.values.begin());
      if (ratio)
        weights.assign(s.denominators.begin() + last, s.denominators.begin() + last + cells);
      break;
    }
    case EndRule::Mean:
      if (ratio) {
        std::vector<double> numerators(cells, 0.0);
        weights.assign(cells, 0.0);
        for (std::size_t d = 0; d < days; ++d)
          for (std::size_t c = 0; c < cells; ++c) {
            numerators[c] += s.numerators[d * cells + c];
            weights[c] += s.denominators[d * cells + c];
          }
        for (std::size_t c = 0; c < cells; ++c)
          out.values[c] = weights[c] > 0 ? numerators[c] / weights[c] : kNaN;
      } else {
        for (std::size_t d = 0; d < days; ++d)
          for (std::size_t c = 0; c < cells; ++c) out.values[c] += s.series[d * cells + c];
        for (double& v : out.values) v /= static_cast<double>(days);
      }
      break;
    case EndRule::None:
      break;
  }
  out.headline = headline(out, weights);
  out.weights = std::move(weights);
  out.headline_weight = headline_weight(out);
  return out;
}

std::vector<Metric> Recorder::summaries() const {
  std::vector<Metric> out;
  for (const auto& s : summaries_) {
    // A run of no days has no last day and no mean over days.
    if (!s.reduce && s.rule != EndRule::Total && days_ == 0) continue;
    out.push_back(derive(s));
  }
  return out;
}

Declarations Recorder::declarations() const {
  Declarations out;
  for (const auto& s : slots_) out.timeseries.push_back(describe(s));
  for (const auto& s : summaries_) out.summaries.push_back(describe(s));
  return out;
}

}  // namespace commsim::output
