"""The decision-aid tables show a missing value as "—", never "None", "nan" or the grid's "empty"."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ui.decision_aids import MISSING, readable


def test_missing_values_and_lists_read_as_people_write_them():
    frame = pd.DataFrame({"name": ["甲", None], "members": ["张三 139", None], "units": [["消防", "派出所"], []],
                          "population": [1200.0, np.nan], "distance_m": [350.5, 12.0], "online": [True, False]})
    out = readable(frame)
    assert list(out["name"]) == ["甲", MISSING] and list(out["members"]) == ["张三 139", MISSING]
    assert list(out["units"]) == ["消防、派出所", MISSING]
    assert list(out["population"]) == ["1,200", MISSING]
    assert out["distance_m"].dtype.kind == "f" and out["online"].dtype == bool  # no gaps: types kept
    text = out.astype(str).to_string()
    assert not any(word in text for word in ("None", "nan", "NaN", "<NA>", "empty"))
