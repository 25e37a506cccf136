"""The shipped systemd unit as systemd itself reads it, and the hardware it lets the daemon
reach. (No systemd runs as PID 1 in CI, so the unit is checked, not started.)"""

import re
import subprocess
import tempfile
import unittest
from pathlib import Path

from stack_case import BUILD

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "systemd" / "cashbridged.service"


def settings(name):
    return re.findall(r"^%s=(.*)$" % name, UNIT.read_text(), re.MULTILINE)


class SystemdUnitTest(unittest.TestCase):
    def test_systemd_reads_every_line_of_the_unit(self):
        # systemd-analyze only warns about an unknown key or a bad value (exit 0): systemd
        # would ignore that line at start, so any output is a failure here. The built daemon
        # stands in for /usr/sbin/cashbridged, which verify requires to exist.
        with tempfile.TemporaryDirectory() as d:
            unit = Path(d) / UNIT.name
            unit.write_text(UNIT.read_text().replace("/usr/sbin/cashbridged",
                                                     str(BUILD / "bridge" / "cashbridged")))
            r = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                               text=True, timeout=60)
        self.assertEqual((r.returncode, r.stdout + r.stderr), (0, ""))

    def test_the_daemon_may_open_every_kind_of_device_its_config_names(self):
        # DevicePolicy=closed: a device class missing here is EPERM at open, whatever the
        # file permissions say. gpio lines, framebuffer, serial ports of the board and of
        # USB adapters (price feed, scanner, printer), evdev scanners, USB printers.
        self.assertEqual(settings("DevicePolicy"), ["closed"])
        allowed = dict(line.split() for line in settings("DeviceAllow"))
        for device in ("char-gpiochip", "/dev/fb0", "char-ttyS", "char-ttyAMA", "char-ttyUSB",
                       "char-ttyACM", "char-usb"):
            self.assertEqual(allowed.get(device), "rw", device)
        self.assertEqual(allowed.get("char-input"), "r")  # evdev scanners are only read
        groups = " ".join(settings("SupplementaryGroups")).split()
        self.assertEqual(sorted(groups), ["dialout", "gpio", "input", "lp", "video"])


if __name__ == "__main__":
    unittest.main()
