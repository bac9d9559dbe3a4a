#include "sim/model/calibration_summaries.hpp"

#include <cmath>
#include <numeric>

namespace commsim::model {

namespace {

// A Sum series' total over the recorded days, in one cell, and the recorded days in years.
double run_total(const output::Recorder& r, output::MetricId id, std::size_t cell) {
  const auto series = r.series(id);
  const std::size_t cells = r.cells(id);
  double total = 0;
  for (std::size_t k = cell; k < series.size(); k += cells) total += series[k];
  return total;
}
double run_years(const output::Recorder& r, output::MetricId id) {
  return static_cast<double>(r.series(id).size() / r.cells(id)) / 365.0;
}

}  // namespace

void declare_calibration_summaries(output::Recorder& recorder, const CaseworkParts& m,
                                   const population::Population& pop) {
  using output::Combine;
  using output::Reduced;
  const double nan = std::nan(""), grids = pop.grids();
  const auto left = m.orders.left_grid_series(), resolved = m.orders.resolved_series(),
             reported = m.orders.reported_series();
  // A count over the run per grid and year: numerator the count, weight the grid-years.
  const auto per_grid_year = [grids, nan](double count, double years) {
    const double grid_years = grids * years;
    return Reduced{{grid_years > 0 ? count / grid_years : nan}, {grid_years}};
  };

  recorder.add_summary(
      {.name = "orders_left_grid_per_grid_year",
       .unit = "orders/grid-year",
       .description = "Work orders the grid could not settle and passed up to the community "
                      "coordination centre, per grid per year: the orders that leave the grid.",
       .combine = Combine::Ratio,
       .rule = "per_grid_year",
       .source = "work_orders_left_grid"},
      [=](const output::Recorder& r) {
        return per_grid_year(run_total(r, left, 0), run_years(r, left));
      });
  // First whistles: every order whistled is whistled once first, then perhaps again.
  recorder.add_summary(
      {.name = "orders_whistled_per_grid_year",
       .unit = "orders/grid-year",
       .description = "Work orders the community passed up to the subdistrict (first whistles to "
                      "departments, re-whistles not counted again), per grid per year.",
       .combine = Combine::Ratio,
       .rule = "per_grid_year",
       .source = "whistles"},
      [=](const output::Recorder& r) {
        const auto& kinds = m.escalation.whistles_total();
        const double first = std::accumulate(kinds.begin(), kinds.end(), 0.0) -
                             static_cast<double>(m.escalation.rewhistles_total());
        return per_grid_year(first, run_years(r, left));
      });
  // Closed at the community or the subdistrict over those that left the grid, both over the run
  // (a council fix of an order that had left the grid counts as not closed by the chain).
  recorder.add_summary(
      {.name = "closure_left_grid",
       .unit = "share",
       .description = "Work orders closed at the community or the subdistrict / work orders that "
                      "left the grid, over the run: closure measured like Huairen's 95.3%.",
       .combine = Combine::Ratio,
       .rule = "over_run",
       .source = "work_orders_left_grid"},
      [=](const output::Recorder& r) {
        const double n = run_total(r, left, 0);
        const double closed =
            run_total(r, resolved, kLevelCommunity) + run_total(r, resolved, kLevelSubdistrict);
        return Reduced{{n > 0 ? closed / n : nan}, {n}};
      });
  // Households that can use the app: occupied, with at least one resident with digital access
  // (the model's counterpart of a registered household), at the end of the run.
  recorder.add_summary(
      {.name = "app_reports_per_app_household_year",
       .unit = "reports/household-year",
       .description = "Needs reported through the app per year / occupied households with a "
                      "resident who can use it (at the end of the run).",
       .combine = Combine::Ratio,
       .rule = "per_household_year",
       .source = "needs_reported"},
      [=, &pop](const output::Recorder& r) {
        double households = 0;
        for (std::uint32_t h = 0; h < pop.households(); ++h) {
          if (pop.household_vacant[h]) continue;
          const auto members = pop.household_residents(h);
          bool digital = false;
          for (auto i = members.begin; i < members.end && !digital; ++i)
            digital = pop.resident_digital[i] != 0;
          households += digital;
        }
        const double weight = households * run_years(r, reported);
        return Reduced{{weight > 0 ? run_total(r, reported, kApp) / weight : nan}, {weight}};
      });
  recorder.add_summary(
      {.name = "community_workers_per_grid",
       .unit = "workers/grid",
       .description = "Full-time community workers (grid workers and the coordination centre's) "
                      "per grid, at the start.",
       .combine = Combine::Ratio,
       .rule = "at_start"},
      [m, grids, nan](const output::Recorder&) {
        const double workers = m.staff.plan.total_full_time() + m.staff.plan.centre;
        return Reduced{{grids > 0 ? workers / grids : nan}, {grids}};
      });
}

}  // namespace commsim::model
