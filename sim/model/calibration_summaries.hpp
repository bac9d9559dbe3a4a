#pragma once
// The model quantities the calibration compares with the seed reports' figures, each measured
// as the report counts it (docs/model.md §3.18): orders that leave the grid and those passed up
// to the subdistrict, per grid and year (Huairen's 1,768 items passed to the city's platform);
// the closure of the orders that left the grid (Huairen's 95.3%); app reports per household
// that can use the app (Huairen's 186 items from 6,000 registered households); community workers
// per grid (Ningxia's 7,253 for 7,293 grids).

#include "sim/model/casework_summaries.hpp"

namespace commsim::model {

void declare_calibration_summaries(output::Recorder& recorder, const CaseworkParts& m,
                                   const population::Population& pop);

}  // namespace commsim::model
