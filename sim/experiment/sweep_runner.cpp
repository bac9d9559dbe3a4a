#include "sim/experiment/sweep_runner.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "sim/core/parallel.hpp"
#include "sim/engine/simulation.hpp"

namespace commsim::experiment {

FinishedRun execute_run(const SweepPlan& plan, std::int64_t run, int threads) {
  FinishedRun f;
  f.run = run;
  f.point = plan.point_of(run);
  f.replication = plan.replication_of(run);
  f.seed = plan.seed_of(f.point, f.replication);
  engine::RunOptions options;
  options.seed = f.seed;
  // The replication, not the run index, keys the streams, so `seeds: common` gives replication r
  // of every point the same draws.
  options.run = static_cast<std::uint64_t>(f.replication);
  options.threads = threads;
  auto out = engine::run_simulation(plan.scenarios[static_cast<std::size_t>(f.point)], options);
  f.result = std::move(out.result);
  f.seconds = out.wall_seconds;
  return f;
}

void run_local(const SweepPlan& plan, const std::vector<std::int64_t>& runs, int threads,
               const std::atomic<bool>& stop, const OnFinished& on_finished) {
  if (runs.empty()) return;
  // The runs go through the same Executor as the day loop, so the ThreadSanitizer build checks
  // this runner on plain threads too (see sim/core/parallel.hpp).
  const Executor executor(threads);
  const int cores = executor.threads();
  const int concurrent = std::min<int>(cores, static_cast<int>(runs.size()));
  const int inner = std::max(1, cores / concurrent);

  std::mutex mutex;
  std::condition_variable ready, space;
  std::deque<FinishedRun> finished;
  // A worker whose run is done waits while this many wait to be written, so memory stays bounded
  // (a run's result is a few MB, more with events) when the writer cannot keep up, as on a node
  // with many cores: see docs/cluster.md.
  const std::size_t max_waiting = 2 * static_cast<std::size_t>(concurrent);
  bool all_done = false;
  std::exception_ptr error;
  std::atomic<bool> write_failed{false};
  std::thread compute([&] {
    try {
      executor.for_each(runs.size(), [&](std::size_t i) {
        if (stop.load() || write_failed.load()) return;
        FinishedRun f = execute_run(plan, runs[i], inner);
        std::unique_lock lock(mutex);
        space.wait(lock, [&] { return finished.size() < max_waiting; });
        f.waiting = finished.size() + 1;
        finished.push_back(std::move(f));
        ready.notify_one();
      });
    } catch (...) {
      const std::lock_guard lock(mutex);
      error = std::current_exception();
    }
    const std::lock_guard lock(mutex);
    all_done = true;
    ready.notify_one();
  });
  // This thread writes; the workers only simulate.
  std::exception_ptr write_error;
  for (;;) {
    std::unique_lock lock(mutex);
    ready.wait(lock, [&] { return !finished.empty() || all_done; });
    if (finished.empty() && all_done) break;
    FinishedRun f = std::move(finished.front());
    finished.pop_front();
    lock.unlock();
    space.notify_one();
    if (write_error) continue;
    try {
      on_finished(std::move(f));
    } catch (...) {
      write_error = std::current_exception();
      write_failed = true;
    }
  }
  compute.join();
  if (error) std::rethrow_exception(error);
  if (write_error) std::rethrow_exception(write_error);
}

}  // namespace commsim::experiment
