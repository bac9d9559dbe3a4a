#pragma once
// The Model I sections of the scenario schema: reporting, staffing, organisation, volunteers,
// casework, wellbeing (described in schema_casework.cpp, registered in build_schema()).

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/schema.hpp"

namespace commsim::scenario {

void describe_reporting(ObjectSchema<ReportingSpec>& s);
void describe_staffing(ObjectSchema<StaffingSpec>& s);
void describe_organisation(ObjectSchema<OrganisationSpec>& s);
void describe_volunteers(ObjectSchema<VolunteersSpec>& s);
void describe_casework(ObjectSchema<CaseworkSpec>& s);
void describe_wellbeing(ObjectSchema<WellbeingSpec>& s);

}  // namespace commsim::scenario
