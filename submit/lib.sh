# shellcheck shell=bash disable=SC2034
# Shared by the launchers in submit/ (sourced, not run).

llr_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# JVM flags ND4J and Spark need on Java 17: open the JDK internals they use, and let JavaCPP's off-heap arrays grow.
# Kryo reads fields of JDK classes too (the AtomicInteger in dl4j-spark's broadcast): spark-submit's launcher opens
# java.util.concurrent(.atomic) for that, a JVM started without it (llr-local's SparkSubmit) needs them here.
# The Vector API kernels' module (alone where spark-submit opens the JDK packages itself).
llr_vector_module="--add-modules=jdk.incubator.vector"
llr_jvm_opens="--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
$llr_vector_module"
llr_offheap="-Dorg.bytedeco.javacpp.maxbytes=6G -Dorg.bytedeco.javacpp.maxphysicalbytes=12G"
# libgomp's idle threads spin for 300 000 rounds after every parallel region by default, taking the core that the
# Java kernels' second thread (and C2) then wait for: measured 20-25 % slower ADV-10 / LLR-2 steps at 2 threads.
llr_gomp_spincount=10000

# LLR_PORTABLE_ISA=avx2: every x86 CPU with AVX2 or more computes the bits an AVX2 one does (README, "Determinism"),
# so a run may move between CPU families and keep its trajectory: the JVM's vectors (our kernels), oneDNN's kernels
# and OpenBLAS's capped at AVX2. Sets llr_isa_jvm (JVM flags) and llr_isa_env (NAME=VALUE for the environment).
llr_portable_isa() {
  llr_isa_jvm=""
  llr_isa_env=()
  case "${LLR_PORTABLE_ISA:-}" in
    "") ;;
    avx2)
      llr_isa_jvm="-XX:UseAVX=2 -XX:MaxVectorSize=32"
      llr_isa_env=(ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2 OPENBLAS_CORETYPE=Haswell) ;;
    *) llr_fail "LLR_PORTABLE_ISA must be avx2 or unset, got '$LLR_PORTABLE_ISA'" ;;
  esac
}

# llr_isa_env_settings PREFIX: llr_isa_env as Spark settings PREFIX.NAME (spark.executorEnv, a driver's environment).
llr_isa_env_settings() {
  local pair
  for pair in "${llr_isa_env[@]}"; do
    llr_set "$1.${pair%%=*}" "${pair#*=}"
  done
}

# Spark serializes with Kryo and the registrators the driver names (io.llrspark.spark.KryoSettings) unless LLR_KRYO=0
# chooses Java serialization.
llr_kryo_default=1

llr_fail() {
  echo "$llr_name: $*" >&2
  exit 2
}

llr_set() {
  llr_conf+=(--conf "$1=$2")
}

# llr_serializer_settings: Spark's serializer as llr_kryo (0 or 1) says; with 1 the driver sets Kryo itself.
llr_serializer_settings() {
  [[ $llr_kryo == [01] ]] || llr_fail "LLR_KRYO must be 0 or 1, got '$llr_kryo'"
  [ "$llr_kryo" = 1 ] || llr_set spark.serializer org.apache.spark.serializer.JavaSerializer
}

# llr_stale JAR DIR...: true when JAR is missing or any file under the DIRs is newer.
llr_stale() {
  local jar=$1
  shift
  [ ! -f "$jar" ] || [ -n "$(find "$@" -newer "$jar" -type f 2>/dev/null | head -n 1)" ]
}

# llr_snapshot JAR NAME: prints a content-addressed copy of JAR, so a rebuild during a run cannot replace it.
llr_snapshot() {
  local jar=$1 name=$2
  local copy
  copy="$(dirname "$jar")/run/$name-$(sha1sum "$jar" | cut -c1-12).jar"
  if [ ! -f "$copy" ]; then
    mkdir -p "$(dirname "$copy")"
    cp "$jar" "$copy.tmp" && mv "$copy.tmp" "$copy"
  fi
  echo "$copy"
}

