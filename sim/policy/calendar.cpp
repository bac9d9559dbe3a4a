#include "sim/policy/calendar.hpp"

namespace commsim::policy {

namespace {

constexpr int kMonthDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

bool none(const CalendarParams&, const Date&) {
  return false;
}
bool daily(const CalendarParams&, const Date&) {
  return true;
}
// Xiamen's Wednesday council "周三解南" [001]: weekday = 2.
bool weekly(const CalendarParams& p, const Date& d) {
  return d.weekday == p.weekday;
}
// Guangxi's "逢四说事" [004]: the 4th, 14th and 24th of every month.
bool days_with_4(const CalendarParams&, const Date& d) {
  return d.day_of_month % 10 == 4;
}
bool monthly(const CalendarParams& p, const Date& d) {
  return d.day_of_month == p.day_of_month;
}
// Ningxia's "democratic consultation month" [002]: the monthly meeting all year, plus a weekly
// meeting throughout the consultation month.
bool consultation_month(const CalendarParams& p, const Date& d) {
  return monthly(p, d) || (d.month == p.month && d.weekday == p.weekday);
}
bool yearly(const CalendarParams& p, const Date& d) {
  return d.month == p.month && d.day_of_month == p.day_of_month;
}

constexpr NamedCalendar kCalendars[] = {
    {Calendar::None, "none", none, "never"},
    {Calendar::Daily, "daily", daily, "every day"},
    {Calendar::Weekly, "weekly", weekly,
     "every week on `weekday` (Xiamen's Wednesday council [001])"},
    {Calendar::DaysWith4, "days_with_4", days_with_4,
     "the 4th, 14th and 24th of each month ([004] 逢四说事)"},
    {Calendar::Monthly, "monthly", monthly, "once a month on `day_of_month`"},
    {Calendar::ConsultationMonth, "consultation_month", consultation_month,
     "monthly, plus every `weekday` of the consultation month ([002])"},
    {Calendar::Yearly, "yearly", yearly, "once a year on `day_of_month` of `month`"},
};
static_assert(ids_in_order(kCalendars));

}  // namespace

Date date_of(Day d, std::int64_t start_weekday) {
  Date out;
  // Burn-in days are negative (run.burn_in_days): day -1 is the day before day 0.
  out.weekday = static_cast<int>(((d.value + start_weekday) % 7 + 7) % 7);
  out.day_of_year = (d.value % 365 + 365) % 365;
  int rest = out.day_of_year;
  int m = 0;
  while (rest >= kMonthDays[m]) rest -= kMonthDays[m++];
  out.month = m + 1;
  out.day_of_month = rest + 1;
  return out;
}

std::span<const NamedCalendar> calendars() {
  return kCalendars;
}
CalendarRule calendar_rule(Calendar id) {
  return policy_fn(calendars(), id);
}

CalendarRule find_calendar(std::string_view name) {
  return find_policy(calendars(), name, "calendar");
}

std::vector<std::pair<std::string, Calendar>> calendar_choices() {
  return policy_options(calendars());
}

}  // namespace commsim::policy
