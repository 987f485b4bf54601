"""No notebook reads past its end: run ending at a date, every recorded value is the same on a store whose data after
that date are noise.

The perturbed store is a copy of the snapshot store in which every value dated after the cut, in every dataset, is
replaced by noise, written through the store's own writer (:meth:`rotation.data.store.Store.transaction`), so its
manifest and checksums are valid and the notebooks read it as they read any store. Each notebook runs ending at the
cut (``end``; ``as_of`` for 08) with its cheap parameters, once on each store: ``results.json`` must be identical.
Before issue 27, 05 (macro series, NBER dates and the market), 02, 03, 06 and 07 (unbounded loads) failed this; 01,
04 and 08 passed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from _helpers import flat

CUT = "2015-12-31"
CHEAP = ("-p", "bootstrap_reps=99")

CASES = {
    "01_relative_strength": (CUT, ("-p", f"end={CUT}", *CHEAP, "-p", "null_reps=19")),
    "02_dollar_sensitivity": (CUT, ("-p", f"end={CUT}", *CHEAP)),
    "03_interest_rates": (CUT, ("-p", f"end={CUT}", *CHEAP)),
    "04_seasonality": (CUT, ("-p", f"end={CUT}", *CHEAP)),
    "05_economy": (CUT, ("-p", f"end={CUT}", *CHEAP)),
    "06_valuation_quality": (CUT, ("-p", f"end={CUT}", *CHEAP)),
    "07_sector_rotation": (CUT, ("-p", f"end={CUT}", *CHEAP)),  # XLC (2018) is 'not listed yet' then
    "08_signals": (CUT, ("-p", f"as_of={CUT}")),
}


def _late_vintages(frame: pd.DataFrame, after: str) -> list[str]:
    """The columns of an observation x vintage table (``YYYY-MM``/``YYYYQn`` labels) published after ``after``."""
    from rotation.data.vintages import vintage_known_at

    labels = [str(c) for c in frame.columns]
    if not labels or not all(re.fullmatch(r"\d{4}(-\d{2}|Q\d)", c) for c in labels):
        return []
    return [c for c, k in zip(frame.columns, vintage_known_at(labels), strict=True) if k > pd.Timestamp(after)]


def _noise(obj: pd.DataFrame | pd.Series, after: str, rng: np.random.Generator) -> pd.DataFrame | pd.Series:
    """``obj`` with every numeric value dated after ``after`` replaced: 0/1 flags flipped, other values scaled by
    a uniform factor in [0.5, 1.5] plus normal noise (integers stay integers). In a vintage table, every value of a
    vintage published after ``after`` is replaced too (its observations before the cut included)."""
    frame = obj.to_frame() if isinstance(obj, pd.Series) else obj.copy()
    for col in _late_vintages(frame, after):
        frame[col] = frame[col] * rng.uniform(0.5, 1.5, len(frame)) + 1.0
    late = frame.index > pd.Timestamp(after)
    for col in frame.columns:
        x = frame[col]
        if not late.any() or not pd.api.types.is_numeric_dtype(x) or pd.api.types.is_bool_dtype(x):
            continue
        v = x.to_numpy(dtype=float)[late]
        if set(np.unique(v[~np.isnan(v)])) <= {0.0, 1.0}:
            new = 1.0 - v
        else:
            new = v * rng.uniform(0.5, 1.5, len(v)) + rng.normal(0.0, 0.1 * (np.nanstd(x) or 1.0), len(v))
        if pd.api.types.is_integer_dtype(x) and not np.isnan(new).any():
            new = np.round(np.abs(new)).astype(x.dtype)
        frame.loc[late, col] = new
    return frame.iloc[:, 0].rename(obj.name) if isinstance(obj, pd.Series) else frame


def perturbed_copy(source_root: Path, target_root: Path, after: str, seed: int = 0) -> Path:
    """A store at ``target_root`` holding every dataset of ``source_root`` with its values after ``after`` replaced
    by noise, written by the store's own transaction (valid manifest and checksums; the raw files are the
    originals, so a rebuild would restore the clean data)."""
    from rotation.data.store import Store

    source, target = Store(source_root), Store(target_root)
    manifest = source.current_manifest()
    rng = np.random.default_rng(seed)
    with target.transaction() as tx:
        for _, remote in sorted(manifest["remote_files"].items()):
            frames, facts = {}, {}
            for key in remote["datasets"]:
                entry = manifest["datasets"][key]
                frames[key] = _noise(source.read_verified(key, current=True)[0], after, rng)
                facts[key] = {"frequency": entry["frequency"], "units": entry["units"]}
            end = (remote.get("options") or {}).get("end")
            meta = {**remote.get("meta", {}), **({"end": end} if end else {})}
            raw = (Path(source_root) / remote["path"]).read_bytes()
            tx.stage(remote["source"], remote["remote_id"], Path(remote["path"]).name, raw, frames, meta,
                     remote["origin"], remote["acquired_by"], facts=facts)
    assert target.verify() == [], "the perturbed store must be a valid store"
    return target_root


@pytest.fixture(scope="session")
def perturbed_stores(snapshot_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One perturbed copy of the snapshot store per cut date."""
    return {cut: perturbed_copy(snapshot_store_dir, tmp_path_factory.mktemp(f"perturbed-{cut}"), cut)
            for cut in sorted({cut for cut, _ in CASES.values()})}


