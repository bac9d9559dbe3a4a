#!/usr/bin/python3
"""Writes the community tables of the shipped region scenarios, reproducibly.

    scripts/make_regions.py           # writes the two CSVs and the generated blocks of the YAMLs
    scripts/make_regions.py --check   # exit 1 if any of those files differs from what it writes

Outputs (paths relative to the repository):
  scenarios/regions/ningxia_urban_communities.csv   664 communities in 50 subdistricts
  scenarios/regions/wuzhong_communities.csv         93 communities (Jinhuayuan and 92 synthetic)
                                                    in 7 subdistricts
  and, in ningxia_urban.yaml and wuzhong.yaml, the lines between "# BEGIN generated" and
  "# END generated" (the subdistricts with their whistle capacity).

Published totals, all from [002] (《喜迎自治区两会 · 哪里来的底气》, a Ningxia daily, 15 January
2025; /work/shared/seeds/002_7f16d7d0b73c08dd.txt):
  "全区共有193个乡镇、50个城市街道、2219个行政村、664个社区。"
  "664个社区划分网格7293个,配备社区工作者7253名"
  "落实“每万城镇常住人口拥有社区工作者18人”规定"
  "吴忠市……将93个社区、499个行政村划分为5009个网格,……配备专兼职网格员6174名"
and from [001] (Huairen, Shanxi): "原则上每个网格覆盖300—500户". docs/model.md's "Regions"
section lists what is taken from them and what is assumed; the comments below say the same at
the line that does it.

How commsim turns the table into workers (sim/model/staff.cpp, plan_staff; hire_staff passes the
residents drawn by the synthetic builder, before the initial vacancies): with staffing.rule
per_10k a community has all = llround(full_time_per_10k x residents / 10000) community workers,
llround(all x grid_share) of them on the grids and the rest at the coordination centre; its
part-time grid workers are llround(part_time_per_grid x grids), not community workers (社区工作者)
and not counted in [002]'s 7,253. Residents are drawn (household sizes are random), so a
community's count is exact only if its expected value sits well inside a rounding interval: each
community's households are chosen as (whole number of workers) x 10000 / (rate x mean household
size), which puts the expected count on the whole number, and the draws' spread (a few hundredths
of a worker) then cannot move it. The rate is one region-level value, so a policy that sets
staffing.full_time_per_10k for the region (e.g. the 18 of [002]'s rule) still reaches every
community.

Random draws come from numpy's legacy RandomState, whose stream numpy keeps unchanged across
versions (Generator's may change), so the tables do not depend on the numpy installed.
"""
from __future__ import annotations

import argparse
import csv
import io
import math
import re
import sys
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "scenarios" / "regions"

# ---- The baseline's values the tables build on (scenarios/baseline.yaml) ----------------------
GROUPS = ["Han", "Hui", "Manchu", "Mongol", "Tibetan"]  # names and order fixed by the baseline
BASE_LOW_PROFICIENCY = [0.00, 0.02, 0.01, 0.10, 0.25]
BASE_AGE_SHARES = [0.14, 0.58, 0.22, 0.06]  # children, working_age, young_old, oldest_old
BASE_DIGITAL = [0.30, 0.92, 0.45, 0.10]
SIZE_WEIGHTS = [0.30, 0.40, 0.18, 0.08, 0.03, 0.01]  # community.household_size_weights
MEAN_HOUSEHOLD = sum((i + 1) * w for i, w in enumerate(SIZE_WEIGHTS)) / sum(SIZE_WEIGHTS)  # 2.17
GRID_SHARE = 0.62  # staffing.grid_share
BASE_PART_TIME_PER_GRID = 0.7
BASE_HOUSEHOLDS = 5025  # Jinhuayuan [003]
# volunteers.teams[].members: patrol, red_steward, elder_care, legal_aid, service, propaganda,
# culture; 410 for Jinhuayuan's 5,025 households ([003] "400余名志愿者")
BASE_TEAMS = [80, 60, 80, 30, 50, 60, 50]

