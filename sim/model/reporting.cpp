#include "sim/model/reporting.hpp"

#include <algorithm>
#include <cmath>

namespace commsim::model {

std::vector<std::string> channel_names() {
  return {"patrol", "steward", "hotline", "app", "council"};
}

std::array<double, 4> report_propensities(const scenario::ReportingSpec& spec,
                                          const population::Population& pop,
                                          const ResidentState& residents, std::uint32_t resident,
                                          std::uint8_t severity, double visit_probability,
                                          bool stewarded) {
  const double sev = spec.severity_multipliers[std::min<std::size_t>(severity, 2)];
  // Residents who trust the organisation more report more (the trust elasticity); stewards and
  // visits find needs whatever the resident thinks.
  const double trust =
      std::pow(std::max(residents.trust[resident], 0.01f) / 0.5, spec.trust_elasticity);
  const bool low = pop.resident_proficiency[resident] < 0.5f;
  double hotline = spec.hotline * trust * sev;
  if (low) hotline *= spec.low_proficiency_hotline;
  if (pop.resident_elderly[resident]) hotline *= spec.elderly_hotline;
  double app = pop.resident_digital[resident] ? spec.app * trust * sev : 0.0;
  if (low) app *= spec.low_proficiency_app;
  const double steward = stewarded ? spec.steward * sev : 0.0;
  const double patrol = visit_probability * spec.visit_discovery;
  return {std::min(patrol, 1.0), std::min(steward, 1.0), std::min(hotline, 1.0),
          std::min(app, 1.0)};
}

}  // namespace commsim::model
