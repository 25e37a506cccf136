"""cashbridged's command line: config checks name the field and exit 2."""

import json
import subprocess
import tempfile
import unittest
from pathlib import Path

from stack_case import BUILD

ROOT = Path(__file__).resolve().parents[2]
DAEMON = str(BUILD / "bridge" / "cashbridged")


def run(*args):
    return subprocess.run([DAEMON, *args], capture_output=True, text=True, timeout=20)


class CliTest(unittest.TestCase):
    def test_check_config_accepts_the_example(self):
        r = run("--check-config", str(ROOT / "config" / "sim.json"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("OK", r.stdout)

    def test_check_config_names_the_field_and_exits_2(self):
        cfg = json.loads((ROOT / "config" / "sim.json").read_text())
        cfg["payment"]["currency"] = "eu"
        cfg["payment"]["key_file"] = str(ROOT / "config" / "demo.key")
        cfg["acceptor"]["pulse_ms"] = 0
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            json.dump(cfg, f)
            f.flush()
            r = run("--check-config", f.name)
        self.assertEqual(r.returncode, 2)
        self.assertIn('payment.currency: expected a 3-letter ISO 4217 code, got "eu"', r.stderr)
        self.assertIn("acceptor.pulse_ms: expected a whole number from 1 to 10000, got 0", r.stderr)

    def test_unknown_flag_is_a_usage_error(self):
        r = run("--frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--frobnicate", r.stderr)

    def test_missing_config_file_is_named(self):
        r = run("--check-config", "/nonexistent/cashbridged.json")
        self.assertEqual(r.returncode, 2)
        self.assertIn("/nonexistent/cashbridged.json", r.stderr)


if __name__ == "__main__":
    unittest.main()
