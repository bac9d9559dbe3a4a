// libFuzzer target: reading an HDF5 file as `commsim merge` reads a shard and `--resume` reads a
// kept run file. An input is the bytes of a file. A file that is not a whole sweep file must be
// a SweepError naming it (merge: exit 2); a kept run file that does not read back must be
// reported as damaged (resume runs it again). Any other exception, a crash or a sanitizer report
// is a finding.
//
// Each input is read twice: as it is, which is what commsim meets (a damaged or foreign file stops
// at its seal, sim/output/seal.hpp, before libhdf5 parses it), and sealed afterwards, as if commsim
// had written those bytes itself, so that libhdf5's parser and commsim's reading of what it
// returns are fuzzed too. Crashes of the second pass inside libhdf5 (not instrumented: SEGV with
// HDF5 frames) are HDF5 1.10's own; a file commsim did not seal never reaches them.
//   scripts/fuzz hdf5          (corpus: tests/fuzz/corpus/hdf5)

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "sim/experiment/sweep_error.hpp"
#include "sim/experiment/sweep_store.hpp"
#include "sim/output/provenance.hpp"
#include "sim/output/seal.hpp"

namespace {

constexpr std::string_view kScratchPrefix = "commsim-fuzz-hdf5-";

// The folders of earlier fuzzing processes that crashed (a crash runs no destructor; libFuzzer's
// fork mode starts a new process after each one), removed once by each process.
void remove_folders_of_dead_processes() {
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(std::filesystem::temp_directory_path(), ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(kScratchPrefix, 0) != 0) continue;
    const std::string pid = name.substr(kScratchPrefix.size());
    if (!std::filesystem::exists("/proc/" + pid)) std::filesystem::remove_all(it->path(), ec);
  }
}

// A folder for one input, removed when the input is done (libFuzzer has no exit hook to clean
// up after).
struct Scratch {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               (std::string(kScratchPrefix) + std::to_string(::getpid()));
  Scratch() {
    static const bool tidied = (remove_folders_of_dead_processes(), true);
    (void)tidied;
    std::filesystem::create_directories(path);
  }
  ~Scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

[[noreturn]] void finding(const char* what, const std::exception& e) {
  std::fprintf(stderr, "fuzz_hdf5: %s: %s\n", what, e.what());
  std::abort();
}

void read_as_merge_and_resume(const Scratch& scratch, const std::filesystem::path& file) {
  try {
    commsim::experiment::read_sweep_file(file);
  } catch (const commsim::experiment::SweepError&) {
  } catch (const std::exception& e) {
    finding("merge: not a SweepError (commsim would exit 1)", e);
  }
  try {
    // The resume check of a kept run file: true or false, never an exception.
    const auto folder = scratch.path / "o.h5.partial";
    std::filesystem::create_directories(folder);
    std::filesystem::copy_file(file, folder / "p00000-r000.h5",
                               std::filesystem::copy_options::overwrite_existing);
    {
      std::ofstream stamp(folder / "fingerprint");
      stamp << "fuzz\n" << commsim::output::build_identity() << "\n";
    }
    const commsim::experiment::PartialStore store(scratch.path / "o.h5", "fuzz", true);
    (void)store.has(0, 0);
  } catch (const std::exception& e) {
    finding("resume: the damaged-run check threw", e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Scratch scratch;
  const auto file = scratch.path / "input.h5";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  read_as_merge_and_resume(scratch, file);
  if (size < commsim::output::kSealBytes) return 0;
  try {
    commsim::output::seal_file(file);
  } catch (const std::exception& e) {
    finding("sealing the input failed", e);
  }
  read_as_merge_and_resume(scratch, file);
  return 0;
}
