# The software DMA engine passes the kernel's own dmaengine client, dmatest:
# every channel, with immediate, delayed and out-of-order completion. An
# outside client proves the provider before our backend relies on it.
. "$TOP/tests/lib.sh"
need_dma_backend
modprobe -n -q dmatest || skip "kernel without CONFIG_DMATEST"
unload_dma
modprobe sw_dma nr_chans=2 || fail "modprobe sw_dma"
chans=$(ls /sys/class/dma | grep -c chan)
expect_eq "channels" "$chans" 2

dmatest() {	# dmatest LABEL: 100 copies on each channel, all verified
	local before log n
	before=$(swstat completed)
	dmesg -C
	modprobe dmatest timeout=20000 iterations=100 threads_per_chan=1 \
		max_channels=2 channel= run=1 || fail "$1: modprobe dmatest"
	cat /sys/module/dmatest/parameters/wait >/dev/null
	log=$(dmesg | grep 'dmatest:.*summary')
	rmmod dmatest || fail "$1: rmmod dmatest"
	echo "$log" | sed -e "s/^/$1: /"
	n=$(echo "$log" | grep -c 'summary 100 tests, 0 failures')
	expect_eq "$1: channels with 100 tests and 0 failures" "$n" 2
	[ $(( $(swstat completed) - before )) -ge 200 ] ||
		fail "$1: sw_dma completed $(( $(swstat completed) - before )) descriptors, expected at least 200"
}

dmatest immediate
swset delay_us 500
dmatest delayed
swset delay_us 0
swset out_of_order 1
dmatest out-of-order
swset out_of_order 0
expect_eq "injected faults" "$(swstat failed)" 0
rmmod sw_dma || fail "rmmod sw_dma"
