# Sourced by the local server scripts (postgres.sh, kafka.sh).

# A server started here must not keep descriptors it inherited: a caller's lock file (`flock
# FILE make bench-…`) held open by the server would stay locked until the server stops.
# Call it in the subshell that starts the server.
close_inherited_fds() {
  local fd n
  for fd in /proc/$BASHPID/fd/*; do
    n=${fd##*/}
    if (( n > 2 && n != 255 )); then eval "exec $n>&-" 2>/dev/null || true; fi
  done
}
