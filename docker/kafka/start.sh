#!/usr/bin/env bash
# Start a real single-node Apache Kafka broker (KRaft, combined broker +
# controller) on 127.0.0.1 without Docker. Needs Java 11+ and Maven (only
# for the one-time download of the Kafka jars from Maven Central).
#
#   KAFKA_BROKERS=$(docker/kafka/start.sh | tail -n1)   # -> 127.0.0.1:9092
#
# Progress goes to stderr; the last stdout line is the bootstrap address.
# If a broker started by this script for the same run dir is already up,
# nothing is started and the address is printed again. Stop: stop.sh.
#
# Environment (all optional):
#   KAFKA_VERSION          Kafka version from Maven Central (3.9.1)
#   KAFKA_PORT             PLAINTEXT listener port (9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port (KAFKA_PORT+1)
#   KAFKA_CACHE_DIR        jar cache ($HOME/.cache/coldtrace/kafka)
#   KAFKA_RUN_DIR          data/logs/config/pid (${TMPDIR:-/tmp}/coldtrace-kafka-$KAFKA_PORT)
#   KAFKA_HEAP             JVM heap options (-Xmx512m -Xms256m)
#   KAFKA_JVM_PERFORMANCE_OPTS  GC flags (Kafka's G1 defaults; replace, e.g.
#                          with -XX:+UseSerialGC, rather than adding a 2nd GC)
#   KAFKA_JVM_OPTS         extra JVM options
#   KAFKA_START_TIMEOUT    seconds to wait for the broker (120)
#   KAFKA_EXTRA_PROPERTIES extra server.properties lines (newline separated,
#                          appended last, so they override the defaults)
#   KAFKA_MVN_ARGS         extra Maven arguments, e.g. -Dmaven.repo.local=...
set -euo pipefail

# Everything on stdout except the final address goes to stderr.
exec 3>&1 1>&2

log() { printf '[kafka] %s\n' "$*" >&2; }
die() { printf '[kafka] ERROR: %s\n' "$*" >&2; exit 1; }
now() { printf '%s' "${EPOCHREALTIME:-$(date +%s.%N)}"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

T0=$(now)

KAFKA_VERSION=${KAFKA_VERSION:-3.9.1}
KAFKA_PORT=${KAFKA_PORT:-9092}
[[ $KAFKA_PORT =~ ^[0-9]+$ ]] || die "KAFKA_PORT must be a number, got '$KAFKA_PORT'"
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}
[[ $KAFKA_CONTROLLER_PORT =~ ^[0-9]+$ ]] || die "KAFKA_CONTROLLER_PORT must be a number"
[[ $KAFKA_CONTROLLER_PORT != "$KAFKA_PORT" ]] || die "KAFKA_CONTROLLER_PORT must differ from KAFKA_PORT"
KAFKA_CACHE_DIR=${KAFKA_CACHE_DIR:-$HOME/.cache/coldtrace/kafka}
RUN_DIR=${KAFKA_RUN_DIR:-${TMPDIR:-/tmp}/coldtrace-kafka-$KAFKA_PORT}
KAFKA_HEAP=${KAFKA_HEAP:--Xmx512m -Xms256m}
KAFKA_JVM_PERFORMANCE_OPTS=${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent}
KAFKA_JVM_OPTS=${KAFKA_JVM_OPTS:-}
KAFKA_START_TIMEOUT=${KAFKA_START_TIMEOUT:-120}
KAFKA_MVN_ARGS=${KAFKA_MVN_ARGS:-}
HOST=127.0.0.1
ADDRESS="$HOST:$KAFKA_PORT"

VERSION_DIR="$KAFKA_CACHE_DIR/$KAFKA_VERSION"
# Bump when the set of artifacts changes, so an older cache is fetched again.
COMPLETE=.complete-v2
LIBS="$VERSION_DIR/libs"
PID_FILE="$RUN_DIR/kafka.pid"
PROPS="$RUN_DIR/server.properties"
LOG4J="$RUN_DIR/log4j.properties"
LOG_DIR="$RUN_DIR/logs"
DATA_DIR="$RUN_DIR/data"

if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA=$JAVA_HOME/bin/java; else JAVA=java; fi
command -v "$JAVA" >/dev/null || die "java not found (install Java 11+ or set JAVA_HOME)"

port_open() { timeout 2 bash -c "exec 9<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# Alive and not a zombie (an unreaped zombie still passes kill -0).
pid_alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || true)
  [[ $state != Z ]]
}

# The pid is a Kafka broker started with this run dir's server.properties.
is_our_broker() {
  pid_alive "$1" || return 1
  [[ -r /proc/$1/cmdline ]] || return 0 # no procfs: trust the pid file
  tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF "$PROPS"
}

