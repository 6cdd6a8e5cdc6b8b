"""Solve a MIP given as JSON with HiGHS, in its own process: ``python mip.py IN.json OUT.json``.

OR-Tools bundles its own copy of HiGHS, and the two cannot be loaded into one process, so the
baseline exports the model (``baselines.highs``) and this script, which imports only ``highspy``,
solves it.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(source: Path, target: Path) -> None:
    import highspy
    import numpy as np

    mip = json.loads(source.read_text())
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(mip["time_limit"]))
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", int(mip["seed"]))
    h.setOptionValue("mip_rel_gap", 0.0)  # the objective is an integer: prove it exactly
    h.setOptionValue("mip_abs_gap", 0.999)
    inf = highspy.kHighsInf
    n = len(mip["lower"])
    h.addVars(n, np.array(mip["lower"], dtype=float), np.array(mip["upper"], dtype=float))
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n)
    )
    for lo, hi, cols, vals in mip["rows"]:
        h.addRow(
            -inf if lo is None else lo,
            inf if hi is None else hi,
            len(cols),
            np.array(cols, dtype=np.int32),
            np.array(vals, dtype=float),
        )
    h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(mip["costs"], dtype=float))
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    started = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - started
    info = h.getInfo()
    status = h.getModelStatus()
    found = info.primal_solution_status == 2
    target.write_text(
        json.dumps(
            {
                "optimal": status == highspy.HighsModelStatus.kOptimal,
                "infeasible": status == highspy.HighsModelStatus.kInfeasible,
                "found": found,
                "objective": info.objective_function_value if found else None,
                "bound": info.mip_dual_bound,
                "seconds": seconds,
                "values": list(h.getSolution().col_value) if found else [],
            }
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
