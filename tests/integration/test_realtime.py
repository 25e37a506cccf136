"""Real-time pulse scheduling: with the privileges, the pulse thread runs SCHED_FIFO;
without them (no CAP_SYS_NICE, no CAP_IPC_LOCK, a finite RLIMIT_MEMLOCK) the daemon logs
a warning naming what is missing and still credits correctly."""

import unittest
from pathlib import Path

from stack_case import StackCase, cashbridge_stack


def thread_policies(daemon_pid):
    """The scheduling policy of the daemon's threads, as the kernel reports it (field 41
    of /proc/PID/task/TID/stat: 0 SCHED_OTHER, 1 SCHED_FIFO), with field 40, rt_priority."""
    policies = []
    for task in Path("/proc/%d/task" % daemon_pid).iterdir():
        stat = (task / "stat").read_text()
        fields = stat[stat.rindex(")") + 2:].split()  # from field 3 (state) on
        policies.append((int(fields[40 - 3]), int(fields[41 - 3])))
    return policies


class RealtimeGrantedTest(StackCase):
    def test_only_the_pulse_thread_runs_sched_fifo(self):
        cashbridge_stack.wait_for(lambda: "[realtime]" in self.stack.log("daemon.log"), 10,
                                  "the realtime log line")
        self.assertIn("info [realtime] pulse thread runs SCHED_FIFO priority 50",
                      self.stack.log("daemon.log"))
        policies = thread_policies(self.stack.daemon.pid)
        self.assertEqual([p for p in policies if p[1] != 0], [(50, 1)], policies)


class RealtimeRefusedTest(StackCase):
    # Root without CAP_SYS_NICE and CAP_IPC_LOCK, under an 8 MiB RLIMIT_MEMLOCK: what an
    # unprivileged service without the unit's limits gets.
    daemon_prefix = ["prlimit", "--memlock=8388608", "--rtprio=0",
                     "setpriv", "--bounding-set", "-sys_nice,-ipc_lock", "--inh-caps", "-all"]

    def test_warns_naming_the_capability_and_still_credits(self):
        log = self.stack.log("daemon.log")
        self.assertIn("cannot run the pulse thread under SCHED_FIFO priority 50: "
                      "Operation not permitted; needs CAP_SYS_NICE", log)
        self.assertIn("memory not locked: RLIMIT_MEMLOCK is 8192 KiB and CAP_IPC_LOCK is missing",
                      log)
        self.assertEqual([p for p in thread_policies(self.stack.daemon.pid) if p[1] != 0], [])
        pay = self.stack.ctl("pay")
        self.wait_report(pay["payment"], "credit.delivered", timeout_ms=15000)
        self.assertEqual(len(cashbridge_stack.vcd_pulses(self.stack.vcd, "coin")), 20)


if __name__ == "__main__":
    unittest.main()
