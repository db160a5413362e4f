#!/usr/bin/env bash
# Boot KDIR's kernel with virtme-ng (host root shared read-only, cwd the
# project top) and run COMMAND in the guest; print its output (stdout and
# stderr merged) and exit with its exit status.
#
# KVM is used only when the CPU has VMX/SVM and a probe boot succeeds;
# otherwise TCG with -cpu qemu64.  The command's output and status travel
# through a shared read-write directory, not virtme-ng's virtio ports, so
# they arrive even when the guest cannot bring those ports up.
#
# usage: vm-run.sh KDIR [--cpus N] [--memory SIZE] [--rwdir DIR]... -- COMMAND...
# env:   VM_DMESG=FILE    save the guest kernel log there (the serial console
#                         log if the guest died before it could run dmesg)
#        VM_CONSOLE=FILE  keep the serial console log there
#        VM_TIMEOUT=SECS  kill the VM after this long (default 3600; exit 124)
#        VM_ACCEL=kvm|tcg skip the KVM probe
#        VM_TCG_OPTS=...  more QEMU options for a TCG guest (e.g. "-icount shift=4")
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
usage() { sed -n 's/^# usage: /usage: /p' "$0" >&2; exit 2; }
[ $# -ge 1 ] || usage
kdir=$(cd "$1" && pwd)
shift
cpus=2 memory=2G rwdirs=()
while [ $# -gt 0 ]; do
	case $1 in
	--cpus) cpus=$2; shift 2 ;;
	--memory) memory=$2; shift 2 ;;
	--rwdir) rwdirs+=("--rwdir=$(cd "$2" && pwd)"); shift 2 ;;
	--) shift; break ;;
	*) usage ;;
	esac
done
[ $# -ge 1 ] || usage

mkdir -p "$top/build/vm-io"
io=$(mktemp -d "$top/build/vm-io/run.XXXXXX")
vpid=
trap '[ -z "$vpid" ] || kill "$vpid" 2>/dev/null; rm -rf "$io"' EXIT

# The host root is shared read-only and does not change under the guest, so
# 9p may cache it: that halves the cost of every exec under TCG.
vng_base=(vng --run "$kdir" --force-9p --cpus "$cpus" --memory "$memory"
	--append "rootflags=version=9p2000.L,trans=virtio,access=any,msize=524288,cache=loose"
	--cwd "${VM_CWD:-$top}" --rwdir="$io" "${rwdirs[@]}")

accel=${VM_ACCEL:-}
if [ -z "$accel" ]; then
	accel=tcg
	if grep -qwE 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ] &&
		timeout -k 5 60 "${vng_base[@]}" -- true </dev/null >/dev/null 2>&1; then
		accel=kvm
	fi
fi
case $accel in
kvm) accel_opts=() ;;
# QEMU 7.2's TCG caches translated code by virtual address: with ASLR every
# process has its libraries translated anew, which makes each exec ~30%
# slower.  Nothing here depends on address randomisation.
tcg) accel_opts=(--disable-kvm --qemu-opts="-cpu qemu64 ${VM_TCG_OPTS:-}"
	--append norandmaps) ;;
*) echo "vm-run: VM_ACCEL must be kvm or tcg" >&2; exit 2 ;;
esac
echo "vm-run: $accel${VM_TCG_OPTS:+ ($VM_TCG_OPTS)}, $cpus CPUs, $memory, kernel $kdir" >&2

# The guest side: run the command with its output in a file, then leave the
# kernel log and the status next to it.
printf '%q ' "$@" >"$io/cmd"
q=$(printf '%q' "$io")
# dmesg follows /dev/kmsg from the start, so a 'dmesg -C' in a test loses
# nothing.
cat >"$io/guest.sh" <<EOF
dmesg --follow >$q/dmesg 2>&1 &
( . $q/cmd ) </dev/null >$q/out 2>&1
rc=\$?
sleep 1
kill \$! 2>/dev/null
echo \$rc >$q/rc
EOF
: >"$io/out"
console=${VM_CONSOLE:-$io/console}
start=$(date +%s)
timeout -k 10 "${VM_TIMEOUT:-3600}" "${vng_base[@]}" "${accel_opts[@]}" --verbose \
	-- bash "$io/guest.sh" </dev/null 2>"$console" &
vpid=$!
# Stream the output while the VM runs; tail exits once the VM is gone.
tail -n +1 -f --pid="$vpid" "$io/out"
vrc=0
wait "$vpid" || vrc=$?
vpid=

if [ -n "${VM_DMESG:-}" ]; then
	if [ -s "$io/dmesg" ]; then
		cp "$io/dmesg" "$VM_DMESG"
	else
		echo "vm-run: no guest dmesg; saving the console log as $VM_DMESG" >&2
		cp "$console" "$VM_DMESG"
	fi
fi
echo "vm-run: VM ran $(($(date +%s) - start)) s" >&2
if [ ! -s "$io/rc" ]; then
	echo "vm-run: the guest reported no exit status (vng exit $vrc);" \
		"console log tail:" >&2
	tail -n 30 "$console" >&2 || true
	[ "$vrc" -eq 124 ] && exit 124
	exit 125
fi
exit "$(cat "$io/rc")"
