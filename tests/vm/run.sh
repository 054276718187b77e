#!/bin/bash
# run.sh - the kernel matrix: boots Debian's own kernels under qemu (TCG) and
# runs tests/vm/guest.sh inside each, against the kernel's own flags.
#
#   tests/vm/run.sh [-i] [-l] [-k] [-H NAME] [-s DIR] [NAME...]
#     -i       first install the Debian packages it needs that are missing
#              (qemu, cross compilers, cpio: see DEPS; as root)
#     -l       list the matrix and exit
#     -H NAME  also run the host oracle, tests/oracle.sh (bash, jq, flock from
#              this host), in kernel NAME's VM (this host's architecture only;
#              repeatable)
#     -k       keep the VM's console log and initramfs (always kept on failure)
#     -s DIR   take "sockmem snapshot" at pressure, hysteresis and UDP limited
#              and unpack them into DIR/<release>-<arch>-<state>/
#     NAME     the kernels to run (default: all); see -l
#
# For each kernel: fetch the Debian kernel package (cached; nothing goes into
# the host's /boot), build for its architecture sockmem (this tree's sources,
# glibc-linked with its shared libraries in the initramfs), sockfill and jget
# (static), an initramfs with busybox-static, boot it, and read TAP from its
# console.  Output is TAP, each point prefixed with the kernel's name; the
# "# agreement" lines carry the figures of every sample.  Skips (exit 77)
# when nothing could run: no qemu, no cross compiler, packages unreachable.
#
# Environment:
#   SRCDIR, BUILDDIR     the source and build trees (default: this checkout)
#   SOCKMEM_SRCS         sockmem's C sources, relative to SRCDIR (make passes them)
#   SOCKMEM_VM_CACHE     kernels, packages and apt lists (default
#                        /var/cache/sockmem-vm, else ~/.cache/sockmem-vm)
#   SOCKMEM_VM_MIRROR    Debian mirror (default: the host's own apt source)
#   SOCKMEM_VM_REFRESH=1 look the kernel packages up again (default: cached ones)
#   SOCKMEM_VM_TIMEOUT   seconds per VM (default 600)
#   SOCKMEM_VM_BUDGET    seconds the whole matrix may take (default 1800: a
#                        test point of its own when every kernel is run)
#   SOCKMEM_VM_NICE      niceness of qemu (default 10)
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
: "${SRCDIR:=$(cd "$HERE/../.." && pwd)}"
: "${BUILDDIR:=$SRCDIR}"
: "${SOCKMEM_VM_TIMEOUT:=600}"
: "${SOCKMEM_VM_BUDGET:=1800}"
: "${SOCKMEM_VM_NICE:=10}"
if [ -z "${SOCKMEM_VM_CACHE:-}" ]; then
	if mkdir -p /var/cache/sockmem-vm 2>/dev/null && [ -w /var/cache/sockmem-vm ]; then
		SOCKMEM_VM_CACHE=/var/cache/sockmem-vm
	else
		SOCKMEM_VM_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/sockmem-vm
	fi
fi
CACHE=$SOCKMEM_VM_CACHE
WORK=$BUILDDIR/tests/vm-build
export LC_ALL=C

# NAME ARCH SUITE PACKAGE: the kernels Debian ships for the lines and page
# sizes sockmem's users run.  (trixie's ppc64el kernel packages are listed
# but not served by the registry reachable here: 404, so ppc64le is sid's.)
MATRIX="
x86_64-5.10      x86_64  bullseye linux-image-amd64
x86_64-6.1       x86_64  bookworm linux-image-amd64
x86_64-6.12      x86_64  trixie   linux-image-amd64
x86_64-7.2       x86_64  sid      linux-image-amd64
arm64-16k-6.12   arm64   trixie   linux-image-arm64-16k
ppc64le-64k-7.2  ppc64le sid      linux-image-powerpc64le-64k
"

# What it runs with, as Debian packages (-i installs the missing ones).
DEPS="qemu-system-x86 qemu-system-arm qemu-system-ppc cpio xz-utils zstd kmod binutils
gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross"

