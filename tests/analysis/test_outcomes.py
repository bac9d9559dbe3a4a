"""Outcomes by name (analysis/outcomes.py), as the sensitivity and policy tables take them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.load import Metric
from analysis.outcomes import outcome_available, outcome_values

GROUPS = ["Han", "Hui"]


def summaries() -> dict[str, Metric]:
    trust = Metric("trust_final", "score", "Mean trust.", ["group"], {"group": GROUPS}, np.zeros(2), combine="ratio",
                   headline_kind="mean")
    return {"trust_final": trust}


def rows() -> pd.DataFrame:
    return pd.DataFrame({
        "closure_rate": [0.9, 0.8],
        "trust_final/Han": [0.5, 0.7], "trust_final/Hui": [0.3, 0.4],
        "residents/Han": [300.0, 100.0], "residents/Hui": [100.0, 300.0],
        "gap/Han/gap": [0.02, -0.09], "gap/Han/se": [0.5, 0.5], "gap/Hui/gap": [-0.03, 0.01], "gap/Hui/se": [0.5, 0.5],
    })


def test_fields_cells_population_values_and_largest_cells():
    table, info = rows(), summaries()
    assert outcome_values(table, info, "closure_rate").tolist() == [0.9, 0.8]
    assert outcome_values(table, info, "trust_final/Hui").tolist() == [0.3, 0.4]
    # The population value of a mean by group: residents-weighted.
    assert outcome_values(table, info, "trust_final").tolist() == pytest.approx([0.45, 0.475])
    # The largest cell, signed or in absolute value, over every cell or those a pattern names.
    assert outcome_values(table, info, "max(gap/*/gap)").tolist() == [0.02, 0.01]
    assert outcome_values(table, info, "maxabs(gap/*/gap)").tolist() == [0.03, 0.09]
    assert outcome_values(table, info, "maxabs(gap)").tolist() == [0.5, 0.5]  # the se cells too


def test_unknown_outcomes_are_named():
    table, info = rows(), summaries()
    for name in ("closure_rate_left_grid", "maxabs(nothing)", "residents"):
        assert not outcome_available(table, info, name)
    with pytest.raises(KeyError, match="maxabs\\(nothing\\)"):
        outcome_values(table, info, "maxabs(nothing)")
