"""Generated enterprise-years for bench/bench.yaml, as pandas frames: the
inputs of bench/gen.c's records (land in 亩, money in 万元, energy in
tce(等价值), employees, the key-chain flag), figures in hundredths, about
3 % of them missing (NaN). The same seed gives the same frame."""
import numpy as np
import pandas as pd

ROOT_RULEBOOK = "bench/bench.yaml"
AS_OF = "2023-12-31"

_FIGURES = {
    # name: (low, high) in the input's unit
    "land_area": (1, 400),
    "tax": (0, 20000),
    "value_added": (0, 90000),
    "revenue": (10, 300000),
    "rd_expense": (0, 8000),
    "energy_use": (10, 60000),
    "new_energy_use": (0, 5000),
    "substitution_tce": (0, 3000),
}


def frame(n: int, seed: int, start: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols = {}
    for name, (lo, hi) in _FIGURES.items():
        v = np.round(lo + rng.random(n) * (hi - lo), 2)
        v[rng.random(n) < 0.03] = np.nan
        cols[name] = v
    cols["employees"] = rng.integers(5, 3000, n)
    cols["is_key_chain_project"] = rng.random(n) < 0.05
    return pd.DataFrame(cols, index=pd.RangeIndex(start, start + n))
