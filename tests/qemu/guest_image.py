"""Builds the qemu test's initramfs: busybox, the project's real binaries with every shared
library ldd lists, Mosquitto, the fonts the screen renderer asks fontconfig for, the kernel
modules prepare-kernel.sh left in the cache, the configs, and guest-init.sh as /init."""

import json
import re
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# Offsets on the guest's gpio-sim chip; guest-init.sh gets them through guest.env.
COIN, INHIBIT, COIN_RETURN = 0, 1, 2
CHIP_LABEL = "cashbridge-sim-chip"
MACHINE = "qemu-0001"
PRICE = 200
# The keyboard-wedge scanner: cashbridge-sim's uinput keyboard. The guest has devtmpfs but
# no udev, so there is no /dev/input/by-id link; the sim makes this one to the event node
# the kernel gave its keyboard, as udev would, and moves it when the keyboard is replugged.
SCANNER_LINK = "/run/sim/scanner-kbd"
# Codes the scanner types: issuer prefixes and lengths of bridge/src/payment_codes.cpp.
CODES = {"WECHAT": "134567890123456789", "ALIPAY": "2812345678901234",
         "UNKNOWN": "9912345678901234"}
# The price feed on real UARTs: qemu wires ttyS1 (the daemon's) to ttyS2 (the sim's).
PRICE_PORT, PRICE_DEVICE, UART_PRICE = "/dev/ttyS1", "/dev/ttyS2", 250


def daemon_config():
    """The daemon's config in the guest: libgpiod lines on gpio-sim, framebuffer screen."""
    return {
        "_comment": "written by tests/qemu/guest_image.py for the qemu guest",
        "machine": {"id": MACHINE, "name": "qemu gpio-sim machine"},
        "payment": {
            "currency": "EUR",
            "price": {"mode": "fixed", "amount": PRICE},
            "max_amount": 2000,
            "key_file": "key",
            "paid_screen_s": 1,
            "qr_url_template": "https://pay.example.com/p?m={machine}&s={session}&a={amount}&c={currency}",
        },
        "mqtt": {"broker": "tcp://127.0.0.1:1883"},
        "acceptor": {
            "protocol": "pulse",
            "active": "low",
            "drive": "push_pull",
            "pulse_ms": 50,
            "gap_ms": 50,
            "pulse_value": 10,
            "line": {"chip": CHIP_LABEL, "offset": COIN},
            "inhibit": {"chip": CHIP_LABEL, "offset": INHIBIT, "active": "low"},
            "coin_return": {"chip": CHIP_LABEL, "offset": COIN_RETURN, "active": "low"},
            "delivery_timeout_s": 60,
        },
        "hal": {"backend": "gpiod", "gpio_consumer": "cashbridged"},
        "journal": {"path": "/var/lib/cashbridge/journal.db"},
        "display": {"backend": "framebuffer", "device": "/dev/fb0"},
        "scanner": {"input": "evdev", "device": SCANNER_LINK},
        "log": {"level": "info"},
    }


def uart_price_config():
    """The daemon with the amount from a price feed on the guest's ttyS1, a 16550 UART that
    libserialport opens (it refuses the pseudo-terminals of the other tests)."""
    c = daemon_config()
    c["payment"]["price"] = {"mode": "external"}
    c["price_feed"] = {"port": PRICE_PORT, "baud": 9600, "pattern": "^(?<amount>[0-9]+)$",
                       "decimals": "minor"}
    c["display"] = {"backend": "none"}
    del c["scanner"]
    return c


def claim_configs():
    """Configs whose lines the chip must refuse, by name: (config, chip, offset, what the
    error must say besides chip and offset). Each has its own journal and no screen, so only
    the claim can fail."""
    out = {}
    for name, chip, offset, says in (
            ("busy", CHIP_LABEL, COIN, "in use by 'cashbridged'"),
            ("offset", CHIP_LABEL, 7, "has lines 0-2"),
            ("chip", "gpiochip9", COIN, "cannot open GPIO chip")):
        c = daemon_config()
        c["acceptor"]["line"] = {"chip": chip, "offset": offset}
        c["journal"]["path"] = "/tmp/claim-%s.db" % name
        c["display"] = {"backend": "none"}
        del c["scanner"]
        out[name] = (c, chip, offset, says)
    return out


