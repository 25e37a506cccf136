"""The fault-injection scenario shared by tests/integration/test_faults.py and
bench/faults: a real broker, hw-sim and daemon; random payments (some back to back, so a
later completion may overtake an earlier one), re-published duplicates (also while the
daemon is down), daemon SIGKILLs at random moments (mostly mid-pulse), broker restarts
(also with a kill while the broker is away). Afterwards the payment server's books must
show no credit lost and none doubled (problems())."""

import signal
import time

import cashbridge_stack

MAX_AMOUNT = 300  # 30 pulses of 50 ms: ~3 s per payment at most
SIM_ARGS = ["--persistent-session", "--resend-ms", "500"]


def make_stack(build, max_amount=MAX_AMOUNT):
    overrides = {"payment": {"price": {"mode": "open"}, "max_amount": max_amount}}
    return cashbridge_stack.Stack(build, profile="pulse-50ms.json", daemon_overrides=overrides,
                                  sim_args=SIM_ARGS, broker_persistence=True)


class Faults:
    """Drives one stack through random faults and keeps the tallies."""

    def __init__(self, stack, rng, max_amount=MAX_AMOUNT, log=None):
        self.stack, self.rng, self.max_amount = stack, rng, max_amount
        self.log = log or (lambda *a: None)
        self.payments = []
        self.kills = self.mid_pulse_kills = self.broker_restarts = self.duplicates = self.back_to_back = 0

    # -- faults -------------------------------------------------------------------------
    def daemon_up(self):
        return self.stack.daemon is not None and self.stack.daemon.poll() is None

    def broker_up(self):
        return self.stack.broker.proc is not None

    def kill_daemon(self):
        if not self.daemon_up():
            return
        # Mid-pulse when something is being delivered: wait for the next pulse, then a
        # random few ms (a pulse is 50 ms, a gap 50 ms).
        before = self.stack.status()["pulses"]
        deadline = time.monotonic() + self.rng.uniform(0.3, 1.5)
        advanced = False
        while time.monotonic() < deadline:
            if self.stack.status()["pulses"] > before:
                advanced = True
                break
            time.sleep(0.005)
        if advanced:
            time.sleep(self.rng.uniform(0.0, 0.09))
            self.mid_pulse_kills += 1
        self.stack.daemon.send_signal(signal.SIGKILL)
        self.stack.daemon.wait()
        self.stack.daemon = None
        self.kills += 1
        self.log("kill #%d%s" % (self.kills, " (after a pulse)" if advanced else ""))

    def restart_daemon(self):
        if not self.daemon_up():
            self.stack.start_daemon()

    def stop_broker(self):
        if self.broker_up():
            self.stack.broker.stop()
            self.broker_restarts += 1
            self.log("broker stopped (#%d)" % self.broker_restarts)

    def start_broker(self):
        if not self.broker_up():
            self.stack.broker.start()

    def pay(self):
        amount = 10 * self.rng.randint(1, self.max_amount // 10)
        # The customer pays the QR on screen: between a session's cancel (superseded by a
        # restart, rotated) and the next session.open there is none to pay.
        for attempt in range(3):
            self.stack.ctl("wait", "session", "timeout_ms=20000", check=False)
            reply = self.stack.ctl("pay", "amount=%d" % amount, check=False)
            if reply.get("ok") or "no open session" not in reply.get("error", ""):
                break
        if not reply.get("ok"):
            raise RuntimeError("cashbridge-sim pay: %s" % reply.get("error", reply))
        self.payments.append(reply["payment"])
        self.log("pay %s %d" % (reply["payment"], amount))

    def republish(self):
        if self.payments:
            self.stack.ctl("republish", "payment=" + self.rng.choice(self.payments))
            self.duplicates += 1

    def wait_for_backlog(self, most=2, timeout=30.0):
        """Customers queue at one machine: let the payments already made drain to `most`
        before the next one, so the run tests crediting rather than an endless queue."""
        deadline = time.monotonic() + timeout
        while self.stack.status()["unsettled"] > most and time.monotonic() < deadline:
            time.sleep(0.05)

    # -- one round ----------------------------------------------------------------------
    def round(self):
        r = self.rng
        self.wait_for_backlog()
        if r.random() < 0.25:
            self.pay()
            self.pay()  # back to back: the second may overtake the first
            self.back_to_back += 1
        else:
            self.pay()
        if r.random() < 0.3:
            self.republish()
        if r.random() < 0.15:
            self.stop_broker()
            time.sleep(r.uniform(0.0, 0.6))
            if r.random() < 0.3:  # a kill while the broker is down
                self.kill_daemon()
            self.start_broker()
        if r.random() < 0.7:
            self.kill_daemon()
            time.sleep(r.uniform(0.0, 0.4))
            if r.random() < 0.2:
                self.republish()  # a duplicate while the daemon is down
        self.restart_daemon()
        time.sleep(r.uniform(0.0, 0.8))

    def finish(self, timeout_ms=120000):
        self.start_broker()
        self.restart_daemon()
        reply = self.stack.ctl("wait", "settled", "timeout_ms=%d" % timeout_ms, check=False)
        # Re-sends, outbox re-sends and session queries still in flight must not change
        # the books: give them a moment, then read the final status.
        time.sleep(1.5)
        return reply.get("ok", False), self.stack.status()


def reports_disagree(p):
    """A settled payment's reports must add up to what was paid (docs/protocol.md):
    credit.delivered `amount` is the whole payment (its `ambiguous` part included);
    credit.failed `delivered` + `owed` + what credit.ambiguous reported is the whole payment."""
    final = p.get("final")
    delivered, amb, owed = p.get("delivered_amount") or 0, p.get("ambiguous") or 0, p.get("owed") or 0
    if final == "delivered":
        return delivered != p["paid"] or amb > delivered
    if final == "failed":
        return delivered + owed + amb != p["paid"]
    return False  # still being paid out: judged once settled


def problems(status):
    """Every violated invariant, as readable strings (empty: all good)."""
    out = []
    paid, counted = status["paid_total"], status["counted"]
    amb, owed = status["ambiguous_total"], status["failed_owed_total"]
    if status["rejected_total"] != 0:
        out.append("rejected_total %d != 0" % status["rejected_total"])
    if status["records_dropped"] != 0:
        out.append("records_dropped %d != 0" % status["records_dropped"])
    if status["unsettled"] != 0:
        out.append("unsettled %d != 0" % status["unsettled"])
    if counted > paid:
        out.append("double credit: counted %d > paid %d" % (counted, paid))
    if counted + amb + owed < paid:
        out.append("lost credit: counted %d + ambiguous %d + owed %d < paid %d" % (counted, amb, owed, paid))
    for p in status["payments"]:
        if p.get("paid") is None:
            continue
        if p["final"] not in ("delivered", "failed"):
            out.append("payment %s not settled: %r" % (p["payment"], p))
        if p["final"] == "failed" and not p.get("owed"):
            out.append("payment %s failed without owed: %r" % (p["payment"], p))
        if reports_disagree(p):
            out.append("payment %s: reports do not add up to the payment: %r" % (p["payment"], p))
        if p.get("accepted", 0) < 1:
            out.append("payment %s never accepted: %r" % (p["payment"], p))
    return out


def tallies(f, status, elapsed):
    paid, counted = status["paid_total"], status["counted"]
    amb, owed = status["ambiguous_total"], status["failed_owed_total"]
    recs = [p for p in status["payments"] if p.get("paid") is not None]
    return {
        "payments": len(recs),
        "paid_total": paid,
        "counted": counted,
        "ambiguous_total": amb,
        "ambiguous_count": sum(1 for p in recs if p.get("ambiguous")),
        "failed_count": sum(1 for p in recs if p["final"] == "failed"),
        "failed_owed_total": owed,
        "duplicates_sent": f.duplicates,
        "back_to_back_pairs": f.back_to_back,
        "broker_restarts": f.broker_restarts,
        "kills": f.kills,
        "mid_pulse_kills": f.mid_pulse_kills,
        # The machine counted more than was paid, or a payment's reports claim too much.
        "double_credits": max(0, counted - paid) + sum(1 for p in recs if reports_disagree(p)),
        # Negative: some pulses reported ambiguous were in fact counted by the machine.
        "lost_credits": paid - counted - amb - owed,
        "pulse_errors": status["errors"],
        "elapsed_s": round(elapsed, 1),
    }


def machine_errors(stack):
    """The simulated machine's complaints about pulses (too short, too long, ...), from its
    log: the first thing to read when the books do not balance."""
    return [l for l in stack.log("sim.log").splitlines() if "pulse ERROR" in l]
