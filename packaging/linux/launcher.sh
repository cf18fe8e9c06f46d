#!/bin/sh
# /usr/bin/assistant: starts the app installed in /opt/assistant (found relative to this script, so an
# install under another root, e.g. `dpkg --root`, works too).
here=$(dirname "$(readlink -f "$0")")
exec "$here/../../opt/assistant/assistant" "$@"