# The embedded default trains on Debian's Fashion-MNIST package: install it when missing and possible.
llr_ensure_fashion_mnist() {
  [ -d /usr/share/datasets/fashion-mnist ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian package dataset-fashion-mnist ..." >&2
    apt-get install -y -q dataset-fashion-mnist >&2 || { apt-get update -q >&2 && apt-get install -y -q dataset-fashion-mnist >&2; }
  else
    echo "note: Fashion-MNIST is not installed; the default configuration needs it: sudo apt-get install dataset-fashion-mnist" >&2
  fi
}

# ----------------------------------------------------------------------------------------------------------------------
# Cluster launchers (submit/llr-yarn, submit/llr-k8s). Each defines `usage` and `llr_launcher_option` (its own options;
# sets llr_shift to the words taken, 0 if none), then calls llr_cluster_init, llr_parse_command_line "$@",
# llr_cluster_settings (after setting llr_discovery), adds its own settings with llr_set, and ends in llr_submit.

# DL4J 1.0.0-M2.1 creates its layer helpers (cuDNN on GPUs) only when this is false; it defaults to true (DESIGN.md §7).
llr_helpers="-Dorg.eclipse.deeplearning4j.helpers.disable=false"

llr_cluster_init() {
  llr_name=$(basename "$0")
  llr_executors=${LLR_EXECUTORS:-2}
  llr_executor_cores=${LLR_EXECUTOR_CORES:-4}
  llr_executor_memory=${LLR_EXECUTOR_MEMORY:-4g}
  llr_executor_offheap=${LLR_EXECUTOR_OFFHEAP:-8g}
  llr_task_cpus=${LLR_TASK_CPUS:-}
  llr_gpus=${LLR_GPUS:-0}
  llr_driver_cores=${LLR_DRIVER_CORES:-1}
  llr_driver_memory=${LLR_DRIVER_MEMORY:-4g}
  llr_driver_offheap=${LLR_DRIVER_OFFHEAP:-4g}
  llr_driver_gpus=${LLR_DRIVER_GPUS:-}
  llr_jar=${LLR_APP_JAR:-}
  llr_kryo=${LLR_KRYO:-$llr_kryo_default}
  llr_s3a_endpoint=${LLR_S3A_ENDPOINT:-}
  llr_discovery=""
  llr_dry_run=0
  llr_user_conf=()
  llr_ship=()
  llr_config_file=""
  llr_conf=()
}

# The options both launchers take, for their --help.
llr_cluster_usage() {
  cat <<'USAGE'
Resources (option, environment variable, default):
  --executors N            LLR_EXECUTORS (2)          executors, each running executor-cores / task-cpus workers
  --executor-cores N       LLR_EXECUTOR_CORES (4)
  --task-cpus N            LLR_TASK_CPUS (1)          CPUs and OpenMP threads per task; with --gpus: cores / GPUs
  --executor-memory SIZE   LLR_EXECUTOR_MEMORY (4g)   JVM heap of an executor
  --executor-offheap SIZE  LLR_EXECUTOR_OFFHEAP (8g)  ND4J's arrays (JavaCPP off-heap), added to the container
  --gpus N                 LLR_GPUS (0)               GPUs per executor, one task per GPU (needs the cuda app jar)
  --driver-cores N         LLR_DRIVER_CORES (1)
  --driver-memory SIZE     LLR_DRIVER_MEMORY (4g)
  --driver-offheap SIZE    LLR_DRIVER_OFFHEAP (4g)
  --driver-gpus N          LLR_DRIVER_GPUS (1 with --gpus, else 0): the cuda jar's driver needs a GPU to load ND4J
Other:
  --jar PATH|URI           LLR_APP_JAR                the application jar
  --kryo, --no-kryo        LLR_KRYO (1)               Kryo with ND4J's registrator (1), or Java serialization (0)
  --s3a-endpoint URL       LLR_S3A_ENDPOINT           S3-compatible store for s3a:// paths (path-style access)
  --conf KEY=VALUE         any Spark setting; passed last, so it overrides the launcher's own
  --dry-run                print the spark-submit command and exit (may also come last)
  -h, --help
Commands, each with --config FILE [--set key=value]...: train [--resume | --overwrite], evaluate --checkpoint URI,
  evaluate-new --checkpoints RUN_URI [--retry-failed], run [--resume | --overwrite], bench [--rounds N] [--warmup N],
  prepare-data (docs/data.md).
--config FILE is checked here, by the jar, and travels to the driver as one file with its includes and --set
overrides resolved; --config local:///PATH names a file already in the driver's container. Paths in the configuration must be reachable from the cluster
(hdfs://, s3a://).
USAGE
}

llr_need() {
  [ $# -ge 2 ] || llr_fail "$1 needs a value (see --help)"
}

# llr_parse_option ARGS...: takes one shared option from the front of ARGS; llr_shift = words taken (0: not shared).
llr_parse_option() {
  llr_shift=2
  case $1 in
    --executors) llr_need "$@"; llr_executors=$2 ;;
    --executor-cores) llr_need "$@"; llr_executor_cores=$2 ;;
    --task-cpus) llr_need "$@"; llr_task_cpus=$2 ;;
    --executor-memory) llr_need "$@"; llr_executor_memory=$2 ;;
    --executor-offheap) llr_need "$@"; llr_executor_offheap=$2 ;;
    --gpus) llr_need "$@"; llr_gpus=$2 ;;
    --driver-cores) llr_need "$@"; llr_driver_cores=$2 ;;
    --driver-memory) llr_need "$@"; llr_driver_memory=$2 ;;
    --driver-offheap) llr_need "$@"; llr_driver_offheap=$2 ;;
    --driver-gpus) llr_need "$@"; llr_driver_gpus=$2 ;;
    --jar) llr_need "$@"; llr_jar=$2 ;;
    --s3a-endpoint) llr_need "$@"; llr_s3a_endpoint=$2 ;;
    --conf)
      llr_need "$@"
      [[ $2 == ?*=* ]] || llr_fail "--conf needs KEY=VALUE, got '$2'"
      llr_user_conf+=(--conf "$2") ;;
    --kryo) llr_kryo=1; llr_shift=1 ;;
    --no-kryo) llr_kryo=0; llr_shift=1 ;;
    --dry-run) llr_dry_run=1; llr_shift=1 ;;
    *) llr_shift=0 ;;
  esac
}

# llr_parse_command_line ARGS...: launcher options, then the command and its arguments (llr_command, llr_app_args).
llr_parse_command_line() {
  while [ $# -gt 0 ]; do
    case $1 in
      -h|--help) usage; exit 0 ;;
    esac
    llr_parse_option "$@"
    if [ "$llr_shift" = 0 ]; then
      llr_launcher_option "$@"
    fi
    if [ "$llr_shift" -gt 0 ]; then
      shift "$llr_shift"
      continue
    fi
    case $1 in
      -*) llr_fail "unknown option '$1' (see --help)" ;;
      *) break ;;
    esac
  done
  [ $# -gt 0 ] || llr_fail "no command given (see --help)"
  llr_command=$1
  shift
  local config=""
  llr_app_args=("$llr_command")
  llr_plan_args=("$llr_command")
  while [ $# -gt 0 ]; do
    case $1 in
      --dry-run) llr_dry_run=1; shift ;;
      --config)
        llr_need "$@"
        [ -z "$config" ] || llr_fail "--config given twice"
        config=$2
        llr_ship_config "$2"
        llr_app_args+=(--config "$llr_config_arg")
        llr_plan_args+=(--config "${llr_config_file:-$2}")
        shift 2 ;;
      *) llr_app_args+=("$1"); llr_plan_args+=("$1"); shift ;;
    esac
  done
  [ -n "$config" ] || llr_fail "$llr_command needs --config FILE"
}

# llr_ship_config FILE: in cluster mode the driver reads --config in its own container, so a local file travels with
# --files (as llr_render_config writes it) and is named there by its base name; local:// says it is there already.
llr_ship_config() {
  case $1 in
    local://*) llr_config_arg=${1#local://}; return ;;
    *://*) llr_fail "--config $1: the driver reads a local file; give a path on this machine, or local:///PATH" ;;
  esac
  [ -f "$1" ] || llr_fail "--config $1: no such file"
  llr_config_file="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
  llr_config_arg=$(basename "$1")
}

