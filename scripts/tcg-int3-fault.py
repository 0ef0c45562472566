#!/usr/bin/env python3
"""Recognise QEMU multi-threaded TCG's live-patching fault in a guest console.

Linux patches a static key or static call site with text_poke_bp(): an int3
on the site's first byte, the rest of the instruction, then the final first
byte, each step followed by a synchronisation of every CPU. A CPU that
meets the int3 meanwhile is sent on by poke_int3_handler(). Under QEMU's
multi-threaded TCG a vCPU sometimes runs a stale translation of the site
after all of that, executes an int3 that memory no longer holds, and the
kernel dies with "Oops: int3" (scripts/tcg-int3-check.sh shows it on upstream
code). Hardware cannot do that; a real kernel bug can still end in an int3
oops, so the recognition is narrow:

  - the console's first splat (scripts/splat-patterns) is "Oops: int3",
    the first oops of the boot, and the only splat but the panic it causes
    and other vCPUs' "Oops: int3" at the same site (QEMU's translations are
    shared by all vCPUs: two can run the stale one at once). Such an oops
    is printed within a second of the first, with a timestamp of its own;
    when the panic cuts it short before its RIP, it is taken as the same;
  - its RIP is in the kernel image (not a module), one byte past the first
    byte of a site the kernel patches at run time: a jump label entry of
    __jump_table, a static call site of .static_call_sites, a static call
    trampoline (__SCT__*), or a function's call to __fentry__ (__mcount_loc),
    which ftrace patches for a tracer or a kprobe (fail_function), read
    from the vmlinux that booted;
  - the Code: line shows that byte as no longer 0xcc: the patching had
    already finished when the int3 ran.

Anything else is not this fault.

  tcg-int3-fault.py sites VMLINUX SYSTEM_MAP > SITES
      every live-patch site as "SYMBOL+0xOFF/0xSIZE KIND", the form a
      kernel oops prints an address in.
  tcg-int3-fault.py check CONSOLE SITES
      exit 0 and print one line when CONSOLE shows exactly this fault;
      exit 1 and print why not otherwise; exit 2 on bad usage.
"""
import bisect
import re
import struct
import subprocess
import sys

SPLAT_PATTERNS = __file__.rsplit("/", 1)[0] + "/splat-patterns"


RIP = re.compile(r"RIP: 0010:([\w.]+)\+0x([0-9a-f]+)/0x([0-9a-f]+)(\s+\[[\w]+\])?")


def die(msg):
    print("tcg-int3-fault: " + msg, file=sys.stderr)
    sys.exit(2)


