"""Confidence intervals, paired policy differences and Sobol indices against values computed by
hand or known in closed form."""

import numpy as np
import pandas as pd
import pytest

from analysis import compare_to_base, mean_ci, paired_difference, read_sweep, replication_summary, sobol_indices
from analysis import sweep_sobol, unpaired_difference
from analysis.stats import saltelli_matrices

from synthetic import REPLICATIONS, SALTELLI_EXPECTED, SALTELLI_N, saltelli_design

# Student t quantiles t(0.975; dof), from tables (scipy.stats.t.ppf gives the same).
T_975 = {3: 3.182446305, 4: 2.776445105}


def test_mean_ci_of_a_fixed_sample_matches_the_hand_computation():
    ci = mean_ci([1.0, 2.0, 3.0, 4.0, 5.0])
    half = T_975[4] * np.sqrt(2.5) / np.sqrt(5)  # sample variance 2.5
    assert ci.mean == 3.0 and ci.n == 5
    assert ci.low == pytest.approx(3.0 - half, abs=1e-9)
    assert ci.high == pytest.approx(3.0 + half, abs=1e-9)
    assert ci.high - ci.low == pytest.approx(3.9264, abs=1e-4)  # a normal quantile would give 2.77


def test_mean_ci_leaves_out_missing_values_and_has_no_interval_for_one_value():
    assert mean_ci([1.0, np.nan, 2.0, 3.0, 4.0, 5.0]).low == pytest.approx(mean_ci([1, 2, 3, 4, 5]).low)
    single = mean_ci([0.7])
    assert single.mean == 0.7 and np.isnan(single.low) and not single.beyond_noise
    assert mean_ci([]).n == 0


def test_paired_difference_pairs_by_replication_not_by_position():
    base = pd.Series([10.0, 12.0, 11.0, 13.0], index=[0, 1, 2, 3])
    step = np.array([1.0, 1.2, 0.8, 1.0])
    # The variant's runs arrive in another order: pairing must follow the replication index.
    variant = pd.Series((base.to_numpy() + step)[[2, 0, 3, 1]], index=[2, 0, 3, 1])
    d = paired_difference(variant, base)
    half = T_975[3] * step.std(ddof=1) / 2
    assert d.mean == pytest.approx(1.0)
    assert (d.low, d.high) == pytest.approx((1.0 - half, 1.0 + half))
    assert d.beyond_noise


def test_pairing_removes_shared_noise_that_hides_the_difference_unpaired():
    base = np.array([10.0, 12.0, 11.0, 13.0])
    variant = base + np.array([1.0, 1.2, 0.8, 1.0])
    unpaired = unpaired_difference(variant, base)
    assert unpaired.mean == pytest.approx(1.0)
    assert unpaired.low < 0 < unpaired.high and not unpaired.beyond_noise
    # Welch with equal sizes and these variances, by hand:
    va, vb = variant.var(ddof=1) / 4, base.var(ddof=1) / 4
    dof = (va + vb) ** 2 / (va**2 / 3 + vb**2 / 3)
    from scipy.stats import t

    assert unpaired.high - 1.0 == pytest.approx(t.ppf(0.975, dof) * np.sqrt(va + vb))


def test_compare_to_base_flags_only_real_effects(sweep_file):
    sweep = read_sweep(sweep_file)
    table = compare_to_base(sweep.summary, ["closure_rate", "trust_final/Hui"]).set_index(["point", "metric"])
    raised = table.loc[(1, "closure_rate")]
    assert raised.difference == pytest.approx(0.05) and raised.n == REPLICATIONS
    assert raised.beyond_noise and raised.high - raised.low == pytest.approx(0, abs=1e-9)
    wobble = table.loc[(2, "closure_rate")]
    assert wobble.difference == pytest.approx(0.0, abs=1e-12) and not wobble.beyond_noise
    half = 2.776445105 * np.std([0.001, -0.001, 0.001, -0.001, 0.0], ddof=1) / np.sqrt(5)
    assert wobble.high == pytest.approx(half)
    assert table.loc[(1, "trust_final/Hui")].difference == pytest.approx(0.06)  # 0.01 per worker per 10k
    assert sorted(table.index.get_level_values("point").unique()) == [1, 2, 3]


