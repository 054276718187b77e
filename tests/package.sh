#!/bin/bash
# package.sh - make check-package: builds the Debian package from a copy of
# the distribution (dpkg-buildpackage -us -uc -b), runs lintian on it (no
# error allowed), unpacks it into a throwaway root (dpkg -x) and checks that
# the program, the man pages, the completions, the JSON Schema, the systemd
# units, the mixin and the NPD configs land where the packaging says, that
# the units name the installed binary and Debian's textfile directory, and
# that the installed program runs; then that the RPM spec parses (rpmspec -P)
# and, with rpmbuild, builds.  TAP; usage: package.sh DISTDIR WORKDIR
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

DIST=$1 W=$2
[ -d "$DIST/debian" ] || skip_all "$DIST has no debian/ directory"
command -v dpkg-buildpackage > /dev/null || skip_all "dpkg-dev not installed"
VERSION=$(dpkg-parsechangelog -l "$DIST/debian/changelog" -S Version)
ARCH=$(dpkg --print-architecture)
DEB=$W/sockmem_${VERSION}_$ARCH.deb

t0=$(date +%s)
if (cd "$DIST" && dpkg-buildpackage -us -uc -b) > "$W/dpkg-buildpackage.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b ($(( $(date +%s) - t0 )) s, tests included)"
else
	not_ok "dpkg-buildpackage -us -uc -b: see $W/dpkg-buildpackage.log"
	diag "$(tail -20 "$W/dpkg-buildpackage.log")"
	done_testing
fi
if command -v lintian > /dev/null; then
	lintian --fail-on error --display-info "$W/sockmem_${VERSION}_$ARCH.changes" > "$W/lintian.log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		ok "lintian: no error ($(grep -c '^W:' "$W/lintian.log") warnings, $(grep -c '^I:' "$W/lintian.log") infos)"
	else
		not_ok "lintian"; diag "$(grep -E '^(E|W):' "$W/lintian.log" | head -20)"
	fi
	diag "$(grep -E '^(W|I):' "$W/lintian.log")"
else
	skip "lintian not installed"
fi

R=$W/root
rm -rf "$R"
dpkg -x "$DEB" "$R"
check "dpkg -x into a throwaway root" test -x "$R/usr/sbin/sockmem"
for f in usr/sbin/sockmem \
	usr/share/man/man8/sockmem.8.gz usr/share/man/man5/sockmem-json.5.gz \
	usr/share/man/man8/sockmem-show.8.gz usr/share/man/man8/sockmem-top.8.gz \
	usr/share/man/man8/sockmem-advise.8.gz usr/share/man/man8/sockmem-simulate.8.gz \
	usr/share/man/man8/sockmem-watch.8.gz usr/share/man/man8/sockmem-snapshot.8.gz \
	usr/share/bash-completion/completions/sockmem \
	usr/share/zsh/vendor-completions/_sockmem \
	usr/share/fish/vendor_completions.d/sockmem.fish \
	usr/share/sockmem/sockmem.schema.json \
	lib/systemd/system/sockmem-textfile.service \
	lib/systemd/system/sockmem-textfile-oneshot.service \
	lib/systemd/system/sockmem-textfile.timer \
	lib/systemd/system/sockmem-findings.service \
	lib/systemd/system/sockmem-findings.timer \
	usr/share/man/man8/sockmem-check.8.gz usr/share/man/man8/sockmem-trace.8.gz \
	usr/share/sockmem/mixin/prometheus_alerts.yaml \
	usr/share/sockmem/mixin/prometheus_rules.yaml \
	usr/share/sockmem/mixin/sockmem-overview.json \
	usr/share/sockmem/mixin/runbook.md \
	usr/share/sockmem/node-problem-detector/sockmem-plugin-monitor.json \
	usr/share/sockmem/node-problem-detector/sockmem-kernel-monitor.json \
	usr/share/sockmem/kubernetes/sockmem-daemonset.yaml \
	usr/share/doc/sockmem/copyright; do
	check "installed: /$f" test -s "$R/$f"
