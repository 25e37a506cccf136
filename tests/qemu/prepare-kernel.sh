#!/usr/bin/env bash
# Prepares the guest kernel for the qemu test: Debian's own kernel (the candidate of
# linux-image-amd64), the modules the guest loads, and gpio-sim.ko built out of tree.
# Usage: prepare-kernel.sh CACHE_DIR   Prints the prepared folder as its last line.
# Everything is downloaded with apt-get download and unpacked with dpkg-deb under
# CACHE_DIR (nothing is installed on the host), so a second run only checks stamps.
set -euo pipefail
CACHE=${1:?usage: prepare-kernel.sh CACHE_DIR}
export LC_ALL=C
log() { printf '[prepare-kernel] %s\n' "$*" >&2; }
die() { printf '[prepare-kernel] error: %s\n' "$*" >&2; exit 1; }

# --- which kernel: what linux-image-amd64 pulls in today (same as a fresh install)
meta=$(apt-cache policy linux-image-amd64 | awk '/Candidate:/{print $2}')
[ -n "$meta" ] && [ "$meta" != "(none)" ] || die "apt knows no linux-image-amd64 (run apt-get update)"
kpkg=$(apt-cache show "linux-image-amd64=$meta" | awk -F': ' '/^Depends:/{print $2; exit}' |
    grep -o 'linux-image-[^ ,]*' | head -1)