# ---------------------------------------------------------------- jars
# Download kafka_2.13 + runtime deps + an SLF4J binding once per version.
fetch_jars() {
  if [[ -f $VERSION_DIR/$COMPLETE ]]; then return 0; fi
  command -v mvn >/dev/null || die "mvn not found; Maven is needed once to download Kafka $KAFKA_VERSION"
  mkdir -p "$VERSION_DIR"
  # Serialise concurrent first runs that share the cache.
  exec 8>"$VERSION_DIR/.lock"
  flock 8
  if [[ -f $VERSION_DIR/$COMPLETE ]]; then exec 8>&-; return 0; fi

  local t partial slf4j
  t=$(now)
  log "downloading Kafka $KAFKA_VERSION jars from Maven Central into $LIBS (one time)"
  work=$(mktemp -d "${TMPDIR:-/tmp}/coldtrace-kafka-mvn.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  trap 'exit 130' INT TERM HUP # so that Ctrl-C / kill also runs the EXIT trap
  partial="$VERSION_DIR/libs.partial"
  rm -rf "$partial" "$LIBS"
  mkdir -p "$partial"

  # $1 = <dependency> elements
  write_pom() {
    cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.coldtrace</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
$1
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>3.8.1</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
EOF
  }
  run_mvn() {
    # shellcheck disable=SC2086 # KAFKA_MVN_ARGS is a list of arguments
    # (Maven 3.8 prints bare colour resets even with -B -q; strip them.)
    (cd "$work" && mvn -B -q $KAFKA_MVN_ARGS dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$partial" 2>&1) |
      sed -E $'s/\x1b\\[[0-9;]*m//g; /^[[:space:]]*$/d' >&2 ||
      { rm -rf "$partial"; die "Maven could not resolve Kafka $KAFKA_VERSION (see above)"; }
  }

  # kafka-tools brings the standard command-line clients (ConsoleConsumer, TopicCommand, ...).
  write_pom "    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>"
  run_mvn

  # Pick the binding matching the slf4j-api that Kafka pulls in (1.7.36 for 3.9).
  slf4j=$(find "$partial" -maxdepth 1 -name 'slf4j-api-*.jar' -printf '%f\n' | sed -n 's/^slf4j-api-\(.*\)\.jar$/\1/p' | head -n1)
  slf4j=${slf4j:-1.7.36}
  if [[ $slf4j == 1.* ]]; then
    write_pom "    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>$slf4j</version></dependency>
    <dependency><groupId>ch.qos.reload4j</groupId><artifactId>reload4j</artifactId><version>1.2.25</version></dependency>"
    run_mvn
  else
    log "WARNING: slf4j-api $slf4j is not 1.x; no log4j binding added (this script targets Kafka 3.x)"
  fi

  rm -rf "$work"
  trap - EXIT INT TERM HUP
  mv "$partial" "$LIBS"
  touch "$VERSION_DIR/$COMPLETE"
  exec 8>&-
  log "downloaded $(find "$LIBS" -name '*.jar' | wc -l) jars ($(du -sh "$LIBS" | cut -f1)) in $(elapsed "$t") s"
}

fetch_jars
[[ -f $VERSION_DIR/$COMPLETE && -d $LIBS ]] || die "jar cache $LIBS is incomplete"

# ---------------------------------------------------------------- run dir
if [[ -e $RUN_DIR && ! -O $RUN_DIR ]]; then
  die "$RUN_DIR exists but is not owned by $(id -un); set KAFKA_RUN_DIR"
fi
mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR"
chmod 700 "$RUN_DIR"
touch "$RUN_DIR/.coldtrace-kafka-run-dir" # lets stop.sh --purge recognise it

# One start.sh at a time per run dir (fd 7 is closed for the broker).
exec 7>"$RUN_DIR/.start.lock"
flock 7

wait_ready() { # $1 = pid; returns 0 when ready, 1 when dead, 2 on timeout
  local pid=$1 deadline
  deadline=$(awk -v a="$(now)" -v t="$KAFKA_START_TIMEOUT" 'BEGIN { printf "%d", a + t }')
  while :; do
    pid_alive "$pid" || return 1
    if grep -qsE 'Kafka Server started|Transition from STARTING to STARTED' \
      "$LOG_DIR/server.log" "$LOG_DIR/server.out" && port_open "$KAFKA_PORT"; then
      return 0
    fi
    (($(date +%s) < deadline)) || return 2
    sleep 0.25
  done
}

dump_logs() {
  local f
  for f in "$LOG_DIR/server.log" "$LOG_DIR/server.out"; do
    [[ -s $f ]] || continue
    printf '[kafka] ---- last 50 lines of %s ----\n' "$f" >&2
    tail -n 50 "$f" >&2
  done
}

if [[ -f $PID_FILE ]]; then
  pid=$(cat "$PID_FILE" 2>/dev/null || true)
  if [[ $pid =~ ^[0-9]+$ ]] && is_our_broker "$pid"; then
    if ! port_open "$KAFKA_PORT"; then
      log "broker pid $pid is still starting; waiting"
      rc=0; wait_ready "$pid" || rc=$?
      if ((rc != 0)); then
        dump_logs
        die "broker pid $pid did not become ready (rc=$rc); run stop.sh and retry"
      fi
    fi
    log "already running (pid $pid, run dir $RUN_DIR)"
    echo "$ADDRESS" >&3
    exit 0
  fi
  log "removing stale pid file (pid ${pid:-?} not running)"
  rm -f "$PID_FILE"
fi

for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
  if port_open "$p"; then
    die "port $HOST:$p is already in use by another process (choose KAFKA_PORT / KAFKA_CONTROLLER_PORT)"
  fi
done

# ---------------------------------------------------------------- config
cat >"$PROPS" <<EOF
# Generated by docker/kafka/start.sh on every start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA_DIR
num.partitions=1
default.replication.factor=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
# lean on a small (2-core) machine
num.network.threads=2
num.io.threads=2
background.threads=2
num.recovery.threads.per.data.dir=1
num.replica.fetchers=1
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=16777216
EOF
if [[ -n ${KAFKA_EXTRA_PROPERTIES:-} ]]; then
  printf '# KAFKA_EXTRA_PROPERTIES\n%s\n' "$KAFKA_EXTRA_PROPERTIES" >>"$PROPS"
fi

cat >"$LOG4J" <<EOF
# Generated by docker/kafka/start.sh
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=\${coldtrace.kafka.log}
log4j.appender.file.Append=true
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.log.LogCleaner=INFO
log4j.logger.state.change.logger=INFO
log4j.logger.org.apache.kafka.clients=WARN
EOF

read -r -a HEAP_OPTS <<<"$KAFKA_HEAP"
read -r -a PERF_OPTS <<<"$KAFKA_JVM_PERFORMANCE_OPTS"
read -r -a EXTRA_JVM_OPTS <<<"$KAFKA_JVM_OPTS"
JVM_OPTS=(
  "${HEAP_OPTS[@]}"
  ${PERF_OPTS[@]+"${PERF_OPTS[@]}"}
  -XX:+ExitOnOutOfMemoryError
  -Djava.awt.headless=true
  "-Dlog4j.configuration=file:$LOG4J"
  "-Dcoldtrace.kafka.log=$LOG_DIR/server.log"
  "-Dkafka.logs.dir=$LOG_DIR"
  ${EXTRA_JVM_OPTS[@]+"${EXTRA_JVM_OPTS[@]}"}
  -cp "$LIBS/*"
)

# ---------------------------------------------------------------- format
if [[ ! -f $DATA_DIR/meta.properties ]]; then
  t=$(now)
  TOOL=("$JAVA" -Xmx256m "-Dlog4j.configuration=file:$LOG4J"
    "-Dcoldtrace.kafka.log=$LOG_DIR/storage-tool.log" -cp "$LIBS/*" kafka.tools.StorageTool)
  cluster_id=$("${TOOL[@]}" random-uuid | tail -n1) || die "StorageTool random-uuid failed"
  [[ -n $cluster_id ]] || die "StorageTool random-uuid printed nothing"
  "${TOOL[@]}" format -t "$cluster_id" -c "$PROPS" >&2 || die "StorageTool format failed"
  log "formatted $DATA_DIR (cluster id $cluster_id) in $(elapsed "$t") s"
fi

# ---------------------------------------------------------------- start
# Keep the previous run's output, start fresh files (the readiness check
# greps them).
for f in server.log server.out; do
  if [[ -f $LOG_DIR/$f ]]; then mv -f "$LOG_DIR/$f" "$LOG_DIR/$f.prev"; fi
done

t=$(now)
log "starting Kafka $KAFKA_VERSION on $ADDRESS (controller $HOST:$KAFKA_CONTROLLER_PORT, run dir $RUN_DIR)"
# New session, stdin/stdout/stderr detached, and the lock/stdout copies
# (fds 3, 7, 8) closed so callers' $(...) do not wait on the broker and the
# start lock is not held by it.
SETSID=()
if command -v setsid >/dev/null; then SETSID=(setsid); fi
${SETSID[@]+"${SETSID[@]}"} nohup "$JAVA" "${JVM_OPTS[@]}" kafka.Kafka "$PROPS" \
  </dev/null >"$LOG_DIR/server.out" 2>&1 3>&- 7>&- 8>&- &
pid=$!
echo "$pid" >"$PID_FILE"

rc=0
wait_ready "$pid" || rc=$?
if ((rc != 0)); then
  if ((rc == 1)); then
    log "broker process $pid exited during start-up"
    dump_logs
  else
    log "broker not ready after ${KAFKA_START_TIMEOUT}s"
    dump_logs
    log "killing pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      pid_alive "$pid" || break
      sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  die "Kafka failed to start after $(elapsed "$t") s (logs in $LOG_DIR)"
fi

log "ready on $ADDRESS (pid $pid); broker start $(elapsed "$t") s, total $(elapsed "$T0") s"
echo "$ADDRESS" >&3
