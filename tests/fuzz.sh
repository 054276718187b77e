#!/bin/sh
# fuzz.sh - replays every fuzz harness over its seed corpus (built from the
# fixtures) and over the regression inputs in tests/fuzz/regress/NAME/ (each
# a crash that fuzzing once found), with the normal compiler; CI also runs
# them under the sanitizers and runs libFuzzer itself (make fuzz-run); with
# ./configure --enable-valgrind they run under memcheck.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

for name in sockstat protocols netstat sysinfo diag report sysctltext sstext nstattext; do
	bin=${BUILDDIR:-$SRCDIR}/tests/fuzz/replay_$name
	if [ ! -x "$bin" ]; then
		not_ok "$name: replay binary not built"
		continue
	fi
	PEER_FIXTURES=$PEER_FIXTURES LISTINPUTS=${BUILDDIR:-$SRCDIR}/tests/helpers/listinputs \
		sh "$SRCDIR/tests/fuzz/corpus.sh" $name "$TMPD/$name" > /dev/null
	set -- "$TMPD/$name"/*
	if [ -d "$SRCDIR/tests/fuzz/regress/$name" ]; then
		set -- "$@" "$SRCDIR/tests/fuzz/regress/$name"/*
	fi
	# under --enable-valgrind: valgrind and its options, split into words
	# shellcheck disable=SC2086
	if out=$(${SOCKMEM_TEST_WRAP:-} "$bin" "$@" 2>&1); then
		ok "$name: $out replayed"
	else
		not_ok "$name: replay failed"
		diag "$out"
	fi
done
done_testing
