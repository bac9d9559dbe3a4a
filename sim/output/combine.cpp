#include "sim/output/combine.hpp"

#include <cmath>
#include <limits>
#include <map>

namespace commsim::output {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool same_labels(const Dimension& a, const Dimension& b) {
  return a.name == b.name && a.labels == b.labels;
}

// How the parts' cells line up: the same axes everywhere, or the grid axis first and the rest the
// same (the parts' grids then follow one another), or neither.
enum class Layout { Same, Grids, Other };

Layout layout_of(const std::vector<const Metric*>& ms) {
  const Metric& first = *ms[0];
  bool same = true, grids = !first.dims.empty() && first.dims[0].name == "grid";
  for (const Metric* m : ms) {
    if (m->dims.size() != first.dims.size()) return Layout::Other;
    for (std::size_t k = 0; k < first.dims.size(); ++k) {
      const bool equal = same_labels(m->dims[k], first.dims[k]);
      if (!equal) same = false;
      if (!equal && (k > 0 || m->dims[0].name != "grid")) grids = false;
    }
  }
  if (same && !grids) return Layout::Same;
  return grids ? Layout::Grids : Layout::Other;
}

// The parts' metrics of each name, in the first part's order; a name some part lacks is left out.
std::vector<std::vector<const Metric*>> by_name(std::span<const Part> parts) {
  std::vector<std::vector<const Metric*>> out;
  if (parts.empty()) return out;
  std::vector<std::map<std::string, const Metric*>> index(parts.size());
  for (std::size_t p = 0; p < parts.size(); ++p)
    for (const Metric& m : *parts[p].metrics) index[p][m.name] = &m;
  for (const Metric& m : *parts[0].metrics) {
    std::vector<const Metric*> ms;
    for (std::size_t p = 0; p < parts.size(); ++p) {
      const auto it = index[p].find(m.name);
      if (it == index[p].end()) break;
      ms.push_back(it->second);
    }
    if (ms.size() == parts.size()) out.push_back(std::move(ms));
  }
  return out;
}

// The declaration of the combined metric (values and weights left to the caller).
Metric declaration(const std::vector<const Metric*>& ms, std::span<const Part> parts,
                   Layout layout) {
  Metric out = *ms[0];
  out.values.clear();
  out.weights.clear();
  if (layout == Layout::Grids) {
    out.dims[0].labels.clear();
    for (std::size_t p = 0; p < ms.size(); ++p)
      for (const auto& g : ms[p]->dims[0].labels)
        out.dims[0].labels.push_back(parts[p].name + "/" + g);
  }
  return out;
}

// Cells per day of a metric (its values over `rows`, the days of a series or 1).
std::size_t width(const Metric& m, std::size_t rows) {
  return rows == 0 ? 0 : m.values.size() / rows;
}

// Combines row by row (a series' days, or the one row of a summary).
void combine_rows(const std::vector<const Metric*>& ms, Layout layout, std::size_t rows,
                  Metric& out) {
  const bool ratio = out.combine == "ratio";
  bool weighted = ratio;
  for (const Metric* m : ms) weighted = weighted && m->weights.size() == m->values.size();
  if (layout == Layout::Grids) {
    // Each grid keeps its own value (and weight): the parts' grids one after another.
    std::size_t cells = 0;
    for (const Metric* m : ms) cells += width(*m, rows);
    out.values.reserve(cells * rows);
    if (weighted) out.weights.reserve(cells * rows);
    for (std::size_t r = 0; r < rows; ++r)
      for (const Metric* m : ms) {
        const std::size_t w = width(*m, rows);
        out.values.insert(out.values.end(), m->values.begin() + r * w,
                          m->values.begin() + (r + 1) * w);
        if (weighted)
          out.weights.insert(out.weights.end(), m->weights.begin() + r * w,
                             m->weights.begin() + (r + 1) * w);
      }
    if (ratio && !weighted) out.weights.clear();
    return;
  }
  const std::size_t cells = out.cells() * rows;
  if (layout == Layout::Other || out.combine == "none" || (ratio && !weighted)) {
    out.values.assign(cells, kNaN);
    return;
  }
  out.values.assign(cells, 0.0);
  if (!ratio) {
    // A sum; a cell no part has a value for stays NaN.
    std::vector<bool> any(cells, false);
    for (const Metric* m : ms)
      for (std::size_t c = 0; c < cells; ++c)
        if (!std::isnan(m->values[c])) out.values[c] += m->values[c], any[c] = true;
    for (std::size_t c = 0; c < cells; ++c)
      if (!any[c]) out.values[c] = kNaN;
    return;
  }
  out.weights.assign(cells, 0.0);
  for (const Metric* m : ms)
    for (std::size_t c = 0; c < cells; ++c)
      if (m->weights[c] > 0 && !std::isnan(m->values[c])) {
        out.values[c] += m->values[c] * m->weights[c];
        out.weights[c] += m->weights[c];
      }
  for (std::size_t c = 0; c < cells; ++c)
    out.values[c] = out.weights[c] > 0 ? out.values[c] / out.weights[c] : kNaN;
}

void combine_headline(const std::vector<const Metric*>& ms, Metric& out) {
  out.headline = kNaN;
  out.headline_weight = kNaN;
  if (out.headline_kind == "total") {
    double total = 0;
    bool any = false;
    for (const Metric* m : ms)
      if (!std::isnan(m->headline)) total += m->headline, any = true;
    if (any) out.headline = total;
  } else if (out.headline_kind == "mean") {
    double sum = 0, weight = 0;
    for (const Metric* m : ms) {
      if (!(m->headline_weight > 0) || std::isnan(m->headline)) {
        // A part with a value but no weight cannot be pooled: the region has no headline.
        if (!std::isnan(m->headline)) return;
        continue;
      }
      sum += m->headline * m->headline_weight;
      weight += m->headline_weight;
    }
    if (weight > 0) {
      out.headline = sum / weight;
      out.headline_weight = weight;
    }
  }
  // "value" and "none": a single estimate (a gap, an index) does not combine.
}

}  // namespace

std::vector<Metric> combine_summaries(std::span<const Part> parts) {
  std::vector<Metric> out;
  for (const auto& ms : by_name(parts)) {
    const Layout layout = layout_of(ms);
    Metric m = declaration(ms, parts, layout);
    combine_rows(ms, layout, 1, m);
    combine_headline(ms, m);
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<Metric> combine_timeseries(std::span<const Part> parts, std::int64_t days,
                                       bool grid_series) {
  std::vector<Metric> out;
  const auto rows = static_cast<std::size_t>(days);
  for (const auto& ms : by_name(parts)) {
    const Layout layout = layout_of(ms);
    if (layout == Layout::Grids && !grid_series) continue;
    Metric m = declaration(ms, parts, layout);
    combine_rows(ms, layout, rows, m);
    m.weights.clear();  // a series' weights serve only the combination
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace commsim::output
