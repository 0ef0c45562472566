# Malformed module parameters of the software DMA engine and of the DMA
# backend, from a table: negative, huge, non-numeric, out of range. At load
# time the module must refuse to load; written at run time, the write must
# fail and leave the value as it was. The values at the edges of each range
# are accepted.
. "$TOP/tests/lib.sh"
need_dma_backend
# The last check counts the backend's folios against what it migrated.
quiet_mm
unload_dma

# refused_load MODULE PARAM=VALUE: modprobe fails, nothing stays loaded
refused_load() {
	if modprobe "$1" "$2" 2> /dev/null; then
		unload_dma
		fail "modprobe $1 $2 succeeded"
	fi
	[ -d "/sys/module/$1" ] && fail "$1 is loaded after modprobe $1 $2 failed"
	echo "modprobe $1 $2: refused"
}

# refused_write MODULE PARAM VALUE: the write fails, the value is unchanged
refused_write() {
	local f=/sys/module/$1/parameters/$2 before after
	read -r before < "$f"
	if (echo "$3" > "$f") 2> /dev/null; then
		fail "$1 $2='$3' was accepted (now $(cat "$f"))"
	fi
	read -r after < "$f"
	[ "$after" = "$before" ] || fail "$1 $2='$3' refused, but the value changed from $before to $after"
	echo "$1 $2='$3': refused, still $after"
}

# accepted_write MODULE PARAM VALUE
accepted_write() {
	local f=/sys/module/$1/parameters/$2 v
	echo "$3" > "$f" || fail "$1 $2='$3' was refused"
	read -r v < "$f"
	echo "$1 $2='$3': accepted"
	[ "$v" = "$3" ] || fail "$1 $2='$3' reads back as '$v'"
}

# --- at load time -------------------------------------------------------------
while read -r mod param; do
	refused_load "$mod" "$param"
done <<'EOF'
sw_dma nr_chans=0
sw_dma nr_chans=17
sw_dma nr_chans=-1
sw_dma nr_chans=two
sw_dma nr_chans=99999999999999999999
sw_dma fail_every=-1
sw_dma fail_every=1x
sw_dma fail_percent=101
sw_dma fail_percent=-1
sw_dma fail_prep_every=4294967296
sw_dma delay_us=10000001
sw_dma delay_us=-5
sw_dma delay_us=1e6
sw_dma out_of_order=2
sw_dma model=dsa
sw_dma model=
sw_dma model=fullx
sw_dma max_seg_size=4097
sw_dma max_seg_size=-4096
sw_dma delay_every=-1
sw_dma nodes=-1
sw_dma nodes=63
sw_dma nodes=0,1,0,1,0
sw_dma nodes=zero
sw_dma public=maybe
EOF

modprobe sw_dma nr_chans=2 || fail "modprobe sw_dma nr_chans=2"
while read -r param; do
	refused_load dma_migrator "$param"
done <<'EOF'
nr_chans=17
nr_chans=-1
nr_chans=all
timeout_ms=0
timeout_ms=600001
timeout_ms=-1
timeout_ms=10s
desc_bytes=0
desc_bytes=4095
desc_bytes=6000
desc_bytes=-4096
desc_bytes=4294967296
desc_bytes=1M
rounds=65
rounds=-1
breaker=-1
breaker=x
EOF

# --- at run time ----------------------------------------------------------
modprobe dma_migrator || fail "modprobe dma_migrator"
while read -r mod param value; do
	refused_write "$mod" "$param" "$value"
done <<'EOF'
sw_dma fail_every -1
sw_dma fail_every abc
sw_dma fail_every 4294967296
sw_dma fail_prep_every 0x
sw_dma fail_percent 101
sw_dma fail_percent 4294967295
sw_dma fail_percent -1
sw_dma delay_us 10000001
sw_dma delay_us -1
sw_dma delay_us 18446744073709551616
sw_dma out_of_order 2
sw_dma out_of_order maybe
dma_migrator timeout_ms 0
dma_migrator timeout_ms 600001
dma_migrator timeout_ms ten
dma_migrator desc_bytes 0
dma_migrator desc_bytes 4097
dma_migrator desc_bytes -4096
dma_migrator breaker -1
sw_dma delay_every x
EOF
# Read-only after load: the channel counts, the model, the segment size,
# the rounds.
for mod in sw_dma dma_migrator; do
	refused_write "$mod" nr_chans 1
done
refused_write sw_dma model ioat
refused_write sw_dma max_seg_size 4096
refused_write dma_migrator rounds 1

# The edges of each range are accepted.
while read -r mod param value; do
	accepted_write "$mod" "$param" "$value"
done <<'EOF'
sw_dma fail_percent 100
sw_dma fail_percent 0
sw_dma delay_us 10000000
sw_dma delay_us 0
sw_dma fail_every 4294967295
sw_dma fail_every 0
dma_migrator timeout_ms 1
dma_migrator timeout_ms 600000
dma_migrator timeout_ms 10000
dma_migrator desc_bytes 4096
dma_migrator desc_bytes 1048576
dma_migrator breaker 0
dma_migrator breaker 8
sw_dma delay_every 0
EOF

# And the backend still copies, every byte intact.
dsnap s
migrate --size 4 anon
expect_eq "backend folios" "$(ddelta s folios)" "$folios"
unload_dma
