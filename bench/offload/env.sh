# Shared settings for the offload benchmark scripts (sourced).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CP=$ROOT/jpair-bench/target/benchmarks.jar
JOPTS="--enable-native-access=ALL-UNNAMED -Xms256m -Xmx256m -XX:+UseSerialGC -Dslf4j.internal.verbosity=WARN"
TUNBENCH=${TUNBENCH:-/tmp/tunbench}
[ -x "$TUNBENCH" ] || gcc -O2 -o "$TUNBENCH" "$ROOT/../../shared/peer-bench/tunbench.c" -lpthread 2>/dev/null \
    || gcc -O2 -o "$TUNBENCH" /work/shared/peer-bench/tunbench.c -lpthread
busy() { # percent of CPU busy over 0.5 s, from /proc/stat
    a=$(awk '/^cpu /{print $2+$3+$4+$7+$8, $5+$6}' /proc/stat); sleep 0.5
    b=$(awk '/^cpu /{print $2+$3+$4+$7+$8, $5+$6}' /proc/stat)
    echo "$a $b" | awk '{u=$3-$1; i=$4-$2; printf "%.0f", (u+i) ? 100*u/(u+i) : 0}'
}
wait_idle() { # wait up to IDLE_WAIT seconds (default 30) for the machine to be below 25 % busy; prints busy %
    end=$(( $(date +%s) + ${IDLE_WAIT:-30} ))
    while :; do b=$(busy); [ "$b" -lt 25 ] || [ "$(date +%s)" -ge "$end" ] && break; done
    echo "$b"
}
