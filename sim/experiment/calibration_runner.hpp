#pragma once
// Running a calibration (ABC-SMC, see calibration.hpp) on the sweep machinery: a generation's
// proposals are points of a list-design plan (particle_plan), run by run_local or the MPI
// coordinator like a sweep's, each run kept as a per-run file in a PartialStore as it finishes.
//
// Reproducibility: proposal k of generation g is drawn from its own stream (seed, g, k) and its
// runs' seeds are hashed from (seed, g, replication, k); proposals are made in batches whose
// sizes depend only on the results so far, and the first `population` accepted by index are
// kept. So the posterior is the same for any thread or rank count. On --resume every generation
// is replayed from the kept run files (only missing runs are simulated), so a calibration killed
// at any moment ends with the same posterior.
//
// Files: OUT.h5.partial/ (fingerprint of the calibration and the build) with one store per
// generation (gNNN.partial/) and one for the predictive runs (predictive.partial/); OUT.h5 is
// written atomically at the end and the folder removed. Layout: docs/calibration.md.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "sim/experiment/calibration.hpp"
#include "sim/experiment/sweep_runner.hpp"

namespace commsim::experiment {

struct GenerationResult {
  std::int64_t index = 0;
  double tolerance = 0;         // +infinity for generation 0
  std::vector<double> values;   // accepted particles' scenario values, [particle][parameter]
  std::vector<double> z;        // the same in working coordinates
  std::vector<double> weights;  // sum to 1
  std::vector<double> distances;
  std::vector<double> targets;  // simulated targets (mean over replications), [particle][target]
  std::vector<std::int64_t> proposal;  // index of the accepted proposal
  std::int64_t proposals = 0;          // proposals simulated
  double ess = 0;
};

struct PosteriorPredictive {
  std::vector<std::int64_t> particle;          // index into the final generation, per draw
  std::vector<double> values;                  // [draw][parameter]
  std::vector<double> targets;                 // mean over replications, [draw][target]
  std::vector<double> targets_by_replication;  // [draw][replication][target]
};

struct CalibrationOutcome {
  std::vector<GenerationResult> generations;
  PosteriorPredictive predictive;
  std::string stop_reason;
  double wall_seconds = 0;
  double simulation_seconds = 0;  // sum of the runs' own wall times
  // Wall time on the calling thread outside the runners (run_local, the MPI coordinator): the
  // method, the particles' scenarios and the posterior file. Simulations do not run meanwhile.
  double outside_seconds = 0;
  double method_seconds = 0;  // of which proposals, weights and tolerances
  double plan_seconds = 0;    // of which the particles' scenarios (set_path and validation)
  double output_seconds = 0;  // of which writing the posterior file
  // Writing and reading the per-run files: on the writer thread, while other runs simulate.
  double store_seconds = 0;
  int threads = 1;  // cores of run_local, or worker ranks
  std::int64_t runs = 0, runs_resumed = 0;
  bool interrupted = false;
};

struct CalibrationOptions {
  int threads = 0;  // run_local cores (0: all); under MPI the workers' threads
  bool resume = false;
  const MpiSession* mpi = nullptr;  // rank 0 of an MPI job
  const std::atomic<bool>* stop = nullptr;
  // When a batch starts and as its runs finish: the generation (kPredictiveGeneration for the
  // predictive runs), runs of the batch done and in all, particles accepted before the batch.
  std::function<void(std::int64_t generation, std::int64_t done, std::int64_t runs,
                     std::int64_t accepted)>
      progress;
};

// Runs the calibration and writes `out` (unless interrupted: then the kept runs stay in
// OUT.h5.partial/ for --resume). Throws SweepError for a refused resume.
CalibrationOutcome run_calibration(const Calibration& c, const std::filesystem::path& out,
                                   const CalibrationOptions& options);

// Ranks 1..K-1 of an MPI job: simulate whatever rank 0 hands out, until it says the end.
void serve_calibration(const Calibration& c, const MpiSession& mpi, int threads);

// Weighted mean, standard deviation and quantiles of one parameter of a generation.
struct Marginal {
  double mean = 0, sd = 0, q05 = 0, q50 = 0, q95 = 0;
};
Marginal marginal(const GenerationResult& g, std::size_t parameter, std::size_t dims);

}  // namespace commsim::experiment