# ---- Published totals ---------------------------------------------------------------------------
NX_COMMUNITIES = 664  # [002] "664个社区"
NX_SUBDISTRICTS = 50  # [002] "50个城市街道"
NX_GRIDS = 7293  # [002] "664个社区划分网格7293个"
NX_WORKERS = 7253  # [002] "配备社区工作者7253名"
WZ_COMMUNITIES = 93  # [002] "将93个社区、499个行政村划分为5009个网格"
WZ_GRIDS_ALL = 5009  # ...of the 93 communities AND the 499 villages together
WZ_GRID_WORKERS_ALL = 6174  # [002] "配备专兼职网格员6174名": full- and part-time, communities and villages
HPG_MIN, HPG_MAX = 300, 500  # [001] "原则上每个网格覆盖300—500户" (Huairen's rule, not Ningxia's)

# ---- Derived region-level staffing --------------------------------------------------------------
# The mean households per grid is an assumption near the low end of [001]'s range (see
# draw_communities); with it the published workers and grids fix the rate:
# 7,253 / (7,293 grids x 320 households x 2.17) x 10000 = 14.32 community workers per 10,000
# residents: urban Ningxia as modelled is below the 18 of [002]'s rule. The YAMLs carry this
# value; build() checks they do.
HPG_MEAN_TARGET = 320
RATE_PER_10K = 14.32
assert abs(NX_WORKERS * 1e4 / (MEAN_HOUSEHOLD * NX_GRIDS * HPG_MEAN_TARGET) - RATE_PER_10K) < 0.005

# ---- Whistle load, measured (see the YAMLs' comment on whistle_capacity) ------------------------
# Whistles (first and re-whistles) a working day per 1,000 households: `commsim run` of 27 rows of
# the Ningxia table (every 25th from C013), each alone with its cells as --set on the region-level
# values, --days 365 after the baseline's 730 burn-in days, seed 20241: 46,110 whistles in 261
# working days for 97,828 households, 1.81 on average, single rows 0.99-2.85. The load rises with
# the share of elderly residents: least squares over the 27 rows gives 0.198 + 12.27 x (share aged
# 60+), R^2 0.79. A capacity from the mean alone left the 4 subdistricts with the oldest residents
# below their load (backlogs growing all year in the region run), so each community's load is
# this line at its own share. The baseline community (18 per 10,000, 28% elderly): 1.33, 1.49,
# 1.34 and 1.76 (seeds 1, 2, 3, 20241), mean 1.48, used for Jinhuayuan's row.
WHISTLE_LOAD_INTERCEPT = 0.198
WHISTLE_LOAD_PER_ELDERLY_SHARE = 12.27
JINHUAYUAN_WHISTLE_LOAD = 1.48
WHISTLE_CAPACITY_MULTIPLE = 1.5  # assumption: departments take up 1.5x the expected load


