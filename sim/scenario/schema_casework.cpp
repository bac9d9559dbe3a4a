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
      .source(
          "assumption: [001] names the 12345 hotline as a channel; the rate is not in the seeds");
  s.field("app", &ReportingSpec::app)
      .def(0.03)
      .range(0, 1)
      .unit("probability per day")
      .doc("Daily probability of a report through the app, for residents with digital access.")
      .source(
          "assumption: [001] Huairen's app (6,000+ households registered, 186 items); the daily "
          "rate is compared with app reports per registered household in docs/model.md §3.18");
  s.field("steward", &ReportingSpec::steward)
      .def(0.15)
      .range(0, 1)
      .unit("probability per day")
      .doc(
          "Daily probability that a stairwell steward reports a hidden need in their stairwell "
          "(organisation.levels 4 only).")
      .source(
          "assumption: [003] stairwell stewards (单元红管家) know their households; the rate is "
          "not in the seeds");
  s.field("trust_elasticity", &ReportingSpec::trust_elasticity)
      .def(1.0)
      .range(0, 10)
      .doc("Resident-initiated propensities are multiplied by (trust / 0.5)^elasticity.")
      .source("assumption: reporting in proportion to trust (elasticity 1); no seed estimate");
  s.field("low_proficiency_hotline", &ReportingSpec::low_proficiency_hotline)
      .def(0.3)
      .range(0, 1)
      .doc("Hotline propensity multiplier for residents with low common-language proficiency.")
      .source(
          "assumption: [004] language barriers to public services; the factor is not in the seeds");
  s.field("low_proficiency_app", &ReportingSpec::low_proficiency_app)
      .def(0.5)
      .range(0, 1)
      .doc("App propensity multiplier for residents with low common-language proficiency.")
      .source(
          "assumption: a written app report is easier than a phone call in a second language; no "
          "seed figure");
  s.field("low_proficiency_visit", &ReportingSpec::low_proficiency_visit)
      .def(0.5)
      .range(0, 1)
      .doc(
          "Multiplier of a household visit's chance to find a low-proficiency resident's need "
          "when the visitor does not speak the resident's language (the grid's share of "
          "workers who speak it find it at the full rate).")
      .source(
          "assumption: a visit finds needs by talking with the household; [004] names "
          "language barriers to services, the size of the effect is not reported");
  s.field("elderly_hotline", &ReportingSpec::elderly_hotline)
      .def(0.7)
      .range(0, 10)
      .doc("Hotline propensity multiplier for elderly residents.")
      .source("assumption: older residents phone the hotline less; no seed figure");
  s.list("severity_multipliers", &ReportingSpec::severity_multipliers)
      .def_yaml("[1.0, 2.0, 4.0]")
      .range(3, 3)
      .each(0, 100)
      .doc("Propensity multipliers for minor, moderate and serious needs (serious ones are told).")
      .source("assumption: serious needs are told sooner; no seed figure");
  s.field("minutes_per_visit", &ReportingSpec::minutes_per_visit)
      .def(30)
      .range(1, 600)
      .unit("minutes")
      .doc("Length of a grid worker's household visit; visits/day = patrol hours x 60 / this.")
      .source(
          "assumption: [001] grid workers' daily patrols and household visits (日常巡查、走访); "
          "the visit length is not in the seeds");
  s.field("visit_discovery", &ReportingSpec::visit_discovery)
      .def(0.8)
      .range(0, 1)
      .unit("probability")
      .doc("Probability that a visit finds a hidden need of the visited household's residents.")
      .source("assumption: a visit finds most hidden needs; no seed figure");
}

