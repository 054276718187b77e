#!/bin/bash
# completion.sh - the bash completion completes commands, options and option
# values (needs the bash-completion package); the zsh one parses.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"

BC=/usr/share/bash-completion/bash_completion
[ -r "$BC" ] || skip_all "bash-completion not installed"

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

is "advise show simulate snapshot top watch " sockmem ""
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
is "cgroup port process socket state " sockmem top --by ""
is "--diag-file " sockmem show --dia
is "--count " sockmem top --cou
is "--delay --diag-file " sockmem top --d
is "--interval " sockmem top --int
is "--number " sockmem top --num
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