keep=0 snapdir= list=0 install=0 host_oracle=0 oracle_on=" "
while getopts iH:lks: o; do
	case $o in
	i) install=1 ;;
	H) host_oracle=1 oracle_on="$oracle_on$OPTARG " ;;
	l) list=1 ;;
	k) keep=1 ;;
	s) snapdir=$OPTARG ;;
	*) echo "usage: $0 [-i] [-l] [-k] [-H NAME] [-s DIR] [NAME...]" >&2; exit 64 ;;
	esac
done
shift $((OPTIND - 1))
if [ $list = 1 ]; then
	printf '%s\n' "$MATRIX" | awk 'NF'
	exit 0
fi
want=" $* " all=0
[ $# -eq 0 ] && all=1 && want=" $(printf '%s\n' "$MATRIX" | awk 'NF { printf "%s ", $1 }') "
for n in $want; do
	printf '%s\n' "$MATRIX" | awk -v n="$n" '$1 == n { f = 1 } END { exit !f }' ||
		{ echo "run.sh: no kernel $n in the matrix (-l lists it)" >&2; exit 64; }
done

tap_n=0 failed=0 skipped=0 ran=0
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() { tap_n=$((tap_n + 1)); failed=$((failed + 1)); echo "not ok $tap_n - $*"; }
skip() { tap_n=$((tap_n + 1)); skipped=$((skipped + 1)); echo "ok $tap_n - $* # SKIP"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
log() { echo "run.sh: $*" >&2; }

# ------------------------------------------------------------- per architecture
# deb architecture, GNU triplet, compiler, qemu, its machine arguments, console
arch_info() {
	case $1 in
	x86_64)  DEBARCH=amd64 TRIPLET=x86_64-linux-gnu XCC=${CC:-gcc} QEMU=qemu-system-x86_64 QPKG=qemu-system-x86
		QARGS=(-M q35 -cpu qemu64,-cx16 -m 512) CONSOLE=ttyS0 ;;
	arm64)   DEBARCH=arm64 TRIPLET=aarch64-linux-gnu XCC=aarch64-linux-gnu-gcc QEMU=qemu-system-aarch64 QPKG=qemu-system-arm
		QARGS=(-M virt -cpu max,pauth-impdef=on -m 1024) CONSOLE=ttyAMA0 ;;
	ppc64le) DEBARCH=ppc64el TRIPLET=powerpc64le-linux-gnu XCC=powerpc64le-linux-gnu-gcc QEMU=qemu-system-ppc64 QPKG=qemu-system-ppc
		QARGS=(-M pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off,cap-hpt-max-page-size=64k
			-cpu power9 -m 1024) CONSOLE=hvc0 ;;
	esac
	[ "$DEBARCH" = amd64 ] && [ "$(uname -m)" = x86_64 ] && NATIVE=1 || NATIVE=0
}

# ------------------------------------------------------------- Debian packages
mirror() {
	[ -n "${SOCKMEM_VM_MIRROR:-}" ] && { echo "$SOCKMEM_VM_MIRROR"; return; }
	# the host's own Debian source: deb822 URIs, else a one-line entry
	cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '$1 == "URIs:" && $2 ~ /\/debian\/?$/ { print $2; exit }' | grep . ||
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\/.*\/debian\/?$/) { print $i; exit } }' | grep .
}

# apt-get/apt-cache on a private sources list and state for SUITE
apt_priv() { # SUITE apt-get|apt-cache ARGS...
	local d=$CACHE/apt/$1 tool=$2; shift 2
	"$tool" -q -o Dir::Etc::SourceList="$d/sources.list" -o Dir::Etc::SourceParts=/nonexistent \
		-o Dir::State::Lists="$d/lists" -o Dir::Cache::Archives="$d/archives" \
		-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o Debug::NoLocking=1 \
		-o APT::Architecture=amd64 -o APT::Architectures::=amd64 -o APT::Architectures::=arm64 \
		-o APT::Architectures::=ppc64el -o APT::Sandbox::User=root "$@"
}