done
# every man page the sources have is in the package, and every page renders
for m in "$DIST"/man/*.[58]; do
	n=$(basename "$m")
	check "man page $n packaged and renders" sh -c "zcat '$R/usr/share/man/man${n##*.}/$n.gz' | groff -man -Tutf8 -ww -z 2>&1 | { ! grep -q .; }"
done
check "the units run the installed binary" grep -q '^ExecStart=/usr/sbin/sockmem watch' "$R/lib/systemd/system/sockmem-textfile.service"
check "the units write Debian's textfile directory" sh -c \
	"grep -q -- '--output /var/lib/prometheus/node-exporter/sockmem.prom' '$R/lib/systemd/system/sockmem-textfile.service' && grep -q '^ReadWritePaths=/var/lib/prometheus/node-exporter$' '$R/lib/systemd/system/sockmem-textfile-oneshot.service'"
check "no unit left with a template placeholder" sh -c "! grep -l '@[A-Za-z_]*@' '$R'/lib/systemd/system/*"
if command -v systemd-analyze > /dev/null && [ -e /lib/systemd/system/sysinit.target ]; then
	# against the host's systemd; the man pages the units cite from the
	# package; only the binary's absence from the host is expected
	out=$(cd "$R" && MANPATH=$R/usr/share/man SYSTEMD_LOG_LEVEL=err systemd-analyze verify \
		lib/systemd/system/sockmem-textfile.service lib/systemd/system/sockmem-textfile-oneshot.service \
		lib/systemd/system/sockmem-textfile.timer lib/systemd/system/sockmem-findings.service \
		lib/systemd/system/sockmem-findings.timer 2>&1 | grep -v 'Command /usr/sbin/sockmem is not executable')
	if [ -z "$out" ]; then ok "systemd-analyze verify: the units, and the man pages they cite"; else not_ok "systemd-analyze verify"; diag "$out"; fi
else
	skip "systemd-analyze verify: no systemd on this host"
fi
check "the installed program runs: --version" sh -c "'$R/usr/sbin/sockmem' --version | grep -q '^sockmem $VERSION'"
check "the installed program reads a snapshot" sh -c "'$R/usr/sbin/sockmem' --root '$DIST/tests/trees/linux-6.18-loaded' show --json | jq -e '.schema_version' > /dev/null"
check "the installed program reads a sosreport in place (libarchive)" sh -c "'$R/usr/sbin/sockmem' --root '$DIST/tests/captures/sosreport-vm-6.18-x86_64.tar.xz' show --json | jq -e '.capture.archive == true' > /dev/null"
check "the installed schema is the source's" cmp "$R/usr/share/sockmem/sockmem.schema.json" "$DIST/man/sockmem.schema.json"
check "the package depends on the libraries it links" sh -c "dpkg-deb -f '$DEB' Depends | grep -q libmnl0 && dpkg-deb -f '$DEB' Depends | grep -q libjansson4"
check "the package recommends libarchive13 and libncursesw6 (loaded when used), not depends on them" sh -c "dpkg-deb -f '$DEB' Recommends | grep -q libarchive13 && dpkg-deb -f '$DEB' Recommends | grep -q libncursesw6 && ! dpkg-deb -f '$DEB' Depends | grep -Eq 'libarchive|ncurses'"
check "the package suggests libbpf1 (trace before 5.17, loaded then), not depends on it" sh -c "dpkg-deb -f '$DEB' Suggests | grep -q libbpf1 && ! dpkg-deb -f '$DEB' Depends | grep -q libbpf"
check "the units are not enabled or started by the package" sh -c "! dpkg-deb -e '$DEB' '$W/ctrl' 2>/dev/null || ! grep -qs 'deb-systemd-invoke start' '$W/ctrl/postinst'"

# --- RPM: the spec parses and, where rpmbuild can, builds
SPEC=$DIST/rpm/sockmem.spec
if command -v rpmspec > /dev/null; then
	check "rpmspec -P rpm/sockmem.spec" sh -c "rpmspec -P '$SPEC' > '$W/spec.parsed' 2> '$W/rpmspec.err'"
	check "spec version is the package's" grep -q "^Version: *${VERSION%%-*}$" "$W/spec.parsed"
else
	skip "rpmspec (rpm) not installed"
fi
if command -v rpmbuild > /dev/null; then
	# without the build dependencies' RPM database (--nodeps): Debian's own
	# libraries and tools stand in for them
	mkdir -p "$W/rpm/SOURCES"
	tar -C "$(dirname "$DIST")" -czf "$W/rpm/SOURCES/sockmem-${VERSION%%-*}.tar.gz" \
		--exclude=debian/sockmem --exclude=debian/.debhelper "$(basename "$DIST")"
	t0=$(date +%s)
	if rpmbuild -bb --nodeps --define "_topdir $W/rpm" "$SPEC" > "$W/rpmbuild.log" 2>&1; then
		ok "rpmbuild -bb ($(( $(date +%s) - t0 )) s, %check included)"
		RPM=$(ls "$W"/rpm/RPMS/*/sockmem-*.rpm | head -1)
		check "the RPM holds the program, the man pages, the schema and the units" sh -c \
			"rpm -qlp '$RPM' 2>/dev/null | grep -qx /usr/sbin/sockmem && rpm -qlp '$RPM' 2>/dev/null | grep -qx /usr/share/man/man8/sockmem.8 && rpm -qlp '$RPM' 2>/dev/null | grep -qx /usr/share/sockmem/sockmem.schema.json && rpm -qlp '$RPM' 2>/dev/null | grep -qx /usr/lib/systemd/system/sockmem-textfile.service"
	else
		not_ok "rpmbuild -bb: see $W/rpmbuild.log"; diag "$(tail -15 "$W/rpmbuild.log")"
	fi
fi
done_testing
