#include "sim/experiment/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "sim/engine/simulation.hpp"
#include "sim/experiment/sweep_error.hpp"
#include "sim/scenario/schema.hpp"

namespace commsim::experiment {

using scenario::Location;
using scenario::Node;
using scenario::ScenarioError;

const char* prior_name(Prior p) {
  switch (p) {
    case Prior::Uniform:
      return "uniform";
    case Prior::LogUniform:
      return "log_uniform";
    case Prior::TruncatedNormal:
      return "truncated_normal";
  }
  return "uniform";
}

namespace {

constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();

double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

}  // namespace

double CalibrationParameter::to_work(double value) const {
  return prior == Prior::LogUniform ? std::log(value) : value;
}

double CalibrationParameter::from_work(double z) const {
  return prior == Prior::LogUniform ? std::exp(z) : z;
}

double CalibrationParameter::log_prior(double z) const {
  const double lo = to_work(min), hi = to_work(max);
  if (!(z >= lo && z <= hi)) return kMinusInfinity;
  if (prior != Prior::TruncatedNormal) return -std::log(hi - lo);
  const double mass = normal_cdf((max - mean) / sd) - normal_cdf((min - mean) / sd);
  const double u = (z - mean) / sd;
  return -0.5 * u * u - std::log(sd * std::sqrt(2 * std::numbers::pi) * mass);
}

double CalibrationParameter::sample(Stream& s) const {
  if (prior != Prior::TruncatedNormal) return s.uniform(to_work(min), to_work(max));
  // Rejection: from the normal when the bounds are wide (they hold the mean, so at least ~48%
  // of the mass), else uniformly within them against the normal's shape (acceptance >= ~30%).
  for (;;) {
    if (max - min > 4 * sd) {
      const double z = s.normal(mean, sd);
      if (z >= min && z <= max) return z;
    } else {
      const double z = s.uniform(min, max);
      const double u = (z - mean) / sd;
      if (s.uniform() < std::exp(-0.5 * u * u)) return z;
    }
  }
}

double scenario_value(const CalibrationParameter& p, double z) {
  const double v = p.from_work(z);
  return p.integer ? std::round(v) : v;
}

// ---- The calibration file ----------------------------------------------------------------------

namespace {

const std::vector<std::string> kTopKeys = {"base",
                                           "set",
                                           "seed",
                                           "population",
                                           "replications",
                                           "generations",
                                           "final_tolerance",
                                           "quantile",
                                           "max_proposals",
                                           "predictive",
                                           "parameters",
                                           "targets"};

[[noreturn]] void fail(const Node& n, const std::string& key, const std::string& problem,
                       const std::string& hint = {}) {
  throw ScenarioError(n.where, key, problem, hint);
}

void check_keys(const Node& map, const std::string& path, const std::vector<std::string>& keys) {
  for (const auto& e : map.entries)
    if (std::find(keys.begin(), keys.end(), e.key) == keys.end()) {
      const std::string close = scenario::closest_name(e.key, keys);
      std::string all;
      for (const auto& k : keys) all += (all.empty() ? "" : ", ") + k;
      throw ScenarioError(
          e.key_where, path.empty() ? e.key : path + "." + e.key, "unknown key",
          close.empty() ? "expected one of " + all : "did you mean '" + close + "'?");
    }
}

const Node& required(const Node& map, const std::string& path, const char* key) {
  const Node* n = map.find(key);
  if (!n || n->is_null())
    fail(map, path.empty() ? key : path + "." + key, "required key is missing");
  return *n;
}

CalibrationParameter read_parameter(const Node::Entry& e) {
  const std::string path = "parameters." + e.key;
  const Parameter described = describe_parameter(e.key, e.key_where);
  if (!described.numeric)
    throw ScenarioError(e.key_where, path, "only numeric keys can be calibrated");
  const auto& schema = schema_at(e.key, e.key_where);
  const Node& spec = e.value;
  if (!spec.is_mapping())
    fail(spec, path, "expected {prior: uniform | log_uniform | truncated_normal, min: a, max: b}");
  CalibrationParameter p;
  p.key = e.key;
  p.integer = described.integer;
  p.where = e.key_where;
  const Node& prior = required(spec, path, "prior");
  const std::vector<std::string> priors = {"uniform", "log_uniform", "truncated_normal"};
  const auto it = std::find(priors.begin(), priors.end(), prior.is_scalar() ? prior.scalar : "");
  if (it == priors.end()) {
    const std::string close = prior.is_scalar() ? scenario::closest_name(prior.scalar, priors) : "";
    fail(prior, path + ".prior", "expected uniform, log_uniform or truncated_normal",
         close.empty() ? "" : "did you mean '" + close + "'?");
  }
  p.prior = static_cast<Prior>(it - priors.begin());
  check_keys(spec, path,
             p.prior == Prior::TruncatedNormal
                 ? std::vector<std::string>{"prior", "min", "max", "mean", "sd"}
                 : std::vector<std::string>{"prior", "min", "max"});
  const Node& lo = required(spec, path, "min");
  const Node& hi = required(spec, path, "max");
  p.min = number(lo, path + ".min");
  p.max = number(hi, path + ".max");
  if (!(p.min < p.max)) fail(hi, path + ".max", "must be greater than min");
  // Every value the prior allows must be one the scenario accepts.
  const auto range = [&](double v) {
    return (!schema.min || v >= *schema.min) && (!schema.max || v <= *schema.max);
  };
  const auto range_text = [&] {
    std::string text = "[";
    text += schema.min ? scenario::format_number(*schema.min) : std::string("-inf");
    text += ", ";
    text += schema.max ? scenario::format_number(*schema.max) : std::string("inf");
    return text + "]";
  };
  if (!range(p.min)) fail(lo, path + ".min", "outside the scenario key's range " + range_text());
  if (!range(p.max)) fail(hi, path + ".max", "outside the scenario key's range " + range_text());
  if (p.prior == Prior::LogUniform && p.min <= 0)
    fail(lo, path + ".min", "a log_uniform prior needs min > 0");
  if (p.prior == Prior::TruncatedNormal) {
    const Node& mean = required(spec, path, "mean");
    const Node& sd = required(spec, path, "sd");
    p.mean = number(mean, path + ".mean");
    p.sd = number(sd, path + ".sd");
    if (!(p.sd > 0)) fail(sd, path + ".sd", "must be greater than 0");
    if (p.mean < p.min || p.mean > p.max) fail(mean, path + ".mean", "must lie within [min, max]");
  }
  return p;
}

CalibrationTarget read_target(const Node& t, std::size_t i) {
  const std::string path = "targets[" + std::to_string(i) + "]";
  if (!t.is_mapping()) fail(t, path, "expected {metric, observed, scale, source}");
  check_keys(t, path, {"metric", "cell", "observed", "scale", "tolerance", "source"});
  CalibrationTarget target;
  target.where = t.where;
  const Node& metric = required(t, path, "metric");
  if (!metric.is_scalar() || metric.scalar.empty())
    fail(metric, path + ".metric", "expected a /summary metric name, e.g. closure_rate");
  target.metric = metric.scalar;
  target.label = target.metric;
  if (const Node* cell = t.find("cell")) {
    if (!cell->is_mapping() || cell->entries.empty())
      fail(*cell, path + ".cell", "expected a mapping of dimension: label, e.g. {level: grid}");
    for (const auto& e : cell->entries) {
      if (!e.value.is_scalar()) fail(e.value, path + ".cell." + e.key, "expected a label");
      target.cell.emplace_back(e.key, e.value.scalar);
      target.label += "/" + e.value.scalar;
    }
  }
  target.observed = number(required(t, path, "observed"), path + ".observed");
  const Node* scale = t.find("scale");
  const Node* tolerance = t.find("tolerance");
  if (scale && tolerance)
    fail(*tolerance, path + ".tolerance", "give scale or tolerance, not both");
  if (!scale && !tolerance)
    fail(t, path + ".scale",
         "required: the difference that counts as distance 1 (scale or tolerance)");
  const Node& s = scale ? *scale : *tolerance;
  target.scale = number(s, path + (scale ? ".scale" : ".tolerance"));
  if (!(target.scale > 0)) fail(s, path + (scale ? ".scale" : ".tolerance"), "must be > 0");
  const Node& source = required(t, path, "source");
  if (!source.is_scalar() || source.scalar.empty())
    fail(source, path + ".source", "expected the text saying where the figure comes from");
  target.source = source.scalar;
  return target;
}

}  // namespace

Calibration load_calibration(const std::filesystem::path& file) {
  Calibration c;
  c.file = file;
  c.text = scenario::read_text_file(file);
  const Node doc = scenario::parse_yaml(c.text, file.string());
  if (!doc.is_mapping())
    fail(doc, "", "a calibration file is a mapping of keys (base, parameters, targets, ...)");
  check_keys(doc, "", kTopKeys);
  c.base = load_base(doc, file, c.base_name, c.base_path);
  c.seed = c.base.scenario.run.seed;
  if (const Node* n = doc.find("seed"))
    c.seed = static_cast<std::uint64_t>(integer(*n, "seed", 0, 9'000'000'000'000'000));
  c.population = integer(required(doc, "", "population"), "population", 2, 1'000'000);
  if (const Node* n = doc.find("replications"))
    c.replications = integer(*n, "replications", 1, 10'000);
  c.generations = integer(required(doc, "", "generations"), "generations", 1, 1'000);
  if (const Node* n = doc.find("final_tolerance")) {
    c.final_tolerance = number(*n, "final_tolerance");
    if (!(*c.final_tolerance > 0)) fail(*n, "final_tolerance", "must be > 0");
  }
  if (const Node* n = doc.find("quantile")) {
    c.quantile = number(*n, "quantile");
    if (!(c.quantile > 0 && c.quantile < 1)) fail(*n, "quantile", "expected a share in (0, 1)");
  }
  if (const Node* n = doc.find("max_proposals"))
    c.max_proposals = integer(*n, "max_proposals", 1, 100'000);
  if (const Node* n = doc.find("predictive"))
    c.predictive = integer(*n, "predictive", 0, 1'000'000);

  const Node& params = required(doc, "", "parameters");
  if (!params.is_mapping() || params.entries.empty())
    fail(params, "parameters", "expected a mapping of key.path: {prior: ..., min: a, max: b}");
  for (const auto& e : params.entries) c.parameters.push_back(read_parameter(e));
  const Node& targets = required(doc, "", "targets");
  if (!targets.is_sequence() || targets.items.empty())
    fail(targets, "targets", "expected a list of {metric, observed, scale, source}");
  for (std::size_t i = 0; i < targets.items.size(); ++i)
    c.targets.push_back(read_target(targets.items[i], i));

  // The scenarios at the priors' corners are valid, and each target names a metric (and a cell)
  // that a run writes: a run's /summary names are known from a run, so one day of the base
  // scenario is simulated (the labels of the breakdowns do not depend on the days).
  SweepPlan check = particle_plan(c, 0);
  std::vector<double> values;
  for (const auto& p : c.parameters) values.push_back(p.min);
  for (const auto& p : c.parameters) values.push_back(p.max);
  add_particles(check, c, values);
  scenario::Scenario one_day = c.base.scenario;
  one_day.run.days = 1;
  engine::RunOptions options;
  options.seed = c.seed;
  options.threads = 1;
  const auto day = engine::run_simulation(one_day, options);
  for (const auto& t : c.targets) target_value(t, day.result.summaries);

  // What determines the posterior: the resolved base scenario and the calibration as parsed
  // (comments and layout do not count; the build is checked separately).
  std::uint64_t h = fnv1a64(c.base.resolved_yaml);
  // The bytes of the files it reads (a register, a region's table), not only their names.
  if (const std::uint64_t files = scenario::input_digest(c.base.scenario))
    h = derive_seed(h, files);
  Node spec = doc;
  spec.erase("base");
  h = derive_seed(h, fnv1a64(scenario::to_yaml(spec)));
  h = derive_seed(h, c.seed);
  c.fingerprint = hex64(h);
  return c;
}

// ---- The method --------------------------------------------------------------------------------

Stream proposal_stream(const Calibration& c, std::int64_t generation, std::int64_t index) {
  return Stream({c.seed, static_cast<std::uint64_t>(generation)}, purpose("calibrate.proposal"),
                static_cast<std::uint64_t>(index), 0);
}

Stream predictive_stream(const Calibration& c, std::int64_t draw) {
  return Stream({c.seed, 0}, purpose("calibrate.predictive"), static_cast<std::uint64_t>(draw), 0);
}

SweepPlan particle_plan(const Calibration& c, std::int64_t generation) {
  SweepPlan plan;
  plan.file = c.file;
  plan.text = c.text;
  plan.base_path = c.base_path;
  plan.base_name = c.base_name;
  plan.base = c.base;
  // Independent seeds, hashed from (calibration seed, generation) then (replication, proposal).
  plan.seed =
      derive_seed(c.seed, fnv1a64("calibrate.generation"), static_cast<std::uint64_t>(generation));
  plan.replications = c.replications;
  plan.seeds = SeedMode::Independent;
  plan.design = Design::List;
  for (const auto& p : c.parameters) {
    Parameter q;
    q.key = p.key;
    q.integer = p.integer;
    q.min = p.min;
    q.max = p.max;
    plan.parameters.push_back(q);
  }
  plan.fingerprint = c.fingerprint;
  return plan;
}

void add_particles(SweepPlan& plan, const Calibration& c, const std::vector<double>& values) {
  const std::size_t k = c.dims();
  for (std::size_t i = 0; i + k <= values.size(); i += k) {
    Point pt;
    Node doc = plan.base.resolved;
    for (std::size_t j = 0; j < k; ++j) {
      const double v = values[i + j];
      Node value = Node::make_scalar(scenario::format_number(v), c.parameters[j].where);
      scenario::set_path(doc, c.parameters[j].key, value, value.where);
      pt.values.push_back(std::move(value));
      pt.columns.push_back(v);
    }
    plan.scenarios.push_back(scenario::resolve_document(std::move(doc), "", {}).scenario);
    plan.points.push_back(std::move(pt));
  }
}

Kernel::Kernel(const Population& previous, std::size_t dims)
    : previous_(previous), dims_(dims), covariance_(dims * dims, 0.0) {
  const std::size_t n = previous.size();
  std::vector<double> mean(dims, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t a = 0; a < dims; ++a)
      mean[a] += previous.weights[i] * previous.z[i * dims + a];
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t a = 0; a < dims; ++a)
      for (std::size_t b = 0; b < dims; ++b)
        covariance_[a * dims + b] += 2.0 * previous.weights[i] *
                                     (previous.z[i * dims + a] - mean[a]) *
                                     (previous.z[i * dims + b] - mean[b]);
  // A population collapsed onto one value in some coordinate would stop the kernel moving: give
  // it a tiny spread there.
  for (std::size_t a = 0; a < dims; ++a) {
    double& v = covariance_[a * dims + a];
    const double m = std::max(std::abs(mean[a]), 1.0);
    v = std::max(v, 1e-12 * m * m);
  }
  // Cholesky; if the covariance is numerically not positive definite, its diagonal alone.
  const auto factor = [&](const std::vector<double>& s) {
    std::vector<double> l(dims * dims, 0.0);
    for (std::size_t a = 0; a < dims; ++a)
      for (std::size_t b = 0; b <= a; ++b) {
        double sum = s[a * dims + b];
        for (std::size_t k = 0; k < b; ++k) sum -= l[a * dims + k] * l[b * dims + k];
        if (a == b) {
          if (!(sum > 0)) return std::vector<double>{};
          l[a * dims + a] = std::sqrt(sum);
        } else {
          l[a * dims + b] = sum / l[b * dims + b];
        }
      }
    return l;
  };
  cholesky_ = factor(covariance_);
  if (cholesky_.empty()) {
    for (std::size_t a = 0; a < dims; ++a)
      for (std::size_t b = 0; b < dims; ++b)
        if (a != b) covariance_[a * dims + b] = 0;
    cholesky_ = factor(covariance_);
  }
  // precision = L^-T L^-1, by inverting the triangle.
  std::vector<double> inv(dims * dims, 0.0);
  for (std::size_t a = 0; a < dims; ++a) {
    inv[a * dims + a] = 1.0 / cholesky_[a * dims + a];
    for (std::size_t b = 0; b < a; ++b) {
      double sum = 0;
      for (std::size_t k = b; k < a; ++k) sum += cholesky_[a * dims + k] * inv[k * dims + b];
      inv[a * dims + b] = -sum / cholesky_[a * dims + a];
    }
  }
  precision_.assign(dims * dims, 0.0);
  for (std::size_t a = 0; a < dims; ++a)
    for (std::size_t b = 0; b < dims; ++b)
      for (std::size_t k = std::max(a, b); k < dims; ++k)
        precision_[a * dims + b] += inv[k * dims + a] * inv[k * dims + b];
}

std::vector<double> Kernel::propose(const Calibration& c, Stream& s) const {
  std::vector<double> z(dims_), step(dims_);
  for (int attempt = 0; attempt < 100'000; ++attempt) {
    const std::size_t j = s.categorical(previous_.weights);
    for (auto& x : step) x = s.normal();
    bool inside = true;
    for (std::size_t a = 0; a < dims_; ++a) {
      double v = previous_.z[j * dims_ + a];
      for (std::size_t b = 0; b <= a; ++b) v += cholesky_[a * dims_ + b] * step[b];
      z[a] = v;
      inside = inside && c.parameters[a].log_prior(v) > kMinusInfinity;
    }
    if (inside) return z;
  }
  throw SweepError(
      "the perturbation kernel proposed 100,000 particles outside the priors' bounds "
      "in a row; widen the priors");
}

double Kernel::mixture_density(const double* z) const {
  double sum = 0;
  std::vector<double> d(dims_);
  for (std::size_t j = 0; j < previous_.size(); ++j) {
    for (std::size_t a = 0; a < dims_; ++a) d[a] = z[a] - previous_.z[j * dims_ + a];
    double q = 0;
    for (std::size_t a = 0; a < dims_; ++a)
      for (std::size_t b = 0; b < dims_; ++b) q += d[a] * precision_[a * dims_ + b] * d[b];
    sum += previous_.weights[j] * std::exp(-0.5 * q);
  }
  return sum;
}

std::vector<double> importance_weights(const Calibration& c, const std::vector<double>& z,
                                       const Kernel* kernel) {
  const std::size_t k = c.dims(), n = z.size() / k;
  std::vector<double> w(n, 1.0);
  if (kernel) {
    for (std::size_t i = 0; i < n; ++i) {
      double log_prior = 0;
      for (std::size_t a = 0; a < k; ++a) log_prior += c.parameters[a].log_prior(z[i * k + a]);
      w[i] = std::exp(log_prior) / kernel->mixture_density(&z[i * k]);
    }
  }
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  if (!(total > 0) || !std::isfinite(total))
    throw SweepError("the importance weights of a generation do not sum to a positive number");
  for (auto& x : w) x /= total;
  return w;
}

double effective_sample_size(const std::vector<double>& weights) {
  double sum = 0, squares = 0;
  for (double w : weights) {
    sum += w;
    squares += w * w;
  }
  return squares > 0 ? sum * sum / squares : 0.0;
}

double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights,
                         double q) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Ties broken by index, so the order (and the result) is the same on every machine.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  double cumulative = 0;
  for (const auto i : order) {
    cumulative += weights[i];
    if (cumulative >= q * total) return values[i];
  }
  return values[order.back()];
}

double target_distance(const Calibration& c, const std::vector<double>& simulated) {
  double sum = 0;
  for (std::size_t t = 0; t < c.targets.size(); ++t) {
    const double d = (simulated[t] - c.targets[t].observed) / c.targets[t].scale;
    sum += d * d;
  }
  // A target a run cannot compute (NaN, e.g. a mean over no orders) is infinitely far.
  return std::isnan(sum) ? std::numeric_limits<double>::infinity() : std::sqrt(sum);
}

double target_value(const CalibrationTarget& t, const std::vector<output::Metric>& summaries) {
  const auto m = std::find_if(summaries.begin(), summaries.end(),
                              [&](const output::Metric& s) { return s.name == t.metric; });
  if (m == summaries.end()) {
    std::vector<std::string> names;
    for (const auto& s : summaries) names.push_back(s.name);
    const std::string close = scenario::closest_name(t.metric, names);
    throw ScenarioError(t.where, "targets.metric", "the run writes no summary '" + t.metric + "'",
                        close.empty() ? "see /summary of a run file (docs/output.md)"
                                      : "did you mean '" + close + "'?");
  }
  if (t.cell.size() != m->dims.size()) {
    std::string dims;
    for (const auto& d : m->dims) dims += (dims.empty() ? "" : ", ") + d.name;
    throw ScenarioError(t.where, "targets.cell",
                        "'" + t.metric + "' has " + std::to_string(m->dims.size()) +
                            " breakdown axes (" + (dims.empty() ? "none" : dims) +
                            "): the cell must give a label for each");
  }
  std::size_t index = 0;
  for (std::size_t a = 0; a < m->dims.size(); ++a) {
    const auto& d = m->dims[a];
    const auto& [name, label] = t.cell[a];
    if (name != d.name)
      throw ScenarioError(
          t.where, "targets.cell." + name,
          "axis " + std::to_string(a) + " of '" + t.metric + "' is '" + d.name + "'");
    const auto at = std::find(d.labels.begin(), d.labels.end(), label);
    if (at == d.labels.end())
      throw ScenarioError(t.where, "targets.cell." + name,
                          "no label '" + label + "' on axis '" + d.name + "'",
                          scenario::closest_name(label, d.labels).empty()
                              ? ""
                              : "did you mean '" + scenario::closest_name(label, d.labels) + "'?");
    index = index * d.labels.size() + static_cast<std::size_t>(at - d.labels.begin());
  }
  return m->values.at(index);
}

}  // namespace commsim::experiment