def test_replication_summary_gives_a_row_per_point_and_metric(sweep_file):
    sweep = read_sweep(sweep_file)
    means = replication_summary(sweep.summary, ["closure_rate"]).set_index("point")
    assert means.loc[1, "mean"] == pytest.approx(0.85 + np.mean([0.03, -0.02, 0.01, -0.04, 0.02]))
    assert means.loc[1, "n"] == REPLICATIONS
    assert means.loc[0, "low"] < means.loc[0, "mean"] < means.loc[0, "high"]


def ishigami(x, a=7.0, b=0.1):
    return np.sin(x[..., 0]) + a * np.sin(x[..., 1]) ** 2 + b * x[..., 2] ** 4 * np.sin(x[..., 0])


ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]


def test_sobol_indices_of_the_ishigami_function():
    block, _, unit = saltelli_design(4096, 3, seed=11)
    y = ishigami(unit * 2 * np.pi - np.pi)
    f = [y[block == b] for b in range(5)]
    table = sobol_indices(f[0], f[1], np.vstack(f[2:]), ["x1", "x2", "x3"], bootstrap=200)
    np.testing.assert_allclose(table.S1, ISHIGAMI_S1, atol=0.02)
    np.testing.assert_allclose(table.ST, ISHIGAMI_ST, atol=0.02)
    assert (table.S1_low <= ISHIGAMI_S1).all() and (table.S1_high >= ISHIGAMI_S1).all()
    assert (table.ST_low <= ISHIGAMI_ST).all() and (table.ST_high >= ISHIGAMI_ST).all()
    assert ((table.ST_high - table.ST_low) < 0.15).all()


def test_sobol_indices_do_not_depend_on_the_output_level():
    block, _, unit = saltelli_design(1024, 3, seed=5)
    y = ishigami(unit * 2 * np.pi - np.pi)
    f = [y[block == b] for b in range(5)]
    plain = sobol_indices(f[0], f[1], np.vstack(f[2:]))
    shifted = sobol_indices(f[0] + 1000, f[1] + 1000, np.vstack(f[2:]) + 1000)
    np.testing.assert_allclose(plain.S1, shifted.S1, atol=1e-8)
    np.testing.assert_allclose(plain.S1_high - plain.S1_low, shifted.S1_high - shifted.S1_low, rtol=1e-6)


def test_saltelli_matrices_follow_block_and_row_not_file_order(saltelli_file):
    sweep = read_sweep(saltelli_file)
    outputs = sweep.summary.groupby("point")["closure_rate"].mean()
    shuffled = sweep.points.sample(frac=1.0, random_state=1)
    f_a, f_b, f_ab = saltelli_matrices(shuffled, outputs, 3)
    a_rows = sweep.points[sweep.points.saltelli_block == 0].sort_values("saltelli_row").point
    np.testing.assert_array_equal(f_a, outputs.loc[a_rows].to_numpy())
    assert f_ab.shape == (3, SALTELLI_N)
    with pytest.raises(ValueError, match="blocks"):
        saltelli_matrices(sweep.points[sweep.points.saltelli_block != 4], outputs, 3)


@pytest.mark.parametrize("metric", sorted(SALTELLI_EXPECTED))
def test_sweep_sobol_recovers_the_indices_written_into_the_sweep(saltelli_file, metric):
    table = sweep_sobol(read_sweep(saltelli_file), metric, bootstrap=200)
    assert table.parameter.tolist() == ["staffing.per_10k", "burden.paperwork_cut", "volunteers.hours"]
    np.testing.assert_allclose(table.S1, SALTELLI_EXPECTED[metric], atol=0.05)
    np.testing.assert_allclose(table.ST, SALTELLI_EXPECTED[metric], atol=0.05)