void describe_language(ObjectSchema<LanguageSpec>& s) {
  s.field("group", &LanguageSpec::group)
      .doc("Ethnic group (community.groups name).")
      .source("setting: names a community.groups entry");
  s.field("share", &LanguageSpec::share)
      .range(0, 1)
      .unit("share of workers")
      .doc("Probability that a grid worker speaks the group's language (the expected share).")
      .source("assumption: [004] bilingual community workers; the shares are not in the seeds");
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
          "[003] Jinhuayuan: 12 grids, each with a grid leader and a full-time grid worker "
          "(every grid staffed, so even: a worker on every grid before a second on any)");
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
      .source(
          "[003] each of Jinhuayuan's 12 grids has a full-time grid worker; [002] Ningxia's 7,253 "
          "community workers (all staff) for 7,293 grids are about one per grid in total");
  s.field("grid_share", &StaffingSpec::grid_share)
      .def(0.62)
      .range(0, 1)
      .unit("share")
      .doc(
          "Share of the community's full-time workers assigned to grids (rule per_10k); the rest "
          "staff the community coordination centre. 0.62 x 18/10k gives ~1 grid worker per grid.")
      .source(
          "[003] 12 grids, each with a full-time grid worker: 12 of the ~19 workers of the "
          "18-per-10,000 rule (0.62); not fitted to [002]'s 7,253 for 7,293, which counts all "
          "community workers");
  s.field("part_time_per_grid", &StaffingSpec::part_time_per_grid)
      .def(0.7)
      .range(0, 100)
      .unit("workers per grid")
      .doc("Part-time grid workers per grid (the total is rounded, then spread over grids).")
      .source(
          "[001] Huairen: 265 part-time beside 379 full-time grid workers (0.70 per full-time "
          "worker); with one full-time grid worker per grid ([003]) that is 0.7 per grid");
  s.field("hours_per_day", &StaffingSpec::hours_per_day)
      .def(8.0)
      .range(0.1, 24)
      .unit("hours")
      .doc("Working hours of a full-time worker per working day.")
      .source("Labour Law of the PRC 1994: an eight-hour working day");
  s.field("part_time_hours", &StaffingSpec::part_time_hours)
      .def(3.0)
      .range(0, 24)
      .unit("hours")
      .doc("Working hours of a part-time worker per working day (patrol and casework only).")
      .source(
          "assumption: part-time grid workers (retirees, party members, resident representatives, "
          "[001]) give a few hours a day; no seed figure");
  s.field("days_per_week", &StaffingSpec::days_per_week)
      .def(5)
      .range(1, 7)
      .unit("days")
      .doc("Working days per week (Monday first).")
      .source("State Council regulation on working hours 1995: a five-day week");
  s.field("patrol_hours", &StaffingSpec::patrol_hours)
      .def(2.0)
      .range(0, 24)
      .unit("hours per day")
      .doc("Full-time worker's daily hours of patrol and household visits.")
      .source(
          "assumption: [001] daily patrols and visits; the 2 hours of the day are not in the "
          "seeds");
  s.field("paperwork_hours", &StaffingSpec::paperwork_hours)
      .def(3.0)
      .range(0, 24)
      .unit("hours per day")
      .doc("Full-time worker's daily hours of forms, reports and meetings.")
      .source(
          "assumption: [002] the paperwork burden before reduction (减负); the 3 hours are not in "
          "the seeds");
  s.field("training_hours", &StaffingSpec::training_hours)
      .def(0.033)
      .range(0, 24)
      .unit("hours per day")
      .doc("Full-time worker's daily hours of training.")
      .source(
          "[001] Huairen: 3 trainings, 386 attendances of its 379 community workers in a year "
          "(about one each); one 8-hour day per attendance: 386 / 379 x 8 h / 250 working days = "
          "0.033 h");
  s.field("part_time_patrol_share", &StaffingSpec::part_time_patrol_share)
      .def(0.5)
      .range(0, 1)
      .unit("share")
      .doc("Share of a part-time worker's hours spent on patrol (the rest on casework).")
      .source("assumption: half patrol, half casework; no seed figure");
  s.field("burden_reduction", &StaffingSpec::burden_reduction)
      .def(0.0)
      .range(0, 1)
      .unit("share")
      .doc("Share of paperwork hours removed by a burden-reduction policy.")
      .source(
          "setting: a policy lever, off in the baseline; [002] Pingluo cut reporting materials by "
          "over 70%, which is paperwork, not hours: hours freed are a scenario's assumption");
  s.field("freed_to_casework", &StaffingSpec::freed_to_casework)
      .def(0.7)
      .range(0, 1)
      .unit("share")
      .doc("Share of freed paperwork hours that go to casework (the rest to patrol and visits).")
      .source("assumption: [002] freed time goes to community work; the split is not in the seeds");
  s.field("overtime_limit", &StaffingSpec::overtime_limit)
      .def(1.0)
      .range(0, 24)
      .unit("hours per day")
      .doc(
          "A worker finishes the order in hand if it takes at most this much beyond the day "
          "(overtime); a longer remainder carries over to the next working day.")
      .source(
          "assumption: a worker finishes an order in hand within an hour's overtime; no seed "
          "figure");
  s.field("skill", &StaffingSpec::skill)
      .def(0.7)
      .range(0, 1)
      .doc(
          "Mean skill of full-time grid workers (each worker's own skill is drawn once, see "
          "skill_spread). The skill of the worker who handles an order sets its on-the-spot "
          "resolution probability, casework.on_the_spot x (0.5 + skill / 2), and its service "
          "time, x (1 + skill_time_factor x (1 - skill)). Volunteers settle orders with this "
          "mean skill.")
      .source(
          "assumption: [002] 32.9% of community workers hold a social-work certificate; the mean "
          "skill 0.7 is not derived from it");
  s.field("skill_spread", &StaffingSpec::skill_spread)
      .def(0.1)
      .range(0, 1)
      .doc(
          "Standard deviation of workers' skills around their mean (normal, clipped to [0, 1]); "
          "0: every full-time worker has skill, every part-time worker part_time_skill.")
      .source("assumption: workers differ moderately; no seed figure");
  s.field("part_time_skill", &StaffingSpec::part_time_skill)
      .def(0.6)
      .range(0, 1)
      .doc(
          "Mean skill of part-time grid workers: lower than full-time workers', who are trained "
          "and certified more often.")
      .source(
          "assumption: part-time workers are trained and certified less often than full-time ones");
  s.field("training_gain", &StaffingSpec::training_gain)
      .def(0.0025)
      .range(0, 1)
      .unit("skill per training hour")
      .doc(
          "Rise of a worker's skill per hour of training (training_hours each working day), "
          "capped at 1: 0.0025 x 8 h ~ +0.02 per training day, about one a year.")
      .source(
          "assumption: [001] says how often workers train, not what it changes; one 8-hour "
          "training day raises skill by 0.02");
  s.field("skill_time_factor", &StaffingSpec::skill_time_factor)
      .def(0.5)
      .range(0, 10)
      .doc("How much slower unskilled workers are (see skill).")
      .source("assumption: an unskilled worker takes half as long again; no seed figure");
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
      .source(
          "assumption: [004] Kashgar and Zhejiang recruit bilingual community workers; which "
          "languages and how many is not in the seeds");
}

