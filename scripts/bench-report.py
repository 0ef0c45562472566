#!/usr/bin/env python3
"""The report of `make bench`: read the samples the guests wrote
(DIR/raw-*.txt, tests/bench-guest.sh), print the table, write
DIR/results.json and DIR/throughput.dat (for gnuplot).

Usage: scripts/bench-report.py DIR ACCEL CPU_MODEL [--smoke]
With --smoke, exit 1 unless every mode has a positive throughput for every
folio size (and the memcpy ceiling is there).
"""
import glob
import json
import os
import statistics
import sys
import time

MODES = [   # name, title in the table, label in the plot
    ("stock", "stock 6.12", "stock 6.12"),
    ("nomig", "ours, no migrator", "ours\\nno migrator"),
    ("tm", "ours, test migrator (CPU)", "test migrator\\n(CPU copy)"),
    ("always", "ours, always + CPU copy", "always policy\\n+ CPU copy"),
    ("dma1", "ours, size + sw_dma 1ch", "size policy\\nsw_dma 1 ch"),
    ("dma2", "ours, size + sw_dma 2ch", "size policy\\nsw_dma 2 ch"),
]
KIND_NAMES = {"4k": "4 KiB", "64k": "64 KiB", "2m": "2 MiB",
              "d4k": "demote 4 KiB", "d2m": "demote 2 MiB"}