apt_ready() { # SUITE: lists fetched (once; again with SOCKMEM_VM_REFRESH=1)
	local d=$CACHE/apt/$1 m
	if [ -f "$d/updated" ] && [ -z "${SOCKMEM_VM_REFRESH:-}" ]; then return 0; fi
	command -v apt-get > /dev/null || { REASON="apt-get not found"; return 1; }
	m=$(mirror) || { REASON="no Debian mirror in the host's apt sources (set SOCKMEM_VM_MIRROR)"; return 1; }
	mkdir -p "$d/lists/partial" "$d/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $m $1 main" > "$d/sources.list"
	if ! apt_priv "$1" apt-get update > "$d/update.log" 2>&1 ||
		grep -q '^[EW]: Failed to fetch' "$d/update.log"; then
		REASON="apt-get update of $1 failed: $(grep -m1 '^[EW]:' "$d/update.log")"
		return 1
	fi
	touch "$d/updated"
}

fetch_debs() { # SUITE DIR PKG...: download PKG into DIR (cached)
	local s=$1 dir=$2; shift 2
	mkdir -p "$dir"
	(cd "$dir" && apt_priv "$s" apt-get download "$@") > "$dir/download.log" 2>&1 ||
		{ REASON="apt-get download $* ($s) failed: $(grep -m1 '^E:' "$dir/download.log")"; return 1; }
}