# llr_render_config JAR: a local --config checked as the driver will check it (the command too: exit 2 naming the key
# before the cluster allocates anything) and written by the jar as one file with its includes, overrides and defaults
# resolved, which goes to llr_ship. The jar runs here: LLR_PLAN_CLASSPATH, else JAR when it is a local file, else the
# build's (spark-jobs/target/llr-spark-app.jar).
llr_render_config() {
  [ -n "$llr_config_file" ] || return 0
  local classpath=${LLR_PLAN_CLASSPATH:-} java=${JAVA_HOME:+$JAVA_HOME/bin/}java
  if [ -z "$classpath" ]; then
    case $1 in
      *://*|"") classpath=$llr_root/spark-jobs/target/llr-spark-app.jar ;;
      *) classpath=$1 ;;
    esac
    [ -f "$classpath" ] || llr_fail "checking --config needs the application jar on this machine, and there is none at \
$classpath: build it with mvn -B -DskipTests package, or give --config local:///PATH for a file the driver has"
  fi
  command -v "$java" >/dev/null || llr_fail "$java not found: set JAVA_HOME to a Java 17 installation"
  local out status=0
  out=$("$java" -cp "$classpath" io.llrspark.spark.LaunchPlan "${TMPDIR:-/tmp}/llr-spark-$(id -u)/configs" \
    "${llr_plan_args[@]}" 2>&1) || status=$?
  if [ "$status" != 0 ]; then
    printf '%s: %s\n' "$llr_name" "$out" >&2
    exit "$status"
  fi
  llr_ship+=("${out##*$'\n'}")
}

# llr_count OPTION VARIABLE VALUE MIN: fails unless VALUE is an integer >= MIN.
llr_count() {
  if ! [[ $3 =~ ^(0|[1-9][0-9]{0,5})$ ]] || [ "$3" -lt "$4" ]; then
    llr_fail "$1 ($2) needs an integer >= $4, got '$3'"
  fi
}

# llr_mib OPTION VARIABLE SIZE: SIZE (512m, 8g, 1t; a bare number is MiB, as in spark.executor.memory) in MiB, in REPLY.
llr_mib() {
  local size=${3,,}
  if ! [[ $size =~ ^([1-9][0-9]{0,7})([kmgt]?)b?$ ]]; then
    llr_fail "$1 ($2) needs a size such as 512m or 8g, got '$3'"
  fi
  case ${BASH_REMATCH[2]} in
    k) REPLY=$(( (BASH_REMATCH[1] + 1023) / 1024 )) ;;
    g) REPLY=$(( BASH_REMATCH[1] * 1024 )) ;;
    t) REPLY=$(( BASH_REMATCH[1] * 1024 * 1024 )) ;;
    *) REPLY=${BASH_REMATCH[1]} ;;
  esac
}

# llr_memory ROLE HEAP_MIB OFFHEAP_MIB: the container holds the heap, ND4J's off-heap arrays and the JVM's own native
# memory (Spark's default overhead, max(384m, heap/10)). JavaCPP counts the whole resident set against
# maxphysicalbytes: at heap + off-heap it collects garbage, then fails with a message, before the container is killed.
llr_memory() {
  local role=$1 heap=$2 offheap=$3 native=$(( $2 / 10 > 384 ? $2 / 10 : 384 ))
  llr_set "spark.$role.memory" "${heap}m"
  llr_set "spark.$role.memoryOverhead" "$(( offheap + native ))m"
  llr_set "spark.$role.extraJavaOptions" "$llr_jvm_opens $llr_helpers -Dorg.bytedeco.javacpp.maxbytes=${offheap}m \
-Dorg.bytedeco.javacpp.maxphysicalbytes=$(( heap + offheap ))m${llr_isa_jvm:+ $llr_isa_jvm}"
}

# llr_cluster_settings: checks the resources and sets what both cluster managers need. Reads llr_discovery (the GPU
# discovery script as executors and driver see it); leaves the values in use in llr_task_cpus and llr_driver_gpus.
llr_cluster_settings() {
  llr_count --executors LLR_EXECUTORS "$llr_executors" 1
  llr_count --executor-cores LLR_EXECUTOR_CORES "$llr_executor_cores" 1
  llr_count --gpus LLR_GPUS "$llr_gpus" 0
  llr_count --driver-cores LLR_DRIVER_CORES "$llr_driver_cores" 1
  if [ "$llr_gpus" -gt 0 ]; then
    [ -z "$llr_task_cpus" ] ||
      llr_fail "--task-cpus (LLR_TASK_CPUS) does not go with --gpus: each task gets executor cores / GPUs"
    [ $(( llr_executor_cores % llr_gpus )) = 0 ] ||
      llr_fail "--executor-cores ($llr_executor_cores) must be a multiple of --gpus ($llr_gpus): one task per GPU"
    llr_task_cpus=$(( llr_executor_cores / llr_gpus ))
    llr_driver_gpus=${llr_driver_gpus:-1}
  else
    llr_task_cpus=${llr_task_cpus:-1}
    llr_count --task-cpus LLR_TASK_CPUS "$llr_task_cpus" 1
    [ $(( llr_executor_cores % llr_task_cpus )) = 0 ] ||
      llr_fail "--executor-cores ($llr_executor_cores) must be a multiple of --task-cpus ($llr_task_cpus)"
    llr_driver_gpus=${llr_driver_gpus:-0}
  fi
  llr_count --driver-gpus LLR_DRIVER_GPUS "$llr_driver_gpus" 0
  llr_serializer_settings
  llr_portable_isa

  # Parameter averaging trains a fixed set of workers, so it wants a fixed set of executors. llr.spark.workers = 0
  # takes Spark's default parallelism, which has to count task slots, not cores, once a task has several CPUs.
  llr_set spark.executor.instances "$llr_executors"
  llr_set spark.dynamicAllocation.enabled false
  llr_set spark.executor.cores "$llr_executor_cores"
  llr_set spark.task.cpus "$llr_task_cpus"
  llr_set spark.default.parallelism $(( llr_executors * llr_executor_cores / llr_task_cpus ))
  # Without it, libnd4j's OpenMP pool of every task takes all the host's cores.
  llr_set spark.executorEnv.OMP_NUM_THREADS "$llr_task_cpus"
  llr_set spark.executorEnv.GOMP_SPINCOUNT "$llr_gomp_spincount"
  llr_isa_env_settings spark.executorEnv
  llr_mib --executor-memory LLR_EXECUTOR_MEMORY "$llr_executor_memory"
  local heap=$REPLY
  llr_mib --executor-offheap LLR_EXECUTOR_OFFHEAP "$llr_executor_offheap"
  llr_memory executor "$heap" "$REPLY"
  llr_set spark.driver.cores "$llr_driver_cores"
  llr_mib --driver-memory LLR_DRIVER_MEMORY "$llr_driver_memory"
  heap=$REPLY
  llr_mib --driver-offheap LLR_DRIVER_OFFHEAP "$llr_driver_offheap"
  llr_memory driver "$heap" "$REPLY"
  # Every averaging round brings each worker's parameters and Adam state to the driver: about 300 MB per worker for a
  # ResNet-50, past Spark's default limit of 1g with a handful of workers.
  llr_set spark.driver.maxResultSize 8g
  if [ "$llr_gpus" -gt 0 ]; then
    llr_set spark.executor.resource.gpu.amount "$llr_gpus"
    llr_set spark.executor.resource.gpu.discoveryScript "$llr_discovery"
    llr_set spark.task.resource.gpu.amount 1
  fi
  if [ "$llr_driver_gpus" -gt 0 ]; then
    llr_set spark.driver.resource.gpu.amount "$llr_driver_gpus"
    llr_set spark.driver.resource.gpu.discoveryScript "$llr_discovery"
  fi
  if [ -n "$llr_s3a_endpoint" ]; then
    llr_set spark.hadoop.fs.s3a.endpoint "$llr_s3a_endpoint"
    llr_set spark.hadoop.fs.s3a.path.style.access true
  fi
}

# llr_quote WORD: WORD as the shell reads it back.
llr_quote() {
  if [[ $1 =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then
    printf '%s' "$1"
  else
    printf "'%s'" "${1//\'/\'\\\'\'}"
  fi
}

# llr_submit JAR ARGS...: spark-submit with ARGS (master, cluster-manager options), the shared settings, the user's
# --conf (last, so they win), JAR and the job's arguments. Under --dry-run it prints that command, an option a line.
llr_submit() {
  local jar=$1 submit word
  shift
  submit=${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit
  local options=("$@" --deploy-mode cluster --name "llr-spark-$llr_command" --class io.llrspark.spark.Main
    "${llr_conf[@]}" "${llr_user_conf[@]}")
  if [ "$llr_dry_run" = 1 ]; then
    llr_quote "$submit"
    for word in "${options[@]}"; do
      if [[ $word == -* ]]; then
        printf ' \\\n  '
      else
        printf ' '
      fi
      llr_quote "$word"
    done
    printf ' \\\n  '
    llr_quote "$jar"
    for word in "${llr_app_args[@]}"; do
      printf ' '
      llr_quote "$word"
    done
    printf '\n'
    exit 0
  fi
  command -v "$submit" >/dev/null ||
    llr_fail "$submit not found: set SPARK_HOME to a Spark 3.5 (Scala 2.12) distribution, or put spark-submit on PATH"
  exec "$submit" "${options[@]}" "$jar" "${llr_app_args[@]}"
}
