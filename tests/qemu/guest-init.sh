#!/bin/busybox sh
# /init of the qemu test's guest: loads the modules, creates a gpio-sim chip, starts
# Mosquitto, cashbridge-sim (payment server and customer) and the real cashbridged on the
# chip's lines, runs the scenarios and prints what the host checks. Lines the host reads
# start with "CBQ"; everything else on the console is context for a human.
/bin/busybox mkdir -p /sbin /usr/sbin /usr/bin /proc /sys /dev /tmp /run
/bin/busybox --install -s
export PATH=/usr/bin:/bin:/usr/sbin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec 0</dev/console 1>/dev/console 2>&1
. /etc/cashbridge/guest.env      # line offsets, MACHINE, scanner link and codes (host-written)

say() { echo "CBQ $*"; }
fatal() {
    echo "CBQ_FATAL $*"
    for f in /tmp/*.log; do sed "s#^#CBQ_LOG $(basename "$f" .log) #" "$f"; done
    dmesg | tail -20 | sed 's/^/CBQ_DMESG /'
    poweroff -f
}
ctl() { cashbridge-sim ctl --control /run/sim/ctl.sock "$@"; }
# ctl_step NAME ARGS...: one control command, its JSON reply printed for the host
ctl_step() {
    local name=$1
    shift
    local reply
    reply=$(ctl "$@") || fatal "ctl $* failed: $reply"
    echo "CBQ_CTL $name $reply"
    LAST_REPLY=$reply
}
# until_ctl NAME PATTERN ARGS...: repeats a control command every 100 ms (10 s at most)
# until its reply contains PATTERN, then prints that reply for the host
until_ctl() {
    local name=$1 pattern=$2 n=0 reply
    shift 2
    while :; do
        reply=$(ctl "$@") || fatal "ctl $* failed: $reply"
        case $reply in *"$pattern"*) break ;; esac
        n=$((n + 1)) && [ $n -lt 100 ] || fatal "$name: no '$pattern' in $reply"
        usleep 100000
    done
    echo "CBQ_CTL $name $reply"
    LAST_REPLY=$reply
}
T=/sys/kernel/tracing
mark() { echo "CBQ_MARK $1" >$T/trace_marker; }
coin_edges_since() { sed -n "/CBQ_MARK $1\$/,\$p" $T/trace | grep -c 'gpio_value:'; }

say "init uptime=$(cut -d' ' -f1 /proc/uptime) kernel=$(uname -r)"
while read -r m; do insmod "/lib/modules/$m.ko" || fatal "insmod $m"; done </lib/modules/modules.load
# fbcon would draw the console (and its cursor) over the daemon's screen
for v in /sys/class/vtconsole/vtcon*; do
    grep -q 'frame buffer' "$v/name" 2>/dev/null && echo 0 >"$v/bind"
done

# --- the GPIO chip: gpio-sim through configfs
mount -t configfs configfs /sys/kernel/config || fatal "mount configfs"
C=/sys/kernel/config/gpio-sim/cashbridge
mkdir "$C" "$C/bank0" || fatal "gpio-sim configfs"
echo 3 >"$C/bank0/num_lines"
echo cashbridge-sim-chip >"$C/bank0/label"
for l in "$COIN:coin" "$INHIBIT:inhibit" "$COIN_RETURN:coin_return"; do
    mkdir "$C/bank0/line${l%%:*}" && echo "${l#*:}" >"$C/bank0/line${l%%:*}/name"
done
echo 1 >"$C/live" || fatal "gpio-sim live"
CHIP=$(cat "$C/bank0/chip_name")
SIM=/sys/devices/platform/$(cat "$C/dev_name")/$CHIP
# Inputs idle inactive: INHIBIT and COIN RETURN are active low, so pulled up.
echo pull-up >"$SIM/sim_gpio$INHIBIT/pull"
echo pull-up >"$SIM/sim_gpio$COIN_RETURN/pull"
BASE=$(cat /sys/class/gpio/"$CHIP"/base 2>/dev/null || cat /sys/bus/gpio/devices/"$CHIP"/../gpio/*/base)
say "chip $CHIP base=$BASE sysfs=$SIM"
# the daemon's config names the chip by label, so its number does not matter
[ -c "/dev/$CHIP" ] || fatal "/dev/$CHIP missing"

# --- the kernel's record of every value the daemon sets, on CLOCK_MONOTONIC
mount -t tracefs tracefs $T || fatal "mount tracefs"
echo mono >$T/trace_clock
echo 'get == 0' >$T/events/gpio/gpio_value/filter
echo 1 >$T/events/gpio/gpio_value/enable

