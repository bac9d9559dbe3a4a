#pragma once
// Executing a sweep's runs: in parallel on this machine (oneTBB), or spread over MPI ranks with
// dynamic load balancing. Either way the finished runs arrive, one at a time, on the calling
// thread, which alone writes HDF5 (Debian's HDF5 is not thread-safe).

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/experiment/sweep_plan.hpp"
#include "sim/output/run_result.hpp"

namespace commsim::experiment {

struct FinishedRun {
  std::int64_t run = 0;
  std::int64_t point = 0;
  std::int64_t replication = 0;
  std::uint64_t seed = 0;
  output::RunResult result;
  double seconds = 0;  // wall time of the simulation
  // Finished runs waiting to be written, this one included, when it joined them: at most
  // 2 x the runs in flight, however slow the writer (run_local).
  std::size_t waiting = 0;
};

using OnFinished = std::function<void(FinishedRun&&)>;

// One run of the plan (run index = point * replications + replication).
FinishedRun execute_run(const SweepPlan& plan, std::int64_t run, int threads);

// Runs `runs` on `threads` cores (0: all). Many runs: one thread per run, parallel across runs;
// fewer runs than threads: the threads are shared out to each run's parallel day loop. When
// `stop` becomes true no new run starts; runs under way finish and are delivered. `on_finished`
// is called on one thread, in order of finishing; while 2 x (runs in flight) finished runs wait
// for it, workers whose run is done wait too, so a slow writer bounds memory, not the queue.
void run_local(const SweepPlan& plan, const std::vector<std::int64_t>& runs, int threads,
               const std::atomic<bool>& stop, const OnFinished& on_finished);

// MPI (built when CMake found MPI): true when this process was started by mpirun/srun, so a plain
// `commsim` never initialises MPI.
bool launched_under_mpi();

class MpiSession {
 public:
  MpiSession();   // MPI_Init
  ~MpiSession();  // MPI_Finalize
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }
  // How many ranks run on this rank's node (they share its memory).
  int ranks_on_this_node() const;
  void abort(int code) const;
  // Rank 0's `values` to every rank (the others' are replaced): a calibration's next batch of
  // particles, which the workers need to build the runs they are given.
  void broadcast(std::vector<double>& values) const;
  // Collective: whether every rank holds rank 0's `text` (a plan's fingerprint). Each rank reads
  // the sweep or calibration file, its scenarios and their registers itself; a file changed
  // while the ranks started would otherwise mix two plans in one result.
  bool same_on_every_rank(const std::string& text) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

// Rank 0: hands out the run indices of `runs` one at a time to whichever worker asks (dynamic
// load balancing: a worker that finishes early gets the next run) and delivers the results.
// Rank 0 does not simulate; it writes. After an error on rank 0, call with an empty `runs` list
// so the workers are released. When `stop` becomes true no run is handed out any more; the runs
// under way are delivered, and every worker is told to stop.
void run_mpi_coordinator(const MpiSession& mpi, const std::vector<std::int64_t>& runs,
                         const OnFinished& on_finished, const std::atomic<bool>* stop = nullptr);
// Ranks 1..K-1: ask for a run, simulate it, send it back, until told to stop.
void run_mpi_worker(const MpiSession& mpi, const SweepPlan& plan, int threads);

}  // namespace commsim::experiment