void describe_organisation(ObjectSchema<OrganisationSpec>& s) {
  s.field("levels", &OrganisationSpec::levels)
      .def(4)
      .range(3, 4)
      .doc(
          "Depth of the organisation: 3 (community - grid - household) or 4 (adds stairwell "
          "stewards).")
      .source(
          "[003] Jinhuayuan's 4 levels: community party committee, grid branch, building group, "
          "stairwell red steward (社区党委—网格党支部—楼栋党小组—楼道红管家); [001] Huairen: 3 "
          "levels in small compounds, 4 in compounds over 500 households");
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
      .doc("Probability a steward mediates a minor neighbour dispute they report on the spot.")
      .source(
          "assumption: stewards settle most minor disputes they report ([003] stewards mediate); "
          "no seed figure");
}

// [003], the sentence every volunteer key below reads from.
constexpr const char* kJinhuayuanTeams =
    "[003] 组建“五朵金花”宣讲队、“红管家”志愿者服务队、"
    "“手拉手”法律咨询队、“红袖章”巡逻队、"
    "“铁班长”志愿服务队等7支志愿服务队伍，"
    "400余名志愿者通过上门服务、定点服务、集中服务等方式，"
    "把群众需求与服务点对点结合，"
    "常态化为群众提供便民理发、家电维修等服务 "
    "(7 volunteer teams were formed - the 'Five Golden Flowers' propaganda team, the 'Red "
    "Steward' service team, the 'Hand in Hand' legal advice team, the 'Red Armband' patrol team, "
    "the 'Iron Monitor' service team and others - and over 400 volunteers serve at home, at fixed "
    "points and in group services, matching needs and services point to point, and regularly give "
    "residents haircuts, appliance repairs and other services)";

void describe_team(ObjectSchema<VolunteerTeamSpec>& s) {
  s.field("name", &VolunteerTeamSpec::name)
      .doc("Team name (patrol, red_steward, legal_aid, ...); activities name it as their team.")
      .source(
          "setting: a label; [003] names the teams (红袖章 patrol, 红管家 steward, 手拉手 legal "
          "advice, 五朵金花 propaganda, 铁班长 service, ...)");
  s.field("members", &VolunteerTeamSpec::members)
      .range(0, 1e7)
      .unit("volunteers")
      .doc("Members at the start, spread over grids.")
      .source("assumption: [003] gives over 400 volunteers in 7 teams, not the split among teams");
  s.field("weekly_hours", &VolunteerTeamSpec::weekly_hours)
      .def(2.0)
      .range(0, 80)
      .unit("hours per week")
      .doc("Hours a member is willing to give per week (their budget).")
      .source("assumption: a volunteer gives about two hours a week; no seed figure");
  s.list("task_types", &VolunteerTeamSpec::task_types)
      .def_yaml("[]")
      .range(0, 64)
      .doc(
          "Need types (grid level only) of which the team resolves small (minor) needs on the "
          "spot when they are reported, with probability volunteers.small_need_share, while it "
          "has hours left today: elder care, household and facility repairs, a legal or policy "
          "question. Volunteers take no other work orders: casework is the paid workers'.")
      .source("assumption: which need types each team resolves is not in the seeds; " +
              std::string(kJinhuayuanTeams));
  s.field("patrol_share", &VolunteerTeamSpec::patrol_share)
      .def(0.0)
      .range(0, 1)
      .unit("share")
      .doc(
          "Share of the team's budget spent patrolling the grid's buildings and stairwells, "
          "where patrols find shared (stairwell, building) needs; reporting.minutes_per_visit per "
          "building round.")
      .source(
          "assumption: the share of the budget is not in the seeds; [003] the 'red armband' "
          "patrol team (“红袖章”巡逻队); [002] "
          "青山社区治安保卫委员会张春晖日常巡查时，接到居民徐慧反映，"
          "“清和街马路主干道路面塌陷…” (on a daily patrol, a security-committee member was "
          "told of a collapsed road)");
  s.field("home_visit_share", &VolunteerTeamSpec::home_visit_share)
      .def(0.0)
      .range(0, 1)
      .unit("share")
      .doc(
          "Share of the team's budget spent on scheduled home visits to the grid's households "
          "with an elderly member or low income (reporting.minutes_per_visit each), where a visit "
          "finds the household's hidden needs (channel home_visit).")
      .source(
          "assumption: the share of the budget is not in the seeds; [002] "
          "馨和苑社区的志愿者们开展入户走访活动，为特殊人群送去关怀与温暖 (Xinheyuan's "
          "volunteers make household visits, bringing care to special groups); [003] "
          "上门服务 (service at home), 聚焦“一老一小”等重点群体 (focused on the old and the "
          "young and other key groups)");
  s.check([](const VolunteerTeamSpec& t, const CheckContext& ctx) {
    if (t.patrol_share + t.home_visit_share > 1.0 + 1e-9)
      ctx.fail("home_visit_share", "patrol_share + home_visit_share must not exceed 1");
  });
}