def summary(values):
    return {"median": statistics.median(values), "min": min(values),
            "max": max(values), "n": len(values)}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    smoke = "--smoke" in sys.argv
    if len(args) != 3:
        sys.exit(__doc__)
    out, accel, cpu_model = args
    samples = {}   # (mode, kind) -> [(bytes, folios, ns)]
    info = {}
    for path in sorted(glob.glob(os.path.join(out, "raw-*.txt"))):
        label = os.path.basename(path)[4:-4]
        for line in open(path):
            words = line.split()
            if not words:
                continue
            if words[0] == "info":
                k, _, v = words[1].partition("=")
                info.setdefault(label, {})[k] = v
                continue
            f = dict(w.split("=", 1) for w in words if "=" in w)
            samples.setdefault((f["mode"], f["kind"]), []).append(
                (int(f["bytes"]), int(f["folios"]), int(f["ns"])))

    def stats(mode, kind):
        s = samples.get((mode, kind))
        if not s:
            return None
        gbps = [b / ns for b, _, ns in s]             # bytes/ns = GB/s
        fps = [fo * 1e9 / ns for _, fo, ns in s]
        return {"gbps": summary(gbps), "folios_per_s": summary(fps)}

    ceiling = stats("memcpy", "memcpy")
    ours = info.get("ours", {})
    kinds = ours.get("kinds", "4k,2m").split(",")
    res = {
        "date": time.strftime("%Y-%m-%d"),
        "accelerator": accel.upper(),
        "cpu_model": cpu_model,
        "guest": {k: ours.get(k) for k in ("kernel", "cpus", "nodes", "erms", "fsrm")},
        "working_set_mib": int(ours.get("mib", 0)),
        "repetitions": int(ours.get("reps", 0)) * int(ours.get("boots", 1)),
        "memcpy_ceiling": ceiling,
        "modes": {},
    }
    for label, inf in info.items():
        res["guest_" + label] = inf
    ok = ceiling is not None and ceiling["gbps"]["median"] > 0
    for mode, _, _ in MODES:
        m = {}
        for kind in kinds:
            st = stats(mode, kind)
            if st is None:
                continue
            med = st["gbps"]["median"]
            if ceiling:
                st["x_memcpy"] = med / ceiling["gbps"]["median"]
            stock = stats("stock", kind)
            if stock:
                st["x_stock"] = med / stock["gbps"]["median"]
            m[kind] = st
            ok = ok and med > 0 and st["folios_per_s"]["median"] > 0
        if m:
            res["modes"][mode] = m
        elif mode != "stock" or not smoke:
            ok = False
            print("bench: no samples for mode %s" % mode, file=sys.stderr)
    for mode in res["modes"]:
        for kind in kinds:
            if kind not in res["modes"][mode]:
                ok = False
                print("bench: no samples for mode %s, %s" % (mode, kind), file=sys.stderr)

    def med(mode, kind, what="gbps"):
        try:
            return res["modes"][mode][kind][what]["median"]
        except KeyError:
            return None

    def paired(a, b, kind):
        """Median over repetitions of A's throughput / B's in the same
        repetition (the i-th sample of each: the same rep of one guest, or
        of the stock and our guest booted one after the other), which
        cancels the host's slow drifts that a ratio of medians keeps."""
        sa, sb = samples.get((a, kind), []), samples.get((b, kind), [])
        r = [(xb[2] / xb[1]) / (xa[2] / xa[1]) for xa, xb in zip(sa, sb)]
        return statistics.median(r) if r else None

    # The policy's cost: `always` against the same migrator deciding by
    # itself (tm), both copying with the CPU; per folio, from the medians
    # of the time per folio.
    pol = {}
    for kind in kinds:
        a, t = med("always", kind, "folios_per_s"), med("tm", kind, "folios_per_s")
        if a and t:
            pol["x_tm_" + kind] = paired("always", "tm", kind)
            pol["x_tm_medians_" + kind] = a / t
            pol["ns_per_decision_" + kind] = 1e9 / a - 1e9 / t
        n = med("nomig", kind, "folios_per_s")
        if a and n:
            pol["x_nomig_" + kind] = paired("always", "nomig", kind)
            pol["x_nomig_medians_" + kind] = a / n
    if "bpf_run_cnt" in ours:
        pol["bpf_run_cnt"] = int(ours["bpf_run_cnt"])
        pol["bpf_ns_per_run"] = int(ours["bpf_run_time_ns"]) / max(1, int(ours["bpf_run_cnt"]))
    res["policy"] = pol

    targets = []

    def target(name, value, want):
        if value is not None:
            targets.append({"target": name, "value": round(value, 3), "want": want,
                            "met": value >= want})
    for kind in ("4k", "2m"):
        target("no migrator / stock, %s" % KIND_NAMES[kind], paired("nomig", "stock", kind), 0.98)
    target("always + CPU / test migrator, 4 KiB", pol.get("x_tm_4k"), 0.97)
    target("always + CPU / test migrator, 2 MiB", pol.get("x_tm_2m"), 0.99)
    target("always + CPU / no migrator, 4 KiB", pol.get("x_nomig_4k"), 0.97)
    target("always + CPU / no migrator, 2 MiB", pol.get("x_nomig_2m"), 0.99)
    if ceiling and med("nomig", "2m"):
        target("2 MiB, no migrator / memcpy", med("nomig", "2m") / ceiling["gbps"]["median"], 0.5)
    if ceiling and med("stock", "2m"):
        target("2 MiB, stock / memcpy", med("stock", "2m") / ceiling["gbps"]["median"], 0.5)
    res["targets"] = targets

    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")

    # gnuplot data: one row per mode, one GB/s column per folio size
    with open(os.path.join(out, "throughput.dat"), "w") as f:
        f.write('mode %s\n' % " ".join('"%s"' % KIND_NAMES[k] for k in kinds))
        for mode, _, label in MODES:
            if mode in res["modes"]:
                f.write('"%s" %s\n' % (label, " ".join(
                    "%.4f" % (med(mode, k) or 0) for k in kinds)))

    print("migration benchmark, %s: accelerator %s (QEMU -cpu %s), %s vCPUs, %s nodes, "
          "kernel %s" % (res["date"], res["accelerator"], cpu_model, ours.get("cpus"),
                         ours.get("nodes"), ours.get("kernel")))
    print("move_pages(2) of %d MiB between the nodes and back, %d repetitions: median "
          "[min-max]" % (res["working_set_mib"], res["repetitions"]))
    if ceiling:
        c = ceiling["gbps"]
        print("memcpy ceiling (same working set, node 0 -> 1): %.3f GB/s [%.3f-%.3f]"
              % (c["median"], c["min"], c["max"]))
    print()
    hdr = "%-26s %-12s %-22s %-12s %-8s %-8s" % ("mode", "folio", "GB/s", "folios/s",
                                                "x stock", "x memcpy")
    print(hdr)
    print("-" * len(hdr))
    for mode, title, _ in MODES:
        for kind in kinds:
            st = res["modes"].get(mode, {}).get(kind)
            if not st:
                continue
            g = st["gbps"]
            print("%-26s %-12s %-22s %-12s %-8s %-8s" % (
                title, KIND_NAMES[kind],
                "%.3f [%.3f-%.3f]" % (g["median"], g["min"], g["max"]),
                "%.0f" % st["folios_per_s"]["median"],
                "%.3f" % st["x_stock"] if "x_stock" in st else "-",
                "%.3f" % st["x_memcpy"] if "x_memcpy" in st else "-"))
    print()
    demote = [k for k in kinds if k.startswith("d")]
    if demote:
        print("demotion under reclaim (memory.reclaim of %d MiB in a cgroup, node 0 -> the "
              "lower tier): the reclaiming task's time, median ms" % res["working_set_mib"])
        for mode, title, _ in MODES:
            row = []
            for kind in demote:
                s = samples.get((mode, kind))
                if s:
                    row.append("%s %.1f ms" % (KIND_NAMES[kind],
                                               statistics.median(ns for _, _, ns in s) / 1e6))
            if row:
                print("  %-26s %s" % (title, ", ".join(row)))
        print()
    if "ns_per_decision_4k" in pol:
        print("policy cost at 4 KiB: %.0f ns per decision (always vs test migrator, medians of "
              "the time per folio); throughput x%.3f (paired), x%.3f (medians)"
              % (pol["ns_per_decision_4k"], pol["x_tm_4k"], pol["x_tm_medians_4k"]))
    if "bpf_ns_per_run" in pol:
        print("policy cost, kernel BPF run-time stats: %.0f ns per call over %d calls"
              % (pol["bpf_ns_per_run"], pol["bpf_run_cnt"]))
    if smoke:
        print("smoke run: a tiny working set, once; its ratios are not measurements")
    print("targets: paired ratios (median over repetitions of the ratio within a repetition)")
    for t in targets:
        print("target %-40s %6.3f  >= %.2f  %s" % (t["target"], t["value"], t["want"],
                                                  "met" if t["met"] else "MISSED"))
    if not ok:
        print("bench: incomplete results", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
