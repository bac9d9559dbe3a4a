// Model I scenario sections: from a resident's need to a closed work order. Sources: [001]
// Huairen, [002] Ningxia, [003] Jinhuayuan, [004] Guangxi/Kashgar/Zhejiang; numbers without a
// source are assumptions, named as such in the doc.

#include "sim/scenario/schema_casework.hpp"

#include "sim/policy/queue_priority.hpp"
#include "sim/policy/staff_allocation.hpp"

namespace commsim::scenario {

void describe_reporting(ObjectSchema<ReportingSpec>& s) {
  s.field("hotline", &ReportingSpec::hotline)
      .def(0.02)
      .range(0, 1)
      .unit("probability per day")
      .doc("Daily probability that a hidden need is reported to the 12345 hotline, at trust 0.5.")
      .source("[002] 12345 hotline as a reporting channel; the rate is an assumption");
  s.field("app", &ReportingSpec::app)
      .def(0.03)
      .range(0, 1)
      .unit("probability per day")
      .doc("Daily probability of a report through the app, for residents with digital access.")
      .source("[002] 'smart community' platforms; the rate is an assumption");
  s.field("steward", &ReportingSpec::steward)
      .def(0.15)
      .range(0, 1)
      .unit("probability per day")
      .doc(
          "Daily probability that a stairwell steward reports a hidden need in their stairwell "
          "(organisation.levels 4 only).")
      .source("[003] stairwell stewards 楼栋长 'know every household'; the rate is an assumption");
  s.field("trust_elasticity", &ReportingSpec::trust_elasticity)
      .def(1.0)
      .range(0, 10)
      .doc("Resident-initiated propensities are multiplied by (trust / 0.5)^elasticity.");
  s.field("low_proficiency_hotline", &ReportingSpec::low_proficiency_hotline)
      .def(0.3)
      .range(0, 1)
      .doc("Hotline propensity multiplier for residents with low common-language proficiency.")
      .source("[004] language barriers to public services; the value is an assumption");
  s.field("low_proficiency_app", &ReportingSpec::low_proficiency_app)
      .def(0.5)
      .range(0, 1)
      .doc("App propensity multiplier for residents with low common-language proficiency.");
  s.field("elderly_hotline", &ReportingSpec::elderly_hotline)
      .def(0.7)
      .range(0, 10)
      .doc("Hotline propensity multiplier for elderly residents.");
  s.list("severity_multipliers", &ReportingSpec::severity_multipliers)
      .def_yaml("[1.0, 2.0, 4.0]")
      .range(3, 3)
      .doc("Propensity multipliers for minor, moderate and serious needs (serious ones are told).");
  s.field("minutes_per_visit", &ReportingSpec::minutes_per_visit)
      .def(30)
      .range(1, 600)
      .unit("minutes")
      .doc("Length of a grid worker's household visit; visits/day = patrol hours x 60 / this.")
      .source("[001] grid workers walk the grid and visit households daily; length assumed");
  s.field("visit_discovery", &ReportingSpec::visit_discovery)
      .def(0.8)
      .range(0, 1)
      .unit("probability")
      .doc("Probability that a visit finds a hidden need of the visited household's residents.");
}

void describe_language(ObjectSchema<LanguageSpec>& s) {
  s.field("group", &LanguageSpec::group).doc("Ethnic group (community.groups name).");
  s.field("share", &LanguageSpec::share)
      .range(0, 1)
      .unit("share of workers")
      .doc("Probability that a grid worker speaks the group's language (the expected share).");
}

void describe_staffing(ObjectSchema<StaffingSpec>& s) {
  s.choice("rule", &StaffingSpec::rule,
           {{"per_10k", StaffingRule::Per10k}, {"per_grid", StaffingRule::PerGrid}})
      .def("per_10k")
      .doc(
          "Staffing rule for full-time community workers: per 10,000 residents "
          "(`full_time_per_10k`) or per grid (`full_time_per_grid`).")
      .source("[002] Ningxia: 18 community workers per 10,000 residents");
  s.choice("allocation", &StaffingSpec::allocation,
           policy::policy_options(policy::staff_allocations()))
      .def("even")
      .doc(
          "How the grid workers are placed on the grids, full-time first, then part-time: even "
          "(each to the grid with the fewest workers: every grid a worker before any a second, "
          "part-time workers first where the full-time remainder did not reach), by_households "
          "(each to the grid with the fewest workers per occupied household; every grid still "
          "one first) or legacy_first (both remainders to the first grids, as before issue #12).")
      .source(
          "[003] Jinhuayuan: 12 grids, each with a grid leader and a full-time grid worker (every "
          "grid staffed); the order among grids is an assumption");
  s.field("full_time_per_10k", &StaffingSpec::full_time_per_10k)
      .def(18.0)
      .range(0, 1000)
      .unit("workers per 10,000 residents")
      .doc("Full-time community workers per 10,000 residents (rule per_10k).")
      .source("[002] Ningxia's 18-per-10,000 rule");
  s.field("full_time_per_grid", &StaffingSpec::full_time_per_grid)
      .def(1.0)
      .range(0, 100)
      .unit("workers per grid")
      .doc("Full-time grid workers per grid (rule per_grid).")
      .source("[002] 7,253 full-time grid workers for 7,293 grids");
  s.field("grid_share", &StaffingSpec::grid_share)
      .def(0.62)
      .range(0, 1)
      .unit("share")
      .doc(
          "Share of the community's full-time workers assigned to grids (rule per_10k); the rest "
          "staff the community coordination centre. 0.62 x 18/10k gives ~1 grid worker per grid.")
      .source("calibrated to [002] 7,253 full-time grid workers for 7,293 grids");
  s.field("part_time_per_grid", &StaffingSpec::part_time_per_grid)
      .def(0.7)
      .range(0, 100)
      .unit("workers per grid")
      .doc("Part-time grid workers per grid (the total is rounded, then spread over grids).")
      .source("[001] Huairen: 379 full-time and 265 part-time grid workers (0.7 per full-time)");
  s.field("hours_per_day", &StaffingSpec::hours_per_day)
      .def(8.0)
      .range(0.1, 24)
      .unit("hours")
      .doc("Working hours of a full-time worker per working day.");
  s.field("part_time_hours", &StaffingSpec::part_time_hours)
      .def(3.0)
      .range(0, 24)
      .unit("hours")
      .doc("Working hours of a part-time worker per working day (patrol and casework only).");
  s.field("days_per_week", &StaffingSpec::days_per_week)
      .def(5)
      .range(1, 7)
      .unit("days")
      .doc("Working days per week (Monday first).");
  s.field("patrol_hours", &StaffingSpec::patrol_hours)
      .def(2.0)
      .range(0, 24)
      .unit("hours per day")
      .doc("Full-time worker's daily hours of patrol and household visits.")
      .source("[001] grid workers' daily patrol; the split is an assumption");
  s.field("paperwork_hours", &StaffingSpec::paperwork_hours)
      .def(3.0)
      .range(0, 24)
      .unit("hours per day")
      .doc("Full-time worker's daily hours of forms, reports and meetings.")
      .source("[002] paperwork burden before reduction; the value is an assumption");
  s.field("training_hours", &StaffingSpec::training_hours)
      .def(0.5)
      .range(0, 24)
      .unit("hours per day")
      .doc("Full-time worker's daily hours of training.");
  s.field("part_time_patrol_share", &StaffingSpec::part_time_patrol_share)
      .def(0.5)
      .range(0, 1)
      .unit("share")
      .doc("Share of a part-time worker's hours spent on patrol (the rest on casework).");
  s.field("burden_reduction", &StaffingSpec::burden_reduction)
      .def(0.0)
      .range(0, 1)
      .unit("share")
      .doc("Share of paperwork hours removed by a burden-reduction policy.")
      .source("[002] Yinchuan cut grid workers' paperwork by 70%");
  s.field("freed_to_casework", &StaffingSpec::freed_to_casework)
      .def(0.7)
      .range(0, 1)
      .unit("share")
      .doc("Share of freed paperwork hours that go to casework (the rest to patrol and visits).");
  s.field("overtime_limit", &StaffingSpec::overtime_limit)
      .def(1.0)
      .range(0, 24)
      .unit("hours per day")
      .doc(
          "A worker finishes the order in hand if it takes at most this much beyond the day "
          "(overtime); a longer remainder carries over to the next working day.");
  s.field("skill", &StaffingSpec::skill)
      .def(0.7)
      .range(0, 1)
      .doc(
          "Mean skill of full-time grid workers (each worker's own skill is drawn once, see "
          "skill_spread). The skill of the worker who handles an order sets its on-the-spot "
          "resolution probability, casework.on_the_spot x (0.5 + skill / 2), and its service "
          "time, x (1 + skill_time_factor x (1 - skill)). Volunteers settle orders with this "
          "mean skill.")
      .source("[002] 32.9% of workers hold a social-work certificate; the value is an assumption");
  s.field("skill_spread", &StaffingSpec::skill_spread)
      .def(0.1)
      .range(0, 1)
      .doc(
          "Standard deviation of workers' skills around their mean (normal, clipped to [0, 1]); "
          "0: every full-time worker has skill, every part-time worker part_time_skill.")
      .source("assumption");
  s.field("part_time_skill", &StaffingSpec::part_time_skill)
      .def(0.6)
      .range(0, 1)
      .doc(
          "Mean skill of part-time grid workers: lower than full-time workers', who are trained "
          "and certified more often.")
      .source("assumption");
  s.field("training_gain", &StaffingSpec::training_gain)
      .def(0.0002)
      .range(0, 1)
      .unit("skill per training hour")
      .doc(
          "Rise of a worker's skill per hour of training (training_hours each working day), "
          "capped at 1: 0.0002 x 0.5 h x 250 days ~ +0.025 a year.")
      .source("[001] Huairen: 3 trainings, 386 attendances in a year; the gain is an assumption");
  s.field("skill_time_factor", &StaffingSpec::skill_time_factor)
      .def(0.5)
      .range(0, 10)
      .doc("How much slower unskilled workers are (see skill).");
  s.objects("languages", &StaffingSpec::languages, describe_language)
      .def_yaml(R"(
- {group: Hui, share: 0.5}
- {group: Mongol, share: 0.1}
- {group: Tibetan, share: 0.1}
)")
      .range(0, 64)
      .doc(
          "Per group: each grid worker speaks the group's language with probability `share` "
          "(drawn once per worker); every worker speaks the common language. A low-proficiency "
          "resident is matched only if the worker who handles the order speaks their group's "
          "language, so a group not listed is never matched.")
      .source("[004] Kashgar and Zhejiang recruit bilingual community workers; shares assumed");
}

void describe_organisation(ObjectSchema<OrganisationSpec>& s) {
  s.field("levels", &OrganisationSpec::levels)
      .def(4)
      .range(3, 4)
      .doc(
          "Depth of the organisation: 3 (community - grid - household) or 4 (adds stairwell "
          "stewards).")
      .source("[003] Jinhuayuan's four levels: community, grid, stairwell, household");
  s.field("steward_share", &OrganisationSpec::steward_share)
      .def(0.3)
      .range(0, 1)
      .unit("share of stairwells")
      .doc("Share of stairwells with a steward (levels 4).")
      .source("[003] 128 stairwell stewards for about 420 stairwells");
  s.field("steward_mediation", &OrganisationSpec::steward_mediation)
      .def(0.6)
      .range(0, 1)
      .unit("probability")
      .doc("Probability a steward mediates a minor neighbour dispute they report on the spot.");
}

void describe_team(ObjectSchema<VolunteerTeamSpec>& s) {
  s.field("name", &VolunteerTeamSpec::name).doc("Team name (patrol, elder_care, legal_aid, ...).");
  s.field("members", &VolunteerTeamSpec::members)
      .range(0, 1e7)
      .unit("volunteers")
      .doc("Members at the start, spread over grids.");
  s.field("weekly_hours", &VolunteerTeamSpec::weekly_hours)
      .def(2.0)
      .range(0, 80)
      .unit("hours per week")
      .doc("Hours a member is willing to give per week (their budget).");
  s.list("task_types", &VolunteerTeamSpec::task_types)
      .def_yaml("[]")
      .range(0, 64)
      .doc(
          "Need types whose work orders the team takes from the grid queue (only types a grid "
          "can solve; what the volunteer cannot settle on the spot escalates, as for a worker).");
  s.field("patrol_share", &VolunteerTeamSpec::patrol_share)
      .def(0.0)
      .range(0, 1)
      .unit("share")
      .doc("Share of the team's budget spent on patrol visits (which find hidden needs).");
}

void describe_volunteers(ObjectSchema<VolunteersSpec>& s) {
  s.objects("teams", &VolunteersSpec::teams, describe_team)
      .def_yaml(R"(
- {name: patrol, members: 80, weekly_hours: 2, patrol_share: 1.0}
- {name: elder_care, members: 80, weekly_hours: 2, task_types: [elderly_care]}
- {name: elder_care_2, members: 60, weekly_hours: 2, task_types: [elderly_care]}
- {name: legal_aid, members: 30, weekly_hours: 2, task_types: [policy_question]}
- {name: repair, members: 50, weekly_hours: 2, task_types: [housing_repair, facility_repair]}
- {name: cultural, members: 60, weekly_hours: 2}
- {name: cultural_2, members: 50, weekly_hours: 2}
)")
      .range(0, 64)
      .doc(
          "Volunteer teams drawn from residents: each grid's share of a team's members are "
          "residents of that grid, chosen with odds in proportion to their trust in the "
          "community organisation.")
      .source("[003] Jinhuayuan: 7 volunteer teams, over 400 volunteers");
  s.field("min_age", &VolunteersSpec::min_age)
      .def(18)
      .range(0, 120)
      .unit("years")
      .doc("Youngest age at which a resident may join a team (assumption).");
  s.field("max_age", &VolunteersSpec::max_age)
      .def(80)
      .range(0, 120)
      .unit("years")
      .doc(
          "Oldest age at which a resident may join a team; retirees are many of the volunteers "
          "(assumption).");
  s.check([](const VolunteersSpec& v, const CheckContext& ctx) {
    if (v.max_age < v.min_age) ctx.fail("max_age", "must be at least min_age");
  });
  s.field("stretch", &VolunteersSpec::stretch)
      .def(1.5)
      .range(1, 10)
      .doc("Volunteers work up to stretch x their weekly budget when orders wait.");
  s.field("overload_weeks", &VolunteersSpec::overload_weeks)
      .def(3)
      .range(1, 52)
      .unit("weeks")
      .doc("Consecutive weeks above budget after which overloaded members start to quit.");
  s.field("quit_probability", &VolunteersSpec::quit_probability)
      .def(0.1)
      .range(0, 1)
      .unit("probability per week")
      .doc("Weekly probability that a member of an overloaded team quits.");
  s.field("recruit_rate", &VolunteersSpec::recruit_rate)
      .def(0.01)
      .range(0, 1)
      .unit("share per week")
      .doc("Weekly recruitment, as a share of the team's initial size, while below it.");
}

void describe_service_type(ObjectSchema<ServiceTypeSpec>& s) {
  s.field("name", &ServiceTypeSpec::name).doc("Need type (needs.types name).");
  s.field("mean_hours", &ServiceTypeSpec::mean_hours)
      .range(0.01, 1000)
      .unit("hours")
      .doc("Mean working time to handle an order of this type.");
  s.choice("distribution", &ServiceTypeSpec::distribution,
           {{"default", std::nullopt},
            {"exponential", ServiceDistribution::Exponential},
            {"lognormal", ServiceDistribution::Lognormal},
            {"fixed", ServiceDistribution::Fixed}})
      .def("default")
      .doc("Distribution of this type's service times; default: casework.service_distribution.");
  s.field("cv", &ServiceTypeSpec::cv)
      .def(-1)
      .range(-1, 10)
      .doc(
          "Coefficient of variation of this type's lognormal service times; -1: "
          "casework.service_cv.");
  s.field("commitment_days", &ServiceTypeSpec::commitment_days)
      .def(7)
      .range(0, 365)
      .unit("days")
      .doc("Response-time commitment: orders open longer are breaches.");
  s.field("min_level", &ServiceTypeSpec::min_level)
      .def(0)
      .range(0, 2)
      .doc("Lowest level able to solve it: 0 grid, 1 community, 2 subdistrict.");
}

void describe_casework(ObjectSchema<CaseworkSpec>& s) {
  s.choice("queue_priority", &CaseworkSpec::queue_priority,
           policy::policy_options(policy::queue_priorities()))
      .def("fcfs")
      .doc(
          "Which waiting order a free grid worker takes (policy): fcfs, severity_first, "
          "vulnerable_first.");
  s.choice("service_distribution", &CaseworkSpec::service_distribution,
           {{"exponential", ServiceDistribution::Exponential},
            {"lognormal", ServiceDistribution::Lognormal},
            {"fixed", ServiceDistribution::Fixed}})
      .def("lognormal")
      .doc(
          "Distribution of service times of need types without their own `distribution` (drawn "
          "per need, so arms share them).");
  s.field("service_cv", &CaseworkSpec::service_cv)
      .def(0.8)
      .range(0, 10)
      .doc("Coefficient of variation of lognormal service times of types without their own `cv`.");
  s.field("service_mean_hours", &CaseworkSpec::service_mean_hours)
      .def(1.5)
      .range(0.01, 1000)
      .unit("hours")
      .doc("Mean service time of need types not listed in `types`.");
  s.field("commitment_days", &CaseworkSpec::commitment_days)
      .def(7)
      .range(0, 365)
      .unit("days")
      .doc("Response-time commitment of need types not listed in `types`.");
  s.objects("types", &CaseworkSpec::types, describe_service_type)
      .def_yaml(R"(
- {name: neighbour_dispute, mean_hours: 2.0, commitment_days: 7}
- {name: elderly_care, mean_hours: 1.5, commitment_days: 3}
- {name: safety_hazard, mean_hours: 1.5, commitment_days: 2}
- {name: housing_repair, mean_hours: 2.0, commitment_days: 10}
- {name: policy_question, mean_hours: 0.75, commitment_days: 5}
)")
      .range(0, 64)
      .doc(
          "Per need type: service time (mean and distribution), commitment and the lowest level "
          "able to solve it.")
      .source("[001] response commitments of grid service centres; values are assumptions");
  s.list("on_the_spot", &CaseworkSpec::on_the_spot)
      .def_yaml("[0.95, 0.75, 0.5]")
      .range(3, 3)
      .doc(
          "Probability a grid worker or volunteer resolves a minor, moderate, serious order on "
          "the spot (times 0.5 + skill / 2); the rest escalate to the community.")
      .source(
          "[002] 'small matters stay in the grid' (小事不出网格); calibrated with "
          "department_response to [001] Huairen: 95.3% of collected issues resolved");
  s.field("language_penalty", &CaseworkSpec::language_penalty)
      .def(0.6)
      .range(0, 1)
      .doc(
          "On-the-spot probability multiplier when a low-proficiency resident's worker does not "
          "speak their language (service also takes 1 / penalty times longer). A volunteer team "
          "speaks a group's language when it has a member of that group in the grid.");
  s.field("community_capacity_hours", &CaseworkSpec::community_capacity_hours)
      .def(-1)
      .range(-1, 10000)
      .unit("hours per day")
      .doc(
          "Daily casework hours of the community coordination centre; -1: the centre's "
          "full-time workers (those not assigned to grids) x hours_per_day / 2.");
  s.field("community_service_multiplier", &CaseworkSpec::community_service_multiplier)
      .def(1.5)
      .range(0, 100)
      .doc("Escalated orders take this many times the grid service time at the centre.");
  s.field("community_resolution", &CaseworkSpec::community_resolution)
      .def(0.7)
      .range(0, 1)
      .unit("probability")
      .doc("Probability the community resolves an escalated order, else it is whistled up.");
  s.list("whistle_delay_days", &CaseworkSpec::whistle_delay_days)
      .def_yaml("[10, 5, 1]")
      .range(3, 3)
      .unit("days")
      .doc(
          "Median department response delay of the subdistrict whistle (吹哨报到) for "
          "management_service (minor), key_task (moderate), emergency (serious) orders.")
      .source("[002] 'the street whistles, departments report'; delays are assumptions");
  s.field("whistle_delay_sigma", &CaseworkSpec::whistle_delay_sigma)
      .def(0.5)
      .range(0, 5)
      .doc("Log-scale spread of department response delays (lognormal).");
  s.field("department_response", &CaseworkSpec::department_response)
      .def(0.3)
      .range(0, 1)
      .unit("probability")
      .doc(
          "Probability a department's response solves a whistled order (each round); otherwise "
          "the grid worker follows it up and it is whistled again, up to max_whistles rounds.")
      .source(
          "[002] whistles that 'do not move' departments (吹不动); calibrated with max_whistles "
          "to [001] Huairen: 95.3% of collected issues resolved (1,685 of 1,768)");
  s.list("whistle_delay_sigma_by_kind", &CaseworkSpec::whistle_delay_sigma_by_kind)
      .def_yaml("[]")
      .range(0, 3)
      .doc(
          "Log-scale spread of the response delay per whistle kind (management_service, "
          "key_task, emergency); empty: whistle_delay_sigma for every kind.");
  s.list("department_response_by_kind", &CaseworkSpec::department_response_by_kind)
      .def_yaml("[]")
      .range(0, 3)
      .unit("probability")
      .doc(
          "Probability a department's response solves the order, per whistle kind "
          "(management_service, key_task, emergency); empty: department_response for every "
          "kind.");
  s.field("follow_up_days", &CaseworkSpec::follow_up_days)
      .def(7)
      .range(0, 365)
      .unit("days")
      .doc(
          "Days after a department's response that did not solve a whistled order until the grid "
          "worker follows it up (and, if rounds remain, the subdistrict whistles again).")
      .source("[002] follow-up and closure of whistled matters; value an assumption");
  s.field("max_whistles", &CaseworkSpec::max_whistles)
      .def(2)
      .range(1, 100)
      .doc(
          "Whistle rounds an order gets in total (the first and the re-whistles after follow-ups); "
          "after the last unsuccessful response it stays open.")
      .source(
          "assumption; calibrated with department_response to [001] Huairen: 95.3% of collected "
          "issues resolved");
  s.check([](const CaseworkSpec& c, const CheckContext& ctx) {
    const auto probabilities = [&](const std::vector<double>& v, const char* key, double hi) {
      if (!v.empty() && v.size() != 3) ctx.fail(key, "give none or one value per whistle kind (3)");
      for (double x : v)
        if (!(x >= 0 && x <= hi))
          ctx.fail(key, "values must lie in [0, " + format_number(hi) + "]");
    };
    probabilities(c.whistle_delay_sigma_by_kind, "whistle_delay_sigma_by_kind", 5);
    probabilities(c.department_response_by_kind, "department_response_by_kind", 1);
    for (double x : c.whistle_delay_days)
      if (!(x > 0)) ctx.fail("whistle_delay_days", "median delays must be positive");
  });
}

void describe_wellbeing(ObjectSchema<WellbeingSpec>& s) {
  s.field("initial", &WellbeingSpec::initial)
      .def(0.5)
      .range(0, 1)
      .doc("Mean initial sense of gain, happiness, security, trust and belonging (0..1).");
  s.field("initial_spread", &WellbeingSpec::initial_spread)
      .def(0.0)
      .range(0, 0.5)
      .doc("Initial values are uniform on initial +- spread (0: everyone equal).");
  s.field("recovery", &WellbeingSpec::recovery)
      .def(0.01)
      .range(0, 1)
      .unit("per day")
      .doc("Daily return of each measure towards its initial value.");
  s.field("hidden_decay", &WellbeingSpec::hidden_decay)
      .def(0.003)
      .range(0, 1)
      .unit("per day")
      .doc("Daily loss of happiness and sense of gain while a resident's need stays hidden.");
  s.field("resolved_fast_gain", &WellbeingSpec::resolved_fast_gain)
      .def(0.05)
      .range(0, 1)
      .doc("Gain in sense of gain and happiness when a need is resolved within its commitment.");
  s.field("resolved_late_gain", &WellbeingSpec::resolved_late_gain)
      .def(0.02)
      .range(0, 1)
      .doc("Gain in sense of gain and happiness when a need is resolved late.");
  s.field("escalated_loss", &WellbeingSpec::escalated_loss)
      .def(0.01)
      .range(0, 1)
      .doc("Loss of trust when the grid cannot solve the need and escalates it.");
  s.field("trust_fast_gain", &WellbeingSpec::trust_fast_gain)
      .def(0.04)
      .range(0, 1)
      .doc("Gain in trust and belonging when a need is resolved within its commitment.");
  s.field("trust_late_loss", &WellbeingSpec::trust_late_loss)
      .def(0.03)
      .range(0, 1)
      .doc("Loss of trust when a need is resolved after its commitment.");
  s.field("safety_loss", &WellbeingSpec::safety_loss)
      .def(0.08)
      .range(0, 1)
      .doc("Loss of security when a safety_hazard need arises (regained when it is fixed).");
  s.field("unresolved_decay", &WellbeingSpec::unresolved_decay)
      .def(0.002)
      .range(0, 1)
      .unit("per day")
      .doc(
          "Daily loss of sense of gain and trust for every resident an open work order affects, "
          "each day it is past its type's commitment (unresolved).");
}

}  // namespace commsim::scenario
