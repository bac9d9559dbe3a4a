// `commsim calibrate`: fit a scenario's uncertain parameters to observed figures by ABC-SMC (see
// sim/experiment/calibration.hpp and docs/calibration.md).
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/progress.hpp"
#include "sim/cli/stop_signals.hpp"
#include "sim/experiment/calibration.hpp"
#include "sim/experiment/calibration_runner.hpp"
#include "sim/experiment/sweep_error.hpp"
#include "sim/scenario/error.hpp"
#include "sim/scenario/schema.hpp"

namespace commsim::cli {

namespace {

namespace ex = experiment;

std::atomic<bool> g_stop{false};

extern "C" void on_calibrate_signal(int) {
  g_stop = true;
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

// An MPI worker rank finishes the run it has and then waits for rank 0's word: rank 0 gets the
// same signal (mpirun and Slurm signal every rank), hands out no more runs, keeps the runs under
// way and ends the job with 130 (as `commsim sweep` does).
extern "C" void ignore_calibrate_signal(int) {}

void print_calibration(const ex::Calibration& c, const std::string& file) {
  std::printf("%s: valid: ABC-SMC, %lld particles x %lld replications, at most %lld generations",
              file.c_str(), static_cast<long long>(c.population),
              static_cast<long long>(c.replications), static_cast<long long>(c.generations));
  if (c.final_tolerance)
    std::printf(" or final tolerance %s", scenario::format_number(*c.final_tolerance).c_str());
  std::printf(", seed %llu\n", static_cast<unsigned long long>(c.seed));
  for (const auto& p : c.parameters) {
    std::printf("  fits %s: %s [%s, %s]", p.key.c_str(), ex::prior_name(p.prior),
                scenario::format_number(p.min).c_str(), scenario::format_number(p.max).c_str());
    if (p.prior == ex::Prior::TruncatedNormal)
      std::printf(" mean %s sd %s", scenario::format_number(p.mean).c_str(),
                  scenario::format_number(p.sd).c_str());
    std::printf("\n");
  }
  for (const auto& t : c.targets)
    std::printf("  target %s = %s (scale %s)\n", t.label.c_str(),
                scenario::format_number(t.observed).c_str(),
                scenario::format_number(t.scale).c_str());
  std::printf("  fingerprint %s\n", c.fingerprint.c_str());
}

void print_outcome(const ex::Calibration& c, const ex::CalibrationOutcome& o,
                   const std::string& out, bool mpi) {
  const auto& last = o.generations.back();
  std::printf("commsim calibrate: %zu generations (%s) -> %s\n", o.generations.size(),
              o.stop_reason.c_str(), out.c_str());
  for (const auto& g : o.generations)
    std::printf("  generation %lld: tolerance %.4g, %lld proposals, ESS %.1f\n",
                static_cast<long long>(g.index), g.tolerance, static_cast<long long>(g.proposals),
                g.ess);
  std::printf("  posterior (generation %lld): mean [90%% interval]\n",
              static_cast<long long>(last.index));
  for (std::size_t j = 0; j < c.dims(); ++j) {
    const auto m = ex::marginal(last, j, c.dims());
    std::printf("    %s: %.4g [%.4g, %.4g]\n", c.parameters[j].key.c_str(), m.mean, m.q05, m.q95);
  }
  const double minutes = o.wall_seconds / 60.0;
  const auto share = [&](double s) { return 100.0 * s / std::max(o.wall_seconds, 1e-9); };
  std::printf(
      "  wall %.1f s, %lld runs (%lld kept from before), %.1f runs/min on %d %s\n"
      "  outside the runners %.2f%% of wall (method %.2f%%, particle scenarios %.2f%%, posterior "
      "file %.2f%%); per-run files %.2f%% (writer thread, beside the simulations)\n",
      o.wall_seconds, static_cast<long long>(o.runs + o.runs_resumed),
      static_cast<long long>(o.runs_resumed), static_cast<double>(o.runs) / std::max(minutes, 1e-9),
      o.threads, mpi ? "worker ranks" : (o.threads == 1 ? "thread" : "threads"),
      share(o.outside_seconds), share(o.method_seconds), share(o.plan_seconds),
      share(o.output_seconds), share(o.store_seconds));
}

}  // namespace

int calibrate_command(const std::vector<std::string>& argv) {
  const Args args(argv, {{"--output", "-o", true, false},
                         {"--threads", "", true, false},
                         {"--resume", "", false, false},
                         {"--dry-run", "", false, false},
                         {"--quiet", "-q", false, false},
                         kProgressEveryOption});
  const char* usage =
      "commsim calibrate CALIB.yaml -o POSTERIOR.h5 [--threads N] [--resume] [--dry-run]";
  if (args.positional().size() != 1) throw UsageError(std::string("usage: ") + usage);
  const std::string file = args.positional()[0];
  const auto out = args.value("--output");
  const bool dry_run = args.flag("--dry-run");
  if (!out && !dry_run) throw UsageError(std::string("missing -o POSTERIOR.h5; usage: ") + usage);
  std::optional<int> threads;
  if (auto t = args.integer("--threads", 0, 1024)) threads = static_cast<int>(*t);
  const bool quiet = args.flag("--quiet");

  std::unique_ptr<ex::MpiSession> mpi;
  if (!dry_run && ex::launched_under_mpi()) mpi = std::make_unique<ex::MpiSession>();
  ex::Calibration c;
  try {
    c = ex::load_calibration(file);
  } catch (...) {
    // Every rank reads the same file and fails the same way; rank 0 reports it.
    if (mpi && mpi->rank() != 0) return 2;
    throw;
  }
  if (dry_run) {
    print_calibration(c, file);
    return 0;
  }
  const bool under_mpi = mpi && mpi->size() > 1;
  if (under_mpi && !mpi->same_on_every_rank(c.fingerprint)) {
    if (mpi->rank() != 0) return 2;
    throw UsageError(
        "the ranks read different calibrations (the fingerprints differ): the calibration file, "
        "its base scenario or a register changed while the job started; start it again");
  }
  try {
    if (under_mpi && mpi->rank() != 0) {
      const StopSignals signals(ignore_calibrate_signal);
      ex::serve_calibration(c, *mpi, threads.value_or(1));
      return 0;
    }
    ex::CalibrationOptions options;
    options.threads = under_mpi ? threads.value_or(1) : threads.value_or(0);
    options.resume = args.flag("--resume");
    options.mpi = under_mpi ? mpi.get() : nullptr;
    options.stop = &g_stop;
    // One bar per batch of runs, saying the generation and the particles accepted before it.
    const double every = progress_every(args);
    std::optional<ProgressBar> bar;
    options.progress = [&](std::int64_t g, std::int64_t done, std::int64_t runs,
                           std::int64_t accepted) {
      if (done == 0 || !bar) {
        bar.reset();
        bar.emplace("runs", !quiet, every);
      }
      bar->update(done, runs,
                  g == ex::kPredictiveGeneration
                      ? std::string("posterior predictive")
                      : "generation " + std::to_string(g) + ", " + std::to_string(accepted) +
                            " of " + std::to_string(c.population) + " particles accepted before");
    };
    const StopSignals signals(on_calibrate_signal);
    const auto outcome = ex::run_calibration(c, *out, options);
    bar.reset();
    if (outcome.interrupted) {
      std::fprintf(stderr,
                   "commsim: interrupted: finished runs kept in %s.partial; continue with "
                   "--resume\n",
                   out->c_str());
      return 130;
    }
    if (!quiet) print_outcome(c, outcome, *out, under_mpi);
    return 0;
  } catch (const ex::SweepError& e) {
    if (under_mpi) {
      std::fprintf(stderr, "commsim: %s\n", e.what());
      mpi->abort(2);
    }
    throw UsageError(e.what());
  } catch (const scenario::ScenarioError& e) {
    if (under_mpi) {
      std::fprintf(stderr, "commsim: error: %s\n", e.what());
      mpi->abort(2);
    }
    throw;
  } catch (const std::exception& e) {
    if (under_mpi) {
      std::fprintf(stderr, "commsim: internal error: %s\n", e.what());
      mpi->abort(1);
    }
    throw;
  }
}

}  // namespace commsim::cli
