// `commsim sweep` and `commsim merge`: experiments at scale (see sim/experiment/ and
// docs/cluster.md).
#include <oneapi/tbb/info.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>

#include "sim/cli/args.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/progress.hpp"
#include "sim/cli/stop_signals.hpp"
#include "sim/experiment/sweep_error.hpp"
#include "sim/experiment/sweep_plan.hpp"
#include "sim/experiment/sweep_runner.hpp"
#include "sim/experiment/sweep_store.hpp"
#include "sim/output/hdf5.hpp"
#include "sim/output/preflight.hpp"
#include "sim/output/provenance.hpp"
#include "sim/scenario/estimate.hpp"

namespace commsim::cli {

namespace {

using Clock = std::chrono::steady_clock;
namespace ex = experiment;

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) {
  g_stop = true;
  // A second Ctrl-C ends the process at once; finished runs are safe on disk either way.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

// An MPI worker rank finishes the run it has and then waits for rank 0's word: rank 0 gets the
// same signal (mpirun and Slurm signal every rank), stops handing out runs, writes the runs
// under way and ends the job with 130.
extern "C" void ignore_stop_signal(int) {}

int worker_threads(int threads) {
  return threads > 0 ? threads : oneapi::tbb::info::default_concurrency();
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void print_plan(const ex::SweepPlan& plan, const std::string& file) {
  std::printf("%s: valid: %s design, %zu points x %lld replications = %lld runs, seeds %s\n",
              file.c_str(), ex::design_name(plan.design), plan.points.size(),
              static_cast<long long>(plan.replications), static_cast<long long>(plan.runs()),
              ex::seeds_name(plan.seeds));
  for (const auto& p : plan.parameters) std::printf("  varies %s\n", p.key.c_str());
  std::printf("  fingerprint %s\n", plan.fingerprint.c_str());
}

// The memory of the sweep's runs side by side, checked before the first run against `limit`
// (--max-memory; default the machine's available memory): the largest point's estimate for each
// run at once on this process (one per worker thread, at most one per run) or, under mpirun, on
// this node (one per worker rank; rank 0 writes and runs none). Throws SweepError (exit 2) with
// the figure; `print` also writes it (--dry-run).
void check_sweep_memory(const ex::SweepPlan& plan, const ex::Shard& shard, int threads,
                        const ex::MpiSession* mpi, std::optional<double> limit,
                        const std::string& file, bool print) {
  std::int64_t owned = 0;
  for (std::int64_t run = 0; run < plan.runs(); ++run) owned += shard.owns(run) ? 1 : 0;
  if (owned == 0 || plan.scenarios.empty()) return;
  scenario::ResourceEstimate largest;
  std::size_t largest_point = 0;
  for (std::size_t p = 0; p < plan.scenarios.size(); ++p) {
    const auto e = scenario::estimate_resources(plan.scenarios[p]);
    if (e.memory_bytes > largest.memory_bytes) {
      largest = e;
      largest_point = p;
    }
  }
  const int workers = mpi ? std::max(1, std::min(mpi->ranks_on_this_node(), mpi->size()) -
                                            (mpi->rank() == 0 ? 1 : 0))
                          : worker_threads(threads);
  const double at_once = static_cast<double>(std::min<std::int64_t>(workers, owned));
  const double bytes = scenario::memory_at_once(largest, at_once);
  const std::string runs = std::to_string(static_cast<long long>(at_once)) +
                           (at_once == 1 ? " run" : " runs") + " at once (" +
                           (mpi ? "worker ranks on this node" : "threads") + ")";
  const std::string figure =
      "about " + scenario::format_bytes(bytes) + " of memory: " + runs + " x " +
      scenario::format_bytes(largest.memory_bytes - largest.process_bytes) +
      " for the largest point (point " + std::to_string(largest_point) + ", " +
      std::to_string(std::llround(largest.residents)) + " residents, " +
      std::to_string(std::llround(largest.simulated_days)) + " simulated days) + " +
      scenario::format_bytes(largest.process_bytes) + " for the process";
  if (print) std::printf("  estimate: %s\n", figure.c_str());
  if (!limit) limit = scenario::available_memory();
  if (limit && bytes > *limit)
    throw ex::SweepError(
        file + ": the sweep needs " + figure + ", more than the limit of " +
        scenario::format_bytes(*limit) + " (" + (mpi ? "fewer ranks per node" : "fewer --threads") +
        ", fewer households or days in the largest point, or a higher --max-memory)");
}

// The sweep on this process (threads) or, under mpirun, as rank 0 of K.
int run_sweep(const ex::SweepPlan& plan, const std::string& out, const ex::Shard& shard,
              bool resume, int threads, bool quiet, double progress_seconds,
              const ex::MpiSession* mpi, std::optional<double> max_memory,
              const std::string& file) {
  const auto start = Clock::now();
  const std::string start_time = output::utc_now_iso8601();
  bool coordinated = false;
  try {
    // A shard's unfinished runs belong to that shard only.
    const std::string stamp =
        plan.fingerprint + (shard.count > 1 ? "-shard-" + std::to_string(shard.index) + "-of-" +
                                                  std::to_string(shard.count)
                                            : "");
    const std::optional<ex::Shard> slice =
        shard.count > 1 ? std::optional<ex::Shard>(shard) : std::nullopt;
    // A requeued Slurm task (or a second --resume) whose results are already published: nothing
    // to run. A kill while publishing can leave the folder behind; finish removing it.
    if (resume && ex::finished_sweep_file(out, plan.fingerprint, slice)) {
      std::error_code ec;
      if (std::filesystem::exists(out + ".partial", ec))
        std::filesystem::remove_all(out + ".partial", ec);
      if (!quiet)
        std::printf("commsim sweep: %s is already complete; nothing to run\n", out.c_str());
      if (mpi) {
        coordinated = true;
        ex::run_mpi_coordinator(*mpi, {}, [](ex::FinishedRun&&) {});
      }
      return 0;
    }
    // Before the first run: the runs side by side fit in memory, and the results file's folder
    // exists, takes files and has room for the
    // values of every run (uncompressed, once: about what the run files and the results file
    // take together with compression).
    check_sweep_memory(plan, shard, threads, mpi, max_memory, file, false);
    std::uintmax_t bytes = 0;
    for (std::int64_t run = 0; run < plan.runs(); ++run)
      if (shard.owns(run))
        bytes += output::estimated_run_file_bytes(
            plan.scenarios[static_cast<std::size_t>(plan.point_of(run))]);
    output::check_output_path(out, bytes);
    const ex::PartialStore store(out, stamp, resume);
    if (!store.discarded().empty())
      std::fprintf(stderr,
                   "commsim: %zu damaged run files in %s removed (e.g. %s); those runs run again\n",
                   store.discarded().size(), store.folder().c_str(), store.discarded()[0].c_str());
    std::vector<std::int64_t> pending;
    std::vector<std::pair<std::int64_t, std::int64_t>> owned_runs;
    for (std::int64_t run = 0; run < plan.runs(); ++run)
      if (shard.owns(run)) owned_runs.emplace_back(plan.point_of(run), plan.replication_of(run));
    const auto owned = static_cast<std::int64_t>(owned_runs.size());
    double write_seconds = 0;
    auto phase = Clock::now();
    // The results file fills as runs finish, so that at the end only its tables are left to write;
    // it grows inside the store's folder, which a resume clears of temporaries.
    ex::SweepAssembler assembler(out, owned_runs,
                                 store.folder() / ("results.h5.tmp-" + std::to_string(::getpid())));
    for (std::int64_t run = 0; run < plan.runs(); ++run) {
      if (!shard.owns(run)) continue;
      const auto p = plan.point_of(run), r = plan.replication_of(run);
      if (store.has(p, r))
        assembler.add(store.source(p, r, plan.seed_of(p, r)));
      else
        pending.push_back(run);
    }
    write_seconds += seconds_since(phase);
    std::int64_t done = owned - static_cast<std::int64_t>(pending.size());
    const std::int64_t resumed = done;
    // Under mpirun this is rank 0, which receives every rank's finished runs.
    ProgressBar bar("runs", !quiet, progress_seconds);
    const auto on_finished = [&](ex::FinishedRun&& f) {
      const auto t = Clock::now();
      store.write(f.point, f.replication, f.seed, f.result);
      assembler.add(store.source(f.point, f.replication, f.seed));
      write_seconds += seconds_since(t);
      ++done;
      bar.update(done, owned);
    };
    bar.update(done, owned);
    {
      const StopSignals signals(on_stop_signal);
      if (mpi) {
        coordinated = true;
        ex::run_mpi_coordinator(*mpi, pending, on_finished, &g_stop);
      } else {
        ex::run_local(plan, pending, threads, g_stop, on_finished);
      }
    }
    bar.finish();
    if (done < owned) {
      std::fprintf(stderr,
                   "commsim: interrupted: %lld of %lld runs finished and kept in %s; continue "
                   "with --resume\n",
                   static_cast<long long>(done), static_cast<long long>(owned),
                   store.folder().c_str());
      return 130;
    }

    const int used_threads = mpi ? mpi->size() - 1 : worker_threads(threads);
    auto provenance = output::make_provenance(plan.base, plan.seed, 0, used_threads);
    provenance.start_time = start_time;
    phase = Clock::now();
    provenance.wall_seconds = seconds_since(start);
    assembler.finish(ex::make_header(plan, provenance), slice);
    write_seconds += seconds_since(phase);
    store.remove();
    const double wall = seconds_since(start);
    if (!quiet)
      std::printf(
          "commsim sweep: %lld runs (%lld new) -> %s\n  wall %.2f s, %.1f runs/min on %d %s; "
          "HDF5 writing %.1f%% of wall\n",
          static_cast<long long>(owned), static_cast<long long>(owned - resumed), out.c_str(), wall,
          static_cast<double>(owned - resumed) / std::max(wall / 60.0, 1e-9), used_threads,
          mpi ? "worker ranks" : "threads", 100.0 * write_seconds / std::max(wall, 1e-9));
    return 0;
  } catch (...) {
    // Release the worker ranks, which are waiting for work.
    if (mpi && !coordinated) ex::run_mpi_coordinator(*mpi, {}, [](ex::FinishedRun&&) {});
    throw;
  }
}

}  // namespace

int sweep_command(const std::vector<std::string>& argv) {
  const Args args(argv, {{"--output", "-o", true, false},
                         {"--threads", "", true, false},
                         {"--resume", "", false, false},
                         {"--shard", "", true, false},
                         {"--dry-run", "", false, false},
                         {"--quiet", "-q", false, false},
                         {"--max-memory", "", true, false},
                         kProgressEveryOption});
  const char* usage =
      "commsim sweep SWEEP.yaml -o OUT.h5 [--threads N] [--resume] [--shard i/N] [--dry-run] "
      "[--max-memory 8G] [--progress-every SECONDS]";
  if (args.positional().size() != 1) throw UsageError(std::string("usage: ") + usage);
  const std::string file = args.positional()[0];
  const auto out = args.value("--output");
  const bool dry_run = args.flag("--dry-run");
  if (!out && !dry_run) throw UsageError(std::string("missing -o OUT.h5; usage: ") + usage);
  std::optional<int> threads;
  if (auto t = args.integer("--threads", 0, 1024)) threads = static_cast<int>(*t);
  ex::Shard shard;
  if (auto s = args.value("--shard")) {
    try {
      shard = ex::parse_shard(*s);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }
  const bool quiet = args.flag("--quiet");
  const double progress_seconds = progress_every(args);
  const std::optional<double> max_memory = args.bytes("--max-memory");

  std::unique_ptr<ex::MpiSession> mpi;
  if (!dry_run && ex::launched_under_mpi()) mpi = std::make_unique<ex::MpiSession>();
  ex::SweepPlan plan;
  try {
    plan = ex::load_sweep(file);
  } catch (...) {
    // Every rank reads the same file and fails the same way; rank 0 reports it.
    if (mpi && mpi->rank() != 0) return 2;
    throw;
  }
  try {
    if (dry_run) {
      print_plan(plan, file);
      check_sweep_memory(plan, shard, threads.value_or(0), nullptr, max_memory, file, true);
      return 0;
    }
    if (mpi && mpi->size() > 1) {
      if (!mpi->same_on_every_rank(plan.fingerprint)) {
        if (mpi->rank() != 0) return 2;
        throw ex::SweepError(
            "the ranks read different sweeps (the fingerprints of their plans differ): the sweep "
            "file, its base scenario or a register changed while the job started; start it again");
      }
      if (mpi->rank() != 0) {
        // Workers default to one thread each: a job usually starts one rank per core.
        const StopSignals signals(ignore_stop_signal);
        ex::run_mpi_worker(*mpi, plan, threads.value_or(1));
        return 0;
      }
      return run_sweep(plan, *out, shard, args.flag("--resume"), threads.value_or(1), quiet,
                       progress_seconds, mpi.get(), max_memory, file);
    }
    return run_sweep(plan, *out, shard, args.flag("--resume"), threads.value_or(0), quiet,
                     progress_seconds, nullptr, max_memory, file);
  } catch (const ex::SweepError& e) {
    if (mpi && mpi->rank() != 0) mpi->abort(2);
    throw UsageError(e.what());
  } catch (...) {
    // A worker rank that fails cannot tell rank 0, which would wait for it for ever.
    if (mpi && mpi->rank() != 0) mpi->abort(1);
    throw;
  }
}

int merge_command(const std::vector<std::string>& argv) {
  const Args args(argv, {{"--quiet", "-q", false, false}});
  if (args.positional().size() < 2)
    throw UsageError("usage: commsim merge OUT.h5 SHARD1.h5 [SHARD2.h5 ...]");
  const auto& pos = args.positional();
  std::vector<std::filesystem::path> shards(pos.begin() + 1, pos.end());
  try {
    // A merge stopped by a signal leaves no OUT.h5.tmp-<pid> behind (one killed by SIGKILL is
    // removed by the next merge into the same file).
    const output::RemoveTemporariesOnSignal cleanup;
    ex::merge_sweep_files(pos[0], shards);
  } catch (const ex::SweepError& e) {
    throw UsageError(e.what());
  }
  if (!args.flag("--quiet"))
    std::printf("commsim merge: %zu shard files -> %s\n", shards.size(), pos[0].c_str());
  return 0;
}

}  // namespace commsim::cli
