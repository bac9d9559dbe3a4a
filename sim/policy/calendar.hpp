#pragma once
// Council and activity calendars, selectable by name (`councils.calendar`,
// `activities.events[].calendar`). The model calendar: day 0 is 1 January of a non-leap year,
// every year has 365 days with the usual month lengths, and day 0's weekday is
// `run.start_weekday`. "Days with a 4" therefore fall on real dates (4th, 14th, 24th).
//
// Adding a calendar = one rule function + one line in the table in calendar.cpp + one test.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/types.hpp"
#include "sim/policy/registry.hpp"

namespace commsim::policy {

struct Date {
  int weekday = 0;       // 0 = Monday
  int month = 1;         // 1..12
  int day_of_month = 1;  // 1..31
  int day_of_year = 0;   // 0..364
};

Date date_of(Day d, std::int64_t start_weekday);

// What a calendar rule may read besides the date.
struct CalendarParams {
  int weekday = 2;        // weekly meetings
  int day_of_month = 15;  // monthly meetings, yearly events (with month)
  int month = 1;          // yearly events; the consultation month
};

using CalendarRule = bool (*)(const CalendarParams&, const Date&);

// The registered calendar rules, in the order of the table in calendar.cpp.
enum class Calendar : std::uint8_t {
  None,
  Daily,
  Weekly,
  DaysWith4,
  Monthly,
  ConsultationMonth,
  Yearly
};

struct NamedCalendar {
  Calendar id;
  std::string_view name;
  CalendarRule fn;
  std::string_view doc;
};

std::span<const NamedCalendar> calendars();
CalendarRule calendar_rule(Calendar id);  // the rule registered under `id`
// The rule registered under `name`; throws std::invalid_argument for an unknown name.
CalendarRule find_calendar(std::string_view name);
// (name, id) pairs for the scenario schema's choice().
std::vector<std::pair<std::string, Calendar>> calendar_choices();

}  // namespace commsim::policy
