"""The installer's command `cashbridge` against real processes: hw-sim playing a known
acceptor for `learn`, the sim's coin input for `test-pulse`, a real Mosquitto for `status`."""

import json
import re
import signal
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from stack_case import BUILD  # first: it puts scripts/ (cashbridge_stack) on the path
import cashbridge_stack  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TOOL = str(BUILD / "tools" / "cashbridge")
PROFILES = ROOT / "profiles"


def run(*args, timeout=60):
    return subprocess.run([TOOL, *args], capture_output=True, text=True, timeout=timeout)


class ProfileStack(cashbridge_stack.Stack):
    """A stack whose sim plays profiles/<name>.json and whose daemon config selects it."""

    def __init__(self, name, acceptor=None, **kw):
        super().__init__(BUILD, profile=str(PROFILES / (name + ".json")), **kw)
        self.profile_name = name
        self.acceptor = acceptor or {}  # the config's own acceptor fields, over the profile's

    def daemon_config(self):
        cfg = super().daemon_config()
        cfg["acceptor"] = {"profile": self.profile_name, "inhibit": {}, "cash_in": {},
                           "delivery_timeout_s": 120, **self.acceptor}
        return cfg

    def write_config(self):
        self.config_path.write_text(json.dumps(self.daemon_config(), indent=2))
        return str(self.config_path)


class ToolCase(unittest.TestCase):
    def stack(self, name, daemon=False):
        s = ProfileStack(name)
        self.addCleanup(s.cleanup)
        if daemon:
            s.start()
        else:
            s.broker.start()
            s.start_sim()
        return s


class LearnTest(ToolCase):
    def learn(self, profile, coins):
        """Runs `learn` while the sim's acceptor inserts `coins`; returns (stdout, proposal)."""
        s = self.stack(profile)
        proc = subprocess.Popen([TOOL, "learn", "--line", "cash_in", "--coins", str(len(coins)),
                                 "--config", s.write_config()],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(proc.kill)
        first = proc.stdout.readline()
        self.assertIn("watching cash_in (idle high)", first)
        s.ctl("insert", *[str(c) for c in coins])
        out, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0, err)
        out = first + out
        proposal = json.loads(out[out.index("\n{\n") + 1:])["acceptor"]
        return out, proposal

    def measured(self, out, label):
        return float(re.search(label + r"\s+([0-9.]+) ms", out).group(1))

    def test_recovers_a_pulse_train_acceptor_within_1_ms(self):
        # pulse-train-30ms: 30 ms pulses 30 ms apart, 200 ms between coins, 10 per pulse.
        out, p = self.learn("pulse-train-30ms", [50, 50, 50])
        self.assertAlmostEqual(self.measured(out, "pulse width"), 30.0, delta=1.0, msg=out)
        self.assertAlmostEqual(self.measured(out, "pause in coin"), 30.0, delta=1.0, msg=out)
        self.assertAlmostEqual(self.measured(out, "pause coin-coin"), 200.0, delta=1.0, msg=out)
        self.assertIn("pulses per coin 5 5 5", out)
        self.assertEqual(p["active"], "low")
        self.assertEqual((p["pulse_ms"], p["gap_ms"], p["coin_gap_ms"]), (30, 30, 200))
        self.assertEqual(p["pulses_per_coin"], 5)
        self.assertEqual(p["profile"], "pulse-train-30ms")

    def test_recovers_the_100ms_acceptor(self):
        out, p = self.learn("pulse-100ms-active-low", [20, 20])
        self.assertAlmostEqual(self.measured(out, "pulse width"), 100.0, delta=1.0, msg=out)
        self.assertAlmostEqual(self.measured(out, "pause in coin"), 100.0, delta=1.0, msg=out)
        self.assertIn("pulses per coin 2 2", out)
        self.assertEqual((p["pulse_ms"], p["gap_ms"], p["pulses_per_coin"]), (100, 100, 2))
        self.assertEqual(p["profile"], "pulse-100ms-active-low")

    def test_nothing_inserted_is_a_clear_failure(self):
        s = self.stack("pulse-50ms-active-low")
        r = run("learn", "--line", "cash_in", "--seconds", "1", "--config", s.write_config())
        self.assertEqual(r.returncode, 1)
        self.assertIn("no complete pulse on cash_in in 1 s", r.stderr)