# The kernel: $CACHE/kernels/NAME/{vmlinuz,modules/,package}, cached.
fetch_kernel() { # NAME SUITE META DEBARCH
	local name=$1 suite=$2 meta=$3 arch=$4 k=$CACHE/kernels/$1 img deps d tmp
	if [ -s "$k/vmlinuz" ] && [ -s "$k/package" ] && [ -z "${SOCKMEM_VM_REFRESH:-}" ]; then return 0; fi
	apt_ready "$suite" || return 1
	img=$(apt_priv "$suite" apt-cache depends "$meta:$arch" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { sub(/:.*/, "", $2); print $2; exit }')
	[ -n "$img" ] || { REASON="$meta:$arch not found in $suite"; return 1; }
	# 7.x splits the image: the kernel in linux-binary-*, modules in linux-modules-*
	deps=$(apt_priv "$suite" apt-cache depends "$img:$arch" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-(binary|modules)-/ { sub(/:.*/, "", $2); print $2 }')
	tmp=$CACHE/kernels/.$name.tmp
	rm -rf "$tmp"; mkdir -p "$tmp/x"
	fetch_debs "$suite" "$CACHE/debs/$suite" $(for p in $img $deps; do echo "$p:$arch"; done) || return 1
	for p in $img $deps; do
		d=$(ls "$CACHE/debs/$suite/${p}_"*"_$arch.deb" 2>/dev/null | tail -1)
		[ -n "$d" ] || { REASON="$p: no .deb after download"; return 1; }
		dpkg-deb --fsys-tarfile "$d" | tar -x -C "$tmp/x" --wildcards \
			'./boot/vmlinu*' '*/modules/*/vmlinu*' '*/modules/*/kernel/net/*diag*' 2> /dev/null
		dpkg-deb -f "$d" Package Version | sed 's/^[^:]*: //' | paste -sd' ' >> "$tmp/package"
		rm -f "$d"	# the extracted files are the cache
	done
	# /boot/vmlinu[xz]-RELEASE; 7.x: /usr/lib/modules/RELEASE/vmlinuz
	d=$(find "$tmp/x" -type f \( -path '*/boot/vmlinu[xz]-*' -o -path '*/modules/*/vmlinu[xz]' \) | head -1)
	[ -n "$d" ] || { REASON="no vmlinuz in $img"; return 1; }
	mv "$d" "$tmp/vmlinuz"
	mkdir -p "$tmp/modules"
	find "$tmp/x" -name '*diag.ko*' -exec mv {} "$tmp/modules/" \;
	# compressed modules are unpacked here: busybox insmod takes plain ELF
	for d in "$tmp"/modules/*.ko.xz; do [ -e "$d" ] && xz -d "$d"; done
	for d in "$tmp"/modules/*.ko.zst; do [ -e "$d" ] && zstd -q -d --rm "$d"; done
	for d in "$tmp"/modules/*.ko.gz; do [ -e "$d" ] && gzip -d "$d"; done
	rm -rf "$tmp/x" "$k"
	mv "$tmp" "$k"
}

# ------------------------------------------------------------- builds
# The foreign architecture's -dev packages and busybox-static, unpacked.
sysroot() { # DEBARCH
	local sr=$CACHE/sysroot/$1 p d
	if [ -f "$sr/.complete" ]; then return 0; fi
	apt_ready bookworm || return 1
	rm -rf "$sr"; mkdir -p "$sr"
	local pkgs="busybox-static:$1"
	[ "$1" != amd64 ] || [ "$(uname -m)" != x86_64 ] &&
		pkgs="$pkgs libmnl-dev:$1 libmnl0:$1 libjansson-dev:$1 libjansson4:$1"
	fetch_debs bookworm "$CACHE/debs/sysroot-$1" $pkgs || return 1
	for d in "$CACHE/debs/sysroot-$1"/*.deb; do dpkg-deb -x "$d" "$sr"; done
	rm -rf "$CACHE/debs/sysroot-$1"
	touch "$sr/.complete"
}

# sockmem, sockfill and jget for ARCH into $WORK/ARCH/root (an initramfs tree)
build_arch() { # ARCH
	local b=$WORK/$1 r sr=$CACHE/sysroot/$DEBARCH srcs f lib q inc libdirs
	r=$b/root
	command -v "$XCC" > /dev/null || { REASON="$XCC not installed (Debian: gcc-$TRIPLET or gcc)"; return 1; }
	[ -f "$BUILDDIR/config.h" ] || { REASON="no config.h in $BUILDDIR (run ./configure)"; return 1; }
	sysroot "$DEBARCH" || return 1
	[ -x "$sr/bin/busybox" ] || { REASON="busybox-static:$DEBARCH has no /bin/busybox"; return 1; }
	# without top's live view (the initramfs has no ncurses, nor a terminal).
	# With the BPF backend and trace's programs where this build has them
	# (HAVE_BPF: the light skeletons generated in $BUILDDIR/src/bpf hold BPF
	# bytecode, the same for every little-endian target; the kernel relocates
	# it), with libbpf's header-only skel_internal.h copied into a private
	# include directory (never the host's /usr/include in a cross build).
	# Without: bpfiter_none.c and tracer_none.c, and the guests check the
	# model on sock_diag alone.
	withbpf=0
	if grep -q '^#define HAVE_BPF 1' "$BUILDDIR/config.h" &&
		[ -f "$BUILDDIR/src/bpf/sockiter.lskel.h" ] && [ -f "$BUILDDIR/src/bpf/memtrace.lskel.h" ] &&
		[ -f "$BUILDDIR/src/bpf/memtrace_lib.skel.h" ] && [ -f /usr/include/bpf/libbpf.h ] &&
		[ -f /usr/include/bpf/skel_internal.h ]; then
		withbpf=1
	fi
	srcs=$(for f in ${SOCKMEM_SRCS:-$(cd "$SRCDIR" && ls src/*/*.c)}; do
		case $f in
		src/render/output_tui.c|*.bpf.c) ;;
		src/kernel/bpfiter.c|src/kernel/tracer.c|src/kernel/bpflib.c) [ $withbpf = 1 ] && echo "$f" ;;
		src/kernel/bpfiter_none.c|src/kernel/tracer_none.c) [ $withbpf = 0 ] && echo "$f" ;;
		*) echo "$f" ;;
		esac
	done)
	if [ $withbpf = 0 ]; then
		for f in src/kernel/bpfiter_none.c src/kernel/tracer_none.c; do
			case " $(echo $srcs) " in *" $f "*) ;; *) srcs="$srcs $f" ;; esac
		done
	fi
	# one folder per layer: every folder of a source is an include directory
	# (and src/bpf, the records' layout; the skeletons in the build's)
	incdirs="$(for f in $srcs; do dirname "$f"; done | sort -u | sed 's/^/-I/' | tr '\n' ' ') -Isrc/bpf"
	[ $withbpf = 1 ] && incdirs="$incdirs -I$BUILDDIR/src/bpf -I$b/cfg"
	rm -rf "$b"; mkdir -p "$r/bin" "$r/lib" "$r/etc" "$r/modules" "$b/cfg"
	if [ $withbpf = 1 ]; then
		grep -v -e '^#define HAVE_NCURSES ' -e '^#define HAVE_LIBARCHIVE ' "$BUILDDIR/config.h" > "$b/cfg/config.h"
		mkdir -p "$b/cfg/bpf"
		# the regular skeletons' headers too (libbpf.h, btf.h: bpflib.c
		# renames what they declare and opens libbpf with dlopen)
		cp /usr/include/bpf/skel_internal.h /usr/include/bpf/bpf.h /usr/include/bpf/libbpf_common.h \
			/usr/include/bpf/libbpf_version.h /usr/include/bpf/libbpf_legacy.h \
			/usr/include/bpf/libbpf.h /usr/include/bpf/btf.h "$b/cfg/bpf/" 2> /dev/null
	else
		grep -v -e '^#define HAVE_NCURSES ' -e '^#define HAVE_LIBARCHIVE ' -e '^#define HAVE_BPF ' "$BUILDDIR/config.h" > "$b/cfg/config.h"
	fi
	if [ $NATIVE = 1 ]; then
		inc="$(pkg-config --cflags libmnl jansson 2>/dev/null)"
		libdirs="/lib/$TRIPLET /usr/lib/$TRIPLET"
	else
		inc="-I$sr/usr/include -I$sr/usr/include/$TRIPLET -L$sr/usr/lib/$TRIPLET"
		libdirs="$sr/usr/lib/$TRIPLET $sr/lib/$TRIPLET /usr/$TRIPLET/lib"
	fi
	# jansson is linked in; Debian ships no static libmnl, so sockmem takes
	# libmnl, libc and the dynamic loader from the initramfs's /lib.  No
	# libarchive (config.h without it): the guests read no capture archives.
	# shellcheck disable=SC2086
	if ! (cd "$SRCDIR" && $XCC -O2 -g0 -DHAVE_CONFIG_H -I"$b/cfg" $incdirs $inc \
		$(for f in $srcs; do case $f in *.c) echo "$f" ;; esac; done) \
		-o "$r/bin/sockmem" -Wl,-rpath,/lib -Wl,-Bstatic -ljansson -Wl,-Bdynamic -lmnl -lm) \
		> "$b/build.log" 2>&1; then
		REASON="sockmem did not build for $1: $(grep -m1 -i error "$b/build.log")"; return 1
	fi
	# shellcheck disable=SC2086
	if ! { $XCC -O2 -static -o "$r/bin/sockfill" "$SRCDIR/tests/helpers/sockfill.c" &&
		$XCC -O2 -static $inc -o "$r/bin/jget" "$HERE/jget.c" -ljansson; } >> "$b/build.log" 2>&1; then
		REASON="test tools did not build for $1: $(grep -m1 -i error "$b/build.log")"; return 1
	fi
	# tests/oracle.sh as on a host: bash, jq and flock of this host
	if [ $host_oracle = 1 ] && [ $NATIVE = 1 ]; then
		for f in bash jq flock; do
			command -v $f > /dev/null || { REASON="-H: $f not installed"; return 1; }
			cp -L "$(command -v $f)" "$r/bin/$f"
		done
		mkdir -p "$r/host-tests/tests/helpers"
		cp "$SRCDIR/tests/oracle.sh" "$SRCDIR/tests/lib.sh" "$r/host-tests/"
		cp "$r/bin/sockfill" "$r/host-tests/tests/helpers/sockfill"
	fi
	# the shared libraries the dynamic programs need, and the loader; and
	# libbpf, which sockmem opens with dlopen on a kernel before 5.17
	# (absent from a foreign sysroot: those guests' kernels are newer)
	q=$(for f in "$r"/bin/*; do readelf -d "$f" 2> /dev/null | grep -q NEEDED && echo "$f"; done)
	if [ $withbpf = 1 ]; then
		for d in $libdirs; do
			if [ -e "$d/libbpf.so.1" ]; then cp -L "$d/libbpf.so.1" "$r/lib/"; q="$q $r/lib/libbpf.so.1"; break; fi
		done
	fi
	while [ -n "$q" ]; do
		set -- $q; q=
		for f in "$@"; do
			for lib in $(readelf -d "$f" | awk '/NEEDED/ { gsub(/[][]/, "", $NF); print $NF }'); do
				[ -e "$r/lib/$lib" ] && continue
				for d in $libdirs; do
					if [ -e "$d/$lib" ]; then cp -L "$d/$lib" "$r/lib/$lib"; q="$q $r/lib/$lib"; break; fi
				done
				[ -e "$r/lib/$lib" ] || { REASON="$lib (needed by $f) not found in $libdirs"; return 1; }
			done
		done
	done
	lib=$(readelf -l "$r/bin/sockmem" | sed -n 's/.*interpreter: \(.*\)]/\1/p')
	mkdir -p "$r$(dirname "$lib")"
	for d in $libdirs; do
		[ -e "$d/$(basename "$lib")" ] && { cp -L "$d/$(basename "$lib")" "$r$lib"; break; }
	done
	[ -e "$r$lib" ] || { REASON="dynamic loader $lib not found"; return 1; }
	cp "$sr/bin/busybox" "$r/bin/busybox"
	cp "$HERE/init" "$r/init"; chmod 755 "$r/init"
	cp "$HERE/guest.sh" "$r/guest.sh"
	cp "$HERE/trace-guest.sh" "$r/trace-guest.sh"
	cp "$HERE/tap.sh" "$r/tap.sh"
	[ $withbpf = 1 ] && : > "$r/etc/with-bpf"
	return 0
}

initramfs() { # NAME ARCH SNAPSHOT MODE -> $WORK/NAME/initrd
	local name=$1 r=$WORK/$2/root k=$CACHE/kernels/$1 m dep out=$WORK/$1
	rm -f "$r"/modules/*
	: > "$r/modules/load.list"
	# load order: each module after the modules it depends on
	add_mod() {
		local f=$k/modules/$1.ko
		[ -f "$f" ] || return 0
		grep -qx "$1.ko" "$r/modules/load.list" && return 0
		for dep in $(modinfo -F depends "$f" 2> /dev/null | tr , ' '); do add_mod "${dep//-/_}"; done
		cp "$f" "$r/modules/"; echo "$1.ko" >> "$r/modules/load.list"
	}
	for m in inet_diag tcp_diag udp_diag raw_diag mptcp_diag; do add_mod $m; done
	{
		echo "VM_NAME='$name'"
		echo "VM_PACKAGE='$(head -1 "$k/package")'"
		echo "SNAPSHOT=$3"
		echo "MODE=${4:-guest}"
	} > "$r/etc/vm.conf"
	mkdir -p "$out"
	(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initrd"
}

# ------------------------------------------------------------- one kernel
run_kernel() { # NAME ARCH SUITE META
	local name=$1 arch=$2 suite=$3 meta=$4 out=$WORK/$1 t0 t1 con rc tap plan n_ok n_bad
	REASON=
	arch_info "$arch"
	command -v "$QEMU" > /dev/null || { skip "$name: $QEMU not installed (Debian: $QPKG; run.sh -i installs it)"; return; }
	command -v cpio > /dev/null || { skip "$name: cpio not installed"; return; }
	t0=$(date +%s)
	fetch_kernel "$name" "$suite" "$meta" "$DEBARCH" || { skip "$name: kernel not available: $REASON"; return; }
	if [ ! -f "$WORK/$arch/.built" ]; then
		build_arch "$arch" || { not_ok "$name: build for $arch: $REASON"; return; }
		touch "$WORK/$arch/.built"
	fi
	initramfs "$name" "$arch" "$([ -n "$snapdir" ] && echo 1 || echo 0)"
	ran=$((ran + 1))
	con=$out/console.log
	t1=$(date +%s)
	boot "$name" "$con" || return
	tap=$(console_tap "$con" SOCKMEM-VM)
	import_tap "$name" "$tap" guest.sh
	# -H: tests/oracle.sh in a second boot of the same kernel, on fresh sysctls
	case $oracle_on in *" $name "*)
		if [ $NATIVE = 1 ]; then
			initramfs "$name" "$arch" 0 oracle
			boot "$name" "$out/console-oracle.log" &&
				import_tap "$name: oracle.sh" "$(console_tap "$out/console-oracle.log" SOCKMEM-VM)" "oracle.sh (bash, jq)"
		else
			skip "$name: oracle.sh: -H runs it on this host's architecture only"
		fi ;;
	esac
	if [ -n "$snapdir" ]; then
		save_snapshots "$name" "$arch" "$con"
	fi
	diag "$name: $(head -1 "$CACHE/kernels/$name/package"): $(( $(date +%s) - t1 )) s in the VM, $(( t1 - t0 )) s to fetch and build"
	n_bad=$(grep '^not ok' <<< "$tap" | grep -vc '# TODO')
	# one line of the summary: time, and the agreement figures
	set -- $(sed -n 's/^# agreement: tcp samples \([0-9]*\) judged \([0-9]*\) disagreements \([0-9]*\).*$/\1 \2 \3/p' <<< "$tap") - - -
	local a_s=$1 a_j=$2 a_d=$3
	set -- $(sed -n 's/^# agreement: udp stopped [0-9]* min [0-9]* over \(-*[0-9]*\) band \([0-9]*\)$/\1 \2/p' <<< "$tap") - -
	SUMMARY+=$(printf '%-17s %-22s %5s %7s %6s %8s %9s %5s %7s %5s' "$name" \
		"$(awk '{ print $2; exit }' "$CACHE/kernels/$name/package")" "$(( $(date +%s) - t1 ))" \
		"$a_s" "$a_j" "$a_d" "$1" "$2" "$(grep -c '^ok' <<< "$tap")" \
		"$(grep -c '^not ok' <<< "$tap")")$'\n'

	[ "$n_bad" = 0 ] && [ $keep = 0 ] && rm -f "$out/initrd"
}

# The snapshots into $snapdir/VERSION-ARCH-STATE (6.12.117-arm64-16k-pressure):
# the upstream version of the Debian package, the matrix name's architecture
# and page size.
# Boot NAME's kernel on $WORK/NAME/initrd, its console into CONSOLE.
boot() { # NAME CONSOLE
	local out=$WORK/$1 t=$(date +%s) rc
	log "$1: booting $(head -1 "$CACHE/kernels/$1/package") under $QEMU (TCG)"
	timeout --foreground -k 10 "$SOCKMEM_VM_TIMEOUT" nice -n "$SOCKMEM_VM_NICE" \
		"$QEMU" -accel tcg "${QARGS[@]}" -smp 2 -display none -monitor none -no-reboot \
		-serial "file:$2" -kernel "$CACHE/kernels/$1/vmlinuz" -initrd "$out/initrd" \
		-append "console=$CONSOLE loglevel=1 panic=-1 rdinit=/init" < /dev/null > "$out/qemu.log" 2>&1
	rc=$?
	if ! grep -q '^SOCKMEM-VM-BEGIN' "$2"; then
		not_ok "$1: booted and ran the guest (qemu exit $rc, $(( $(date +%s) - t )) s)"
		diag "last lines of $2:" "$(tr -d '\r' < "$2" | tail -15)" "$(tail -5 "$out/qemu.log")"
		return 1
	fi
}

# The TAP lines between the markers MARK-BEGIN and MARK-END of a console log.
console_tap() { # CONSOLE MARK
	tr -d '\r' < "$1" | sed -n "/^$2-BEGIN/,/^$2-END/p" |
		sed '/^SOCKMEM-SNAPSHOTS-BEGIN/,/^SOCKMEM-SNAPSHOTS-END/d' | grep -E '^(ok|not ok|#|1\.\.|Bail out)'
}

# A guest's points, renumbered, with the kernel's name; TODO kept.
import_tap() { # PREFIX TAP WHAT
	local line plan
	while IFS= read -r line; do
		case $line in
		"ok "*" # SKIP"*) line=${line#ok * - }; skip "$1: ${line% # SKIP*}${line##* # SKIP}" ;;
		"ok "*) ok "$1: ${line#ok * - }" ;;
		"not ok "*" # TODO"*) tap_n=$((tap_n + 1)); echo "not ok $tap_n - $1: ${line#not ok * - }" ;;
		"not ok "*) not_ok "$1: ${line#not ok * - }" ;;
		"Bail out"*) not_ok "$1: $line" ;;
		"1..0 # SKIP"*) skip "$1: $3: ${line#1..0 # SKIP }" ;;
		"#"*) echo "# $1: ${line#\# }" ;;
		esac
	done <<< "$2"
	plan=$(grep -c '^\(ok\|not ok\)' <<< "$2")
	if ! grep -q '^1\.\.0 # SKIP' <<< "$2" && ! grep -qx "1\.\.$plan" <<< "$2"; then
		not_ok "$1: $3 ran to its end (got $plan points, plan $(grep '^1\.\.' <<< "$2" || echo none))"
	fi
}

save_snapshots() { # NAME ARCH CONSOLE
	local ver tmp=$WORK/$1/snapshots s dir
	ver=$(awk '{ sub(/-[^-]*$/, "", $2); print $2; exit }' "$CACHE/kernels/$1/package")
	rm -rf "$tmp"; mkdir -p "$tmp"
	tr -d '\r' < "$3" | sed -n '/^SOCKMEM-SNAPSHOTS-BEGIN/,/^SOCKMEM-SNAPSHOTS-END/p' | sed '1d;$d' |
		base64 -d | tar -xz -C "$tmp" || { not_ok "$1: snapshots copied out of the VM"; return; }
	for s in "$tmp"/*/; do
		s=$(basename "$s")
		dir=$snapdir/$ver-${1%-*}-$s
		rm -rf "$dir"; mkdir -p "$snapdir"
		cp -R "$tmp/$s" "$dir"
		ok "$1: snapshot $s copied out to $dir ($(find "$dir" -type f | wc -l) files)"
	done
}