def sections(vmlinux):
    """{name: (address, file offset, size)} from readelf."""
    try:
        out = subprocess.run(["readelf", "-SW", vmlinux], check=True,
                             capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        die("cannot read the sections of %s: %s" % (vmlinux, e))
    secs = {}
    for m in re.finditer(r"\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)"
                         r"\s+([0-9a-f]+)", out):
        secs[m.group(1)] = tuple(int(m.group(i), 16) for i in (2, 3, 4))
    return secs


def read_map(system_map):
    """One pass over System.map: the text symbols, sorted, as [(address,
    [names])] with aliases merged (what kallsyms names an address with, and
    where each symbol ends), and the __start_/__stop_ bounds of sections."""
    by_addr, bounds = {}, {}
    try:
        with open(system_map) as f:
            for line in f:
                parts = line.split()
                if len(parts) != 3:
                    continue
                addr, kind, name = int(parts[0], 16), parts[1], parts[2]
                if kind in "tTwW":
                    by_addr.setdefault(addr, []).append(name)
                elif name.startswith(("__start_", "__stop_")):
                    bounds[name] = addr
    except (OSError, ValueError) as e:
        die("cannot read %s: %s" % (system_map, e))
    return sorted(by_addr.items()), bounds


def site_addresses(vmlinux, symbols, bounds):
    """(address, kind) of every run-time patched site of the image. The
    tables lie within a section (.rodata on x86), bounded by symbols."""
    secs = sections(vmlinux)

    def table(f, name, entry, absolute=False):
        start = bounds.get("__start_" + name)
        stop = bounds.get("__stop_" + name)
        if start is None or stop is None:
            die("System.map has no __start_/__stop_%s" % name)
        for addr, off, size in secs.values():
            if addr <= start and stop <= addr + size:
                break
        else:
            die("no section of %s holds %s" % (vmlinux, name))
        f.seek(off + start - addr)
        data = f.read(stop - start)
        offsets = range(0, len(data) - len(data) % entry, entry)
        if absolute:
            return [struct.unpack_from("<Q", data, i)[0] for i in offsets]
        # Each entry starts with its code address relative to itself.
        return [start + i + struct.unpack_from("<i", data, i)[0]
                for i in offsets]

    try:
        with open(vmlinux, "rb") as f:
            sites = [(a, "jump_label") for a in table(f, "__jump_table", 16)]
            sites += [(a, "static_call")
                      for a in table(f, "static_call_sites", 8)]
            # The call to __fentry__ of each traceable function, which
            # ftrace patches (and kprobes on ftrace, fail_function).
            if "__start_mcount_loc" in bounds:
                sites += [(a, "ftrace")
                          for a in table(f, "mcount_loc", 8, absolute=True)]
    except OSError as e:
        die("cannot read %s: %s" % (vmlinux, e.strerror))
    sites += [(a, "static_call_tramp") for a, names in symbols
              if any(n.startswith("__SCT__") for n in names)]
    return sites


def cmd_sites(vmlinux, system_map):
    symbols, bounds = read_map(system_map)
    starts = [a for a, _ in symbols]
    lines = set()
    for addr, kind in site_addresses(vmlinux, symbols, bounds):
        i = bisect.bisect_right(starts, addr) - 1
        if i < 0 or i + 1 >= len(symbols):
            continue
        start, names = symbols[i]
        size = symbols[i + 1][0] - start
        for name in names:
            lines.add("%s+0x%x/0x%x %s" % (name, addr - start, size, kind))
    sys.stdout.write("".join(line + "\n" for line in sorted(lines)))


def check(console, sites_file):
    """(True, line) when CONSOLE shows the emulator's fault, else (False, why)."""
    try:
        with open(console, errors="replace") as f:
            text = f.read().splitlines()
        with open(SPLAT_PATTERNS) as f:
            pats = [re.compile(p) for p in f.read().split("\n") if p]
        sites = {}
        with open(sites_file) as f:
            for line in f:
                if not line.startswith("#"):
                    key, kind = line.split()
                    sites[key] = kind
    except (OSError, ValueError) as e:
        die("cannot read the console, patterns or sites: %s" % e)

    splats = [(i, l) for i, l in enumerate(text) if any(p.search(l) for p in pats)]
    if not splats:
        return False, "no splat in the console"
    first, oops = splats[0]
    m = re.search(r"Oops: int3: [0-9a-f]+ \[#(\d+)\]", oops)
    if not m:
        return False, "the first splat is not an int3 oops: " + oops.strip()
    if m.group(1) != "1":
        return False, "not the first oops of the boot"
    others = []
    for i, line in splats[1:]:
        if re.search(r"Kernel panic - not syncing: Fatal exception", line):
            continue
        if not re.search(r"Oops: int3: [0-9a-f]+ \[#\d+\]", line):
            return False, "another splat follows the int3 oops: " + line.strip()
        others.append(i)

    # The oops's own lines, up to the panic it causes.
    block = text[first:splats[1][0] if len(splats) > 1 else len(text)]
    rip = code = None
    for line in block:
        if rip is None:
            rip = RIP.search(line)
        if code is None:
            code = re.search(r"Code: ((?:[0-9a-f]{2} )*)<([0-9a-f]{2})>", line)
    if not rip:
        return False, "no kernel-mode RIP in the oops"
    sym, off, size, module = rip.group(1), int(rip.group(2), 16), \
        rip.group(3), rip.group(4)
    where = "%s+0x%x" % (sym, off)
    if module:
        return False, "the int3 is in module%s, not the kernel image" % module
    site = "%s+0x%x/0x%s" % (sym, off - 1, size)
    if site not in sites:
        return False, "%s is not one byte past a live-patch site" % where
    if not code or not code.group(1):
        return False, "no Code: bytes before RIP in the oops"
    byte = code.group(1).split()[-1]
    if byte == "cc":
        return False, ("the int3 at %s is still in memory (Code: byte cc): "
                       "not the emulator's fault" % site.split("/")[0])
    why = other_vcpus(text, first, others, where)
    if why:
        return False, why
    return True, ("Oops: int3 at %s, the %s site %s, whose first byte was "
                  "already patched (Code: %s), is QEMU TCG's live-patching "
                  "fault (scripts/tcg-int3-check.sh), not a kernel bug%s"
                  % (where, sites[site].replace("_", " "),
                     site.split("/")[0], byte,
                     "; %d more vCPU(s) met it too" % len(others)
                     if others else ""))


def stamp(line):
    """The printk timestamp of LINE in seconds, or None."""
    m = re.match(r"\[\s*(\d+\.\d+)\]", line)
    return float(m.group(1)) if m else None


def other_vcpus(text, first, others, where):
    """None when every further int3 oops (line numbers OTHERS) is another
    vCPU meeting the same stale translation at WHERE, else why not."""
    t0 = stamp(text[first])
    for i in others:
        t = stamp(text[i])
        if t is None or t0 is None or not 0 <= t - t0 < 1:
            return ("another int3 oops, not within a second of the first: "
                    + text[i].strip())
        # Its own lines carry its timestamp; the first oops's and the
        # panic's are interleaved with them.
        for line in text[i:]:
            rip = RIP.search(line) if stamp(line) == t else None
            if rip and "%s+0x%s" % (rip.group(1), rip.group(2)) != where:
                return ("another int3 oops at %s+0x%s, not at %s"
                        % (rip.group(1), rip.group(2), where))
    return None


def main(argv):
    if len(argv) == 4 and argv[1] == "sites":
        cmd_sites(argv[2], argv[3])
        return 0
    if len(argv) == 4 and argv[1] == "check":
        ok, line = check(argv[2], argv[3])
        print(line)
        return 0 if ok else 1
    print("usage: tcg-int3-fault.py sites VMLINUX SYSTEM_MAP\n"
          "       tcg-int3-fault.py check CONSOLE SITES", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
