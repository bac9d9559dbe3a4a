// The scenario reference: every key, its type, default, unit, range, meaning and source.
// Sources in brackets are the reports listed at the top of docs/model.md: [001] Huairen,
// [002] Ningxia, [003] Jinhuayuan (Wuzhong, Ningxia), [004] Guangxi/Kashgar/Zhejiang.

#include <numeric>
#include <set>

#include "sim/scenario/scenario_schema.hpp"

#include "sim/scenario/loader.hpp"
#include "sim/scenario/schema_casework.hpp"
#include "sim/scenario/schema_consultation.hpp"

namespace commsim::scenario {

namespace {

void describe_run(ObjectSchema<RunSpec>& s) {
  s.field("days", &RunSpec::days)
      .def(365)
      .range(1, 36500)
      .unit("days")
      .doc("Number of recorded days (day 0 to days - 1), after the burn-in.")
      .source("setting: length of the simulated period, chosen per study");
  s.field("burn_in_days", &RunSpec::burn_in_days)
      .def(0)
      .range(0, 36500)
      .unit("days")
      .doc(
          "Days simulated before day 0 and not recorded (days -burn_in_days to -1), so the "
          "recorded days start from the model's steady state, not from its arbitrary initial "
          "state. Every count of orders over the run counts the needs that arose on day 0 or "
          "later only (the run's cohort); states (open orders, well-being, ties) carry over. "
          "Default 0: how long a community takes to settle depends on it; the baseline sets 730 "
          "(docs/model.md section 1.3).")
      .source(
          "setting: length of the unrecorded start, chosen per scenario from its settling time "
          "(scenarios/baseline.yaml: derived from the baseline's measured settling, docs/model.md "
          "1.3)");
  s.field("seed", &RunSpec::seed)
      .def(1)
      .range(0, 9.0e15)
      .doc("Seed of every random stream; the same scenario and seed give identical results.")
      .source("setting: the replication's seed, no property of the community");
  s.field("start_weekday", &RunSpec::start_weekday)
      .def(0)
      .range(0, 6)
      .doc("Weekday of day 0 (0 = Monday); calendars such as a weekly council use it.")
      .source("setting: calendar alignment of day 0");
}

void describe_output(ObjectSchema<OutputSpec>& s) {
  s.field("work_order_events", &OutputSpec::work_order_events)
      .def(false)
      .doc(
          "Write the per-need table /events/work_orders (one row per need: type, grid, group, "
          "days arisen, reported and resolved, channel, level, handler; see docs/output.md). Off "
          "by default: a year of the baseline adds about ten thousand rows.")
      .source("setting: optional output; the model is the same either way");
}

void describe_group(ObjectSchema<GroupSpec>& s) {
  s.field("name", &GroupSpec::name)
      .doc("Name of the ethnic group, used in every output label.")
      .source("setting: a label; [003] names Han, Hui, Manchu, Mongol and Tibetan residents");
  s.field("share", &GroupSpec::share)
      .range(0, 1)
      .unit("share of households")
      .doc("Share of households of this group; the shares must sum to 1.")
      .source(
          "assumption: [003] gives only the total (minorities about 45% of residents); the split "
          "among Hui, Manchu, Mongol and Tibetan is not in the seeds");
  s.field("low_proficiency", &GroupSpec::low_proficiency)
      .def(0.0)
      .range(0, 1)
      .unit("share")
      .doc(
          "Share of the group's residents (below the elderly age) with low proficiency in the "
          "common language.")
      .source(
          "assumption: no seed gives proficiency by group; highest for Tibetan and Mongol "
          "residents, whom [004]'s language classes serve");
  s.field("digital_access_multiplier", &GroupSpec::digital_access_multiplier)
      .def(1.0)
      .range(0, 100)
      .doc(
          "The group's residents can use the app with their age band's digital_access times this "
          "(at most 1), in the first households and in the households that move in later. 1: as "
          "everyone of their age; the upper bound only catches typing errors (any multiplier "
          "above 1 / the smallest band's digital_access gives the whole group the app).")
      .source(
          "assumption: no seed gives smartphone use by group; 1 (no difference) in the baseline, "
          "so the groups differ there only by proficiency");
  s.field("low_income_share", &GroupSpec::low_income_share)
      .def(-1.0)
      .range(0, 1)
      .or_value(-1)
      .unit("share of households")
      .doc(
          "Share of the group's households with low income, in the first households and in those "
          "that move in later; -1: community.low_income_share.")
      .source(
          "assumption: no seed gives income by group; -1 (the community's share) in the "
          "baseline");
  s.list("age_band_shares", &GroupSpec::age_band_shares)
      .def_yaml("[]")
      .range(0, 32)
      .each(0, 1)
      .unit("share of residents")
      .doc(
          "The group's own age structure: the share of its residents in each band of "
          "community.age_bands (one per band, summing to 1), for the first households (heads "
          "from the bands that reach adult_age, as for everyone); empty: the community's "
          "age_bands[].share. Through the age bands it moves the group's elderly and child "
          "needs, its app use and its volunteers.")
      .source(
          "assumption: no seed gives age by group; empty (the community's structure) in the "
          "baseline");
  s.list("household_size_weights", &GroupSpec::household_size_weights)
      .def_yaml("[]")
      .range(0, 12)
      .each(0, 1e6)
      .unit("relative weight")
      .doc(
          "The group's own household sizes, as community.household_size_weights (entry i: i + 1 "
          "members); empty: the community's. Larger households have more members per household "
          "need and more ties at home.")
      .source(
          "assumption: no seed gives household size by group; empty (the community's sizes) in "
          "the baseline");
  s.field("newcomer_share", &GroupSpec::newcomer_share)
      .def(-1.0)
      .range(0, 1)
      .or_value(-1)
      .unit("share of households moving in")
      .doc(
          "The group's share of the households that move in (embedding.move_in_rate), which start "
          "without ties and at wellbeing.initial; -1: its share. The groups' values must then sum "
          "to 1 (with -1 read as the share).")
      .source(
          "assumption: no seed gives migration by group; -1 (newcomers in the community's "
          "composition) in the baseline");

  s.check([](const GroupSpec& g, const CheckContext& ctx) {
    const auto& shares = g.age_band_shares;
    const double sum = std::accumulate(shares.begin(), shares.end(), 0.0);
    if (!shares.empty() && std::abs(sum - 1.0) > 1e-6)
      ctx.fail("age_band_shares", "the shares must sum to 1, they sum to " + format_number(sum));
    const auto& w = g.household_size_weights;
    if (!w.empty() && std::accumulate(w.begin(), w.end(), 0.0) <= 0)
      ctx.fail("household_size_weights", "at least one weight must be positive");
  });
}

void describe_age_band(ObjectSchema<AgeBand>& s) {
  s.field("name", &AgeBand::name).doc("Label of the band.").source("setting: a label of the band");
  s.field("from", &AgeBand::from)
      .range(0, 120)
      .unit("years")
      .doc("Youngest age in the band.")
      .source("setting: band boundaries (the census's 0-14, 15-59, 60+ split)");
  s.field("to", &AgeBand::to)
      .range(0, 120)
      .unit("years")
      .doc("Oldest age in the band.")
      .source("setting: band boundaries (the census's 0-14, 15-59, 60+ split)");
  s.field("share", &AgeBand::share)
      .range(0, 1)
      .unit("share of residents")
      .doc("Share of residents in the band; the shares must sum to 1.")
      .source(
          "assumption: [003] says only 'many elderly' (老年人口多); 28% aged 60+, above the urban "
          "share of China's 2020 census (~18%)");
  s.field("digital_access", &AgeBand::digital_access)
      .range(0, 1)
      .unit("share")
      .doc("Share of the band able to use a smartphone app (the reporting app, mini-programs).")
      .source("assumption: smartphone use falls with age; no seed gives it by age");
}

void describe_community(ObjectSchema<CommunitySpec>& s) {
  s.field("name", &CommunitySpec::name)
      .def("Jinhuayuan")
      .doc("Name of the community.")
      .source("setting: a label; the baseline's community is [003] Jinhuayuan");
  s.field("register", &CommunitySpec::register_path)
      .def("")
      .doc(
          "A household register (CSV, one row per household; its columns are listed under "
          "'Household register' below) to build the community from, instead of the synthetic "
          "builder; relative to the scenario file that names it. With a register, the "
          "households, their grids, buildings, stairwells, groups and ages are the register's; "
          "community.households is its row count; the group shares and inputs still set who "
          "moves in and the values a register leaves empty. Empty: the synthetic builder.")
      .source(
          "setting: the user's own data; [001] builds a 'data warehouse' so that community data "
          "are 'collected once, used by many' (建立“数据仓”，实现社区数据一次采集、多方使用)");
  s.field("households", &CommunitySpec::households)
      .def(5025)
      .range(1, 10'000'000)
      .unit("households")
      .doc("Households in the community.")
      .source("[003] Jinhuayuan: 5,025 households");
  s.list("household_size_weights", &CommunitySpec::household_size_weights)
      .def_yaml("[0.30, 0.40, 0.18, 0.08, 0.03, 0.01]")
      .range(1, 12)
      .each(0, 1e6)
      .unit("relative weight")
      .doc("Relative frequency of households with 1, 2, 3, ... members (entry i: i + 1 members).")
      .source(
          "chosen so that 5,025 households hold about 10,900 people: [003] 'over 10,000 "
          "residents, many elderly'");
  s.objects("groups", &CommunitySpec::groups, describe_group)
      .def_yaml(R"(
- {name: Han, share: 0.55, low_proficiency: 0.0}
- {name: Hui, share: 0.38, low_proficiency: 0.02}
- {name: Manchu, share: 0.03, low_proficiency: 0.01}
- {name: Mongol, share: 0.02, low_proficiency: 0.10}
- {name: Tibetan, share: 0.02, low_proficiency: 0.25}
)")
      .range(1, 64)
      .doc("Ethnic groups living in the community, any number, named in the scenario.")
      .source(
          "[003] about 45% minorities (Hui, Manchu, Mongol, Tibetan); Hui the largest "
          "minority in Wuzhong, Ningxia");
  s.objects("age_bands", &CommunitySpec::age_bands, describe_age_band)
      .def_yaml(R"(
- {name: children, from: 0, to: 14, share: 0.14, digital_access: 0.30}
- {name: working_age, from: 15, to: 59, share: 0.58, digital_access: 0.92}
- {name: young_old, from: 60, to: 79, share: 0.22, digital_access: 0.45}
- {name: oldest_old, from: 80, to: 99, share: 0.06, digital_access: 0.10}
)")
      .range(1, 32)
      .doc("Age structure of residents, as bands.")
      .source("[003] 'many elderly': 28% aged 60+, above China's 2020 census urban figure (~18%)");
  s.field("elderly_age", &CommunitySpec::elderly_age)
      .def(60)
      .range(40, 100)
      .unit("years")
      .doc(
          "Age from which a resident counts as elderly (elderly-care needs, lower digital "
          "access).")
      .source(
          "[003] the elderly (一老) as a special-needs group; 60 is the elderly age of China's Law "
          "on the Protection of the Rights and Interests of the Elderly 1996");
  s.field("child_age", &CommunitySpec::child_age)
      .def(14)
      .range(0, 30)
      .unit("years")
      .doc("Oldest age counted as a child (the '一小' of '一老一小').")
      .source(
          "[003] children (一小) as a special-needs group; 14 closes the census's 0-14 child band");
  s.field("adult_age", &CommunitySpec::adult_age)
      .def(18)
      .range(0, 40)
      .unit("years")
      .doc("Youngest age of a household's first member (its head).")
      .source("assumption: a household head is an adult; 18 is the age of majority");
  s.field("low_proficiency_elderly_multiplier", &CommunitySpec::low_proficiency_elderly_multiplier)
      .def(3.0)
      .range(0, 100)
      .doc("Low common-language proficiency is this many times more common among the elderly.")
      .source(
          "assumption: [004]'s language classes reach older residents most; the factor 3 is not in "
          "the seeds");
  s.field("low_income_share", &CommunitySpec::low_income_share)
      .def(0.06)
      .range(0, 1)
      .unit("share of households")
      .doc("Share of low-income households.")
      .source(
          "assumption: about the urban share of minimum-living-allowance and near-poor households; "
          "no seed figure");
  s.field("households_per_grid", &CommunitySpec::households_per_grid)
      .def(420)
      .range(20, 5000)
      .unit("households")
      .doc(
          "Target households per grid; the community is split into round(households / target) "
          "grids of near-equal size.")
      .source("[001] 'each grid covers 300-500 households'; [003] 5,025 households in 12 grids");
  s.field("households_per_stairwell", &CommunitySpec::households_per_stairwell)
      .def(12)
      .range(1, 200)
      .unit("households")
      .doc("Households per stairwell (unit): floors x doors.")
      .source("assumption: a six-floor walk-up with two doors a floor; no seed figure");
  s.field("stairwells_per_building", &CommunitySpec::stairwells_per_building)
      .def(3)
      .range(1, 50)
      .unit("stairwells")
      .doc("Stairwells per building.")
      .source("assumption: three stairwells a building (about 36 households); no seed figure");
  s.field("building_age_min", &CommunitySpec::building_age_min)
      .def(5.0)
      .range(0, 200)
      .unit("years")
      .doc("Youngest building age; ages are uniform between min and max.")
      .source(
          "assumption: [003] 'ageing public infrastructure' (公共基础设施老化); the community "
          "dates from 2002, the 5-35 year span is not in the seeds");
  s.field("building_age_max", &CommunitySpec::building_age_max)
      .def(35.0)
      .range(0, 200)
      .unit("years")
      .doc("Oldest building age.")
      .source(
          "assumption: [003] 'ageing public infrastructure' (公共基础设施老化); the community "
          "dates from 2002, the 5-35 year span is not in the seeds");

  s.check([](const CommunitySpec& c, const CheckContext& ctx) {
    const double total = std::accumulate(c.groups.begin(), c.groups.end(), 0.0,
                                         [](double a, const GroupSpec& g) { return a + g.share; });
    if (std::abs(total - 1.0) > 1e-6)
      ctx.fail("groups", "group shares must sum to 1, they sum to " + format_number(total));
    std::set<std::string> names;
    for (const auto& g : c.groups)
      if (!names.insert(g.name).second)
        ctx.fail("groups", "group name '" + g.name + "' given twice");
    const double bands = std::accumulate(c.age_bands.begin(), c.age_bands.end(), 0.0,
                                         [](double a, const AgeBand& b) { return a + b.share; });
    if (std::abs(bands - 1.0) > 1e-6)
      ctx.fail("age_bands", "age band shares must sum to 1, they sum to " + format_number(bands));
    for (const auto& b : c.age_bands)
      if (b.to < b.from) ctx.fail("age_bands", "band '" + b.name + "' ends before it starts");
    if (c.building_age_max < c.building_age_min)
      ctx.fail("building_age_max", "must not be below building_age_min");
    if (std::accumulate(c.household_size_weights.begin(), c.household_size_weights.end(), 0.0) <= 0)
      ctx.fail("household_size_weights", "at least one weight must be positive");
    // Errors at the group's own key (in the file, a base or --set), not at the list.
    const auto group_key = [&](std::size_t g, const char* key) {
      const Node* groups = ctx.node().find("groups");
      const Node* value = groups && g < groups->items.size() ? groups->items[g].find(key) : nullptr;
      return std::pair{value ? value->where : ctx.node().where,
                       ctx.path() + ".groups[" + std::to_string(g) + "]." + key};
    };
    double newcomers = 0;
    std::size_t first_set = c.groups.size();
    for (std::size_t g = 0; g < c.groups.size(); ++g) {
      const auto& shares = c.groups[g].age_band_shares;
      if (!shares.empty() && shares.size() != c.age_bands.size()) {
        const auto [where, key] = group_key(g, "age_band_shares");
        throw ScenarioError(where, key,
                            "has " + std::to_string(shares.size()) + " shares for " +
                                std::to_string(c.age_bands.size()) + " age bands",
                            "one share per community.age_bands entry, or [] for the community's");
      }
      newcomers += newcomer_share(c, g);
      if (c.groups[g].newcomer_share >= 0 && first_set == c.groups.size()) first_set = g;
    }
    if (std::abs(newcomers - 1.0) > 1e-6) {
      const auto [where, key] =
          group_key(first_set == c.groups.size() ? 0 : first_set, "newcomer_share");
      throw ScenarioError(
          where, key,
          "the groups' newcomer shares (-1: the share) must sum to 1, they sum to " +
              format_number(newcomers));
    }
  });
}

void describe_need_type(ObjectSchema<NeedType>& s) {
  s.field("name", &NeedType::name)
      .doc("Name of the need type, used in output labels.")
      .source("setting: a label used in outputs");
  s.choice("scope", &NeedType::scope,
           {{"resident", NeedScope::Resident},
            {"household", NeedScope::Household},
            {"stairwell", NeedScope::Stairwell},
            {"building", NeedScope::Building}})
      .def("household")
      .doc(
          "Who a need of this type belongs to: one resident, a household, or shared by a "
          "stairwell or building (shared needs affect every resident there).")
      .source(
          "[003] shared problems of a building or compound (parking, broken sewers, dangling "
          "cables) beside a household's own");
  s.choice("who", &NeedType::who,
           {{"any", NeedWho::Any},
            {"elderly", NeedWho::Elderly},
            {"child", NeedWho::Child},
            {"low_income", NeedWho::LowIncome}})
      .def("any")
      .doc(
          "Which units are exposed: all, or only those with an elderly resident, a child, or low "
          "income (for resident scope: the resident themself).")
      .source(
          "[003] special-needs groups: the elderly and children (一老一小), low-income households");
  s.field("rate", &NeedType::rate)
      .range(0, 365)
      .unit("per exposed unit per year")
      .doc("Base rate at which needs of this type arise.")
      .source(
          "assumption: no seed gives how often needs arise; the defaults set the volume of work, "
          "compared in docs/model.md §3.18");
  s.field("elderly_multiplier", &NeedType::elderly_multiplier)
      .def(1.0)
      .range(0, 100)
      .doc("Rate multiplier for units with an elderly resident.")
      .source("assumption: no seed gives needs by age");
  s.field("low_income_multiplier", &NeedType::low_income_multiplier)
      .def(1.0)
      .range(0, 100)
      .doc("Rate multiplier for low-income households.")
      .source(
          "assumption: low-income households ask more about policy (allowances); no seed figure");
  s.field("building_age_growth", &NeedType::building_age_growth)
      .def(0.0)
      .range(0, 10)
      .unit("per decade")
      .doc("The rate is multiplied by (1 + growth) for each decade of the building's age.")
      .source(
          "assumption: [003] ageing infrastructure raises repairs; the growth per decade is not in "
          "the seeds");
  s.list("severity_weights", &NeedType::severity_weights)
      .def_yaml("[0.6, 0.3, 0.1]")
      .range(3, 3)
      .each(0, 1e6)
      .doc("Relative frequency of minor, moderate and serious needs.")
      .source(
          "assumption: most needs are 'general problems' settled on the spot ([001]); the weights "
          "are not in the seeds");
  s.check([](const NeedType& t, const CheckContext& ctx) {
    // Each weight's range is the schema's (.each); here their sum.
    if (std::accumulate(t.severity_weights.begin(), t.severity_weights.end(), 0.0) <= 0)
      ctx.fail("severity_weights", "at least one weight must be positive");
  });
}

void describe_needs(ObjectSchema<NeedsSpec>& s) {
  s.objects("types", &NeedsSpec::types, describe_need_type)
      .def_yaml(R"(
- {name: neighbour_dispute, scope: household, rate: 0.30, severity_weights: [0.7, 0.25, 0.05]}
- {name: sanitation, scope: stairwell, rate: 2.0, severity_weights: [0.7, 0.25, 0.05]}
- {name: travel_safety, scope: building, rate: 0.5, severity_weights: [0.4, 0.4, 0.2]}
- {name: housing_repair, scope: household, rate: 0.25, building_age_growth: 0.3, severity_weights: [0.5, 0.35, 0.15]}
- {name: parking, scope: building, rate: 1.0, severity_weights: [0.7, 0.25, 0.05]}
- {name: elderly_care, scope: resident, who: elderly, rate: 1.0, severity_weights: [0.5, 0.35, 0.15]}
- {name: facility_repair, scope: building, rate: 2.0, building_age_growth: 0.2, severity_weights: [0.6, 0.3, 0.1]}
- {name: safety_hazard, scope: building, rate: 0.4, building_age_growth: 0.3, severity_weights: [0.3, 0.4, 0.3]}
- {name: policy_question, scope: household, rate: 0.5, low_income_multiplier: 2.0, severity_weights: [0.8, 0.15, 0.05]}
)")
      .range(1, 64)
      .doc("Types of need or problem that arise, with their rates.")
      .source(
          "[002] the types: neighbour disputes, sanitation, travel safety, leaking roofs, "
          "parking, elderly care, broken lights and chargers, safety hazards, policy questions");
  s.check([](const NeedsSpec& n, const CheckContext& ctx) {
    std::set<std::string> names;
    for (const auto& t : n.types)
      if (!names.insert(t.name).second) ctx.fail("types", "need type '" + t.name + "' given twice");
  });
}

SchemaNode build_schema() {
  SchemaNode root;
  root.type = ValueType::Object;
  root.description = "A commsim scenario.";
  ObjectSchema<Scenario> s(root);
  s.field("extends", &Scenario::extends)
      .def("")
      .doc(
          "Path of a base scenario (relative to this file) whose keys this file overrides; "
          "chains are allowed.")
      .source("setting: how scenario files compose, no model parameter");
  s.object("run", &Scenario::run, "How long to simulate and with which seed.", describe_run);
  s.object("community", &Scenario::community,
           "Who lives in the community and how it is divided into grids, buildings and stairwells.",
           describe_community);
  s.object("needs", &Scenario::needs, "Needs and problems that arise for residents.",
           describe_needs);
  s.object("councils", &Scenario::councils, "Consultation councils.", describe_councils);
  s.object("topics", &Scenario::topics, "From shared problems to implemented fixes.",
           describe_topics);
  s.object("deliberation", &Scenario::deliberation, "Opinion dynamics and decisions at councils.",
           describe_deliberation);
  s.object("activities", &Scenario::activities,
           "Festivals, meals, cultural events, language classes, home visits.",
           describe_activities);
  s.object("contact", &Scenario::contact, "Social ties and inter-group attitudes.",
           describe_contact);
  s.object("embedding", &Scenario::embedding, "Moves in, out and within the community.",
           describe_embedding);
  s.object("reporting", &Scenario::reporting, "How hidden needs are reported.", describe_reporting);
  s.object("staffing", &Scenario::staffing, "Grid workers and their hours.", describe_staffing);
  s.object("organisation", &Scenario::organisation, "Levels of the organisation.",
           describe_organisation);
  s.object("volunteers", &Scenario::volunteers, "Volunteer teams.", describe_volunteers);
  s.object("casework", &Scenario::casework, "Work orders: queues, service, escalation.",
           describe_casework);
  s.object("wellbeing", &Scenario::wellbeing, "Residents' well-being.", describe_wellbeing);
  s.object("output", &Scenario::output, "Optional output besides the time series and summaries.",
           describe_output);
  return root;
}

}  // namespace

const SchemaNode& scenario_schema() {
  static const SchemaNode root = build_schema();
  return root;
}

const SchemaNode& schema_at(const std::string& key_path, const Location& where) {
  const SchemaNode* s = &scenario_schema();
  std::string walked;
  for (const auto& part : split_path(key_path)) {
    if (s->type == ValueType::List) {
      if (!is_index(part))
        throw ScenarioError(where, key_path, "'" + walked + "' is a list: expected an index");
      s = s->element.get();
    } else if (s->type == ValueType::Object) {
      const SchemaNode* next = s->field(part);
      if (!next) {
        std::vector<std::string> names;
        for (const auto& f : s->fields) names.push_back(f->key);
        const std::string close = closest_name(part, names);
        throw ScenarioError(
            where, key_path,
            "no scenario key '" + part + "'" + (walked.empty() ? "" : " in '" + walked + "'"),
            close.empty() ? "" : "did you mean '" + close + "'?");
      }
      s = next;
    } else {
      throw ScenarioError(where, key_path, "'" + walked + "' is a single value");
    }
    walked += (walked.empty() ? "" : ".") + part;
  }
  return *s;
}

}  // namespace commsim::scenario
