#!/usr/bin/env python3
"""The report of `make bench BENCH_CLOCK=icount`: instructions per migrated
folio, from the samples of guests whose clock counts instructions
(DIR/raw-KERNEL-BOOT.txt, written by tests/bench-guest.sh --icount).

A sample's ns over its folios is the instructions the kernel and
migrate_bench executed per folio moved (both directions). Per boot, the
median of its samples; per kernel, the median of its boots' medians, and
the spread of those boot medians ((max - min) / median), which is what
decides how small a difference this can see. Prints the table and writes
DIR/results.json.

Figures:
  ours, no migrator / stock   the price of the series when nothing uses
                              it (target: at most 1.003)
  per decision                (size0 - tm) instructions per folio: what a
                              BPF policy's can_migrate_dma() (`size`,
                              min_order=0: its tunables and counter
                              maps, a kfunc) costs over the migrator's
                              own can_migrate_dma(), both offloading
                              every folio to the test migrator's CPU copy
  per folio, batch decision   (always - tm): the same for `always`, which
                              decides once per batch in decide_batch()

Demotion (kinds d4k, d2m, when the guests have a lower memory tier): a
sample is the instructions of a write to a cgroup's memory.reclaim over
the folios it demoted: reclaim's scan, unmap and copy per folio demoted.

Usage: scripts/bench-icount-report.py DIR
Exit 1 when a mode or folio size has no sample.
"""
import glob
import json
import os
import re
import statistics
import sys

MODES = [
    ("stock", "stock 6.12"),
    ("nomig", "ours, no migrator"),
    ("tm", "ours, test migrator, its own decision"),
    ("size0", "ours, test migrator, BPF size (per folio)"),
    ("always", "ours, test migrator, BPF always (per batch)"),
]
KINDS = [("4k", "4 KiB"), ("2m", "2 MiB")]
# Demotion under reclaim, in guests with a lower memory tier: optional
DEMOTE_KINDS = [("d4k", "demote 4 KiB"), ("d2m", "demote 2 MiB")]
TARGET = 1.003
SAMPLE = re.compile(r"^mode=(\S+) sample kind=(\S+) .*folios=(\d+) ns=(\d+)")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    # (mode, kind) -> [median of each boot]
    boots = {}
    nboots = 0
    for path in sorted(glob.glob(os.path.join(out, "raw-*-*.txt"))):
        per = {}
        with open(path) as f:
            for line in f:
                m = SAMPLE.match(line)
                if m and int(m.group(3)) > 0:
                    per.setdefault((m.group(1), m.group(2)), []).append(
                        int(m.group(4)) / int(m.group(3)))
        for key, vals in per.items():
            boots.setdefault(key, []).append(statistics.median(vals))
        nboots += 1
    results = {"boots_files": nboots, "modes": {}}
    missing = []
    print("instructions per migrated folio (median of boot medians; "
          "spread of the boot medians)")
    print(f"{'mode':<42} {'folio':<12} {'insns/folio':>12} {'spread':>8} {'boots':>5}")
    med = {}
    demote = [k for k in DEMOTE_KINDS if any(key[1] == k[0] for key in boots)]
    for mode, title in MODES:
        for kind, kname in KINDS + demote:
            vals = boots.get((mode, kind))
            if not vals:
                if (kind, kname) in KINDS or mode in ("stock", "nomig"):
                    missing.append(f"{mode}/{kind}")
                continue
            m = statistics.median(vals)
            spread = (max(vals) - min(vals)) / m
            med[(mode, kind)] = m
            results["modes"].setdefault(mode, {})[kind] = {
                "median": m, "min": min(vals), "max": max(vals),
                "spread": spread, "boots": vals}
            print(f"{title:<42} {kname:<12} {m:>12.0f} {100 * spread:>7.2f}% {len(vals):>5}")
    print()
    results["ratio"] = {}
    for kind, kname in KINDS + demote:
        if ("nomig", kind) in med and ("stock", kind) in med:
            r = med[("nomig", kind)] / med[("stock", kind)]
            results["ratio"][kind] = r
            verdict = "within" if r <= TARGET else "OVER"
            print(f"ours without a migrator / stock, {kname}: {r:.4f}x "
                  f"({verdict} the {TARGET}x target)")
    for key, mode, what in (
            ("per_decision", "size0",
             "BPF policy per decision over the migrator's own"),
            ("per_folio_batch_decision", "always",
             "BPF policy deciding per batch, per folio")):
        results[key] = {}
        for kind, kname in KINDS + demote:
            if (mode, kind) in med and ("tm", kind) in med:
                d = med[(mode, kind)] - med[("tm", kind)]
                results[key][kind] = d
                print(f"{what}, {kname}: {d:+.0f} instructions")
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    if missing:
        print(f"bench-icount-report: no samples for {', '.join(missing)}",
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