# --- the stack: broker, payment server + customer, the daemon
ip link set lo up
mkdir -p /run/sim /var/lib/cashbridge
mosquitto -c /etc/cashbridge/mosquitto.conf >/tmp/mosquitto.log 2>&1 &
usleep 300000
cashbridge-sim --profile /etc/cashbridge/profile.json --lines /run/sim/lines.sock \
    --control /run/sim/ctl.sock --broker tcp://127.0.0.1:1883 --machine "$MACHINE" \
    --key /etc/cashbridge/key --scanner-uinput "$SCANNER_LINK" \
    --price-device "$PRICE_DEVICE" >/tmp/sim.log 2>&1 &
cashbridged --config /etc/cashbridge/cashbridged.json >/tmp/daemon.log 2>&1 &
DAEMON=$!
usleep 300000
ctl_step session wait session timeout_ms=30000
mount -t debugfs debugfs /sys/kernel/debug
sed -n "/$CHIP/,/^\$/p" /sys/kernel/debug/gpio | sed 's/^/CBQ_GPIO /'    # consumers, directions

# --- framebuffer: the daemon's QR screen, read back from the device (host decodes it)
usleep 1500000                   # the display thread renders asynchronously
FB=/sys/class/graphics/fb0
say "fb $(cat $FB/name | tr ' ' _) size=$(cat $FB/virtual_size) bpp=$(cat $FB/bits_per_pixel) stride=$(cat $FB/stride)"
dd if=/dev/fb0 of=/dev/vda bs=65536 2>/dev/null && sync || fatal "cannot copy /dev/fb0 to /dev/vda"
ctl_step fb_session status

# --- scenario 1: a payment becomes pulses
mark pay1
ctl_step pay1 pay
PAY1=$(echo "$LAST_REPLY" | sed -n 's/.*"payment":"\([^"]*\)".*/\1/p')
ctl_step pay1_delivered wait report="$PAY1" type=credit.delivered timeout_ms=30000
mark pay1_end

# --- scenario 2: INHIBIT mid-payment holds the credit; released, the rest is delivered
ctl_step session2 wait session new timeout_ms=30000
mark pay2
ctl_step pay2 pay
PAY2=$(echo "$LAST_REPLY" | sed -n 's/.*"payment":"\([^"]*\)".*/\1/p')
n=0
while [ "$(coin_edges_since pay2)" -lt 8 ]; do     # 4 pulses in
    # (reading the trace costs the single vCPU: poll slowly, to leave the daemon alone)
    n=$((n + 1)) && [ $n -lt 125 ] || fatal "no pulses after the second payment"
    usleep 40000
done
echo pull-down >"$SIM/sim_gpio$INHIBIT/pull"
mark inhibit_on
usleep 1000000
ctl_step inhibited status
mark inhibit_off
echo pull-up >"$SIM/sim_gpio$INHIBIT/pull"
ctl_step pay2_delivered wait report="$PAY2" type=credit.delivered timeout_ms=30000
mark pay2_end

# --- scenario 3: the coin-return button (active low, so pull-down = pressed) cancels the
# session on screen and a new one opens; nothing is credited. The waiter is in place before
# the press, so the new session cannot slip past it.
ctl_step session3 wait session new timeout_ms=30000
ctl wait session new timeout_ms=30000 >/tmp/coin_return.json &
WAITER=$!
usleep 100000
mark coin_return_on
echo pull-down >"$SIM/sim_gpio$COIN_RETURN/pull"          # pressed
wait "$WAITER" || fatal "no new session after coin return: $(cat /tmp/coin_return.json)"
echo "CBQ_CTL session_after_return $(cat /tmp/coin_return.json)"
usleep 200000
echo pull-up >"$SIM/sim_gpio$COIN_RETURN/pull"            # let go
usleep 300000
ctl_step coin_return_end status
mark coin_return_end