void describe_volunteers(ObjectSchema<VolunteersSpec>& s) {
  s.objects("teams", &VolunteersSpec::teams, describe_team)
      .def_yaml(R"(
- {name: patrol, members: 80, weekly_hours: 2, patrol_share: 1.0}
- {name: red_steward, members: 60, weekly_hours: 2, home_visit_share: 0.5, task_types: [elderly_care]}
- {name: elder_care, members: 80, weekly_hours: 2, home_visit_share: 0.5, task_types: [elderly_care]}
- {name: legal_aid, members: 30, weekly_hours: 2, task_types: [policy_question]}
- {name: service, members: 50, weekly_hours: 2, task_types: [housing_repair, facility_repair]}
- {name: propaganda, members: 60, weekly_hours: 2}
- {name: culture, members: 50, weekly_hours: 2}
)")
      .range(0, 64)
      .doc(
          "Volunteer teams drawn from residents: each grid's share of a team's members are "
          "residents of that grid, chosen with odds in proportion to their trust in the "
          "community organisation. Teams patrol, visit homes, resolve small needs on the spot and "
          "run activities (activities.events[].team); the split of 410 members among 7 teams is "
          "an assumption.")
      .source(std::string(kJinhuayuanTeams) +
              "; the baseline is Jinhuayuan itself (5,025 households), so the 400+ are not "
              "scaled");
  s.field("min_age", &VolunteersSpec::min_age)
      .def(18)
      .range(0, 120)
      .unit("years")
      .doc("Youngest age at which a resident may join a team (assumption).")
      .source("assumption: volunteers are adults");
  s.field("max_age", &VolunteersSpec::max_age)
      .def(80)
      .range(0, 120)
      .unit("years")
      .doc(
          "Oldest age at which a resident may join a team; retirees are many of the volunteers "
          "(assumption).")
      .source("assumption: retirees are many of the volunteers, up to 80");
  s.check([](const VolunteersSpec& v, const CheckContext& ctx) {
    if (v.max_age < v.min_age) ctx.fail("max_age", "must be at least min_age");
  });
  s.field("stretch", &VolunteersSpec::stretch)
      .def(1.5)
      .range(1, 10)
      .doc(
          "Volunteers resolve small needs on the spot for up to stretch x their weekly budget "
          "(what is left after patrols and home visits) when many arise.")
      .source(
          "assumption: volunteers give up to half as much again when needs are many; no seed "
          "figure");
  s.field("overload_weeks", &VolunteersSpec::overload_weeks)
      .def(3)
      .range(1, 52)
      .unit("weeks")
      .doc("Consecutive weeks above budget after which overloaded members start to quit.")
      .source("assumption: three weeks of overload before members quit; no seed figure");
  s.field("quit_probability", &VolunteersSpec::quit_probability)
      .def(0.1)
      .range(0, 1)
      .unit("probability per week")
      .doc("Weekly probability that a member of an overloaded team quits.")
      .source(
          "assumption: no seed gives turnover; fitted in scenarios/calibration/baseline.yaml to "
          "[003]'s 400+ volunteers");
  s.field("recruit_rate", &VolunteersSpec::recruit_rate)
      .def(0.01)
      .range(0, 1)
      .unit("share per week")
      .doc("Weekly recruitment, as a share of the team's initial size, while below it.")
      .source(
          "assumption: no seed gives recruitment; fitted in scenarios/calibration/baseline.yaml to "
          "[003]'s 400+ volunteers");
  s.field("small_need_share", &VolunteersSpec::small_need_share)
      .def(0.5)
      .range(0, 1)
      .unit("probability")
      .doc(
          "Probability that a minor need of a team's task types, once reported, is resolved on "
          "the spot by a volunteer of the grid's team (one draw per need, stream "
          "volunteers.small_need; x casework.language_penalty when the team has no member of a "
          "low-proficiency resident's group), while the team has hours left today; otherwise it "
          "waits for the grid workers. The share of orders volunteers close is the output "
          "volunteer_resolved_share.")
      .source(
          "assumption: [003] volunteers give haircuts and appliance repairs "
          "(便民理发、家电维修) and serve at home (上门服务); no seed says how many needs "
          "they resolve; half of the minor ones is a judgement");
}

