#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Serves a recorder's FS directory read-only over HTTPS with Debian's lighttpd, so that viewers
# on other machines open it by URL (README "Serving an FS over HTTP"). Runs lighttpd in the
# foreground from a config in a private temp dir, or prints that config (--print-config) or an
# nginx server block doing the same (--nginx) for an admin to install.
#
# Usage: ci/serve-fs.sh --dir DIR [--path /URLPATH] [--bind ADDR] [--port N]
#                       (--cert CERT --key KEY | --plain) [--user USER --password-file FILE]
#                       [--print-config | --nginx]
#   --dir DIR             the FS directory (holding valkkafs.json)
#   --path /URLPATH       where it is served, default /NAME (DIR's last name): https://HOST:N/NAME
#   --bind ADDR           address to listen on, default 127.0.0.1 (loopback only)
#   --port N              default 8443
#   --cert, --key         the server's certificate (chain) and key, PEM
#   --plain               plain HTTP (no TLS): refused unless given
#   --user, --password-file   HTTP basic auth: the password is FILE's first line
set -euo pipefail

usage() { sed -n '/^# Usage:/,/^set /{/^set /d; s/^# \{0,1\}//; p}' "$0"; }
die() {
  echo "serve-fs.sh: $*" >&2
  exit 2
}

dir="" path="" bind=127.0.0.1 port=8443 cert="" key="" plain=0 user="" password_file=""
mode=run
while [ $# -gt 0 ]; do
  case "$1" in
    --dir | --path | --bind | --port | --cert | --key | --user | --password-file)
      [ $# -ge 2 ] || die "$1 needs a value"
      opt=${1#--}
      printf -v "${opt//-/_}" '%s' "$2"
      shift 2
      ;;
    --plain) plain=1; shift ;;
    --print-config) mode=lighttpd; shift ;;
    --nginx) mode=nginx; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[ -n "$dir" ] || die "--dir is required"
