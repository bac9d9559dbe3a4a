#pragma once
// The Model II sections of the scenario schema: councils, topics, deliberation, activities,
// contact, embedding (described in schema_consultation.cpp, registered in build_schema()).

#include "sim/scenario/scenario.hpp"
#include "sim/scenario/schema.hpp"

namespace commsim::scenario {

void describe_councils(ObjectSchema<CouncilsSpec>& s);
void describe_topics(ObjectSchema<TopicsSpec>& s);
void describe_deliberation(ObjectSchema<DeliberationSpec>& s);
void describe_activities(ObjectSchema<ActivitiesSpec>& s);
void describe_contact(ObjectSchema<ContactSpec>& s);
void describe_embedding(ObjectSchema<EmbeddingSpec>& s);

}  // namespace commsim::scenario
