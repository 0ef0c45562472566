#!/bin/bash
# migctl's host-side unit tests (tests/host/migctl-unit.c, built by
# `make loader`): argument parsing, value validation, the built-in
# policies' tunables as read from their BTF. TAP on stdout.
top=$(cd "$(dirname "$0")/../.." && pwd)
unit=$top/build/obj/tests/host/migctl-unit
if [ ! -x "$unit" ]; then
	echo "TAP version 13"
	echo "1..1"
	echo "not ok 1 - migctl unit tests: $unit not built (make loader)"
	exit 1
fi
exec "$unit"
