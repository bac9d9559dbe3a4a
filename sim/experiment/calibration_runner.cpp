#include "sim/experiment/calibration_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>

#include "sim/core/parallel.hpp"
#include "sim/experiment/sweep_error.hpp"
#include "sim/experiment/sweep_store.hpp"
#include "sim/output/hdf5.hpp"
#include "sim/output/provenance.hpp"

namespace commsim::experiment {

namespace h5 = output::h5;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string generation_name(std::int64_t g) {
  char name[32];
  std::snprintf(name, sizeof name, "g%03lld", static_cast<long long>(g));
  return name;
}

// Only the summaries the targets name go into a calibration's run files: they are all the
// method reads back on resume, and a baseline year's time series would make each file a few MB
// (and every dataset costs time to write). A region's parts and tables are dropped too, on
// purpose: a target names a summary of the run's /summary, which for a region holds its totals,
// and a summary group for each of hundreds of communities would cost more than the run's own.
output::RunResult targets_only(const Calibration& c, output::RunResult r) {
  r.timeseries.clear();
  r.tables.clear();
  r.parts.clear();
  r.region_tables.clear();
  std::erase_if(r.summaries, [&](const output::Metric& m) {
    return std::none_of(c.targets.begin(), c.targets.end(),
                        [&](const CalibrationTarget& t) { return t.metric == m.name; });
  });
  return r;
}

// One batch of proposals of one generation: simulated (or read back from the store) and
// reduced to each proposal's targets, mean over replications.
class Batches {
 public:
  Batches(const Calibration& c, const CalibrationOptions& options, CalibrationOutcome& outcome)
      : c_(c), options_(options), outcome_(outcome) {}

  // Proposals [first, first + count) of `plan` (already added to it): their targets, row-major
  // [proposal][target]; empty if interrupted.
  std::vector<double> run(const SweepPlan& plan, const PartialStore& store, std::int64_t generation,
                          std::int64_t first, std::int64_t count, std::int64_t accepted = 0) {
    const std::size_t nt = c_.targets.size();
    const auto reps = c_.replications;
    by_run_.assign(static_cast<std::size_t>(count * reps) * nt, 0.0);
    std::vector<std::int64_t> pending;
    std::int64_t done = 0;
    auto t0 = Clock::now();
    for (std::int64_t k = first; k < first + count; ++k)
      for (std::int64_t r = 0; r < reps; ++r) {
        if (store.has(k, r)) {
          read_back(store, k, r, first);
          ++done;
          ++outcome_.runs_resumed;
        } else {
          pending.push_back(k * reps + r);
        }
      }
    outcome_.store_seconds += seconds_since(t0);
    const auto show = [&] {
      if (options_.progress) options_.progress(generation, done, count * reps, accepted);
    };
    show();
    const auto on_finished = [&](FinishedRun&& f) {
      keep(f.point, f.replication, first, f.result.summaries);
      const auto t = Clock::now();
      store.write(f.point, f.replication, f.seed, targets_only(c_, std::move(f.result)));
      outcome_.store_seconds += seconds_since(t);
      outcome_.simulation_seconds += f.seconds;
      ++done;
      ++outcome_.runs;
      show();
    };
    const auto t1 = Clock::now();
    if (options_.mpi) {
      // The workers build the same plan from the same particles, then take runs from rank 0.
      std::vector<double> message{static_cast<double>(generation)};
      const std::size_t k = c_.dims();
      for (std::int64_t i = first; i < first + count; ++i)
        for (std::size_t j = 0; j < k; ++j)
          message.push_back(plan.points[static_cast<std::size_t>(i)].columns[j]);
      options_.mpi->broadcast(message);
      run_mpi_coordinator(*options_.mpi, pending, on_finished, options_.stop);
    } else {
      static const std::atomic<bool> never{false};
      run_local(plan, pending, options_.threads, options_.stop ? *options_.stop : never,
                on_finished);
    }
    inside_ += seconds_since(t1);
    if (done < count * reps) return {};
    std::vector<double> targets(static_cast<std::size_t>(count) * nt, 0.0);
    for (std::int64_t i = 0; i < count; ++i)
      for (std::int64_t r = 0; r < reps; ++r)
        for (std::size_t t = 0; t < nt; ++t)
          targets[static_cast<std::size_t>(i) * nt + t] +=
              by_run_[(static_cast<std::size_t>(i * reps + r)) * nt + t] /
              static_cast<double>(reps);
    return targets;
  }

