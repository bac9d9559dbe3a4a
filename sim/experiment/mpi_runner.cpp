// The MPI side of sweeps. Rank 0 coordinates and writes; ranks 1..K-1 simulate. Messages:
//   worker -> 0, tag kResult: int64 run index (-1: "ready, nothing to return") + encoded result
//   0 -> worker, tag kAssign: int64 run index, or -1 = stop
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "sim/experiment/run_codec.hpp"
#include "sim/experiment/sweep_runner.hpp"

#ifdef COMMSIM_HAVE_MPI
// The C API only: the deprecated C++ bindings would need libmpi_cxx.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace commsim::experiment {

bool launched_under_mpi() {
#ifdef COMMSIM_HAVE_MPI
  // Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE; MPICH/Hydra and Slurm's srun set PMI_SIZE.
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
    if (const char* s = std::getenv(v); s && std::atoi(s) > 1) return true;
#endif
  return false;
}

#ifdef COMMSIM_HAVE_MPI

namespace {
constexpr int kResult = 1;
constexpr int kAssign = 2;
}  // namespace

MpiSession::MpiSession() {
  MPI_Init(nullptr, nullptr);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  MPI_Finalize();
}

void MpiSession::abort(int code) const {
  MPI_Abort(MPI_COMM_WORLD, code);
}

int MpiSession::ranks_on_this_node() const {
  // From the launcher's environment, not MPI_Comm_split_type: that is collective, and only rank
  // 0 asks. Open MPI's mpirun, then MPICH/Hydra; unknown: every rank, the safe side of a check.
  for (const char* v : {"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS"})
    if (const char* s = std::getenv(v); s && std::atoi(s) > 0) return std::min(std::atoi(s), size_);
  return size_;
}

void MpiSession::broadcast(std::vector<double>& values) const {
  auto n = static_cast<std::int64_t>(values.size());
  MPI_Bcast(&n, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
  values.resize(static_cast<std::size_t>(n));
  if (n > INT32_MAX) throw std::runtime_error("a broadcast of more than 2^31 values");
  MPI_Bcast(values.data(), static_cast<int>(n), MPI_DOUBLE, 0, MPI_COMM_WORLD);
}

bool MpiSession::same_on_every_rank(const std::string& text) const {
  auto n = static_cast<std::int64_t>(text.size());
  MPI_Bcast(&n, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
  std::string first = text;
  first.resize(static_cast<std::size_t>(n));
  MPI_Bcast(first.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD);
  int differs = first != text, any = 0;
  MPI_Allreduce(&differs, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return any == 0;
}

void run_mpi_coordinator(const MpiSession& mpi, const std::vector<std::int64_t>& runs,
                         const OnFinished& on_finished, const std::atomic<bool>* stop) {
  std::size_t next = 0;
  int active = mpi.size() - 1;
  std::vector<std::uint8_t> buffer;
  std::exception_ptr error;
  while (active > 0) {
    MPI_Status status;
    MPI_Probe(MPI_ANY_SOURCE, kResult, MPI_COMM_WORLD, &status);
    int bytes = 0;
    MPI_Get_count(&status, MPI_BYTE, &bytes);
    buffer.resize(static_cast<std::size_t>(bytes));
    MPI_Recv(buffer.data(), bytes, MPI_BYTE, status.MPI_SOURCE, kResult, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    std::int64_t run = -1;
    std::memcpy(&run, buffer.data(), sizeof run);
    // The worker gets its next run before this rank writes the result, so it simulates while
    // rank 0 writes (after a write error, one run more may be simulated and thrown away).
    std::int64_t assign = -1;
    const bool stopping = stop != nullptr && stop->load();
    if (!error && !stopping && next < runs.size()) assign = runs[next++];
    if (assign < 0) --active;
    MPI_Send(&assign, 1, MPI_INT64_T, status.MPI_SOURCE, kAssign, MPI_COMM_WORLD);
    if (run >= 0 && !error) {
      try {
        FinishedRun f;
        f.run = run;
        std::memcpy(&f.point, buffer.data() + 8, 8);
        std::memcpy(&f.replication, buffer.data() + 16, 8);
        std::memcpy(&f.seed, buffer.data() + 24, 8);
        std::memcpy(&f.seconds, buffer.data() + 32, 8);
        f.result = decode_run(buffer.data() + 40, buffer.size() - 40);
        on_finished(std::move(f));
      } catch (...) {
        error = std::current_exception();
      }
    }
  }
  if (error) std::rethrow_exception(error);
}

void run_mpi_worker(const MpiSession&, const SweepPlan& plan, int threads) {
  std::vector<std::uint8_t> message(8);
  const std::int64_t ready = -1;
  std::memcpy(message.data(), &ready, 8);
  for (;;) {
    MPI_Send(message.data(), static_cast<int>(message.size()), MPI_BYTE, 0, kResult,
             MPI_COMM_WORLD);
    std::int64_t run = -1;
    MPI_Recv(&run, 1, MPI_INT64_T, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (run < 0) return;
    const FinishedRun f = execute_run(plan, run, threads);
    const auto body = encode_run(f.result);
    message.resize(40 + body.size());
    std::memcpy(message.data(), &f.run, 8);
    std::memcpy(message.data() + 8, &f.point, 8);
    std::memcpy(message.data() + 16, &f.replication, 8);
    std::memcpy(message.data() + 24, &f.seed, 8);
    std::memcpy(message.data() + 32, &f.seconds, 8);
    std::memcpy(message.data() + 40, body.data(), body.size());
    if (message.size() > static_cast<std::size_t>(INT32_MAX))
      throw std::runtime_error("a run's results exceed 2 GiB, too large for one MPI message");
  }
}

#else

MpiSession::MpiSession() {
  throw std::runtime_error("this commsim was built without MPI");
}
MpiSession::~MpiSession() = default;
void MpiSession::abort(int code) const {
  std::exit(code);
}
void MpiSession::broadcast(std::vector<double>&) const {}
bool MpiSession::same_on_every_rank(const std::string&) const {
  return true;
}
int MpiSession::ranks_on_this_node() const {
  return 1;
}
void run_mpi_coordinator(const MpiSession&, const std::vector<std::int64_t>&, const OnFinished&,
                         const std::atomic<bool>*) {}
void run_mpi_worker(const MpiSession&, const SweepPlan&, int) {}

#endif

}  // namespace commsim::experiment
