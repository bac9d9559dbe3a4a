// libFuzzer target: reading an HDF5 file as `commsim merge` reads a shard and `--resume` reads a
// kept run file. An input is the bytes of a file. A file that is not a whole sweep file must be
// a SweepError naming it (merge: exit 2); a kept run file that does not read back must be
// reported as damaged (resume runs it again). Any other exception, a crash or a sanitizer report
// is a finding. Crashes inside libhdf5 itself (not instrumented) show as SEGV with HDF5 frames.
//   scripts/fuzz hdf5          (corpus: tests/fuzz/corpus/hdf5)

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/experiment/sweep_error.hpp"
#include "sim/experiment/sweep_store.hpp"
#include "sim/output/provenance.hpp"

namespace {

const std::filesystem::path& scratch() {
  static const std::filesystem::path folder = [] {
    auto p = std::filesystem::temp_directory_path() /
             ("commsim-fuzz-hdf5-" + std::to_string(::getpid()));
    std::filesystem::create_directories(p);
    return p;
  }();
  return folder;
}

[[noreturn]] void finding(const char* what, const std::exception& e) {
  std::fprintf(stderr, "fuzz_hdf5: %s: %s\n", what, e.what());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = scratch() / "input.h5";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    commsim::experiment::read_sweep_file(file);
  } catch (const commsim::experiment::SweepError&) {
  } catch (const std::exception& e) {
    finding("merge: not a SweepError (commsim would exit 1)", e);
  }
  try {
    // The resume check of a kept run file: true or false, never an exception.
    const auto folder = scratch() / "o.h5.partial";
    std::filesystem::create_directories(folder);
    std::filesystem::copy_file(file, folder / "p00000-r000.h5",
                               std::filesystem::copy_options::overwrite_existing);
    {
      std::ofstream stamp(folder / "fingerprint");
      stamp << "fuzz\n" << commsim::output::build_identity() << "\n";
    }
    const commsim::experiment::PartialStore store(scratch() / "o.h5", "fuzz", true);
    (void)store.has(0, 0);
  } catch (const std::exception& e) {
    finding("resume: the damaged-run check threw", e);
  }
  return 0;
}