void describe_service_type(ObjectSchema<ServiceTypeSpec>& s) {
  s.field("name", &ServiceTypeSpec::name)
      .doc("Need type (needs.types name).")
      .source("setting: names a needs.types entry");
  s.field("mean_hours", &ServiceTypeSpec::mean_hours)
      .range(0.01, 1000)
      .unit("hours")
      .doc("Mean working time to handle an order of this type.")
      .source("assumption: no seed gives service times");
  s.choice("distribution", &ServiceTypeSpec::distribution,
           {{"default", std::nullopt},
            {"exponential", ServiceDistribution::Exponential},
            {"lognormal", ServiceDistribution::Lognormal},
            {"fixed", ServiceDistribution::Fixed}})
      .def("default")
      .doc("Distribution of this type's service times; default: casework.service_distribution.")
      .source("assumption: the default distribution unless a type's own is known");
  s.field("cv", &ServiceTypeSpec::cv)
      .def(-1)
      .range(0, 10)
      .or_value(-1)
      .doc(
          "Coefficient of variation of this type's lognormal service times; -1: "
          "casework.service_cv.")
      .source("assumption: the default spread unless a type's own is known");
  s.field("commitment_days", &ServiceTypeSpec::commitment_days)
      .def(7)
      .range(0, 365)
      .unit("days")
      .doc("Response-time commitment: orders open longer are breaches.")
      .source(
          "assumption: [001] respond on receipt (接诉即办); the days per type are not in the "
          "seeds");
  s.field("min_level", &ServiceTypeSpec::min_level)
      .def(0)
      .range(0, 2)
      .doc("Lowest level able to solve it: 0 grid, 1 community, 2 subdistrict.")
      .source(
          "assumption: [001] general problems the grid worker settles, complex ones go to the "
          "centre or the platform; which types need a higher level is not in the seeds");
}