def shared_libraries(binary):
    """Every library the dynamic loader maps for `binary`, the loader itself included."""
    out = subprocess.run(["ldd", str(binary)], check=True, capture_output=True, text=True).stdout
    libs = []
    for line in out.splitlines():
        m = re.search(r"(/\S+)\s+\(0x", line)
        if m:
            libs.append(Path(m.group(1)))
    return libs


def copy_into(root, src, dest=None, strip=False):
    """Copies src to the same path under root (or to `dest` there), following symlinks."""
    target = root / (dest or str(src)).lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    if strip:
        # debug info would triple the image and the time the guest spends unpacking it
        subprocess.run(["strip", "--strip-debug", "-o", str(target), str(src)], check=True)
    else:
        shutil.copy2(src, target, follow_symlinks=True)
    return target


def build(root, build_dir, kernel_dir, key):
    """Fills `root` (an empty folder) with the guest's files."""
    root = Path(root)
    copy_into(root, Path("/bin/busybox"))
    binaries = {
        Path(build_dir) / "bridge" / "cashbridged": "/usr/bin/cashbridged",
        Path(build_dir) / "hw-sim" / "cashbridge-sim": "/usr/bin/cashbridge-sim",
        Path(shutil.which("mosquitto") or "/usr/sbin/mosquitto"): "/usr/sbin/mosquitto",
    }
    libs = set()
    for src, dest in binaries.items():
        if not src.exists():
            raise FileNotFoundError("%s missing (build the project first)" % src)
        copy_into(root, src, dest, strip=True)
        libs.update(shared_libraries(src))
    for lib in sorted(libs):
        copy_into(root, lib)
    # cairo's toy font API goes through fontconfig, which reads /etc/fonts
    shutil.copytree("/etc/fonts", root / "etc/fonts", symlinks=False)
    shutil.copytree("/usr/share/fonts/truetype/dejavu", root / "usr/share/fonts/truetype/dejavu")

    mods = root / "lib/modules"
    mods.mkdir(parents=True)
    for ko in (Path(kernel_dir) / "modules").glob("*.ko"):
        shutil.copy2(ko, mods)
    shutil.copy2(Path(kernel_dir) / "modules.load", mods)

    etc = root / "etc/cashbridge"
    etc.mkdir(parents=True)
    (etc / "cashbridged.json").write_text(json.dumps(daemon_config(), indent=2) + "\n")
    open_drain = daemon_config()
    open_drain["acceptor"]["drive"] = "open_drain"
    del open_drain["scanner"]  # the scanner has its scenario with the first daemon
    (etc / "open-drain.json").write_text(json.dumps(open_drain, indent=2) + "\n")
    (etc / "price-uart.json").write_text(json.dumps(uart_price_config(), indent=2) + "\n")
    for name, (config, *_) in claim_configs().items():
        (etc / ("claim-%s.json" % name)).write_text(json.dumps(config, indent=2) + "\n")
    (etc / "key").write_text(key)
    shutil.copy2(ROOT / "hw-sim" / "profiles" / "pulse-50ms.json", etc / "profile.json")
    # `user root`: a root mosquitto otherwise drops to a "mosquitto" user the guest lacks
    (etc / "mosquitto.conf").write_text(
        "listener 1883 127.0.0.1\nallow_anonymous true\npersistence false\nuser root\n"
        "set_tcp_nodelay true\n")
    (etc / "guest.env").write_text(
        "COIN=%d\nINHIBIT=%d\nCOIN_RETURN=%d\nMACHINE=%s\nSCANNER_LINK=%s\n"
        "PRICE_DEVICE=%s\nUART_PRICE=%d\n"
        % (COIN, INHIBIT, COIN_RETURN, MACHINE, SCANNER_LINK, PRICE_DEVICE, UART_PRICE)
        + "".join("CODE_%s=%s\n" % kv for kv in CODES.items()))
    (root / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/sh\n")
    (root / "etc/group").write_text("root:x:0:\n")
    init = root / "init"
    shutil.copy2(HERE / "guest-init.sh", init)
    init.chmod(0o755)


def pack(root, cpio_path):
    """An uncompressed newc cpio: the kernel unpacks it faster than it would gunzip one."""
    files = subprocess.run(["find", "."], cwd=root, check=True, capture_output=True).stdout
    with open(cpio_path, "wb") as out:
        subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=root, input=files,
                       stdout=out, check=True)
