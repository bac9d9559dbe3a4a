// Model II scenario sections: consultation councils, the topic pipeline, deliberation,
// activities and contact, residential embedding. Sources: [001] Huairen (and Xiamen's Wednesday
// council), [002] Ningxia, [003] Jinhuayuan, [004] Guangxi/Kashgar/Zhejiang; theory sources are
// named where a parameter's meaning comes from a model in the literature.

#include "sim/scenario/schema_consultation.hpp"

#include <set>

#include "sim/policy/calendar.hpp"
#include "sim/policy/housing_allocation.hpp"
#include "sim/policy/seat_selection.hpp"
#include "sim/policy/topic_selection.hpp"

namespace commsim::scenario {

void describe_councils(ObjectSchema<CouncilsSpec>& s) {
  s.choice("calendar", &CouncilsSpec::calendar, policy::calendar_choices())
      .def("weekly")
      .doc(
          "When councils meet (policy): weekly on `weekday`, days_with_4 (4th, 14th, 24th), "
          "monthly on `day_of_month`, consultation_month (monthly plus weekly in "
          "`consultation_month`), yearly, daily or none. Model calendar: day 0 is 1 January of "
          "a 365-day year.")
      .source(
          "[001] Xiamen's Wednesday council 周三解南; [004] Guangxi 逢四说事; [002] democratic "
          "consultation month");
  s.field("weekday", &CouncilsSpec::weekday)
      .def(2)
      .range(0, 6)
      .doc("Weekday of weekly meetings (0 = Monday; 2 = Wednesday).")
      .source("[001] 周三解南: the Wednesday council");
  s.field("day_of_month", &CouncilsSpec::day_of_month)
      .def(15)
      .range(1, 28)
      .doc("Day of the month of monthly meetings.")
      .source("assumption: mid-month when monthly; no seed gives the day");
  s.field("consultation_month", &CouncilsSpec::consultation_month)
      .def(9)
      .range(1, 12)
      .doc("Month with a meeting every `weekday` (calendar consultation_month).")
      .source("[002] 'democratic consultation month'");
  s.choice("level", &CouncilsSpec::level,
           {{"community", CouncilLevel::Community}, {"grid", CouncilLevel::Grid}})
      .def("community")
      .doc("One council for the community, or one per grid (each deliberating its grid's topics).")
      .source(
          "[001] councils in the grid (网格协商议事) and community-wide ones; the baseline's "
          "community council is a choice of the scenario");
  s.field("seats", &CouncilsSpec::seats)
      .def(15)
      .range(1, 1e7)
      .unit("residents")
      .doc("Seats on a council (not used by the `open` seat rule).")
      .source("assumption: 15 seats; no seed gives a council's size");
  s.choice("seat_selection", &CouncilsSpec::seat_selection,
           policy::policy_options(policy::seat_rules()))
      .def("proportional_min_one")
      .doc(
          "How seats are filled each meeting (policy): random, proportional (to the groups' "
          "shares), proportional_min_one (a seat for every group, the rest proportional), "
          "stewards_first (most engaged first), open (attendance by trust and interest).")
      .source("[001] ethnic-unity councils seat every group");
  s.field("seat_attendance", &CouncilsSpec::seat_attendance)
      .def(0.85)
      .range(0, 1)
      .unit("probability")
      .doc("Probability that a seated member attends a meeting.")
      .source("assumption: seated members mostly attend; no seed figure");
  s.field("open_attendance", &CouncilsSpec::open_attendance)
      .def(0.004)
      .range(0, 1)
      .unit("probability")
      .doc(
          "Open councils: probability an eligible resident attends, at trust 0.5 and interest 1 "
          "(scaled by 2 x trust x interest).")
      .source("assumption: few residents come to an open council; no seed figure");
  s.field("trust_gain", &CouncilsSpec::trust_gain)
      .def(0.02)
      .range(0, 1)
      .doc(
          "Trust in the community organisation gained per meeting attended (capped at 1); "
          "belonging from attending goes through wellbeing.participation_gain.")
      .source("assumption: taking part raises trust in the organisation; no seed figure");
  s.field("ties_per_participant", &CouncilsSpec::ties_per_participant)
      .def(2)
      .range(0, 100)
      .doc("Contacts each participant makes with other participants per meeting.")
      .source("assumption: a meeting makes a couple of contacts each; no seed figure");
  s.field("contact_quality", &CouncilsSpec::contact_quality)
      .def(0.9)
      .range(0, 1)
      .doc(
          "Quality of contact at a council (Allport: equal status, common goal, cooperation, "
          "support of the organisation - all largely met).")
      .source(
          "Allport 1954: equal status, common goal, cooperation and support of authorities, "
          "largely met at a council (the value 0.9 is a judgement)");
}

void describe_topics(ObjectSchema<TopicsSpec>& s) {
  s.choice("selection", &TopicsSpec::selection, policy::policy_options(policy::topic_orders()))
      .def("most_raised")
      .doc("Which candidate topics go on the agenda (policy): most_raised, most_severe, oldest.")
      .source("[001] 居民点题、专人议题、社区解题: residents raise the topic");
  s.field("per_meeting", &TopicsSpec::per_meeting)
      .def(3)
      .range(0, 100)
      .unit("topics")
      .doc("Agenda capacity: topics deliberated per meeting.")
      .source("assumption: three topics a meeting; no seed figure");
  s.field("implementation_days", &TopicsSpec::implementation_days)
      .def(30)
      .range(0.01, 3650)
      .unit("days")
      .doc("Mean delay (exponential) from funding a topic to its implementation.")
      .source(
          "assumption: a month from funding to fix; [002]'s sewer pipe fixed in two days is a "
          "department's repair, not a council's project");
  s.field("cost_median", &TopicsSpec::cost_median)
      .def(4000)
      .range(0, 1e9)
      .unit("yuan")
      .doc("Median cost of implementing a topic (lognormal).")
      .source("[003] over 400,000 yuan for 90+ livelihood projects: ~4,400 yuan each");
  s.field("cost_log_sd", &TopicsSpec::cost_log_sd)
      .def(0.6)
      .range(0, 5)
      .doc("Standard deviation of the log cost.")
      .source("assumption: project costs vary about twofold; no seed figure");
  s.field("community_budget_per_year", &TopicsSpec::community_budget_per_year)
      .def(60000)
      .range(0, 1e10)
      .unit("yuan per year")
      .doc("Community budget for council decisions, accruing daily; spent first.")
      .source("assumption: no seed gives the community's own budget");
  s.field("co_building_per_year", &TopicsSpec::co_building_per_year)
      .def(100000)
      .range(0, 1e10)
      .unit("yuan per year")
      .doc("Funds of the co-building units, accruing daily; pay topics and micro-wishes.")
      .source("[003] 13 co-building units, over 400,000 yuan (over about four years)");
  s.field("micro_wish_rate", &TopicsSpec::micro_wish_rate)
      .def(0.014)
      .range(0, 10)
      .unit("per household per year")
      .doc("Rate at which households voice a micro-wish (微心愿).")
      .source("[003] 280+ micro-wishes fulfilled for 5,025 households (about four years)");
  s.field("micro_wish_cost", &TopicsSpec::micro_wish_cost)
      .def(300)
      .range(0, 1e6)
      .unit("yuan")
      .doc("Cost of a micro-wish to the co-building units.")
      .source("assumption: a micro-wish is a small gift or service; no seed gives its cost");
  s.field("fix_lifetime_days", &TopicsSpec::fix_lifetime_days)
      .def(365)
      .range(0, 36500)
      .unit("days")
      .doc(
          "How long an implemented council fix lowers the rate of its need type at its place "
          "(the stairwell or building); after it the rate returns to the type's own.")
      .source(
          "assumption: a repair, new markings or a rule agreed at a council hold for about a "
          "year before wear or new residents bring the problem back");
  s.field("fix_rate_reduction", &TopicsSpec::fix_rate_reduction)
      .def(0.7)
      .range(0, 1)
      .unit("share")
      .doc(
          "Share of the need type's arrival rate at the fixed place taken off while the fix "
          "lasts (1: the problem cannot recur there until the fix expires).")
      .source(
          "assumption: a fix removes the cause most of the time; some recurrences have other "
          "causes than the one fixed");
}

void describe_deliberation(ObjectSchema<DeliberationSpec>& s) {
  s.choice("model", &DeliberationSpec::model,
           {{"deffuant", OpinionModel::Deffuant},
            {"hegselmann_krause", OpinionModel::HegselmannKrause}})
      .def("deffuant")
      .doc("Bounded-confidence opinion dynamics of the participants.")
      .source("Deffuant et al. 2000; Hegselmann & Krause 2002");
  s.field("confidence", &DeliberationSpec::confidence)
      .def(0.3)
      .range(0, 1)
      .doc("Confidence bound epsilon: participants influence each other only within it.")
      .source(
          "assumption: Deffuant et al. 2000's confidence bound; 0.3 leaves one or two opinion "
          "clusters (about 1 / (2 x bound))");
  s.field("convergence", &DeliberationSpec::convergence)
      .def(0.5)
      .range(0, 0.5)
      .doc("Deffuant's mu: the fraction of the gap each side moves.")
      .source(
          "Deffuant et al. 2000: mu in (0, 0.5] changes only how fast opinions converge; 0.5 the "
          "fastest");
  s.field("rounds", &DeliberationSpec::rounds)
      .def(10)
      .range(0, 100000)
      .doc("Rounds of discussion per topic (Deffuant: n/2 pair encounters per round).")
      .source("assumption: ten rounds of discussion a topic; no seed figure");
  s.choice("decision_rule", &DeliberationSpec::decision_rule,
           {{"majority", DecisionRule::Majority},
            {"qualified_majority", DecisionRule::QualifiedMajority},
            {"consensus", DecisionRule::Consensus}})
      .def("majority")
      .doc(
          "How a decision is reached: a majority agreeing (> 0.5), a qualified majority "
          "(>= qualified_share) or consensus (>= consensus_share).")
      .source("assumption: a majority decides; no seed says how councils decide");
  s.field("qualified_share", &DeliberationSpec::qualified_share)
      .def(0.6667)
      .range(0.5, 1)
      .doc("Share agreeing needed under qualified_majority.")
      .source("setting: the threshold of the qualified_majority rule (two thirds)");
  s.field("consensus_share", &DeliberationSpec::consensus_share)
      .def(0.9)
      .range(0.5, 1)
      .doc("Share agreeing needed under consensus.")
      .source("setting: the threshold of the consensus rule");
  s.field("affected_support", &DeliberationSpec::affected_support)
      .def(0.25)
      .range(0, 1)
      .doc(
          "Initial opinions are uniform on [0, 1]; participants living where the problem is get "
          "this much more support (capped at 1).")
      .source("assumption: residents where the problem is support fixing it more; no seed figure");
  s.field("severity_support", &DeliberationSpec::severity_support)
      .def(0.05)
      .range(0, 1)
      .doc("Extra initial support per severity level of the problem (0 minor .. 2 serious).")
      .source("assumption: worse problems get more support; no seed figure");
}

namespace {
void describe_activity(ObjectSchema<ActivitySpec>& s) {
  s.field("name", &ActivitySpec::name)
      .doc("Name of the activity, used in output labels.")
      .source("setting: a label used in outputs");
  s.choice("kind", &ActivitySpec::kind,
           {{"festival", ActivityKind::Festival},
            {"shared_meal", ActivityKind::SharedMeal},
            {"cultural", ActivityKind::Cultural},
            {"language_class", ActivityKind::LanguageClass},
            {"home_visit", ActivityKind::HomeVisit}})
      .def("festival")
      .doc("Kind of activity; `activities.festivals` overrides the calendar of every festival.")
      .source(
          "[003] neighbour festivals, hundred-family feasts, cultural shows, volunteers' home "
          "visits; [004] language classes");
  s.choice("calendar", &ActivitySpec::calendar, policy::calendar_choices())
      .def("yearly")
      .doc("When it takes place (the council calendar policies).")
      .source(
          "[003] the neighbour festival (邻居节) is yearly; other calendars are the scenario's");
  s.field("weekday", &ActivitySpec::weekday)
      .def(5)
      .range(0, 6)
      .doc("Weekday (weekly).")
      .source("setting: the day of a weekly event");
  s.field("day_of_month", &ActivitySpec::day_of_month)
      .def(1)
      .range(1, 28)
      .doc("Day of the month (monthly, yearly).")
      .source("setting: the day of a monthly or yearly event");
  s.field("month", &ActivitySpec::month)
      .def(1)
      .range(1, 12)
      .doc("Month (yearly).")
      .source("setting: the month of a yearly event");
  s.choice("who", &ActivitySpec::who,
           {{"any", ActivityWho::Any},
            {"adults", ActivityWho::Adults},
            {"elderly", ActivityWho::Elderly},
            {"low_proficiency", ActivityWho::LowProficiency}})
      .def("any")
      .doc("Who may attend (low_proficiency: common-language proficiency below 0.5).")
      .source(
          "[003] activities for the elderly; [004] language classes for those with low "
          "proficiency");
  s.field("attendance", &ActivitySpec::attendance)
      .def(0.1)
      .range(0, 1)
      .unit("probability")
      .doc(
          "Probability an eligible resident attends at interest 1 and trust 0.5; scaled by "
          "interest, 2 x trust and (working age) activities.working_age_time.")
      .source("assumption: no seed gives attendance shares");
  s.field("capacity", &ActivitySpec::capacity)
      .def(1000)
      .range(0, 1e7)
      .doc("Places.")
      .source("assumption: no seed gives places");
  s.field("contacts_per_attendee", &ActivitySpec::contacts_per_attendee)
      .def(3)
      .range(0, 100)
      .doc("Contacts each attendee makes.")
      .source("assumption: no seed gives contacts per event");
  s.choice("partners", &ActivitySpec::partners,
           {{"attendees", ActivityPartners::Attendees}, {"anyone", ActivityPartners::Anyone}})
      .def("attendees")
      .doc("Whom attendees meet: other attendees, or any adult resident (a visiting volunteer).")
      .source("setting: whom attendees meet, set by the kind of event");
  s.field("equal_status", &ActivitySpec::equal_status)
      .def(0.5)
      .range(0, 1)
      .doc("Allport condition: equal status in the contact situation.")
      .source(
          "Allport 1954; Pettigrew & Tropp 2006: the conditions of contact; the values per event "
          "are judgements");
  s.field("common_goal", &ActivitySpec::common_goal)
      .def(0.5)
      .range(0, 1)
      .doc("Allport condition: a common goal.")
      .source(
          "Allport 1954; Pettigrew & Tropp 2006: the conditions of contact; the values per event "
          "are judgements");
  s.field("cooperation", &ActivitySpec::cooperation)
      .def(0.5)
      .range(0, 1)
      .doc("Allport condition: intergroup cooperation.")
      .source(
          "Allport 1954; Pettigrew & Tropp 2006: the conditions of contact; the values per event "
          "are judgements");
  s.field("institutional_support", &ActivitySpec::institutional_support)
      .def(0.5)
      .range(0, 1)
      .doc("Allport condition: support of the authorities (the community organisation).")
      .source(
          "Allport 1954; Pettigrew & Tropp 2006: the conditions of contact; the values per event "
          "are judgements");
  s.field("proficiency_gain", &ActivitySpec::proficiency_gain)
      .def(0.0)
      .range(0, 1)
      .doc("Share of the gap to full common-language proficiency closed per attendance.")
      .source(
          "assumption: [004] Zhejiang trains about 1,000 people a year in the common language; the "
          "gain per class is not in the seeds");
  s.field("trust_gain", &ActivitySpec::trust_gain)
      .def(0.0)
      .range(0, 1)
      .doc("Trust gained per attendance.")
      .source("assumption: no seed figure");
  s.field("belonging_gain", &ActivitySpec::belonging_gain)
      .def(0.0)
      .range(0, 1)
      .doc("Belonging gained per attendance.")
      .source("assumption: no seed figure");
  s.field("team", &ActivitySpec::team)
      .def("")
      .doc(
          "The volunteer team that runs it (a volunteers.teams name), or empty for the community "
          "organisation. An event run by a team is held on its calendar days only while the team "
          "has members; a default event naming a team the scenario's volunteers.teams lacks is "
          "never held.")
      .source(
          "[003] 通过“兰花大妈”志愿者带头开展“流动式＋示范式”的志愿服务宣讲 (the 'Orchid Aunties' "
          "volunteers lead roving and model propaganda talks); 组建“五朵金花”宣讲队 (the 'Five "
          "Golden Flowers' propaganda team); "
          "组织开展“迎新春民族团结文艺汇演”…等精彩纷呈的主题文化活动 "
          "(New Year ethnic-unity shows and other cultural events)");
}
}  // namespace

void describe_activities(ObjectSchema<ActivitiesSpec>& s) {
  s.objects("events", &ActivitiesSpec::events, describe_activity)
      .def_yaml(R"(
- {name: neighbour_festival, kind: festival, calendar: yearly, month: 9, day_of_month: 20, attendance: 0.15, capacity: 3000, contacts_per_attendee: 4, equal_status: 0.7, common_goal: 0.6, cooperation: 0.7, institutional_support: 0.9, trust_gain: 0.01, belonging_gain: 0.03}
- {name: hundred_family_feast, kind: shared_meal, calendar: yearly, month: 2, day_of_month: 5, attendance: 0.08, capacity: 1000, contacts_per_attendee: 4, equal_status: 0.8, common_goal: 0.6, cooperation: 0.8, institutional_support: 0.8, trust_gain: 0.01, belonging_gain: 0.03}
- {name: cultural_event, kind: cultural, calendar: monthly, day_of_month: 20, attendance: 0.01, capacity: 300, contacts_per_attendee: 2, equal_status: 0.6, common_goal: 0.4, cooperation: 0.5, institutional_support: 0.8, belonging_gain: 0.01, team: culture}
- {name: propaganda_talk, kind: cultural, calendar: weekly, weekday: 3, attendance: 0.005, capacity: 100, contacts_per_attendee: 2, equal_status: 0.6, common_goal: 0.5, cooperation: 0.4, institutional_support: 0.9, belonging_gain: 0.01, team: propaganda}
- {name: language_class, kind: language_class, calendar: weekly, weekday: 5, who: low_proficiency, attendance: 0.5, capacity: 20, contacts_per_attendee: 1, equal_status: 0.7, common_goal: 0.8, cooperation: 0.6, institutional_support: 0.9, proficiency_gain: 0.02, trust_gain: 0.01}
- {name: home_visit, kind: home_visit, calendar: weekly, weekday: 1, who: elderly, attendance: 0.03, capacity: 60, contacts_per_attendee: 1, partners: anyone, equal_status: 0.5, common_goal: 0.5, cooperation: 0.6, institutional_support: 0.9, trust_gain: 0.01, belonging_gain: 0.01, team: elder_care}
)")
      .range(0, 64)
      .doc("Scheduled activities.")
      .source(
          "[003] 20 annual neighbour festivals, hundred-family feasts, 7 volunteer teams with "
          "home visits, propaganda talks and cultural shows (the cultural event and the weekly "
          "talk are the culture and propaganda teams'; their calendars are not in the seeds); "
          "[004] "
          "Zhejiang trains ~1,000 people a year in the common language");
  std::vector<std::pair<std::string, std::optional<policy::Calendar>>> festivals = {
      {"as_scheduled", std::nullopt}};
  for (const auto& [name, id] : policy::calendar_choices()) festivals.emplace_back(name, id);
  s.choice("festivals", &ActivitiesSpec::festivals, festivals)
      .def("as_scheduled")
      .doc(
          "Policy lever: a calendar for every event of kind festival (none, monthly, ...), or "
          "as_scheduled to keep each one's own.")
      .source("[003] the neighbour festival is yearly");
  s.field("working_age_time", &ActivitiesSpec::working_age_time)
      .def(0.6)
      .range(0, 1)
      .doc("Attendance multiplier for working-age residents (less free time).")
      .source("assumption: working-age residents have less free time; no seed figure");
  s.field("interest_spread", &ActivitiesSpec::interest_spread)
      .def(0.5)
      .range(0, 1)
      .doc("Residents' interest in community life is uniform on 1 +/- this.")
      .source("assumption: residents differ in interest in community life; no seed figure");
  s.check([](const ActivitiesSpec& a, const CheckContext& ctx) {
    std::set<std::string> seen;
    for (const auto& e : a.events)
      if (!seen.insert(e.name).second) ctx.fail("events", "activity '" + e.name + "' given twice");
  });
}

void describe_contact(ObjectSchema<ContactSpec>& s) {
  s.field("neighbour_contact_rate", &ContactSpec::neighbour_contact_rate)
      .def(0.1)
      .range(0, 1)
      .unit("per resident per day")
      .doc("Probability a resident meets a neighbour on a day.")
      .source("assumption: a resident meets a neighbour about every tenth day; no seed figure");
  s.field("same_stairwell_share", &ContactSpec::same_stairwell_share)
      .def(0.7)
      .range(0, 1)
      .doc("Share of neighbour contacts within the stairwell (else the building).")
      .source("assumption: most casual contact is within the stairwell; no seed figure");
  s.field("neighbour_quality", &ContactSpec::neighbour_quality)
      .def(0.4)
      .range(0, 1)
      .doc("Allport quality of casual contact between neighbours.")
      .source(
          "Allport 1954: casual contact meets the conditions poorly; the value 0.4 is a judgement");
  s.field("neighbour_homophily", &ContactSpec::neighbour_homophily)
      .def(0.5)
      .range(0, 1)
      .doc(
          "Probability that a resident with attitude 0.5 seeks a same-group neighbour for casual "
          "contact (up to 4 tries); it scales with 2 x (1 - attitude), so warmer attitudes mix "
          "more. Organised activities pair attendees at random.")
      .source("McPherson, Smith-Lovin & Cook 2001: homophily in social networks");
  s.field("tie_capacity", &ContactSpec::tie_capacity)
      .def(8)
      .range(0, 64)
      .unit("ties")
      .doc("Most ties a resident holds (slots per resident).")
      .source("Dunbar 1998: a handful of close ties; 8 slots is a judgement");
  s.field("tie_gain", &ContactSpec::tie_gain)
      .def(0.15)
      .range(0, 1)
      .doc("Strength a contact adds to a tie (a new tie starts at it; strength capped at 1).")
      .source("assumption: no seed figure");
  s.field("tie_decay", &ContactSpec::tie_decay)
      .def(0.002)
      .range(0, 1)
      .unit("per day")
      .doc("Strength a tie loses each day.")
      .source("assumption: a tie not renewed fades in about a year; no seed figure");
  s.field("tie_minimum", &ContactSpec::tie_minimum)
      .def(0.05)
      .range(0, 1)
      .doc("A tie weaker than this is lost.")
      .source("assumption: no seed figure");
  s.field("initial_attitude", &ContactSpec::initial_attitude)
      .def(0.5)
      .range(0, 1)
      .doc(
          "Attitude toward other groups (0 hostile, 1 warm) a newcomer brings, and the first "
          "residents' when start_at_equilibrium is false.")
      .source("assumption: newcomers' attitudes start neutral");
  s.field("start_at_equilibrium", &ContactSpec::start_at_equilibrium)
      .def(true)
      .doc(
          "The first residents start at the equilibrium of neighbour contact, where positive and "
          "negative cross-group contacts balance: p g / (p g + (1 - p) l), with p = base_positive "
          "+ (1 - base_positive) x neighbour_quality, g = attitude_gain, l = attitude_loss. They "
          "have lived there for years; starting them at initial_attitude makes the attitude rise "
          "for years from an arbitrary start.")
      .source("derived: the fixed point of the attitude update of a cross-group contact");
  s.field("attitude_gain", &ContactSpec::attitude_gain)
      .def(0.02)
      .range(0, 1)
      .doc("Share of the gap to 1 closed by a positive cross-group contact.")
      .source(
          "assumption: no seed figure; Pettigrew & Tropp 2006 give effects on prejudice of about r "
          "= -0.2 over many contacts");
  s.field("attitude_loss", &ContactSpec::attitude_loss)
      .def(0.02)
      .range(0, 1)
      .doc("Share of the attitude lost by a negative cross-group contact.")
      .source("assumption: a negative contact weighs as much as a positive one; no seed figure");
  s.field("base_positive", &ContactSpec::base_positive)
      .def(0.5)
      .range(0, 1)
      .doc(
          "Probability a cross-group contact is positive at quality 0; it rises linearly to 1 at "
          "quality 1 (Allport's conditions).")
      .source("Pettigrew & Tropp 2006: contact under Allport's conditions reduces prejudice");
}

void describe_embedding(ObjectSchema<EmbeddingSpec>& s) {
  s.field("initial_vacancy", &EmbeddingSpec::initial_vacancy)
      .def(-1)
      .range(0, 0.9)
      .or_value(-1)
      .unit("share of dwellings")
      .doc(
          "Share of dwellings empty at the start; -1 (the default): the equilibrium of moves out "
          "and in, p_out / (p_out + p_in) with p = 1 - exp(-rate / 365) the daily probabilities "
          "of move_out_rate and move_in_rate, so vacancies start where the moves hold them; for a "
          "community from its register (community.register), -1 means none: every household "
          "the register lists lives there.")
      .source("derived: the stationary share of a two-state (occupied, vacant) dwelling chain");
  s.field("move_out_rate", &EmbeddingSpec::move_out_rate)
      .def(0.04)
      .range(0, 365)
      .unit("per household per year")
      .doc("Rate at which households leave the community (migrants, 'new citizens').")
      .source(
          "assumption: about 4% of households move out a year ('new citizens', [001]); no seed "
          "figure");
  s.field("move_in_rate", &EmbeddingSpec::move_in_rate)
      .def(6.0)
      .range(0, 365)
      .unit("per vacant dwelling per year")
      .doc("Rate at which a vacant dwelling is taken by a household from outside.")
      .source("assumption: a vacancy is taken in about two months; no seed figure");
  s.field("relocation_rate", &EmbeddingSpec::relocation_rate)
      .def(0.0)
      .range(0, 100000)
      .unit("per household per year")
      .doc(
          "Rate at which a household reconsiders where it lives; it moves only if the share of "
          "same-group neighbours is below the homophily threshold (Schelling).")
      .source("setting: Schelling relocation off in the baseline (a lever)");
  s.field("homophily_threshold", &EmbeddingSpec::homophily_threshold)
      .def(0.3)
      .range(0, 1)
      .doc("Wanted share of same-group neighbours (Schelling's tolerance).")
      .source("Schelling 1971: sorting emerges already at a wanted share of about 1/3");
  s.choice("allocation", &EmbeddingSpec::allocation,
           policy::policy_options(policy::allocation_rules()))
      .def("free_choice")
      .doc("Who gets which vacancy (policy): free_choice (Schelling) or mixing (Kashgar).")
      .source("[004] Kashgar: housing allocation that embeds groups");
  s.field("search_candidates", &EmbeddingSpec::search_candidates)
      .def(20)
      .range(1, 10000)
      .doc("Vacancies a mover (or the allocation office) considers.")
      .source("assumption: a mover compares about twenty dwellings; no seed figure");
  s.field("doors_per_floor", &EmbeddingSpec::doors_per_floor)
      .def(2)
      .range(1, 20)
      .doc(
          "Dwellings per floor of a stairwell; sets the lattice of dwellings whose Moore "
          "neighbourhood defines neighbours.")
      .source("assumption: two doors a floor, as households_per_stairwell assumes");
}

}  // namespace commsim::scenario
