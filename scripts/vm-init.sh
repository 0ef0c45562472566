#!/bin/bash
# PID 1 of a vmtest.sh guest.  The root is the host's / over 9p, read-only.
# Mounts the pseudo filesystems and the shared folders, runs the command that
# vmtest.sh left in its run directory, reports the exit status on ttyS1 and
# powers the guest off.  Never exits: PID 1 exiting would panic the kernel.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TERM=${TERM:-linux} LANG=C.UTF-8

finish() {
	echo "VMTEST_EXIT=$1" > /dev/ttyS1
	sync
	echo b > /proc/sysrq-trigger
	sleep 10
}

mount -t proc proc /proc

# Read what vmtest.sh left in its run directory now: the repository may
# live under /tmp or /run, which the tmpfs mounts below hide until the
# shared folders are mounted again on top of them.
run=$(sed -n 's/.*vmtest\.run=\([^ ]*\).*/\1/p' /proc/cmdline)
if [ -z "$run" ] || [ ! -r "$run/cmd" ]; then
	echo "vm-init: no run directory on the kernel command line" > /dev/console
	finish 125
fi
mapfile -t mounts < "$run/mounts"
modroot=$(cat "$run/modroot")
shell=$(cat "$run/shell")

mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm 2>/dev/null
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t bpf bpffs /sys/fs/bpf
mount -t cgroup2 cgroup2 /sys/fs/cgroup
ln -s /proc/self/fd /dev/fd 2>/dev/null

for m in "${mounts[@]}"; do
	tag=${m%% *} dir=${m#* }
	mkdir -p "$dir" 2>/dev/null
	if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=mmap "$tag" "$dir"; then
		echo "vm-init: cannot mount $tag on $dir" > /dev/console
		finish 125
	fi
done

# Our modules (sw_dma, dma_migrator, dmatest) from the build tree: over
# /lib/modules when the host has one, else (the root is read-only and has
# no mount point) by telling modprobe where they are.
if [ -d "$modroot/lib/modules" ]; then
	if ! { [ -d /lib/modules ] && mount --bind "$modroot/lib/modules" /lib/modules; } 2>/dev/null; then
		export MODPROBE_OPTIONS="-d $modroot"
	fi
fi

# A tiered guest (vmtest.sh --tiers): reclaim demotes to the lower tier.
if grep -q 'vmtest\.tiers=' /proc/cmdline; then
	echo true > /sys/kernel/mm/numa/demotion_enabled ||
		echo "vm-init: cannot enable demotion" > /dev/console
fi

hostname vmtest 2>/dev/null
exec 0</dev/hvc0 1>/dev/hvc0 2>&1
# Command output goes to the host as is: no CR added to each newline.
[ "$shell" = 1 ] || stty -onlcr 2>/dev/null

bash "$run/cmd"
rc=$?
if [ "$shell" = 1 ]; then
	echo "vmtest: interactive shell; 'exit' powers the guest off"
	setsid -c bash -l
	rc=$?
fi
finish "$rc"
