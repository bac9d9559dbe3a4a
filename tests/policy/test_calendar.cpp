// Calendars: the model calendar maps days to real dates; each rule meets on the documented days.

#include <gtest/gtest.h>

#include "sim/policy/calendar.hpp"

namespace commsim::policy {
namespace {

int meetings(std::string_view name, CalendarParams p, int days = 365, int start_weekday = 0) {
  const CalendarRule rule = find_calendar(name);
  int n = 0;
  for (int d = 0; d < days; ++d) n += rule(p, date_of(Day(d), start_weekday));
  return n;
}

TEST(Calendar, DatesFollowANonLeapYearFromFirstJanuary) {
  EXPECT_EQ(date_of(Day(0), 0).month, 1);
  EXPECT_EQ(date_of(Day(0), 0).day_of_month, 1);
  EXPECT_EQ(date_of(Day(31), 0).month, 2);
  EXPECT_EQ(date_of(Day(59), 0).month, 3);  // 1 March
  EXPECT_EQ(date_of(Day(364), 0).day_of_month, 31);
  EXPECT_EQ(date_of(Day(365), 0).day_of_year, 0);
  EXPECT_EQ(date_of(Day(9), 3).weekday, 5);
}

TEST(Calendar, EachRuleMeetsOnItsDays) {
  const CalendarParams p{2, 15, 9};
  EXPECT_EQ(meetings("none", p), 0);
  EXPECT_EQ(meetings("daily", p), 365);
  EXPECT_EQ(meetings("weekly", p), 52);       // 2 January is the first Wednesday
  EXPECT_EQ(meetings("days_with_4", p), 36);  // 4th, 14th, 24th of 12 months
  EXPECT_EQ(meetings("monthly", p), 12);
  EXPECT_EQ(meetings("yearly", p), 1);
  // Monthly plus the Wednesdays of September (4 in this calendar; the 15th is a Sunday).
  EXPECT_EQ(meetings("consultation_month", p), 12 + 4);
  const CalendarRule weekly = find_calendar("weekly");
  for (int d = 0; d < 60; ++d) {
    if (weekly(p, date_of(Day(d), 0))) {
      EXPECT_EQ(d % 7, 2);
    }
  }
  EXPECT_THROW(find_calendar("fortnightly"), std::invalid_argument);
}

}  // namespace
}  // namespace commsim::policy
