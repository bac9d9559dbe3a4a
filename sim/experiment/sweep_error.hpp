#pragma once
#include <stdexcept>

namespace commsim::experiment {
// A sweep that cannot go on as asked (a resume against a changed sweep file, shards of different
// sweeps, an unfinished sweep in the way): the user's to fix, so the command exits with code 2.
class SweepError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
}  // namespace commsim::experiment