# --- scenario 5: a keyboard-wedge (USB HID) scanner. The sim plays it as a uinput keyboard
# (typing a code and Enter, as a scanner set to a US layout does); the daemon reads its event
# node through libevdev, grabbed. An unknown code (typed on the keypad) is rejected and never
# reaches the server; unplugged, the state shows the scanner missing; plugged back (a new
# event node), a WeChat-style code on the session on screen is paid and credited.
until_ctl scan_before '"scanner_present":1' status
ctl_step scan_unknown scan "$CODE_UNKNOWN" keypad=1
until_ctl scan_rejected '"scans_rejected":1' status
NODE_BEFORE=$(readlink "$SCANNER_LINK")
ctl_step scan_unplug unplug scanner
until_ctl scanner_missing '"scanner_present":0' status
ctl_step scan_plug plug scanner
until_ctl scanner_back '"scanner_present":1' status
say "scanner node_before=$NODE_BEFORE node_after=$(readlink "$SCANNER_LINK")"
mark scan_pay
ctl_step scan_wechat scan "$CODE_WECHAT"
until_ctl scan_orders '"payment":"' orders
PAY4=$(echo "$LAST_REPLY" | sed -n 's/.*"payment":"\([^"]*\)".*/\1/p')
ctl_step scan_delivered wait report="$PAY4" type=credit.delivered timeout_ms=30000
mark scan_pay_end

# --- claims the chip refuses: a line another process holds, an offset past the chip's
# last line, a chip that does not exist. Each must stop start-up naming chip and offset.
for name in busy offset chip; do
    timeout 20 cashbridged --config "/etc/cashbridge/claim-$name.json" >/tmp/claim.out 2>&1
    echo "CBQ_CLAIM $name exit=$? $(tr '\n' ' ' </tmp/claim.out)"
done

ctl_step final status
kill "$DAEMON"
wait "$DAEMON"
say "daemon exit=$?"

# --- scenario 4: the same payment on an open-drain coin line (as config/raspberry-pi.json).
# gpio-sim cannot drive open drain, so the kernel emulates it (released = input, traced as
# gpio_direction), and the sim's pull-up plays the external pull-up resistor that keeps a
# released line inactive.
# It starts with INHIBIT already active: the level read at request time must keep it from
# opening a session until the machine is ready.
echo pull-up >"$SIM/sim_gpio$COIN/pull"
echo pull-down >"$SIM/sim_gpio$INHIBIT/pull"
echo 1 >$T/events/gpio/gpio_direction/enable
ctl wait session new timeout_ms=30000 >/tmp/session3.json &
WAITER=$!
usleep 100000
cashbridged --config /etc/cashbridge/open-drain.json >/tmp/daemon-open-drain.log 2>&1 &
DAEMON=$!
usleep 1500000
ctl_step start_inhibited status
kill -0 "$WAITER" 2>/dev/null && say "start_inhibited session=none" || say "start_inhibited session=opened"
echo pull-up >"$SIM/sim_gpio$INHIBIT/pull"
wait "$WAITER" || fatal "no session from the open-drain daemon: $(cat /tmp/session3.json)"
mark od_pay
ctl_step pay3 pay
PAY3=$(echo "$LAST_REPLY" | sed -n 's/.*"payment":"\([^"]*\)".*/\1/p')
ctl_step pay3_delivered wait report="$PAY3" type=credit.delivered timeout_ms=30000
mark od_end
kill "$DAEMON"
wait "$DAEMON"
rc=$?
say "od_released value=$(cat "$SIM/sim_gpio$COIN/value") exit=$rc"
echo 0 >$T/events/gpio/enable    # (the GPIO scenarios are over)

# --- scenario 6: the price feed on real UARTs. qemu wires ttyS1 and ttyS2 (16550s, the
# kernel's 8250 driver) to each other; the daemon reads ttyS1 through libserialport (which
# refuses the pseudo-terminals every other test uses), the sim plays the machine on ttyS2.
cashbridged --config /etc/cashbridge/price-uart.json >/tmp/daemon-uart.log 2>&1 &
DAEMON=$!
until_ctl uart_open '"price_feed_present":1' status
ctl wait session new timeout_ms=30000 >/tmp/uart_session.json &
WAITER=$!
usleep 100000
ctl_step uart_price price "$UART_PRICE"
wait "$WAITER" || fatal "no session from the price fed on ttyS2: $(cat /tmp/uart_session.json)"
echo "CBQ_CTL uart_session $(cat /tmp/uart_session.json)"
kill "$DAEMON"
wait "$DAEMON"
say "uart_daemon exit=$?"
for n in 1 2; do    # the driver's byte counters: the amount crossed the emulated wire
    say "uart$n $(ls -d /sys/class/tty/ttyS$n) $(grep "^$n:" /proc/tty/driver/serial)"
done
grep -E 'gpio_value:|gpio_direction:|CBQ_MARK' $T/trace | sed 's/^/CBQ_TRACE /'
for f in /tmp/*.log; do sed "s#^#CBQ_LOG $(basename "$f" .log) #" "$f"; done
say "end uptime=$(cut -d' ' -f1 /proc/uptime)"
echo CBQ_END
poweroff -f