@pytest.mark.notebook
def test_the_perturbed_store_differs_after_the_cut_and_only_there(snapshot_store_dir: Path, perturbed_stores):
    """The test is not vacuous: every dataset with data after the cut differs there, and nowhere before."""
    from rotation.data.store import Store

    clean, noisy = Store(snapshot_store_dir), Store(perturbed_stores[CUT])
    keys = sorted(clean.current_manifest()["datasets"])
    assert keys == sorted(noisy.current_manifest()["datasets"])
    changed = 0
    for key in keys:
        a, b = clean.read(key), noisy.read(key)
        cut = a.index <= pd.Timestamp(CUT)
        late = _late_vintages(pd.DataFrame(a), CUT)  # vintages published after the cut differ everywhere
        if late:
            assert not pd.DataFrame(a)[late].equals(pd.DataFrame(b)[late]), key
        a, b = pd.DataFrame(a).drop(columns=late), pd.DataFrame(b).drop(columns=late)
        pd.testing.assert_frame_equal(pd.DataFrame(a)[cut], pd.DataFrame(b)[cut])
        numeric = pd.DataFrame(a).select_dtypes("number").columns
        if (~cut).any() and len(numeric) and pd.DataFrame(a)[~cut][numeric].notna().any().any():
            assert not pd.DataFrame(a)[~cut][numeric].equals(pd.DataFrame(b)[~cut][numeric]), key
            changed += 1
    assert changed >= 50


@pytest.mark.notebook
@pytest.mark.parametrize("name", list(CASES))
def test_a_notebook_ending_at_a_date_reads_nothing_after_it(name: str, snapshot_store_dir: Path, perturbed_stores,
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from rotation.cli import main

    cut, params = CASES[name]
    results = {}
    for label, store in (("clean", snapshot_store_dir), ("perturbed", perturbed_stores[cut])):
        monkeypatch.setenv("ROTATION_DATA_DIR", str(store))
        out = tmp_path / label
        code = main(["run", name, *params, "--out", str(out), "--kernel", "python3", "-q"])
        assert code == 0, (out / name / "manifest.json").read_text()
        results[label] = json.loads((out / name / "results.json").read_text())
    clean, noisy = flat(results["clean"]), flat(results["perturbed"])
    moved = sorted(k for k in clean.keys() | noisy.keys() if clean.get(k, "<missing>") != noisy.get(k, "<missing>"))
    assert not moved, (f"{name} ending {cut} recorded {len(moved)} different values when the data after {cut} were "
                       f"noise (it reads past its end), e.g. {moved[:5]}")
    assert results["perturbed"] == results["clean"]


@pytest.mark.notebook
@pytest.mark.parametrize("cut", ["2023-11-30", "2019-12-31"])
def test_the_answer_as_of_the_commentary_and_2019_reads_nothing_after_it(cut: str, snapshot_store_dir: Path,
                                                                        tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch):
    """Notebook 08 as of the commentary's date and as of 2019-12-31 (issue 29): the forecast, its out-of-sample
    record, the board's freshness and the verdict are the same when every value after the date is noise."""
    from rotation.cli import main

    noisy_store = perturbed_copy(snapshot_store_dir, tmp_path / "perturbed-store", cut)
    results = {}
    for label, store in (("clean", snapshot_store_dir), ("perturbed", noisy_store)):
        monkeypatch.setenv("ROTATION_DATA_DIR", str(store))
        out = tmp_path / label
        code = main(["run", "08_signals", "-p", f"as_of={cut}", "--out", str(out), "--kernel", "python3", "-q"])
        assert code == 0, (out / "08_signals" / "manifest.json").read_text()
        results[label] = json.loads((out / "08_signals" / "results.json").read_text())
    clean, noisy = flat(results["clean"]), flat(results["perturbed"])
    moved = sorted(k for k in clean.keys() | noisy.keys() if clean.get(k, "<missing>") != noisy.get(k, "<missing>"))
    assert not moved, f"08 as of {cut}: {len(moved)} values moved with noise after the date, e.g. {moved[:5]}"
    assert results["clean"]["forecast"]["forecast_date"] == cut and results["clean"]["forecast"]["scores"]["n"] > 0