void describe_casework(ObjectSchema<CaseworkSpec>& s) {
  s.choice("queue_priority", &CaseworkSpec::queue_priority,
           policy::policy_options(policy::queue_priorities()))
      .def("fcfs")
      .doc(
          "Which waiting order a free grid worker takes (policy): fcfs, severity_first, "
          "vulnerable_first.")
      .source(
          "setting: a policy lever; first come first served in the baseline (no seed says how "
          "grid "
          "workers order their work)");
  s.choice("service_distribution", &CaseworkSpec::service_distribution,
           {{"exponential", ServiceDistribution::Exponential},
            {"lognormal", ServiceDistribution::Lognormal},
            {"fixed", ServiceDistribution::Fixed}})
      .def("lognormal")
      .doc(
          "Distribution of service times of need types without their own `distribution` (drawn "
          "per need, so arms share them).")
      .source("assumption: service times are right-skewed (lognormal); no seed data");
  s.field("service_cv", &CaseworkSpec::service_cv)
      .def(0.8)
      .range(0, 10)
      .doc("Coefficient of variation of lognormal service times of types without their own `cv`.")
      .source("assumption: no seed data on the spread of service times");
  s.field("service_mean_hours", &CaseworkSpec::service_mean_hours)
      .def(1.5)
      .range(0.01, 1000)
      .unit("hours")
      .doc("Mean service time of need types not listed in `types`.")
      .source("assumption: no seed gives service times");
  s.field("commitment_days", &CaseworkSpec::commitment_days)
      .def(7)
      .range(0, 365)
      .unit("days")
      .doc("Response-time commitment of need types not listed in `types`.")
      .source("assumption: [001] respond on receipt (接诉即办); 7 days is not in the seeds");
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
      .source(
          "assumption: service times and commitments per type are not in the seeds ([001] "
          "接诉即办 "
          "names the commitment)");
  s.list("on_the_spot", &CaseworkSpec::on_the_spot)
      .def_yaml("[0.95, 0.75, 0.5]")
      .range(3, 3)
      .each(0, 1)
      .doc(
          "Probability a grid worker or volunteer resolves a minor, moderate, serious order on "
          "the spot (times 0.5 + skill / 2); the rest escalate to the community.")
      .source(
          "[001] general problems settled by the grid worker on the spot, complex ones passed "
          "up; "
          "[002] 'small matters stay in the grid'; the values set how many orders leave the "
          "grid, "
          "compared with [001]'s 1,768 items a year in docs/model.md §3.18");
  s.field("language_penalty", &CaseworkSpec::language_penalty)
      .def(0.6)
      .range(0, 1)
      .doc(
          "On-the-spot probability multiplier when a low-proficiency resident's worker does not "
          "speak their language (service also takes 1 / penalty times longer). A volunteer team "
          "speaks a group's language when it has a member of that group in the grid.")
      .source(
          "assumption: a worker without the resident's language settles less on the spot and "
          "takes "
          "longer; no seed figure");
  s.field("community_capacity_hours", &CaseworkSpec::community_capacity_hours)
      .def(-1)
      .range(0, 10000)
      .or_value(-1)
      .unit("hours per day")
      .doc(
          "Daily casework hours of the community coordination centre; -1: the centre's "
          "full-time workers (those not assigned to grids) x hours_per_day / 2.")
      .source("assumption: the centre's workers give half their day to casework; no seed figure");
  s.field("community_service_multiplier", &CaseworkSpec::community_service_multiplier)
      .def(1.5)
      .range(0, 100)
      .doc("Escalated orders take this many times the grid service time at the centre.")
      .source("assumption: escalated orders are harder and take longer; no seed figure");
  s.field("community_resolution", &CaseworkSpec::community_resolution)
      .def(0.7)
      .range(0, 1)
      .unit("probability")
      .doc("Probability the community resolves an escalated order, else it is whistled up.")
      .source(
          "assumption: the centre settles most of what reaches it; compared with [001]'s 95.3% "
          "closure of items passed up in docs/model.md §3.18");
  s.list("whistle_delay_days", &CaseworkSpec::whistle_delay_days)
      .def_yaml("[10, 5, 1]")
      .range(3, 3)
      .each(0, 365)
      .unit("days")
      .doc(
          "Median department response delay of the subdistrict whistle (吹哨报到) for "
          "management_service (minor), key_task (moderate), emergency (serious) orders.")
      .source(
          "assumption: [002] 'the street whistles, departments report' (街乡吹哨、部门报到) and "
          "a "
          "road fixed in two days; the median delays are not in the seeds");
  s.field("whistle_delay_sigma", &CaseworkSpec::whistle_delay_sigma)
      .def(0.5)
      .range(0, 5)
      .doc("Log-scale spread of department response delays (lognormal).")
      .source("assumption: no seed gives the spread of department delays");
  s.field("department_response", &CaseworkSpec::department_response)
      .def(0.3)
      .range(0, 1)
      .unit("probability")
      .doc(
          "Probability a department's response solves a whistled order (each round); otherwise "
          "the grid worker follows it up and it is whistled again, up to max_whistles rounds.")
      .source(
          "assumption: [002] whistles that do not move departments (吹不动); compared with "
          "[001]'s "
          "95.3% closure of items passed up (1,685 of 1,768) in docs/model.md §3.18");
  s.list("whistle_delay_sigma_by_kind", &CaseworkSpec::whistle_delay_sigma_by_kind)
      .def_yaml("[]")
      .range(0, 3)
      .each(0, 5)
      .doc(
          "Log-scale spread of the response delay per whistle kind (management_service, "
          "key_task, emergency); empty: whistle_delay_sigma for every kind.")
      .source("assumption: one spread for every whistle kind unless given");
  s.list("department_response_by_kind", &CaseworkSpec::department_response_by_kind)
      .def_yaml("[]")
      .range(0, 3)
      .each(0, 1)
      .unit("probability")
      .doc(
          "Probability a department's response solves the order, per whistle kind "
          "(management_service, key_task, emergency); empty: department_response for every "
          "kind.")
      .source("assumption: one response probability for every whistle kind unless given");
  s.field("follow_up_days", &CaseworkSpec::follow_up_days)
      .def(7)
      .range(0, 365)
      .unit("days")
      .doc(
          "Days after a department's response that did not solve a whistled order until the grid "
          "worker follows it up (and, if rounds remain, the subdistrict whistles again).")
      .source(
          "assumption: [001] follow-up of every problem (跟踪问效); a week is not in the seeds");
  s.field("pass_up_overdue", &CaseworkSpec::pass_up_overdue)
      .def(true)
      .doc(
          "An order still waiting for a grid worker when it passes its type's commitment is "
          "passed up to the community's coordination centre (the next level that can resolve "
          "it), so no order waits at an overloaded grid for ever.")
      .source(
          "assumption: resolved at the lowest level that can, else the centre ([001] 'complex "
          "problems' go to the governance centre; [002] small matters stay in the grid, big "
          "ones in the community)");
  s.field("centre_wait_days", &CaseworkSpec::centre_wait_days)
      .def(7)
      .range(0, 365)
      .unit("days")
      .doc(
          "Days an escalated order may wait in the coordination centre's queue before the "
          "subdistrict whistles it to a department without the centre's service, so the "
          "centre's queue stays bounded when it is overloaded.")
      .source(
          "assumption: a week, like commitment_days and follow_up_days; [002] the subdistrict "
          "whistles what the community cannot settle (吹哨报到)");
  s.field("max_whistles", &CaseworkSpec::max_whistles)
      .def(2)
      .range(1, 100)
      .doc(
          "Whistle rounds an order gets in total (the first and the re-whistles after "
          "follow-ups); "
          "after the last unsuccessful response it stays open.")
      .source(
          "assumption: two rounds; compared with [001]'s 95.3% closure of items passed up in "
          "docs/model.md §3.18");
  s.check([](const CaseworkSpec& c, const CheckContext& ctx) {
    // Each value's range is the schema's (.each); here the length: none or all three.
    const auto per_kind = [&](const std::vector<double>& v, const char* key) {
      if (!v.empty() && v.size() != 3) ctx.fail(key, "give none or one value per whistle kind (3)");
    };
    per_kind(c.whistle_delay_sigma_by_kind, "whistle_delay_sigma_by_kind");
    per_kind(c.department_response_by_kind, "department_response_by_kind");
    for (double x : c.whistle_delay_days)
      if (!(x > 0)) ctx.fail("whistle_delay_days", "median delays must be positive");
  });
}

