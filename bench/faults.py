"""bench/faults: the fault-injection scenario of tests/integration/fault_scenario.py
(scripts/fault_scenario.py: random payments, daemon SIGKILLs also mid-pulse, broker
restarts, duplicates, back-to-back payments) run until --kills daemon kills, then the
tallies. Double credits and lost credits must both be 0. Not run by ctest: it takes
several minutes."""

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import fault_scenario  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kills", type=int, default=200, help="daemon SIGKILLs (default 200)")
    ap.add_argument("--seed", type=int, default=None, help="RNG seed (default: random, printed)")
    ap.add_argument("--max-amount", type=int, default=fault_scenario.MAX_AMOUNT,
                    help="largest payment in minor units, a multiple of 10 (default %(default)s)")
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--verbose", action="store_true", help="log every fault")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 31)
    print("seed %d" % seed, flush=True)

    stack = fault_scenario.make_stack(build=args.build, max_amount=args.max_amount)
    start = time.monotonic()
    log = (lambda m: print("%7.1f s  %s" % (time.monotonic() - start, m), flush=True)) if args.verbose else None
    ok = False
    try:
        stack.start()
        f = fault_scenario.Faults(stack, random.Random(seed), max_amount=args.max_amount, log=log)
        last = -1
        while f.kills < args.kills:
            f.round()
            if f.kills // 10 != last // 10 and not args.verbose:
                print("  ... %d kills, %d payments, %.0f s" % (f.kills, len(f.payments), time.monotonic() - start),
                      flush=True)
            last = f.kills
        settled, status = f.finish()
        t = fault_scenario.tallies(f, status, time.monotonic() - start)
        bad = fault_scenario.problems(status)
        if not settled:
            bad.insert(0, "not settled within the timeout")
        print(json.dumps(t, indent=1))
        print("payments %d, paid %d, counted %d, ambiguous %d (%d payments), failed %d owing %d, "
              "duplicates sent %d, broker restarts %d, kills %d (%d after a pulse), "
              "double credits %d, lost credits %d, %.1f s"
              % (t["payments"], t["paid_total"], t["counted"], t["ambiguous_total"], t["ambiguous_count"],
                 t["failed_count"], t["failed_owed_total"], t["duplicates_sent"], t["broker_restarts"],
                 t["kills"], t["mid_pulse_kills"], t["double_credits"], t["lost_credits"], t["elapsed_s"]))
        for b in bad:
            print("PROBLEM: " + b)
        ok = not bad
        if not ok:
            for line in fault_scenario.machine_errors(stack):
                print("machine: " + line)
            print("seed %d; logs in %s" % (seed, stack.dir))
    finally:
        if ok:
            stack.cleanup()
        else:
            stack.stop()  # keep the folder (logs, journal) for a look
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
