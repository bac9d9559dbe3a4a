#pragma once
// A RunResult as bytes and back, for sending a finished run from an MPI worker to the rank that
// writes the file. Host byte order: every rank of one job runs the same build on one cluster.

#include <cstdint>
#include <vector>

#include "sim/output/run_result.hpp"

namespace commsim::experiment {

std::vector<std::uint8_t> encode_run(const output::RunResult& r);
output::RunResult decode_run(const std::uint8_t* data, std::size_t size);

}  // namespace commsim::experiment