void describe_wellbeing(ObjectSchema<WellbeingSpec>& s) {
  // The value is a modelling choice; the form is the expectancy-disconfirmation model's.
  const auto edm = [](const char* value) {
    return std::string("assumption: ") + value +
           "; form: Oliver 1980 (J. Marketing Research 17(4)), Van Ryzin 2004 (J. Policy "
           "Analysis and Management 23(3)), Van Ryzin 2006 (JPART 16(4)), Zhang, Chen, "
           "Petrovsky & Walker 2022 (PAR 82(1))";
  };
  s.field("initial", &WellbeingSpec::initial)
      .def(0.5)
      .range(0, 1)
      .doc(
          "Mean baseline of sense of gain, happiness, security, trust and belonging (0..1): the "
          "level each starts at and satisfaction and security return to.")
      .source("assumption: the middle of the 0..1 scale; no seed survey gives a level");
  s.field("initial_spread", &WellbeingSpec::initial_spread)
      .def(0.0)
      .range(0, 0.5)
      .doc("Baselines are uniform on initial +- spread (0: everyone equal).")
      .source("assumption: no seed figure on the spread between residents");
  s.field("recovery", &WellbeingSpec::recovery)
      .def(0.01)
      .range(0, 1)
      .unit("per day")
      .doc(
          "Daily return of satisfaction (sense of gain) and security towards the resident's "
          "baseline, and of happiness towards its composite (memory of experiences fades).")
      .source(
          "assumption: a half-life of about 69 days; no source measures how fast the "
          "memory of one service encounter fades");
  s.field("expectation_initial", &WellbeingSpec::expectation_initial)
      .def(1.0)
      .range(0, 1)
      .doc(
          "Expected performance of the community's service of a resident who has not yet used "
          "it (1: every commitment kept, the promise of 'respond on receipt').")
      .source(edm("residents start by expecting the published time commitment to "
                  "be kept, so a need resolved in time confirms expectations"));
  s.field("adaptation", &WellbeingSpec::adaptation)
      .def(0.3)
      .range(0, 1)
      .doc(
          "Weight of one service experience in the resident's expectation: E <- E + adaptation "
          "x (P - E) (adaptive expectations).")
      .source(edm("expectations adapt to experience (Oliver 1980's adaptation level)"));
  s.field("expectation_anchor", &WellbeingSpec::expectation_anchor)
      .def(0.003)
      .range(0, 1)
      .unit("per day")
      .doc(
          "Daily pull of each expectation back towards expectation_initial (the published "
          "commitment, announced again and again, anchors what residents expect).")
      .source(
          "assumption: a half-life of about 230 days; 0 makes expectations purely "
          "adaptive, so in the long run service level would stop mattering");
  s.field("sensitivity", &WellbeingSpec::sensitivity)
      .def(0.15)
      .range(0, 1)
      .doc(
          "Change of satisfaction (sense of gain) per unit of positive disconfirmation "
          "D = P - E; a negative D counts negativity times as much.")
      .source(edm("no source measures satisfaction per unit of disconfirmation on this scale"));
  s.field("negativity", &WellbeingSpec::negativity)
      .def(2.25)
      .range(1, 10)
      .doc("How many times more a shortfall (D < 0) moves satisfaction than an equal surplus.")
      .source(
          "assumption: 2.25 is the median loss aversion of Tversky & Kahneman 1992 (J. Risk and "
          "Uncertainty 5), measured for gambles and carried over to service encounters; "
          "Baumeister et al. 2001 (Rev. General Psychology 5(4)): bad is stronger than good");
  s.field("late_half_life", &WellbeingSpec::late_half_life)
      .def(1.0)
      .range(0.01, 100)
      .unit("commitments")
      .doc(
          "Lateness, in units of the type's commitment, at which a resolution's perceived "
          "performance halves: P = 2^(-max(0, t - c) / (late_half_life x c)); in time, P = 1.")
      .source(
          "assumption: performance judged against the commitment; a need closed one "
          "commitment late is worth half of one closed in time");
  s.field("escalated_performance", &WellbeingSpec::escalated_performance)
      .def(0.7)
      .range(0, 1)
      .doc("Perceived performance of the grid passing a need up (the grid could not solve it).")
      .source("assumption: an escalation is a partial disappointment, not a failure");
  s.field("closed_unresolved_performance", &WellbeingSpec::closed_unresolved_performance)
      .def(0.0)
      .range(0, 1)
      .doc("Perceived performance of an order closed unresolved after its last whistle.")
      .source("assumption: nothing was delivered");
  s.field("overdue_weight", &WellbeingSpec::overdue_weight)
      .def(0.03)
      .range(0, 1)
      .unit("per day")
      .doc(
          "Each day an open order is past its commitment, an experience of performance 0 of "
          "this weight for every resident it affects (about a month overdue: one full bad "
          "experience with the defaults).")
      .source(edm("waiting past the promise is seen as it goes, not only at the "
                  "end"));
  s.field("wish_expectation", &WellbeingSpec::wish_expectation)
      .def(0.5)
      .range(0, 1)
      .doc(
          "What a resident who made a micro-wish expects of it: its fulfilment is a positive "
          "disconfirmation 1 - wish_expectation (service expectations stay as they are).")
      .source(edm("a wish is granted or not, even odds"));
  s.field("trust_days", &WellbeingSpec::trust_days)
      .def(180.0)
      .range(1, 10000)
      .unit("days")
      .doc(
          "Time constant of trust's exponential smoothing towards satisfaction with the "
          "community organisation (sense of gain).")
      .source(
          "assumption: trust moves over seasons, not days; form: trust follows satisfaction "
          "(Van Ryzin 2007, Public Performance & Management Review 30(4); Kampen, Van de "
          "Walle & Bouckaert 2006, PPMR 29(4))");
  s.field("belonging_days", &WellbeingSpec::belonging_days)
      .def(90.0)
      .range(1, 10000)
      .unit("days")
      .doc(
          "Time constant of belonging's exponential smoothing towards its level from ties and "
          "participation.")
      .source("assumption: belonging changes over a season of ties and meetings");
  s.field("tie_weight", &WellbeingSpec::tie_weight)
      .def(0.3)
      .range(0, 1)
      .doc(
          "Weight of the resident's ties in belonging: B* = (1 - tie_weight - "
          "participation_weight) x baseline + tie_weight x tie score + participation_weight x "
          "participation.")
      .source(
          "assumption: the weight; form: membership and shared emotional connection (McMillan "
          "& Chavis 1986, J. Community Psychology 14(1))");
  s.field("tie_scale", &WellbeingSpec::tie_scale)
      .def(0.5)
      .range(0.01, 100)
      .doc(
          "Summed tie strength at which the tie score reaches one half: score = sum / (sum + "
          "tie_scale).")
      .source("assumption: one tie of middling strength gives half of what ties can give");
  s.field("participation_weight", &WellbeingSpec::participation_weight)
      .def(0.2)
      .range(0, 1)
      .doc("Weight of recent participation (councils, activities) in belonging.")
      .source(
          "assumption: the weight; form: influence through taking part (McMillan & Chavis "
          "1986)");
  s.field("participation_gain", &WellbeingSpec::participation_gain)
      .def(0.3)
      .range(0, 1)
      .doc("Share of the way to 1 that one attendance takes a resident's participation.")
      .source("assumption: three or four attendances a season make a participant");
  s.field("participation_days", &WellbeingSpec::participation_days)
      .def(90.0)
      .range(1, 10000)
      .unit("days")
      .doc("Time constant of participation fading without attendance.")
      .source("assumption: without attending, a participant drifts out within a season");
  s.field("happiness_gain_weight", &WellbeingSpec::happiness_gain_weight)
      .def(0.4)
      .range(0, 1)
      .doc(
          "Weight of sense of gain in happiness's composite (bottom-up: happiness is a "
          "weighted mean of the domains and the baseline).")
      .source(
          "assumption: the weight; form: bottom-up theories of subjective well-being (Diener "
          "1984, Psychological Bulletin 95(3))");
  s.field("happiness_security_weight", &WellbeingSpec::happiness_security_weight)
      .def(0.3)
      .range(0, 1)
      .doc("Weight of security in happiness's composite.")
      .source("assumption: the weight; form: bottom-up (Diener 1984)");
  s.field("happiness_belonging_weight", &WellbeingSpec::happiness_belonging_weight)
      .def(0.3)
      .range(0, 1)
      .doc("Weight of belonging in happiness's composite.")
      .source("assumption: the weight; form: bottom-up (Diener 1984)");
  s.field("hidden_decay", &WellbeingSpec::hidden_decay)
      .def(0.003)
      .range(0, 1)
      .unit("per day")
      .doc(
          "Daily loss of happiness while a resident's need stays hidden (living with an unmet "
          "need; the organisation's service is not judged on what it does not know).")
      .source("assumption: no source measures the daily cost of an unmet need");
  s.field("safety_loss", &WellbeingSpec::safety_loss)
      .def(0.08)
      .range(0, 1)
      .doc(
          "Loss of security when a safety_hazard need arises; its fix gives it back, never above "
          "the baseline.")
      .source("assumption: no seed figure on how much one hazard frightens");
}

}  // namespace commsim::scenario
