# Sourced by scripts/setup.sh and scripts/setup-node.sh (from the repository root): where the setup
# state lives, the native Kafka client's build mode, and the helpers that skip a step whose inputs
# have not changed since it last succeeded.
ROOT=$(pwd)
HOME_DIR=${ORDERFLOW_HOME:-$ROOT/.orderflow}
STAMPS=$HOME_DIR/stamps
mkdir -p "$STAMPS"
export CKJS_LINKING=dynamic

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
fingerprint() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }
fresh() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }
