#pragma once
// Calibration by ABC-SMC: which values of a scenario's uncertain parameters reproduce observed
// figures. The calibration file (YAML), read and validated here, and the pieces of the method
// that do not run simulations (priors, proposals, weights, tolerances), so they can be tested
// alone. The driver that runs generations is sim/experiment/calibration_runner.hpp.
//
// The calibration file:
//   base: ../baseline.yaml         base scenario, relative to this file (required)
//   set: {run.days: 180}           overrides applied to every particle
//   seed: 11                       calibration seed (default: the base scenario's run.seed)
//   population: 200                particles per generation (required)
//   replications: 1                runs per particle; the distance compares their mean
//   generations: 6                 at most this many generations (required)
//   final_tolerance: 0.5           optional: stop at the generation whose tolerance reaches it
//   quantile: 0.5                  a generation's tolerance: this weighted quantile of the
//                                  previous generation's distances
//   max_proposals: 20              a generation proposes at most this x population particles
//   predictive: 50                 posterior predictive draws (0: none)
//   parameters:                    scenario key -> prior
//     casework.department_response: {prior: uniform, min: 0.1, max: 0.6}
//     casework.service_mean_hours: {prior: log_uniform, min: 0.5, max: 4}
//     staffing.skill: {prior: truncated_normal, mean: 0.7, sd: 0.1, min: 0.3, max: 1}
//   targets:
//     - metric: escalated_closure_rate     a /summary metric
//       cell: {level: community}           optional: one cell of its breakdown
//       observed: 0.953
//       scale: 0.02                        (or tolerance:) a difference of one scale = distance 1
//       source: "[001] ..."                where the figure comes from (required)

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/experiment/sweep_plan.hpp"
#include "sim/output/run_result.hpp"
#include "sim/scenario/loader.hpp"

namespace commsim::experiment {

enum class Prior { Uniform, LogUniform, TruncatedNormal };
const char* prior_name(Prior p);  // as the calibration file spells it

// One fitted scenario key. The method works in each parameter's working coordinate z: the value
// itself, or its logarithm for a log-uniform prior (so the kernel's steps are relative there).
struct CalibrationParameter {
  std::string key;
  Prior prior = Prior::Uniform;
  double min = 0, max = 0;  // bounds of the value (all priors are bounded)
  double mean = 0, sd = 0;  // truncated normal
  bool integer = false;     // the scenario gets the value rounded
  scenario::Location where;

  double to_work(double value) const;
  double from_work(double z) const;
  // log prior density of z (in working coordinates); -infinity outside the bounds.
  double log_prior(double z) const;
  // A draw of z from the prior.
  double sample(Stream& s) const;
};

struct CalibrationTarget {
  std::string metric;
  std::vector<std::pair<std::string, std::string>> cell;  // (dimension, label), file order
  std::string label;  // "metric" or "metric/label/label" as /sweep/summary names its fields
  double observed = 0;
  double scale = 1;
  std::string source;
  scenario::Location where;
};

struct Calibration {
  std::filesystem::path file;
  std::string text;  // the file exactly as given
  std::string base_name;
  std::filesystem::path base_path;
  scenario::LoadedScenario base;  // with `set` applied
  std::uint64_t seed = 0;
  std::int64_t population = 0;
  std::int64_t replications = 1;
  std::int64_t generations = 0;
  std::optional<double> final_tolerance;
  double quantile = 0.5;
  std::int64_t max_proposals = 20;
  std::int64_t predictive = 0;
  std::vector<CalibrationParameter> parameters;
  std::vector<CalibrationTarget> targets;
  std::string fingerprint;  // hash of everything that determines the posterior (hex)

  std::size_t dims() const { return parameters.size(); }
};

// Reads and validates the calibration file: errors are ScenarioError with file, line and key.
Calibration load_calibration(const std::filesystem::path& file);

// A weighted population in working coordinates: z is row-major [particle][parameter].
struct Population {
  std::vector<double> z;
  std::vector<double> weights;  // sum to 1
  std::size_t size() const { return weights.size(); }
};

// The perturbation kernel of Beaumont et al. (2009): a normal with twice the population's
// weighted covariance, centred on a particle drawn by weight.
class Kernel {
 public:
  Kernel(const Population& previous, std::size_t dims);
  // z of proposal `index` of a generation: a particle of `previous` drawn by weight, moved, and
  // redrawn until it lies within every prior's bounds. Throws if that takes absurdly long.
  std::vector<double> propose(const Calibration& c, Stream& s) const;
  // sum_j w_j K(z | z_j), up to a factor common to every z.
  double mixture_density(const double* z) const;
  const std::vector<double>& covariance() const { return covariance_; }

 private:
  const Population& previous_;
  std::size_t dims_;
  std::vector<double> covariance_;  // 2 x weighted covariance
  std::vector<double> cholesky_;    // lower triangle of covariance_
  std::vector<double> precision_;   // its inverse
};

// The weights of an accepted population (Toni et al. 2009; Beaumont et al. 2009):
// w_i = prior(z_i) / sum_j w_j K(z_i | z_j), normalised. Generation 0 (no kernel): equal.
std::vector<double> importance_weights(const Calibration& c, const std::vector<double>& z,
                                       const Kernel* kernel);
double effective_sample_size(const std::vector<double>& weights);
// The weighted q-quantile (the smallest value whose cumulative weight reaches q).
double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights,
                         double q);
// Euclidean distance between simulated and observed targets, each divided by its scale;
// +infinity when a simulated target is NaN.
double target_distance(const Calibration& c, const std::vector<double>& simulated);
// A target's value in a run's summaries (throws SweepError naming the metric if it is absent).
double target_value(const CalibrationTarget& t, const std::vector<output::Metric>& summaries);

// The random streams of the method (the simulations have their own, from their seeds).
Stream proposal_stream(const Calibration& c, std::int64_t generation, std::int64_t index);
Stream predictive_stream(const Calibration& c, std::int64_t draw);
constexpr std::int64_t kPredictiveGeneration = -1;  // the generation index of predictive runs

// The runs of particles: a list-design plan whose point k is proposal k of the batch's
// generation (so the sweep runner and the MPI workers run it as they run a sweep). Its seeds are
// hashed from (calibration seed, generation, proposal, replication).
SweepPlan particle_plan(const Calibration& c, std::int64_t generation);
// Appends proposals (values of the parameters, row-major) as points of the plan.
void add_particles(SweepPlan& plan, const Calibration& c, const std::vector<double>& values);
// The scenario value of a parameter (rounded for integer keys).
double scenario_value(const CalibrationParameter& p, double z);

}  // namespace commsim::experiment