def llround(x: float) -> int:
    """std::llround of a double: the nearest integer, halves away from zero (on the exact value)."""
    return int(Decimal(x).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def grid_count(households: int, per_grid: int) -> int:
    """scenario::grid_count: round(households / households_per_grid), at least 1."""
    return max(1, llround(households / float(per_grid)))


def expected_workers(households: int, rate: float) -> float:
    return rate * households * MEAN_HOUSEHOLD / 1e4


def split_groups(shares: list[float], n: int) -> list[int]:
    """population.cpp household_groups: floor of share x n, the rest by largest remainder."""
    exact = [s * float(n) for s in shares]
    count = [math.floor(e) for e in exact]
    order = sorted(range(len(shares)), key=lambda g: -(exact[g] - math.floor(exact[g])))
    i = 0
    while sum(count) < n:
        count[order[i % len(order)]] += 1
        i += 1
    return count


def shares_1e4(minor: list[int]) -> list[int]:
    """Shares in ten-thousandths whose first entry takes the rest, so they sum to exactly 1."""
    first = 10000 - sum(minor)
    assert first > 0
    return [first] + minor


def fmt_share(units: int) -> str:
    return f"{units / 1e4:.4f}"


def largest_remainder(raw: np.ndarray, total: int) -> np.ndarray:
    scaled = raw * total / raw.sum()
    out = np.floor(scaled).astype(int)
    for i in np.argsort(-(scaled - out), kind="stable")[: total - out.sum()]:
        out[i] += 1
    return out


@dataclass
class Community:
    name: str
    subdistrict: str
    workers: int  # community workers (full-time: grid + centre) the region's rate gives
    households: int
    per_grid: int
    groups: list[int]  # shares in ten-thousandths
    low_proficiency: list[float]  # groups 1..4
    ages: list[int]  # band shares in ten-thousandths
    digital: list[float]  # bands 1 and 2 (working_age, young_old)
    low_income: float
    building: tuple[float, float]
    teams: list[int]
    extra: dict[str, str] = field(default_factory=dict)  # other columns (Jinhuayuan's staffing)

    @property
    def grids(self) -> int:
        return grid_count(self.households, self.per_grid)


@dataclass
class RegionSpec:
    prefix: str  # community names: prefix + number
    sub_prefix: str
    communities: int
    subdistricts: int
    grids: int
    workers: int
    hui_mean: float  # assumption: mean Hui share of households
    hui_between: float  # concentration of the subdistricts' Hui shares (higher: more alike)
    seed: int


def draw_communities(spec: RegionSpec, rng: np.random.RandomState) -> list[Community]:
    n, s = spec.communities, spec.subdistricts
    # Communities per subdistrict: at least 5, the rest spread unevenly (assumption; [002] gives
    # only the totals).
    per_sub = 5 + rng.multinomial(n - 5 * s, rng.dirichlet(np.full(s, 4.0)))
    sub_of = np.repeat(np.arange(s), per_sub)
    # Subdistrict traits (assumptions): the mean Hui share of its communities (some districts are
    # mainly Hui, some mainly Han) and the mean age of its housing (old town or new district).
    # The Hui shares are the S quantiles of a Beta distribution with mean hui_mean, in random
    # order, so that with few subdistricts the region's share still comes out near hui_mean.
    k = spec.hui_between
    beta = np.sort(rng.beta(spec.hui_mean * k, (1 - spec.hui_mean) * k, size=20000))
    sub_hui = rng.permutation(beta[((np.arange(s) + 0.5) / s * beta.size).astype(int)])
    sub_age = rng.uniform(8.0, 28.0, size=s)

    # Community size in community workers: lognormal (assumption: sizes of a few hundred to
    # about eight thousand households), summing to the region's workers; 3..25 workers, so every
    # community has a centre worker and the draws cannot move its rounded count.
    raw = rng.lognormal(0.0, 0.45, size=n)
    workers = np.clip(largest_remainder(raw, spec.workers), 3, 25)
    while workers.sum() != spec.workers:
        step = 1 if workers.sum() < spec.workers else -1
        room = np.flatnonzero((workers + step >= 3) & (workers + step <= 25))
        workers[rng.choice(room)] += step
    households = [llround(w * 1e4 / (RATE_PER_10K * MEAN_HOUSEHOLD)) for w in workers]

    # Households per grid: 300 + 200 x Beta(1, 9), mean 320, most communities 300-360, a few up
    # to 500 (assumption inside [001]'s 300-500); then grids moved one at a time between
    # communities, keeping each within 300-500, until they total the region's grids.
    target = HPG_MIN + (HPG_MAX - HPG_MIN) * rng.beta(1.0, 9.0, size=n)
    grids = [min(max(llround(h / t), math.ceil(h / HPG_MAX)), h // HPG_MIN)
             for h, t in zip(households, target)]
    while sum(grids) != spec.grids:
        more = sum(grids) < spec.grids
        room = [c for c in range(n)
                if (households[c] / (grids[c] + 1) >= HPG_MIN if more
                    else grids[c] > 1 and households[c] / (grids[c] - 1) <= HPG_MAX)]
        grids[rng.choice(room)] += 1 if more else -1
    per_grid = []
    for h, g in zip(households, grids):
        candidates = [p for p in range(llround(h / g) - 2, llround(h / g) + 3)
                      if grid_count(h, p) == g]
        per_grid.append(min(candidates, key=lambda p: abs(p - h / g)))

    out = []
    for c in range(n):
        sub = sub_of[c]
        # Housing age: the subdistrict's mean +- 5 years; each community's buildings span 6-20
        # years around its own mean (assumption; [003] "ageing infrastructure" only).
        age_mid = float(np.clip(sub_age[sub] + rng.normal(0.0, 5.0), 3.0, 40.0))
        half = rng.uniform(3.0, 10.0)
        building = (round(max(0.0, age_mid - half), 1), round(age_mid + half, 1))
        # Groups (assumption): Hui around the subdistrict's share; Manchu, Mongol and Tibetan
        # small (together about 1% of households), each at least 2.5 households' worth.
        hui = rng.beta(sub_hui[sub] * 30.0, (1.0 - sub_hui[sub]) * 30.0)
        floor = math.ceil(2.5 / households[c] * 1e4)
        minor = [max(floor, llround(1e4 * hui))]
        for mean in (0.005, 0.003, 0.0015):
            minor.append(max(floor, llround(1e4 * mean * rng.lognormal(0.0, 0.5))))
        groups = shares_1e4(minor)
        # Low proficiency (assumption): the baseline's by group, times a community factor
        # (lognormal, sd of the log 0.35: more where more residents are newcomers or elderly).
        factor = rng.lognormal(0.0, 0.35)
        low = [round(min(1.0, b * factor), 4) for b in BASE_LOW_PROFICIENCY[1:]]
        # Age (assumption): older housing, older residents. 60+: 5% + 0.5 points a year of mean
        # building age (about 14% at 18 years; the 2020 census gives Ningxia 13.5%, outside the
        # seeds), 15% of them 80+; children 24% - 0.2 points a year (about 20%).
        elderly = float(np.clip(0.05 + 0.005 * age_mid + rng.normal(0.0, 0.02), 0.06, 0.32))
        children = float(np.clip(0.24 - 0.002 * age_mid + rng.normal(0.0, 0.015), 0.10, 0.28))
        oldest = llround(1e4 * elderly * 0.15)
        young_old = llround(1e4 * elderly) - oldest
        kids = llround(1e4 * children)
        ages = [kids, 10000 - kids - young_old - oldest, young_old, oldest]
        # Digital access (assumption): the baseline's by band, a little higher in newer housing.
        digital = [
            round(float(np.clip(0.92 + 0.003 * (18.0 - age_mid) + rng.normal(0.0, 0.015),
                                0.80, 0.98)), 3),
            round(float(np.clip(0.45 + 0.01 * (18.0 - age_mid) + rng.normal(0.0, 0.05),
                                0.20, 0.75)), 3),
        ]
        # Low income (assumption): about the baseline's 6%, more in older housing.
        low_income = round(float(np.clip(0.03 + 0.0015 * age_mid + rng.normal(0.0, 0.01),
                                          0.01, 0.15)), 4)
        # Volunteers: Jinhuayuan's teams per household ([003] 400+ for 5,025 households), scaled.
        teams = [max(1, llround(m * households[c] / BASE_HOUSEHOLDS)) for m in BASE_TEAMS]
        out.append(Community(
            name=f"{spec.prefix}{c + 1:0{len(str(n))}d}",
            subdistrict=f"{spec.sub_prefix}{sub + 1:0{len(str(s))}d}",
            workers=int(workers[c]), households=households[c], per_grid=per_grid[c],
            groups=groups, low_proficiency=low, ages=ages, digital=digital,
            low_income=low_income, building=building, teams=teams))
    return out


def jinhuayuan(subdistrict: str) -> Community:
    """The baseline community as it is ([003] and scenarios/baseline.yaml), every cell given."""
    return Community(
        name="Jinhuayuan", subdistrict=subdistrict, workers=-1, households=BASE_HOUSEHOLDS,
        per_grid=420, groups=[5500, 3800, 300, 200, 200],
        low_proficiency=BASE_LOW_PROFICIENCY[1:], ages=[llround(1e4 * a) for a in BASE_AGE_SHARES],
        digital=BASE_DIGITAL[1:3], low_income=0.06, building=(5.0, 35.0), teams=BASE_TEAMS,
        extra={"staffing.full_time_per_10k": "18",
               "staffing.part_time_per_grid": str(BASE_PART_TIME_PER_GRID)})


EXTRA_COLUMNS = ["staffing.full_time_per_10k", "staffing.part_time_per_grid"]


def header(extra: list[str]) -> list[str]:
    cols = ["name", "subdistrict", "community.households", "community.households_per_grid"]
    cols += [f"community.groups[{g}].share" for g in range(len(GROUPS))]
    cols += [f"community.groups[{g}].low_proficiency" for g in range(1, len(GROUPS))]
    cols += [f"community.age_bands[{b}].share" for b in range(4)]
    cols += [f"community.age_bands[{b}].digital_access" for b in (1, 2)]
    cols += ["community.low_income_share", "community.building_age_min",
             "community.building_age_max"]
    cols += [f"volunteers.teams[{t}].members" for t in range(len(BASE_TEAMS))]
    return cols + extra


def row(c: Community, extra: list[str]) -> list[str]:
    cells = [c.name, c.subdistrict, str(c.households), str(c.per_grid)]
    cells += [fmt_share(u) for u in c.groups]
    cells += [f"{v:g}" for v in c.low_proficiency]
    cells += [fmt_share(u) for u in c.ages]
    cells += [f"{v:g}" for v in c.digital]
    cells += [f"{c.low_income:g}", f"{c.building[0]:g}", f"{c.building[1]:g}"]
    cells += [str(m) for m in c.teams]
    return cells + [c.extra.get(k, "") for k in extra]


def csv_text(communities: list[Community], extra: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header(extra))
    for c in communities:
        w.writerow(row(c, extra))
    return buf.getvalue()


def whistle_load(c: Community) -> float:
    """Expected whistles a working day of a community (see WHISTLE_LOAD_INTERCEPT)."""
    if c.name == "Jinhuayuan":
        return JINHUAYUAN_WHISTLE_LOAD * c.households / 1000
    elderly = (c.ages[2] + c.ages[3]) / 1e4
    return (WHISTLE_LOAD_INTERCEPT + WHISTLE_LOAD_PER_ELDERLY_SHARE * elderly) * c.households / 1000


def subdistrict_block(communities: list[Community], indent: str) -> list[str]:
    lines = []
    for sub in sorted({c.subdistrict for c in communities}):
        members = [c for c in communities if c.subdistrict == sub]
        households = sum(c.households for c in members)
        load = sum(whistle_load(c) for c in members)
        capacity = math.ceil(WHISTLE_CAPACITY_MULTIPLE * load)
        lines.append(f"{indent}- {{name: {sub}, whistle_capacity: {capacity}}}"
                     f"   # {len(members)} communities, {households:,} households,"
                     f" expected load {load:.1f}")
    return lines


def with_block(yaml_text: str, block: list[str]) -> str:
    lines = yaml_text.split("\n")
    begin = next(i for i, l in enumerate(lines) if l.strip().startswith("# BEGIN generated"))
    end = next(i for i, l in enumerate(lines) if l.strip().startswith("# END generated"))
    return "\n".join(lines[: begin + 1] + block + lines[end:])


def yaml_value(text: str, key: str) -> float:
    m = re.search(rf"^\s+{re.escape(key)}:\s*([0-9.]+)", text, re.M)
    assert m, f"{key} not found"
    return float(m.group(1))


def check_community(c: Community) -> None:
    assert HPG_MIN <= c.per_grid <= HPG_MAX or c.name == "Jinhuayuan", c
    assert sum(c.groups) == 10000 and min(c.groups) > 0, c
    assert sum(c.ages) == 10000 and min(c.ages) > 0, c
    assert min(split_groups([u / 1e4 for u in c.groups], c.households)) >= 2, c
    if c.workers >= 0:
        e = expected_workers(c.households, RATE_PER_10K)
        assert llround(e) == c.workers and abs(e - c.workers) < 0.01, (c.name, e)


def report(title: str, communities: list[Community], rate_of, part_time_of) -> dict:
    households = sum(c.households for c in communities)
    grids = sum(c.grids for c in communities)
    workers = [llround(expected_workers(c.households, rate_of(c))) for c in communities]
    grid_workers = sum(llround(w * GRID_SHARE) for w in workers)
    by_group = np.sum([split_groups([u / 1e4 for u in c.groups], c.households)
                       for c in communities], axis=0)
    totals = {"communities": len(communities),
              "subdistricts": len({c.subdistrict for c in communities}),
              "grids": grids, "workers": sum(workers), "grid_workers": grid_workers,
              "centre_workers": sum(workers) - grid_workers,
              "part_time": sum(llround(part_time_of(c) * c.grids) for c in communities),
              "households": households, "residents_expected": round(households * MEAN_HOUSEHOLD),
              "volunteers": sum(sum(c.teams) for c in communities)}
    print(f"{title}: " + ", ".join(f"{k} {v:,}" for k, v in totals.items()))
    print("  households per grid: mean %.1f, range %d-%d" % (
        households / grids, min(c.per_grid for c in communities),
        max(c.per_grid for c in communities)))
    per_sub = [sum(c.subdistrict == s for c in communities)
               for s in {c.subdistrict for c in communities}]
    print("  communities per subdistrict %d-%d; households per community %d-%d" % (
        min(per_sub), max(per_sub), min(c.households for c in communities),
        max(c.households for c in communities)))
    print("  households by group: " + ", ".join(
        f"{g} {n:,} ({n / households:.1%})" for g, n in zip(GROUPS, by_group)))
    return totals


def build() -> dict[Path, str]:
    files: dict[Path, str] = {}

    # Urban Ningxia: 664 communities, 50 subdistricts, 7,293 grids, 7,253 community workers [002].
    # Hui: mean share 0.30 of households (assumption; the 2020 census gives Ningxia 35% Hui, all
    # residents urban and rural, outside the seeds; urban communities taken as a little less),
    # subdistricts spread widely (concentration 6: some mainly Hui, most mainly Han).
    nx_spec = RegionSpec(prefix="C", sub_prefix="S", communities=NX_COMMUNITIES,
                         subdistricts=NX_SUBDISTRICTS, grids=NX_GRIDS, workers=NX_WORKERS,
                         hui_mean=0.30, hui_between=6.0, seed=20250115)  # [002]'s date
    nx = draw_communities(nx_spec, np.random.RandomState(nx_spec.seed))
    for c in nx:
        check_community(c)
    t = report("ningxia_urban", nx, lambda c: RATE_PER_10K, lambda c: BASE_PART_TIME_PER_GRID)
    assert (t["communities"], t["subdistricts"], t["grids"], t["workers"]) == (
        NX_COMMUNITIES, NX_SUBDISTRICTS, NX_GRIDS, NX_WORKERS), t
    files[REGIONS / "ningxia_urban_communities.csv"] = csv_text(nx, [])
    path = REGIONS / "ningxia_urban.yaml"
    text = path.read_text()
    assert yaml_value(text, "full_time_per_10k") == RATE_PER_10K
    files[path] = with_block(text, subdistrict_block(nx, "    "))

    # Wuzhong: 93 communities [002]. Its 5,009 grids and 6,174 grid workers are of the 93
    # communities and the 499 villages together, so the communities' grids are not published:
    # Ningxia's mean, 7,293 / 664 = 10.98 a community, gives 1,021 (assumption). One of them is
    # Jinhuayuan as the baseline has it (12 grids, 18 per 10,000); the other 92 take the rest of
    # the grids and Ningxia's 7,253 / 7,293 community workers a grid. Subdistricts: not in the
    # seeds; Ningxia's mean of 664 / 50 = 13.3 communities each gives 7 (assumption).
    wz_grids = llround(WZ_COMMUNITIES * NX_GRIDS / NX_COMMUNITIES)
    jin = jinhuayuan("WS1")
    synthetic_grids = wz_grids - jin.grids
    wz_spec = RegionSpec(prefix="W", sub_prefix="WS", communities=WZ_COMMUNITIES - 1,
                         subdistricts=7, grids=synthetic_grids,
                         workers=llround(synthetic_grids * NX_WORKERS / NX_GRIDS),
                         hui_mean=0.42, hui_between=8.0, seed=20200608)
    # Hui 0.42 (assumption): Wuzhong's Hui share is the region's highest; [003] Jinhuayuan's
    # minorities are "about 45%".
    wz = [jin] + draw_communities(wz_spec, np.random.RandomState(wz_spec.seed))
    for c in wz:
        check_community(c)
    # Part-time grid workers: [002]'s Wuzhong ratio of full- and part-time grid workers to grids
    # (6,174 / 5,009 = 1.233, villages included) less the synthetic communities' full-time grid
    # workers a grid; one region-level value (wuzhong.yaml), to two decimals.
    synthetic = wz[1:]
    ft_grid = sum(llround(c.workers * GRID_SHARE) for c in synthetic)
    part_time = round(WZ_GRID_WORKERS_ALL / WZ_GRIDS_ALL - ft_grid / synthetic_grids, 2)
    path = REGIONS / "wuzhong.yaml"
    text = path.read_text()
    assert yaml_value(text, "full_time_per_10k") == RATE_PER_10K
    assert yaml_value(text, "part_time_per_grid") == part_time, part_time
    t = report("wuzhong", wz, lambda c: 18.0 if c.name == "Jinhuayuan" else RATE_PER_10K,
               lambda c: BASE_PART_TIME_PER_GRID if c.name == "Jinhuayuan" else part_time)
    assert (t["communities"], t["grids"]) == (WZ_COMMUNITIES, wz_grids), t
    e = expected_workers(jin.households, 18.0)
    print(f"  workers: the 92 synthetic communities' {t['workers'] - llround(e)} exactly, and "
          f"Jinhuayuan's {e:.2f} expected at 18 per 10,000 (19 or 20 as its residents are drawn)")
    print(f"  part-time grid workers a grid: {WZ_GRID_WORKERS_ALL} / {WZ_GRIDS_ALL} - "
          f"{ft_grid} / {synthetic_grids} = {part_time}; grid workers (full- and part-time) a "
          f"grid: {(t['grid_workers'] + t['part_time']) / t['grids']:.3f}")
    files[REGIONS / "wuzhong_communities.csv"] = csv_text(wz, EXTRA_COLUMNS)
    files[path] = with_block(text, subdistrict_block(wz, "    "))
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 if a file differs from what would be written")
    args = ap.parse_args()
    files = build()
    stale = [p for p, text in files.items() if not p.exists() or p.read_text() != text]
    if args.check:
        for p in stale:
            print(f"out of date: {p.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    for p in stale:
        p.write_text(files[p])
        print(f"wrote {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
