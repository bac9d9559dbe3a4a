#include "sim/scenario/validation.hpp"

#include <algorithm>
#include <set>

#include "sim/scenario/loader.hpp"
#include "sim/scenario/schema.hpp"

namespace commsim::scenario {

namespace {

// The node at a key path of the resolved tree (the deepest one present, so an error always has
// a place).
const Node& node_at(const Node& root, const std::string& key_path) {
  const Node* cur = &root;
  for (const auto& part : split_path(key_path)) {
    const Node* next = nullptr;
    if (cur->is_sequence() && is_index(part)) {
      const auto i = std::stoul(part);  // our own paths: short indices
      if (i < cur->items.size()) next = &cur->items[i];
    } else if (cur->is_mapping()) {
      next = cur->find(part);
    }
    if (!next) break;
    cur = next;
  }
  return *cur;
}

std::string item(const std::string& list, std::size_t i) {
  return list + "[" + std::to_string(i) + "]";
}

class Checker {
 public:
  explicit Checker(const Node& root) : root_(root) {}

  [[noreturn]] void fail(const std::string& key_path, const std::string& problem,
                         const std::string& hint = {}) const {
    throw ScenarioError(node_at(root_, key_path).where, key_path, problem, hint);
  }

  // The index of `name` among `names` (the list at `names_path`), else an error at `key_path`
  // naming the close one. A name the scenario did not write (a default, such as the default
  // staffing.languages after community.groups was changed) is reported at the list it must
  // come from, since that is what the user wrote.
  std::size_t index_of(const std::string& name, const std::vector<std::string>& names,
                       const std::string& key_path, const std::string& names_path,
                       const std::string& what) const {
    const auto it = std::find(names.begin(), names.end(), name);
    if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
    const std::string close = closest_name(name, names);
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    const Node& at = node_at(root_, key_path);
    if (at.where.file && at.where.file->rfind("<default", 0) == 0)
      throw ScenarioError(
          node_at(root_, names_path).where, key_path,
          "the default names " + what + " '" + name + "', which " + names_path + " (" + known +
              ") does not have",
          "set " + key_path.substr(0, key_path.find('[')) + " for this scenario's " + names_path);
    fail(key_path, "unknown " + what + " '" + name + "'",
         close.empty() ? "expected one of: " + known : "did you mean '" + close + "'?");
  }

  // Whether the value at `key_path` is a schema default (not written by the scenario).
  bool is_default(const std::string& key_path) const {
    const Node& at = node_at(root_, key_path);
    return at.where.file && at.where.file->rfind("<default", 0) == 0;
  }

  // An error at the second entry whose name is already taken.
  template <class T, class Name>
  void unique(const std::vector<T>& list, const std::string& list_path, const std::string& key,
              const std::string& what, Name name) const {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i)
      if (!seen.insert(name(list[i])).second)
        fail(item(list_path, i) + "." + key, what + " '" + name(list[i]) + "' given twice",
             "each " + what + " may appear once in " + list_path);
  }

 private:
  const Node& root_;
};

std::string hours(double h) {
  return format_number(h) + " h";
}

}  // namespace

void check_across_sections(Scenario& s, const Node& resolved) {
  const Checker c(resolved);
  std::vector<std::string> need_types, groups;
  for (const auto& t : s.needs.types) need_types.push_back(t.name);
  for (const auto& g : s.community.groups) groups.push_back(g.name);

  auto& service = s.casework.types;
  c.unique(service, "casework.types", "name", "need type",
           [](const ServiceTypeSpec& t) { return t.name; });
  for (std::size_t i = 0; i < service.size(); ++i)
    service[i].need_type = static_cast<std::uint16_t>(
        c.index_of(service[i].name, need_types, item("casework.types", i) + ".name", "needs.types",
                   "need type"));

  auto& teams = s.volunteers.teams;
  c.unique(teams, "volunteers.teams", "name", "team",
           [](const VolunteerTeamSpec& t) { return t.name; });
  for (std::size_t i = 0; i < teams.size(); ++i) {
    auto& team = teams[i];
    const std::string path = item("volunteers.teams", i) + ".task_types";
    team.task_need_types.clear();
    for (std::size_t j = 0; j < team.task_types.size(); ++j) {
      const auto t = static_cast<std::uint16_t>(
          c.index_of(team.task_types[j], need_types, item(path, j), "needs.types", "need type"));
      if (std::find(team.task_need_types.begin(), team.task_need_types.end(), t) !=
          team.task_need_types.end())
        c.fail(item(path, j), "need type '" + team.task_types[j] + "' given twice");
      team.task_need_types.push_back(t);
    }
  }

  // An activity run by a volunteer team. A default event naming a team this scenario's
  // volunteers.teams lacks (volunteers: {teams: []}, say) is never held: nobody runs it.
  std::vector<std::string> team_names;
  for (const auto& t : teams) team_names.push_back(t.name);
  auto& events = s.activities.events;
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto& e = events[i];
    const std::string path = item("activities.events", i) + ".team";
    if (e.team.empty()) {
      e.team_index = kNoActivityTeam;
    } else if (std::find(team_names.begin(), team_names.end(), e.team) == team_names.end() &&
               c.is_default(path)) {
      e.team_index = kAbsentActivityTeam;
    } else {
      e.team_index = static_cast<std::int64_t>(
          c.index_of(e.team, team_names, path, "volunteers.teams", "volunteer team"));
    }
  }

  auto& languages = s.staffing.languages;
  c.unique(languages, "staffing.languages", "group", "group",
           [](const LanguageSpec& l) { return l.group; });
  for (std::size_t i = 0; i < languages.size(); ++i)
    languages[i].group_index = static_cast<std::uint32_t>(
        c.index_of(languages[i].group, groups, item("staffing.languages", i) + ".group",
                   "community.groups", "group"));

  // Each staff kind's day: a full-time worker's patrol, paperwork and training leave casework
  // hours >= 0; a part-time worker works no longer than a full-time one.
  const auto& st = s.staffing;
  const double fixed = st.patrol_hours + st.paperwork_hours + st.training_hours;
  if (fixed > st.hours_per_day) {
    const char* largest = st.patrol_hours >= std::max(st.paperwork_hours, st.training_hours)
                              ? "patrol_hours"
                          : st.paperwork_hours >= st.training_hours ? "paperwork_hours"
                                                                    : "training_hours";
    c.fail(std::string("staffing.") + largest,
           "patrol, paperwork and training hours (" + hours(st.patrol_hours) + " + " +
               hours(st.paperwork_hours) + " + " + hours(st.training_hours) + " = " + hours(fixed) +
               ") exceed a full-time worker's day (staffing.hours_per_day = " +
               hours(st.hours_per_day) + ")",
           "lower them or raise staffing.hours_per_day");
  }
  if (st.part_time_hours > st.hours_per_day)
    c.fail("staffing.part_time_hours",
           "a part-time worker's day (" + hours(st.part_time_hours) +
               ") is longer than a full-time worker's (staffing.hours_per_day = " +
               hours(st.hours_per_day) + ")",
           "at most staffing.hours_per_day");
}

}  // namespace commsim::scenario
