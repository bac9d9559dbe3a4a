// The validation layer (sim/scenario/validation.cpp and the loader): every finding of the
// hardening review is a ScenarioError naming the file, the line, the key path and a suggestion,
// raised while loading, before any work. Names that cross sections come back resolved to
// indices in the Scenario.

#include <gtest/gtest.h>

#include <string>

#include "scenario/scenario_errors.hpp"
#include "sim/scenario/loader.hpp"
#include "support/test_support.hpp"

namespace commsim::scenario {
namespace {

using test::TempDir;
using test::write_file;

bool has(const ScenarioError& e, const std::string& part) {
  return std::string(e.what()).find(part) != std::string::npos;
}

// ---- Names that cross sections ---------------------------------------------------------------

TEST(CrossSection, UnknownNeedTypeInCaseworkTypes) {
  const auto e = error_of(
      "casework:\n  types:\n    - {name: elderly_care, mean_hours: 1}\n"
      "    - {name: sanitatoin, mean_hours: 1}\n");
  EXPECT_EQ(e.key_path(), "casework.types[1].name");
  EXPECT_EQ(e.where().line, 4);
  EXPECT_TRUE(has(e, "s.yaml:4:")) << e.what();
  EXPECT_TRUE(has(e, "unknown need type 'sanitatoin'")) << e.what();
  EXPECT_EQ(e.hint(), "did you mean 'sanitation'?");
}

TEST(CrossSection, UnknownNeedTypeInVolunteerTaskTypes) {
  const auto e = error_of(
      "volunteers:\n  teams:\n    - name: care\n      members: 10\n"
      "      task_types: [elderly_care, parkin]\n");
  EXPECT_EQ(e.key_path(), "volunteers.teams[0].task_types[1]");
  EXPECT_EQ(e.where().line, 5);
  EXPECT_EQ(e.hint(), "did you mean 'parking'?");
}

TEST(CrossSection, UnknownGroupInStaffingLanguagesListsTheGroups) {
  const auto e = error_of("staffing:\n  languages:\n    - {group: Uyghur, share: 0.5}\n");
  EXPECT_EQ(e.key_path(), "staffing.languages[0].group");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_TRUE(has(e, "unknown group 'Uyghur'")) << e.what();
  EXPECT_TRUE(has(e, "Han, Hui, Manchu, Mongol, Tibetan")) << e.what();
}

// The default staffing.languages names Hui, Mongol and Tibetan: a scenario with other groups
// hears about it at its own community.groups, with what to set.
TEST(CrossSection, ADefaultNamingAGroupTheScenarioRemovedIsReportedAtTheGroups) {
  const auto e = error_of("run: {days: 3}\ncommunity:\n  groups:\n    - {name: A, share: 1}\n");
  EXPECT_EQ(e.key_path(), "staffing.languages[0].group");
  EXPECT_EQ(e.where().line, 4);
  EXPECT_TRUE(has(e, "s.yaml:4:")) << e.what();
  EXPECT_TRUE(has(e, "the default names group 'Hui', which community.groups (A) does not have"))
      << e.what();
  EXPECT_EQ(e.hint(), "set staffing.languages for this scenario's community.groups");
}

TEST(CrossSection, AnOverrideIsCheckedLikeTheFile) {
  const auto e = error_of("", {"casework.types[0].name=nobody"});
  EXPECT_EQ(e.key_path(), "casework.types[0].name");
  EXPECT_TRUE(has(e, "--set casework.types[0].name=nobody")) << e.what();
}

TEST(CrossSection, NamesAreResolvedToIndices) {
  const auto s = load_scenario_text(
                     "community:\n  groups:\n    - {name: A, share: 0.5}\n"
                     "    - {name: B, share: 0.5}\n"
                     "staffing:\n  languages: [{group: B, share: 0.3}]\n"
                     "volunteers:\n  teams: [{name: t, members: 1, task_types: [parking, "
                     "sanitation]}]\n"
                     "casework:\n  types: [{name: policy_question, mean_hours: 1}]\n",
                     "s.yaml")
                     .scenario;
  EXPECT_EQ(s.staffing.languages.at(0).group_index, 1u);
  EXPECT_EQ(s.volunteers.teams.at(0).task_need_types, (std::vector<std::uint16_t>{4, 1}));
  EXPECT_EQ(s.casework.types.at(0).need_type, 8u);
}

// ---- Names given twice ------------------------------------------------------------------------

TEST(Duplicates, CaseworkTypes) {
  const auto e = error_of(
      "casework:\n  types:\n    - {name: parking, mean_hours: 1}\n"
      "    - {name: parking, mean_hours: 2}\n");
  EXPECT_EQ(e.key_path(), "casework.types[1].name");
  EXPECT_EQ(e.where().line, 4);
  EXPECT_TRUE(has(e, "'parking' given twice")) << e.what();
}

TEST(Duplicates, StaffingLanguages) {
  const auto e = error_of(
      "staffing:\n  languages:\n    - {group: Hui, share: 0.5}\n    - {group: Hui, share: 0.2}\n");
  EXPECT_EQ(e.key_path(), "staffing.languages[1].group");
  EXPECT_EQ(e.where().line, 4);
}

TEST(Duplicates, VolunteerTeams) {
  const auto e = error_of(
      "volunteers:\n  teams:\n    - {name: patrol, members: 1}\n    - {name: patrol, members: "
      "2}\n");
  EXPECT_EQ(e.key_path(), "volunteers.teams[1].name");
  EXPECT_EQ(e.where().line, 4);
}

// ---- Hours budgets ----------------------------------------------------------------------------

TEST(HoursBudget, FullTimeFixedHoursExceedTheDay) {
  const auto e = error_of("", {"staffing.patrol_hours=24"});
  EXPECT_EQ(e.key_path(), "staffing.patrol_hours");
  EXPECT_TRUE(has(e, "24 h + 3 h + 0.033 h = 27.033 h")) << e.what();
  EXPECT_TRUE(has(e, "staffing.hours_per_day = 8 h")) << e.what();
}

// The two settings that made Casework::serve loop for ever (issue #14): a part-time day longer
// than twice the full-time day.
TEST(HoursBudget, PartTimeDayLongerThanTheFullTimeDay) {
  const auto a = error_of("", {"staffing.part_time_hours=17", "staffing.part_time_patrol_share=0"});
  EXPECT_EQ(a.key_path(), "staffing.part_time_hours");
  EXPECT_TRUE(has(a, "--set staffing.part_time_hours=17")) << a.what();
  const auto b = error_of("", {"staffing.hours_per_day=0.5", "staffing.patrol_hours=0",
                               "staffing.paperwork_hours=0", "staffing.training_hours=0"});
  EXPECT_EQ(b.key_path(), "staffing.part_time_hours");
  // The same day with part-time hours inside it is valid.
  EXPECT_NO_THROW(load_scenario_text(
      "", "s.yaml",
      {"staffing.hours_per_day=0.5", "staffing.patrol_hours=0", "staffing.paperwork_hours=0",
       "staffing.training_hours=0", "staffing.part_time_hours=0.5"}));
}

// ---- Paths ------------------------------------------------------------------------------------

TEST(Paths, ExtendsANameTooLongForTheFileSystem) {
  const auto e = error_of("run: {days: 3}\nextends: " + std::string(300, 'a') + ".yaml\n");
  EXPECT_EQ(e.key_path(), "extends");
  EXPECT_EQ(e.where().line, 2);
  EXPECT_TRUE(has(e, "File name too long")) << e.what();
}

TEST(Paths, AFolderIsNotAScenario) {
  TempDir dir;
  try {
    load_scenario(dir.path());
    ADD_FAILURE() << "a folder loaded as a scenario";
  } catch (const ScenarioError& e) {
    EXPECT_TRUE(has(e, "is a folder")) << e.what();
  }
  write_file(dir / "a.yaml", "extends: .\n");
  try {
    load_scenario(dir / "a.yaml");
    ADD_FAILURE() << "a folder loaded as a base";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.key_path(), "extends");
    EXPECT_TRUE(has(e, "is a folder")) << e.what();
  }
}

TEST(Paths, SetCannotChangeExtends) {
  const auto e = error_of("", {"extends=other.yaml"});
  EXPECT_EQ(e.key_path(), "extends");
  EXPECT_TRUE(has(e, "--set extends=other.yaml")) << e.what();
  EXPECT_TRUE(has(e, "write `extends: BASE.yaml` in the scenario file")) << e.what();
}

// ---- Numbers ----------------------------------------------------------------------------------

TEST(Numbers, AHugeListIndexInSetIsOutOfRange) {
  const auto e = error_of("", {"community.groups[99999999999999999999].share=1"});
  EXPECT_EQ(e.key_path(), "community.groups[99999999999999999999]");
  EXPECT_TRUE(has(e, "index out of range")) << e.what();
}

// A key whose -1 means "derived from other keys" takes -1 or its range, not another value below
// it: -0.5 was read as -1 without a word.
TEST(Numbers, AMinusOneSentinelIsTheOnlyValueBelowTheRange) {
  const std::vector<std::pair<std::string, std::string>> keys = {
      {"community.groups[1].low_income_share", "-1 or [0, 1]"},
      {"embedding.initial_vacancy", "-1 or [0, 0.9]"},
      {"casework.community_capacity_hours", "-1 or [0, 10000]"},
      {"casework.types[0].cv", "-1 or [0, 10]"}};
  for (const auto& [key, range] : keys) {
    const auto e = error_of("", {key + "=-0.5"});
    EXPECT_EQ(e.key_path(), key);
    EXPECT_TRUE(has(e, "expected a number in " + range + ", got '-0.5'")) << e.what();
    for (const char* v : {"-1", "0", "0.3"})
      EXPECT_NO_THROW(load_scenario_text("", "s.yaml", {key + "=" + v})) << key << "=" << v;
  }
}

TEST(Numbers, TheSeedsPrintedMaximumIsAccepted) {
  const auto s = load_scenario_text("", "s.yaml", {"run.seed=9e15"}).scenario;
  EXPECT_EQ(s.run.seed, 9'000'000'000'000'000u);
  EXPECT_EQ(error_of("", {"run.seed=9.1e15"}).key_path(), "run.seed");
}

TEST(Numbers, HexadecimalAndOtherNonDecimalTextIsRejected) {
  for (const char* v : {"0x10", "inf", "nan", "1e400", "5 days", "0x1p4", "1_000"}) {
    const auto e = error_of("", {std::string("run.days=") + v});
    EXPECT_EQ(e.key_path(), "run.days") << v;
  }
  for (const char* v : {"0x1p-2", "nan"}) {
    const auto e = error_of("", {std::string("wellbeing.initial=") + v});
    EXPECT_EQ(e.key_path(), "wellbeing.initial") << v;
  }
  const auto s = load_scenario_text("", "s.yaml", {"run.days=1e2", "wellbeing.initial=+.25"});
  EXPECT_EQ(s.scenario.run.days, 100);
  EXPECT_EQ(s.scenario.wellbeing.initial, 0.25);
}

// ---- Lists: each element has a scalar key's range --------------------------------------------

// Every list of numbers, an element out of its range, and the range it must be in.
struct ListCase {
  std::string key;
  std::string value;  // a whole list, its index 1 (or 0) out of range
  std::size_t bad;    // the index that is out of range
  std::string range;
};

const std::vector<ListCase> kListCases = {
    {"community.household_size_weights", "[0.3, -0.1, 0.2]", 1, "[0, 1e+06]"},
    {"needs.types[0].severity_weights", "[0.6, 0.3, -1]", 2, "[0, 1e+06]"},
    {"reporting.severity_multipliers", "[1, 2, 400]", 2, "[0, 100]"},
    {"casework.on_the_spot", "[1.9, 0.75, 0.5]", 0, "[0, 1]"},
    {"casework.whistle_delay_days", "[10, -5, 1]", 1, "[0, 365]"},
    {"casework.whistle_delay_sigma_by_kind", "[0.5, 6, 0.5]", 1, "[0, 5]"},
    {"casework.department_response_by_kind", "[0.3, 1.5, 0.3]", 1, "[0, 1]"},
};

TEST(Lists, AnElementOutOfRangeIsAnErrorAtItsIndexInTheFile) {
  for (const auto& c : kListCases) {
    // The key written as nested mappings in the file, its list on line 3 or 4.
    const auto dot = c.key.find('.');
    const std::string section = c.key.substr(0, dot), rest = c.key.substr(dot + 1);
    std::string text;
    int line = 0;
    if (rest.find('[') == std::string::npos) {
      text = "run: {days: 3}\n" + section + ":\n  " + rest + ": " + c.value + "\n";
      line = 3;
    } else {  // needs.types[0].severity_weights: the first need type written out
      text =
          "run: {days: 3}\nneeds:\n  types:\n    - {name: elderly_care, scope: resident, "
          "rate: 1, severity_weights: " +
          c.value + "}\n";
      line = 4;
    }
    const auto e = error_of(text);
    const std::string path = c.key + "[" + std::to_string(c.bad) + "]";
    EXPECT_EQ(e.key_path(), path) << c.key << ": " << e.what();
    EXPECT_EQ(e.where().line, line) << c.key;
    EXPECT_TRUE(has(e, "s.yaml:" + std::to_string(line) + ":")) << e.what();
    EXPECT_TRUE(has(e, "expected a number in " + c.range)) << e.what();
  }
}

TEST(Lists, AnElementOutOfRangeIsAnErrorThroughSetToo) {
  for (const auto& c : kListCases) {
    // A whole list through --set, and the one element by its index.
    const auto whole = error_of("", {c.key + "=" + c.value});
    EXPECT_EQ(whole.key_path(), c.key + "[" + std::to_string(c.bad) + "]") << whole.what();
    EXPECT_TRUE(has(whole, "--set " + c.key + "=")) << whole.what();
    // One element by its index (a list empty by default is given whole first).
    const std::string bad = c.range == "[0, 1]" ? "1.01" : "-0.01";
    std::vector<std::string> sets;
    if (c.key.find("_by_kind") != std::string::npos) sets.push_back(c.key + "=[0, 0, 0]");
    sets.push_back(c.key + "." + std::to_string(c.bad) + "=" + bad);
    const auto one = error_of("", sets);
    EXPECT_EQ(one.key_path(), c.key + "[" + std::to_string(c.bad) + "]") << one.what();
    EXPECT_TRUE(has(one, "expected a number in " + c.range + ", got '" + bad + "'")) << one.what();
  }
  // Not a number at all is the same error.
  EXPECT_EQ(error_of("", {"casework.on_the_spot.2=half"}).key_path(), "casework.on_the_spot[2]");
}

TEST(Lists, TheEndsOfTheRangeAreAccepted) {
  const auto s = load_scenario_text("", "s.yaml",
                                    {"casework.on_the_spot=[0, 1, 1]",
                                     "casework.department_response_by_kind=[0, 1, 1]",
                                     "casework.whistle_delay_sigma_by_kind=[0, 5, 5]"})
                     .scenario;
  EXPECT_EQ(s.casework.on_the_spot, (std::vector<double>{0, 1, 1}));
  EXPECT_EQ(s.casework.whistle_delay_sigma_by_kind, (std::vector<double>{0, 5, 5}));
}

// A group's own age structure, household sizes and newcomer share (community.groups[]).
TEST(CrossSection, AGroupsOwnInputsAreCheckedAgainstTheCommunity) {
  const std::string groups =
      "community:\n  groups:\n    - {name: A, share: 0.5}\n"
      "    - {name: B, share: 0.5, ";
  auto e = error_of(groups + "age_band_shares: [0.5, 0.5]}\nstaffing: {languages: []}\n");
  EXPECT_EQ(e.key_path(), "community.groups[1].age_band_shares");
  EXPECT_EQ(e.where().line, 4);
  EXPECT_NE(std::string(e.what()).find("has 2 shares for 4 age bands"), std::string::npos)
      << e.what();
  // Through --set, the error is the argument's.
  e = error_of("", {"community.groups.2.age_band_shares=[0.5, 0.5]"});
  EXPECT_EQ(*e.where().file, "--set community.groups.2.age_band_shares=[0.5, 0.5]");
  e = error_of(groups + "age_band_shares: [0.5, 0.5, 0.5, 0]}\nstaffing: {languages: []}\n");
  EXPECT_EQ(e.key_path(), "community.groups[1].age_band_shares");
  EXPECT_EQ(e.where().line, 4);
  e = error_of(groups + "household_size_weights: [0, 0]}\nstaffing: {languages: []}\n");
  EXPECT_EQ(e.key_path(), "community.groups[1].household_size_weights");
  e = error_of(groups + "newcomer_share: 0.9}\nstaffing: {languages: []}\n");
  EXPECT_EQ(e.key_path(), "community.groups[1].newcomer_share");
  EXPECT_EQ(e.where().line, 4);
  EXPECT_NE(std::string(e.what()).find("newcomer shares (-1: the share) must sum to 1, they sum "
                                       "to 1.4"),
            std::string::npos)
      << e.what();
  EXPECT_NO_THROW(load_scenario_text(groups + "newcomer_share: 0.9}\nstaffing: {languages: []}\n",
                                     "s.yaml", {"community.groups.0.newcomer_share=0.1"}));
}

}  // namespace
}  // namespace commsim::scenario