kver=$(apt-cache show "$kpkg" | awk '/^Version:/{print $2; exit}')
abi=${kpkg#linux-image-}                     # 6.1.0-56-amd64
series=$(echo "$abi" | cut -d. -f1,2)        # 6.1
# Bump when what this script leaves in the folder changes (modules added, ...): a folder
# prepared by an older recipe is then prepared again beside it instead of being reused.
recipe=2                                     # 2: evdev and uinput added
out=$CACHE/kernel-$abi-$kver-r$recipe
if [ -f "$out/ready" ]; then
    log "cached: $out"
    echo "$out"
    exit 0
fi
log "kernel $kpkg $kver: preparing $out"

# --- download (kept in CACHE/deb; a new kernel version simply adds files)
pkgs=("$kpkg" "linux-headers-$abi" "linux-headers-${abi%-amd64}-common" "linux-kbuild-$series"
    "linux-source-$series")
mkdir -p "$CACHE/deb"
deb() { ls "$CACHE/deb/${1}_${kver}"_*.deb 2>/dev/null | head -1; }
need=()
for p in "${pkgs[@]}"; do [ -n "$(deb "$p")" ] || need+=("$p=$kver"); done
if [ ${#need[@]} -gt 0 ]; then
    log "apt-get download ${need[*]}"
    # apt's _apt user may not write to CACHE: it then warns and downloads as root
    (cd "$CACHE/deb" && apt-get download -q "${need[@]}" 2>&1 | grep -v 'unsandboxed' >&2) || true
fi
for p in "${pkgs[@]}"; do [ -n "$(deb "$p")" ] || die "could not download $p=$kver"; done

rm -rf "$out" && mkdir -p "$out/modules"
work=$out/work && mkdir -p "$work"

# --- the kernel and the modules we load (not all 400 MB of them)
dpkg-deb --fsys-tarfile "$(deb "$kpkg")" | tar -x -C "$work" --wildcards './boot/*' \
    '*/kernel/fs/configfs/*' '*/kernel/drivers/gpu/drm/*' '*/kernel/drivers/virtio/*' \
    '*/kernel/drivers/block/virtio_blk.ko*' '*/kernel/drivers/input/*'
kconfig=$work/boot/config-$abi
for c in GPIO_CDEV GPIO_CDEV_V1 PVH FTRACE DRM_FBDEV_EMULATION; do
    grep -q "^CONFIG_$c=y" "$kconfig" || die "kernel lacks CONFIG_$c"
done
# the keyboard-wedge scanner: the sim's uinput keyboard, read by the daemon through evdev
for c in INPUT_EVDEV INPUT_UINPUT; do
    grep -q "^CONFIG_$c=[ym]" "$kconfig" || die "kernel lacks CONFIG_$c"
done
grep -q '^CONFIG_GPIO_SIM=' "$kconfig" && log "note: this kernel has its own gpio-sim; building ours anyway"

# Boot the ELF vmlinux through its PVH entry: skips the in-guest xz decompression of the
# bzImage, seconds under TCG. The bzImage payload is one xz stream.
vmlinuz=$work/boot/vmlinuz-$abi
offset=$(grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -1 | cut -d: -f1)
[ -n "$offset" ] || die "no xz stream in $vmlinuz"
(set +o pipefail; tail -c +$((offset + 1)) "$vmlinuz" | xz -dc --single-stream >"$out/vmlinux" 2>/dev/null)
[ "$(head -c 4 "$out/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] || die "vmlinux extraction failed"

# Load order: each module after the modules its .modinfo "depends=" names.
kmods=$(ls -d "$work"/lib/modules/*)
order=()
add_module() {
    local name=$1 file dep
    for m in "${order[@]}"; do [ "$m" = "$name" ] && return 0; done
    file=$(find "$kmods" -name "$name.ko" | head -1)
    [ -n "$file" ] || die "module $name not in $kpkg"
    for dep in $(grep -a -o 'depends=[^[:cntrl:]]*' "$file" | head -1 | cut -d= -f2 | tr , ' '); do
        add_module "$dep"
    done
    cp "$file" "$out/modules/"
    order+=("$name")
}
for m in configfs virtio_pci virtio_blk bochs; do add_module "$m"; done
# built in (=y) on some kernels: then there is no module to load
for m in evdev uinput; do
    grep -q "^CONFIG_INPUT_${m^^}=m" "$kconfig" && add_module "$m"
done

# --- gpio-sim: not built in Debian's kernels (nor the IRQ_SIM it needs), so build it from
# linux-source of the same version, bundling irq_sim.c, against the unpacked headers.
hroot=$work/headers
for p in "linux-headers-$abi" "linux-headers-${abi%-amd64}-common" "linux-kbuild-$series"; do
    dpkg -x "$(deb "$p")" "$hroot"
done
hdir=$hroot/usr/src/linux-headers-$abi
# the arch headers' Makefile includes the common ones by absolute path
sed -i "s#^include /usr/src/#include $hroot/usr/src/#" "$hdir/Makefile"
src=linux-source-$series
dpkg-deb --fsys-tarfile "$(deb "linux-source-$series")" | tar -xO "./usr/src/$src.tar.xz" |
    tar -xJ -C "$work" "$src/drivers/gpio/gpio-sim.c" "$src/drivers/gpio/gpiolib.h" \
        "$src/kernel/irq/irq_sim.c"
mod=$work/gpio-sim
mkdir -p "$mod"
cp "$work/$src/drivers/gpio/gpio-sim.c" "$mod/gpio-sim-core.c"
cp "$work/$src/drivers/gpio/gpiolib.h" "$work/$src/kernel/irq/irq_sim.c" "$mod/"
# irq_to_desc() is not exported to modules in 6.1; generic_handle_irq() is and ends in the
# same handle_simple_irq() that irq_sim installs for each of its interrupts.
sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' "$mod/irq_sim.c"
! grep -q irq_to_desc "$mod/irq_sim.c" || die "irq_sim.c patch did not apply (new kernel?)"
printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio-sim-core.o irq_sim.o\n' >"$mod/Kbuild"
make -s -C "$hdir" M="$mod" modules >"$out/gpio-sim-build.log" 2>&1 ||
    { cat "$out/gpio-sim-build.log" >&2; die "gpio-sim module build failed"; }
cp "$mod/gpio-sim.ko" "$out/modules/"
order+=(gpio-sim)

printf '%s\n' "${order[@]}" >"$out/modules.load"
echo "$abi $kver" >"$out/kernel-version"
rm -rf "$work"
touch "$out/ready"
log "ready: $out (modules: ${order[*]})"
echo "$out"
