# shellcheck shell=bash disable=SC2034
# Shared by the launchers in submit/ (sourced, not run).

# JVM flags ND4J and Spark need on Java 17: open the JDK internals they use, and let JavaCPP's off-heap arrays grow.
llr_jvm_opens="--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
llr_offheap="-Dorg.bytedeco.javacpp.maxbytes=6G -Dorg.bytedeco.javacpp.maxphysicalbytes=12G"

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
