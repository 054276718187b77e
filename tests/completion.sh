#!/bin/bash
# completion.sh - the bash completion completes commands, options and option
# values (needs the bash-completion package); the fish and zsh ones parse; and
# for the top level and every command, the bash, zsh and fish completions
# offer exactly the long options that "sockmem CMD --help" lists.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

BC=/usr/share/bash-completion/bash_completion
[ -r "$BC" ] || BC=

# complete WORDS... -> the candidates on one line
complete_words() {
	bash -c '
		. "$1" >/dev/null 2>&1; . "$2"
		shift 2
		COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_sockmem sockmem "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$BC" "$SRCDIR/completions/sockmem" "$@"
}

is() { # EXPECTED WORDS...
	want=$1; shift
	got=$(complete_words "$@")
	if [ "$got" = "$want" ]; then ok "complete '$*' -> $want"; else not_ok "complete '$*' -> '$got', want '$want'"; fi
}

if [ -n "$BC" ]; then
	is "advise check show simulate snapshot top trace watch " sockmem ""
	is "mptcp sctp tcp udp udplite " sockmem trace --protocol ""
	is "tcp udp " sockmem simulate --protocol ""
	is "--summary " sockmem trace --su
	is "tcp-abort-on-memory tcp-over-limit tcp-pressure " sockmem check --condition tcp-
	is "json prometheus text " sockmem watch --format ""
	is "json sysctl text " sockmem advise --format ""
	is "recv send " sockmem simulate --direction ""
	is "show " sockmem sh
	is "--color --count " sockmem show --co
	is "--no-color --no-sockets " sockmem show --no
	is "always auto never " sockmem show --color ""
	is "16384 4096 65536 " sockmem --page-size ""
	is "--force " sockmem snapshot --fo
	is "show " sockmem --json sh
	is "--bytes " sockmem --json show --by
	is "cgroup peer-port port process socket state " sockmem top --by ""
	is "--diag-file " sockmem show --dia
	is "--number " sockmem top --num
	is "--count " sockmem top --cou
	is "--delay --diag-file " sockmem top --d
	is "--interval " sockmem top --int
	is "net.core.mem_pcpu_rsv= net.ipv4.tcp_mem= net.ipv4.tcp_rmem= net.ipv4.tcp_wmem= net.ipv4.udp_mem= " sockmem simulate --set ""
	is "json prometheus text " sockmem top --format ""
else
	skip "bash completion of commands, options and values: bash-completion not installed"
fi

# --- every completion against --help
# help_opts CMD: the long options "sockmem CMD --help" lists (option column
# only: up to the two spaces before the description; an option with aliases,
# "-i, -d, --interval=SECONDS, --delay=SECONDS", lists each)
help_opts() {
	# shellcheck disable=SC2086
	"$SOCKMEM" $1 --help | sed -n 's/^ \{2,6\}\(-[^ ].*\)/\1/p' | sed 's/  .*//' |
		grep -o -- '--[a-z][a-z-]*' | sort -u
}
bash_opts() {
	# shellcheck disable=SC2086
	complete_words sockmem $1 -- | tr ' ' '\n' | grep -- '^--' | sort -u
}
fish_opts() {
	fish --no-config -c "source '$SRCDIR/completions/sockmem.fish'; complete -C 'sockmem $1 --'" |
		cut -f1 | grep -- '^--' | sort -u
}
# zsh_opts CMD: read from the _arguments specs of the top level (the common
# array) or of the command's arm of "case $words[1]"; descriptions in [...]
# are dropped first.
zsh_opts() {
	awk -v cmd="$1" '
		/^common=\(/ { in_common = 1; next }
		in_common && /^\)/ { in_common = 0; next }
		in_common { common = common " " $0; next }
		cmd == "" && /_arguments -C \$common/ { print common; exit }
		cmd != "" && $0 ~ "^[ \t]*" cmd "\\) " { in_arm = 1 }
		in_arm { arm = arm " " $0; if ($0 ~ /;;/) { if (arm ~ /\$common/) arm = arm " " common; print arm; exit } }
	' "$SRCDIR/completions/_sockmem" | sed 's/\[[^]]*\]//g' | grep -o -- '--[a-z][a-z-]*' | sort -u
}
# same SHELL CMD: one test point, the differences as diagnostics
same() {
	help_opts "$2" > "$TMPD/help"
	"$1_opts" "$2" > "$TMPD/got"
	missing=$(comm -23 "$TMPD/help" "$TMPD/got" | tr '\n' ' ')
	extra=$(comm -13 "$TMPD/help" "$TMPD/got" | tr '\n' ' ')
	if [ -s "$TMPD/help" ] && [ -z "$missing$extra" ]; then
		ok "$1 completion of 'sockmem ${2:+$2 }--' = the options of its --help"
	else
		not_ok "$1 completion of 'sockmem ${2:+$2 }--' = the options of its --help"
		[ -z "$missing" ] || diag "not completed: $missing"
		[ -z "$extra" ] || diag "completed but not in --help: $extra"
	fi
}
cmds=$("$SOCKMEM" --help | sed -n '/^Commands/,/^$/p' | awk '/^  [a-z]/ && $1 != "help" { print $1 }')
check "every command found in --help" [ "$(echo $cmds | wc -w)" -eq 8 ]
if [ -n "$BC" ]; then
	for c in "" $cmds; do same bash "$c"; done
else
	skip "bash completions against --help: bash-completion not installed"
fi
if command -v fish >/dev/null; then
	for c in "" $cmds; do same fish "$c"; done
else
	skip "fish completions against --help: fish not installed"
fi
for c in "" $cmds; do same zsh "$c"; done

if command -v fish >/dev/null; then
	check "fish completion parses" fish -n "$SRCDIR/completions/sockmem.fish"
	check "fish completes --by values" sh -c "fish -c 'source $SRCDIR/completions/sockmem.fish; complete -C \"sockmem top --by \"' | grep -q '^process'"
else
	skip "fish not installed"
	skip "fish completes --by values"
fi
if command -v zsh >/dev/null; then
	check "zsh completion parses" zsh -n "$SRCDIR/completions/_sockmem"
else
	skip "zsh not installed"
fi
done_testing