  // Per run of the last batch: [proposal][replication][target].
  const std::vector<double>& by_run() const { return by_run_; }
  double inside_seconds() const { return inside_; }

 private:
  static std::vector<output::Metric> read_summaries(const PartialStore& store, std::int64_t k,
                                                    std::int64_t r) {
    const auto source = store.source(k, r, 0);
    const auto file = h5::open_sealed(source.file);
    const auto summary = h5::open_group(file, source.group + "/summary");
    std::vector<output::Metric> metrics;
    for (const auto& name : h5::children(summary))
      metrics.push_back(output::read_summary(summary, name));
    return metrics;
  }

  void read_back(const PartialStore& store, std::int64_t k, std::int64_t r, std::int64_t first) {
    keep(k, r, first, read_summaries(store, k, r));
  }

  void keep(std::int64_t k, std::int64_t r, std::int64_t first,
            const std::vector<output::Metric>& summaries) {
    const std::size_t nt = c_.targets.size();
    const auto row = static_cast<std::size_t>((k - first) * c_.replications + r) * nt;
    for (std::size_t t = 0; t < nt; ++t) by_run_[row + t] = target_value(c_.targets[t], summaries);
  }

  const Calibration& c_;
  const CalibrationOptions& options_;
  CalibrationOutcome& outcome_;
  std::vector<double> by_run_;
  double inside_ = 0;
};

// The number of proposals of the next batch: enough, at the acceptance seen so far, to fill the
// population, with a little to spare. It depends only on results, never on threads or ranks.
std::int64_t batch_size(std::int64_t needed, std::int64_t proposed, std::int64_t accepted,
                        double quantile, std::int64_t population) {
  const double rate =
      proposed > 0 ? std::max(static_cast<double>(accepted) / static_cast<double>(proposed), 0.02)
                   : std::max(quantile, 0.02);
  const auto want = static_cast<std::int64_t>(std::ceil(1.1 * static_cast<double>(needed) / rate));
  return std::max(want, std::max<std::int64_t>(1, population / 4));
}

// The sweep store's refusals (an unfinished calibration in the way, a changed file, another
// build) in the words of a calibration.
PartialStore open_store(const std::filesystem::path& out, const std::string& fingerprint,
                        bool resume) {
  try {
    return PartialStore(out, fingerprint, resume);
  } catch (const SweepError& e) {
    std::string text = e.what();
    for (std::size_t at = 0; (at = text.find("sweep", at)) != std::string::npos;)
      text.replace(at, 5, "calibration"), at += 11;
    throw SweepError(text);
  }
}

}  // namespace

Marginal marginal(const GenerationResult& g, std::size_t parameter, std::size_t dims) {
  Marginal m;
  std::vector<double> v;
  for (std::size_t i = 0; i < g.weights.size(); ++i) v.push_back(g.values[i * dims + parameter]);
  for (std::size_t i = 0; i < v.size(); ++i) m.mean += g.weights[i] * v[i];
  double var = 0;
  for (std::size_t i = 0; i < v.size(); ++i)
    var += g.weights[i] * (v[i] - m.mean) * (v[i] - m.mean);
  m.sd = std::sqrt(var);
  m.q05 = weighted_quantile(v, g.weights, 0.05);
  m.q50 = weighted_quantile(v, g.weights, 0.5);
  m.q95 = weighted_quantile(v, g.weights, 0.95);
  return m;
}