class TestPulseTest(ToolCase):
    def test_pulses_reach_the_machine_with_the_profile_widths(self):
        s = self.stack("pulse-train-30ms")
        r = run("test-pulse", "--line", "coin", "--count", "4", "--config", s.write_config())
        printed = re.findall(r"pulse \d: start [0-9.]+ ms, width ([0-9.]+) ms( OUTSIDE)?", r.stdout)
        self.assertEqual(len(printed), 4, r.stdout)
        # A pulse the board held too long (a loaded CI host) is marked and fails the command;
        # every other one is within the profile's tolerance, as the machine judges them.
        outside = sum(1 for _, flag in printed if flag)
        self.assertEqual(r.returncode, 1 if outside else 0, r.stderr)
        for w, flag in printed:
            if not flag:
                self.assertAlmostEqual(float(w), 30.0, delta=6.0)
        s.ctl("wait", "counted=%d" % (40 - 10 * outside), "timeout_ms=5000")
        time.sleep(0.2)
        self.assertEqual((s.status()["counted"], s.status()["errors"]), (40 - 10 * outside, outside))
        vcd = [w / 1000.0 for _, w in cashbridge_stack.vcd_pulses(s.vcd, "coin")]
        self.assertEqual(len(vcd), 4)

    def test_a_coin_channel_is_pulsed_for_its_own_width(self):
        # parallel-coin-widths: the 10 channel pulses 25 ms, the machine accepts 20-30 ms.
        s = self.stack("parallel-coin-widths")
        r = run("test-pulse", "--line", "coin_10", "--count", "3", "--config", s.write_config())
        self.assertIn("pulsing coin_10: 3 x 25 ms active low, 100 ms apart", r.stdout)
        printed = re.findall(r"width ([0-9.]+) ms( OUTSIDE)?", r.stdout)
        self.assertEqual(len(printed), 3, r.stdout)
        outside = sum(1 for _, flag in printed if flag)
        self.assertEqual(r.returncode, 1 if outside else 0, r.stderr)
        s.ctl("wait", "counted=%d" % (30 - 10 * outside), "timeout_ms=5000")
        time.sleep(0.2)
        self.assertEqual((s.status()["counted"], s.status()["errors"]), (30 - 10 * outside, outside))
        vcd = [w / 1000.0 for _, w in cashbridge_stack.vcd_pulses(s.vcd, "coin_10")]
        self.assertEqual(len(vcd), 3)
        for w, flag in printed:
            if not flag:
                self.assertAlmostEqual(float(w), 25.0, delta=5.0)

    def test_a_pulse_the_board_held_too_long_is_marked_and_fails_the_command(self):
        s = self.stack("pulse-train-30ms")
        proc = subprocess.Popen([TOOL, "test-pulse", "--line", "coin", "--count", "20",
                                 "--config", s.write_config()],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(proc.kill)
        # Stop the tool mid-pulse (the sim's coin line active) until the machine refuses one.
        deadline = time.monotonic() + 20
        while proc.poll() is None and s.status()["errors"] == 0 and time.monotonic() < deadline:
            if s.status()["lines"]["coin"]["level"] == 0:
                proc.send_signal(signal.SIGSTOP)
                time.sleep(0.1)
                proc.send_signal(signal.SIGCONT)
        out, err = proc.communicate(timeout=30)
        self.assertGreaterEqual(s.status()["errors"], 1, "no stop landed inside a pulse")
        self.assertEqual(proc.returncode, 1, err)
        # Marked exactly when the stop stretched it past 30 ms + the profile's 6 ms tolerance.
        pulses = re.findall(r"width ([0-9.]+) ms( OUTSIDE the tolerance)?", out)
        self.assertEqual(len(pulses), 20, out)
        for width, mark in pulses:
            self.assertEqual(float(width) > 36.0, bool(mark), out)
        self.assertTrue(any(mark for _, mark in pulses), out)
        self.assertIn("(acceptor.pulse_tolerance_ms): the machine may not count them", err)
        self.assertGreaterEqual(out.count("OUTSIDE"), s.status()["errors"])

    def test_refuses_while_the_daemon_holds_the_line(self):
        s = self.stack("pulse-50ms-active-low", daemon=True)
        r = run("test-pulse", "--line", "coin", "--count", "1", "--config", str(s.config_path))
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot claim line 'coin'", r.stderr)
        self.assertIn("already claimed", r.stderr)
        self.assertIn("stop it first", r.stderr)

    def test_unknown_line_and_bad_count_name_the_flag(self):
        cfg = ProfileStack("pulse-50ms-active-low")
        self.addCleanup(cfg.cleanup)
        path = cfg.write_config()
        r = run("test-pulse", "--line", "coin_50", "--count", "1", "--config", path)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--line: no coin line 'coin_50'", r.stderr)
        self.assertIn("its coin lines: coin", r.stderr)
        r = run("test-pulse", "--line", "coin", "--count", "0", "--config", path)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--count must be a whole number from 1 to 1000, got '0'", r.stderr)
        r = run("learn", "--lines", "cash_in")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown option '--lines'", r.stderr)
        for cmd in ("test-pulse", "learn", "check-config", "status"):
            r = run(cmd, "--help")
            self.assertEqual(r.returncode, 0)
            self.assertIn("usage: cashbridge " + cmd, r.stdout)


class CheckConfigAndStatusTest(ToolCase):
    def test_check_config_is_the_daemons_validation(self):
        r = run("check-config", str(ROOT / "config" / "sim.json"))
        self.assertEqual(r.returncode, 0, r.stderr)
        cfg = json.loads((ROOT / "config" / "sim.json").read_text())
        cfg["payment"]["key_file"] = str(ROOT / "config" / "demo.key")
        cfg["acceptor"] = {"profile": "pulse-9ms"}
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            json.dump(cfg, f)
            f.flush()
            r = run("check-config", f.name)
        self.assertEqual(r.returncode, 2)
        self.assertIn('acceptor.profile: no profile "pulse-9ms"; available: parallel-6-line, ', r.stderr)

    def test_status_prints_the_daemons_state(self):
        s = self.stack("pulse-50ms-active-low", daemon=True)
        pay = s.ctl("pay")
        s.ctl("wait", "report=" + pay["payment"], "type=payment.accepted", "timeout_ms=15000")
        deadline = time.monotonic() + 10
        while True:
            r = run("status", "--config", str(s.config_path))
            if "payments_accepted" in r.stdout or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"available\s+online")
        self.assertRegex(r.stdout, r"machine\s+vend-0042")
        self.assertRegex(r.stdout, r"state\s+(ready|paid)")
        self.assertRegex(r.stdout, r"payments_accepted\s+1\b")

    def test_status_without_a_broker_says_so(self):
        s = ProfileStack("pulse-50ms-active-low")
        self.addCleanup(s.cleanup)
        r = run("status", "--timeout", "1", "--config", s.write_config())
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot reach the MQTT broker tcp://127.0.0.1:%d" % s.broker.port, r.stderr)

    def test_status_without_a_daemon_says_so(self):
        s = self.stack("pulse-50ms-active-low")
        r = run("status", "--config", s.write_config())
        self.assertEqual(r.returncode, 1)
        self.assertIn("no state retained on cashbridge/v1/vend-0042/state", r.stderr)


if __name__ == "__main__":
    unittest.main()