[ -f "$dir/valkkafs.json" ] || die "$dir: no valkkafs.json: not a ValkkaFS directory"
dir=$(realpath "$dir")
# The blocks of a raw-device FS are on the device, not in the directory: a web server serves
# files, so such an FS is read on its own machine.
data=$(sed -n 's/.*"data"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$dir/valkkafs.json")
case "$data" in
  /dev/*) die "$dir: its blocks are on the device $data, which a web server cannot serve" ;;
esac
[ -n "$path" ] || path="/$(basename "$dir")"
path=${path%/}
# The path goes into the config's regular expressions as it is.
[[ "$path" =~ ^(/[A-Za-z0-9_][A-Za-z0-9._-]*)+$ ]] ||
  die "--path must be /NAME[/NAME...], names of letters, digits, '.', '_' and '-'"
case "$bind$dir" in *[\"\\]*) die "quotes and backslashes are not allowed" ;; esac
[[ "$port" =~ ^[0-9]+$ ]] || die "--port must be a number"

if [ -n "$cert$key" ]; then
  if [ -z "$cert" ] || [ -z "$key" ]; then die "--cert and --key go together"; fi
  cert=$(realpath "$cert")
  key=$(realpath "$key")
elif [ "$plain" -eq 0 ]; then
  die "no --cert and --key: refusing to serve without TLS (--plain to do it anyway)"
fi
[ "$plain" -eq 0 ] || [ -z "$cert" ] || die "--plain and --cert contradict each other"
if [ -n "$user$password_file" ]; then
  if [ -z "$user" ] || [ -z "$password_file" ]; then
    die "--user and --password-file go together"
  fi
  case "$user" in *:* | *'"'*) die "--user must not hold ':' or '\"'" ;; esac
  [ "$mode" != run ] || [ -r "$password_file" ] || die "$password_file: cannot read it"
  [ "$plain" -eq 0 ] ||
    echo "serve-fs.sh: warning: basic auth without TLS sends the password in the clear" >&2
fi
name=$(basename "$path")
scheme=http
[ -z "$cert" ] || scheme=https

# The lighttpd config; $1 the users file of basic auth.
lighttpd_config() {
  local modules='"mod_access", "mod_alias"'
  [ -z "$user" ] || modules+=', "mod_auth", "mod_authn_file"'
  [ -z "$cert" ] || modules+=', "mod_openssl"'
  cat <<EOF
# $dir read-only at $scheme://$bind:$port$path/ (ci/serve-fs.sh)
server.modules = ( $modules )
server.document-root = "$dir"
server.bind = "$bind"
server.port = $port
# The recorder appends to its files and replaces status.json and streams.json by rename: every
# request must see the file as it is now, not a stat cached a second ago.
server.stat-cache-engine = "disable"
# A file served without a type of its own gets no ETag and no Last-Modified.
mimetype.assign = ( ".json" => "application/json", "" => "application/octet-stream" )
static-file.etags = "enable"
# Byte ranges are on by default; mod_deflate (compression) and mod_dirlisting are not loaded.
alias.url = ( "$path/" => "$dir/" )
\$HTTP["url"] !~ "^${path//./\\.}/" { url.access-deny = ( "" ) }
\$HTTP["request-method"] !~ "^(GET|HEAD)\$" { url.access-deny = ( "" ) }
EOF
  [ -z "$cert" ] || cat <<EOF
ssl.engine = "enable"
ssl.pemfile = "$cert"
ssl.privkey = "$key"
EOF
  [ -z "$user" ] || cat <<EOF
auth.backend = "plain"
auth.backend.plain.userfile = "$1"
auth.require = ( "" => ( "method" => "basic", "realm" => "valkka", "require" => "valid-user" ) )
EOF
}

nginx_config() {
  local listen="$bind:$port"
  [ -z "$cert" ] || listen+=" ssl http2"
  cat <<EOF
# $dir read-only at $scheme://$bind:$port$path/ (ci/serve-fs.sh --nginx)
server {
    listen $listen;
EOF
  [ -z "$cert" ] || cat <<EOF
    ssl_certificate $cert;
    ssl_certificate_key $key;
EOF
  cat <<EOF
    # The recorder rewrites its files in place and by rename: no cache of open files. Byte
    # ranges, ETag and Last-Modified are nginx's defaults for static files.
    open_file_cache off;
    gzip off;
    autoindex off;
    location / { return 404; }
    location ^~ $path/ {
        alias $dir/;
        limit_except GET { deny all; }  # GET allows HEAD too
        default_type application/octet-stream;
        types { application/json json; }
EOF
  [ -z "$user" ] || cat <<EOF
        # Make it with: printf '%s:%s\\n' $user "\$(openssl passwd -5 -stdin < PASSWORD_FILE)" \\
        #   > /etc/nginx/valkka-$name.htpasswd (readable by nginx's user only)
        auth_basic "valkka";
        auth_basic_user_file /etc/nginx/valkka-$name.htpasswd;
EOF
  cat <<EOF
    }
}
EOF
}

case "$mode" in
  nginx) nginx_config; exit 0 ;;
  lighttpd)
    users=/etc/lighttpd/valkka-$name.user
    [ -z "$user" ] || printf '# Make %s (readable by lighttpd'"'"'s user only) with:\n#   %s\n' \
      "$users" "printf '%s:%s\\n' $user \"\$(cat PASSWORD_FILE)\" > $users"
    lighttpd_config "$users"
    exit 0
    ;;
esac

lighttpd=${LIGHTTPD:-/usr/sbin/lighttpd}
command -v "$lighttpd" >/dev/null || die "$lighttpd not found (Debian package lighttpd)"
tmp=$(mktemp -d)  # 0700: the users file holds the password in the clear, as lighttpd reads it
trap 'rm -rf "$tmp"' EXIT
if [ -n "$user" ]; then
  IFS= read -r password <"$password_file" || [ -n "${password:-}" ] || die "$password_file is empty"
  (umask 077 && printf '%s:%s\n' "$user" "$password" >"$tmp/users")
fi
lighttpd_config "$tmp/users" >"$tmp/lighttpd.conf"
"$lighttpd" -tt -f "$tmp/lighttpd.conf" >&2 || die "lighttpd refused the config"

# lighttpd runs as a child, so that the temp dir goes when it ends, however it is stopped; the
# trap is set before it starts, and a script killed outright takes it along (pdeathsig).
stopping=0 pid=""
stop() {
  stopping=1
  [ -z "$pid" ] || kill -TERM "$pid" 2>/dev/null || true
}
trap stop TERM INT HUP
setpriv --pdeathsig TERM "$lighttpd" -D -f "$tmp/lighttpd.conf" &
pid=$!
[ "$stopping" -eq 0 ] || stop
status=0
while kill -0 "$pid" 2>/dev/null; do
  wait "$pid" && status=0 || status=$?
done
[ "$stopping" -eq 0 ] || status=0  # stopped as asked
exit "$status"