namespace {

output::Metric array(std::string name, std::string unit, std::string description,
                     std::vector<output::Dimension> dims, std::vector<double> values) {
  output::Metric m;
  m.name = std::move(name);
  m.unit = std::move(unit);
  m.description = std::move(description);
  m.dims = std::move(dims);
  m.values = std::move(values);
  return m;
}

std::vector<std::string> index_labels(std::size_t n) {
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < n; ++i) labels.push_back(std::to_string(i));
  return labels;
}

void write_posterior_file(const Calibration& c, const std::filesystem::path& out,
                          const CalibrationOutcome& o, const output::Provenance& provenance) {
  std::vector<std::string> keys, target_labels, sources;
  for (const auto& p : c.parameters) keys.push_back(p.key);
  for (const auto& t : c.targets) {
    target_labels.push_back(t.label);
    sources.push_back(t.source);
  }
  const output::Dimension parameter_dim{"parameter", keys};
  const output::Dimension target_dim{"target", target_labels};
  const std::size_t k = c.dims();
  output::write_file_atomically(out, [&](hid_t file) {
    output::write_provenance(file, provenance);
    {
      const auto prov = h5::open_group(file, "provenance");
      h5::write_attribute(prov, "calibration_text", c.text);
      h5::write_attribute(prov, "calibration_file", c.file.string());
    }
    const auto cal = h5::ensure_group(file, "calibration");
    h5::write_attribute(cal, "method",
                        "ABC-SMC (Toni et al. 2009; Beaumont et al. 2009), tolerance the "
                        "weighted quantile of the previous generation's distances");
    h5::write_attribute(cal, "base_scenario", c.base_name);
    h5::write_attribute(cal, "fingerprint", c.fingerprint);
    h5::write_attribute(cal, "seed", c.seed);
    h5::write_attribute(cal, "population", c.population);
    h5::write_attribute(cal, "replications", c.replications);
    h5::write_attribute(cal, "max_generations", c.generations);
    h5::write_attribute(cal, "quantile", c.quantile);
    h5::write_attribute(cal, "max_proposals", c.max_proposals);
    h5::write_attribute(
        cal, "final_tolerance",
        c.final_tolerance ? *c.final_tolerance : std::numeric_limits<double>::quiet_NaN());
    h5::write_attribute(cal, "generations", static_cast<std::int64_t>(o.generations.size()));
    h5::write_attribute(cal, "stop_reason", o.stop_reason);
    h5::write_attribute(cal, "parameters", keys);
    h5::write_attribute(cal, "targets", target_labels);
    h5::write_attribute(cal, "target_sources", sources);
    std::vector<std::string> priors;
    std::vector<double> pmin, pmax, pmean, psd, pint;
    for (const auto& p : c.parameters) {
      priors.push_back(prior_name(p.prior));
      pmin.push_back(p.min);
      pmax.push_back(p.max);
      pmean.push_back(p.prior == Prior::TruncatedNormal ? p.mean
                                                        : std::numeric_limits<double>::quiet_NaN());
      psd.push_back(p.prior == Prior::TruncatedNormal ? p.sd
                                                      : std::numeric_limits<double>::quiet_NaN());
      pint.push_back(p.integer ? 1 : 0);
    }
    h5::write_attribute(cal, "priors", priors);
    output::write_summary(
        cal, array("prior_min", "", "Lower bound of each prior.", {parameter_dim}, pmin));
    output::write_summary(
        cal, array("prior_max", "", "Upper bound of each prior.", {parameter_dim}, pmax));
    output::write_summary(
        cal, array("prior_mean", "", "Truncated normal: mean (else NaN).", {parameter_dim}, pmean));
    output::write_summary(
        cal, array("prior_sd", "", "Truncated normal: sd (else NaN).", {parameter_dim}, psd));
    output::write_summary(
        cal, array("integer", "", "1: an integer key (values rounded).", {parameter_dim}, pint));
    std::vector<double> observed, scale;
    for (const auto& t : c.targets) {
      observed.push_back(t.observed);
      scale.push_back(t.scale);
    }
    output::write_summary(
        cal, array("observed", "", "Observed value of each target.", {target_dim}, observed));
    output::write_summary(
        cal, array("scale", "", "Scale of each target: a difference of one scale is distance 1.",
                   {target_dim}, scale));

    const auto gens = h5::ensure_group(file, "generations");
    std::vector<double> tol, ess, proposals, accepted_share;
    for (const auto& g : o.generations) {
      const auto grp = h5::ensure_group(gens, generation_name(g.index));
      const output::Dimension particle_dim{"particle", index_labels(g.weights.size())};
      h5::write_attribute(grp, "tolerance", g.tolerance);
      h5::write_attribute(grp, "ess", g.ess);
      h5::write_attribute(grp, "proposals", g.proposals);
      output::write_summary(grp, array("particles", "", "Accepted particles: scenario values.",
                                       {particle_dim, parameter_dim}, g.values));
      output::write_summary(grp, array("weights", "share", "Importance weights (sum to 1).",
                                       {particle_dim}, g.weights));
      output::write_summary(grp, array("distances", "",
                                       "Distance of each particle's targets "
                                       "(mean over replications) to the observed.",
                                       {particle_dim}, g.distances));
      output::write_summary(grp, array("targets", "", "Simulated targets, mean over replications.",
                                       {particle_dim, target_dim}, g.targets));
      std::vector<double> proposal(g.proposal.begin(), g.proposal.end());
      output::write_summary(
          grp, array("proposal", "", "Index of the accepted proposal.", {particle_dim}, proposal));
      tol.push_back(g.tolerance);
      ess.push_back(g.ess);
      proposals.push_back(static_cast<double>(g.proposals));
      accepted_share.push_back(static_cast<double>(g.weights.size()) /
                               static_cast<double>(std::max<std::int64_t>(g.proposals, 1)));
    }
    const output::Dimension gen_dim{"generation", index_labels(o.generations.size())};
    output::write_summary(
        gens, array("tolerance", "", "Tolerance of each generation (inf: 0).", {gen_dim}, tol));
    output::write_summary(gens, array("ess", "particles",
                                      "Effective sample size (sum w)^2/sum w^2.", {gen_dim}, ess));
    output::write_summary(
        gens, array("proposals", "particles", "Proposals simulated.", {gen_dim}, proposals));
    output::write_summary(
        gens, array("acceptance_rate", "share", "Accepted / proposed.", {gen_dim}, accepted_share));

    const auto& last = o.generations.back();
    const auto post = h5::ensure_group(file, "posterior");
    h5::write_attribute(post, "generation", last.index);
    h5::write_attribute(post, "tolerance", last.tolerance);
    h5::write_attribute(post, "ess", last.ess);
    const output::Dimension particle_dim{"particle", index_labels(last.weights.size())};
    output::write_summary(post, array("particles", "", "The final generation's particles.",
                                      {particle_dim, parameter_dim}, last.values));
    output::write_summary(
        post, array("weights", "share", "Their weights (sum to 1).", {particle_dim}, last.weights));
    std::map<std::string, std::vector<double>> stats;
    for (std::size_t j = 0; j < k; ++j) {
      const auto m = marginal(last, j, k);
      stats["mean"].push_back(m.mean);
      stats["sd"].push_back(m.sd);
      stats["q05"].push_back(m.q05);
      stats["q50"].push_back(m.q50);
      stats["q95"].push_back(m.q95);
    }
    for (const auto& [name, v] : stats)
      output::write_summary(
          post, array(name, "", "Weighted " + name + " of each parameter.", {parameter_dim}, v));

    const auto pred = h5::ensure_group(file, "predictive");
    const auto& p = o.predictive;
    const output::Dimension draw_dim{"draw", index_labels(p.particle.size())};
    const output::Dimension rep_dim{"replication",
                                    index_labels(static_cast<std::size_t>(c.replications))};
    h5::write_attribute(pred, "draws", static_cast<std::int64_t>(p.particle.size()));
    std::vector<double> particle(p.particle.begin(), p.particle.end());
    output::write_summary(
        pred, array("particle", "", "Posterior particle drawn (by weight).", {draw_dim}, particle));
    output::write_summary(
        pred, array("particles", "", "Its scenario values.", {draw_dim, parameter_dim}, p.values));
    output::write_summary(pred, array("targets", "",
                                      "Predicted targets: mean over replications "
                                      "of new runs (new seeds).",
                                      {draw_dim, target_dim}, p.targets));
    output::write_summary(pred, array("targets_by_replication", "", "Predicted targets per run.",
                                      {draw_dim, rep_dim, target_dim}, p.targets_by_replication));
    output::write_summary(
        pred, array("observed", "", "Observed value of each target.", {target_dim}, observed));
  });
}

}  // namespace