# ------------------------------------------------------------- main
mkdir -p "$CACHE" "$WORK" || { echo "1..0 # SKIP cannot create $CACHE or $WORK"; exit 77; }
if [ $install = 1 ]; then
	missing=$(for p in $DEPS; do
		dpkg-query -W -f='${Status}\n' "$p" 2> /dev/null | grep -q 'ok installed' || echo "$p"; done)
	if [ -n "$missing" ]; then
		log "installing $(echo $missing)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing > "$WORK/install.log" 2>&1 ||
			log "apt-get install failed (see $WORK/install.log): the kernels that need them are skipped"
	fi
fi
rm -f "$WORK"/*/.built
start=$(date +%s)
while read -r name arch suite meta; do
	[ -n "$name" ] || continue
	case $want in *" $name "*) ;; *) continue ;; esac
	run_kernel "$name" "$arch" "$suite" "$meta"
done <<< "$MATRIX"
took=$(( $(date +%s) - start ))
if [ $all = 1 ]; then
	if [ $took -le "$SOCKMEM_VM_BUDGET" ]; then ok "the whole matrix within its budget ($took s of $SOCKMEM_VM_BUDGET s)"
	else not_ok "the whole matrix within its budget ($took s of $SOCKMEM_VM_BUDGET s)"; fi
fi
if [ -n "${SUMMARY:-}" ]; then
	diag "$(printf '%-17s %-22s %5s %7s %6s %8s %9s %5s %7s %5s' kernel package 'VM s' samples judged disagree 'udp>min' band ok 'not ok')"
	diag "${SUMMARY%$'\n'}"
fi
diag "kernel matrix: $ran booted, $skipped skipped, $failed failed, $took s"
echo "1..$tap_n"
if [ $ran = 0 ] && [ $failed = 0 ]; then
	diag "no kernel could be run: skipped (see the reasons above)"
	exit 77
fi
[ $failed = 0 ]
