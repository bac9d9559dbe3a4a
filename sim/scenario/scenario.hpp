#pragma once
// The scenario as a plain, validated, immutable value: every default filled in, every range
// checked. Nothing in the day loop reads YAML or looks up a key by name. The meaning, default,
// unit, range and source of every field are in the schema (scenario_schema.cpp), not here.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/policy/calendar.hpp"
#include "sim/policy/housing_allocation.hpp"
#include "sim/policy/queue_priority.hpp"
#include "sim/policy/seat_selection.hpp"
#include "sim/policy/staff_allocation.hpp"
#include "sim/policy/topic_selection.hpp"
#include "sim/scenario/register.hpp"

namespace commsim::scenario {

struct RunSpec {
  std::int64_t days = 0;
  std::int64_t burn_in_days = 0;  // simulated before day 0, not recorded
  std::uint64_t seed = 0;
  std::int64_t start_weekday = 0;  // 0 = Monday
};

struct GroupSpec {
  std::string name;
  double share = 0;
  double low_proficiency = 0;  // share with low proficiency in the common language
  // The group's digital access: the age band's share times this (capped at 1).
  double digital_access_multiplier = 1;
  // Share of the group's households with low income; -1: community.low_income_share
  // (low_income_share() below).
  double low_income_share = -1;
  // The group's own age structure (a share per community.age_bands entry) and household sizes
  // (as community.household_size_weights); empty: the community's (age_shares() and
  // size_weights() below).
  std::vector<double> age_band_shares;
  std::vector<double> household_size_weights;
  // The group's share of the households that move in; -1: its share.
  double newcomer_share = -1;
};

struct AgeBand {
  std::string name;
  std::int64_t from = 0;  // years, inclusive
  std::int64_t to = 0;    // years, inclusive
  double share = 0;
  double digital_access = 0;  // share able to use a smartphone app
};

struct CommunitySpec {
  std::string name;
  std::int64_t households = 0;
  std::vector<double> household_size_weights;  // index i: households of i + 1 people
  std::vector<GroupSpec> groups;
  std::vector<AgeBand> age_bands;
  std::int64_t elderly_age = 0;
  std::int64_t child_age = 0;  // oldest age counted as a child
  std::int64_t adult_age = 0;  // youngest age of a household head
  double low_proficiency_elderly_multiplier = 1;
  double low_income_share = 0;
  std::int64_t households_per_grid = 0;
  std::int64_t households_per_stairwell = 0;
  std::int64_t stairwells_per_building = 0;
  double building_age_min = 0;  // years
  double building_age_max = 0;  // years
  // community.register: a CSV household register to build the community from instead (""
  // none), relative to the file that names it; read when the scenario is loaded.
  std::string register_path;
  std::shared_ptr<const Register> household_register;  // set when register_path is
};

// Group g's share of low-income households: its own low_income_share, or the community's where
// that is -1. The one reading of that key: for the first households, for those moving in and for
// the resource estimate.
inline double low_income_share(const CommunitySpec& c, std::size_t g) {
  const double own = c.groups[g].low_income_share;
  return own >= 0 ? own : c.low_income_share;
}

// The community's grids: the register's, or round(households / households_per_grid), at least 1.
inline std::uint32_t grid_count(const CommunitySpec& c) {
  if (c.household_register) return c.household_register->grids();
  return static_cast<std::uint32_t>(
      std::max<long long>(1, std::llround(static_cast<double>(c.households) /
                                          static_cast<double>(c.households_per_grid))));
}

// Group g's age structure, a share per age band: its own age_band_shares, else the community's.
inline std::vector<double> age_shares(const CommunitySpec& c, std::size_t g) {
  if (!c.groups[g].age_band_shares.empty()) return c.groups[g].age_band_shares;
  std::vector<double> shares;
  for (const auto& b : c.age_bands) shares.push_back(b.share);
  return shares;
}
// Group g's household size weights: its own, else the community's.
inline const std::vector<double>& size_weights(const CommunitySpec& c, std::size_t g) {
  const auto& own = c.groups[g].household_size_weights;
  return own.empty() ? c.household_size_weights : own;
}
// Group g's share of the households moving in: its newcomer_share, else its share.
inline double newcomer_share(const CommunitySpec& c, std::size_t g) {
  return c.groups[g].newcomer_share >= 0 ? c.groups[g].newcomer_share : c.groups[g].share;
}

enum class NeedScope : std::uint8_t { Resident, Household, Stairwell, Building };
enum class NeedWho : std::uint8_t { Any, Elderly, Child, LowIncome };

struct NeedType {
  std::string name;
  NeedScope scope = NeedScope::Household;
  NeedWho who = NeedWho::Any;
  double rate = 0;                       // per exposed unit per year
  double elderly_multiplier = 1;         // units with an elderly resident
  double low_income_multiplier = 1;      // low-income households
  double building_age_growth = 0;        // rate multiplied by (1 + g) per decade of building age
  std::vector<double> severity_weights;  // minor, moderate, serious
};

struct NeedsSpec {
  std::vector<NeedType> types;
};

// ---------------------------------------------------------------------------------------------
// Model II: consultation councils, topics, deliberation, activities and contact, residential
// embedding. Described (defaults, ranges, sources) in sim/scenario/schema_consultation.cpp. Policy
// fields hold the id of a policy registered in sim/policy/ (the registry's table names them, and
// the schema offers those names); other choices are enums bound here.

enum class CouncilLevel : std::uint8_t { Community, Grid };
enum class OpinionModel : std::uint8_t { Deffuant, HegselmannKrause };
enum class DecisionRule : std::uint8_t { Majority, QualifiedMajority, Consensus };
enum class ActivityKind : std::uint8_t { Festival, SharedMeal, Cultural, LanguageClass, HomeVisit };
enum class ActivityWho : std::uint8_t { Any, Adults, Elderly, LowProficiency };
enum class ActivityPartners : std::uint8_t { Attendees, Anyone };

struct CouncilsSpec {
  policy::Calendar calendar = policy::Calendar::Weekly;
  std::int64_t weekday = 0;  // 0 = Monday; 2 = Wednesday
  std::int64_t day_of_month = 0;
  std::int64_t consultation_month = 0;
  CouncilLevel level = CouncilLevel::Community;
  std::int64_t seats = 0;
  policy::SeatSelection seat_selection = policy::SeatSelection::ProportionalMinOne;
  double seat_attendance = 0;
  double open_attendance = 0;
  double trust_gain = 0;
  std::int64_t ties_per_participant = 0;
  double contact_quality = 0;
};

struct TopicsSpec {
  policy::TopicSelection selection = policy::TopicSelection::MostRaised;
  std::int64_t per_meeting = 0;
  double implementation_days = 0;
  double cost_median = 0;
  double cost_log_sd = 0;
  double community_budget_per_year = 0;
  double co_building_per_year = 0;
  double micro_wish_rate = 0;
  double micro_wish_cost = 0;
  double fix_lifetime_days = 0;   // how long an implemented fix lowers its need's rate
  double fix_rate_reduction = 0;  // share of the rate taken off while the fix lasts
};

struct DeliberationSpec {
  OpinionModel model = OpinionModel::Deffuant;
  double confidence = 0;   // the bounded-confidence threshold epsilon
  double convergence = 0;  // Deffuant's mu
  std::int64_t rounds = 0;
  DecisionRule decision_rule = DecisionRule::Majority;
  double qualified_share = 0;
  double consensus_share = 0;
  double affected_support = 0;
  double severity_support = 0;
};

struct ActivitySpec {
  std::string name;
  ActivityKind kind = ActivityKind::Festival;
  policy::Calendar calendar = policy::Calendar::Yearly;
  std::int64_t weekday = 0;
  std::int64_t day_of_month = 0;
  std::int64_t month = 0;
  ActivityWho who = ActivityWho::Any;
  double attendance = 0;
  std::int64_t capacity = 0;
  std::int64_t contacts_per_attendee = 0;
  ActivityPartners partners = ActivityPartners::Attendees;
  double equal_status = 0;
  double common_goal = 0;
  double cooperation = 0;
  double institutional_support = 0;
  double proficiency_gain = 0;
  double trust_gain = 0;
  double belonging_gain = 0;
  // The volunteer team that runs it (volunteers.teams name); empty: the community organisation.
  std::string team;
  // Resolved: the team's index; kNoActivityTeam for the organisation; kAbsentActivityTeam when a
  // default event names a team the scenario's volunteers.teams lacks (the event is never held).
  std::int64_t team_index = -1;
};
inline constexpr std::int64_t kNoActivityTeam = -1, kAbsentActivityTeam = -2;

struct ActivitiesSpec {
  std::vector<ActivitySpec> events;
  std::optional<policy::Calendar> festivals;  // none: as_scheduled; else every festival's calendar
  double working_age_time = 0;
  double interest_spread = 0;
};

struct ContactSpec {
  double neighbour_contact_rate = 0;
  double same_stairwell_share = 0;
  double neighbour_quality = 0;
  double neighbour_homophily = 0;
  std::int64_t tie_capacity = 0;
  double tie_gain = 0;
  double tie_decay = 0;
  double tie_minimum = 0;
  double initial_attitude = 0;
  bool start_at_equilibrium = true;  // first residents' attitude: the neighbour-contact equilibrium
  double attitude_gain = 0;
  double attitude_loss = 0;
  double base_positive = 0;
};

struct EmbeddingSpec {
  double initial_vacancy = 0;
  double move_out_rate = 0;
  double move_in_rate = 0;
  double relocation_rate = 0;
  double homophily_threshold = 0;
  policy::Allocation allocation = policy::Allocation::FreeChoice;
  std::int64_t search_candidates = 0;
  std::int64_t doors_per_floor = 0;
};

// ---------------------------------------------------------------------------------------------
// Model I: reporting, staff, organisation, volunteers, casework, well-being (schema_casework.cpp).

enum class StaffingRule : std::uint8_t { Per10k, PerGrid };
enum class ServiceDistribution : std::uint8_t { Exponential, Lognormal, Fixed };

struct ReportingSpec {
  double hotline = 0;  // daily propensities of an unreported need, at trust 0.5
  double app = 0;
  double steward = 0;
  double trust_elasticity = 0;
  double low_proficiency_hotline = 0;  // multipliers
  double low_proficiency_app = 0;
  double low_proficiency_visit = 0;  // a visit's discovery when the visitor lacks the language
  double elderly_hotline = 0;
  std::vector<double> severity_multipliers;  // minor, moderate, serious
  double minutes_per_visit = 0;
  double visit_discovery = 0;
};

struct LanguageSpec {
  std::string group;
  double share = 0;
  std::uint32_t group_index = 0;  // resolved: index of `group` in community.groups
};

struct StaffingSpec {
  StaffingRule rule = StaffingRule::Per10k;
  policy::StaffAllocation allocation = policy::StaffAllocation::Even;
  double full_time_per_10k = 0;
  double full_time_per_grid = 0;
  double grid_share = 0;
  double part_time_per_grid = 0;
  double hours_per_day = 0;
  double part_time_hours = 0;
  std::int64_t days_per_week = 0;
  double patrol_hours = 0;
  double paperwork_hours = 0;
  double training_hours = 0;
  double part_time_patrol_share = 0;
  double burden_reduction = 0;
  double freed_to_casework = 0;
  double overtime_limit = 0;
  double skill = 0;
  double skill_spread = 0;
  double part_time_skill = 0;
  double training_gain = 0;
  double skill_time_factor = 0;
  std::vector<LanguageSpec> languages;
};

struct OrganisationSpec {
  std::int64_t levels = 0;
  double steward_share = 0;
  double steward_mediation = 0;
};

struct VolunteerTeamSpec {
  std::string name;
  std::int64_t members = 0;
  double weekly_hours = 0;
  std::vector<std::string> task_types;  // need types whose minor needs it may resolve on the spot
  double patrol_share = 0;              // share of the budget patrolling shared spaces
  double home_visit_share = 0;          // share of the budget on scheduled home visits
  std::vector<std::uint16_t> task_need_types;  // resolved: task_types as indices in needs.types
};

struct VolunteersSpec {
  std::vector<VolunteerTeamSpec> teams;
  std::int64_t min_age = 0;
  std::int64_t max_age = 0;
  double stretch = 0;
  std::int64_t overload_weeks = 0;
  double quit_probability = 0;
  double recruit_rate = 0;
  double small_need_share = 0;  // minor needs of a team's types it resolves on the spot
};

struct ServiceTypeSpec {
  std::string name;
  double mean_hours = 0;
  std::optional<ServiceDistribution> distribution;  // none: casework.service_distribution
  double cv = 0;                                    // -1: casework.service_cv
  double commitment_days = 0;
  std::int64_t min_level = 0;
  std::uint16_t need_type = 0;  // resolved: index of `name` in needs.types
};

struct CaseworkSpec {
  policy::QueuePriority queue_priority = policy::QueuePriority::Fcfs;
  ServiceDistribution service_distribution = ServiceDistribution::Lognormal;
  double service_cv = 0;
  double service_mean_hours = 0;
  double commitment_days = 0;
  std::vector<ServiceTypeSpec> types;
  std::vector<double> on_the_spot;  // by severity
  double language_penalty = 0;
  double community_capacity_hours = 0;
  double community_service_multiplier = 0;
  double community_resolution = 0;
  std::vector<double> whistle_delay_days;  // median by whistle kind
  double whistle_delay_sigma = 0;
  double department_response = 0;
  std::vector<double> whistle_delay_sigma_by_kind;  // empty: whistle_delay_sigma for every kind
  std::vector<double> department_response_by_kind;  // empty: department_response for every kind
  double follow_up_days = 0;
  std::int64_t max_whistles = 0;
  bool pass_up_overdue = true;  // an order still waiting at the grid past its commitment
  double centre_wait_days = 0;  // then the subdistrict whistles an order the centre has not reached
};

struct WellbeingSpec {
  // Baselines.
  double initial = 0;
  double initial_spread = 0;
  double recovery = 0;  // daily return of satisfaction, security, happiness towards baseline
  // Expectancy-disconfirmation: perceived performance against an adaptive expectation.
  double expectation_initial = 0;
  double adaptation = 0;
  double expectation_anchor = 0;
  double sensitivity = 0;
  double negativity = 0;
  double late_half_life = 0;
  double escalated_performance = 0;
  double closed_unresolved_performance = 0;
  double overdue_weight = 0;
  double wish_expectation = 0;
  // Trust, belonging, happiness, security.
  double trust_days = 0;
  double belonging_days = 0;
  double tie_weight = 0;
  double tie_scale = 0;
  double participation_weight = 0;
  double participation_gain = 0;
  double participation_days = 0;
  double happiness_gain_weight = 0;
  double happiness_security_weight = 0;
  double happiness_belonging_weight = 0;
  double hidden_decay = 0;
  double safety_loss = 0;
};

// What a run writes besides the time series and summaries.
struct OutputSpec {
  bool work_order_events = false;  // the /events/work_orders table
};

struct Region;

struct Scenario {
  std::string extends;  // kept for the record; the loader has already merged the base
  RunSpec run;
  CommunitySpec community;
  NeedsSpec needs;
  // Model II sections (schema_consultation.cpp).
  CouncilsSpec councils;
  TopicsSpec topics;
  DeliberationSpec deliberation;
  ActivitiesSpec activities;
  ContactSpec contact;
  EmbeddingSpec embedding;
  // Model I sections (schema_casework.cpp).
  ReportingSpec reporting;
  StaffingSpec staffing;
  OrganisationSpec organisation;
  VolunteersSpec volunteers;
  CaseworkSpec casework;
  WellbeingSpec wellbeing;
  OutputSpec output;
  // A region scenario (the top-level key `region`, sim/scenario/region.hpp): its communities, each
  // a full scenario of its own; null for a community scenario.
  std::shared_ptr<const Region> region;
};

// A digest of the files a scenario reads besides its YAML text (a household register, a region's
// table of communities and their registers): part of every sweep and calibration fingerprint, so
// a file edited in place is another sweep on --resume. 0 when it reads none.
std::uint64_t input_digest(const Scenario& s);

}  // namespace commsim::scenario