CalibrationOutcome run_calibration(const Calibration& c, const std::filesystem::path& out,
                                   const CalibrationOptions& options) {
  const auto start = Clock::now();
  const std::string start_time = output::utc_now_iso8601();
  CalibrationOutcome o;
  o.threads = options.mpi ? options.mpi->size() - 1 : Executor(options.threads).threads();
  const PartialStore top = open_store(out, c.fingerprint, options.resume);
  Batches batches(c, options, o);
  const std::size_t k = c.dims(), nt = c.targets.size();
  const auto n = c.population;
  std::vector<double> scratch;  // a batch's proposals
  // The workers wait for the next batch in a broadcast; an empty one ends them (at the end, or
  // when a signal stopped the calibration: rank 0 then returns `interrupted`).
  const auto release_workers = [&] {
    if (!options.mpi) return;
    std::vector<double> end;
    options.mpi->broadcast(end);
  };
  const auto interrupted = [&] {
    release_workers();
    o.interrupted = true;
    o.wall_seconds = seconds_since(start);
    return o;
  };

  for (std::int64_t g = 0; g < c.generations; ++g) {
    const PartialStore store(top.folder() / generation_name(g), c.fingerprint, true);
    SweepPlan plan = particle_plan(c, g);
    Population previous;
    std::unique_ptr<Kernel> kernel;
    GenerationResult gen;
    gen.index = g;
    gen.tolerance = std::numeric_limits<double>::infinity();
    if (g > 0) {
      const auto& last = o.generations.back();
      previous.z = last.z;
      previous.weights = last.weights;
      kernel = std::make_unique<Kernel>(previous, k);
      gen.tolerance = weighted_quantile(last.distances, last.weights, c.quantile);
      if (c.final_tolerance) gen.tolerance = std::max(gen.tolerance, *c.final_tolerance);
    }
    std::vector<double> proposal_z;
    std::int64_t accepted = 0;
    const std::int64_t limit = c.max_proposals * n;
    while (accepted < n && gen.proposals < limit) {
      const std::int64_t first = gen.proposals;
      const std::int64_t count =
          g == 0
              ? n
              : std::min(batch_size(n - accepted, first, accepted, c.quantile, n), limit - first);
      auto t_method = Clock::now();
      scratch.clear();
      for (std::int64_t i = first; i < first + count; ++i) {
        Stream s = proposal_stream(c, g, i);
        std::vector<double> z(k);
        if (kernel)
          z = kernel->propose(c, s);
        else
          for (std::size_t j = 0; j < k; ++j) z[j] = c.parameters[j].sample(s);
        for (std::size_t j = 0; j < k; ++j) {
          proposal_z.push_back(z[j]);
          scratch.push_back(scenario_value(c.parameters[j], z[j]));
        }
      }
      o.method_seconds += seconds_since(t_method);
      const auto t_plan = Clock::now();
      add_particles(plan, c, scratch);
      o.plan_seconds += seconds_since(t_plan);
      const auto targets = batches.run(plan, store, g, first, count, accepted);
      if (targets.empty()) return interrupted();
      gen.proposals += count;
      for (std::int64_t i = 0; i < count && accepted < n; ++i) {
        const std::vector<double> sim(targets.begin() + i * static_cast<std::int64_t>(nt),
                                      targets.begin() + (i + 1) * static_cast<std::int64_t>(nt));
        const double d = target_distance(c, sim);
        if (!(d <= gen.tolerance)) continue;
        ++accepted;
        const auto at = static_cast<std::size_t>(first + i);
        gen.proposal.push_back(first + i);
        gen.distances.push_back(d);
        gen.targets.insert(gen.targets.end(), sim.begin(), sim.end());
        for (std::size_t j = 0; j < k; ++j) {
          gen.z.push_back(proposal_z[at * k + j]);
          gen.values.push_back(scratch[(at - static_cast<std::size_t>(first)) * k + j]);
        }
      }
    }
    if (accepted < n) {
      o.stop_reason = "generation " + std::to_string(g) + " accepted " + std::to_string(accepted) +
                      " of " + std::to_string(n) + " particles within its " +
                      std::to_string(limit) +
                      " proposals (max_proposals); the posterior is "
                      "generation " +
                      std::to_string(g - 1);
      break;
    }
    const auto t_weights = Clock::now();
    gen.weights = importance_weights(c, gen.z, kernel.get());
    gen.ess = effective_sample_size(gen.weights);
    o.method_seconds += seconds_since(t_weights);
    o.generations.push_back(std::move(gen));
    const double tol = o.generations.back().tolerance;
    if (c.final_tolerance && tol <= *c.final_tolerance) {
      o.stop_reason = "final tolerance reached";
      break;
    }
    if (g + 1 == c.generations) o.stop_reason = "all generations run";
  }

  // Posterior predictive: draws from the final generation by weight, rerun with new seeds.
  const auto& last = o.generations.back();
  if (c.predictive > 0) {
    const PartialStore store(top.folder() / "predictive", c.fingerprint, true);
    SweepPlan plan = particle_plan(c, kPredictiveGeneration);
    scratch.clear();
    auto& p = o.predictive;
    for (std::int64_t m = 0; m < c.predictive; ++m) {
      Stream s = predictive_stream(c, m);
      const auto j = s.categorical(last.weights);
      p.particle.push_back(static_cast<std::int64_t>(j));
      for (std::size_t a = 0; a < k; ++a) scratch.push_back(last.values[j * k + a]);
    }
    p.values = scratch;
    add_particles(plan, c, scratch);
    p.targets = batches.run(plan, store, kPredictiveGeneration, 0, c.predictive);
    if (p.targets.empty()) return interrupted();
    p.targets_by_replication = batches.by_run();
  }
  release_workers();

  auto provenance = output::make_provenance(c.base, c.seed, 0, o.threads);
  provenance.start_time = start_time;
  provenance.wall_seconds = seconds_since(start);
  const auto t = Clock::now();
  write_posterior_file(c, out, o, provenance);
  top.remove();
  o.output_seconds = seconds_since(t);
  o.wall_seconds = seconds_since(start);
  o.outside_seconds = o.wall_seconds - batches.inside_seconds();
  return o;
}

void serve_calibration(const Calibration& c, const MpiSession& mpi, int threads) {
  SweepPlan plan;
  std::int64_t generation = std::numeric_limits<std::int64_t>::min();
  for (;;) {
    std::vector<double> message;
    mpi.broadcast(message);
    if (message.empty()) return;
    const auto g = static_cast<std::int64_t>(message[0]);
    if (g != generation) {
      plan = particle_plan(c, g);
      generation = g;
    }
    add_particles(plan, c, std::vector<double>(message.begin() + 1, message.end()));
    run_mpi_worker(mpi, plan, threads);
  }
}

}  // namespace commsim::experiment
