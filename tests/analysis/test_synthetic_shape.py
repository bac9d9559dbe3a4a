"""The synthetic files have the shape of real ones: every dataset synthetic.py writes exists in a
real run of the binary under the same name, with the same axes, unit and attribute names (with
the contract's attributes when the binary writes them, without when it does not), so the tests
on synthetic files cannot pass against a layout the model does not write."""

from __future__ import annotations

import h5py
import numpy as np

import synthetic


def attribute_names(dataset: h5py.Dataset) -> set[str]:
    return {k for k in dataset.attrs if not k.startswith("labels_")}


def text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def dims(dataset: h5py.Dataset) -> list[str]:
    return [text(d) for d in np.atleast_1d(dataset.attrs["dims"])]


def test_synthetic_run_datasets_match_a_real_run(real_run_file, tmp_path):
    with h5py.File(real_run_file, "r") as real:
        contract = "combine" in real["timeseries/work_orders_opened"].attrs
        series = synthetic.run_series()
        path = synthetic.write_run_file(tmp_path / "synthetic.h5", series, synthetic.run_summaries(series),
                                        contract=contract)
        with h5py.File(path, "r") as made:
            assert set(made) == set(real)
            assert set(made["timeseries"].attrs) == set(real["timeseries"].attrs)
            checked = 0
            for group in ("timeseries", "summary"):
                for name, dataset in made[group].items():
                    where = f"/{group}/{name}"
                    assert where in real, f"synthetic.py writes {where}, which commsim does not"
                    twin = real[where]
                    assert dims(dataset) == dims(twin), where
                    assert text(dataset.attrs["unit"]) == text(twin.attrs["unit"]), where
                    assert attribute_names(dataset) == attribute_names(twin), where
                    assert dataset.dtype == twin.dtype, where
                    checked += 1
            assert checked == len(series) + len(synthetic.run_summaries(series))
            assert set(made["provenance"].attrs) <= set(real["provenance"].attrs)


def test_synthetic_sweep_has_the_layout_of_a_real_sweep(real_sweep_file, sweep_file):
    with h5py.File(real_sweep_file, "r") as real, h5py.File(sweep_file, "r") as made:
        assert set(made) == set(real)
        assert set(made["sweep"]) == set(real["sweep"])
        assert set(made["sweep"].attrs) <= set(real["sweep"].attrs)
        real_columns = set(real["sweep/summary"].dtype.names)
        for column in made["sweep/summary"].dtype.names:
            assert column in real_columns, f"synthetic.py writes /sweep/summary column {column}, commsim does not"
        assert sorted(made["runs"])[0] == sorted(real["runs"])[0] == "p00000"
        assert sorted(made["runs/p00000"])[0] == sorted(real["runs/p00000"])[0] == "r000"
        assert set(made["runs/p00000/r000"]) <= set(real["runs/p00000/r000"])
