#pragma once
// Checks on where results go, made before any work: a run finds out that its folder is missing,
// read-only or full before it simulates, not after (and a sweep before its first run).

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "sim/output/run_result.hpp"
#include "sim/scenario/scenario.hpp"

namespace commsim::output {

// An output path that cannot be written: bad input, exit code 2. The message names the path and
// says what is wrong with it.
class OutputPathError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws OutputPathError unless `file` can be written as an atomic file (docs/output.md): it is
// not a folder, its folder exists and this process can create files in it (tried, not guessed
// from permission bits: root, read-only mounts and ACLs all answer differently), and the folder's
// file system has at least `bytes_needed` free.
void check_output_path(const std::filesystem::path& file, std::uintmax_t bytes_needed);

// Bytes free to this process on the file system holding `folder`.
std::uintmax_t free_bytes(const std::filesystem::path& folder);

// The values a run file holds, uncompressed: an upper bound of its size (deflate only shrinks
// them) plus room for the attributes. From the scenario before the run: every daily series by
// the community's sizes (grids, groups, need types), without the optional events table; from
// the result once it exists, exactly (a region run's parts with room for their many headers).
std::uintmax_t estimated_run_file_bytes(const scenario::Scenario& scenario);
std::uintmax_t estimated_run_file_bytes(const RunResult& run);

}  // namespace commsim::output
